#include "sql/planner/planner.h"

#include <algorithm>
#include <tuple>

#include "sql/execution/index_target.h"
#include "sql/execution/operator/aggregate/physical_count.h"
#include "sql/execution/operator/filter/physical_filter.h"
#include "sql/execution/operator/join/physical_hash_join.h"
#include "sql/execution/operator/join/physical_index_join.h"
#include "sql/execution/operator/join/physical_nested_loop_join.h"
#include "sql/execution/operator/limit/physical_limit.h"
#include "sql/execution/operator/projection/physical_projection.h"
#include "sql/execution/operator/scan/physical_index_scan.h"
#include "sql/execution/operator/scan/physical_row_list_scan.h"
#include "sql/execution/operator/scan/physical_table_scan.h"
#include "sql/execution/operator/set/physical_union.h"
#include "sql/execution/predicate.h"
#include "sql/planner/access_path.h"

namespace stdb::sql {

namespace {

// Table size assumed when no statistics are given.
constexpr uint64_t kUnknownRows = 1000;

// a.x = b.y between two different relations.
struct JoinEdge {
  size_t conjunct;
  uint32_t a;
  table::ColId a_col;
  uint32_t b;
  table::ColId b_col;
  bool Touches(uint32_t r) const { return a == r || b == r; }
  // The column on relation r's side, and the other side.
  table::ColId ColumnOf(uint32_t r) const { return a == r ? a_col : b_col; }
  uint32_t Other(uint32_t r) const { return a == r ? b : a; }
  table::ColId OtherColumn(uint32_t r) const { return a == r ? b_col : a_col; }
};

// How a relation joins the relations before it.
enum class JoinMethod { kUniqueIndex = 0, kIndex = 1, kHash = 2, kNestedLoop = 3 };

struct JoinChoice {
  JoinMethod method = JoinMethod::kNestedLoop;
  std::optional<JoinProbe> probe;
  const JoinEdge* edge = nullptr;
};

class FragmentPlanner {
 public:
  FragmentPlanner(const QueryFragment& fragment, const SchemaSource* statistics, const PlanOptions& options)
      : f_(fragment), n_(uint32_t(fragment.relations.size())) {
    layouts_.resize(n_);
    row_list_.assign(n_, false);
    local_.resize(n_);
    sargable_.resize(n_);
    edges_of_.resize(n_);
    access_.resize(n_);
    rows_.resize(n_);
    applied_.assign(f_.conjuncts.size(), false);
    for (uint32_t r = 0; r < n_; ++r) {
      layouts_[r] = std::make_shared<table::RowLayout>(f_.relations[r].schema->RowType());
      std::optional<uint64_t> count = statistics ? statistics->RowCount(f_.relations[r].table_id()) : std::nullopt;
      rows_[r] = count ? *count : kUnknownRows;
    }
    for (uint32_t r : options.row_list_relations)
      if (r < n_) row_list_[r] = true;
  }

  Result<PhysicalOperatorPtr> Plan() {
    Classify();
    for (uint32_t r = 0; r < n_; ++r)
      if (!row_list_[r]) access_[r] = ChooseAccessPath(*f_.relations[r].schema, sargable_[r]);
    std::vector<uint32_t> order = JoinOrder();

    reads_.assign(n_, RelationRead::kTableScan);
    reads_[order[0]] = row_list_[order[0]] ? RelationRead::kRowList
                       : access_[order[0]].index ? RelationRead::kIndexScan
                                                 : RelationRead::kTableScan;
    RelationSet joined = RelationBit(order[0]);
    STDB_ASSIGN_OR_RETURN(PhysicalOperatorPtr op, Scan(order[0]));
    STDB_ASSIGN_OR_RETURN(op, FilterReady(std::move(op), joined));
    for (size_t i = 1; i < order.size(); ++i) {
      uint32_t r = order[i];
      JoinChoice choice = ChooseJoin(r, joined);
      switch (choice.method) {
        case JoinMethod::kUniqueIndex:
        case JoinMethod::kIndex:
          reads_[r] = RelationRead::kIndexJoin;
          op = IndexJoin(std::move(op), r, choice);
          break;
        case JoinMethod::kHash: {
          reads_[r] = RelationRead::kHashJoin;
          STDB_ASSIGN_OR_RETURN(op, HashJoin(std::move(op), r, *choice.edge));
          break;
        }
        case JoinMethod::kNestedLoop: {
          reads_[r] = RelationRead::kNestedLoopJoin;
          STDB_ASSIGN_OR_RETURN(PhysicalOperatorPtr right, ScanWithFilters(r));
          op = std::make_unique<PhysicalNestedLoopJoin>(std::move(op), std::move(right), r);
          break;
        }
      }
      joined |= RelationBit(r);
      STDB_ASSIGN_OR_RETURN(op, FilterReady(std::move(op), joined));
    }
    for (size_t c = 0; c < applied_.size(); ++c)
      if (!applied_[c]) return Error(ErrorCode::kInternal, "planner left a condition unapplied");
    return op;
  }

