// PhysicalUnion: the tuples of each input in turn (UNION ALL). Row-level security turns one query into several
// fragments; their results are concatenated.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <string>
#include <vector>

#include "sql/execution/physical_operator.h"

namespace stdb::sql {

class PhysicalUnion final : public PhysicalOperator {
 public:
  explicit PhysicalUnion(std::vector<PhysicalOperatorPtr> inputs) : inputs_(std::move(inputs)) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext& ctx) const override;
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override;

 private:
  std::vector<PhysicalOperatorPtr> inputs_;
};

}  // namespace stdb::sql
