#include "subscription/query_update.h"

#include "subscription/bsatn_rows.h"

namespace stdb::subscription {

void QueryUpdate::Encode() const {
  std::call_once(encoded_once_, [this] {
    encoded_inserts_ = std::make_shared<const sats::Bytes>(EncodeBsatnRowList(inserts_));
    encoded_deletes_ = std::make_shared<const sats::Bytes>(EncodeBsatnRowList(deletes_));
  });
}

const std::shared_ptr<const sats::Bytes>& QueryUpdate::EncodedInserts() const {
  Encode();
  return encoded_inserts_;
}

const std::shared_ptr<const sats::Bytes>& QueryUpdate::EncodedDeletes() const {
  Encode();
  return encoded_deletes_;
}

}  // namespace stdb::subscription