  const std::vector<std::shared_ptr<const table::RowLayout>>& layouts() const { return layouts_; }
  const std::vector<RelationRead>& reads() const { return reads_; }

 private:
  void Classify() {
    for (size_t c = 0; c < f_.conjuncts.size(); ++c) {
      const BoundExpr& e = *f_.conjuncts[c];
      RelationSet rels = e.Relations();
      size_t count = rels.count();
      if (count == 1) {
        uint32_t r = 0;
        while (!rels.test(r)) ++r;
        local_[r].push_back(c);
        if (auto term = AsSargable(e, r, c)) sargable_[r].push_back(*term);
      } else if (count == 2 && e.kind == BoundExpr::Kind::kCompare && e.op == CompareOp::kEq &&
                 e.left.is_column() && e.right.is_column()) {
        edges_.push_back({c, e.left.relation, e.left.column, e.right.relation, e.right.column});
        edges_of_[e.left.relation].push_back(edges_.size() - 1);
        edges_of_[e.right.relation].push_back(edges_.size() - 1);
      }
    }
  }

  // A rough number of rows relation r yields after its access path and filters, for ordering only.
  double Estimate(uint32_t r) const {
    if (row_list_[r]) return -1;  // bound row lists drive the plan
    const AccessPath& a = access_[r];
    double rows = double(rows_[r]);
    double est = rows;
    if (a.is_unique_point()) est = std::min(rows, 1.0);
    else if (a.is_point()) est = rows / 10;
    else if (a.index) est = rows / double(4 * (a.equal.size() + 1));
    size_t residual = local_[r].size() > a.consumed.size() ? local_[r].size() - a.consumed.size() : 0;
    for (size_t i = 0; i < residual; ++i) est /= 2;
    return est;
  }

  JoinChoice ChooseJoin(uint32_t r, const RelationSet& joined) const {
    JoinChoice best;
    for (size_t edge : edges_of_[r]) {
      const JoinEdge& e = edges_[edge];
      if (applied_[e.conjunct] || !joined.test(e.Other(r))) continue;
      if (!row_list_[r]) {
        if (auto probe = IndexForJoin(*f_.relations[r].schema, e.ColumnOf(r), sargable_[r])) {
          JoinMethod m = probe->is_unique() ? JoinMethod::kUniqueIndex : JoinMethod::kIndex;
          if (m < best.method) {
            best.method = m;
            best.probe = std::move(probe);
            best.edge = &e;
          }
          continue;
        }
      }
      if (JoinMethod::kHash < best.method) {
        best.method = JoinMethod::kHash;
        best.edge = &e;
      }
    }
    return best;
  }

  std::vector<uint32_t> JoinOrder() const {
    std::vector<uint32_t> order;
    uint32_t start = 0;
    for (uint32_t r = 1; r < n_; ++r)
      if (Estimate(r) < Estimate(start)) start = r;
    order.push_back(start);
    RelationSet joined = RelationBit(start);
    while (order.size() < n_) {
      std::optional<uint32_t> best;
      std::tuple<int, double, uint32_t> best_score{};
      for (uint32_t r = 0; r < n_; ++r) {
        if (joined.test(r)) continue;
        std::tuple<int, double, uint32_t> score{int(ChooseJoin(r, joined).method), Estimate(r), r};
        if (!best || score < best_score) {
          best = r;
          best_score = score;
        }
      }
      order.push_back(*best);
      joined |= RelationBit(*best);
    }
    return order;
  }

  void Apply(const std::vector<size_t>& conjuncts) {
    for (size_t c : conjuncts) applied_[c] = true;
  }

