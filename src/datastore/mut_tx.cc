#include "datastore/mut_tx.h"

#include <absl/container/flat_hash_map.h>

#include <cstring>
#include <set>
#include <string_view>

namespace stdb::datastore {

using table::IndexKey;
using table::Table;
using table::TableIndex;

namespace {

bool AllZero(sats::ByteSpan b) {
  for (uint8_t x : b)
    if (x) return false;
  return true;
}

// Writes the i128 `v` into a little-endian integer field of `n` bytes (sign-extending past 16 bytes).
void WriteInteger(uint8_t* out, size_t n, sats::i128 v) {
  uint8_t bytes[32];
  std::memcpy(bytes, &v, 16);
  std::memset(bytes + 16, v < 0 ? 0xFF : 0x00, 16);
  std::memcpy(out, bytes, n);
}

std::string_view AsView(sats::ByteSpan b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

}  // namespace

MutTx::~MutTx() {
  if (open_) Rollback();
}

const TableSchema* MutTx::Schema(TableId id) const {
  const Table* t = ds_->GetTable(id);
  return t ? &t->schema() : nullptr;
}

Result<TableId> MutTx::TableIdFromName(std::string_view name) const {
  auto id = ds_->TableIdByName(name);
  if (!id) return Error(ErrorCode::kNoSuchTable, "no table named '" + std::string(name) + "'");
  return *id;
}

Result<std::pair<TableId, IndexId>> MutTx::IndexIdFromName(std::string_view name) const {
  ds_->RebuildNameIndex();
  auto it = ds_->index_names_.find(name);
  if (it == ds_->index_names_.end()) return Error(ErrorCode::kNoSuchIndex, "no index named '" + std::string(name) + "'");
  return it->second;
}

Result<TableId> MutTx::TableOfIndex(IndexId index) const {
  ds_->RebuildNameIndex();
  auto it = ds_->index_tables_.find(index);
  if (it == ds_->index_tables_.end()) return Error(ErrorCode::kNoSuchIndex, "no index with id " + std::to_string(index));
  return it->second;
}

std::unique_ptr<DatabaseView> MutTx::View() const { return ds_->CurrentView(); }

uint64_t MutTx::RowCount(TableId id) const {
  const Table* t = ds_->GetTable(id);
  return t ? t->row_count() : 0;
}

Result<Table*> MutTx::WritableTable(TableId id) {
  Table* t = ds_->MutableTable(id);
  if (!t) return Error(ErrorCode::kNoSuchTable, "no table with id " + std::to_string(id));
  return t;
}

// --- sequences ---------------------------------------------------------------------------------------------------

Result<sats::i128> MutTx::NextSequenceValue(SequenceId seq) {
  auto it = ds_->sequences_.find(seq);
  if (it == ds_->sequences_.end()) return Error(ErrorCode::kNotFound, "no sequence with id " + std::to_string(seq));
  SequenceState& s = it->second;
  undo_.push_back({UndoKind::kSequence, 0, 0, seq, 0, s.next, s.allocated});
  if (s.next == s.allocated) {
    s.allocated = s.BlockEnd(s.next);
    STDB_RETURN_IF_ERROR(PersistSequence(seq));
  }
  sats::i128 value = s.next;
  sats::i128 stepped = s.Step(value);
  bool wrapped = s.schema.increment > 0 ? stepped <= value : stepped >= value;
  s.next = stepped;
  if (wrapped) s.allocated = stepped;  // a wrapped counter re-reserves before handing out more
  return value;
}

Status MutTx::PersistSequence(SequenceId seq) {
  const SequenceState& s = ds_->sequences_.at(seq);
  Table* st = ds_->MutableTable(kStSequence);
  IndexKey key;
  key.u64 = seq;
  table::RowId rid = TableIndex::FindFirst(st->FindIndex(4)->view(), key);
  if (rid == table::kNoRow) return Error(ErrorCode::kInternal, "sequence " + std::to_string(seq) + " has no st_sequence row");
  STDB_ASSIGN_OR_RETURN(StSequenceRow row, StSequenceRow::Decode(st->Get(rid)));
  row.allocated = s.allocated;
  sats::Bytes bytes = row.Encode();
  sats::ByteSpan old = st->Get(rid);
  uint32_t offset = uint32_t(undo_bytes_.size());
  undo_bytes_.insert(undo_bytes_.end(), old.begin(), old.end());
  STDB_RETURN_IF_ERROR(st->Replace(rid, bytes));
  undo_.push_back({UndoKind::kReplace, kStSequence, rid, offset, uint32_t(old.size()), 0, 0});
  return OkStatus();
}

Status MutTx::ApplySequences(const Table& t, sats::Bytes& row, sats::Bytes& generated) {
  for (const auto& seq : t.schema().sequences) {
    sats::ByteSpan col = t.layout().Column(row, seq.column);
    if (!AllZero(col)) continue;
    size_t offset = size_t(col.data() - row.data());
    STDB_ASSIGN_OR_RETURN(sats::i128 v, NextSequenceValue(seq.sequence_id));
    WriteInteger(row.data() + offset, col.size(), v);
    generated.insert(generated.end(), row.begin() + long(offset), row.begin() + long(offset + col.size()));
  }
  return OkStatus();
}

// --- rows ----------------------------------------------------------------------------------------------------------

Result<InsertResult> MutTx::Insert(TableId table_id, sats::ByteSpan row) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  STDB_RETURN_IF_ERROR(t->ValidateRow(row));
  InsertResult out;
  table::InsertOutcome outcome;
  if (t->schema().sequences.empty()) {
    STDB_ASSIGN_OR_RETURN(outcome, t->Insert(row));
  } else {
    sats::Bytes filled(row.begin(), row.end());
    STDB_RETURN_IF_ERROR(ApplySequences(*t, filled, out.generated));
    STDB_ASSIGN_OR_RETURN(outcome, t->Insert(filled));
  }
  out.row_id = outcome.row_id;
  out.existed = outcome.existed;
  if (!outcome.existed) {
    undo_.push_back({UndoKind::kInsert, table_id, outcome.row_id, 0, 0, 0, 0});
    if (IsSystemTable(table_id)) ds_->names_dirty_ = true;
  }
  return out;
}

Status MutTx::Delete(TableId table_id, RowId row) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  if (!t->IsPresent(row)) return Error(ErrorCode::kNoSuchRow, "row " + std::to_string(row) + " is not present");
  t->Delete(row);
  undo_.push_back({UndoKind::kDelete, table_id, row, 0, 0, 0, 0});
  if (IsSystemTable(table_id)) ds_->names_dirty_ = true;
  return OkStatus();
}

