#include "durability/tx_data_record.h"

#include <algorithm>

#include "durability/commitlog_format.h"
#include "durability/varint.h"
#include "sats/utf8.h"

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

Status EncodeTxDataRecord(const datastore::TxData& tx, sats::Bytes& out) {
  std::string name;
  if (tx.inputs) {
    name = CutAtCharBoundary(tx.inputs->reducer_name, format::kMaxReducerNameSize);
    if (!sats::IsValidUtf8(name)) return Error(ErrorCode::kInvalidArgument, "Txdata: reducer name is not UTF-8");
    if (tx.inputs->args.size() > UINT32_MAX - 1 - name.size())
      return Error(ErrorCode::kInvalidArgument, "Txdata: reducer arguments exceed the 4 GiB the format allows");
  }
  // The tables in ascending id (TxData keeps them so; sorting pointers costs nothing if it does).
  std::vector<const datastore::TableChanges*> tables;
  tables.reserve(tx.tables.size());
  for (const auto& t : tx.tables) tables.push_back(&t);
  std::stable_sort(tables.begin(), tables.end(), [](const auto* a, const auto* b) { return a->table_id < b->table_id; });
  for (size_t i = 1; i < tables.size(); ++i)
    if (tables[i]->table_id == tables[i - 1]->table_id)
      return Error(ErrorCode::kInvalidArgument,
                   "Txdata: table " + std::to_string(tables[i]->table_id) + " appears twice in one transaction");

  auto put_u32 = [&](uint32_t v) {
    uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
    out.insert(out.end(), b, b + 4);
  };
  out.push_back(uint8_t((tx.inputs ? format::kTxFlagHaveInputs : 0) | format::kTxFlagHaveMutations));
  if (tx.inputs) {
    put_u32(uint32_t(1 + name.size() + tx.inputs->args.size()));
    out.push_back(uint8_t(name.size()));
    out.insert(out.end(), name.begin(), name.end());
    out.insert(out.end(), tx.inputs->args.begin(), tx.inputs->args.end());
  }
  // A row list's buffer is its rows back to back, which is exactly how an op lists them.
  auto ops = [&](auto&& has, auto&& rows) {
    size_t n = 0;
    for (const auto* t : tables) n += has(*t);
    AppendVarint(n, out);
    for (const auto* t : tables) {
      if (!has(*t)) continue;
      const datastore::RowList& list = rows(*t);
      put_u32(t->table_id);
      AppendVarint(list.size(), out);
      out.insert(out.end(), list.data().begin(), list.data().end());
    }
  };
  ops([](const datastore::TableChanges& t) { return !t.inserts.empty(); },
      [](const datastore::TableChanges& t) -> const datastore::RowList& { return t.inserts; });
  ops([](const datastore::TableChanges& t) { return !t.truncated && !t.deletes.empty(); },
      [](const datastore::TableChanges& t) -> const datastore::RowList& { return t.deletes; });
  size_t truncates = 0;
  for (const auto* t : tables) truncates += t->truncated;
  AppendVarint(truncates, out);
  for (const auto* t : tables)
    if (t->truncated) put_u32(t->table_id);
  return OkStatus();
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
