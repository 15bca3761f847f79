#include "sql/execution/operator/set/physical_union.h"

namespace stdb::sql {

bool PhysicalUnion::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  for (const auto& input : inputs_)
    if (!input->Execute(ctx, tuple, sink)) return false;
  return true;
}

void PhysicalUnion::Explain(std::string& out, int depth) const {
  Line(out, depth, "UnionAll");
  for (const auto& input : inputs_) input->Explain(out, depth + 1);
}

uint64_t PhysicalUnion::EstimateRows(EstimationContext& ctx) const {
  uint64_t n = 0;
  for (const auto& input : inputs_) n = SaturatingAdd(n, input->EstimateRows(ctx));
  return n;
}

uint64_t PhysicalUnion::EstimateRowsScanned(EstimationContext& ctx) const {
  uint64_t n = 0;
  for (const auto& input : inputs_) n = SaturatingAdd(n, input->EstimateRowsScanned(ctx));
  return n;
}

}  // namespace stdb::sql
