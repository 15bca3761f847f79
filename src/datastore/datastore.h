// Datastore: the committed state of one database — its tables (system and user), sequences and tx offset — and
// the entry point for transactions, snapshots and log replay (spec/data-layer.md §2.6).
//
// Transaction model: one writer at a time. A MutTx changes the tables in place and keeps an undo log, so reads
// inside the transaction see its own changes for free, rollback restores exactly (rows, indexes, sequences,
// schema), and commit only has to turn the log into a TxData. Readers never take a lock: a snapshot taken between
// transactions (TakeSnapshot) is a DatabaseView backed by the copy-on-write pages and index nodes of the table
// layer, readable from any thread while the writer continues. Taking one costs microseconds; afterwards the
// writer copies each page or node the first time it changes it while the snapshot lives.
//
// Schemas live in the st_* system tables. Schema operations write st_* rows (so they reach the commitlog) and
// rebuild the in-memory schema from those rows, which is also how replay learns schemas from a log.
//
// Thread-safety: everything runs on the database's thread except that snapshot views may be read, and released,
// on any thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "datastore/database_view.h"
#include "datastore/sequence_state.h"
#include "datastore/system_tables.h"
#include "datastore/tx_data.h"
#include "table/snapshot_epochs.h"
#include "table/table.h"

namespace stdb::datastore {

class MutTx;

// One transaction read back from a commitlog.
struct ReplayTx {
  struct TableRows {
    TableId table_id;
    std::vector<sats::ByteSpan> rows;
  };
  std::vector<TableRows> inserts;
  std::vector<TableRows> deletes;
  std::vector<TableId> truncates;
};

struct MemoryStats {
  size_t total_bytes = 0;
  std::map<std::string, size_t> per_table;  // table name -> bytes (rows + indexes)
};

class Datastore {
 public:
  // A new, empty database: the system tables and their own metadata rows (not logged, like the reference).
  static std::unique_ptr<Datastore> Create();
  ~Datastore();
  Datastore(const Datastore&) = delete;
  Datastore& operator=(const Datastore&) = delete;

  // Begins the one mutable transaction; fails while another is open.
  Result<std::unique_ptr<MutTx>> BeginMutTx();
  bool tx_open() const { return tx_open_; }

  // A consistent view of the committed state, for readers on any thread. Call between transactions.
  std::shared_ptr<const DatabaseView> TakeSnapshot();
  // A view of the committed state for the database thread only, valid until the next mutation (no snapshot is
  // registered, so it costs the writer nothing later).
  std::unique_ptr<DatabaseView> CurrentView() const;

  // Applies one transaction read from the commitlog at `tx_offset` (which must be the next offset).
  Status Replay(const ReplayTx& tx, uint64_t tx_offset);
  // Called once after the last replayed transaction: rebuilds sequence counters from st_sequence.
  Status FinishReplay();

  // Restoring a snapshot, on a datastore fresh from Create(): RestoreSystemTables replaces the rows of every system
  // table with the snapshot's (`rows` by table id; a system table not listed ends up empty) and creates the user
  // tables their st_* rows describe, empty; RestoreTableRows then fills user tables, in as many calls as
  // convenient. Finish with set_next_tx_offset and FinishReplay, then replay the log after the snapshot. Rows are
  // validated; a duplicate, a unique-key clash or a row for an unknown table is kCorruption naming the table.
  Status RestoreSystemTables(const std::map<TableId, std::vector<sats::ByteSpan>>& rows);
  Status RestoreTableRows(TableId table, std::span<const sats::ByteSpan> rows);

  // Offset the next non-empty transaction will get.
  uint64_t next_tx_offset() const { return next_tx_offset_; }
  void set_next_tx_offset(uint64_t offset) { next_tx_offset_ = offset; }

  // Committed-state reads for the writer thread.
  const table::Table* GetTable(TableId id) const;
  std::optional<TableId> TableIdByName(std::string_view name) const;  // canonical name or accessor alias
  std::vector<TableId> TableIds() const;

  MemoryStats Memory() const;
  table::SnapshotEpochs& epochs() { return *epochs_; }

 private:
  friend class MutTx;
  Datastore();

  table::Table* MutableTable(TableId id);
  // Rebuilds one table's schema from the st_* rows (nullopt if st_table has no row for it).
  Result<std::optional<TableSchema>> SchemaFromSystemTables(TableId id) const;
  void RebuildNameIndex() const;
  // Loads the counters of a table's sequences from their st_sequence rows (next = allocated).
  void RegisterSequences(const TableSchema& schema);
  Status ApplyReplayedSchemaChanges(const std::vector<TableId>& touched);

  // Shared with snapshot views so a view released after the datastore is gone still ends cleanly.
  std::shared_ptr<table::SnapshotEpochs> epochs_;  // declared first: destroyed last
  std::map<TableId, std::unique_ptr<table::Table>> tables_;
  std::map<SequenceId, SequenceState> sequences_;
  uint64_t next_tx_offset_ = 0;
  bool tx_open_ = false;

  mutable bool names_dirty_ = true;
  mutable std::map<std::string, TableId, std::less<>> table_names_;     // canonical + aliases
  mutable std::map<std::string, std::pair<TableId, IndexId>, std::less<>> index_names_;
  mutable std::map<IndexId, TableId> index_tables_;
};

}  // namespace stdb::datastore
