// DeltaEvaluator: the change one transaction makes to the result of a subscription query, computed from the
// rows the transaction inserted and deleted (TxData) and index lookups into the state after it — never by running
// the query again (spec/data-layer.md §5.2, generalised from the reference's two tables to any number).
//
// The algebra. A query fragment is a conjunctive query Q(R1, ..., Rn) over relations (tables, possibly the same
// table several times in a self-join), read with bag semantics. A transaction turns each Ri into Ri' = Ri + dRi,
// where dRi = dRi+ - dRi- (its inserted minus its deleted rows). The change telescopes:
//
//   Q(R1', ..., Rn') - Q(R1, ..., Rn) = sum over i of Q(R1', ..., R(i-1)', dRi, R(i+1), ..., Rn)
//
// Relations before i are read after the transaction, relations after i before it. The state before is not
// stored, but it is the state after minus the inserts plus the deletes: Rj = Rj' - dRj+ + dRj-. Expanding every
// term by linearity gives a sum of signed delta fragments, each a copy of the query in which every relation is
// bound to one of: the current table Rj', the inserted rows dRj+, or the deleted rows dRj-; its sign is the
// product of -1 for each dRi- at the telescoping position and each dRj+ after it. For two tables this is exactly
// the reference's four insert and four delete fragments; for n tables there are 3^n - 1 of them, but a fragment
// that binds a relation to an empty row list contributes nothing and is skipped, so a transaction touching one
// table of a join runs two fragments per occurrence of that table.
//
// Every fragment starts from a row list and reaches the current tables through index joins (CheckQuery demands
// an index on every join column of every table, so this holds for any binding); its cost is proportional to the
// delta times the matches per probe. Plans are made per binding with PlanQuery(row_list_relations), once, on
// first use, and kept.
//
// Output rows of all fragments are summed with their signs (SignedRowBag); rows whose count cancels are not sent,
// the others are sent as many times as their net count. A query of one table and one fragment cannot produce
// duplicates: its inserts are the plan over dR+ and its deletes the plan over dR-, with no bag.
//
// Event tables hold no rows after a commit: their rows exist only as the transaction's inserts. An event relation
// is read as its inserted rows in the state after the transaction and as nothing before it, so a query over an
// event table yields only inserts (the events, joined with the state after the transaction). Like the reference,
// an event table may not be the looked-up side of a join: in a join it must be the table whose rows are returned.
//
// Thread-safety: Evaluate may be called from several threads at once (the plan cache is locked); the usual
// caller is the database thread.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "datastore/database_view.h"
#include "datastore/tx_data.h"
#include "sats/result.h"
#include "sql/execution/execution_context.h"
#include "sql/planner/logical_query.h"

namespace stdb::subscription {

// The most relations a subscription fragment may join, counted after row-level security. The reference allows
// two; every extra table triples the number of possible delta fragments.
inline constexpr size_t kMaxSubscriptionRelations = 8;

struct DeltaStats {
  uint64_t fragments_run = 0;  // delta fragment plans executed
  uint64_t rows_scanned = 0;
};

struct DeltaResult {
  datastore::RowList inserts;
  datastore::RowList deletes;
  bool empty() const { return inserts.empty() && deletes.empty(); }
};

// The rows `tx` changed in table `id`, or null (TxData keeps its tables sorted by id).
const datastore::TableChanges* FindTableChanges(const datastore::TxData& tx, table::TableId id);

class DeltaEvaluator {
 public:
  // Checks that `query` can be maintained incrementally: at most kMaxSubscriptionRelations relations per
  // fragment, every fragment's join graph connected by equalities, an index usable for the join on every join
  // column of every table in both directions, and event tables only as the returned relation. The messages are
  // the reference's where it has one.
  static Status CheckQuery(const sql::LogicalQuery& query);

  // `query` must pass CheckQuery.
  static Result<std::unique_ptr<DeltaEvaluator>> Create(const sql::LogicalQuery& query);
  ~DeltaEvaluator();

  // Appends to `out` the change `tx` made to the query's result; `after` is the state right after `tx` (so the
  // rows of `tx` must be what separates it from the state before). `params` holds :sender.
  Status Evaluate(const datastore::TxData& tx, const datastore::DatabaseView& after, const sql::QueryParameters& params,
                  DeltaResult& out, DeltaStats& stats) const;

  // The number of distinct delta plans made so far (for tests).
  size_t plans_made() const;

 private:
  struct Fragment;
  DeltaEvaluator() = default;
  std::vector<std::unique_ptr<Fragment>> fragments_;
  bool simple_ = false;  // one fragment of one relation
};

}  // namespace stdb::subscription
