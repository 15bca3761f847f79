#include "durability/tx_data_record.h"

#include <algorithm>

#include "durability/commitlog_format.h"

namespace stdb::durability {
namespace {

// `name` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string CutAtCharBoundary(const std::string& name, size_t max) {
  if (name.size() <= max) return name;
  size_t cut = max;
  while (cut > 0 && (static_cast<uint8_t>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut);
}

std::vector<sats::Bytes> CopyRows(const datastore::RowList& rows) {
  std::vector<sats::Bytes> out;
  out.reserve(rows.size());
  for (sats::ByteSpan row : rows) out.emplace_back(row.begin(), row.end());
  return out;
}

}  // namespace

TxRecord ToTxRecord(const datastore::TxData& tx) {
  TxRecord record;
  if (tx.inputs)
    record.inputs = TxInputs{CutAtCharBoundary(tx.inputs->reducer_name, format::kMaxReducerNameSize), tx.inputs->args};
  TxMutations& m = record.mutations.emplace();
  for (const datastore::TableChanges& t : tx.tables) {
    if (!t.inserts.empty()) m.inserts.push_back({t.table_id, CopyRows(t.inserts)});
    if (t.truncated)
      m.truncates.push_back(t.table_id);
    else if (!t.deletes.empty())
      m.deletes.push_back({t.table_id, CopyRows(t.deletes)});
  }
  auto by_table = [](const TableRows& a, const TableRows& b) { return a.table_id < b.table_id; };
  std::sort(m.inserts.begin(), m.inserts.end(), by_table);
  std::sort(m.deletes.begin(), m.deletes.end(), by_table);
  std::sort(m.truncates.begin(), m.truncates.end());
  return record;
}

datastore::ReplayTx ToReplayTx(const TxRecordView& record) {
  datastore::ReplayTx tx;
  if (!record.mutations) return tx;
  const TxMutationsView& m = *record.mutations;
  tx.inserts.reserve(m.inserts.size());
  for (const auto& t : m.inserts) tx.inserts.push_back({t.table_id, t.rows});
  tx.deletes.reserve(m.deletes.size());
  for (const auto& t : m.deletes) tx.deletes.push_back({t.table_id, t.rows});
  tx.truncates.assign(m.truncates.begin(), m.truncates.end());
  return tx;
}

}  // namespace stdb::durability
