// PhysicalProjection: makes the result row of each tuple — the whole row of one relation (its bytes, as stored),
// or the chosen columns. A product's BSATN is the concatenation of its fields' BSATN, so a column list is just
// the columns' bytes appended one after another.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <string>
#include <vector>

#include "sql/execution/physical_operator.h"

namespace stdb::sql {

class PhysicalProjection final : public PhysicalOperator {
 public:
  // Whole rows of `relation`.
  PhysicalProjection(PhysicalOperatorPtr input, uint32_t relation, std::string description)
      : input_(std::move(input)), relation_(relation), description_(std::move(description)) {}
  // The listed columns.
  PhysicalProjection(PhysicalOperatorPtr input, std::vector<ColumnReader> columns, std::string description)
      : input_(std::move(input)), columns_(std::move(columns)), description_(std::move(description)) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext& ctx) const override { return input_->EstimateRows(ctx); }
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override { return input_->EstimateRowsScanned(ctx); }

 private:
  PhysicalOperatorPtr input_;
  uint32_t relation_ = 0;
  std::vector<ColumnReader> columns_;  // empty: whole rows of relation_
  std::string description_;
};

}  // namespace stdb::sql