Result<bool> MutTx::DeleteByValue(TableId table_id, sats::ByteSpan row) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  STDB_RETURN_IF_ERROR(t->ValidateRow(row));
  RowId id = t->FindIdentical(row);
  if (id == table::kNoRow) return false;
  STDB_RETURN_IF_ERROR(Delete(table_id, id));
  return true;
}

Result<UpdateResult> MutTx::Update(TableId table_id, IndexId index_id, sats::ByteSpan row) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  const TableIndex* index = t->FindIndex(index_id);
  if (!index)
    return Error(ErrorCode::kNoSuchIndex, "table '" + t->schema().name + "' has no index with id " + std::to_string(index_id));
  if (!index->unique())
    return Error(ErrorCode::kIndexNotUnique, "index '" + index->schema().name + "' is not unique; update needs a unique index");
  STDB_RETURN_IF_ERROR(t->ValidateRow(row));
  UpdateResult out;
  sats::Bytes filled(row.begin(), row.end());
  if (!t->schema().sequences.empty()) STDB_RETURN_IF_ERROR(ApplySequences(*t, filled, out.generated));
  RowId rid = index->Find(index->KeyOfRow(filled));
  if (rid == table::kNoRow)
    return Error(ErrorCode::kNoSuchRow, "no row in '" + t->schema().name + "' has that key in index '" + index->schema().name + "'");
  out.row_id = rid;
  sats::ByteSpan old = t->Get(rid);
  if (AsView(old) == AsView(filled)) return out;
  uint32_t offset = uint32_t(undo_bytes_.size());
  undo_bytes_.insert(undo_bytes_.end(), old.begin(), old.end());
  uint32_t length = uint32_t(old.size());
  Status s = t->Replace(rid, filled);
  if (!s.ok()) {
    undo_bytes_.resize(offset);
    return std::move(s).error();
  }
  undo_.push_back({UndoKind::kReplace, table_id, rid, offset, length, 0, 0});
  if (IsSystemTable(table_id)) ds_->names_dirty_ = true;
  return out;
}

Result<uint64_t> MutTx::Clear(TableId table_id) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  std::vector<RowId> ids;
  t->rows().view().ForEach([&](RowId id, sats::ByteSpan) { ids.push_back(id); });
  for (RowId id : ids) STDB_RETURN_IF_ERROR(Delete(table_id, id));
  return uint64_t(ids.size());
}

Status MutTx::DeleteWhere(TableId table_id, const std::function<bool(sats::ByteSpan)>& match) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  std::vector<RowId> ids;
  t->rows().view().ForEach([&](RowId id, sats::ByteSpan row) {
    if (match(row)) ids.push_back(id);
  });
  for (RowId id : ids) STDB_RETURN_IF_ERROR(Delete(table_id, id));
  return OkStatus();
}

