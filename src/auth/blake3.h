// BLAKE3: the cryptographic hash function, written here from the BLAKE3 specification
// (https://github.com/BLAKE3-team/BLAKE3-specs) because Debian does not package it.
//
// Identities (auth/identity.h) are BLAKE3 hashes of JWT claims, and the storage layers hash query text and
// snapshot pages with it, so the output must match the reference bit for bit: blake3_test.cc checks every case of
// the official test_vectors.json (all input lengths, all three modes, 131-byte extended output).
//
// Structure, in the specification's terms:
//   input  -> 1024-byte chunks, each compressed block by block (64-byte blocks) into a chaining value;
//   chunks -> leaves of a binary tree whose parents compress (left CV || right CV); the left subtree is always
//             the largest power of two of chunks that leaves at least one byte for the right;
//   root   -> the final compression, flagged ROOT, which can be re-run with counters 0, 1, 2, ... to produce
//             output of any length (extendable output).
// The three modes only change the key words and the domain flags: hash (IV, no flag), keyed hash (the 32-byte
// key, KEYED_HASH) and derive_key (the context string hashed first with DERIVE_KEY_CONTEXT, its output used as
// the key for the material with DERIVE_KEY_MATERIAL).
//
// Speed: whole chunks are compressed four at a time in SIMD lanes (GCC vector extensions, SSE2 on x86-64);
// partial chunks and the tree's parent nodes use the scalar compression function.
//
// Thread-safety: Blake3Hasher is a plain value; use one per thread. The free functions are reentrant.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace stdb::auth {

inline constexpr size_t kBlake3OutLen = 32;  // default digest and key length, bytes
inline constexpr size_t kBlake3KeyLen = 32;
inline constexpr size_t kBlake3BlockLen = 64;
inline constexpr size_t kBlake3ChunkLen = 1024;

using Blake3Digest = std::array<uint8_t, kBlake3OutLen>;
using Blake3Key = std::array<uint8_t, kBlake3KeyLen>;

// Incremental hasher: Update() any number of times, then Finalize(). Finalize does not change the state, so
// more input may follow and a later Finalize covers everything given so far.
class Blake3Hasher {
 public:
  Blake3Hasher();  // the default "hash" mode
  static Blake3Hasher Keyed(const Blake3Key& key);
  // derive_key mode; `context` should be a hard-coded, globally unique, application-specific string.
  static Blake3Hasher DeriveKey(std::string_view context);

  Blake3Hasher& Update(std::span<const uint8_t> input);
  Blake3Hasher& Update(std::string_view input);

  Blake3Digest Finalize() const;
  // Extendable output: writes out.size() bytes of the output stream starting at byte `seek`.
  void Finalize(std::span<uint8_t> out, uint64_t seek = 0) const;

  // Forgets all input; keeps the mode and key.
  void Reset();

 private:
  Blake3Hasher(const uint32_t key_words[8], uint32_t flags);

  // The chunk being filled. Its last block stays buffered until more input arrives, because only then is it
  // known whether the chunk (and the block) is the last one and needs the ROOT flag.
  struct ChunkState {
    uint32_t cv[8];
    uint64_t chunk_counter;
    uint8_t block[kBlake3BlockLen];
    uint8_t block_len;
    uint8_t blocks_compressed;
    size_t len() const { return size_t(blocks_compressed) * kBlake3BlockLen + block_len; }
  };

  void StartChunk(uint64_t chunk_counter);
  void FillChunk(const uint8_t* input, size_t len);
  // Adds the CV of a finished chunk (not the last of the input) and merges every subtree it completes.
  void PushChunkCv(const uint32_t cv[8], uint64_t total_chunks);

  uint32_t key_words_[8];
  uint32_t flags_;
  ChunkState chunk_;
  // Chaining values of complete subtrees, largest first; at most one per bit of a 64-bit chunk count.
  uint32_t cv_stack_[54][8];
  uint8_t cv_stack_len_ = 0;
};

// One-shot helpers.
Blake3Digest Blake3Hash(std::span<const uint8_t> input);
Blake3Digest Blake3Hash(std::string_view input);
Blake3Digest Blake3KeyedHash(const Blake3Key& key, std::span<const uint8_t> input);
Blake3Key Blake3DeriveKey(std::string_view context, std::span<const uint8_t> key_material);

}  // namespace stdb::auth
