#include "sql/execution/operator/aggregate/physical_count.h"

namespace stdb::sql {

bool PhysicalCount::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  uint64_t count = 0;
  auto counter = MakeSink([&](const Tuple&) {
    ++count;
    return true;
  });
  if (!input_->Execute(ctx, tuple, counter) && !ctx.status().ok()) return false;
  sats::Bytes row;
  sats::bsatn::Writer(row).U64(count);
  tuple.output = row;
  return sink.Push(tuple);
}

void PhysicalCount::Explain(std::string& out, int depth) const {
  Line(out, depth, "Count AS " + alias_);
  input_->Explain(out, depth + 1);
}

}  // namespace stdb::sql
