#include "datastore/mut_tx.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "datastore/test_util.h"
#include "sats/special_types.h"

namespace stdb::datastore {
namespace {

using namespace testing;

class MutTxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ds_ = Datastore::Create();
    auto tx = *ds_->BeginMutTx();
    accounts_ = *tx->CreateTable(AccountsDef());
    tx->Commit();
  }
  std::unique_ptr<MutTx> Begin() { return *ds_->BeginMutTx(); }
  uint32_t Generated(const InsertResult& r) {
    uint32_t v = 0;
    std::memcpy(&v, r.generated.data(), std::min<size_t>(4, r.generated.size()));
    return v;
  }
  std::unique_ptr<Datastore> ds_;
  TableId accounts_ = 0;
  IndexId pk_ = kFirstUserId;
};

TEST_F(MutTxTest, AutoIncrementWritesBackGeneratedValues) {
  auto tx = Begin();
  auto a = tx->Insert(accounts_, AccountRow(0, "a", 1));
  auto b = tx->Insert(accounts_, AccountRow(0, "a", 1));  // zero again: a new value, so not identical
  auto c = tx->Insert(accounts_, AccountRow(77, "c", 1));  // explicit value: nothing generated
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->generated.size(), 4u);
  EXPECT_EQ(Generated(*a), 1u);
  EXPECT_EQ(Generated(*b), 2u);
  EXPECT_TRUE(c->generated.empty());
  EXPECT_EQ(tx->RowCount(accounts_), 3u);
}

TEST_F(MutTxTest, IdenticalInsertIsANoOpAndUniqueViolationNamesTheConstraint) {
  auto tx = Begin();
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(5, "a", 1)).ok());
  auto again = tx->Insert(accounts_, AccountRow(5, "a", 1));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->existed);
  auto clash = tx->Insert(accounts_, AccountRow(5, "b", 2));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code(), ErrorCode::kConstraint);
  EXPECT_NE(clash.error().message().find("'accounts_id_key'"), std::string::npos);
  TxData data = tx->Commit();
  ASSERT_NE(data.Find(accounts_), nullptr);
  EXPECT_EQ(data.Find(accounts_)->inserts.size(), 1u);
}

TEST_F(MutTxTest, RejectsMalformedRows) {
  auto tx = Begin();
  sats::Bytes bad = AccountRow(1, "a", 1);
  bad.pop_back();
  auto r = tx->Insert(accounts_, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDecode);
  EXPECT_EQ(tx->Insert(999999, AccountRow(1, "a", 1)).error().code(), ErrorCode::kNoSuchTable);
}

TEST_F(MutTxTest, UpdateThroughUniqueIndex) {
  auto tx = Begin();
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(1, "a", 10)).ok());
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(2, "b", 20)).ok());
  tx->Commit();
  tx = Begin();
  auto u = tx->Update(accounts_, pk_, AccountRow(1, "a", 15));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(tx->Update(accounts_, pk_, AccountRow(3, "c", 0)).error().code(), ErrorCode::kNoSuchRow);
  EXPECT_EQ(tx->Update(accounts_, pk_ + 1, AccountRow(1, "a", 0)).error().code(), ErrorCode::kIndexNotUnique);
  EXPECT_EQ(tx->Update(accounts_, 12345, AccountRow(1, "a", 0)).error().code(), ErrorCode::kNoSuchIndex);
  TxData data = tx->Commit();
  const TableChanges* c = data.Find(accounts_);
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->deletes.size(), 1u);
  ASSERT_EQ(c->inserts.size(), 1u);
  EXPECT_EQ(sats::Bytes(c->deletes[0].begin(), c->deletes[0].end()), AccountRow(1, "a", 10));
  EXPECT_EQ(sats::Bytes(c->inserts[0].begin(), c->inserts[0].end()), AccountRow(1, "a", 15));
}

TEST_F(MutTxTest, TxDataCancelsDeleteAndIdenticalReinsert) {
  auto tx = Begin();
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(1, "a", 10)).ok());
  tx->Commit();
  tx = Begin();
  ASSERT_TRUE(*tx->DeleteByValue(accounts_, AccountRow(1, "a", 10)));
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(1, "a", 10)).ok());
  // Insert-then-delete within the transaction also leaves nothing.
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(9, "z", 1)).ok());
  ASSERT_TRUE(*tx->DeleteByValue(accounts_, AccountRow(9, "z", 1)));
  TxData data = tx->Commit();
  EXPECT_TRUE(data.empty());
  EXPECT_FALSE(data.tx_offset.has_value());
}

