#include "durability/replay_row_sizer.h"

#include "table/row_layout.h"

namespace stdb::durability {
namespace {

Error Corrupt(uint32_t table_id, const std::string& what) {
  return Error(ErrorCode::kCorruption, "rows of table " + std::to_string(table_id) + ": " + what);
}

}  // namespace

void ReplayRowSizer::BeginTransaction() {
  pending_columns_.clear();
  pending_.clear();
}

RowSizeFn ReplayRowSizer::AsRowSizeFn() {
  return [this](uint32_t table_id, sats::ByteSpan at) { return RowSize(table_id, at); };
}

Result<size_t> ReplayRowSizer::RowSize(uint32_t table_id, sats::ByteSpan at) {
  STDB_ASSIGN_OR_RETURN(const RowType* type, TypeOf(table_id));
  size_t size;
  if (type->fixed_size) {
    if (at.size() < *type->fixed_size)
      return Error(ErrorCode::kDecode, "a row of table " + std::to_string(table_id) + " needs " +
                                           std::to_string(*type->fixed_size) + " bytes but " +
                                           std::to_string(at.size()) + " remain");
    size = *type->fixed_size;
  } else {
    STDB_ASSIGN_OR_RETURN(size, BsatnRowSize(type->type, nullptr, at));
  }
  if (table_id == datastore::kStColumn) STDB_RETURN_IF_ERROR(NoteColumnRow(at.first(size)));
  return size;
}

Status ReplayRowSizer::NoteColumnRow(sats::ByteSpan row) {
  auto column = datastore::StColumnRow::Decode(row);
  if (!column.ok()) return Error(ErrorCode::kDecode, "an st_column row: " + column.error().message());
  pending_columns_[column->table_id][column->col_pos] = std::move(column->col_type);
  pending_.erase(column->table_id);
  return OkStatus();
}

Result<const ReplayRowSizer::RowType*> ReplayRowSizer::TypeOf(uint32_t table_id) {
  if (pending_columns_.count(table_id)) return PendingTypeOf(table_id);
  const table::Table* table = datastore_.GetTable(table_id);
  if (!table)
    return Corrupt(table_id, "no such table: neither the state before this transaction nor its st_column rows "
                             "describe it");
  RowType& cached = committed_[table_id];
  if (cached.schema != table->schema_ptr()) {
    cached.schema = table->schema_ptr();
    cached.type = sats::AlgebraicType::Product(table->layout().row_type());
    cached.fixed_size = table->layout().fixed_row_size();
  }
  return &cached;
}

Result<const ReplayRowSizer::RowType*> ReplayRowSizer::PendingTypeOf(uint32_t table_id) {
  auto built = pending_.find(table_id);
  if (built != pending_.end()) return &built->second;
  std::vector<std::optional<sats::AlgebraicType>> columns;
  if (const table::Table* table = datastore_.GetTable(table_id))
    for (const auto& c : table->schema().columns) columns.emplace_back(c.type);
  for (const auto& [position, type] : pending_columns_.at(table_id)) {
    if (position >= columns.size()) columns.resize(size_t(position) + 1);
    columns[position] = type;
  }
  sats::ProductType product;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!columns[i]) return Corrupt(table_id, "its st_column rows skip column position " + std::to_string(i));
    product.elements.push_back({std::nullopt, *columns[i]});
  }
  table::RowLayout layout(product);
  RowType& entry = pending_[table_id];
  entry.fixed_size = layout.fixed_row_size();
  entry.type = sats::AlgebraicType::Product(std::move(product));
  return &entry;
}

}  // namespace stdb::durability
