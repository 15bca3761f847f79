// The SQL engine's public interface: compile a statement once, execute it against any database view (queries) or
// the writer's transaction (DML), or do both for the /sql route in one call.
//
//   Compile(text, schema, options)        parse -> type check -> row-level security -> plan
//   ExecuteQuery(statement, view, caller) rows of a SELECT/SHOW, as BSATN in the statement's result type
//   ExecuteDml(statement, tx, caller)     INSERT/UPDATE/DELETE/SET on a MutTx; rows affected
//   RunSql(text, datastore, caller)       the /sql route: compiles, runs on a snapshot or in a committed
//                                          transaction, and returns the response (sql_response.h) and TxData
//
// Access rules (spec/data-layer.md §4.2-4.4, §5.8): only the owner may run DML; private tables exist only for the
// owner; for everyone else row-level security is compiled into the statement and the st_var row limit is checked
// before a query runs. A statement is compiled for one kind of caller (owner or not) and refuses to run for the
// other, but is otherwise shared by all callers: :sender is bound at execution.
//
// Lower layers, for the subscription engine: planner.h (PlanQuery with row lists in place of tables) and
// query_executor.h (ExecutePlan).
//
// Thread-safety: a Statement is immutable and may be executed concurrently; ExecuteQuery runs on any thread that
// may read the view; ExecuteDml and RunSql run on the database thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datastore/datastore.h"
#include "datastore/mut_tx.h"
#include "sats/result.h"
#include "sql/binder/binder.h"
#include "sql/binder/schema_source.h"
#include "sql/caller.h"
#include "sql/execution/dml_executor.h"
#include "sql/planner/logical_query.h"
#include "sql/planner/planner.h"
#include "sql/sql_response.h"

namespace stdb::sql {

struct CompileOptions {
  Language language = Language::kSql;
  CallerContext caller;
};

class Statement {
 public:
  enum class Kind { kQuery, kInsert, kUpdate, kDelete };

  Kind kind() const { return impl_->kind; }
  bool is_query() const { return impl_->kind == Kind::kQuery; }
  // SELECT/SHOW: the query; UPDATE/DELETE: the rows they change. Not for INSERT.
  const LogicalQuery& query() const { return impl_->query; }
  const PhysicalPlan& plan() const { return *impl_->plan; }
  // The type of a result row (queries), e.g. (id: U32, name: String).
  const sats::ProductType& result_type() const { return impl_->result_type; }
  bool compiled_for_owner() const { return impl_->for_owner; }
  // The table a DML statement changes.
  const table::TableSchema& dml_table() const { return *impl_->table; }
  // The logical query and the operator tree, for tests and debugging.
  std::string Explain() const;

 private:
  friend Result<Statement> Compile(std::string_view, const SchemaSource&, const CompileOptions&);
  friend Result<DmlStats> ExecuteDml(const Statement&, datastore::MutTx&, const CallerContext&);
  struct Impl {
    Kind kind = Kind::kQuery;
    bool for_owner = false;
    LogicalQuery query;
    std::unique_ptr<PhysicalPlan> plan;
    sats::ProductType result_type;
    std::shared_ptr<const table::TableSchema> table;
    std::vector<sats::ProductValue> insert_rows;
    std::vector<std::pair<table::ColId, sats::AlgebraicValue>> assignments;
  };
  explicit Statement(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

Result<Statement> Compile(std::string_view sql, const SchemaSource& schema, const CompileOptions& options);

struct QueryResult {
  sats::ProductType schema;
  datastore::RowList rows;  // BSATN rows of `schema`
  uint64_t rows_scanned = 0;

  // The rows decoded, for callers that want values (tests, JSON).
  Result<std::vector<sats::ProductValue>> Values() const;
};

Result<QueryResult> ExecuteQuery(const Statement& statement, const datastore::DatabaseView& view,
                                 const CallerContext& caller);

Result<DmlStats> ExecuteDml(const Statement& statement, datastore::MutTx& tx, const CallerContext& caller);

struct SqlOutcome {
  SqlResponse response;
  std::optional<datastore::TxData> tx_data;  // DML: the committed transaction (for durability and subscribers)
};

// The /sql route. Must run on the database thread with no transaction open.
Result<SqlOutcome> RunSql(std::string_view sql, datastore::Datastore& datastore, const CallerContext& caller);

}  // namespace stdb::sql