TEST_F(MutTxTest, EmptyTransactionsConsumeNoOffset) {
  uint64_t before = ds_->next_tx_offset();
  auto tx = Begin();
  TxData data = tx->Commit();
  EXPECT_TRUE(data.empty());
  EXPECT_EQ(ds_->next_tx_offset(), before);
  tx = Begin();
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(1, "a", 1)).ok());
  data = tx->Commit();
  EXPECT_EQ(data.tx_offset, before);
  EXPECT_EQ(ds_->next_tx_offset(), before + 1);
}

TEST_F(MutTxTest, ClearMarksTruncated) {
  auto tx = Begin();
  for (uint32_t i = 1; i <= 5; ++i) ASSERT_TRUE(tx->Insert(accounts_, AccountRow(i, "a", 1)).ok());
  tx->Commit();
  tx = Begin();
  EXPECT_EQ(*tx->Clear(accounts_), 5u);
  TxData data = tx->Commit();
  ASSERT_NE(data.Find(accounts_), nullptr);
  EXPECT_TRUE(data.Find(accounts_)->truncated);
  EXPECT_EQ(data.Find(accounts_)->deletes.size(), 5u);
  EXPECT_EQ(ds_->GetTable(accounts_)->row_count(), 0u);
}

TEST_F(MutTxTest, RollbackRestoresRowsIndexesAndSequences) {
  auto tx = Begin();
  for (uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(tx->Insert(accounts_, AccountRow(0, "a", i)).ok());
  tx->Commit();
  auto before = StateOf(*ds_);
  tx = Begin();
  // Enough inserts to cross a sequence block boundary (4096), then roll everything back.
  for (uint32_t i = 0; i < 5000; ++i) ASSERT_TRUE(tx->Insert(accounts_, AccountRow(0, "b", i)).ok());
  ASSERT_TRUE(tx->Update(accounts_, pk_, AccountRow(3, "changed", 1)).ok());
  ASSERT_TRUE(tx->Clear(accounts_).ok());
  tx->Rollback();
  EXPECT_EQ(StateOf(*ds_), before);
  // The counter is back too: the next value follows the committed ones.
  tx = Begin();
  auto r = tx->Insert(accounts_, AccountRow(0, "c", 0));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Generated(*r), 11u);
  // Index on owner still finds exactly the committed rows.
  const table::TableIndex* owner = ds_->GetTable(accounts_)->FindIndex(pk_ + 1);
  int n = 0;
  table::TableIndex::ScanPoint(owner->view(), owner->KeyFromValues({sats::AlgebraicValue::String("a")}),
                               [&](table::RowId) { return ++n, true; });
  EXPECT_EQ(n, 10);
}

TEST_F(MutTxTest, SavepointsUndoOnlyTheInnerPart) {
  auto tx = Begin();
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(1, "a", 1)).ok());
  size_t sp = tx->Savepoint();
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(2, "b", 1)).ok());
  ASSERT_TRUE(tx->Update(accounts_, pk_, AccountRow(1, "a", 99)).ok());
  tx->RollbackTo(sp);
  TxData data = tx->Commit();
  const TableChanges* c = data.Find(accounts_);
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->inserts.size(), 1u);
  EXPECT_EQ(sats::Bytes(c->inserts[0].begin(), c->inserts[0].end()), AccountRow(1, "a", 1));
}

TEST_F(MutTxTest, SequenceBlockAllocationIsPersistedTransactionally) {
  auto count_seq_changes = [](const TxData& d) {
    const TableChanges* c = d.Find(kStSequence);
    return c ? c->inserts.size() : 0;
  };
  auto tx = Begin();
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(0, "a", 1)).ok());
  TxData first = tx->Commit();
  EXPECT_EQ(count_seq_changes(first), 1u);  // the first value reserves a block
  tx = Begin();
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(0, "a", 2)).ok());
  EXPECT_EQ(count_seq_changes(tx->Commit()), 0u);  // served from the block
}

TEST_F(MutTxTest, SmallIntegerSequenceWrapsThenHitsTheUniqueConstraint) {
  TableSchema def;
  def.name = "tiny";
  def.columns = {{"id", sats::AlgebraicType::U8()}, {"round", sats::AlgebraicType::U8()}};
  def.primary_key = 0;
  def.constraints.push_back({0, "tiny_id_key", {0}});
  table::SequenceSchema seq;
  seq.name = "tiny_id_seq";
  def.sequences.push_back(seq);
  auto tx = Begin();
  TableId tiny = *tx->CreateTable(def);
  for (int i = 1; i <= 255; ++i) {
    auto r = tx->Insert(tiny, sats::Bytes{0, 0});
    ASSERT_TRUE(r.ok()) << i;
    EXPECT_EQ(r->generated, sats::Bytes{uint8_t(i)});
  }
  auto wrapped = tx->Insert(tiny, sats::Bytes{0, 1});  // wraps to 1, which exists with another row
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error().code(), ErrorCode::kConstraint);
}

