// Helpers shared by the datastore tests: a small user table and row builders.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "datastore/mut_tx.h"
#include "sats/bsatn.h"

namespace stdb::datastore::testing {

using sats::AlgebraicType;
using sats::AlgebraicValue;

// accounts(id u32 auto-inc primary key, owner string (btree), balance i64)
inline TableSchema AccountsDef(const std::string& name = "accounts") {
  TableSchema s;
  s.name = name;
  s.columns = {{"id", AlgebraicType::U32()}, {"owner", AlgebraicType::String()}, {"balance", AlgebraicType::I64()}};
  s.primary_key = 0;
  s.indexes.push_back({0, name + "_id_idx_btree", table::IndexAlgorithm::kBTree, {0}, true});
  s.indexes.push_back({0, name + "_owner_idx_btree", table::IndexAlgorithm::kBTree, {1}, false});
  s.constraints.push_back({0, name + "_id_key", {0}});
  table::SequenceSchema seq;
  seq.name = name + "_id_seq";
  seq.column = 0;
  s.sequences.push_back(seq);
  return s;
}

inline sats::Bytes AccountRow(uint32_t id, const std::string& owner, int64_t balance) {
  return sats::bsatn::EncodeValue(
      AlgebraicValue::Product({AlgebraicValue::U32(id), AlgebraicValue::String(owner), AlgebraicValue::I64(balance)}));
}

// All rows of a table as a sorted list of byte strings.
inline std::vector<sats::Bytes> RowsOf(const table::Table& t) {
  std::vector<sats::Bytes> rows;
  t.rows().view().ForEach([&](table::RowId, sats::ByteSpan r) { rows.emplace_back(r.begin(), r.end()); });
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Every table's rows, for comparing whole database states.
inline std::map<std::string, std::vector<sats::Bytes>> StateOf(const Datastore& ds) {
  std::map<std::string, std::vector<sats::Bytes>> state;
  for (TableId id : ds.TableIds()) state[ds.GetTable(id)->schema().name] = RowsOf(*ds.GetTable(id));
  return state;
}

inline ReplayTx ToReplay(const TxData& data) {
  ReplayTx tx;
  for (const auto& t : data.tables) {
    if (!t.inserts.empty()) {
      ReplayTx::TableRows rows{t.table_id, {}};
      for (auto r : t.inserts) rows.rows.push_back(r);
      tx.inserts.push_back(std::move(rows));
    }
    if (t.truncated) {
      tx.truncates.push_back(t.table_id);
    } else if (!t.deletes.empty()) {
      ReplayTx::TableRows rows{t.table_id, {}};
      for (auto r : t.deletes) rows.rows.push_back(r);
      tx.deletes.push_back(std::move(rows));
    }
  }
  return tx;
}

}  // namespace stdb::datastore::testing
