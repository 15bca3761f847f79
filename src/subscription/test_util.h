// Helpers shared by the subscription tests and benchmark: a datastore whose every commit goes through a
// SubscriptionManager (as the host's commit listener does), row builders, and a client-side row cache that applies
// initial rows and updates the way SDKs do (reference counts per row).
//
// Thread-safety: single-threaded test helpers.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <memory>
#include <string>
#include <vector>

#include "datastore/datastore.h"
#include "datastore/mut_tx.h"
#include "datastore/system_tables.h"
#include "sats/algebraic_value.h"
#include "sats/bsatn.h"
#include "subscription/subscription_manager.h"

namespace stdb::subscription::testing {

using sats::AlgebraicType;
using sats::AlgebraicValue;

struct IndexSpec {
  std::vector<table::ColId> columns;
  bool unique = false;
  table::IndexAlgorithm algorithm = table::IndexAlgorithm::kBTree;
};

inline sats::Bytes Row(std::vector<AlgebraicValue> values) {
  return sats::bsatn::EncodeValue(AlgebraicValue::Product(std::move(values)));
}

inline std::string Key(sats::ByteSpan row) { return std::string(row.begin(), row.end()); }

inline sats::Identity IdentityOf(uint8_t byte) {
  uint8_t be[32];
  std::fill(std::begin(be), std::end(be), byte);
  return sats::Identity::FromBigEndian(be);
}

inline ClientId Client(uint32_t n, uint8_t identity_byte = 1) {
  return ClientId{IdentityOf(identity_byte), sats::ConnectionId(sats::u128(n) + 1)};
}

inline sql::CallerContext Owner() { return sql::CallerContext::Owner(IdentityOf(0x99)); }
inline sql::CallerContext User(uint8_t identity_byte = 1) {
  return sql::CallerContext::Client(IdentityOf(identity_byte));
}

// A multiset of rows: row bytes -> count.
using Multiset = std::map<std::string, int64_t>;

inline void AddAll(Multiset& m, const datastore::RowList& rows, int64_t sign = 1) {
  for (sats::ByteSpan r : rows) {
    int64_t& n = m[Key(r)];
    n += sign;
    if (n == 0) m.erase(Key(r));
  }
}

// What a client holds: rows with reference counts, built from initial rows and updates only.
class ClientCache {
 public:
  void Insert(const datastore::RowList& rows) {
    for (sats::ByteSpan r : rows) ++rows_[Key(r)];
  }
  // Fails (returns false) when a delete has no row to remove: the client would be corrupted.
  bool Delete(const datastore::RowList& rows) {
    for (sats::ByteSpan r : rows) {
      auto it = rows_.find(Key(r));
      if (it == rows_.end()) return false;
      if (--it->second == 0) rows_.erase(it);
    }
    return true;
  }
  void ApplyInitial(const std::vector<QueryRows>& initial) {
    for (const QueryRows& q : initial) Insert(q.rows);
  }
  // Applies the part of `update` for query set `set` (or every v1 table when `set` is empty); deletes first.
  bool Apply(const ClientUpdate& update, std::optional<uint32_t> set) {
    auto apply_tables = [&](const auto& tables) {
      for (const TableUpdate& t : tables)
        for (const auto& q : t.queries)
          if (!Delete(q->deletes())) return false;
      for (const TableUpdate& t : tables)
        for (const auto& q : t.queries)
          if (!q->is_event()) Insert(q->inserts());
      return true;
    };
    if (!set) return apply_tables(update.tables);
    for (const QuerySetUpdate& qs : update.query_sets)
      if (qs.query_set_id == *set && !apply_tables(qs.tables)) return false;
    return true;
  }
  const Multiset& rows() const { return rows_; }

 private:
  Multiset rows_;
};

// A datastore that hands every commit to its SubscriptionManager.
class TestDb {
 public:
  TestDb() : ds_(datastore::Datastore::Create()) {}

  datastore::Datastore& ds() { return *ds_; }
  SubscriptionManager& manager() { return manager_; }

  // Commits `body`'s changes (rolled back if it fails) and returns the manager's updates.
  CommitUpdates Commit(const std::function<Status(datastore::MutTx&)>& body) {
    auto tx = *ds_->BeginMutTx();
    Status status = body(*tx);
    if (!status.ok()) {
      ADD_FAILURE() << status.error().message();
      tx->Rollback();
      return {};
    }
    datastore::TxData data = tx->Commit();
    tx.reset();
    last_tx_ = data;
    if (data.empty()) return {};
    auto view = ds_->CurrentView();
    return manager_.OnCommit(data, *view);
  }