TEST_F(MutTxTest, CreateAndDropTableRollBack) {
  auto before = StateOf(*ds_);
  auto tx = Begin();
  TableId t2 = *tx->CreateTable(AccountsDef("second"));
  ASSERT_TRUE(tx->Insert(t2, AccountRow(0, "x", 1)).ok());
  ASSERT_TRUE(tx->DropTable(accounts_).ok());
  EXPECT_EQ(tx->GetTable(accounts_), nullptr);
  EXPECT_FALSE(tx->TableIdFromName("accounts").ok());
  tx->Rollback();
  EXPECT_EQ(StateOf(*ds_), before);
  EXPECT_EQ(ds_->GetTable(t2), nullptr);
  EXPECT_NE(ds_->GetTable(accounts_), nullptr);
  EXPECT_EQ(*ds_->TableIdByName("accounts"), accounts_);
  EXPECT_FALSE(ds_->TableIdByName("second").has_value());
}

TEST_F(MutTxTest, DuplicateTableNameAndUniqueIndexOnDuplicates) {
  auto tx = Begin();
  EXPECT_EQ(tx->CreateTable(AccountsDef()).error().code(), ErrorCode::kAlreadyExists);
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(1, "same", 1)).ok());
  ASSERT_TRUE(tx->Insert(accounts_, AccountRow(2, "same", 1)).ok());
  size_t before = tx->RowCount(kStIndex);
  auto r = tx->CreateIndex(accounts_, {0, "accounts_owner_unique", table::IndexAlgorithm::kBTree, {1}, true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kConstraint);
  EXPECT_EQ(tx->RowCount(kStIndex), before);  // the failed index left nothing behind
  EXPECT_EQ(tx->Schema(accounts_)->indexes.size(), 2u);
}

TEST_F(MutTxTest, AddColumnsKeepsRowsAndCounters) {
  auto tx = Begin();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(tx->Insert(accounts_, AccountRow(0, "a", i)).ok());
  ASSERT_TRUE(tx->AddTableAlias("accounts", "Accounts").ok());
  tx->Commit();
  tx = Begin();
  auto new_id = tx->AddColumns(accounts_, {{"active", sats::AlgebraicType::Bool()}}, {sats::Bytes{1}});
  ASSERT_TRUE(new_id.ok()) << new_id.error().message();
  EXPECT_NE(*new_id, accounts_);
  EXPECT_EQ(*tx->TableIdFromName("accounts"), *new_id);
  EXPECT_EQ(*tx->TableIdFromName("Accounts"), *new_id);
  EXPECT_EQ(tx->RowCount(*new_id), 3u);
  auto r = tx->Insert(*new_id, [] {
    sats::Bytes row = AccountRow(0, "b", 9);
    row.push_back(0);
    return row;
  }());
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(Generated(*r), 4u);
  tx->Commit();
}

