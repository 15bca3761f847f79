#include "datastore/datastore.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <random>
#include <thread>

#include "datastore/mut_tx.h"
#include "datastore/test_util.h"

namespace stdb::datastore {
namespace {

using namespace testing;

TEST(Datastore, BootstrapHasTheReferenceSystemTables) {
  auto ds = Datastore::Create();
  const table::Table* st_table = ds->GetTable(kStTable);
  ASSERT_NE(st_table, nullptr);
  EXPECT_EQ(st_table->row_count(), 20u);
  EXPECT_EQ(ds->GetTable(kStIndex)->row_count(), 29u);
  EXPECT_EQ(ds->GetTable(kStConstraint)->row_count(), 25u);
  EXPECT_EQ(ds->GetTable(kStSequence)->row_count(), 7u);
  EXPECT_EQ(ds->TableIdByName("st_client"), kStClient);
  EXPECT_EQ(ds->TableIdByName("st_column_accessor"), kStColumnAccessor);
  EXPECT_EQ(ds->GetTable(kStConnectionCredentials)->schema().is_public, false);
  EXPECT_EQ(SystemTableSchema(kStScheduled).indexes[1].name, "st_scheduled_table_id_idx_btree");
  EXPECT_EQ(SystemTableSchema(kStColumnAccessor).constraints[1].name, "st_column_accessor_table_name_accessor_name_key");
  EXPECT_EQ(SystemTableSchema(kStView).sequences[0].name, "st_view_view_id_seq");
  // The schemas rebuilt from the st_* rows equal the built-in ones.
  EXPECT_EQ(ds->next_tx_offset(), 0u);
}

TEST(Datastore, FirstUserObjectsGetId4096) {
  auto ds = Datastore::Create();
  auto tx = *ds->BeginMutTx();
  auto id = tx->CreateTable(AccountsDef());
  ASSERT_TRUE(id.ok()) << id.error().message();
  EXPECT_EQ(*id, kFirstUserId);
  const TableSchema* s = tx->Schema(*id);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->indexes.size(), 2u);
  EXPECT_EQ(s->indexes[0].index_id, kFirstUserId);
  EXPECT_TRUE(s->indexes[0].unique);
  EXPECT_FALSE(s->indexes[1].unique);
  EXPECT_EQ(s->constraints[0].constraint_id, kFirstUserId);
  EXPECT_EQ(s->sequences[0].sequence_id, kFirstUserId);
  TxData data = tx->Commit();
  ASSERT_TRUE(data.tx_offset.has_value());
  EXPECT_EQ(*data.tx_offset, 0u);
  // The system sequence reserved its next block in the same transaction.
  EXPECT_NE(data.Find(kStSequence), nullptr);
}

TEST(Datastore, SnapshotIsConsistentWhileWriterCommits) {
  auto ds = Datastore::Create();
  TableId accounts;
  {
    auto tx = *ds->BeginMutTx();
    accounts = *tx->CreateTable(AccountsDef());
    for (uint32_t i = 1; i <= 20000; ++i) ASSERT_TRUE(tx->Insert(accounts, AccountRow(i, "o", 100)).ok());
    tx->Commit();
  }
  auto snapshot = ds->TakeSnapshot();
  std::atomic<bool> consistent{true};
  std::atomic<int> scans{0};
  std::thread reader([&] {
    // Transfers preserve the total; every scan of the snapshot must see the same total and row count.
    for (int round = 0; round < 30; ++round) {
      const table::TableView* t = snapshot->Table(accounts);
      int64_t total = 0;
      size_t n = 0;
      t->rows.ForEach([&](table::RowId, sats::ByteSpan row) {
        int64_t b;
        std::memcpy(&b, row.data() + row.size() - 8, 8);
        total += b;
        ++n;
      });
      if (total != 2000000 || n != 20000) consistent = false;
      ++scans;
    }
  });
  size_t inserted = 0;
  for (int i = 0; i < 2000; ++i) {
    auto tx = *ds->BeginMutTx();
    uint32_t a = 1 + uint32_t(i * 7919 % 20000), b = 1 + uint32_t(i * 104729 % 20000);
    if (a == b) {
      tx->Rollback();
      continue;
    }
    ASSERT_TRUE(tx->Update(accounts, kFirstUserId, AccountRow(a, "o", 90)).ok());
    ASSERT_TRUE(tx->Update(accounts, kFirstUserId, AccountRow(b, "o", 110)).ok());
    ASSERT_TRUE(tx->Insert(accounts, AccountRow(100000 + uint32_t(i), "new", 0)).ok());
    ++inserted;
    tx->Commit();
  }
  reader.join();
  EXPECT_TRUE(consistent);
  EXPECT_EQ(scans, 30);
  EXPECT_EQ(ds->GetTable(accounts)->row_count(), 20000u + inserted);
  snapshot.reset();
  ds->epochs().Reclaim();
  EXPECT_EQ(ds->epochs().retired_objects(), 0u);
}

TEST(Datastore, ReplayOfTxDataRebuildsTheSameState) {
  auto ds = Datastore::Create();
  auto replica = Datastore::Create();
  std::mt19937 rng(9);
  TableId accounts = 0;
  for (int i = 0; i < 300; ++i) {
    auto tx = *ds->BeginMutTx();
    if (i == 0) accounts = *tx->CreateTable(AccountsDef());
    for (int k = 0; k < 5; ++k) {
      uint32_t id = rng() % 60;
      switch (rng() % 4) {
        case 0: (void)tx->Insert(accounts, AccountRow(0, "o" + std::to_string(rng() % 3), int64_t(rng() % 100))); break;
        case 1: (void)tx->Update(accounts, kFirstUserId, AccountRow(id, "u", int64_t(rng() % 100))); break;
        case 2: {
          auto t = ds->GetTable(accounts);
          table::IndexKey key;
          key.u64 = id;
          auto rid = table::TableIndex::FindFirst(t->FindIndex(kFirstUserId)->view(), key);
          if (rid != table::kNoRow) {
            ASSERT_TRUE(tx->Delete(accounts, rid).ok());
          }
          break;
        }
        case 3:
          if (rng() % 20 == 0) {
            ASSERT_TRUE(tx->Clear(accounts).ok());
          }
          break;
      }
    }
    if (i == 150) {
      ASSERT_TRUE(tx->CreateIndex(accounts, {0, "accounts_balance_idx_btree", table::IndexAlgorithm::kBTree, {2}, false}).ok());
    }
    TxData data = tx->Commit();
    if (data.tx_offset) {
      auto s = replica->Replay(ToReplay(data), *data.tx_offset);
      ASSERT_TRUE(s.ok()) << s.error().message();
    }
  }
  ASSERT_TRUE(replica->FinishReplay().ok());
  EXPECT_EQ(StateOf(*replica), StateOf(*ds));
  EXPECT_EQ(replica->GetTable(accounts)->schema(), ds->GetTable(accounts)->schema());
  EXPECT_EQ(replica->next_tx_offset(), ds->next_tx_offset());
  // Sequences continue without reusing a value: the replica resumes at the persisted allocation mark.
  auto tx = *replica->BeginMutTx();
  auto r = tx->Insert(accounts, AccountRow(0, "after", 1));
  ASSERT_TRUE(r.ok());
  uint32_t generated;
  std::memcpy(&generated, r->generated.data(), 4);
  for (const auto& row : RowsOf(*ds->GetTable(accounts))) {
    uint32_t id;
    std::memcpy(&id, row.data(), 4);
    EXPECT_LT(id, generated);
  }
}

TEST(Datastore, ReplayFollowsATableRebuiltWithNewColumns) {
  auto ds = Datastore::Create();
  auto replica = Datastore::Create();
  auto commit = [&](std::unique_ptr<MutTx> tx) {
    TxData data = tx->Commit();
    ASSERT_TRUE(data.tx_offset.has_value());
    auto s = replica->Replay(ToReplay(data), *data.tx_offset);
    ASSERT_TRUE(s.ok()) << s.error().message();
  };
  auto tx = *ds->BeginMutTx();
  TableId id = *tx->CreateTable(AccountsDef());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(tx->Insert(id, AccountRow(0, "a", i)).ok());
  commit(std::move(tx));
  tx = *ds->BeginMutTx();
  TableId rebuilt = *tx->AddColumns(id, {{"note", sats::AlgebraicType::String()}}, {sats::bsatn::EncodeValue(sats::AlgebraicValue::String("-"))});
  commit(std::move(tx));
  ASSERT_TRUE(replica->FinishReplay().ok());
  EXPECT_EQ(StateOf(*replica), StateOf(*ds));
  EXPECT_EQ(replica->GetTable(rebuilt)->schema(), ds->GetTable(rebuilt)->schema());
  EXPECT_EQ(replica->GetTable(id), nullptr);
}

TEST(Datastore, ReplayRejectsGapsAndMissingRows) {
  auto ds = Datastore::Create();
  ReplayTx empty;
  auto s = ds->Replay(empty, 3);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("offset 0"), std::string::npos);
  auto row = AccountRow(1, "x", 1);
  ReplayTx bad;
  bad.deletes.push_back({kStVar, {sats::ByteSpan(row)}});
  EXPECT_FALSE(ds->Replay(bad, 0).ok());
}

