// SubscriptionManager: the subscriptions of one database — which clients subscribe to which queries — and, after
// every transaction, the rows each of them must receive (spec/data-layer.md §5, spec/client-protocol.md §4.3).
//
// Queries are shared. A query is keyed by its text and, when its result depends on the caller, by the caller
// (query_key.h); it is compiled once (CompiledQuery) and, however many clients and subscriptions hold it, evaluated
// once per transaction, its changes kept once (QueryUpdate, with its wire encoding built once) and handed to every
// subscriber. Each client keeps a reference count per query, so overlapping subscriptions keep a query alive until
// the last goes; a query with no subscriber left is dropped.
//
// After a transaction, OnCommit evaluates only the queries the transaction can affect: those reading a changed
// table, and among queries with equality filters only those whose constants match a changed row, or the row a
// changed row joins with (PruningIndex).
// Each evaluation works from the transaction's rows (DeltaEvaluator). The result is plain data for the server:
// per affected client, per subscription, per table, the QueryUpdates to send (never an empty one). v2 clients get
// one QuerySetUpdate per affected query set (a query held by two of a client's sets appears in both); v1 clients
// get each query once. The server sends a v2 caller its own ClientUpdate inside ReducerResult instead of a
// TransactionUpdate. If a query fails to evaluate, each subscription holding it is reported in `failures` and
// removed (the server sends SubscriptionError with no request id), and nothing else of those subscriptions is
// sent for that transaction.
//
// Subscribing without stalling the writer. A subscription is made in three steps:
//   1. Prepare (any thread): compile the queries, reusing compiled queries the manager already holds. Compile
//      errors (bad SQL, unknown or private tables, projections, COUNT, LIMIT, missing join indexes) end here and
//      register nothing.
//   2. Register (database thread, between two commits): take a snapshot of the state at that same moment — no
//      commit in between — and pass it in. The manager checks the row limit, records the subscription and
//      returns a QuerySetEvaluation bound to the snapshot. From then on OnCommit includes the subscription.
//   3. QuerySetEvaluation::Collect or Stream (any thread): the initial rows, read from the snapshot, while the
//      database thread keeps committing.
// Since the snapshot is the state after the last transaction OnCommit has seen and before the next, the initial
// rows plus the updates of every later transaction are exactly the subscriber's view: nothing missed, nothing
// twice. The contract for the server: hold the updates of that subscription (as produced by OnCommit, in order)
// until SubscribeApplied with the initial rows has been sent, then send them. If step 3 fails, call Unsubscribe
// without a view on the database thread, drop the held updates and send SubscriptionError. Register verifies the
// snapshot: its tx offset must follow the last transaction given to OnCommit. Subscribe does all three steps at
// once on the database thread.
// Unsubscribe mirrors this: it removes the subscription at once and returns the evaluation of the rows that leave
// (v2: every query of the set; v1: the queries the client no longer holds), to be run on a snapshot of that
// moment; with no view it returns no rows.
//
// Thread-safety: Prepare may be called from any thread at any time. Everything else runs on the database thread
// (or under one external lock).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "datastore/database_view.h"
#include "datastore/tx_data.h"
#include "sats/result.h"
#include "sql/caller.h"
#include "subscription/client_id.h"
#include "subscription/compiled_query.h"
#include "subscription/pruning_index.h"
#include "subscription/query_key.h"
#include "subscription/query_set_evaluation.h"
#include "subscription/query_update.h"

namespace stdb::subscription {

struct PrepareOptions {
  // Trim each query's text first (v2 and every multi-query request); v1 SubscribeSingle keeps it as sent.
  bool trim = true;
  // Expand `SELECT * FROM *` into one query per user table the caller can read (multi-query requests only).
  bool allow_all_tables = true;
};

// Compiled queries of one request, for one caller, without duplicates, in request order.
struct PreparedQueries {
  sql::CallerContext caller;
  std::vector<std::shared_ptr<const CompiledQuery>> queries;
};

// The changes of one table within one subscription: one QueryUpdate per query over the table (a v2 TableUpdate
// with one TableUpdateRows per query). Small inline vectors: a transaction usually reaches each client through one
// subscription, one table and one query, and fan-out to thousands of clients should not allocate per client.
struct TableUpdate {
  table::TableId table_id = 0;
  absl::InlinedVector<std::shared_ptr<const QueryUpdate>, 1> queries;  // never empty
  const std::string& table_name() const { return queries.front()->table_name(); }
};

struct QuerySetUpdate {
  uint32_t query_set_id = 0;
  absl::InlinedVector<TableUpdate, 1> tables;
};

struct ClientUpdate {
  ClientId client;
  absl::InlinedVector<QuerySetUpdate, 1> query_sets;  // v2 subscriptions
  std::vector<TableUpdate> tables;                    // v1 subscriptions: each query once
};

struct SubscriptionFailure {
  ClientId client;
  SubscriptionId subscription;
  std::string error;
};

struct CommitUpdates {
  std::optional<uint64_t> tx_offset;
  std::vector<ClientUpdate> clients;  // only clients with something to receive
  std::vector<SubscriptionFailure> failures;

