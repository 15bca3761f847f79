#include "sql/binder/row_level_security.h"

#include <algorithm>

#include "sql/parser/parser.h"

namespace stdb::sql {

namespace {

// One way a relation may be restricted: the rows of relation `returned` of `fragment`.
struct Alternative {
  QueryFragment fragment;
  uint32_t returned = 0;
};

class Expander {
 public:
  explicit Expander(const SchemaSource& schema) : schema_(schema) {}

  // The fragments equivalent to `fragment` with every rule applied, except to relations of `skip_table` (the
  // table whose rule is being expanded).
  Result<std::vector<QueryFragment>> Expand(const QueryFragment& fragment, std::optional<table::TableId> skip_table) {
    std::vector<QueryFragment> results{fragment};
    for (uint32_t i = 0; i < fragment.relations.size(); ++i) {
      table::TableId table_id = fragment.relations[i].table_id();
      if (skip_table && *skip_table == table_id) continue;
      STDB_ASSIGN_OR_RETURN(std::vector<Alternative> alternatives, AlternativesFor(fragment.relations[i]));
      if (alternatives.empty()) continue;
      std::vector<QueryFragment> expanded;
      for (const QueryFragment& base : results) {
        for (const Alternative& alt : alternatives) {
          STDB_ASSIGN_OR_RETURN(QueryFragment f, Substitute(base, i, alt));
          expanded.push_back(std::move(f));
          if (expanded.size() > kMaxRowLevelSecurityFragments)
            return Error(ErrorCode::kResourceExhausted,
                         "Row-level security expands this query into more than " +
                             std::to_string(kMaxRowLevelSecurityFragments) + " queries");
        }
      }
      results = std::move(expanded);
    }
    return results;
  }

 private:
  Result<std::vector<Alternative>> AlternativesFor(const Relation& relation) {
    table::TableId table_id = relation.table_id();
    STDB_ASSIGN_OR_RETURN(std::vector<std::string> rules, schema_.RowLevelSecurityRules(table_id));
    std::vector<Alternative> alternatives;
    if (rules.empty()) return alternatives;
    if (std::find(resolving_.begin(), resolving_.end(), table_id) != resolving_.end())
      return Error(ErrorCode::kInvalidArgument,
                   "Discovered a cyclic dependency when resolving row-level security rules for table `" +
                       relation.schema->name + "`");
    resolving_.push_back(table_id);
    std::vector<BoundExprPtr> filters;  // rules that only filter the table itself
    for (const std::string& sql : rules) {
      auto context = [&](const Error& e) {
        return Error(e.code(), "In the row-level security rule `" + sql + "` of table `" + relation.schema->name +
                                   "`: " + e.message());
      };
      auto parsed = parser::ParseSubscription(sql);
      if (!parsed.ok()) return context(parsed.error());
      BindOptions options;
      options.language = Language::kSubscription;
      options.caller_is_owner = false;
      auto rule = BindSelect(*parsed, schema_, options);
      if (!rule.ok()) return context(rule.error());
      if (rule->ReturnTable().table_id != table_id)
        return context(Error(ErrorCode::kInvalidArgument,
                             "the rule returns rows of `" + rule->ReturnTable().name + "`, not of `" +
                                 relation.schema->name + "`"));
      uint32_t returned = rule->output.relation;
      auto expanded = Expand(rule->fragments.front(), table_id);
      if (!expanded.ok()) return std::move(expanded).error();
      for (QueryFragment& f : *expanded) {
        if (f.relations.size() == 1) {
          filters.push_back(MakeAnd(f.conjuncts));
        } else {
          alternatives.push_back({std::move(f), returned});
        }
      }
    }
    resolving_.pop_back();
    if (!filters.empty()) {
      Alternative filter;
      filter.fragment.relations.push_back(relation);
      BoundExprPtr any = MakeOr(std::move(filters));
      filter.fragment.conjuncts = SplitConjuncts(any);
      if (any->kind == BoundExpr::Kind::kConstant && !any->constant) filter.fragment.conjuncts = {any};
      alternatives.insert(alternatives.begin(), std::move(filter));
    }
    return alternatives;
  }

  // `base` with relation `at` restricted by `alt`: alt's returned relation becomes `at`, its other relations are
  // appended (with fresh aliases) and its conditions added.
  Result<QueryFragment> Substitute(const QueryFragment& base, uint32_t at, const Alternative& alt) {
    QueryFragment out = base;
    std::vector<uint32_t> mapping(alt.fragment.relations.size());
    for (uint32_t k = 0; k < alt.fragment.relations.size(); ++k) {
      if (k == alt.returned) {
        mapping[k] = at;
        continue;
      }
      mapping[k] = uint32_t(out.relations.size());
      Relation r = alt.fragment.relations[k];
      r.alias += "_" + std::to_string(++alias_suffix_);
      out.relations.push_back(std::move(r));
    }
    if (out.relations.size() > kMaxRelations)
      return Error(ErrorCode::kResourceExhausted, "Row-level security expands this query to more than " +
                                                      std::to_string(kMaxRelations) + " tables");
    for (const auto& c : alt.fragment.conjuncts) out.conjuncts.push_back(RemapRelations(c, mapping));
    return out;
  }

  const SchemaSource& schema_;
  std::vector<table::TableId> resolving_;
  size_t alias_suffix_ = 0;
};

}  // namespace

Result<LogicalQuery> ApplyRowLevelSecurity(LogicalQuery query, const SchemaSource& schema) {
  Expander expander(schema);
  std::vector<QueryFragment> fragments;
  for (const QueryFragment& f : query.fragments) {
    STDB_ASSIGN_OR_RETURN(std::vector<QueryFragment> expanded, expander.Expand(f, std::nullopt));
    for (auto& e : expanded) fragments.push_back(std::move(e));
    if (fragments.size() > kMaxRowLevelSecurityFragments)
      return Error(ErrorCode::kResourceExhausted, "Row-level security expands this query into more than " +
                                                      std::to_string(kMaxRowLevelSecurityFragments) + " queries");
  }
  query.fragments = std::move(fragments);
  query.uses_sender = false;
  for (const auto& f : query.fragments)
    for (const auto& c : f.conjuncts) query.uses_sender |= c->UsesSender();
  query.rls_applied = true;
  return query;
}

}  // namespace stdb::sql
