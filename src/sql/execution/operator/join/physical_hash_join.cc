#include "sql/execution/operator/join/physical_hash_join.h"

#include <absl/container/flat_hash_map.h>

namespace stdb::sql {

bool PhysicalHashJoin::Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const {
  // Build: key -> first row; rows with equal keys are chained through `next`.
  struct Entry {
    sats::ByteSpan row;
    uint32_t next;
  };
  constexpr uint32_t kEnd = UINT32_MAX;
  std::vector<Entry> entries;
  absl::flat_hash_map<std::string, uint32_t> heads;
  std::string key;
  Tuple build_tuple;
  build_tuple.rows.resize(tuple.rows.size());
  auto collect = MakeSink([&](const Tuple& t) {
    sats::ByteSpan row = t.rows[right_relation_];
    key.clear();
    AppendHashKey(key_kind_, right_key_.Read(row), key);
    auto [it, inserted] = heads.try_emplace(key, uint32_t(entries.size()));
    entries.push_back({row, inserted ? kEnd : it->second});
    if (!inserted) it->second = uint32_t(entries.size() - 1);
    return true;
  });
  if (!build_->Execute(ctx, build_tuple, collect)) return false;
  if (entries.empty()) return true;

  auto probe = MakeSink([&](const Tuple& t) {
    key.clear();
    AppendHashKey(key_kind_, left_key_.Read(t), key);
    auto it = heads.find(key);
    if (it == heads.end()) return true;
    for (uint32_t e = it->second; e != kEnd; e = entries[e].next) {
      tuple.rows[right_relation_] = entries[e].row;
      if (!sink.Push(tuple)) return false;
    }
    return true;
  });
  return left_->Execute(ctx, tuple, probe);
}

void PhysicalHashJoin::Explain(std::string& out, int depth) const {
  Line(out, depth, "HashJoin " + description_ + (unique_ ? " (unique)" : ""));
  left_->Explain(out, depth + 1);
  Line(out, depth + 1, "build:");
  build_->Explain(out, depth + 2);
}

uint64_t PhysicalHashJoin::EstimateRows(EstimationContext& ctx) const {
  if (unique_) return left_->EstimateRows(ctx);
  return SaturatingMul(left_->EstimateRows(ctx), build_->EstimateRows(ctx));
}

uint64_t PhysicalHashJoin::EstimateRowsScanned(EstimationContext& ctx) const {
  uint64_t inputs = SaturatingAdd(left_->EstimateRowsScanned(ctx), build_->EstimateRowsScanned(ctx));
  return SaturatingAdd(inputs, EstimateRows(ctx));
}

}  // namespace stdb::sql