  std::string ConditionText(const std::vector<size_t>& conjuncts) const {
    auto namer = [this](uint32_t rel, table::ColId col) { return f_.ColumnName(rel, col); };
    std::string out;
    for (size_t i = 0; i < conjuncts.size(); ++i) {
      if (i) out += " AND ";
      out += f_.conjuncts[conjuncts[i]]->ToString(namer);
    }
    return out;
  }

  Result<PhysicalOperatorPtr> Filter(PhysicalOperatorPtr input, const std::vector<size_t>& conjuncts) {
    if (conjuncts.empty()) return input;
    std::vector<BoundExprPtr> exprs;
    for (size_t c : conjuncts) exprs.push_back(f_.conjuncts[c]);
    STDB_ASSIGN_OR_RETURN(Predicate predicate, Predicate::Compile(exprs, layouts_));
    Apply(conjuncts);
    return PhysicalOperatorPtr(
        std::make_unique<PhysicalFilter>(std::move(input), std::move(predicate), ConditionText(conjuncts)));
  }

  // Applies every condition not applied yet whose relations are all joined.
  Result<PhysicalOperatorPtr> FilterReady(PhysicalOperatorPtr input, const RelationSet& joined) {
    std::vector<size_t> ready;
    for (size_t c = 0; c < f_.conjuncts.size(); ++c)
      if (!applied_[c] && (f_.conjuncts[c]->Relations() & ~joined).none()) ready.push_back(c);
    return Filter(std::move(input), ready);
  }

  IndexTarget Target(uint32_t r, const table::IndexSchema& index) const {
    return IndexTarget::For(*f_.relations[r].schema, index);
  }

  Result<PhysicalOperatorPtr> Scan(uint32_t r) {
    const Relation& rel = f_.relations[r];
    if (row_list_[r]) return PhysicalOperatorPtr(std::make_unique<PhysicalRowListScan>(r, rel.alias));
    const AccessPath& a = access_[r];
    if (!a.index)
      return PhysicalOperatorPtr(std::make_unique<PhysicalTableScan>(r, rel.table_id(), rel.schema->name, rel.alias));
    std::vector<KeyValue> equal;
    for (const Operand& v : a.equal) equal.push_back(KeyValue::From(v));
    auto bound = [](const std::optional<Operand>& v, bool inclusive) -> std::optional<IndexBound> {
      if (!v) return std::nullopt;
      return IndexBound{KeyValue::From(*v), inclusive};
    };
    IndexTarget target = Target(r, *a.index);
    std::string description = target.Describe(*rel.schema);
    Apply(a.consumed);
    return PhysicalOperatorPtr(std::make_unique<PhysicalIndexScan>(
        r, rel.alias, std::move(target), std::move(description), std::move(equal),
        bound(a.lower, a.lower_inclusive), bound(a.upper, a.upper_inclusive)));
  }

  // Relation r on its own: its access path and the conditions on it alone (the build side of a join).
  Result<PhysicalOperatorPtr> ScanWithFilters(uint32_t r) {
    STDB_ASSIGN_OR_RETURN(PhysicalOperatorPtr op, Scan(r));
    return FilterReady(std::move(op), RelationBit(r));
  }

  PhysicalOperatorPtr IndexJoin(PhysicalOperatorPtr left, uint32_t r, const JoinChoice& choice) {
    const JoinEdge& e = *choice.edge;
    const JoinProbe& probe = *choice.probe;
    std::vector<KeyValue> prefix;
    for (const Operand& v : probe.constant_prefix) prefix.push_back(KeyValue::From(v));
    IndexTarget target = Target(r, *probe.index);
    std::string description = target.Describe(*f_.relations[r].schema);
    uint32_t other = e.Other(r);
    ColumnReader left_key(other, e.OtherColumn(r), layouts_[other]);
    Apply(probe.consumed);
    Apply({e.conjunct});
    return std::make_unique<PhysicalIndexJoin>(std::move(left), r, f_.relations[r].alias, std::move(target),
                                               std::move(description), std::move(prefix), std::move(left_key),
                                               f_.ColumnName(other, e.OtherColumn(r)));
  }

