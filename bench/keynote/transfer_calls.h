// TransferCalls: the keynote workload's reducer calls, encoded once before the run so that issuing a call costs a
// memcpy. Call i is the v2 ClientMessage CallReducer{request_id = i, flags = 0, "transfer", BSATN(from u32, to u32,
// amount i64)} for pair i; its request id names it in the server's ReducerResult. Request ids of workload calls
// stay below kFirstControlRequestId; the load generator's own requests (seed, row fetches) use the ids above.
//
// Thread-safety: immutable after construction; shared by every connection and thread.
#pragma once

#include <cstdint>
#include <vector>

#include "bench/keynote/zipf_pairs.h"
#include "sats/bsatn.h"

namespace stdb::bench::keynote {

inline constexpr uint32_t kFirstControlRequestId = 0x8000'0000u;

class TransferCalls {
 public:
  // pairs.size() must be below kFirstControlRequestId.
  TransferCalls(std::vector<TransferPair> pairs, int64_t amount);

  size_t size() const { return pairs_.size(); }
  int64_t amount() const { return amount_; }
  const TransferPair& pair(size_t i) const { return pairs_[i]; }
  // The encoded CallReducer of call i (every call has the same length).
  sats::ByteSpan message(size_t i) const { return {bytes_.data() + i * message_size_, message_size_}; }
  size_t message_size() const { return message_size_; }

 private:
  std::vector<TransferPair> pairs_;
  int64_t amount_;
  size_t message_size_ = 0;
  sats::Bytes bytes_;
};

// BSATN of the reducer arguments: transfer(from u32, to u32, amount i64) and seed(n u32, balance i64).
sats::Bytes TransferArgs(uint32_t from, uint32_t to, int64_t amount);
sats::Bytes SeedArgs(uint32_t accounts, int64_t balance);

}  // namespace stdb::bench::keynote
