#include "sql/sql_engine.h"

#include <chrono>

#include "sql/binder/row_level_security.h"
#include "sql/execution/query_executor.h"
#include "sql/parser/parser.h"

namespace stdb::sql {

std::string Statement::Explain() const {
  std::string out;
  if (impl_->kind == Kind::kInsert) return "Insert into " + impl_->table->name + " (" +
                                           std::to_string(impl_->insert_rows.size()) + " rows)\n";
  if (impl_->kind == Kind::kUpdate) out = "Update " + impl_->table->name + "\n";
  if (impl_->kind == Kind::kDelete) out = "Delete from " + impl_->table->name + "\n";
  out += impl_->query.ToString() + "\n";
  out += impl_->plan->Explain();
  return out;
}

Result<Statement> Compile(std::string_view sql, const SchemaSource& schema, const CompileOptions& options) {
  BindOptions bind;
  bind.language = options.language;
  bind.caller_is_owner = options.caller.is_owner;
  Result<BoundStatement> bound = Error(ErrorCode::kInternal, "");
  if (options.language == Language::kSubscription) {
    STDB_ASSIGN_OR_RETURN(parser::SelectStmt select, parser::ParseSubscription(sql));
    STDB_ASSIGN_OR_RETURN(LogicalQuery query, BindSelect(select, schema, bind));
    bound = BoundStatement(SelectStatement{std::move(query)});
  } else {
    STDB_ASSIGN_OR_RETURN(parser::Statement parsed, parser::ParseSql(sql));
    bound = Bind(parsed, schema, bind);
  }
  if (!bound.ok()) return std::move(bound).error();

  auto impl = std::make_shared<Statement::Impl>();
  impl->for_owner = options.caller.is_owner;
  auto plan_target = [&](LogicalQuery query) -> Status {
    STDB_ASSIGN_OR_RETURN(impl->plan, PlanQuery(query, &schema));
    impl->query = std::move(query);
    return OkStatus();
  };
  Status status = std::visit(
      [&](auto& stmt) -> Status {
        using T = std::decay_t<decltype(stmt)>;
        if constexpr (std::is_same_v<T, SelectStatement>) {
          impl->kind = Statement::Kind::kQuery;
          LogicalQuery query = std::move(stmt.query);
          if (!options.caller.is_owner) {
            STDB_ASSIGN_OR_RETURN(query, ApplyRowLevelSecurity(std::move(query), schema));
          }
          impl->result_type = query.ResultType();
          return plan_target(std::move(query));
        } else if constexpr (std::is_same_v<T, InsertStatement>) {
          impl->kind = Statement::Kind::kInsert;
          impl->table = stmt.table;
          impl->insert_rows = std::move(stmt.rows);
          return OkStatus();
        } else if constexpr (std::is_same_v<T, UpdateStatement>) {
          impl->kind = Statement::Kind::kUpdate;
          impl->table = stmt.table;
          impl->assignments = std::move(stmt.assignments);
          return plan_target(std::move(stmt.target));
        } else {
          impl->kind = Statement::Kind::kDelete;
          impl->table = stmt.table;
          return plan_target(std::move(stmt.target));
        }
      },
      *bound);
  if (!status.ok()) return std::move(status).error();
  return Statement(std::move(impl));
}

Result<std::vector<sats::ProductValue>> QueryResult::Values() const {
  std::vector<sats::ProductValue> values;
  values.reserve(rows.size());
  sats::AlgebraicType type = sats::AlgebraicType::Product(schema);
  for (sats::ByteSpan row : rows) {
    STDB_ASSIGN_OR_RETURN(sats::AlgebraicValue v, sats::bsatn::DecodeValue(type, row));
    values.push_back(std::move(v.AsProduct()));
  }
  return values;
}

namespace {

Status CheckCaller(const Statement& statement, const CallerContext& caller) {
  if (statement.compiled_for_owner() != caller.is_owner)
    return Error(ErrorCode::kPermissionDenied,
                 std::string("statement was compiled for ") + (statement.compiled_for_owner() ? "the owner" : "a client") +
                     " and cannot run for " + (caller.is_owner ? "the owner" : "a client"));
  return OkStatus();
}

}  // namespace

Result<QueryResult> ExecuteQuery(const Statement& statement, const datastore::DatabaseView& view,
                                 const CallerContext& caller) {
  if (!statement.is_query())
    return Error(ErrorCode::kInvalidArgument, "not a query: INSERT, UPDATE and DELETE run with ExecuteDml");
  STDB_RETURN_IF_ERROR(CheckCaller(statement, caller));
  if (!caller.is_owner) {
    STDB_ASSIGN_OR_RETURN(std::optional<uint64_t> limit, ReadRowLimit(view));
    if (limit) STDB_RETURN_IF_ERROR(CheckRowLimit(statement.plan(), view, *limit));
  }
  QueryResult result;
  result.schema = statement.result_type();
  QueryParameters params(caller.identity);
  STDB_ASSIGN_OR_RETURN(ExecutionStats stats, ExecutePlan(statement.plan(), view, params, {}, [&](sats::ByteSpan row) {
                          result.rows.Add(row);
                          return true;
                        }));
  result.rows_scanned = stats.rows_scanned;
  return result;
}

Result<DmlStats> ExecuteDml(const Statement& statement, datastore::MutTx& tx, const CallerContext& caller) {
  if (statement.is_query()) return Error(ErrorCode::kInvalidArgument, "a query is not DML: run it with ExecuteQuery");
  if (!caller.is_owner)
    return Error(ErrorCode::kPermissionDenied,
                 "Caller " + caller.identity.ToHex() + " is not authorized to run SQL DML statements");
  STDB_RETURN_IF_ERROR(CheckCaller(statement, caller));
  const Statement::Impl& s = *statement.impl_;
  QueryParameters params(caller.identity);
  switch (s.kind) {
    case Statement::Kind::kInsert: return ExecuteInsert(tx, s.table->table_id, s.insert_rows);
    case Statement::Kind::kDelete: return ExecuteDelete(tx, s.table->table_id, *s.plan, params);
    case Statement::Kind::kUpdate: return ExecuteUpdate(tx, *s.table, *s.plan, s.assignments, params);
    default: return Error(ErrorCode::kInternal, "unknown statement kind");
  }
}

Result<SqlOutcome> RunSql(std::string_view sql, datastore::Datastore& datastore, const CallerContext& caller) {
  auto start = std::chrono::steady_clock::now();
  SqlOutcome outcome;
  std::shared_ptr<const datastore::DatabaseView> snapshot = datastore.TakeSnapshot();
  Result<Statement> statement = [&] {
    DatabaseViewSchema schema(*snapshot);
    CompileOptions options;
    options.caller = caller;
    return Compile(sql, schema, options);
  }();
  if (!statement.ok()) return std::move(statement).error();
  if (statement->is_query()) {
    STDB_ASSIGN_OR_RETURN(QueryResult result, ExecuteQuery(*statement, *snapshot, caller));
    outcome.response.schema = result.schema;
    STDB_ASSIGN_OR_RETURN(outcome.response.rows, result.Values());
  } else {
    // Release the snapshot first: while it lives, every page the transaction touches is copied.
    snapshot.reset();
    STDB_ASSIGN_OR_RETURN(std::unique_ptr<datastore::MutTx> tx, datastore.BeginMutTx());
    auto stats = ExecuteDml(*statement, *tx, caller);
    if (!stats.ok()) {
      tx->Rollback();
      return std::move(stats).error();
    }
    outcome.response.stats = *stats;
    outcome.tx_data = tx->Commit();
  }
  outcome.response.total_duration_micros = uint64_t(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
  return outcome;
}

}  // namespace stdb::sql