  const ClientUpdate* Find(const ClientId& client) const;
};

struct SubscriptionStats {
  uint64_t commits = 0;
  uint64_t queries_evaluated = 0;  // delta evaluations: at most one per distinct query per commit
  uint64_t fragments_run = 0;      // delta fragment plans executed
  uint64_t rows_scanned = 0;
  uint64_t query_updates = 0;      // non-empty QueryUpdates produced
  uint64_t client_updates = 0;     // ClientUpdates produced
};

class SubscriptionManager {
 public:
  SubscriptionManager();
  ~SubscriptionManager();
  SubscriptionManager(const SubscriptionManager&) = delete;
  SubscriptionManager& operator=(const SubscriptionManager&) = delete;

  // --- any thread ---
  // Compiles `texts` for `caller` against the schema of `schema_view`. The first failing query fails the whole
  // request: "<error>, executing: `<sql>`".
  Result<PreparedQueries> Prepare(const sql::CallerContext& caller, std::span<const std::string> texts,
                                  const datastore::DatabaseView& schema_view, const PrepareOptions& options = {}) const;

  // --- database thread ---
  // Registers `prepared` as subscription `id` of `client`. `state` is the state after the last commit given to
  // OnCommit (a snapshot taken now, or the current state); the returned evaluation reads it. kQuerySet and
  // kQueryId: an id already in use is an error. kLegacy replaces the client's legacy subscription. The evaluation
  // holds every query of the subscription, except for kQueryId, where it holds only the queries new to the client.
  // Fails without registering anything when the row limit is exceeded for a client (estimated rows scanned by the
  // queries not yet subscribed by anyone).
  Result<QuerySetEvaluation> Register(const ClientId& client, SubscriptionId id, const PreparedQueries& prepared,
                                      std::shared_ptr<const datastore::DatabaseView> state);
  // Prepare + Register + Collect on `view` (the current state, on the database thread).
  Result<std::vector<QueryRows>> Subscribe(const ClientId& client, const sql::CallerContext& caller,
                                           SubscriptionId id, std::span<const std::string> texts,
                                           const datastore::DatabaseView& view, const PrepareOptions& options = {});
  // Removes subscription `id` of `client` and returns the evaluation of the rows that leave it, on `state` (may be
  // null: no rows). Unknown subscription: kNotFound.
  Result<QuerySetEvaluation> Unsubscribe(const ClientId& client, SubscriptionId id,
                                         std::shared_ptr<const datastore::DatabaseView> state);
  // Removes every subscription of `client` (it disconnected).
  void RemoveClient(const ClientId& client);

  // The updates of a committed transaction; `after` is the state right after it.
  CommitUpdates OnCommit(const datastore::TxData& tx, const datastore::DatabaseView& after);
  // The same for a caller whose state is costly to build: `after` is called only when some query is subscribed.
  CommitUpdates OnCommit(const datastore::TxData& tx, const std::function<const datastore::DatabaseView&()>& after);

  // --- introspection (database thread) ---
  const SubscriptionStats& stats() const { return stats_; }
  size_t query_count() const { return queries_.size(); }
  size_t client_count() const { return clients_.size(); }
  bool HasSubscription(const ClientId& client, SubscriptionId id) const;
  // Subscriptions holding the query with this key (0 if none).
  size_t SubscriberCount(const QueryKey& key) const;

 private:
  struct ClientState;
  struct QueryState;

  QueryState* GetOrAddQuery(const std::shared_ptr<const CompiledQuery>& query);
  void DropQuery(QueryState* query);
  // Removes one subscription; returns the queries whose rows leave it.
  std::vector<std::shared_ptr<const CompiledQuery>> RemoveSubscription(ClientState* client, SubscriptionId id);
  Status CheckState(const datastore::DatabaseView& state) const;

  absl::flat_hash_map<ClientId, std::unique_ptr<ClientState>> clients_;
  absl::flat_hash_map<QueryKey, std::unique_ptr<QueryState>> queries_;
  std::vector<QueryState*> query_slots_;  // by PruningIndex query id
  std::vector<uint32_t> free_slots_;
  PruningIndex pruning_;
  std::optional<uint64_t> next_tx_offset_;  // after the last transaction seen by OnCommit
  uint64_t epoch_ = 0;
  SubscriptionStats stats_;

  // The compiled queries in use, for Prepare on other threads.
  mutable std::mutex registry_mu_;
  absl::flat_hash_map<QueryKey, std::shared_ptr<const CompiledQuery>> registry_;
};

}  // namespace stdb::subscription
