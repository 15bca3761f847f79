#include "durability/testing/bank_workload.h"

#include <algorithm>
#include <cstring>

namespace stdb::durability::testing {
namespace {

using datastore::TableSchema;
using sats::AlgebraicType;

constexpr size_t kTargetAccounts = 3000;

TableSchema AutoIncrementTable(const std::string& name, std::vector<table::ColumnSchema> columns) {
  TableSchema s;
  s.name = name;
  s.columns = std::move(columns);
  s.primary_key = 0;
  s.indexes.push_back({0, name + "_" + s.columns[0].name + "_idx_btree", table::IndexAlgorithm::kBTree, {0}, true});
  s.constraints.push_back({0, name + "_" + s.columns[0].name + "_key", {0}});
  table::SequenceSchema seq;
  seq.name = name + "_" + s.columns[0].name + "_seq";
  seq.column = 0;
  s.sequences.push_back(seq);
  return s;
}

uint64_t GeneratedU64(const sats::Bytes& generated) {
  uint64_t v = 0;
  if (generated.size() == 8) std::memcpy(&v, generated.data(), 8);
  return v;
}

}  // namespace

sats::Bytes BankWorkload::AccountRow(uint64_t id, uint32_t owner, int64_t balance) {
  sats::Bytes row;
  sats::bsatn::Writer w(row);
  w.U64(id);
  w.U32(owner);
  w.I64(balance);
  return row;
}

Result<datastore::TxData> BankWorkload::Attach(datastore::Datastore& ds) {
  generated_.clear();
  datastore::TxData data;
  if (!ds.TableIdByName("accounts")) {
    STDB_ASSIGN_OR_RETURN(auto tx, ds.BeginMutTx());
    STDB_ASSIGN_OR_RETURN(accounts_, tx->CreateTable(AutoIncrementTable(
                                         "accounts", {{"id", AlgebraicType::U64()},
                                                      {"owner", AlgebraicType::U32()},
                                                      {"balance", AlgebraicType::I64()}})));
    STDB_ASSIGN_OR_RETURN(ledger_, tx->CreateTable(AutoIncrementTable(
                                       "ledger", {{"seq", AlgebraicType::U64()}, {"note", AlgebraicType::String()}})));
    data = tx->Commit();
  }
  accounts_ = *ds.TableIdByName("accounts");
  ledger_ = *ds.TableIdByName("ledger");
  const table::Table* accounts = ds.GetTable(accounts_);
  accounts_pk_ = accounts->schema().indexes.at(0).index_id;
  live_.clear();
  position_.clear();
  accounts_by_id_.clear();
  accounts->rows().view().ForEach([&](table::RowId, sats::ByteSpan row) {
    sats::bsatn::Reader r(row);
    uint64_t id = r.U64();
    uint32_t owner = r.U32();
    int64_t balance = r.I64();
    live_.push_back(id);
    accounts_by_id_[id] = {owner, balance};
  });
  std::sort(live_.begin(), live_.end());
  for (size_t i = 0; i < live_.size(); ++i) position_[live_[i]] = i;
  return data;
}

void BankWorkload::Forget(uint64_t id) {
  size_t at = position_.at(id);
  uint64_t moved = live_.back();
  live_[at] = moved;
  position_[moved] = at;
  live_.pop_back();
  position_.erase(id);
  accounts_by_id_.erase(id);
}

Result<datastore::TxData> BankWorkload::Step(datastore::Datastore& ds) {
  generated_.clear();
  STDB_ASSIGN_OR_RETURN(auto tx, ds.BeginMutTx());
  // Changes to the shadow of the accounts table, applied once the transaction commits.
  std::vector<std::pair<uint64_t, Account>> inserted, updated;
  std::vector<uint64_t> deleted;
  std::vector<uint64_t> touched;  // accounts updated or deleted in this transaction: each at most once
  auto untouched = [&](uint64_t id) { return std::find(touched.begin(), touched.end(), id) == touched.end(); };
  const int ops = 1 + int(rng_() % 3);
  for (int op = 0; op < ops; ++op) {
    uint64_t kind = rng_() % 100;
    if (kind < 35 && live_.size() >= kTargetAccounts) kind = 70;  // keep the table from growing forever
    if (kind >= 35 && kind < 80 && live_.empty()) kind = 0;
    if (kind < 35) {
      Account a{uint32_t(rng_() % 1000), int64_t(rng_() % 100000)};
      STDB_ASSIGN_OR_RETURN(auto r, tx->Insert(accounts_, AccountRow(0, a.owner, a.balance)));
      uint64_t id = GeneratedU64(r.generated);
      generated_.push_back({accounts_, id});
      inserted.push_back({id, a});
    } else if (kind < 80) {
      uint64_t id = live_[rng_() % live_.size()];
      int64_t balance = int64_t(rng_() % 100000);
      if (!untouched(id)) continue;
      touched.push_back(id);
      Account a = accounts_by_id_.at(id);
      if (kind < 65) {
        a.balance = balance;
        STDB_ASSIGN_OR_RETURN(auto r, tx->Update(accounts_, accounts_pk_, AccountRow(id, a.owner, a.balance)));
        (void)r;
        updated.push_back({id, a});
      } else {
        STDB_ASSIGN_OR_RETURN(bool found, tx->DeleteByValue(accounts_, AccountRow(id, a.owner, a.balance)));
        if (!found) return Error(ErrorCode::kInternal, "bank workload: account " + std::to_string(id) + " is missing");
        deleted.push_back(id);
      }
    } else if (kind < 95) {
      std::string note(size_t(rng_() % 40), 'a' + char(rng_() % 26));
      sats::Bytes row;
      sats::bsatn::Writer w(row);
      w.U64(0);
      w.String(note);
      STDB_ASSIGN_OR_RETURN(auto r, tx->Insert(ledger_, row));
      generated_.push_back({ledger_, GeneratedU64(r.generated)});
    } else {
      STDB_ASSIGN_OR_RETURN(uint64_t cleared, tx->Clear(ledger_));
      (void)cleared;
    }
  }
  datastore::TxData data = tx->Commit();
  for (uint64_t id : deleted) Forget(id);
  for (const auto& [id, a] : updated) accounts_by_id_[id] = a;
  for (const auto& [id, a] : inserted) {
    position_[id] = live_.size();
    live_.push_back(id);
    accounts_by_id_[id] = a;
  }
  return data;
}

}  // namespace stdb::durability::testing
