// SchemaSource: what the type checker and planner may ask about a database — its tables and columns by name, the
// row-level-security rules of a table, and (for join ordering) how many rows a table has.
//
// DatabaseViewSchema answers from a DatabaseView, resolving names the way the reference does (spec/data-layer.md
// §4.3): a table by its canonical name or accessor alias (st_table_accessor), a column by its name or accessor
// alias (st_column_accessor); RLS rules come from st_row_level_security. Whether a private table is visible is
// decided by the binder from the caller, not here.
//
// Thread-safety: DatabaseViewSchema only reads its view, so it may be used from any thread that may read the view;
// it must not outlive the view.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datastore/database_view.h"
#include "sats/result.h"
#include "table/table_schema.h"

namespace stdb::sql {

class SchemaSource {
 public:
  virtual ~SchemaSource() = default;
  // The table with this canonical name or accessor alias, or null.
  virtual std::shared_ptr<const table::TableSchema> FindTable(std::string_view name) const = 0;
  // The column of `table` with this name or accessor alias.
  virtual std::optional<table::ColId> FindColumn(const table::TableSchema& table, std::string_view name) const {
    return table.ColumnByName(name);
  }
  // The SQL text of each row-level-security rule of `table` (none when the table has no rules).
  virtual Result<std::vector<std::string>> RowLevelSecurityRules(table::TableId table) const = 0;
  // The number of rows of `table`, when known; used only to order joins.
  virtual std::optional<uint64_t> RowCount(table::TableId table) const { return std::nullopt; }
};

class DatabaseViewSchema final : public SchemaSource {
 public:
  explicit DatabaseViewSchema(const datastore::DatabaseView& view) : view_(view) {}

  std::shared_ptr<const table::TableSchema> FindTable(std::string_view name) const override;
  std::optional<table::ColId> FindColumn(const table::TableSchema& table, std::string_view name) const override;
  Result<std::vector<std::string>> RowLevelSecurityRules(table::TableId table) const override;
  std::optional<uint64_t> RowCount(table::TableId table) const override;

 private:
  const datastore::DatabaseView& view_;
};

}  // namespace stdb::sql
