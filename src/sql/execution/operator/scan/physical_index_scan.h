// PhysicalIndexScan: the rows of a table found through one of its indexes — a point lookup when every key column
// is fixed by an equality, otherwise a range: the first k key columns fixed by equalities (a key prefix) and
// optional bounds on column k. Hash indexes are only ever used for point lookups.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql/execution/index_target.h"
#include "sql/execution/physical_operator.h"

namespace stdb::sql {

struct IndexBound {
  KeyValue value;
  bool inclusive = true;
};

class PhysicalIndexScan final : public PhysicalOperator {
 public:
  PhysicalIndexScan(uint32_t relation, std::string alias, IndexTarget index, std::string description,
                    std::vector<KeyValue> equal, std::optional<IndexBound> lower, std::optional<IndexBound> upper)
      : relation_(relation),
        alias_(std::move(alias)),
        index_(std::move(index)),
        description_(std::move(description)),
        equal_(std::move(equal)),
        lower_(std::move(lower)),
        upper_(std::move(upper)) {}

  bool is_point() const { return equal_.size() == index_.columns.size(); }
  const IndexTarget& index() const { return index_; }

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext& ctx) const override;
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override { return EstimateRows(ctx); }

 private:
  uint32_t relation_;
  std::string alias_;
  IndexTarget index_;
  std::string description_;
  std::vector<KeyValue> equal_;  // values of the first equal_.size() key columns
  std::optional<IndexBound> lower_, upper_;  // bounds on key column equal_.size()
};

}  // namespace stdb::sql