// --- schema --------------------------------------------------------------------------------------------------------

void MutTx::PushSchemaUndo(std::function<void()> undo) {
  undo_.push_back({UndoKind::kSchema, 0, 0, uint32_t(schema_undo_.size()), 0, 0, 0});
  schema_undo_.push_back(std::move(undo));
  ds_->names_dirty_ = true;
}

Result<TableSchema> MutTx::BuildFromSystemTables(TableId id) {
  STDB_ASSIGN_OR_RETURN(auto schema, ds_->SchemaFromSystemTables(id));
  if (!schema) return Error(ErrorCode::kInternal, "table " + std::to_string(id) + " has no st_table row");
  return std::move(*schema);
}

Result<TableId> MutTx::CreateTable(const TableSchema& def) {
  if (ds_->TableIdByName(def.name))
    return Error(ErrorCode::kAlreadyExists, "a table named '" + def.name + "' already exists");
  if (def.columns.size() > UINT16_MAX) return Error(ErrorCode::kInvalidArgument, "too many columns");
  size_t savepoint = Savepoint();
  auto fail = [&](Error e) {
    RollbackTo(savepoint);
    return e;
  };
  auto next_id = [&](SequenceId seq) -> Result<uint32_t> {
    STDB_ASSIGN_OR_RETURN(sats::i128 v, NextSequenceValue(seq));
    return uint32_t(v);
  };
  auto insert = [&](TableId st, const sats::Bytes& row) -> Status {
    auto r = Insert(st, row);
    if (!r.ok()) return std::move(r).error();
    return OkStatus();
  };
  auto id_or = next_id(kStTableIdSeq);
  if (!id_or.ok()) return fail(std::move(id_or).error());
  TableId id = *id_or;

  StTableRow trow{id, def.name, def.is_system ? "system" : "user", def.is_public ? "public" : "private", std::nullopt};
  if (def.primary_key) trow.primary_key = std::vector<ColId>{*def.primary_key};
  Status s = insert(kStTable, trow.Encode());
  for (size_t c = 0; s.ok() && c < def.columns.size(); ++c)
    s = insert(kStColumn, StColumnRow{id, ColId(c), def.columns[c].name, def.columns[c].type}.Encode());
  // Indexes, and a unique constraint for each unique index (constraints without an index get a btree index).
  std::vector<table::IndexSchema> indexes = def.indexes;
  for (const auto& c : def.constraints) {
    bool backed = false;
    for (auto& index : indexes)
      if (index.columns == c.columns) backed = index.unique = true;
    if (!backed) {
      std::string cols;
      for (ColId col : c.columns) cols += "_" + (col < def.columns.size() ? def.columns[col].name : std::to_string(col));
      indexes.push_back({0, def.name + cols + "_idx_btree", table::IndexAlgorithm::kBTree, c.columns, true});
    }
  }
  for (auto& index : indexes) {
    if (!s.ok()) break;
    auto iid = next_id(kStIndexIdSeq);
    if (!iid.ok()) return fail(std::move(iid).error());
    s = insert(kStIndex, StIndexRow{*iid, id, index.name, index.algorithm, index.columns}.Encode());
    if (!s.ok() || !index.unique) continue;
    std::string cname;
    for (const auto& c : def.constraints)
      if (c.columns == index.columns) cname = c.name;
    if (cname.empty()) {
      cname = def.name;
      for (ColId col : index.columns) cname += "_" + def.columns[col].name;
      cname += "_key";
    }
    auto cid = next_id(kStConstraintIdSeq);
    if (!cid.ok()) return fail(std::move(cid).error());
    s = insert(kStConstraint, StConstraintRow{*cid, cname, id, index.columns}.Encode());
  }
  for (const auto& seq : def.sequences) {
    if (!s.ok()) break;
    auto sid = next_id(kStSequenceIdSeq);
    if (!sid.ok()) return fail(std::move(sid).error());
    StSequenceRow row{*sid, seq.name, id, seq.column, seq.increment, seq.start, seq.min_value, seq.max_value, seq.start};
    s = insert(kStSequence, row.Encode());
  }
  if (s.ok() && def.schedule) {
    auto sid = next_id(kStScheduledIdSeq);
    if (!sid.ok()) return fail(std::move(sid).error());
    s = insert(kStScheduled, StScheduledRow{*sid, id, def.schedule->reducer_name, def.schedule->name,
                                            def.schedule->at_column}.Encode());
  }
  if (s.ok() && def.is_event) s = insert(kStEventTable, StEventTableRow{id}.Encode());
  if (!s.ok()) return fail(std::move(s).error());

  auto schema = BuildFromSystemTables(id);
  if (!schema.ok()) return fail(std::move(schema).error());
  auto shared = std::make_shared<const TableSchema>(std::move(*schema));
  ds_->tables_[id] = std::make_unique<Table>(shared, ds_->epochs_.get());
  ds_->RegisterSequences(*shared);
  Datastore* ds = ds_;
  std::vector<SequenceId> seq_ids;
  for (const auto& q : shared->sequences) seq_ids.push_back(q.sequence_id);
  PushSchemaUndo([ds, id, seq_ids] {
    ds->tables_.erase(id);
    for (SequenceId q : seq_ids) ds->sequences_.erase(q);
  });
  return id;
}

