#include "durability/varint.h"

#include <gtest/gtest.h>

#include <random>

namespace stdb::durability {
namespace {

sats::Bytes Encode(uint64_t v) {
  sats::Bytes out;
  AppendVarint(v, out);
  return out;
}

TEST(Varint, GoldenEncodings) {
  EXPECT_EQ(Encode(0), sats::Bytes({0x00}));
  EXPECT_EQ(Encode(1), sats::Bytes({0x01}));
  EXPECT_EQ(Encode(127), sats::Bytes({0x7F}));
  EXPECT_EQ(Encode(128), sats::Bytes({0x80, 0x01}));
  EXPECT_EQ(Encode(300), sats::Bytes({0xAC, 0x02}));  // the protobuf documentation's example
  EXPECT_EQ(Encode(16383), sats::Bytes({0xFF, 0x7F}));
  EXPECT_EQ(Encode(16384), sats::Bytes({0x80, 0x80, 0x01}));
  EXPECT_EQ(Encode(UINT64_MAX), sats::Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
}

TEST(Varint, RoundTripsBoundariesOfEveryLength) {
  for (int bits = 0; bits <= 64; ++bits) {
    for (int64_t delta : {-1, 0, 1}) {
      uint64_t v = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits);
      v += static_cast<uint64_t>(delta);
      sats::Bytes b = Encode(v);
      EXPECT_EQ(b.size(), VarintSize(v));
      size_t pos = 0;
      auto decoded = DecodeVarint(b, &pos);
      ASSERT_TRUE(decoded.ok()) << decoded.error().message();
      EXPECT_EQ(*decoded, v);
      EXPECT_EQ(pos, b.size());
    }
  }
}

TEST(Varint, DecodesAtAnOffsetAndAdvances) {
  sats::Bytes b = {0xAA, 0xAC, 0x02, 0x05};
  size_t pos = 1;
  EXPECT_EQ(*DecodeVarint(b, &pos), 300u);
  EXPECT_EQ(pos, 3u);
  EXPECT_EQ(*DecodeVarint(b, &pos), 5u);
  EXPECT_EQ(pos, 4u);
}

TEST(Varint, RejectsTruncationWithoutMovingThePosition) {
  sats::Bytes b = Encode(uint64_t(1) << 40);
  for (size_t len = 0; len < b.size(); ++len) {
    sats::Bytes prefix(b.begin(), b.begin() + len);
    size_t pos = 0;
    auto r = DecodeVarint(prefix, &pos);
    ASSERT_FALSE(r.ok()) << len;
    EXPECT_EQ(pos, 0u);
    EXPECT_NE(r.error().message().find("offset 0"), std::string::npos) << r.error().message();
  }
}

TEST(Varint, RejectsOverflowAndOverlongEncodings) {
  size_t pos = 0;
  // Ten bytes whose last carries more than bit 63.
  sats::Bytes overflow = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
  EXPECT_FALSE(DecodeVarint(overflow, &pos).ok());
  // Eleven bytes.
  sats::Bytes overlong = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  EXPECT_FALSE(DecodeVarint(overlong, &pos).ok());
  EXPECT_EQ(pos, 0u);
}

TEST(Varint, AcceptsNonMinimalEncodingsLikeTheReference) {
  sats::Bytes padded_zero = {0x80, 0x00};
  size_t pos = 0;
  EXPECT_EQ(*DecodeVarint(padded_zero, &pos), 0u);
  EXPECT_EQ(pos, 2u);
}

TEST(Varint, RandomRoundTrips) {
  std::mt19937_64 rng(7);
  sats::Bytes stream;
  std::vector<uint64_t> values;
  for (int i = 0; i < 2000; ++i) {
    uint64_t v = rng() >> (rng() % 64);
    values.push_back(v);
    AppendVarint(v, stream);
  }
  size_t pos = 0;
  for (uint64_t v : values) EXPECT_EQ(*DecodeVarint(stream, &pos), v);
  EXPECT_EQ(pos, stream.size());
}

}  // namespace
}  // namespace stdb::durability
