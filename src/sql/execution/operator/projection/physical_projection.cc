#include "sql/execution/operator/projection/physical_projection.h"

namespace stdb::sql {

bool PhysicalProjection::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  if (columns_.empty()) {
    auto whole = MakeSink([&](const Tuple& t) {
      tuple.output = t.rows[relation_];
      return sink.Push(tuple);
    });
    return input_->Execute(ctx, tuple, whole);
  }
  sats::Bytes buffer;
  auto project = MakeSink([&](const Tuple& t) {
    buffer.clear();
    for (const ColumnReader& c : columns_) {
      sats::ByteSpan value = c.Read(t);
      buffer.insert(buffer.end(), value.begin(), value.end());
    }
    tuple.output = buffer;
    return sink.Push(tuple);
  });
  return input_->Execute(ctx, tuple, project);
}

void PhysicalProjection::Explain(std::string& out, int depth) const {
  Line(out, depth, "Project " + description_);
  input_->Explain(out, depth + 1);
}

}  // namespace stdb::sql
