// PhysicalHashJoin: builds a hash table of the right relation's rows (as produced by its own access path, with
// its own filters) keyed by the join column, then probes it with each tuple of the left input. Used when the right
// relation has no index on its join column, or when its rows come from a bound row list.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <string>

#include "sql/execution/physical_operator.h"
#include "sql/execution/scalar.h"

namespace stdb::sql {

class PhysicalHashJoin final : public PhysicalOperator {
 public:
  PhysicalHashJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr build, uint32_t right_relation,
                   ColumnReader left_key, ColumnReader right_key, ScalarKind key_kind, bool unique,
                   std::string description)
      : left_(std::move(left)),
        build_(std::move(build)),
        right_relation_(right_relation),
        left_key_(std::move(left_key)),
        right_key_(std::move(right_key)),
        key_kind_(key_kind),
        unique_(unique),
        description_(std::move(description)) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext& ctx) const override;
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override;

 private:
  PhysicalOperatorPtr left_;
  PhysicalOperatorPtr build_;  // produces the right relation's rows
  uint32_t right_relation_;
  ColumnReader left_key_, right_key_;
  ScalarKind key_kind_;
  bool unique_;  // the right join column is unique: at most one match per probe
  std::string description_;
};

}  // namespace stdb::sql