// All rows of a view's tables, by table id, as the snapshot writer sees them.
std::map<TableId, std::vector<sats::Bytes>> RowsByTable(const DatabaseView& view) {
  std::map<TableId, std::vector<sats::Bytes>> out;
  for (const auto& [id, t] : view.tables()) {
    auto& rows = out[id];
    t.rows.ForEach([&](table::RowId, sats::ByteSpan r) { rows.emplace_back(r.begin(), r.end()); });
  }
  return out;
}

TEST(Datastore, RestoreFromSnapshotRowsRebuildsStateSchemasAndSequences) {
  auto ds = Datastore::Create();
  TableId accounts;
  {
    auto tx = *ds->BeginMutTx();
    accounts = *tx->CreateTable(AccountsDef());
    ASSERT_TRUE(tx->CreateTable(AccountsDef("empty")).ok());
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(tx->Insert(accounts, AccountRow(0, "o" + std::to_string(i % 7), i)).ok());
    tx->Commit();
  }
  auto view = ds->TakeSnapshot();
  auto rows = RowsByTable(*view);

  auto restored = Datastore::Create();
  std::map<TableId, std::vector<sats::ByteSpan>> system;
  for (const auto& [id, list] : rows)
    if (IsSystemTable(id))
      for (const auto& r : list) system[id].push_back(r);
  ASSERT_TRUE(restored->RestoreSystemTables(system).ok());
  for (const auto& [id, list] : rows) {
    if (IsSystemTable(id)) continue;
    std::vector<sats::ByteSpan> spans(list.begin(), list.end());
    // In two calls, as a streaming reader would.
    size_t half = spans.size() / 2;
    ASSERT_TRUE(restored->RestoreTableRows(id, std::span(spans).first(half)).ok());
    auto s = restored->RestoreTableRows(id, std::span(spans).subspan(half));
    ASSERT_TRUE(s.ok()) << s.error().message();
  }
  restored->set_next_tx_offset(view->tx_offset());
  ASSERT_TRUE(restored->FinishReplay().ok());
  EXPECT_EQ(StateOf(*restored), StateOf(*ds));
  EXPECT_EQ(restored->GetTable(accounts)->schema(), ds->GetTable(accounts)->schema());
  EXPECT_EQ(restored->TableIdByName("empty"), ds->TableIdByName("empty"));
  EXPECT_EQ(restored->next_tx_offset(), 1u);
  // Indexes work and sequences continue past every value handed out before.
  auto tx = *restored->BeginMutTx();
  auto r = tx->Insert(accounts, AccountRow(0, "after", 1));
  ASSERT_TRUE(r.ok()) << r.error().message();
  uint32_t generated;
  std::memcpy(&generated, r->generated.data(), 4);
  EXPECT_GT(generated, 100u);
  EXPECT_FALSE(tx->Insert(accounts, AccountRow(5, "dup", 1)).ok());  // the unique index on id was rebuilt
}