  table::TableId CreateTable(const std::string& name, std::vector<std::pair<std::string, AlgebraicType>> columns,
                             std::vector<IndexSpec> indexes = {}, bool is_public = true, bool is_event = false) {
    table::TableSchema s;
    s.name = name;
    s.is_public = is_public;
    s.is_event = is_event;
    for (auto& [col, type] : columns) s.columns.push_back({col, type});
    for (const IndexSpec& ix : indexes) {
      std::string ixname = name;
      for (auto c : ix.columns) ixname += "_" + s.columns[c].name;
      ixname += ix.algorithm == table::IndexAlgorithm::kHash ? "_idx_hash" : "_idx_btree";
      s.indexes.push_back({0, ixname, ix.algorithm, ix.columns, ix.unique});
      if (ix.unique) s.constraints.push_back({0, ixname + "_key", ix.columns});
    }
    table::TableId id = 0;
    Commit([&](datastore::MutTx& tx) -> Status {
      STDB_ASSIGN_OR_RETURN(id, tx.CreateTable(s));
      return OkStatus();
    });
    return id;
  }

  CommitUpdates Insert(table::TableId table, const std::vector<std::vector<AlgebraicValue>>& rows) {
    return Commit([&](datastore::MutTx& tx) -> Status {
      for (const auto& row : rows) STDB_RETURN_IF_ERROR(tx.Insert(table, Row(row)));
      return OkStatus();
    });
  }
  CommitUpdates Delete(table::TableId table, const std::vector<std::vector<AlgebraicValue>>& rows) {
    return Commit([&](datastore::MutTx& tx) -> Status {
      for (const auto& row : rows) {
        STDB_ASSIGN_OR_RETURN(bool deleted, tx.DeleteByValue(table, Row(row)));
        if (!deleted) return Error(ErrorCode::kNotFound, "no such row to delete");
      }
      return OkStatus();
    });
  }
  CommitUpdates AddRlsRule(table::TableId table, const std::string& sql) {
    return Commit([&](datastore::MutTx& tx) -> Status {
      return tx.Insert(datastore::kStRowLevelSecurity, datastore::StRowLevelSecurityRow{table, sql}.Encode()).ok()
                 ? OkStatus()
                 : Error(ErrorCode::kInternal, "could not add the rule");
    });
  }

  std::unique_ptr<datastore::DatabaseView> View() const { return ds_->CurrentView(); }
  std::shared_ptr<const datastore::DatabaseView> Snapshot() { return ds_->TakeSnapshot(); }

  Result<std::vector<QueryRows>> Subscribe(const ClientId& client, const sql::CallerContext& caller,
                                           SubscriptionId id, std::vector<std::string> queries) {
    auto view = View();
    return manager_.Subscribe(client, caller, id, queries, *view);
  }

  // The full result of `sql` for `caller`, compiled afresh, on the current state.
  Multiset Evaluate(const std::string& sql, const sql::CallerContext& caller) {
    auto view = View();
    sql::DatabaseViewSchema schema(*view);
    auto q = CompiledQuery::Compile(sql, caller, schema);
    EXPECT_TRUE(q.ok()) << q.error().message();
    Multiset m;
    if (!q.ok()) return m;
    auto done = (*q)->Evaluate(*view, [&](sats::ByteSpan row) {
      ++m[Key(row)];
      return true;
    });
    EXPECT_TRUE(done.ok()) << done.error().message();
    return m;
  }

  const datastore::TxData& last_tx() const { return last_tx_; }

 private:
  std::unique_ptr<datastore::Datastore> ds_;
  SubscriptionManager manager_;
  datastore::TxData last_tx_;
};

// Four tables joined by foreign keys, every join column indexed, values from small domains so that joins fan out
// and random transactions collide; plus a model of their rows for choosing what to delete or update.
//   a(id u32 unique, x u32 btree, y u32)
//   b(id u32 unique hash, a_id u32 btree, z u32 btree)
//   c(id u32 unique, b_id u32 hash, w u32 btree)
//   d(id u32 unique, c_id u32 btree, a_id u32 btree)
class RandomWorkload {
 public:
  static constexpr uint32_t kIds = 16;
  static constexpr uint32_t kValues = 4;

  explicit RandomWorkload(TestDb& db, uint64_t seed) : db_(db), rng_(seed) {
    using T = AlgebraicType;
    tables_.push_back(db.CreateTable("a", {{"id", T::U32()}, {"x", T::U32()}, {"y", T::U32()}},
                                     {{{0}, true}, {{1}}}));
    tables_.push_back(db.CreateTable("b", {{"id", T::U32()}, {"a_id", T::U32()}, {"z", T::U32()}},
                                     {{{0}, true, table::IndexAlgorithm::kHash}, {{1}}, {{2}}}));
    tables_.push_back(db.CreateTable("c", {{"id", T::U32()}, {"b_id", T::U32()}, {"w", T::U32()}},
                                     {{{0}, true}, {{1}, false, table::IndexAlgorithm::kHash}, {{2}}}));
    tables_.push_back(db.CreateTable("d", {{"id", T::U32()}, {"c_id", T::U32()}, {"a_id", T::U32()}},
                                     {{{0}, true}, {{1}}, {{2}}}));
    rows_.resize(tables_.size());
  }

  const std::vector<table::TableId>& tables() const { return tables_; }