Status MutTx::DropTable(TableId table_id) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  if (t->schema().is_system) return Error(ErrorCode::kPermissionDenied, "system table '" + t->schema().name + "' cannot be dropped");
  const TableSchema schema = t->schema();
  auto about_table = [&](sats::ByteSpan row) {
    sats::bsatn::Reader r(row);
    return r.U32() == table_id;
  };
  std::set<std::string> index_names;
  for (const auto& i : schema.indexes) index_names.insert(i.name);
  STDB_RETURN_IF_ERROR(DeleteWhere(kStTable, about_table));
  STDB_RETURN_IF_ERROR(DeleteWhere(kStColumn, about_table));
  STDB_RETURN_IF_ERROR(DeleteWhere(kStEventTable, about_table));
  STDB_RETURN_IF_ERROR(DeleteWhere(kStIndex, [&](sats::ByteSpan row) {
    auto i = StIndexRow::Decode(row);
    return i.ok() && i->table_id == table_id;
  }));
  STDB_RETURN_IF_ERROR(DeleteWhere(kStConstraint, [&](sats::ByteSpan row) {
    auto c = StConstraintRow::Decode(row);
    return c.ok() && c->table_id == table_id;
  }));
  STDB_RETURN_IF_ERROR(DeleteWhere(kStSequence, [&](sats::ByteSpan row) {
    auto q = StSequenceRow::Decode(row);
    return q.ok() && q->table_id == table_id;
  }));
  STDB_RETURN_IF_ERROR(DeleteWhere(kStScheduled, [&](sats::ByteSpan row) {
    auto q = StScheduledRow::Decode(row);
    return q.ok() && q->table_id == table_id;
  }));
  STDB_RETURN_IF_ERROR(DeleteWhere(kStTableAccessor, [&](sats::ByteSpan row) {
    auto a = StTableAccessorRow::Decode(row);
    return a.ok() && a->table_name == schema.name;
  }));
  STDB_RETURN_IF_ERROR(DeleteWhere(kStIndexAccessor, [&](sats::ByteSpan row) {
    auto a = StIndexAccessorRow::Decode(row);
    return a.ok() && index_names.count(a->index_name);
  }));
  // Detach the table object; rollback puts it back.
  auto it = ds_->tables_.find(table_id);
  size_t slot = dropped_.size();
  dropped_.push_back(std::move(it->second));
  ds_->tables_.erase(it);
  std::vector<std::pair<SequenceId, SequenceState>> seqs;
  for (const auto& q : schema.sequences) {
    auto sit = ds_->sequences_.find(q.sequence_id);
    if (sit != ds_->sequences_.end()) {
      seqs.emplace_back(sit->first, sit->second);
      ds_->sequences_.erase(sit);
    }
  }
  Datastore* ds = ds_;
  PushSchemaUndo([this, ds, table_id, slot, seqs] {
    ds->tables_[table_id] = std::move(dropped_[slot]);
    for (const auto& [q, state] : seqs) ds->sequences_[q] = state;
  });
  return OkStatus();
}

