// CompiledQuery: one subscription query, compiled once for one kind of caller and shared by all its subscribers:
// the SQL statement (base plan, for initial rows and dropped rows), the delta evaluator (delta_evaluator.h), the
// table whose rows it returns, and what pruning needs to know (spec/data-layer.md §5.1-5.4).
//
// Compilation uses the SQL engine in its subscription language, for the owner or for a client as the caller is:
// for a client, private tables do not exist and row-level-security rules are expanded into the query; the owner
// sees everything. Then the query must be maintainable incrementally (DeltaEvaluator::CheckQuery). Errors carry
// the reference's wording, with the query appended: "<error>, executing: `<sql>`".
//
// Pruning (§5.4). For each table the query reads, `triggers()` says which changed rows of that table can affect
// the result: any row, or only rows whose column c holds value v for one of a few (c, v) pairs. The pairs come
// from equality conditions `r.c = literal` / `r.c = :sender` on every relation r over that table (in every
// fragment, RLS included). A relation without such a condition may still be tied to one through a join: in
// `SELECT f.* FROM f JOIN l ON f.e = l.e WHERE l.chunk = 5` a changed row of f matters only if the row of l with
// the same e (found through l's index on e in the state after the transaction) has chunk 5 (JoinTrigger). This is
// exact: a joined row deleted by the same transaction triggers the query through its own table's equality. If
// some relation over the table has neither, any change may matter. Values are compared as BSATN bytes, which is
// exact for every comparable type except floats (0.0 = -0.0), so float columns are not used.
//
// Thread-safety: immutable after Compile; Evaluate and the delta evaluator may run on any thread that may read
// the view.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "datastore/database_view.h"
#include "datastore/tx_data.h"
#include "sats/result.h"
#include "sql/binder/schema_source.h"
#include "sql/caller.h"
#include "sql/execution/index_target.h"
#include "sql/execution/execution_context.h"
#include "sql/execution/query_executor.h"
#include "sql/sql_engine.h"
#include "subscription/delta_evaluator.h"
#include "subscription/query_key.h"

namespace stdb::subscription {

// A changed row of a table matters to a query only if the row of `other_table` it joins with (other.join column =
// row.column, found through `other_index`, whose first column is that join column) holds `value` in
// `other_column`: the reference's join edges (spec/data-layer.md §5.4), for any join column with an index.
struct JoinTrigger {
  table::ColId column = 0;
  table::TableId other_table = 0;
  sql::IndexTarget other_index;
  table::ColId other_column = 0;
  sats::Bytes value;
  // Same edge (all but the value).
  bool SameEdge(const JoinTrigger& o) const {
    return column == o.column && other_table == o.other_table && other_index.index_id == o.other_index.index_id &&
           other_column == o.other_column;
  }
};

// Which changes of one table may affect a query: any row, or only rows matching one of the equalities or join
// triggers (one per relation over the table).
struct TableTrigger {
  table::TableId table_id = 0;
  bool any_row = true;
  std::vector<std::pair<table::ColId, sats::Bytes>> equalities;
  std::vector<JoinTrigger> joins;
};

class CompiledQuery {
 public:
  // Compiles `text` (as keyed: callers trim it first where the protocol says so) for `caller`.
  static Result<std::shared_ptr<const CompiledQuery>> Compile(std::string_view text, const sql::CallerContext& caller,
                                                              const sql::SchemaSource& schema);

  const QueryKey& key() const { return key_; }
  const std::string& text() const { return key_.text; }
  bool compiled_for_owner() const { return statement_.compiled_for_owner(); }
  const sql::Statement& statement() const { return statement_; }
  const sql::LogicalQuery& query() const { return statement_.query(); }
  // The :sender of per-caller queries (a zero identity for shared ones, which do not read it).
  const sql::QueryParameters& params() const { return params_; }

  // The table whose rows the query returns.
  table::TableId table_id() const { return table_id_; }
  const std::string& table_name() const { return table_name_; }
  bool returns_event_table() const { return returns_event_; }
  // Every table the query reads (after row-level security), each once, and which of their changes matter.
  const std::vector<TableTrigger>& triggers() const { return triggers_; }

  // The whole result on `view`: calls `on_row` with each row (valid during the call; return false to stop).
  Result<sql::ExecutionStats> Evaluate(const datastore::DatabaseView& view,
                                       const std::function<bool(sats::ByteSpan)>& on_row) const;
  // The planner's estimate of rows scanned by Evaluate, for the row limit (§4.4).
  uint64_t EstimateRowsScanned(const datastore::DatabaseView& view) const;

  // The change `tx` made to the result; `after` is the state right after `tx`.
  Status EvaluateDelta(const datastore::TxData& tx, const datastore::DatabaseView& after, DeltaResult& out,
                       DeltaStats& stats) const {
    return delta_->Evaluate(tx, after, params_, out, stats);
  }
  const DeltaEvaluator& delta_evaluator() const { return *delta_; }

 private:
  CompiledQuery(QueryKey key, sql::Statement statement, sql::QueryParameters params,
                std::unique_ptr<DeltaEvaluator> delta);
  void ComputeTriggers();

  QueryKey key_;
  sql::Statement statement_;
  sql::QueryParameters params_;
  std::unique_ptr<DeltaEvaluator> delta_;
  table::TableId table_id_ = 0;
  std::string table_name_;
  bool returns_event_ = false;
  std::vector<TableTrigger> triggers_;
};

// "<message>, executing: `<sql>`", the reference's form of errors about one subscription query.
Error QueryError(const Error& error, std::string_view sql);

}  // namespace stdb::subscription
