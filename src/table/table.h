// Table: the rows of one table with its indexes and constraints, in committed form.
//
// A Table enforces the data-level rules of spec/data-layer.md §2.2: set semantics (inserting a row identical to a
// present row is a no-op reported as `existed`), unique constraints (a different row with an equal unique key is
// refused with an error naming the constraint), index maintenance. It knows nothing of transactions: the datastore
// records each change it makes and undoes it through the same methods (Remove for an insert, Restore for a
// delete, Replace with the old bytes for an update).
//
// Rows without a unique index are found for set semantics through a hash set of row ids keyed by the row bytes;
// with a unique index the index does that job.
//
// Thread-safety: mutations on the writer thread; a TableView is readable from any thread while its snapshot is
// live.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "sats/result.h"
#include "table/row_layout.h"
#include "table/row_store.h"
#include "table/table_index.h"
#include "table/table_schema.h"

namespace stdb::table {

// An immutable picture of a table for readers: schema, rows and indexes (indexes[i] belongs to
// schema->indexes[i]).
struct TableView {
  std::shared_ptr<const TableSchema> schema;
  std::shared_ptr<const RowLayout> layout;
  RowStore::View rows;
  std::vector<TableIndex::View> indexes;
  // Index view by id, or null.
  const TableIndex::View* FindIndex(IndexId id) const;
};

struct InsertOutcome {
  RowId row_id;
  bool existed;  // an identical row was already present; nothing changed
};

class Table {
 public:
  Table(std::shared_ptr<const TableSchema> schema, SnapshotEpochs* epochs);
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  const TableSchema& schema() const { return *schema_; }
  const std::shared_ptr<const TableSchema>& schema_ptr() const { return schema_; }
  const RowLayout& layout() const { return *layout_; }
  TableId id() const { return schema_->table_id; }

  // Checks that `row` is a valid BSATN row of this table (types, tags, UTF-8, exact length).
  Status ValidateRow(ByteSpan row) const { return layout_->Validate(row); }

  // Inserts a validated row. Errors: unique constraint violation (kConstraint).
  Result<InsertOutcome> Insert(ByteSpan row);
  // Deletes a present row: it becomes absent (bytes kept, slot reserved) until Release or Restore.
  void Delete(RowId id);
  // Undoes Delete.
  void Restore(RowId id);
  // Undoes Insert: removes the row and frees its slot.
  void Remove(RowId id);
  // Frees the slot of a deleted row (after its transaction committed).
  void Release(RowId id) { rows_.Release(id); }
  // Replaces a present row's bytes, keeping its id; checks unique constraints for changed keys.
  Status Replace(RowId id, ByteSpan new_row);

  // A present row identical to `row`, or kNoRow.
  RowId FindIdentical(ByteSpan row) const;

  bool IsPresent(RowId id) const { return rows_.IsPresent(id); }
  ByteSpan Get(RowId id) const { return rows_.Get(id); }
  size_t row_count() const { return rows_.row_count(); }
  const RowStore& rows() const { return rows_; }

  // The index with this id, or null.
  const TableIndex* FindIndex(IndexId id) const;
  // The first unique index, if any (used for set semantics and by update).
  const TableIndex* primary_unique_index() const { return identity_index_; }

  // Schema changes that keep the row layout (indexes, constraints, sequences, access, name). Adding an index
  // builds it from the present rows and fails on duplicate keys when the index is unique.
  Status AddIndex(const IndexSchema& index);
  void DropIndex(IndexId id);
  // Replaces the schema; the columns must be unchanged. Index uniqueness must be unchanged too.
  void SetSchema(std::shared_ptr<const TableSchema> schema);

  // Removes every row (committed-state reset, not transactional).
  void Clear();

  TableView view() const;
  size_t memory_bytes() const;

  // "Unique constraint violation '<name>' in table '<table>': column(s): '<cols>' value: <value>".
  Error UniqueViolation(const TableIndex& index, ByteSpan row) const;

 private:
  struct RowHash {
    using is_transparent = void;
    const RowStore* rows;
    size_t operator()(RowId id) const;
    size_t operator()(ByteSpan bytes) const;
  };
  struct RowEq {
    using is_transparent = void;
    const RowStore* rows;
    bool operator()(RowId a, RowId b) const { return a == b; }
    bool operator()(RowId a, ByteSpan b) const;
    bool operator()(ByteSpan a, RowId b) const { return (*this)(b, a); }
  };
  using RowSet = absl::flat_hash_set<RowId, RowHash, RowEq>;

  void ChooseIdentityIndex();
  bool UsesRowSet() const { return identity_index_ == nullptr; }
  void IndexRow(ByteSpan row, RowId id);
  void UnindexRow(ByteSpan row, RowId id);

  std::shared_ptr<const TableSchema> schema_;
  std::shared_ptr<const RowLayout> layout_;
  SnapshotEpochs* epochs_;
  RowStore rows_;
  std::vector<std::unique_ptr<TableIndex>> indexes_;  // parallel to schema_->indexes
  const TableIndex* identity_index_ = nullptr;
  RowSet row_set_;
};

}  // namespace stdb::table
