#include "sql/execution/operator/join/physical_nested_loop_join.h"

#include <vector>

namespace stdb::sql {

bool PhysicalNestedLoopJoin::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  std::vector<sats::ByteSpan> right_rows;
  Tuple right_tuple;
  right_tuple.rows.resize(tuple.rows.size());
  auto collect = MakeSink([&](const Tuple& t) {
    right_rows.push_back(t.rows[right_relation_]);
    return true;
  });
  if (!right_->Execute(ctx, right_tuple, collect)) return false;
  if (right_rows.empty()) return true;
  auto pair = MakeSink([&](const Tuple&) {
    for (sats::ByteSpan row : right_rows) {
      tuple.rows[right_relation_] = row;
      if (!sink.Push(tuple)) return false;
    }
    return true;
  });
  return left_->Execute(ctx, tuple, pair);
}

void PhysicalNestedLoopJoin::Explain(std::string& out, int depth) const {
  Line(out, depth, "NestedLoopJoin");
  left_->Explain(out, depth + 1);
  right_->Explain(out, depth + 1);
}

}  // namespace stdb::sql
