#include "subscription/delta_evaluator.h"

#include <algorithm>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "sql/binder/schema_source.h"
#include "sql/execution/query_executor.h"
#include "sql/planner/access_path.h"
#include "sql/planner/planner.h"
#include "subscription/signed_row_bag.h"

namespace stdb::subscription {

namespace {

// What a relation of a delta fragment reads.
enum Binding : uint8_t { kCurrent = 0, kInserts = 1, kDeletes = 2 };

const char kNeedsIndexes[] = "Subscriptions require indexes on join columns";

bool IsColumnEquality(const sql::BoundExpr& e) {
  return e.kind == sql::BoundExpr::Kind::kCompare && e.op == sql::CompareOp::kEq && e.left.is_column() &&
         e.right.is_column() && e.left.relation != e.right.relation;
}

}  // namespace

const datastore::TableChanges* FindTableChanges(const datastore::TxData& tx, table::TableId id) {
  auto it = std::lower_bound(tx.tables.begin(), tx.tables.end(), id,
                             [](const datastore::TableChanges& t, table::TableId v) { return t.table_id < v; });
  return it != tx.tables.end() && it->table_id == id ? &*it : nullptr;
}

struct DeltaEvaluator::Fragment {
  sql::LogicalQuery query;  // this fragment alone
  std::vector<table::TableId> tables;
  std::vector<bool> is_event;
  mutable std::mutex mu;
  mutable absl::flat_hash_map<uint64_t, std::unique_ptr<sql::PhysicalPlan>> plans;  // by binding code