Result<IndexId> MutTx::CreateIndex(TableId table_id, table::IndexSchema def, std::string constraint_name) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  for (ColId c : def.columns)
    if (c >= t->schema().columns.size())
      return Error(ErrorCode::kInvalidArgument, "index '" + def.name + "' refers to column " + std::to_string(c) +
                                                    " but table '" + t->schema().name + "' has " +
                                                    std::to_string(t->schema().columns.size()));
  ds_->RebuildNameIndex();
  if (ds_->index_names_.count(def.name)) return Error(ErrorCode::kAlreadyExists, "index '" + def.name + "' already exists");
  size_t savepoint = Savepoint();
  STDB_ASSIGN_OR_RETURN(sats::i128 iid, NextSequenceValue(kStIndexIdSeq));
  def.index_id = IndexId(iid);
  auto r = Insert(kStIndex, StIndexRow{def.index_id, table_id, def.name, def.algorithm, def.columns}.Encode());
  Status s = r.ok() ? OkStatus() : Status(std::move(r).error());
  if (s.ok() && def.unique) {
    if (constraint_name.empty()) {
      constraint_name = t->schema().name;
      for (ColId c : def.columns) constraint_name += "_" + t->schema().columns[c].name;
      constraint_name += "_key";
    }
    auto cid = NextSequenceValue(kStConstraintIdSeq);
    if (!cid.ok()) s = std::move(cid).error();
    else {
      auto cr = Insert(kStConstraint, StConstraintRow{ConstraintId(*cid), constraint_name, table_id, def.columns}.Encode());
      if (!cr.ok()) s = std::move(cr).error();
    }
  }
  if (s.ok()) {
    auto old_schema = t->schema_ptr();
    s = t->AddIndex(def);
    if (s.ok()) {
      auto schema = BuildFromSystemTables(table_id);
      if (!schema.ok()) return std::move(schema).error();
      t->SetSchema(std::make_shared<const TableSchema>(std::move(*schema)));
      IndexId id = def.index_id;
      Datastore* ds = ds_;
      PushSchemaUndo([ds, table_id, id, old_schema] {
        table::Table* tb = ds->MutableTable(table_id);
        tb->DropIndex(id);
        tb->SetSchema(old_schema);
      });
      return id;
    }
  }
  RollbackTo(savepoint);
  return std::move(s).error();
}

Status MutTx::DropIndex(TableId table_id, IndexId index_id) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  const table::IndexSchema* index = t->schema().FindIndex(index_id);
  if (!index) return Error(ErrorCode::kNoSuchIndex, "table '" + t->schema().name + "' has no index " + std::to_string(index_id));
  table::IndexSchema dropped = *index;
  STDB_RETURN_IF_ERROR(DeleteWhere(kStIndex, [&](sats::ByteSpan row) {
    auto i = StIndexRow::Decode(row);
    return i.ok() && i->index_id == index_id;
  }));
  if (dropped.unique) {
    STDB_RETURN_IF_ERROR(DeleteWhere(kStConstraint, [&](sats::ByteSpan row) {
      auto c = StConstraintRow::Decode(row);
      return c.ok() && c->table_id == table_id && c->columns == dropped.columns;
    }));
  }
  STDB_RETURN_IF_ERROR(DeleteWhere(kStIndexAccessor, [&](sats::ByteSpan row) {
    auto a = StIndexAccessorRow::Decode(row);
    return a.ok() && a->index_name == dropped.name;
  }));
  auto old_schema = t->schema_ptr();
  t->DropIndex(index_id);
  STDB_ASSIGN_OR_RETURN(auto schema, BuildFromSystemTables(table_id));
  t->SetSchema(std::make_shared<const TableSchema>(std::move(schema)));
  Datastore* ds = ds_;
  PushSchemaUndo([ds, table_id, dropped, old_schema] {
    table::Table* tb = ds->MutableTable(table_id);
    (void)tb->AddIndex(dropped);  // the rows were consistent with it before the drop
    tb->SetSchema(old_schema);
  });
  return OkStatus();
}

Status MutTx::SetAccess(TableId table_id, bool is_public) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  if (t->schema().is_public == is_public) return OkStatus();
  Table* st = ds_->MutableTable(kStTable);
  IndexKey key;
  key.u64 = table_id;
  RowId rid = TableIndex::FindFirst(st->FindIndex(1)->view(), key);
  STDB_ASSIGN_OR_RETURN(StTableRow row, StTableRow::Decode(st->Get(rid)));
  row.table_access = is_public ? "public" : "private";
  auto updated = Update(kStTable, 1, row.Encode());
  if (!updated.ok()) return std::move(updated).error();
  auto old_schema = t->schema_ptr();
  auto schema = std::make_shared<TableSchema>(*old_schema);
  schema->is_public = is_public;
  t->SetSchema(schema);
  Datastore* ds = ds_;
  PushSchemaUndo([ds, table_id, old_schema] { ds->MutableTable(table_id)->SetSchema(old_schema); });
  return OkStatus();
}

