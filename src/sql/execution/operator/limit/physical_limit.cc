#include "sql/execution/operator/limit/physical_limit.h"

namespace stdb::sql {

bool PhysicalLimit::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  if (limit_ == 0) return true;
  uint64_t passed = 0;
  bool sink_stopped = false;
  auto limited = MakeSink([&](const Tuple& t) {
    if (!sink.Push(t)) {
      sink_stopped = true;
      return false;
    }
    return ++passed < limit_;
  });
  bool finished = input_->Execute(ctx, tuple, limited);
  // Stopping the input because the limit was reached is a normal end.
  return finished || (!sink_stopped && ctx.status().ok());
}

void PhysicalLimit::Explain(std::string& out, int depth) const {
  Line(out, depth, "Limit " + std::to_string(limit_));
  input_->Explain(out, depth + 1);
}

}  // namespace stdb::sql
