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

namespace {

// The first equality `r.c = constant` on relation r of `f` usable for pruning: (c, BSATN of the constant).
std::optional<std::pair<table::ColId, sats::Bytes>> ConstantEquality(const sql::QueryFragment& f, uint32_t r,
                                                                      const sql::QueryParameters& params) {
  const table::TableSchema& schema = *f.relations[r].schema;
  for (size_t c = 0; c < f.conjuncts.size(); ++c) {
    const sql::BoundExpr& e = *f.conjuncts[c];
    if (e.Relations() != sql::RelationBit(r)) continue;
    auto term = sql::AsSargable(e, r, c);
    if (!term || term->op != sql::CompareOp::kEq) continue;
    if (schema.columns[term->column].type.IsFloat()) continue;
    sats::Bytes value;
    if (term->value.kind == sql::Operand::Kind::kLiteral) {
      value = sats::bsatn::EncodeValue(term->value.value);
    } else {
      sats::ByteSpan sender = sql::KeyValue::From(term->value).Get(params);
      value.assign(sender.begin(), sender.end());
    }
    return std::make_pair(term->column, std::move(value));
  }
  return std::nullopt;
}

// A join `r.c = s.d` to a relation s fixed by a constant, with an index on s.d to find the partner of a row.
std::optional<JoinTrigger> JoinedEquality(const sql::QueryFragment& f, uint32_t r, const sql::QueryParameters& params) {
  for (const sql::BoundExprPtr& e : f.conjuncts) {
    if (e->kind != sql::BoundExpr::Kind::kCompare || e->op != sql::CompareOp::kEq || !e->left.is_column() ||
        !e->right.is_column() || e->left.relation == e->right.relation)
      continue;
    const sql::Operand* mine = e->left.relation == r ? &e->left : e->right.relation == r ? &e->right : nullptr;
    if (!mine) continue;
    const sql::Operand* other = mine == &e->left ? &e->right : &e->left;
    const table::TableSchema& schema = *f.relations[other->relation].schema;
    if (schema.is_event) continue;
    auto fixed = ConstantEquality(f, other->relation, params);
    if (!fixed) continue;
    auto probe = sql::IndexForJoin(schema, other->column, {});
    if (!probe) continue;
    return JoinTrigger{mine->column, schema.table_id, sql::IndexTarget::For(schema, *probe->index), fixed->first,
                       std::move(fixed->second)};
  }
  return std::nullopt;
}

}  // namespace

void CompiledQuery::ComputeTriggers() {
  const sql::LogicalQuery& q = statement_.query();
  for (const sql::QueryFragment& f : q.fragments) {
    for (uint32_t r = 0; r < f.relations.size(); ++r) {
      table::TableId table_id = f.relations[r].table_id();
      auto it = std::find_if(triggers_.begin(), triggers_.end(),
                             [&](const TableTrigger& t) { return t.table_id == table_id; });
      if (it == triggers_.end()) {
        triggers_.push_back(TableTrigger{table_id, false, {}, {}});
        it = triggers_.end() - 1;
      }
      if (it->any_row) continue;
      if (auto eq = ConstantEquality(f, r, params_)) {
        if (std::find(it->equalities.begin(), it->equalities.end(), *eq) == it->equalities.end())
          it->equalities.push_back(std::move(*eq));
      } else if (auto join = JoinedEquality(f, r, params_)) {
        bool known = false;
        for (const JoinTrigger& j : it->joins) known |= j.SameEdge(*join) && j.value == join->value;
        if (!known) it->joins.push_back(std::move(*join));
      } else {
        it->any_row = true;
        it->equalities.clear();
        it->joins.clear();
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