  Result<PhysicalOperatorPtr> HashJoin(PhysicalOperatorPtr left, uint32_t r, const JoinEdge& e) {
    STDB_ASSIGN_OR_RETURN(PhysicalOperatorPtr build, ScanWithFilters(r));
    uint32_t other = e.Other(r);
    table::ColId right_col = e.ColumnOf(r);
    const table::TableSchema& schema = *f_.relations[r].schema;
    bool unique = false;
    for (const auto& index : schema.indexes)
      if (index.unique && index.columns == std::vector<table::ColId>{right_col}) unique = true;
    auto kind = ScalarKindOf(schema.columns[right_col].type);
    if (!kind) return Error(ErrorCode::kInternal, "join on a non-scalar column");
    std::string description =
        f_.ColumnName(other, e.OtherColumn(r)) + " = " + f_.ColumnName(r, right_col);
    Apply({e.conjunct});
    return PhysicalOperatorPtr(std::make_unique<PhysicalHashJoin>(
        std::move(left), std::move(build), r, ColumnReader(other, e.OtherColumn(r), layouts_[other]),
        ColumnReader(r, right_col, layouts_[r]), *kind, unique, std::move(description)));
  }

  const QueryFragment& f_;
  uint32_t n_;
  std::vector<std::shared_ptr<const table::RowLayout>> layouts_;
  std::vector<bool> row_list_;
  std::vector<std::vector<size_t>> local_;
  std::vector<std::vector<SargableTerm>> sargable_;
  std::vector<JoinEdge> edges_;
  std::vector<std::vector<size_t>> edges_of_;  // per relation: the edges touching it
  std::vector<AccessPath> access_;
  std::vector<uint64_t> rows_;
  std::vector<bool> applied_;
  std::vector<RelationRead> reads_;
};

}  // namespace

std::string PhysicalPlan::Explain() const {
  std::string out;
  if (root) root->Explain(out, 0);
  return out;
}

Result<std::unique_ptr<PhysicalPlan>> PlanQuery(const LogicalQuery& query, const SchemaSource* statistics,
                                                const PlanOptions& options) {
  if (query.fragments.empty()) return Error(ErrorCode::kInternal, "a query without fragments");
  auto plan = std::make_unique<PhysicalPlan>();
  plan->result_type = query.ResultType();
  plan->uses_sender = query.uses_sender;
  std::vector<PhysicalOperatorPtr> parts;
  for (const QueryFragment& fragment : query.fragments) {
    if (fragment.relations.empty() || fragment.relations.size() > kMaxRelations)
      return Error(ErrorCode::kInternal, "a query fragment with " + std::to_string(fragment.relations.size()) +
                                             " relations");
    for (uint32_t r : options.row_list_relations)
      if (r >= fragment.relations.size())
        return Error(ErrorCode::kInvalidArgument, "row list bound to relation " + std::to_string(r) +
                                                      " of a query with " +
                                                      std::to_string(fragment.relations.size()) + " relations");
    FragmentPlanner planner(fragment, statistics, options);
    STDB_ASSIGN_OR_RETURN(PhysicalOperatorPtr op, planner.Plan());
    plan->tuple_width = std::max(plan->tuple_width, fragment.relations.size());
    plan->relation_reads.push_back(planner.reads());
    const QueryOutput& out = query.output;
    if (out.kind == QueryOutput::Kind::kRows) {
      op = std::make_unique<PhysicalProjection>(std::move(op), out.relation,
                                                fragment.relations[out.relation].alias + ".*");
    } else if (out.kind == QueryOutput::Kind::kColumns) {
      std::vector<ColumnReader> columns;
      std::string description;
      for (const OutputColumn& c : out.columns) {
        columns.emplace_back(c.relation, c.column, planner.layouts()[c.relation]);
        if (!description.empty()) description += ", ";
        description += fragment.ColumnName(c.relation, c.column) + " AS " + c.name;
      }
      op = std::make_unique<PhysicalProjection>(std::move(op), std::move(columns), std::move(description));
    }
    parts.push_back(std::move(op));
  }
  PhysicalOperatorPtr root =
      parts.size() == 1 ? std::move(parts[0]) : std::make_unique<PhysicalUnion>(std::move(parts));
  if (query.output.kind == QueryOutput::Kind::kCount)
    root = std::make_unique<PhysicalCount>(std::move(root), query.output.count_alias);
  if (query.limit) root = std::make_unique<PhysicalLimit>(std::move(root), *query.limit);
  plan->root = std::move(root);
  return plan;
}

}  // namespace stdb::sql
