#include "bench/keynote/transfer_calls.h"

#include <stdexcept>

#include "server/protocol/v2_client_message.h"

namespace stdb::bench::keynote {

namespace v2 = server::protocol::v2;

sats::Bytes TransferArgs(uint32_t from, uint32_t to, int64_t amount) {
  sats::Bytes out;
  sats::bsatn::Writer w(out);
  w.U32(from);
  w.U32(to);
  w.I64(amount);
  return out;
}

sats::Bytes SeedArgs(uint32_t accounts, int64_t balance) {
  sats::Bytes out;
  sats::bsatn::Writer w(out);
  w.U32(accounts);
  w.I64(balance);
  return out;
}

TransferCalls::TransferCalls(std::vector<TransferPair> pairs, int64_t amount) : pairs_(std::move(pairs)), amount_(amount) {
  if (pairs_.size() >= kFirstControlRequestId) throw std::invalid_argument("too many transfer calls for u32 request ids");
  for (size_t i = 0; i < pairs_.size(); ++i) {
    const size_t before = bytes_.size();
    v2::EncodeClientMessage(
        v2::CallReducer{uint32_t(i), v2::CallFlags::kDefault, "transfer", TransferArgs(pairs_[i].from, pairs_[i].to, amount)},
        bytes_);
    if (i == 0) {
      message_size_ = bytes_.size();
      bytes_.reserve(message_size_ * pairs_.size());
    } else if (bytes_.size() - before != message_size_) {
      throw std::logic_error("transfer calls differ in length");
    }
  }
}

}  // namespace stdb::bench::keynote
