#include "sql/execution/operator/filter/physical_filter.h"

namespace stdb::sql {

bool PhysicalFilter::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  const QueryParameters& params = ctx.params();
  auto filtered = MakeSink([&](const Tuple& t) { return !predicate_.Evaluate(t, params) || sink.Push(t); });
  return input_->Execute(ctx, tuple, filtered);
}

void PhysicalFilter::Explain(std::string& out, int depth) const {
  Line(out, depth, "Filter " + description_);
  input_->Explain(out, depth + 1);
}

}  // namespace stdb::sql
