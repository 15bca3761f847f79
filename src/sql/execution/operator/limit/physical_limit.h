// PhysicalLimit: passes on at most n tuples of its input, then stops it.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <algorithm>
#include <string>

#include "sql/execution/physical_operator.h"

namespace stdb::sql {

class PhysicalLimit final : public PhysicalOperator {
 public:
  PhysicalLimit(PhysicalOperatorPtr input, uint64_t limit) : input_(std::move(input)), limit_(limit) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext& ctx) const override { return std::min(limit_, input_->EstimateRows(ctx)); }
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override { return input_->EstimateRowsScanned(ctx); }

 private:
  PhysicalOperatorPtr input_;
  uint64_t limit_;
};

}  // namespace stdb::sql
