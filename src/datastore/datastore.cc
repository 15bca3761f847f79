#include "datastore/datastore.h"

#include <set>

#include "datastore/mut_tx.h"

namespace stdb::datastore {

using table::IndexKey;
using table::KeyRange;
using table::Table;
using table::TableIndex;

void ColumnIntegerRange(const sats::AlgebraicType& type, sats::i128* min, sats::i128* max) {
  const sats::i128 kMax = sats::i128(~sats::u128(0) >> 1);
  switch (type.tag()) {
    case sats::TypeTag::kI8: *min = INT8_MIN; *max = INT8_MAX; return;
    case sats::TypeTag::kU8: *min = 0; *max = UINT8_MAX; return;
    case sats::TypeTag::kI16: *min = INT16_MIN; *max = INT16_MAX; return;
    case sats::TypeTag::kU16: *min = 0; *max = UINT16_MAX; return;
    case sats::TypeTag::kI32: *min = INT32_MIN; *max = INT32_MAX; return;
    case sats::TypeTag::kU32: *min = 0; *max = UINT32_MAX; return;
    case sats::TypeTag::kI64: *min = INT64_MIN; *max = INT64_MAX; return;
    case sats::TypeTag::kU64: *min = 0; *max = sats::i128(UINT64_MAX); return;
    case sats::TypeTag::kU128: case sats::TypeTag::kU256: *min = 0; *max = kMax; return;
    default: *min = -kMax - 1; *max = kMax; return;
  }
}

Datastore::Datastore() : epochs_(std::make_shared<table::SnapshotEpochs>()) {}

Datastore::~Datastore() = default;

std::unique_ptr<Datastore> Datastore::Create() {
  std::unique_ptr<Datastore> ds(new Datastore());
  for (const auto& schema : SystemTableSchemas())
    ds->tables_[schema->table_id] = std::make_unique<Table>(schema, ds->epochs_.get());
  // The system tables' own metadata rows, written straight into the committed state (never logged).
  auto put = [&](TableId id, const sats::Bytes& row) {
    auto r = ds->tables_[id]->Insert(row);
    (void)r;
  };
  for (const auto& schema : SystemTableSchemas()) {
    StTableRow t{schema->table_id, schema->name, "system", schema->is_public ? "public" : "private", std::nullopt};
    if (schema->primary_key) t.primary_key = std::vector<ColId>{*schema->primary_key};
    put(kStTable, t.Encode());
    for (size_t c = 0; c < schema->columns.size(); ++c)
      put(kStColumn, StColumnRow{schema->table_id, ColId(c), schema->columns[c].name, schema->columns[c].type}.Encode());
    for (const auto& index : schema->indexes)
      put(kStIndex, StIndexRow{index.index_id, schema->table_id, index.name, index.algorithm, index.columns}.Encode());
    for (const auto& c : schema->constraints)
      put(kStConstraint, StConstraintRow{c.constraint_id, c.name, schema->table_id, c.columns}.Encode());
    for (const auto& s : schema->sequences) {
      StSequenceRow row{s.sequence_id, s.name, schema->table_id, s.column, s.increment, s.start, s.min_value,
                        s.max_value, /*allocated=*/kFirstUserId};
      put(kStSequence, row.Encode());
    }
  }
  for (const auto& schema : SystemTableSchemas()) ds->RegisterSequences(*schema);
  return ds;
}

Result<std::unique_ptr<MutTx>> Datastore::BeginMutTx() {
  if (tx_open_) return Error(ErrorCode::kInternal, "a mutable transaction is already open on this database");
  tx_open_ = true;
  return std::unique_ptr<MutTx>(new MutTx(this));
}

std::shared_ptr<const DatabaseView> Datastore::TakeSnapshot() {
  uint64_t epoch = epochs_->BeginSnapshot();
  std::map<TableId, table::TableView> views;
  for (const auto& [id, t] : tables_) views.emplace(id, t->view());
  RebuildNameIndex();
  std::shared_ptr<table::SnapshotEpochs> epochs = epochs_;
  return std::make_shared<DatabaseView>(std::move(views), table_names_, next_tx_offset_,
                                        [epochs, epoch] { epochs->EndSnapshot(epoch); });
}

std::unique_ptr<DatabaseView> Datastore::CurrentView() const {
  std::map<TableId, table::TableView> views;
  for (const auto& [id, t] : tables_) views.emplace(id, t->view());
  RebuildNameIndex();
  return std::make_unique<DatabaseView>(std::move(views), table_names_, next_tx_offset_, nullptr);
}

const Table* Datastore::GetTable(TableId id) const {
  auto it = tables_.find(id);
  return it == tables_.end() ? nullptr : it->second.get();
}

Table* Datastore::MutableTable(TableId id) {
  auto it = tables_.find(id);
  return it == tables_.end() ? nullptr : it->second.get();
}

std::vector<TableId> Datastore::TableIds() const {
  std::vector<TableId> ids;
  for (const auto& [id, t] : tables_) ids.push_back(id);
  return ids;
}

void Datastore::RebuildNameIndex() const {
  if (!names_dirty_) return;
  table_names_.clear();
  index_names_.clear();
  index_tables_.clear();
  for (const auto& [id, t] : tables_) {
    table_names_[t->schema().name] = id;
    for (const auto& index : t->schema().indexes) {
      index_names_[index.name] = {id, index.index_id};
      index_tables_[index.index_id] = id;
    }
  }
  // Accessor aliases (module source names) resolve to the canonical objects.
  GetTable(kStTableAccessor)->rows().view().ForEach([&](table::RowId, sats::ByteSpan row) {
    auto a = StTableAccessorRow::Decode(row);
    if (!a.ok()) return;
    auto it = table_names_.find(a->table_name);
    if (it != table_names_.end()) table_names_.emplace(a->accessor_name, it->second);
  });
  GetTable(kStIndexAccessor)->rows().view().ForEach([&](table::RowId, sats::ByteSpan row) {
    auto a = StIndexAccessorRow::Decode(row);
    if (!a.ok()) return;
    auto it = index_names_.find(a->index_name);
    if (it != index_names_.end()) index_names_.emplace(a->accessor_name, it->second);
  });
  names_dirty_ = false;
}

std::optional<TableId> Datastore::TableIdByName(std::string_view name) const {
  RebuildNameIndex();
  auto it = table_names_.find(name);
  if (it == table_names_.end()) return std::nullopt;
  return it->second;
}

Result<std::optional<TableSchema>> Datastore::SchemaFromSystemTables(TableId id) const {
  const Table* st_table = GetTable(kStTable);
  IndexKey key;
  key.u64 = id;
  table::RowId rid = TableIndex::FindFirst(st_table->FindIndex(1)->view(), key);
  if (rid == table::kNoRow) return std::optional<TableSchema>();
  STDB_ASSIGN_OR_RETURN(StTableRow trow, StTableRow::Decode(st_table->Get(rid)));
  TableSchema s;
  s.table_id = id;
  s.name = trow.table_name;
  s.is_system = trow.table_type == "system";
  s.is_public = trow.table_access != "private";
  if (trow.primary_key && !trow.primary_key->empty()) s.primary_key = (*trow.primary_key)[0];

  // Columns via the (table_id, col_pos) index, in column order.
  const Table* st_column = GetTable(kStColumn);
  const TableIndex* col_index = st_column->FindIndex(3);
  KeyRange range;
  col_index->EncodeColumn(0, sats::AlgebraicValue::U32(id), range.prefix);
  Status status = OkStatus();
  TableIndex::ScanRange(col_index->view(), range, [&](table::RowId r) {
    auto c = StColumnRow::Decode(st_column->Get(r));
    if (!c.ok()) {
      status = std::move(c).error();
      return false;
    }
    if (c->col_pos != s.columns.size()) {
      status = Error(ErrorCode::kCorruption, "st_column rows of table " + std::to_string(id) + " skip position " +
                                                 std::to_string(s.columns.size()));
      return false;
    }
    s.columns.push_back({c->col_name, c->col_type});
    return true;
  });
  STDB_RETURN_IF_ERROR(status);

  auto for_each_row = [&](TableId system_table, auto&& fn) {
    GetTable(system_table)->rows().view().ForEach([&](table::RowId, sats::ByteSpan row) {
      if (status.ok()) fn(row);
    });
  };
  for_each_row(kStConstraint, [&](sats::ByteSpan row) {
    auto c = StConstraintRow::Decode(row);
    if (!c.ok()) status = std::move(c).error();
    else if (c->table_id == id) s.constraints.push_back({c->constraint_id, c->constraint_name, c->columns});
  });
  for_each_row(kStIndex, [&](sats::ByteSpan row) {
    auto i = StIndexRow::Decode(row);
    if (!i.ok()) {
      status = std::move(i).error();
    } else if (i->table_id == id) {
      bool unique = false;
      for (const auto& c : s.constraints) unique = unique || c.columns == i->columns;
      s.indexes.push_back({i->index_id, i->index_name, i->algorithm, i->columns, unique});
    }
  });
  for_each_row(kStSequence, [&](sats::ByteSpan row) {
    auto q = StSequenceRow::Decode(row);
    if (!q.ok()) {
      status = std::move(q).error();
    } else if (q->table_id == id) {
      table::SequenceSchema seq;
      seq.sequence_id = q->sequence_id;
      seq.name = q->sequence_name;
      seq.column = q->col_pos;
      seq.increment = q->increment;
      seq.start = q->start;
      seq.min_value = q->min_value;
      seq.max_value = q->max_value;
      s.sequences.push_back(seq);
    }
  });
  for_each_row(kStScheduled, [&](sats::ByteSpan row) {
    auto q = StScheduledRow::Decode(row);
    if (!q.ok()) status = std::move(q).error();
    else if (q->table_id == id) s.schedule = table::ScheduleSchema{q->schedule_id, q->schedule_name, q->reducer_name, q->at_column};
  });
  for_each_row(kStEventTable, [&](sats::ByteSpan row) {
    auto e = StEventTableRow::Decode(row);
    if (e.ok() && e->table_id == id) s.is_event = true;
  });
  STDB_RETURN_IF_ERROR(status);
  auto by_id = [](const auto& a, const auto& b) { return a.index_id < b.index_id; };
  std::sort(s.indexes.begin(), s.indexes.end(), by_id);
  std::sort(s.constraints.begin(), s.constraints.end(),
            [](const auto& a, const auto& b) { return a.constraint_id < b.constraint_id; });
  std::sort(s.sequences.begin(), s.sequences.end(),
            [](const auto& a, const auto& b) { return a.sequence_id < b.sequence_id; });
  for (const auto& index : s.indexes)
    for (ColId c : index.columns)
      if (c >= s.columns.size())
        return Error(ErrorCode::kCorruption, "index '" + index.name + "' refers to column " + std::to_string(c) +
                                                 " of table '" + s.name + "', which has " +
                                                 std::to_string(s.columns.size()) + " columns");
  return std::optional<TableSchema>(std::move(s));
}

void Datastore::RegisterSequences(const TableSchema& schema) {
  const Table* st_sequence = GetTable(kStSequence);
  for (const auto& seq : schema.sequences) {
    SequenceState state;
    state.schema = seq;
    state.table_id = schema.table_id;
    sats::i128 type_min, type_max;
    ColumnIntegerRange(schema.columns[seq.column].type, &type_min, &type_max);
    state.min = std::max(seq.min_value, type_min);
    state.max = std::min(seq.max_value, type_max);
    IndexKey key;
    key.u64 = seq.sequence_id;
    table::RowId rid = TableIndex::FindFirst(st_sequence->FindIndex(4)->view(), key);
    sats::i128 allocated = seq.start;
    if (rid != table::kNoRow) {
      auto row = StSequenceRow::Decode(st_sequence->Get(rid));
      if (row.ok()) allocated = row->allocated;
    }
    state.next = state.allocated = allocated;
    sequences_[seq.sequence_id] = state;
  }
}

// --- replay ----------------------------------------------------------------------------------------------------

namespace {

// The user table a schema-table row is about.
std::optional<TableId> SchemaRowTable(TableId system_table, sats::ByteSpan row) {
  sats::bsatn::Reader r(row);
  switch (system_table) {
    case kStTable: case kStColumn: case kStEventTable: return r.U32();
    case kStSequence: { (void)r.U32(); (void)r.StringView(); return r.U32(); }
    case kStIndex: { (void)r.U32(); return r.U32(); }
    case kStConstraint: { (void)r.U32(); (void)r.StringView(); return r.U32(); }
    case kStScheduled: { (void)r.U32(); return r.U32(); }
    default: return std::nullopt;
  }
}

}  // namespace

Status Datastore::ApplyReplayedSchemaChanges(const std::vector<TableId>& touched) {
  for (TableId id : touched) {
    if (IsSystemTable(id)) continue;
    STDB_ASSIGN_OR_RETURN(auto schema, SchemaFromSystemTables(id));
    auto it = tables_.find(id);
    if (!schema) {
      if (it != tables_.end()) tables_.erase(it);
      continue;
    }
    auto shared = std::make_shared<const TableSchema>(std::move(*schema));
    if (it == tables_.end()) {
      tables_[id] = std::make_unique<Table>(shared, epochs_.get());
    } else if (!(it->second->schema() == *shared)) {
      if (it->second->schema().columns != shared->columns && it->second->row_count() > 0)
        return Error(ErrorCode::kCorruption, "the log changes the columns of non-empty table '" + shared->name +
                                                 "' without rewriting it");
      auto rebuilt = std::make_unique<Table>(shared, epochs_.get());
      Status status = OkStatus();
      it->second->rows().view().ForEach([&](table::RowId, sats::ByteSpan row) {
        if (!status.ok()) return;
        auto r = rebuilt->Insert(row);
        if (!r.ok()) status = std::move(r).error();
      });
      STDB_RETURN_IF_ERROR(status);
      it->second = std::move(rebuilt);
    }
  }
  names_dirty_ = true;
  return OkStatus();
}

Status Datastore::Replay(const ReplayTx& tx, uint64_t tx_offset) {
  if (tx_offset != next_tx_offset_)
    return Error(ErrorCode::kCorruption, "replay expected transaction offset " + std::to_string(next_tx_offset_) +
                                             " but the log continues at " + std::to_string(tx_offset));
  auto where = [&](const std::string& what) { return "replaying transaction " + std::to_string(tx_offset) + ": " + what; };
  auto apply_deletes = [&](const ReplayTx::TableRows& t) -> Status {
    Table* table = MutableTable(t.table_id);
    if (!table) return Error(ErrorCode::kCorruption, where("delete from unknown table " + std::to_string(t.table_id)));
    for (sats::ByteSpan row : t.rows) {
      table::RowId id = table->FindIdentical(row);
      if (id == table::kNoRow)
        return Error(ErrorCode::kCorruption, where("a deleted row is not in table '" + table->schema().name + "'"));
      table->Delete(id);
      table->Release(id);
    }
    return OkStatus();
  };
  auto apply_inserts = [&](const ReplayTx::TableRows& t) -> Status {
    Table* table = MutableTable(t.table_id);
    if (!table) return Error(ErrorCode::kCorruption, where("insert into unknown table " + std::to_string(t.table_id)));
    if (table->schema().is_event) return OkStatus();
    for (sats::ByteSpan row : t.rows) {
      Status valid = table->ValidateRow(row);
      if (!valid.ok()) return Error(ErrorCode::kCorruption, where("row of table '" + table->schema().name + "': " + valid.error().message()));
      auto r = table->Insert(row);
      if (!r.ok()) return Error(ErrorCode::kCorruption, where(r.error().message()));
    }
    return OkStatus();
  };
  // 1. Schema tables first: their rows define the tables the rest of the transaction writes to.
  std::set<TableId> touched;
  for (const auto& t : tx.deletes) {
    if (!IsSystemTable(t.table_id)) continue;
    for (auto row : t.rows)
      if (auto id = SchemaRowTable(t.table_id, row)) touched.insert(*id);
    STDB_RETURN_IF_ERROR(apply_deletes(t));
  }
  for (const auto& t : tx.inserts) {
    if (!IsSystemTable(t.table_id)) continue;
    for (auto row : t.rows)
      if (auto id = SchemaRowTable(t.table_id, row)) touched.insert(*id);
    STDB_RETURN_IF_ERROR(apply_inserts(t));
  }
  if (!touched.empty()) STDB_RETURN_IF_ERROR(ApplyReplayedSchemaChanges({touched.begin(), touched.end()}));
  // 2. User tables: deletes before inserts, so replacing a row with the same unique key works.
  for (const auto& t : tx.deletes)
    if (!IsSystemTable(t.table_id) && tables_.count(t.table_id)) STDB_RETURN_IF_ERROR(apply_deletes(t));
  for (const auto& t : tx.inserts)
    if (!IsSystemTable(t.table_id)) STDB_RETURN_IF_ERROR(apply_inserts(t));
  for (TableId id : tx.truncates) {
    Table* table = MutableTable(id);
    if (!table) continue;  // dropped in the same transaction
    table->Clear();
  }
  if (tx.inserts.size() || tx.deletes.size() || tx.truncates.size()) names_dirty_ = true;
  next_tx_offset_ = tx_offset + 1;
  epochs_->Reclaim();
  return OkStatus();
}

Status Datastore::FinishReplay() {
  sequences_.clear();
  for (const auto& [id, t] : tables_) RegisterSequences(t->schema());
  names_dirty_ = true;
  return OkStatus();
}

// --- snapshot restore ----------------------------------------------------------------------------------------

namespace {

Status InsertRestoredRows(Table& table, std::span<const sats::ByteSpan> rows) {
  auto corrupt = [&](const std::string& what) {
    return Error(ErrorCode::kCorruption, "restoring table '" + table.schema().name + "' (id " +
                                             std::to_string(table.id()) + "): " + what);
  };
  for (sats::ByteSpan row : rows) {
    if (Status valid = table.ValidateRow(row); !valid.ok()) return corrupt("invalid row: " + valid.error().message());
    auto inserted = table.Insert(row);
    if (!inserted.ok()) return corrupt(inserted.error().message());
    if (inserted->existed) return corrupt("the snapshot holds the same row twice");
  }
  return OkStatus();
}

}  // namespace

Status Datastore::RestoreSystemTables(const std::map<TableId, std::vector<sats::ByteSpan>>& rows) {
  if (tx_open_) return Error(ErrorCode::kInternal, "cannot restore a snapshot while a transaction is open");
  for (const auto& [id, table] : tables_) {
    if (!IsSystemTable(id))
      return Error(ErrorCode::kInternal, "restoring a snapshot needs a datastore fresh from Create(); it has table " +
                                             std::to_string(id));
    table->Clear();
  }
  for (const auto& [id, list] : rows) {
    Table* table = IsSystemTable(id) ? MutableTable(id) : nullptr;
    if (!table) return Error(ErrorCode::kCorruption, "restoring a snapshot: " + std::to_string(id) + " is not a system table");
    STDB_RETURN_IF_ERROR(InsertRestoredRows(*table, list));
  }
  std::vector<TableId> user_tables;
  Status status = OkStatus();
  GetTable(kStTable)->rows().view().ForEach([&](table::RowId, sats::ByteSpan row) {
    auto decoded = StTableRow::Decode(row);
    if (!decoded.ok()) {
      if (status.ok()) status = std::move(decoded).error();
      return;
    }
    if (!IsSystemTable(decoded->table_id)) user_tables.push_back(decoded->table_id);
  });
  STDB_RETURN_IF_ERROR(status);
  STDB_RETURN_IF_ERROR(ApplyReplayedSchemaChanges(user_tables));
  sequences_.clear();
  names_dirty_ = true;
  return OkStatus();
}

Status Datastore::RestoreTableRows(TableId id, std::span<const sats::ByteSpan> rows) {
  Table* table = IsSystemTable(id) ? nullptr : MutableTable(id);
  if (!table)
    return Error(ErrorCode::kCorruption, "restoring a snapshot: rows for table " + std::to_string(id) +
                                             ", which its st_table rows do not describe as a user table");
  return InsertRestoredRows(*table, rows);
}

MemoryStats Datastore::Memory() const {
  MemoryStats m;
  for (const auto& [id, t] : tables_) {
    size_t b = t->memory_bytes();
    m.per_table[t->schema().name] = b;
    m.total_bytes += b;
  }
  return m;
}

}  // namespace stdb::datastore
