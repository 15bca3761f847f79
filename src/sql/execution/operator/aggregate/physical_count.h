// PhysicalCount: COUNT(*) — counts its input's tuples and produces one row holding the count as a U64, also when
// the input is empty.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <string>

#include "sql/execution/physical_operator.h"

namespace stdb::sql {

class PhysicalCount final : public PhysicalOperator {
 public:
  PhysicalCount(PhysicalOperatorPtr input, std::string alias) : input_(std::move(input)), alias_(std::move(alias)) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext&) const override { return 1; }
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override { return input_->EstimateRowsScanned(ctx); }

 private:
  PhysicalOperatorPtr input_;
  std::string alias_;
};

}  // namespace stdb::sql