  // The plan of one binding, made on first use.
  Result<const sql::PhysicalPlan*> PlanFor(const std::vector<Binding>& bindings,
                                           const datastore::DatabaseView& after) const {
    uint64_t code = 0;
    for (size_t r = bindings.size(); r-- > 0;) code = code * 3 + bindings[r];
    std::lock_guard<std::mutex> lock(mu);
    auto it = plans.find(code);
    if (it != plans.end()) return it->second.get();
    sql::PlanOptions options;
    for (uint32_t r = 0; r < bindings.size(); ++r)
      if (bindings[r] != kCurrent) options.row_list_relations.push_back(r);
    sql::DatabaseViewSchema statistics(after);
    STDB_ASSIGN_OR_RETURN(std::unique_ptr<sql::PhysicalPlan> plan, sql::PlanQuery(query, &statistics, options));
    // CheckQuery guarantees index joins; a planner that chose otherwise would make every transaction scan a table.
    const std::vector<sql::RelationRead>& reads = plan->relation_reads.front();
    for (uint32_t r = 0; r < bindings.size(); ++r) {
      if (bindings[r] == kCurrent && reads[r] != sql::RelationRead::kIndexJoin)
        return Error(ErrorCode::kUnsupported, std::string(kNeedsIndexes) + " (a delta plan would read `" +
                                                  query.fragments[0].relations[r].alias + "` without an index)");
    }
    const sql::PhysicalPlan* result = plan.get();
    plans.emplace(code, std::move(plan));
    return result;
  }
};

DeltaEvaluator::~DeltaEvaluator() = default;

Status DeltaEvaluator::CheckQuery(const sql::LogicalQuery& query) {
  for (const sql::QueryFragment& f : query.fragments) {
    const size_t n = f.relations.size();
    for (uint32_t r = 0; r < n; ++r)
      if (r != query.output.relation && f.relations[r].schema->is_event)
        return Error(ErrorCode::kUnsupported, "Event tables cannot be used as the lookup table in subscription joins");
    if (n == 1) continue;
    // Conditions on one relation (which may fix leading index columns) and equalities between two.
    std::vector<std::vector<sql::SargableTerm>> sargable(n);
    std::vector<const sql::BoundExpr*> edges;
    for (size_t c = 0; c < f.conjuncts.size(); ++c) {
      const sql::BoundExpr& e = *f.conjuncts[c];
      sql::RelationSet rels = e.Relations();
      if (rels.count() == 1) {
        for (uint32_t r = 0; r < n; ++r)
          if (rels.test(r)) {
            if (auto term = sql::AsSargable(e, r, c)) sargable[r].push_back(*term);
          }
      } else if (IsColumnEquality(e)) {
        edges.push_back(&e);
      }
    }
    // joinable[x][y]: y can be reached from x through an index on y's join column (or y is an event table, which
    // is always read from the transaction's rows).
    std::vector<std::vector<bool>> adjacent(n, std::vector<bool>(n, false)), joinable = adjacent;
    for (const sql::BoundExpr* e : edges) {
      const sql::Operand* sides[2] = {&e->left, &e->right};
      for (int s = 0; s < 2; ++s) {
        uint32_t x = sides[1 - s]->relation, y = sides[s]->relation;
        adjacent[x][y] = true;
        const table::TableSchema& schema = *f.relations[y].schema;
        if (schema.is_event || sql::IndexForJoin(schema, sides[s]->column, sargable[y])) joinable[x][y] = true;
      }
    }
    for (uint32_t x = 0; x < n; ++x)
      for (uint32_t y = 0; y < n; ++y)
        if (adjacent[x][y] && !joinable[x][y]) return Error(ErrorCode::kUnsupported, kNeedsIndexes);
    std::vector<bool> reached(n, false);
    std::vector<uint32_t> stack{0};
    reached[0] = true;
    while (!stack.empty()) {
      uint32_t x = stack.back();
      stack.pop_back();
      for (uint32_t y = 0; y < n; ++y)
        if (adjacent[x][y] && !reached[y]) {
          reached[y] = true;
          stack.push_back(y);
        }
    }
    if (std::find(reached.begin(), reached.end(), false) != reached.end())
      return Error(ErrorCode::kUnsupported, kNeedsIndexes);
    if (n > kMaxSubscriptionRelations)
      return Error(ErrorCode::kUnsupported, "Invalid number of tables in subscription: " + std::to_string(n));
  }
  return OkStatus();
}

Result<std::unique_ptr<DeltaEvaluator>> DeltaEvaluator::Create(const sql::LogicalQuery& query) {
  STDB_RETURN_IF_ERROR(CheckQuery(query));
  if (query.output.kind != sql::QueryOutput::Kind::kRows)
    return Error(ErrorCode::kInvalidArgument, "a subscription query must return whole rows of one table");
  std::unique_ptr<DeltaEvaluator> evaluator(new DeltaEvaluator());
  for (const sql::QueryFragment& f : query.fragments) {
    auto fragment = std::make_unique<Fragment>();
    fragment->query.fragments = {f};
    fragment->query.output = query.output;
    fragment->query.uses_sender = query.uses_sender;
    fragment->query.rls_applied = query.rls_applied;
    for (const sql::Relation& r : f.relations) {
      fragment->tables.push_back(r.table_id());
      fragment->is_event.push_back(r.schema->is_event);
    }
    evaluator->fragments_.push_back(std::move(fragment));
  }
  evaluator->simple_ = query.fragments.size() == 1 && query.fragments[0].relations.size() == 1;
  return evaluator;
}

size_t DeltaEvaluator::plans_made() const {
  size_t n = 0;
  for (const auto& f : fragments_) {
    std::lock_guard<std::mutex> lock(f->mu);
    n += f->plans.size();
  }
  return n;
}

namespace {

// One evaluation of one fragment: enumerates the bindings whose row lists are all non-empty and runs them.
class FragmentRun {
 public:
  FragmentRun(const std::vector<table::TableId>& tables, const std::vector<bool>& is_event,
              const datastore::TxData& tx)
      : n_(tables.size()), is_event_(is_event), changes_(n_), bindings_(n_), row_lists_(n_) {
    for (size_t r = 0; r < n_; ++r) {
      changes_[r] = FindTableChanges(tx, tables[r]);
      if (changes_[r]) any_changes_ = true;
    }
  }

  bool any_changes() const { return any_changes_; }

