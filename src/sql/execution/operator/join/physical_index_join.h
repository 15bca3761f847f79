// PhysicalIndexJoin: for each tuple of the left input, looks up the matching rows of the right relation through an
// index whose leading columns are fixed by constants (folded into the probe) and whose next column is the join
// column; the left tuple's join column completes the key. An index nested-loop join: no build phase, and cost
// proportional to the left input.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <string>
#include <vector>

#include "sql/execution/index_target.h"
#include "sql/execution/physical_operator.h"

namespace stdb::sql {

class PhysicalIndexJoin final : public PhysicalOperator {
 public:
  PhysicalIndexJoin(PhysicalOperatorPtr left, uint32_t right_relation, std::string right_alias, IndexTarget index,
                    std::string description, std::vector<KeyValue> constant_prefix, ColumnReader left_key,
                    std::string left_key_name)
      : left_(std::move(left)),
        right_relation_(right_relation),
        right_alias_(std::move(right_alias)),
        index_(std::move(index)),
        description_(std::move(description)),
        constant_prefix_(std::move(constant_prefix)),
        left_key_(std::move(left_key)),
        left_key_name_(std::move(left_key_name)) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext& ctx) const override;
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override;

 private:
  bool is_point() const { return constant_prefix_.size() + 1 == index_.columns.size(); }
  uint64_t MatchesPerProbe(EstimationContext& ctx) const;

  PhysicalOperatorPtr left_;
  uint32_t right_relation_;
  std::string right_alias_;
  IndexTarget index_;
  std::string description_;
  std::vector<KeyValue> constant_prefix_;
  ColumnReader left_key_;
  std::string left_key_name_;
};

}  // namespace stdb::sql
