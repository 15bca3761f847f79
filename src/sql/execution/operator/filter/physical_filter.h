// PhysicalFilter: passes on the tuples of its input for which a condition holds.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <string>

#include "sql/execution/physical_operator.h"
#include "sql/execution/predicate.h"

namespace stdb::sql {

class PhysicalFilter final : public PhysicalOperator {
 public:
  PhysicalFilter(PhysicalOperatorPtr input, Predicate predicate, std::string description)
      : input_(std::move(input)), predicate_(std::move(predicate)), description_(std::move(description)) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  // Filters do not reduce estimates (the reference's rule); evaluating one reads each input tuple once more.
  uint64_t EstimateRows(EstimationContext& ctx) const override { return input_->EstimateRows(ctx); }
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override {
    return SaturatingAdd(input_->EstimateRowsScanned(ctx), input_->EstimateRows(ctx));
  }

 private:
  PhysicalOperatorPtr input_;
  Predicate predicate_;
  std::string description_;
};

}  // namespace stdb::sql
