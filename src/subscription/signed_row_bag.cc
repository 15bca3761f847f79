#include "subscription/signed_row_bag.h"

namespace stdb::subscription {

void SignedRowBag::Add(sats::ByteSpan row, int64_t count) {
  std::string_view key(reinterpret_cast<const char*>(row.data()), row.size());
  auto it = index_.find(key);
  if (it != index_.end()) {
    counts_[it->second] += count;
    return;
  }
  rows_.emplace_back(key);
  counts_.push_back(count);
  index_.emplace(std::string_view(rows_.back()), uint32_t(rows_.size() - 1));
}

void SignedRowBag::Emit(datastore::RowList& inserts, datastore::RowList& deletes) const {
  for (size_t i = 0; i < rows_.size(); ++i) {
    int64_t n = counts_[i];
    if (n == 0) continue;
    sats::ByteSpan row(reinterpret_cast<const uint8_t*>(rows_[i].data()), rows_[i].size());
    datastore::RowList& target = n > 0 ? inserts : deletes;
    for (int64_t k = n > 0 ? n : -n; k > 0; --k) target.Add(row);
  }
}

void SignedRowBag::Clear() {
  index_.clear();
  rows_.clear();
  counts_.clear();
}

}  // namespace stdb::subscription