Status MutTx::RefreshSchema(TableId table_id) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  STDB_ASSIGN_OR_RETURN(auto schema, BuildFromSystemTables(table_id));
  auto old_schema = t->schema_ptr();
  auto fresh = std::make_shared<const TableSchema>(std::move(schema));
  // Sequences may have been added or removed: keep the counters of those that remain.
  std::vector<std::pair<SequenceId, SequenceState>> old_states;
  for (const auto& q : old_schema->sequences) {
    auto it = ds_->sequences_.find(q.sequence_id);
    if (it != ds_->sequences_.end()) old_states.emplace_back(it->first, it->second);
  }
  for (const auto& q : old_schema->sequences) ds_->sequences_.erase(q.sequence_id);
  t->SetSchema(fresh);
  ds_->RegisterSequences(*fresh);
  for (const auto& [id, state] : old_states) {
    auto it = ds_->sequences_.find(id);
    if (it != ds_->sequences_.end()) {
      it->second.next = state.next;
      it->second.allocated = state.allocated;
    }
  }
  Datastore* ds = ds_;
  PushSchemaUndo([ds, table_id, old_schema, fresh, old_states] {
    table::Table* tb = ds->MutableTable(table_id);
    if (!tb) return;
    for (const auto& q : fresh->sequences) ds->sequences_.erase(q.sequence_id);
    tb->SetSchema(old_schema);
    for (const auto& [id, state] : old_states) ds->sequences_[id] = state;
  });
  return OkStatus();
}

Result<table::RowId> MutTx::StTableRowOf(TableId table_id) {
  const Table* st = ds_->GetTable(kStTable);
  IndexKey key;
  key.u64 = table_id;
  RowId rid = TableIndex::FindFirst(st->FindIndex(1)->view(), key);
  if (rid == table::kNoRow) return Error(ErrorCode::kNoSuchTable, "no st_table row for table " + std::to_string(table_id));
  return rid;
}

Status MutTx::SetPrimaryKey(TableId table_id, std::optional<ColId> column) {
  STDB_ASSIGN_OR_RETURN(RowId rid, StTableRowOf(table_id));
  STDB_ASSIGN_OR_RETURN(StTableRow row, StTableRow::Decode(ds_->GetTable(kStTable)->Get(rid)));
  if (column) row.primary_key = std::vector<ColId>{*column};
  else row.primary_key.reset();
  auto updated = Update(kStTable, 1, row.Encode());
  if (!updated.ok()) return std::move(updated).error();
  return RefreshSchema(table_id);
}

Result<SequenceId> MutTx::CreateSequence(TableId table_id, table::SequenceSchema def) {
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  if (def.column >= t->schema().columns.size() || !t->schema().columns[def.column].type.IsInteger())
    return Error(ErrorCode::kInvalidArgument, "sequence '" + def.name + "' must be on an integer column");
  if (def.increment == 0) return Error(ErrorCode::kInvalidArgument, "sequence '" + def.name + "' has increment 0");
  if (def.min_value > def.start || def.start > def.max_value)
    return Error(ErrorCode::kInvalidArgument, "sequence '" + def.name + "' needs min <= start <= max");
  STDB_ASSIGN_OR_RETURN(sats::i128 sid, NextSequenceValue(kStSequenceIdSeq));
  StSequenceRow row{SequenceId(sid), def.name, table_id, def.column, def.increment, def.start, def.min_value,
                    def.max_value, def.start};
  auto r = Insert(kStSequence, row.Encode());
  if (!r.ok()) return std::move(r).error();
  STDB_RETURN_IF_ERROR(RefreshSchema(table_id));
  return SequenceId(sid);
}

Status MutTx::DropSequence(TableId table_id, SequenceId sequence) {
  STDB_RETURN_IF_ERROR(DeleteWhere(kStSequence, [&](sats::ByteSpan row) {
    auto q = StSequenceRow::Decode(row);
    return q.ok() && q->sequence_id == sequence && q->table_id == table_id;
  }));
  return RefreshSchema(table_id);
}

Status MutTx::SetSchedule(TableId table_id, std::optional<table::ScheduleSchema> schedule) {
  STDB_RETURN_IF_ERROR(DeleteWhere(kStScheduled, [&](sats::ByteSpan row) {
    auto q = StScheduledRow::Decode(row);
    return q.ok() && q->table_id == table_id;
  }));
  if (schedule) {
    STDB_ASSIGN_OR_RETURN(sats::i128 sid, NextSequenceValue(kStScheduledIdSeq));
    auto r = Insert(kStScheduled, StScheduledRow{uint32_t(sid), table_id, schedule->reducer_name, schedule->name,
                                                 schedule->at_column}.Encode());
    if (!r.ok()) return std::move(r).error();
  }
  return RefreshSchema(table_id);
}

Status MutTx::ReplaceRowLevelSecurity(const std::vector<std::pair<TableId, std::string>>& rules) {
  STDB_RETURN_IF_ERROR(DeleteWhere(kStRowLevelSecurity, [](sats::ByteSpan) { return true; }));
  for (const auto& [table_id, sql] : rules) {
    auto r = Insert(kStRowLevelSecurity, StRowLevelSecurityRow{table_id, sql}.Encode());
    if (!r.ok()) return std::move(r).error();
  }
  return OkStatus();
}

