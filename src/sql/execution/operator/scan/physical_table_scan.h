// PhysicalTableScan: every row of a table, in storage order.
//
// Thread-safety: immutable (see physical_operator.h).
#pragma once

#include <string>

#include "sql/execution/physical_operator.h"

namespace stdb::sql {

class PhysicalTableScan final : public PhysicalOperator {
 public:
  PhysicalTableScan(uint32_t relation, table::TableId table, std::string table_name, std::string alias)
      : relation_(relation), table_(table), table_name_(std::move(table_name)), alias_(std::move(alias)) {}

  bool Execute(ExecutionContext& ctx, Tuple& tuple, TupleSink& sink) const override;
  void Explain(std::string& out, int depth) const override;
  uint64_t EstimateRows(EstimationContext& ctx) const override { return ctx.TableRows(table_); }
  uint64_t EstimateRowsScanned(EstimationContext& ctx) const override { return ctx.TableRows(table_); }

 private:
  uint32_t relation_;
  table::TableId table_;
  std::string table_name_;
  std::string alias_;
};

}  // namespace stdb::sql
