// PhysicalRowListScan: the rows of a list bound at execution time in place of a relation's table — how
// subscriptions evaluate a query over the rows a transaction inserted or deleted.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <string>

#include "sql/execution/physical_operator.h"

namespace stdb::sql {

class PhysicalRowListScan final : public PhysicalOperator {
 public:
  PhysicalRowListScan(uint32_t relation, std::string alias) : relation_(relation), alias_(std::move(alias)) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext& ctx) const override;
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override { return EstimateRows(ctx); }

 private:
  uint32_t relation_;
  std::string alias_;
};

}  // namespace stdb::sql
