#include "sql/execution/dml_executor.h"

#include "sql/execution/query_executor.h"
#include "table/row_layout.h"

namespace stdb::sql {

namespace {

// Runs `body`; if it fails, undoes whatever it did to the transaction.
template <typename Body>
Result<DmlStats> Atomically(datastore::MutTx& tx, Body&& body) {
  size_t savepoint = tx.Savepoint();
  Result<DmlStats> result = body();
  if (!result.ok()) tx.RollbackTo(savepoint);
  return result;
}

// The rows the target plan selects, copied out of the transaction's current view (which the deletes that follow
// invalidate).
Result<datastore::RowList> MatchingRows(datastore::MutTx& tx, const PhysicalPlan& target,
                                        const QueryParameters& params) {
  auto view = tx.View();
  datastore::RowList rows;
  auto stats = ExecutePlan(target, *view, params, {}, [&](sats::ByteSpan row) {
    rows.Add(row);
    return true;
  });
  if (!stats.ok()) return std::move(stats).error();
  return rows;
}

}  // namespace

Result<DmlStats> ExecuteInsert(datastore::MutTx& tx, table::TableId table,
                               const std::vector<sats::ProductValue>& rows) {
  return Atomically(tx, [&]() -> Result<DmlStats> {
    DmlStats stats;
    for (const sats::ProductValue& row : rows) {
      sats::Bytes bytes = sats::bsatn::EncodeValue(sats::AlgebraicValue(row));
      STDB_ASSIGN_OR_RETURN(datastore::InsertResult inserted, tx.Insert(table, bytes));
      if (!inserted.existed) ++stats.rows_inserted;
    }
    return stats;
  });
}

Result<DmlStats> ExecuteDelete(datastore::MutTx& tx, table::TableId table, const PhysicalPlan& target,
                               const QueryParameters& params) {
  return Atomically(tx, [&]() -> Result<DmlStats> {
    DmlStats stats;
    STDB_ASSIGN_OR_RETURN(datastore::RowList rows, MatchingRows(tx, target, params));
    for (sats::ByteSpan row : rows) {
      STDB_ASSIGN_OR_RETURN(bool deleted, tx.DeleteByValue(table, row));
      if (deleted) ++stats.rows_deleted;
    }
    return stats;
  });
}

Result<DmlStats> ExecuteUpdate(datastore::MutTx& tx, const table::TableSchema& table, const PhysicalPlan& target,
                               const std::vector<std::pair<table::ColId, sats::AlgebraicValue>>& assignments,
                               const QueryParameters& params) {
  return Atomically(tx, [&]() -> Result<DmlStats> {
    DmlStats stats;
    STDB_ASSIGN_OR_RETURN(datastore::RowList rows, MatchingRows(tx, target, params));
    for (sats::ByteSpan row : rows) STDB_RETURN_IF_ERROR(tx.DeleteByValue(table.table_id, row));
    stats.rows_updated = rows.size();
    // New values, encoded once; a row is rebuilt by splicing them between the unchanged columns' bytes.
    std::vector<std::optional<sats::Bytes>> replacement(table.columns.size());
    for (const auto& [col, value] : assignments) replacement[col] = sats::bsatn::EncodeValue(value);
    table::RowLayout layout(table.RowType());
    sats::Bytes updated;
    for (sats::ByteSpan row : rows) {
      updated.clear();
      for (size_t c = 0; c < table.columns.size(); ++c) {
        if (replacement[c]) {
          updated.insert(updated.end(), replacement[c]->begin(), replacement[c]->end());
        } else {
          sats::ByteSpan value = layout.Column(row, c);
          updated.insert(updated.end(), value.begin(), value.end());
        }
      }
      STDB_RETURN_IF_ERROR(tx.Insert(table.table_id, updated));
    }
    return stats;
  });
}

}  // namespace stdb::sql
