// ExecutionContext: everything one execution of a physical plan reads besides the plan itself — the database
// view, the caller's parameters (:sender), the row lists bound to relations (subscription deltas), the first
// error, and counters.
//
// Plans are immutable and may run concurrently; all per-execution state lives here.
//
// Thread-safety: one execution, one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datastore/database_view.h"
#include "datastore/tx_data.h"
#include "sats/special_types.h"
#include "table/table.h"

namespace stdb::sql {

// The values of the query parameters for one caller, encoded for comparison with column bytes.
class QueryParameters {
 public:
  QueryParameters() : QueryParameters(sats::Identity()) {}
  explicit QueryParameters(const sats::Identity& sender);
  const sats::Identity& sender() const { return sender_; }
  // :sender as the BSATN of an Identity (32 little-endian bytes) or of Array<U8> (the 32 big-endian bytes, like
  // the reference, which substitutes the identity's hex text).
  sats::ByteSpan SenderBsatn(bool as_bytes) const { return as_bytes ? sender_bytes_ : sender_identity_; }

 private:
  sats::Identity sender_;
  sats::Bytes sender_identity_;
  sats::Bytes sender_bytes_;
};

class ExecutionContext {
 public:
  // `row_lists[r]`, when present and not null, replaces the table of relation r.
  ExecutionContext(const datastore::DatabaseView& view, const QueryParameters& params,
                   std::vector<const datastore::RowList*> row_lists = {})
      : view_(view), params_(params), row_lists_(std::move(row_lists)) {}

  const datastore::DatabaseView& view() const { return view_; }
  const QueryParameters& params() const { return params_; }
  const datastore::RowList* RowList(uint32_t relation) const {
    return relation < row_lists_.size() ? row_lists_[relation] : nullptr;
  }

  // The table or index of the view; on failure records an error (the plan was made for another schema).
  const table::TableView* Table(table::TableId id, const std::string& name);
  const table::TableIndex::View* Index(const table::TableView& table, table::IndexId id, const std::string& name);

  // Records the first error; returns false so operators can `return ctx.Fail(...)` to stop.
  bool Fail(Error error);
  const Status& status() const { return status_; }

  uint64_t rows_scanned = 0;

 private:
  const datastore::DatabaseView& view_;
  const QueryParameters& params_;
  std::vector<const datastore::RowList*> row_lists_;
  Status status_;
};

}  // namespace stdb::sql
