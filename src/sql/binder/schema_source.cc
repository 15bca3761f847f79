#include "sql/binder/schema_source.h"

#include <algorithm>

#include "datastore/system_tables.h"

namespace stdb::sql {

std::shared_ptr<const table::TableSchema> DatabaseViewSchema::FindTable(std::string_view name) const {
  const table::TableView* t = view_.TableByName(name);
  return t ? t->schema : nullptr;
}

std::optional<table::ColId> DatabaseViewSchema::FindColumn(const table::TableSchema& table,
                                                           std::string_view name) const {
  if (auto col = table.ColumnByName(name)) return col;
  const table::TableView* accessors = view_.Table(datastore::kStColumnAccessor);
  if (!accessors) return std::nullopt;
  std::optional<table::ColId> found;
  accessors->rows.ForEach([&](table::RowId, sats::ByteSpan row) {
    if (found) return;
    auto decoded = datastore::StColumnAccessorRow::Decode(row);
    if (decoded.ok() && decoded->table_name == table.name && decoded->accessor_name == name)
      found = table.ColumnByName(decoded->col_name);
  });
  return found;
}

Result<std::vector<std::string>> DatabaseViewSchema::RowLevelSecurityRules(table::TableId table) const {
  std::vector<std::string> rules;
  const table::TableView* rls = view_.Table(datastore::kStRowLevelSecurity);
  if (!rls) return rules;
  Status status;
  rls->rows.ForEach([&](table::RowId, sats::ByteSpan row) {
    if (!status.ok()) return;
    auto decoded = datastore::StRowLevelSecurityRow::Decode(row);
    if (!decoded.ok()) {
      status = std::move(decoded).error();
      return;
    }
    if (decoded->table_id == table) rules.push_back(std::move(decoded->sql));
  });
  if (!status.ok()) return std::move(status).error();
  // Storage order depends on deletes and reuse of slots; sort so expansion (and error messages) are stable.
  std::sort(rules.begin(), rules.end());
  return rules;
}

std::optional<uint64_t> DatabaseViewSchema::RowCount(table::TableId table) const {
  const table::TableView* t = view_.Table(table);
  if (!t) return std::nullopt;
  return t->rows.row_count();
}

}  // namespace stdb::sql
