// SignedRowBag: rows with signed multiplicities, for evaluating the change of a join query (bag semantics,
// spec/data-layer.md §5.6).
//
// Each delta fragment of a join yields rows with a sign (+1 for rows it adds, -1 for rows it removes); the same
// row may come from several fragments and several join partners. The bag sums the signs per distinct row (by its
// BSATN bytes); what remains is the net change: a row with count +n is sent n times as an insert, -n as n
// deletes, 0 not at all. Rows are emitted in the order they were first seen, so results are deterministic.
//
// Thread-safety: a single-threaded value.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "datastore/tx_data.h"
#include "sats/bsatn.h"

namespace stdb::subscription {

class SignedRowBag {
 public:
  // Adds `count` (positive or negative) occurrences of `row`.
  void Add(sats::ByteSpan row, int64_t count);
  // Number of distinct rows seen (including those that cancelled out).
  size_t distinct() const { return rows_.size(); }
  // Appends each row with a positive net count to `inserts` and each with a negative one to `deletes`, as many
  // times as the absolute count.
  void Emit(datastore::RowList& inserts, datastore::RowList& deletes) const;
  void Clear();

 private:
  std::deque<std::string> rows_;  // stable addresses: the map's keys point into these strings
  std::vector<int64_t> counts_;
  absl::flat_hash_map<std::string_view, uint32_t> index_;
};

}  // namespace stdb::subscription