  // Calls run(bindings, row_lists, sign) for every delta fragment with non-empty inputs; stops at the first error.
  template <typename RunFn>
  Status ForEachFragment(RunFn&& run) {
    for (size_t i = 0; i < n_ && status_.ok(); ++i) {
      if (!changes_[i]) continue;
      bool prefix_ok = true;
      for (size_t j = 0; j < i; ++j) {
        // After the transaction; an event table then holds exactly the transaction's inserts.
        if (is_event_[j]) {
          if (!HasInserts(j)) {
            prefix_ok = false;
            break;
          }
          Bind(j, kInserts);
        } else {
          Bind(j, kCurrent);
        }
      }
      if (!prefix_ok) continue;
      if (HasInserts(i)) {
        Bind(i, kInserts);
        Suffix(i + 1, +1, run);
      }
      if (HasDeletes(i) && status_.ok()) {
        Bind(i, kDeletes);
        Suffix(i + 1, -1, run);
      }
    }
    return status_;
  }

 private:
  bool HasInserts(size_t r) const { return changes_[r] && !changes_[r]->inserts.empty(); }
  bool HasDeletes(size_t r) const { return changes_[r] && !is_event_[r] && !changes_[r]->deletes.empty(); }
  void Bind(size_t r, Binding b) {
    bindings_[r] = b;
    row_lists_[r] = b == kInserts ? &changes_[r]->inserts : b == kDeletes ? &changes_[r]->deletes : nullptr;
  }

  // Relations from j on are read before the transaction: R = R' - dR+ + dR-.
  template <typename RunFn>
  void Suffix(size_t j, int sign, RunFn& run) {
    if (!status_.ok()) return;
    if (j == n_) {
      status_ = run(bindings_, row_lists_, sign);
      return;
    }
    if (is_event_[j]) return;  // an event table holds nothing before the transaction
    Bind(j, kCurrent);
    Suffix(j + 1, sign, run);
    if (HasInserts(j)) {
      Bind(j, kInserts);
      Suffix(j + 1, -sign, run);
    }
    if (HasDeletes(j)) {
      Bind(j, kDeletes);
      Suffix(j + 1, sign, run);
    }
  }

  size_t n_;
  const std::vector<bool>& is_event_;
  std::vector<const datastore::TableChanges*> changes_;
  std::vector<Binding> bindings_;
  std::vector<const datastore::RowList*> row_lists_;
  bool any_changes_ = false;
  Status status_;
};

}  // namespace

Status DeltaEvaluator::Evaluate(const datastore::TxData& tx, const datastore::DatabaseView& after,
                                const sql::QueryParameters& params, DeltaResult& out, DeltaStats& stats) const {
  SignedRowBag bag;
  for (const auto& fragment : fragments_) {
    FragmentRun run(fragment->tables, fragment->is_event, tx);
    if (!run.any_changes()) continue;
    STDB_RETURN_IF_ERROR(run.ForEachFragment([&](const std::vector<Binding>& bindings,
                                                 const std::vector<const datastore::RowList*>& row_lists,
                                                 int sign) -> Status {
      STDB_ASSIGN_OR_RETURN(const sql::PhysicalPlan* plan, fragment->PlanFor(bindings, after));
      ++stats.fragments_run;
      Result<sql::ExecutionStats> executed = Error(ErrorCode::kInternal, "");
      if (simple_) {
        datastore::RowList& target = sign > 0 ? out.inserts : out.deletes;
        executed = sql::ExecutePlan(*plan, after, params, row_lists, [&](sats::ByteSpan row) {
          target.Add(row);
          return true;
        });
      } else {
        executed = sql::ExecutePlan(*plan, after, params, row_lists, [&](sats::ByteSpan row) {
          bag.Add(row, sign);
          return true;
        });
      }
      if (!executed.ok()) return std::move(executed).error();
      stats.rows_scanned += executed->rows_scanned;
      return OkStatus();
    }));
  }
  if (!simple_) bag.Emit(out.inserts, out.deletes);
  return OkStatus();
}

}  // namespace stdb::subscription