Result<TableId> MutTx::AddColumns(TableId table_id, const std::vector<table::ColumnSchema>& columns,
                                  const std::vector<sats::Bytes>& defaults) {
  if (columns.size() != defaults.size())
    return Error(ErrorCode::kInvalidArgument, "every added column needs a default value");
  STDB_ASSIGN_OR_RETURN(Table * t, WritableTable(table_id));
  for (size_t i = 0; i < columns.size(); ++i)
    STDB_RETURN_IF_ERROR(sats::bsatn::ValidateValue(columns[i].type, defaults[i]));
  TableSchema def = t->schema();
  for (const auto& c : columns) def.columns.push_back(c);
  sats::Bytes suffix;
  for (const auto& d : defaults) suffix.insert(suffix.end(), d.begin(), d.end());
  std::vector<sats::Bytes> rows;
  t->rows().view().ForEach([&](RowId, sats::ByteSpan row) {
    sats::Bytes r(row.begin(), row.end());
    r.insert(r.end(), suffix.begin(), suffix.end());
    rows.push_back(std::move(r));
  });
  // Keep sequence positions and aliases across the rebuild.
  std::map<ColId, SequenceState> counters;
  for (const auto& q : def.sequences) counters[q.column] = ds_->sequences_.at(q.sequence_id);
  std::vector<sats::Bytes> table_aliases, index_aliases;
  ds_->GetTable(kStTableAccessor)->rows().view().ForEach([&](RowId, sats::ByteSpan row) {
    auto a = StTableAccessorRow::Decode(row);
    if (a.ok() && a->table_name == def.name) table_aliases.emplace_back(row.begin(), row.end());
  });
  ds_->GetTable(kStIndexAccessor)->rows().view().ForEach([&](RowId, sats::ByteSpan row) {
    auto a = StIndexAccessorRow::Decode(row);
    if (a.ok() && def.FindIndexByName(a->index_name)) index_aliases.emplace_back(row.begin(), row.end());
  });
  size_t savepoint = Savepoint();
  Status s = DropTable(table_id);
  if (!s.ok()) return s.error();
  auto new_id = CreateTable(def);
  if (!new_id.ok()) {
    RollbackTo(savepoint);
    return std::move(new_id).error();
  }
  for (const auto& q : ds_->GetTable(*new_id)->schema().sequences) {
    SequenceState& state = ds_->sequences_.at(q.sequence_id);
    undo_.push_back({UndoKind::kSequence, 0, 0, q.sequence_id, 0, state.next, state.allocated});
    state.next = state.allocated = counters[q.column].next;
    s = PersistSequence(q.sequence_id);
    if (!s.ok()) break;
  }
  for (const auto& row : table_aliases) {
    if (!s.ok()) break;
    auto r = Insert(kStTableAccessor, row);
    if (!r.ok()) s = std::move(r).error();
  }
  for (const auto& row : index_aliases) {
    if (!s.ok()) break;
    auto r = Insert(kStIndexAccessor, row);
    if (!r.ok()) s = std::move(r).error();
  }
  for (const auto& row : rows) {
    if (!s.ok()) break;
    auto r = Insert(*new_id, row);
    if (!r.ok()) s = std::move(r).error();
  }
  if (!s.ok()) {
    RollbackTo(savepoint);
    return s.error();
  }
  return *new_id;
}

Status MutTx::AddTableAlias(const std::string& table_name, const std::string& alias) {
  auto r = Insert(kStTableAccessor, StTableAccessorRow{table_name, alias}.Encode());
  return r.ok() ? OkStatus() : Status(std::move(r).error());
}

Status MutTx::AddIndexAlias(const std::string& index_name, const std::string& alias) {
  auto r = Insert(kStIndexAccessor, StIndexAccessorRow{index_name, alias}.Encode());
  return r.ok() ? OkStatus() : Status(std::move(r).error());
}

// --- undo, commit --------------------------------------------------------------------------------------------------

void MutTx::UndoEntryAt(size_t i) {
  const UndoEntry& e = undo_[i];
  switch (e.kind) {
    case UndoKind::kInsert: ds_->MutableTable(e.table)->Remove(e.row); break;
    case UndoKind::kDelete: ds_->MutableTable(e.table)->Restore(e.row); break;
    case UndoKind::kReplace: {
      sats::ByteSpan old(undo_bytes_.data() + e.offset, e.length);
      Status s = ds_->MutableTable(e.table)->Replace(e.row, old);
      (void)s;  // restoring the previous consistent state cannot violate a constraint
      break;
    }
    case UndoKind::kSequence: {
      auto it = ds_->sequences_.find(e.offset);
      if (it != ds_->sequences_.end()) {
        it->second.next = e.old_next;
        it->second.allocated = e.old_allocated;
      }
      break;
    }
    case UndoKind::kSchema: schema_undo_[e.offset](); break;
  }
}

