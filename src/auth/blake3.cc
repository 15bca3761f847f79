#include "auth/blake3.h"

#include <algorithm>
#include <cstring>

namespace stdb::auth {
namespace {

constexpr uint32_t kIv[8] = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                             0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};

// Domain separation flags (specification §2.1).
constexpr uint32_t kChunkStart = 1u << 0;
constexpr uint32_t kChunkEnd = 1u << 1;
constexpr uint32_t kParent = 1u << 2;
constexpr uint32_t kRoot = 1u << 3;
constexpr uint32_t kKeyedHash = 1u << 4;
constexpr uint32_t kDeriveKeyContext = 1u << 5;
constexpr uint32_t kDeriveKeyMaterial = 1u << 6;

constexpr int kRounds = 7;

// The specification permutes the message words between rounds; precomputing which original word each round
// reads avoids moving the words around.
constexpr std::array<std::array<uint8_t, 16>, kRounds> MakeMessageSchedule() {
  constexpr uint8_t kPermutation[16] = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};
  std::array<std::array<uint8_t, 16>, kRounds> schedule{};
  for (uint8_t i = 0; i < 16; ++i) schedule[0][i] = i;
  for (int r = 1; r < kRounds; ++r) {
    for (int i = 0; i < 16; ++i) schedule[r][i] = schedule[r - 1][kPermutation[i]];
  }
  return schedule;
}
constexpr auto kMessageSchedule = MakeMessageSchedule();

inline uint32_t LoadLe32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

inline void StoreLe32(uint8_t* p, uint32_t w) {
  p[0] = uint8_t(w);
  p[1] = uint8_t(w >> 8);
  p[2] = uint8_t(w >> 16);
  p[3] = uint8_t(w >> 24);
}

void LoadBlockWords(const uint8_t* block, uint32_t words[16]) {
  for (int i = 0; i < 16; ++i) words[i] = LoadLe32(block + 4 * i);
}

void LoadKeyWords(const uint8_t* key, uint32_t words[8]) {
  for (int i = 0; i < 8; ++i) words[i] = LoadLe32(key + 4 * i);
}

// The round function is written once for a "word" type W: uint32_t for one compression, or a vector of
// uint32_t for several independent compressions in SIMD lanes (shifts and xors apply lane-wise).
template <int N, typename W>
inline W RotateRight(W x) {
  return (x >> N) | (x << (32 - N));
}

template <typename W>
inline void G(W* v, int a, int b, int c, int d, W mx, W my) {
  v[a] = v[a] + v[b] + mx;
  v[d] = RotateRight<16>(v[d] ^ v[a]);
  v[c] = v[c] + v[d];
  v[b] = RotateRight<12>(v[b] ^ v[c]);
  v[a] = v[a] + v[b] + my;
  v[d] = RotateRight<8>(v[d] ^ v[a]);
  v[c] = v[c] + v[d];
  v[b] = RotateRight<7>(v[b] ^ v[c]);
}

