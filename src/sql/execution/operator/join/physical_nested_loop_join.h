// PhysicalNestedLoopJoin: pairs every tuple of the left input with every row of the right relation (materialized
// once from its own access path). For joins without an equality between the two sides (CROSS JOIN, or conditions
// a filter above checks).
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <string>

#include "sql/execution/physical_operator.h"

namespace stdb::sql {

class PhysicalNestedLoopJoin final : public PhysicalOperator {
 public:
  PhysicalNestedLoopJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right, uint32_t right_relation)
      : left_(std::move(left)), right_(std::move(right)), right_relation_(right_relation) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext& ctx) const override {
    return SaturatingMul(left_->EstimateRows(ctx), right_->EstimateRows(ctx));
  }
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override {
    uint64_t inputs = SaturatingAdd(left_->EstimateRowsScanned(ctx), right_->EstimateRowsScanned(ctx));
    return SaturatingAdd(inputs, EstimateRows(ctx));
  }

 private:
  PhysicalOperatorPtr left_;
  PhysicalOperatorPtr right_;
  uint32_t right_relation_;
};

}  // namespace stdb::sql
