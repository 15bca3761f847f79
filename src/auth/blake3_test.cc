#include "auth/blake3.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sats/special_types.h"

namespace stdb::auth {
namespace {

struct OfficialVector {
  size_t input_len;
  const char* hash;
  const char* keyed_hash;
  const char* derive_key;
};

constexpr OfficialVector kOfficialVectors[] = {
#include "auth/blake3_test_vectors.inc"
};

// From the same file's "key" and "context_string" fields.
constexpr std::string_view kOfficialKey = "whats the Elvish word for friend";
constexpr std::string_view kOfficialContext = "BLAKE3 2019-12-27 16:29:52 test vectors context";
constexpr size_t kExtendedLen = 131;

std::vector<uint8_t> OfficialInput(size_t len) {
  std::vector<uint8_t> input(len);
  for (size_t i = 0; i < len; ++i) input[i] = uint8_t(i % 251);
  return input;
}

Blake3Key OfficialKey() {
  Blake3Key key;
  std::copy(kOfficialKey.begin(), kOfficialKey.end(), key.begin());
  return key;
}

std::string Hex(std::span<const uint8_t> bytes) { return sats::ToHexLower(bytes.data(), bytes.size()); }

std::string Extended(const Blake3Hasher& hasher, size_t len = kExtendedLen) {
  std::vector<uint8_t> out(len);
  hasher.Finalize(out);
  return Hex(out);
}

TEST(Blake3Test, OfficialVectorsCoverTheListedLengths) {
  EXPECT_EQ(std::size(kOfficialVectors), 35u);
  EXPECT_EQ(kOfficialKey.size(), kBlake3KeyLen);
  for (const auto& v : kOfficialVectors) {
    EXPECT_EQ(std::string_view(v.hash).size(), 2 * kExtendedLen);
    EXPECT_EQ(std::string_view(v.keyed_hash).size(), 2 * kExtendedLen);
    EXPECT_EQ(std::string_view(v.derive_key).size(), 2 * kExtendedLen);
  }
}

TEST(Blake3Test, HashMatchesOfficialVectors) {
  for (const auto& v : kOfficialVectors) {
    SCOPED_TRACE("input_len=" + std::to_string(v.input_len));
    std::vector<uint8_t> input = OfficialInput(v.input_len);
    Blake3Hasher hasher;
    hasher.Update(input);
    EXPECT_EQ(Extended(hasher), v.hash);
    EXPECT_EQ(Hex(Blake3Hash(input)), std::string(v.hash).substr(0, 64));
  }
}

TEST(Blake3Test, KeyedHashMatchesOfficialVectors) {
  for (const auto& v : kOfficialVectors) {
    SCOPED_TRACE("input_len=" + std::to_string(v.input_len));
    std::vector<uint8_t> input = OfficialInput(v.input_len);
    Blake3Hasher hasher = Blake3Hasher::Keyed(OfficialKey());
    hasher.Update(input);
    EXPECT_EQ(Extended(hasher), v.keyed_hash);
    EXPECT_EQ(Hex(Blake3KeyedHash(OfficialKey(), input)), std::string(v.keyed_hash).substr(0, 64));
  }
}

TEST(Blake3Test, DeriveKeyMatchesOfficialVectors) {
  for (const auto& v : kOfficialVectors) {
    SCOPED_TRACE("input_len=" + std::to_string(v.input_len));
    std::vector<uint8_t> input = OfficialInput(v.input_len);
    Blake3Hasher hasher = Blake3Hasher::DeriveKey(kOfficialContext);
    hasher.Update(input);
    EXPECT_EQ(Extended(hasher), v.derive_key);
    EXPECT_EQ(Hex(Blake3DeriveKey(kOfficialContext, input)), std::string(v.derive_key).substr(0, 64));
  }
}

// Feeding the input in pieces of awkward sizes exercises the buffered path (including chunk and block
// boundaries that fall inside a piece) instead of the whole-chunk SIMD path.
TEST(Blake3Test, IncrementalUpdatesMatchOneShotForEveryVector) {
  const size_t piece_sizes[] = {1, 7, 63, 64, 65, 1023, 1024, 1025, 4097};
  for (const auto& v : kOfficialVectors) {
    std::vector<uint8_t> input = OfficialInput(v.input_len);
    for (size_t piece : piece_sizes) {
      SCOPED_TRACE("input_len=" + std::to_string(v.input_len) + " piece=" + std::to_string(piece));
      Blake3Hasher hasher;
      Blake3Hasher keyed = Blake3Hasher::Keyed(OfficialKey());
      for (size_t pos = 0; pos < input.size(); pos += piece) {
        size_t n = std::min(piece, input.size() - pos);
        hasher.Update(std::span<const uint8_t>(input.data() + pos, n));
        keyed.Update(std::span<const uint8_t>(input.data() + pos, n));
      }
      EXPECT_EQ(Extended(hasher), v.hash);
      EXPECT_EQ(Extended(keyed), v.keyed_hash);
    }
  }
}

TEST(Blake3Test, SeekReadsAnyWindowOfTheOutputStream) {
  const OfficialVector& v = kOfficialVectors[std::size(kOfficialVectors) - 1];  // 102400 bytes: a deep tree
  std::vector<uint8_t> input = OfficialInput(v.input_len);
  Blake3Hasher hasher;
  hasher.Update(input);
  const std::string expected = v.hash;
  for (size_t seek : {0u, 1u, 31u, 63u, 64u, 65u, 100u}) {
    for (size_t len : {1u, 5u, 64u}) {
      if (seek + len > kExtendedLen) continue;
      std::vector<uint8_t> out(len);
      hasher.Finalize(out, seek);
      EXPECT_EQ(Hex(out), expected.substr(2 * seek, 2 * len)) << "seek=" << seek << " len=" << len;
    }
  }
}

TEST(Blake3Test, FinalizeLeavesStateUsableForMoreInput) {
  std::vector<uint8_t> input = OfficialInput(8193);
  Blake3Hasher hasher;
  hasher.Update(std::span<const uint8_t>(input.data(), 3000));
  Blake3Digest partial = hasher.Finalize();
  EXPECT_EQ(partial, Blake3Hash(std::span<const uint8_t>(input.data(), 3000)));
  hasher.Update(std::span<const uint8_t>(input.data() + 3000, input.size() - 3000));
  EXPECT_EQ(hasher.Finalize(), Blake3Hash(input));
}

TEST(Blake3Test, ResetForgetsInputButKeepsMode) {
  std::vector<uint8_t> input = OfficialInput(5000);
  Blake3Hasher keyed = Blake3Hasher::Keyed(OfficialKey());
  keyed.Update(OfficialInput(777));
  keyed.Reset();
  keyed.Update(input);
  EXPECT_EQ(keyed.Finalize(), Blake3KeyedHash(OfficialKey(), input));
}

TEST(Blake3Test, StringAndByteInputsAgree) {
  std::string text = "SELECT * FROM player WHERE id = 7";
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  EXPECT_EQ(Blake3Hash(text), Blake3Hash(bytes));
  EXPECT_NE(Blake3Hash(text), Blake3Hash(text.substr(1)));
}

// Chunk counts around powers of two stress the tree's merge rule; the result must not depend on whether chunks
// went through the four-lane path or one at a time.
TEST(Blake3Test, SimdAndScalarChunkPathsAgree) {
  for (size_t chunks : {2u, 3u, 4u, 5u, 8u, 9u, 16u, 17u, 33u}) {
    std::vector<uint8_t> input = OfficialInput(chunks * kBlake3ChunkLen + 1);
    Blake3Hasher byte_at_a_time;
    for (uint8_t b : input) byte_at_a_time.Update(std::span<const uint8_t>(&b, 1));
    EXPECT_EQ(byte_at_a_time.Finalize(), Blake3Hash(input)) << chunks << " chunks";
  }
}

}  // namespace
}  // namespace stdb::auth