template <typename W>
inline void AllRounds(W v[16], const W m[16]) {
#pragma GCC unroll 7
  for (int r = 0; r < kRounds; ++r) {
    const uint8_t* s = kMessageSchedule[r].data();
    // Columns, then diagonals.
    G(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
    G(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
    G(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
    G(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
    G(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
    G(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
    G(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
    G(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
}

// The compression function. out[0..8] is the new chaining value; all 16 words are the root's output block.
void Compress(const uint32_t cv[8], const uint32_t block_words[16], uint32_t block_len, uint64_t counter,
              uint32_t flags, uint32_t out[16]) {
  uint32_t v[16] = {cv[0], cv[1], cv[2], cv[3], cv[4], cv[5], cv[6], cv[7],
                    kIv[0], kIv[1], kIv[2], kIv[3],
                    uint32_t(counter), uint32_t(counter >> 32), block_len, flags};
  AllRounds(v, block_words);
  for (int i = 0; i < 8; ++i) {
    out[i] = v[i] ^ v[i + 8];
    out[i + 8] = v[i + 8] ^ cv[i];
  }
}

// Only the chaining value, for chunk blocks and parents that are not the root.
void CompressCv(uint32_t cv[8], const uint32_t block_words[16], uint32_t block_len, uint64_t counter,
                uint32_t flags) {
  uint32_t out[16];
  Compress(cv, block_words, block_len, counter, flags, out);
  std::memcpy(cv, out, 8 * sizeof(uint32_t));
}

// Hashes one whole 1024-byte chunk that is known not to be the root.
void HashWholeChunk(const uint8_t* chunk, const uint32_t key[8], uint64_t counter, uint32_t flags,
                    uint32_t cv[8]) {
  std::memcpy(cv, key, 8 * sizeof(uint32_t));
  uint32_t words[16];
  constexpr size_t kBlocks = kBlake3ChunkLen / kBlake3BlockLen;
  for (size_t b = 0; b < kBlocks; ++b) {
    LoadBlockWords(chunk + b * kBlake3BlockLen, words);
    uint32_t block_flags = flags | (b == 0 ? kChunkStart : 0u) | (b == kBlocks - 1 ? kChunkEnd : 0u);
    CompressCv(cv, words, kBlake3BlockLen, counter, block_flags);
  }
}

// Four whole chunks (contiguous in memory, counters counter..counter+3) compressed in SIMD lanes.
constexpr size_t kLanes = 4;
typedef uint32_t U32x4 __attribute__((vector_size(16)));

void HashFourChunks(const uint8_t* chunks, const uint32_t key[8], uint64_t counter, uint32_t flags,
                    uint32_t cvs[kLanes][8]) {
  U32x4 cv[8];
  for (int i = 0; i < 8; ++i) cv[i] = U32x4{} + key[i];
  U32x4 counter_low, counter_high;
  for (size_t lane = 0; lane < kLanes; ++lane) {
    counter_low[lane] = uint32_t(counter + lane);
    counter_high[lane] = uint32_t((counter + lane) >> 32);
  }
  constexpr size_t kBlocks = kBlake3ChunkLen / kBlake3BlockLen;
  for (size_t b = 0; b < kBlocks; ++b) {
    U32x4 m[16];
    for (int w = 0; w < 16; ++w) {
      const uint8_t* p = chunks + b * kBlake3BlockLen + 4 * w;
      m[w] = U32x4{LoadLe32(p), LoadLe32(p + kBlake3ChunkLen), LoadLe32(p + 2 * kBlake3ChunkLen),
                   LoadLe32(p + 3 * kBlake3ChunkLen)};
    }
    uint32_t block_flags = flags | (b == 0 ? kChunkStart : 0u) | (b == kBlocks - 1 ? kChunkEnd : 0u);
    U32x4 v[16] = {cv[0], cv[1], cv[2], cv[3], cv[4], cv[5], cv[6], cv[7],
                   U32x4{} + kIv[0], U32x4{} + kIv[1], U32x4{} + kIv[2], U32x4{} + kIv[3],
                   counter_low, counter_high, U32x4{} + uint32_t(kBlake3BlockLen), U32x4{} + block_flags};
    AllRounds(v, m);
    for (int i = 0; i < 8; ++i) cv[i] = v[i] ^ v[i + 8];
  }
  for (size_t lane = 0; lane < kLanes; ++lane) {
    for (int i = 0; i < 8; ++i) cvs[lane][i] = cv[i][lane];
  }
}

// What is left to compress at the end: the last block of the last chunk, or a parent of two CVs. Compressing it
// without ROOT gives a chaining value; with ROOT and counters 0, 1, ... it gives the output stream.
struct PendingOutput {
  uint32_t input_cv[8];
  uint32_t block_words[16];
  uint64_t counter;
  uint32_t block_len;
  uint32_t flags;

  void ChainingValue(uint32_t cv[8]) const {
    std::memcpy(cv, input_cv, sizeof(input_cv));
    CompressCv(cv, block_words, block_len, counter, flags);
  }

  void RootBytes(std::span<uint8_t> out, uint64_t seek) const {
    uint64_t output_block = seek / kBlake3BlockLen;
    size_t offset = size_t(seek % kBlake3BlockLen);
    size_t written = 0;
    while (written < out.size()) {
      uint32_t words[16];
      Compress(input_cv, block_words, block_len, output_block, flags | kRoot, words);
      uint8_t bytes[kBlake3BlockLen];
      for (int i = 0; i < 16; ++i) StoreLe32(bytes + 4 * i, words[i]);
      size_t take = std::min(kBlake3BlockLen - offset, out.size() - written);
      std::memcpy(out.data() + written, bytes + offset, take);
      written += take;
      offset = 0;
      ++output_block;
    }
  }
};

PendingOutput ParentOutput(const uint32_t left[8], const uint32_t right[8], const uint32_t key[8],
                           uint32_t flags) {
  PendingOutput o;
  std::memcpy(o.input_cv, key, sizeof(o.input_cv));
  std::memcpy(o.block_words, left, 8 * sizeof(uint32_t));
  std::memcpy(o.block_words + 8, right, 8 * sizeof(uint32_t));
  o.counter = 0;  // parents always use counter 0
  o.block_len = kBlake3BlockLen;
  o.flags = flags | kParent;
  return o;
}

}  // namespace

Blake3Hasher::Blake3Hasher() : Blake3Hasher(kIv, 0) {}

Blake3Hasher::Blake3Hasher(const uint32_t key_words[8], uint32_t flags) : flags_(flags) {
  std::memcpy(key_words_, key_words, sizeof(key_words_));
  StartChunk(0);
}

Blake3Hasher Blake3Hasher::Keyed(const Blake3Key& key) {
  uint32_t words[8];
  LoadKeyWords(key.data(), words);
  return Blake3Hasher(words, kKeyedHash);
}

Blake3Hasher Blake3Hasher::DeriveKey(std::string_view context) {
  Blake3Hasher context_hasher(kIv, kDeriveKeyContext);
  context_hasher.Update(context);
  Blake3Digest context_key = context_hasher.Finalize();
  uint32_t words[8];
  LoadKeyWords(context_key.data(), words);
  return Blake3Hasher(words, kDeriveKeyMaterial);
}

void Blake3Hasher::Reset() {
  cv_stack_len_ = 0;
  StartChunk(0);
}

void Blake3Hasher::StartChunk(uint64_t chunk_counter) {
  std::memcpy(chunk_.cv, key_words_, sizeof(chunk_.cv));
  chunk_.chunk_counter = chunk_counter;
  chunk_.block_len = 0;
  chunk_.blocks_compressed = 0;
}

void Blake3Hasher::FillChunk(const uint8_t* input, size_t len) {
  while (len > 0) {
    if (chunk_.block_len == kBlake3BlockLen) {
      // More input follows, so this full block is not the chunk's last: compress it now.
      uint32_t words[16];
      LoadBlockWords(chunk_.block, words);
      uint32_t block_flags = flags_ | (chunk_.blocks_compressed == 0 ? kChunkStart : 0u);
      CompressCv(chunk_.cv, words, kBlake3BlockLen, chunk_.chunk_counter, block_flags);
      ++chunk_.blocks_compressed;
      chunk_.block_len = 0;
    }
    size_t take = std::min(kBlake3BlockLen - chunk_.block_len, len);
    std::memcpy(chunk_.block + chunk_.block_len, input, take);
    chunk_.block_len = uint8_t(chunk_.block_len + take);
    input += take;
    len -= take;
  }
}

void Blake3Hasher::PushChunkCv(const uint32_t cv[8], uint64_t total_chunks) {
  // Each trailing zero bit of the chunk count is a subtree that this chunk completes; since the chunk is not
  // the last of the input, none of those subtrees is the root, so they can be merged right away.
  uint32_t merged[8];
  std::memcpy(merged, cv, sizeof(merged));
  while ((total_chunks & 1) == 0) {
    --cv_stack_len_;
    ParentOutput(cv_stack_[cv_stack_len_], merged, key_words_, flags_).ChainingValue(merged);
    total_chunks >>= 1;
  }
  std::memcpy(cv_stack_[cv_stack_len_], merged, sizeof(merged));
  ++cv_stack_len_;
}

Blake3Hasher& Blake3Hasher::Update(std::string_view input) {
  return Update(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(input.data()), input.size()));
}

Blake3Hasher& Blake3Hasher::Update(std::span<const uint8_t> input_span) {
  const uint8_t* input = input_span.data();
  size_t len = input_span.size();
  while (len > 0) {
    if (chunk_.len() == kBlake3ChunkLen) {
      // The buffered chunk is complete and more input follows: it is not the root.
      uint32_t words[16];
      uint8_t block[kBlake3BlockLen] = {};
      std::memcpy(block, chunk_.block, chunk_.block_len);
      LoadBlockWords(block, words);
      uint32_t block_flags = flags_ | (chunk_.blocks_compressed == 0 ? kChunkStart : 0u) | kChunkEnd;
      uint32_t cv[8];
      std::memcpy(cv, chunk_.cv, sizeof(cv));
      CompressCv(cv, words, chunk_.block_len, chunk_.chunk_counter, block_flags);
      PushChunkCv(cv, chunk_.chunk_counter + 1);
      StartChunk(chunk_.chunk_counter + 1);
    }
    if (chunk_.len() == 0 && len > kBlake3ChunkLen) {
      // Whole chunks straight from the input, skipping the buffer. At least one byte is left behind so that the
      // chunk holding the input's end (which may be the root) goes through the buffered path.
      size_t whole_chunks = (len - 1) / kBlake3ChunkLen;
      uint64_t counter = chunk_.chunk_counter;
      for (; whole_chunks >= kLanes; whole_chunks -= kLanes) {
        uint32_t cvs[kLanes][8];
        HashFourChunks(input, key_words_, counter, flags_, cvs);
        for (size_t lane = 0; lane < kLanes; ++lane) PushChunkCv(cvs[lane], counter + lane + 1);
        counter += kLanes;
        input += kLanes * kBlake3ChunkLen;
        len -= kLanes * kBlake3ChunkLen;
      }
      for (; whole_chunks > 0; --whole_chunks) {
        uint32_t cv[8];
        HashWholeChunk(input, key_words_, counter, flags_, cv);
        PushChunkCv(cv, counter + 1);
        ++counter;
        input += kBlake3ChunkLen;
        len -= kBlake3ChunkLen;
      }
      StartChunk(counter);
      continue;
    }
    size_t take = std::min(kBlake3ChunkLen - chunk_.len(), len);
    FillChunk(input, take);
    input += take;
    len -= take;
  }
  return *this;
}

void Blake3Hasher::Finalize(std::span<uint8_t> out, uint64_t seek) const {
  PendingOutput output;
  std::memcpy(output.input_cv, chunk_.cv, sizeof(output.input_cv));
  uint8_t block[kBlake3BlockLen] = {};  // the last block is zero-padded
  std::memcpy(block, chunk_.block, chunk_.block_len);
  LoadBlockWords(block, output.block_words);
  output.counter = chunk_.chunk_counter;
  output.block_len = chunk_.block_len;
  output.flags = flags_ | (chunk_.blocks_compressed == 0 ? kChunkStart : 0u) | kChunkEnd;
  // Fold the stack from the most recent (smallest) subtree up; the last parent formed is the root.
  for (size_t i = cv_stack_len_; i > 0; --i) {
    uint32_t right[8];
    output.ChainingValue(right);
    output = ParentOutput(cv_stack_[i - 1], right, key_words_, flags_);
  }
  output.RootBytes(out, seek);
}

Blake3Digest Blake3Hasher::Finalize() const {
  Blake3Digest digest;
  Finalize(std::span<uint8_t>(digest));
  return digest;
}

Blake3Digest Blake3Hash(std::span<const uint8_t> input) { return Blake3Hasher().Update(input).Finalize(); }

Blake3Digest Blake3Hash(std::string_view input) { return Blake3Hasher().Update(input).Finalize(); }

Blake3Digest Blake3KeyedHash(const Blake3Key& key, std::span<const uint8_t> input) {
  return Blake3Hasher::Keyed(key).Update(input).Finalize();
}

Blake3Key Blake3DeriveKey(std::string_view context, std::span<const uint8_t> key_material) {
  return Blake3Hasher::DeriveKey(context).Update(key_material).Finalize();
}

}  // namespace stdb::auth