void MutTx::RollbackTo(size_t savepoint) {
  for (size_t i = undo_.size(); i > savepoint; --i) UndoEntryAt(i - 1);
  undo_.resize(savepoint);
  ds_->names_dirty_ = true;
}

void MutTx::Rollback() {
  if (!open_) return;
  RollbackTo(0);
  Finish();
}

void MutTx::Finish() {
  undo_.clear();
  undo_bytes_.clear();
  schema_undo_.clear();
  dropped_.clear();
  open_ = false;
  ds_->tx_open_ = false;
  ds_->epochs_->Reclaim();
}

TxData MutTx::Commit() {
  TxData data;
  data.inputs = std::move(inputs_);
  // The first operation on each (table, row) tells whether the row existed before this transaction, and if so
  // what it looked like.
  struct Touch {
    TableId table;
    RowId row;
    bool inserted;
    sats::ByteSpan original;
  };
  std::vector<Touch> touches;
  absl::flat_hash_map<uint64_t, size_t> seen;
  for (const UndoEntry& e : undo_) {
    if (e.kind != UndoKind::kInsert && e.kind != UndoKind::kDelete && e.kind != UndoKind::kReplace) continue;
    Table* t = ds_->MutableTable(e.table);
    if (!t) continue;  // dropped in this transaction
    uint64_t key = (uint64_t(e.table) << 32) | e.row;
    if (!seen.emplace(key, touches.size()).second) continue;
    Touch touch{e.table, e.row, e.kind == UndoKind::kInsert, {}};
    if (e.kind == UndoKind::kDelete) touch.original = t->Get(e.row);
    if (e.kind == UndoKind::kReplace) touch.original = sats::ByteSpan(undo_bytes_.data() + e.offset, e.length);
    touches.push_back(touch);
  }
  struct Lists {
    std::vector<sats::ByteSpan> inserts, deletes;
  };
  std::map<TableId, Lists> changes;
  for (const Touch& touch : touches) {
    Table* t = ds_->MutableTable(touch.table);
    bool present = t->IsPresent(touch.row);
    Lists& l = changes[touch.table];
    if (touch.inserted) {
      if (present) l.inserts.push_back(t->Get(touch.row));
    } else if (present) {
      sats::ByteSpan now = t->Get(touch.row);
      if (AsView(now) != AsView(touch.original)) {
        l.deletes.push_back(touch.original);
        l.inserts.push_back(now);
      }
    } else {
      l.deletes.push_back(touch.original);
    }
  }
  for (auto& [table_id, l] : changes) {
    // A row deleted and an identical row inserted cancel out.
    if (!l.inserts.empty() && !l.deletes.empty()) {
      absl::flat_hash_map<std::string_view, int> deleted;
      for (auto d : l.deletes) ++deleted[AsView(d)];
      std::vector<sats::ByteSpan> kept_inserts;
      for (auto ins : l.inserts) {
        auto it = deleted.find(AsView(ins));
        if (it != deleted.end() && it->second > 0) --it->second;
        else kept_inserts.push_back(ins);
      }
      std::vector<sats::ByteSpan> kept_deletes;
      for (auto d : l.deletes) {
        auto it = deleted.find(AsView(d));
        if (it->second > 0) {
          --it->second;
          kept_deletes.push_back(d);
        }
      }
      l.inserts = std::move(kept_inserts);
      l.deletes = std::move(kept_deletes);
    }
    if (l.inserts.empty() && l.deletes.empty()) continue;
    Table* t = ds_->MutableTable(table_id);
    TableChanges tc;
    tc.table_id = table_id;
    tc.table_name = t->schema().name;
    tc.is_event = t->schema().is_event;
    for (auto r : l.inserts) tc.inserts.Add(r);
    for (auto r : l.deletes) tc.deletes.Add(r);
    tc.truncated = tc.inserts.empty() && t->row_count() == 0;
    data.tables.push_back(std::move(tc));
  }
  // Free the slots of rows that are gone; event-table rows are never stored.
  for (const Touch& touch : touches) {
    Table* t = ds_->MutableTable(touch.table);
    if (!t->IsPresent(touch.row)) t->Release(touch.row);
    else if (t->schema().is_event) t->Remove(touch.row);
  }
  if (!data.empty()) data.tx_offset = ds_->next_tx_offset_++;
  Finish();
  return data;
}

}  // namespace stdb::datastore
