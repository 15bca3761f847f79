#include "table/table.h"

#include <absl/hash/hash.h>

#include <cstring>
#include <string_view>

namespace stdb::table {

namespace {

std::string_view AsView(ByteSpan b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

bool SameBytes(ByteSpan a, ByteSpan b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

bool SameKey(const IndexKey& a, const IndexKey& b, KeyShape shape) {
  return shape == KeyShape::kU64 ? a.u64 == b.u64 : a.bytes == b.bytes;
}

}  // namespace

const TableIndex::View* TableView::FindIndex(IndexId id) const {
  for (size_t i = 0; i < schema->indexes.size(); ++i)
    if (schema->indexes[i].index_id == id) return &indexes[i];
  return nullptr;
}

size_t Table::RowHash::operator()(RowId id) const { return (*this)(rows->Get(id)); }
size_t Table::RowHash::operator()(ByteSpan bytes) const { return absl::Hash<std::string_view>{}(AsView(bytes)); }
bool Table::RowEq::operator()(RowId a, ByteSpan b) const { return SameBytes(rows->Get(a), b); }

Table::Table(std::shared_ptr<const TableSchema> schema, SnapshotEpochs* epochs)
    : schema_(std::move(schema)),
      layout_(std::make_shared<RowLayout>(schema_->RowType())),
      epochs_(epochs),
      rows_(layout_->fixed_row_size(), epochs),
      row_set_(0, RowHash{&rows_}, RowEq{&rows_}) {
  for (const auto& index : schema_->indexes) indexes_.push_back(std::make_unique<TableIndex>(index, *layout_, &rows_, epochs_));
  ChooseIdentityIndex();
}

void Table::ChooseIdentityIndex() {
  identity_index_ = nullptr;
  for (const auto& index : indexes_) {
    if (index->unique()) {
      identity_index_ = index.get();
      break;
    }
  }
}

Error Table::UniqueViolation(const TableIndex& index, ByteSpan row) const {
  std::string constraint = index.schema().name;
  for (const auto& c : schema_->constraints)
    if (c.columns == index.schema().columns) constraint = c.name;
  std::string value;
  const auto& cols = index.schema().columns;
  if (cols.size() > 1) value = "(";
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) value += ", ";
    auto v = sats::bsatn::DecodeValue(layout_->column_type(cols[i]), layout_->Column(row, cols[i]));
    value += v.ok() ? v->ToString() : "?";
  }
  if (cols.size() > 1) value += ")";
  return Error(ErrorCode::kConstraint, "Unique constraint violation '" + constraint + "' in table '" + schema_->name +
                                           "': column(s): '" + schema_->ColumnList(cols) + "' value: " + value);
}

RowId Table::FindIdentical(ByteSpan row) const {
  if (identity_index_) {
    RowId found = identity_index_->Find(identity_index_->KeyOfRow(row));
    return found != kNoRow && SameBytes(rows_.Get(found), row) ? found : kNoRow;
  }
  auto it = row_set_.find(row);
  return it == row_set_.end() ? kNoRow : *it;
}

Result<InsertOutcome> Table::Insert(ByteSpan row) {
  if (identity_index_) {
    RowId found = identity_index_->Find(identity_index_->KeyOfRow(row));
    if (found != kNoRow) {
      if (SameBytes(rows_.Get(found), row)) return InsertOutcome{found, true};
      return UniqueViolation(*identity_index_, row);
    }
  } else {
    auto it = row_set_.find(row);
    if (it != row_set_.end()) return InsertOutcome{*it, true};
  }
  for (const auto& index : indexes_) {
    if (!index->unique() || index.get() == identity_index_) continue;
    if (index->Find(index->KeyOfRow(row)) != kNoRow) return UniqueViolation(*index, row);
  }
  RowId id = rows_.Insert(row);
  IndexRow(rows_.Get(id), id);
  return InsertOutcome{id, false};
}

void Table::IndexRow(ByteSpan row, RowId id) {
  for (const auto& index : indexes_) index->Insert(row, id);
  if (UsesRowSet()) row_set_.insert(id);
}

void Table::UnindexRow(ByteSpan row, RowId id) {
  for (const auto& index : indexes_) index->Erase(row, id);
  if (UsesRowSet()) row_set_.erase(id);
}

void Table::Delete(RowId id) {
  UnindexRow(rows_.Get(id), id);
  rows_.MarkAbsent(id);
}

void Table::Restore(RowId id) {
  rows_.MarkPresent(id);
  IndexRow(rows_.Get(id), id);
}

void Table::Remove(RowId id) {
  UnindexRow(rows_.Get(id), id);
  rows_.MarkAbsent(id);
  rows_.Release(id);
}

Status Table::Replace(RowId id, ByteSpan new_row) {
  ByteSpan old_row = rows_.Get(id);
  if (SameBytes(old_row, new_row)) return OkStatus();
  // Keys that change, and unique checks for them, before touching anything.
  std::vector<std::pair<TableIndex*, IndexKey>> old_keys;
  for (const auto& index : indexes_) {
    IndexKey old_key = index->KeyOfRow(old_row);
    IndexKey new_key = index->KeyOfRow(new_row);
    if (SameKey(old_key, new_key, index->shape())) continue;
    if (index->unique() && index->Find(new_key) != kNoRow)
      return UniqueViolation(*index, new_row);
    old_keys.emplace_back(index.get(), std::move(old_key));
  }
  for (auto& [index, key] : old_keys) index->Erase(old_row, id);
  if (UsesRowSet()) row_set_.erase(id);
  rows_.Overwrite(id, new_row);
  ByteSpan stored = rows_.Get(id);
  for (auto& [index, key] : old_keys) index->Insert(stored, id);
  if (UsesRowSet()) row_set_.insert(id);
  return OkStatus();
}

const TableIndex* Table::FindIndex(IndexId id) const {
  for (const auto& index : indexes_)
    if (index->schema().index_id == id) return index.get();
  return nullptr;
}

Status Table::AddIndex(const IndexSchema& schema) {
  auto index = std::make_unique<TableIndex>(schema, *layout_, &rows_, epochs_);
  Status status = OkStatus();
  rows_.view().ForEach([&](RowId id, ByteSpan row) {
    if (!status.ok()) return;
    if (index->unique() && index->Find(index->KeyOfRow(row)) != kNoRow) {
      status = UniqueViolation(*index, row);
      return;
    }
    index->Insert(row, id);
  });
  if (!status.ok()) return status;
  auto new_schema = std::make_shared<TableSchema>(*schema_);
  new_schema->indexes.push_back(schema);
  schema_ = std::move(new_schema);
  bool had_row_set = UsesRowSet();
  indexes_.push_back(std::move(index));
  ChooseIdentityIndex();
  if (had_row_set && !UsesRowSet()) RowSet(0, RowHash{&rows_}, RowEq{&rows_}).swap(row_set_);
  return OkStatus();
}

void Table::DropIndex(IndexId id) {
  auto new_schema = std::make_shared<TableSchema>(*schema_);
  for (size_t i = 0; i < indexes_.size(); ++i) {
    if (indexes_[i]->schema().index_id != id) continue;
    indexes_.erase(indexes_.begin() + long(i));
    new_schema->indexes.erase(new_schema->indexes.begin() + long(i));
    break;
  }
  schema_ = std::move(new_schema);
  bool had_row_set = UsesRowSet();
  ChooseIdentityIndex();
  if (!had_row_set && UsesRowSet()) rows_.view().ForEach([&](RowId rid, ByteSpan) { row_set_.insert(rid); });
}

void Table::SetSchema(std::shared_ptr<const TableSchema> schema) { schema_ = std::move(schema); }

void Table::Clear() {
  rows_.Clear();
  for (auto& index : indexes_) index->Clear();
  row_set_.clear();
}

TableView Table::view() const {
  TableView v;
  v.schema = schema_;
  v.layout = layout_;
  v.rows = rows_.view();
  for (const auto& index : indexes_) v.indexes.push_back(index->view());
  return v;
}

size_t Table::memory_bytes() const {
  size_t total = rows_.memory_bytes() + row_set_.capacity() * (sizeof(RowId) + 1);
  for (const auto& index : indexes_) total += index->memory_bytes();
  return total;
}

}  // namespace stdb::table
