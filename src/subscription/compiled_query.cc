#include "subscription/compiled_query.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "sql/execution/index_target.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/query_executor.h"
#include "sql/planner/access_path.h"

namespace stdb::subscription {

Error QueryError(const Error& error, std::string_view sql) {
  return Error(error.code(), error.message() + ", executing: `" + std::string(sql) + "`");
}

CompiledQuery::CompiledQuery(QueryKey key, sql::Statement statement, sql::QueryParameters params,
                             std::unique_ptr<DeltaEvaluator> delta)
    : key_(std::move(key)), statement_(std::move(statement)), params_(std::move(params)), delta_(std::move(delta)) {
  const table::TableSchema& table = statement_.query().ReturnTable();
  table_id_ = table.table_id;
  table_name_ = table.name;
  returns_event_ = table.is_event;
  ComputeTriggers();
}

Result<std::shared_ptr<const CompiledQuery>> CompiledQuery::Compile(std::string_view text,
                                                                    const sql::CallerContext& caller,
                                                                    const sql::SchemaSource& schema) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
    return QueryError(Error(ErrorCode::kInvalidArgument, "Empty string"), text);
  sql::CompileOptions options;
  options.language = sql::Language::kSubscription;
  options.caller = caller;
  Result<sql::Statement> statement = sql::Compile(text, schema, options);
  if (!statement.ok()) return QueryError(statement.error(), text);
  if (!statement->is_query() || statement->query().output.kind != sql::QueryOutput::Kind::kRows)
    return QueryError(Error(ErrorCode::kUnsupported,
                            "Column projections are not supported in subscriptions; Subscriptions must return a "
                            "table type"),
                      text);
  auto delta = DeltaEvaluator::Create(statement->query());
  if (!delta.ok()) return QueryError(delta.error(), text);
  // Per-caller when the result depends on who asks (spec/data-layer.md §5.3).
  bool per_caller = caller.is_owner || statement->query().uses_sender;
  QueryKey key = per_caller ? QueryKey::ForCaller(text, caller.identity, caller.is_owner) : QueryKey::Shared(text);
  sql::QueryParameters params = per_caller ? sql::QueryParameters(caller.identity) : sql::QueryParameters();
  return std::shared_ptr<const CompiledQuery>(
      new CompiledQuery(std::move(key), std::move(*statement), std::move(params), std::move(delta).value()));
}

void CompiledQuery::ComputeTriggers() {
  const sql::LogicalQuery& q = statement_.query();
  for (const sql::QueryFragment& f : q.fragments) {
    for (uint32_t r = 0; r < f.relations.size(); ++r) {
      const table::TableSchema& schema = *f.relations[r].schema;
      auto it = std::find_if(triggers_.begin(), triggers_.end(),
                             [&](const TableTrigger& t) { return t.table_id == schema.table_id; });
      if (it == triggers_.end()) {
        triggers_.push_back(TableTrigger{schema.table_id, false, {}});
        it = triggers_.end() - 1;
      }
      if (it->any_row) continue;
      // The first usable equality with a constant on this relation.
      std::optional<std::pair<table::ColId, sats::Bytes>> found;
      for (size_t c = 0; c < f.conjuncts.size() && !found; ++c) {
        const sql::BoundExpr& e = *f.conjuncts[c];
        if (e.Relations() != sql::RelationBit(r)) continue;
        auto term = sql::AsSargable(e, r, c);
        if (!term || term->op != sql::CompareOp::kEq) continue;
        if (schema.columns[term->column].type.IsFloat()) continue;
        sats::Bytes value;
        if (term->value.kind == sql::Operand::Kind::kLiteral) {
          value = sats::bsatn::EncodeValue(term->value.value);
        } else {
          sats::ByteSpan sender = sql::KeyValue::From(term->value).Get(params_);
          value.assign(sender.begin(), sender.end());
        }
        found.emplace(term->column, std::move(value));
      }
      if (!found) {
        it->any_row = true;
        it->equalities.clear();
      } else if (std::find(it->equalities.begin(), it->equalities.end(), *found) == it->equalities.end()) {
        it->equalities.push_back(std::move(*found));
      }
    }
  }
}

Result<sql::ExecutionStats> CompiledQuery::Evaluate(const datastore::DatabaseView& view,
                                                     const std::function<bool(sats::ByteSpan)>& on_row) const {
  return sql::ExecutePlan(statement_.plan(), view, params_, {}, on_row);
}

uint64_t CompiledQuery::EstimateRowsScanned(const datastore::DatabaseView& view) const {
  sql::EstimationContext ctx(view);
  return statement_.plan().root->EstimateRowsScanned(ctx);
}

}  // namespace stdb::subscription
