// ReplayRowSizer: the RowSizeFn (tx_record.h) of recovery — finds where each row of a logged transaction ends
// while the log is replayed into a Datastore, whose schemas change as the replay goes.
//
// A row's size follows from its table's row type, and the record being decoded may itself change that type:
// the transaction that creates a table writes its st_column rows and often rows of the new table too, and
// AddColumns rebuilds a table under a new id (new st_column rows) and moves every row over in one transaction.
// The datastore learns such changes only when the whole transaction is applied, after decoding. So the sizer
// watches the st_column rows go by: while a transaction is decoded, a table's row type is the datastore's schema
// (as of the previous transaction) with each column replaced by the last st_column row seen in this transaction
// for its (table, position); a table the datastore does not know yet is made of those rows alone.
//
// This works because every op list is in ascending table id and the st_* tables (ids 1-20) sort before user
// tables (>= 4096): a user table's inserted rows come after every inserted st_column row, its deleted rows after
// every deleted one. The sizer cannot tell an inserted st_column row from a deleted one, and need not: deleted
// st_column rows are seen only after all inserted rows, so they matter only for the deleted user rows that follow
// them, and those the datastore logs with the bytes they had, i.e. at the columns being removed. (A table dropped
// in a transaction has no user rows in it; one rebuilt by AddColumns has its old rows logged under no table.)
//
// Use: BeginTransaction() before decoding each transaction, after the previous one was applied.
//
// Thread-safety: single-threaded; reads the datastore on the replaying thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "datastore/datastore.h"
#include "durability/tx_record.h"

namespace stdb::durability {

class ReplayRowSizer {
 public:
  explicit ReplayRowSizer(const datastore::Datastore& datastore) : datastore_(datastore) {}
  ReplayRowSizer(const ReplayRowSizer&) = delete;
  ReplayRowSizer& operator=(const ReplayRowSizer&) = delete;

  // Forgets the st_column rows of the previous transaction (the datastore has applied them by now).
  void BeginTransaction();
  // Size of the row of `table_id` starting at at[0]; `at` runs to the end of the record buffer.
  Result<size_t> RowSize(uint32_t table_id, sats::ByteSpan at);
  // A RowSizeFn calling RowSize on this object, which must outlive it.
  RowSizeFn AsRowSizeFn();

 private:
  struct RowType {
    std::shared_ptr<const table::TableSchema> schema;  // the datastore schema it was built from; null if pending
    sats::AlgebraicType type;
    std::optional<size_t> fixed_size;
  };
  Result<const RowType*> TypeOf(uint32_t table_id);
  Result<const RowType*> PendingTypeOf(uint32_t table_id);
  Status NoteColumnRow(sats::ByteSpan row);

  const datastore::Datastore& datastore_;
  std::unordered_map<uint32_t, RowType> committed_;  // per table, from the datastore's schema
  // st_column rows seen in the transaction being decoded: table -> position -> column type.
  std::map<uint32_t, std::map<uint16_t, sats::AlgebraicType>> pending_columns_;
  std::unordered_map<uint32_t, RowType> pending_;  // row types built from pending_columns_
};

}  // namespace stdb::durability
