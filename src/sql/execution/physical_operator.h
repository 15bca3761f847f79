// PhysicalOperator: one step of an executable query plan (scan, filter, join, projection, count, limit, union).
//
// Execution is push-based: Execute produces tuples and pushes each to a sink, which returns false to stop the
// producer early (LIMIT, errors). A plan is a left-deep tree: joins run their left input and, for each tuple it
// pushes, find the matching rows of their right relation. Operators are immutable once planned, so one plan can
// run many times and on many threads; per-execution state lives in the ExecutionContext and on the stack.
//
// Each operator also estimates, for a database view, how many rows it produces and how many rows running it
// reads in total; the row limit of st_var (spec/data-layer.md §4.4) is checked against the latter.
//
// Thread-safety: immutable; Execute and the estimates are safe to call concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "sql/execution/execution_context.h"
#include "sql/execution/tuple.h"

namespace stdb::sql {

// What estimates read: the view, the bound row lists, and a cache of index statistics.
class EstimationContext {
 public:
  EstimationContext(const datastore::DatabaseView& view, std::vector<const datastore::RowList*> row_lists = {})
      : view_(view), row_lists_(std::move(row_lists)) {}
  const datastore::DatabaseView& view() const { return view_; }
  const datastore::RowList* RowList(uint32_t relation) const {
    return relation < row_lists_.size() ? row_lists_[relation] : nullptr;
  }
  uint64_t TableRows(table::TableId table) const;
  // Average number of rows per distinct key of an index (1 for unique indexes), estimated from a sample of keys.
  uint64_t RowsPerKey(table::TableId table, table::IndexId index, bool unique);

 private:
  const datastore::DatabaseView& view_;
  std::vector<const datastore::RowList*> row_lists_;
  std::map<std::pair<table::TableId, table::IndexId>, uint64_t> rows_per_key_;
};

class PhysicalOperator {
 public:
  virtual ~PhysicalOperator() = default;

  // Pushes every result tuple to `sink`, using `tuple` as the tuple being built. Returns false when stopped early
  // (by the sink or by an error recorded in `ctx`).
  virtual bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const = 0;

  // Appends a description of this operator and its inputs, one line each, indented by `depth`.
  virtual void Explain(std::string& out, int depth) const = 0;

  // Estimated number of tuples produced, and of rows read to produce them (spec/data-layer.md §4.4).
  virtual uint64_t EstimateRows(EstimationContext& ctx) const = 0;
  virtual uint64_t EstimateRowsScanned(EstimationContext& ctx) const = 0;

 protected:
  static void Line(std::string& out, int depth, const std::string& text) {
    out.append(size_t(depth) * 2, ' ');
    out += text;
    out += '\n';
  }
};

using PhysicalOperatorPtr = std::unique_ptr<PhysicalOperator>;

inline uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }
inline uint64_t SaturatingMul(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

}  // namespace stdb::sql