// Random operations with random rollbacks and savepoints, checked against a model of committed rows.
TEST_F(MutTxTest, RandomTransactionsMatchModel) {
  std::mt19937 rng(2024);
  std::map<uint32_t, std::pair<std::string, int64_t>> committed;
  for (int txn = 0; txn < 400; ++txn) {
    auto tx = Begin();
    auto model = committed;
    std::vector<std::pair<size_t, decltype(model)>> savepoints;
    int ops = 1 + int(rng() % 8);
    for (int k = 0; k < ops; ++k) {
      uint32_t id = 1 + rng() % 40;
      std::string owner = "o" + std::to_string(rng() % 3);
      int64_t bal = int64_t(rng() % 50);
      switch (rng() % 6) {
        case 0: case 1: {
          auto r = tx->Insert(accounts_, AccountRow(id, owner, bal));
          auto it = model.find(id);
          if (it == model.end()) {
            ASSERT_TRUE(r.ok());
            model[id] = {owner, bal};
          } else if (it->second == std::make_pair(owner, bal)) {
            ASSERT_TRUE(r.ok() && r->existed);
          } else {
            ASSERT_FALSE(r.ok());
          }
          break;
        }
        case 2: {
          auto r = tx->Update(accounts_, pk_, AccountRow(id, owner, bal));
          ASSERT_EQ(r.ok(), model.count(id) == 1);
          if (r.ok()) model[id] = {owner, bal};
          break;
        }
        case 3: {
          auto it = model.find(id);
          if (it != model.end()) {
            ASSERT_TRUE(*tx->DeleteByValue(accounts_, AccountRow(id, it->second.first, it->second.second)));
            model.erase(it);
          }
          break;
        }
        case 4: savepoints.emplace_back(tx->Savepoint(), model); break;
        case 5:
          if (!savepoints.empty()) {
            tx->RollbackTo(savepoints.back().first);
            model = savepoints.back().second;
            savepoints.pop_back();
          }
          break;
      }
    }
    if (rng() % 4 == 0) {
      tx->Rollback();
    } else {
      TxData data = tx->Commit();
      // The delta takes the committed state to the new one.
      std::set<sats::Bytes> before, after, applied;
      for (auto& [id, v] : committed) before.insert(AccountRow(id, v.first, v.second));
      for (auto& [id, v] : model) after.insert(AccountRow(id, v.first, v.second));
      applied = before;
      if (const TableChanges* c = data.Find(accounts_)) {
        for (auto d : c->deletes) ASSERT_EQ(applied.erase(sats::Bytes(d.begin(), d.end())), 1u);
        for (auto i : c->inserts) ASSERT_TRUE(applied.insert(sats::Bytes(i.begin(), i.end())).second);
      }
      ASSERT_EQ(applied, after);
      committed = model;
    }
    std::vector<sats::Bytes> want;
    for (auto& [id, v] : committed) want.push_back(AccountRow(id, v.first, v.second));
    std::sort(want.begin(), want.end());
    ASSERT_EQ(RowsOf(*ds_->GetTable(accounts_)), want) << "after transaction " << txn;
  }
}

}  // namespace
}  // namespace stdb::datastore

namespace stdb::datastore {
namespace {

using namespace testing;

TEST(MutTxSchema, SequencesSchedulesAndPrimaryKeyChangeAndRollBack) {
  auto ds = Datastore::Create();
  auto tx = *ds->BeginMutTx();
  TableSchema def;
  def.name = "jobs";
  def.columns = {{"id", sats::AlgebraicType::U64()}, {"at", sats::AlgebraicType::ScheduleAt()}};
  def.constraints.push_back({0, "jobs_id_key", {0}});
  TableId jobs = *tx->CreateTable(def);
  tx->Commit();
  auto before = ds->GetTable(jobs)->schema();

  tx = *ds->BeginMutTx();
  table::SequenceSchema seq;
  seq.name = "jobs_id_seq";
  auto sid = tx->CreateSequence(jobs, seq);
  ASSERT_TRUE(sid.ok()) << sid.error().message();
  ASSERT_TRUE(tx->SetSchedule(jobs, table::ScheduleSchema{0, "jobs_sched", "run_job", 1}).ok());
  ASSERT_TRUE(tx->SetPrimaryKey(jobs, 0).ok());
  const TableSchema* s = tx->Schema(jobs);
  ASSERT_EQ(s->sequences.size(), 1u);
  ASSERT_TRUE(s->schedule.has_value());
  EXPECT_EQ(s->schedule->reducer_name, "run_job");
  EXPECT_EQ(s->primary_key, 0);
  // The new sequence generates values.
  sats::Bytes row = sats::bsatn::EncodeValue(sats::AlgebraicValue::Product(
      {sats::AlgebraicValue::U64(0), sats::ScheduleAt{sats::TimeDuration(5)}.ToValue()}));
  auto r = tx->Insert(jobs, row);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->generated.size(), 8u);
  EXPECT_FALSE(tx->CreateSequence(jobs, [] {
                   table::SequenceSchema bad;
                   bad.name = "bad";
                   bad.column = 1;
                   return bad;
                 }()).ok());
  tx->Rollback();
  EXPECT_EQ(ds->GetTable(jobs)->schema(), before);

  tx = *ds->BeginMutTx();
  ASSERT_TRUE(tx->CreateSequence(jobs, seq).ok());
  tx->Commit();
  tx = *ds->BeginMutTx();
  ASSERT_TRUE(tx->DropSequence(jobs, ds->GetTable(jobs)->schema().sequences[0].sequence_id).ok());
  EXPECT_TRUE(tx->Schema(jobs)->sequences.empty());
  tx->Commit();
  EXPECT_TRUE(ds->GetTable(jobs)->schema().sequences.empty());
}

}  // namespace
}  // namespace stdb::datastore