TEST(Datastore, RestoreRejectsDuplicatesUnknownTablesAndBadRows) {
  auto ds = Datastore::Create();
  TableId accounts;
  {
    auto tx = *ds->BeginMutTx();
    accounts = *tx->CreateTable(AccountsDef());
    tx->Commit();
  }
  auto rows = RowsByTable(*ds->TakeSnapshot());
  std::map<TableId, std::vector<sats::ByteSpan>> system;
  for (const auto& [id, list] : rows)
    if (IsSystemTable(id))
      for (const auto& r : list) system[id].push_back(r);

  auto restored = Datastore::Create();
  ASSERT_TRUE(restored->RestoreSystemTables(system).ok());
  sats::Bytes row = AccountRow(1, "a", 1);
  sats::ByteSpan twice[] = {row, row};
  auto dup = restored->RestoreTableRows(accounts, twice);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(dup.error().message().find("'accounts'"), std::string::npos) << dup.error().message();
  sats::ByteSpan one[] = {row};
  EXPECT_FALSE(restored->RestoreTableRows(accounts + 1, one).ok());
  EXPECT_FALSE(restored->RestoreTableRows(kStClient, one).ok());
  sats::Bytes bad = {1, 2, 3};
  sats::ByteSpan bad_rows[] = {bad};
  EXPECT_FALSE(restored->RestoreTableRows(accounts, bad_rows).ok());
  // A system table row that does not fit its table.
  auto again = Datastore::Create();
  system[kStVar].push_back(bad);
  EXPECT_FALSE(again->RestoreSystemTables(system).ok());
}

TEST(Datastore, MemoryPerTable) {
  auto ds = Datastore::Create();
  auto tx = *ds->BeginMutTx();
  TableId id = *tx->CreateTable(AccountsDef());
  for (uint32_t i = 0; i < 1000; ++i) ASSERT_TRUE(tx->Insert(id, AccountRow(0, "x", i)).ok());
  tx->Commit();
  MemoryStats m = ds->Memory();
  EXPECT_GT(m.per_table["accounts"], 1000u * 10);
  EXPECT_GE(m.total_bytes, m.per_table["accounts"]);
}

}  // namespace
}  // namespace stdb::datastore
