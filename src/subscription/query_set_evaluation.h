// QuerySetEvaluation: the full results of some subscription queries on one consistent view — the initial rows of
// a new subscription (sent as SubscribeApplied) or the rows leaving an unsubscribed one (UnsubscribeApplied with
// SendDroppedRows) (spec/data-layer.md §5.7, spec/client-protocol.md §4.3).
//
// The subscription manager registers or removes a subscription on the database thread and hands back one of
// these, bound to a snapshot taken at that same moment; the evaluation itself can then run on any thread while
// the database thread goes on committing. Because the snapshot and the registration belong to the same instant,
// every transaction after it reaches the subscriber as an update and none before it does: the server has to
// deliver the rows of this evaluation before those updates (see subscription_manager.h).
//
// Thread-safety: immutable; Stream and Collect may run on any thread, concurrently.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "datastore/database_view.h"
#include "datastore/tx_data.h"
#include "sats/result.h"
#include "subscription/compiled_query.h"

namespace stdb::subscription {

// The rows of one query: whole rows of its table (query->table_name()), as BSATN.
struct QueryRows {
  std::shared_ptr<const CompiledQuery> query;
  datastore::RowList rows;
};

class QuerySetEvaluation {
 public:
  QuerySetEvaluation(std::vector<std::shared_ptr<const CompiledQuery>> queries,
                     std::shared_ptr<const datastore::DatabaseView> view)
      : queries_(std::move(queries)), view_(std::move(view)) {}

  const std::vector<std::shared_ptr<const CompiledQuery>>& queries() const { return queries_; }
  // The view the rows are read from (null when the caller asked for no rows).
  const std::shared_ptr<const datastore::DatabaseView>& view() const { return view_; }

  // Calls on_row(query index, row) for every row of every query, in query order; the row is valid during the
  // call; returning false stops.
  Status Stream(const std::function<bool(size_t query, sats::ByteSpan row)>& on_row) const;
  // Every query's rows.
  Result<std::vector<QueryRows>> Collect() const;

 private:
  std::vector<std::shared_ptr<const CompiledQuery>> queries_;
  std::shared_ptr<const datastore::DatabaseView> view_;
};

}  // namespace stdb::subscription
