// MutTx: the single mutable transaction of a database.
//
// Every operation changes the committed tables in place and appends to an undo log: Rollback (or dropping the
// MutTx without committing) replays the log backwards and restores rows, indexes, sequence counters and schema
// exactly; RollbackTo undoes back to a savepoint for nested operations. Commit turns the log into the
// transaction's TxData (net inserted and deleted rows per table) and frees the slots of deleted rows.
//
// Row operations follow the module ABI's semantics (spec/module-abi.md §2.7): inserts fill auto-increment columns
// whose value is zero and report the generated values, identical rows are no-ops, unique violations are errors
// naming the constraint, updates replace the row found through a unique index.
//
// Thread-safety: single-threaded (the database thread).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "datastore/datastore.h"

namespace stdb::datastore {

using table::RowId;

struct InsertResult {
  RowId row_id;
  bool existed = false;
  sats::Bytes generated;  // BSATN of the generated column values, in column order (empty if none)
};

struct UpdateResult {
  RowId row_id;
  sats::Bytes generated;
};

class MutTx {
 public:
  ~MutTx();  // rolls back if still open
  MutTx(const MutTx&) = delete;
  MutTx& operator=(const MutTx&) = delete;

  // --- reads (see the transaction's own changes) ---
  const table::Table* GetTable(TableId id) const { return ds_->GetTable(id); }
  const TableSchema* Schema(TableId id) const;
  Result<TableId> TableIdFromName(std::string_view name) const;
  Result<std::pair<TableId, IndexId>> IndexIdFromName(std::string_view name) const;
  // The table an index belongs to (kNoSuchIndex if none).
  Result<TableId> TableOfIndex(IndexId index) const;
  // A view of the current state, valid until the next mutation.
  std::unique_ptr<DatabaseView> View() const;
  uint64_t RowCount(TableId id) const;

  // --- rows ---
  Result<InsertResult> Insert(TableId table, sats::ByteSpan row);
  Status Delete(TableId table, RowId row);
  // Deletes the row identical to `row`, if present; returns whether one was deleted.
  Result<bool> DeleteByValue(TableId table, sats::ByteSpan row);
  // Replaces the row whose key in the unique index `index` equals the new row's key.
  Result<UpdateResult> Update(TableId table, IndexId index, sats::ByteSpan row);
  // Deletes every row; returns how many.
  Result<uint64_t> Clear(TableId table);

  // --- schema ---
  // Creates a table from `def` (ids inside are ignored and assigned: table, indexes, constraints, sequences,
  // schedule). Returns the new table id.
  Result<TableId> CreateTable(const TableSchema& def);
  Status DropTable(TableId table);
  // Adds an index (unique if `def.unique`, with a unique constraint named `constraint_name` or the generated name).
  Result<IndexId> CreateIndex(TableId table, table::IndexSchema def, std::string constraint_name = "");
  Status DropIndex(TableId table, IndexId index);
  Status SetAccess(TableId table, bool is_public);
  Status SetPrimaryKey(TableId table, std::optional<ColId> column);
  // Adds a sequence on an integer column; existing rows keep their values.
  Result<SequenceId> CreateSequence(TableId table, table::SequenceSchema def);
  Status DropSequence(TableId table, SequenceId sequence);
  // Sets or removes the table's schedule (st_scheduled).
  Status SetSchedule(TableId table, std::optional<table::ScheduleSchema> schedule);
  // Replaces the row-level-security rules (st_row_level_security) with `rules` (table id, SQL).
  Status ReplaceRowLevelSecurity(const std::vector<std::pair<TableId, std::string>>& rules);
  // Appends columns, filling existing rows with `defaults` (BSATN of each new column's default value). The table
  // is rebuilt under a new table id (returned), which is how the change reaches the commitlog.
  Result<TableId> AddColumns(TableId table, const std::vector<table::ColumnSchema>& columns,
                             const std::vector<sats::Bytes>& defaults);
  // Records accessor aliases (source names) for a table and its indexes.
  Status AddTableAlias(const std::string& table_name, const std::string& alias);
  Status AddIndexAlias(const std::string& index_name, const std::string& alias);

  // Next value of a sequence (system sequences hand out table/index/constraint/sequence ids).
  Result<sats::i128> NextSequenceValue(SequenceId seq);

  // --- transaction control ---
  size_t Savepoint() const { return undo_.size(); }
  void RollbackTo(size_t savepoint);
  void SetInputs(TxInputs inputs) { inputs_ = std::move(inputs); }
  // Commits; the returned TxData has a tx offset unless nothing changed.
  TxData Commit();
  void Rollback();

 private:
  friend class Datastore;
  explicit MutTx(Datastore* ds) : ds_(ds) {}

  enum class UndoKind : uint8_t { kInsert, kDelete, kReplace, kSequence, kSchema };
  struct UndoEntry {
    UndoKind kind;
    TableId table;
    RowId row;
    uint32_t offset;  // kReplace: old bytes in undo_bytes_; kSequence: sequence id; kSchema: index in schema_undo_
    uint32_t length;
    sats::i128 old_next, old_allocated;  // kSequence
  };

  Result<table::Table*> WritableTable(TableId id);
  // Fills zero-valued auto-increment columns of `row` (in place) and appends their BSATN to `generated`.
  Status ApplySequences(const table::Table& t, sats::Bytes& row, sats::Bytes& generated);
  Status PersistSequence(SequenceId seq);
  void PushSchemaUndo(std::function<void()> undo);
  void UndoEntryAt(size_t i);
  Result<TableSchema> BuildFromSystemTables(TableId id);
  // Re-reads a table's schema from the st_* rows after a metadata change (with undo).
  Status RefreshSchema(TableId id);
  Result<table::RowId> StTableRowOf(TableId id);
  Status DeleteWhere(TableId table, const std::function<bool(sats::ByteSpan)>& match);
  void Finish();

  Datastore* ds_;
  bool open_ = true;
  std::vector<UndoEntry> undo_;
  sats::Bytes undo_bytes_;
  std::vector<std::function<void()>> schema_undo_;
  std::vector<std::unique_ptr<table::Table>> dropped_;  // tables dropped in this tx (restored on rollback)
  std::optional<TxInputs> inputs_;
  sats::Bytes scratch_;
};

}  // namespace stdb::datastore