  // Fills every table with `n` random rows, one transaction per table.
  void Populate(uint32_t n) {
    for (size_t t = 0; t < tables_.size(); ++t)
      db_.Commit([&](datastore::MutTx& tx) -> Status {
        for (uint32_t i = 0; i < n; ++i) STDB_RETURN_IF_ERROR(InsertFresh(tx, t));
        return OkStatus();
      });
  }

  // One random transaction over `max_tables` of the tables (1..4): inserts, deletes, updates, and changes that
  // cancel within the transaction.
  CommitUpdates Step(size_t max_tables = 4) {
    std::uniform_int_distribution<int> ops(1, 6);
    int n = ops(rng_);
    return db_.Commit([&](datastore::MutTx& tx) -> Status {
      for (int i = 0; i < n; ++i) {
        size_t t = std::uniform_int_distribution<size_t>(0, std::min(max_tables, tables_.size()) - 1)(rng_);
        switch (std::uniform_int_distribution<int>(0, 5)(rng_)) {
          case 0:
          case 1: STDB_RETURN_IF_ERROR(InsertFresh(tx, t)); break;
          case 2: STDB_RETURN_IF_ERROR(DeleteSome(tx, t)); break;
          case 3:
          case 4: STDB_RETURN_IF_ERROR(UpdateSome(tx, t)); break;
          case 5: STDB_RETURN_IF_ERROR(Churn(tx, t)); break;
        }
      }
      return OkStatus();
    });
  }

 private:
  uint32_t Random(uint32_t bound) { return std::uniform_int_distribution<uint32_t>(0, bound - 1)(rng_); }
  std::vector<AlgebraicValue> RandomRow(size_t t, uint32_t id) {
    // Columns after the id: a foreign key or a small value.
    switch (t) {
      case 0: return {AlgebraicValue::U32(id), AlgebraicValue::U32(Random(kValues)), AlgebraicValue::U32(Random(kValues))};
      case 1: return {AlgebraicValue::U32(id), AlgebraicValue::U32(Random(kIds)), AlgebraicValue::U32(Random(kValues))};
      case 2: return {AlgebraicValue::U32(id), AlgebraicValue::U32(Random(kIds)), AlgebraicValue::U32(Random(kValues))};
      default: return {AlgebraicValue::U32(id), AlgebraicValue::U32(Random(kIds)), AlgebraicValue::U32(Random(kIds))};
    }
  }
  Status InsertFresh(datastore::MutTx& tx, size_t t) {
    if (rows_[t].size() >= kIds) return OkStatus();
    uint32_t id;
    do id = Random(kIds);
    while (rows_[t].count(id));
    sats::Bytes row = Row(RandomRow(t, id));
    STDB_RETURN_IF_ERROR(tx.Insert(tables_[t], row));
    rows_[t][id] = row;
    return OkStatus();
  }
  std::optional<uint32_t> SomeId(size_t t) {
    if (rows_[t].empty()) return std::nullopt;
    auto it = rows_[t].begin();
    std::advance(it, Random(uint32_t(rows_[t].size())));
    return it->first;
  }
  Status Remove(datastore::MutTx& tx, size_t t, uint32_t id) {
    STDB_ASSIGN_OR_RETURN(bool deleted, tx.DeleteByValue(tables_[t], rows_[t][id]));
    if (!deleted) return Error(ErrorCode::kInternal, "model and table disagree");
    rows_[t].erase(id);
    return OkStatus();
  }
  Status DeleteSome(datastore::MutTx& tx, size_t t) {
    auto id = SomeId(t);
    return id ? Remove(tx, t, *id) : OkStatus();
  }
  Status UpdateSome(datastore::MutTx& tx, size_t t) {
    auto id = SomeId(t);
    if (!id) return OkStatus();
    STDB_RETURN_IF_ERROR(Remove(tx, t, *id));
    sats::Bytes row = Row(RandomRow(t, *id));
    STDB_RETURN_IF_ERROR(tx.Insert(tables_[t], row));
    rows_[t][*id] = row;
    return OkStatus();
  }
  // Changes that cancel out: delete a row and put it back, or insert a row and delete it again.
  Status Churn(datastore::MutTx& tx, size_t t) {
    if (auto id = SomeId(t); id && Random(2) == 0) {
      sats::Bytes row = rows_[t][*id];
      STDB_RETURN_IF_ERROR(Remove(tx, t, *id));
      STDB_RETURN_IF_ERROR(tx.Insert(tables_[t], row));
      rows_[t][*id] = row;
      return OkStatus();
    }
    if (rows_[t].size() >= kIds) return OkStatus();
    uint32_t id;
    do id = Random(kIds);
    while (rows_[t].count(id));
    rows_[t][id] = Row(RandomRow(t, id));
    STDB_RETURN_IF_ERROR(tx.Insert(tables_[t], rows_[t][id]));
    return Remove(tx, t, id);
  }

  TestDb& db_;
  std::mt19937_64 rng_;
  std::vector<table::TableId> tables_;
  std::vector<std::map<uint32_t, sats::Bytes>> rows_;
};

}  // namespace stdb::subscription::testing
