#include "durability/replay_row_sizer.h"

#include <gtest/gtest.h>

#include "datastore/mut_tx.h"
#include "datastore/test_util.h"
#include "durability/commitlog.h"
#include "durability/testing/memory_file_system.h"
#include "durability/tx_data_record.h"

namespace stdb::durability {
namespace {

using datastore::Datastore;
using datastore::MutTx;
using datastore::TableId;
using datastore::TxData;
using datastore::testing::AccountRow;
using datastore::testing::AccountsDef;
using datastore::testing::StateOf;
using sats::AlgebraicType;

constexpr const char* kDir = "/replica/clog";

// Writes transactions to a real commitlog (in memory) and replays it into a fresh datastore, as recovery does.
class ReplayRowSizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CommitlogOptions o;
    o.file_system = &fs_;
    log_ = std::move(Commitlog::Open(kDir, o)).value();
  }
  void Log(const TxData& data) {
    ASSERT_TRUE(data.tx_offset.has_value());
    auto offset = log_->Append(ToTxRecord(data));
    ASSERT_TRUE(offset.ok()) << offset.error().message();
    ASSERT_EQ(*offset, *data.tx_offset);
  }
  void Commit(std::unique_ptr<MutTx> tx) { Log(tx->Commit()); }
  // Replays the whole log into a fresh datastore.
  Result<std::unique_ptr<Datastore>> Replay() {
    auto replica = Datastore::Create();
    ReplayRowSizer sizer(*replica);
    STDB_ASSIGN_OR_RETURN(auto reader, log_->ReadTransactions(0, sizer.AsRowSizeFn()));
    for (;;) {
      sizer.BeginTransaction();
      STDB_ASSIGN_OR_RETURN(bool more, reader.Next());
      if (!more) break;
      STDB_RETURN_IF_ERROR(replica->Replay(ToReplayTx(reader.record()), reader.offset()));
    }
    STDB_RETURN_IF_ERROR(replica->FinishReplay());
    return replica;
  }

  testing::MemoryFileSystem fs_;
  std::unique_ptr<Commitlog> log_;
  std::unique_ptr<Datastore> primary_ = Datastore::Create();
};

TEST_F(ReplayRowSizerTest, TablesCreatedRebuiltAndDroppedInsideTheTransactionsThatWriteThem) {
  // 1. Create a table and fill it in the same transaction: its row type exists only in this record's st_column rows.
  auto tx = *primary_->BeginMutTx();
  TableId accounts = *tx->CreateTable(AccountsDef());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(tx->Insert(accounts, AccountRow(0, "owner" + std::to_string(i), i)).ok());
  Commit(std::move(tx));
  // 2. AddColumns: the table is rebuilt under a new id with a longer row, and every row moves in one transaction.
  tx = *primary_->BeginMutTx();
  TableId rebuilt = *tx->AddColumns(accounts, {{"note", AlgebraicType::String()}, {"flag", AlgebraicType::Bool()}},
                                    {sats::bsatn::EncodeValue(sats::AlgebraicValue::String("n/a")),
                                     sats::bsatn::EncodeValue(sats::AlgebraicValue::Bool(true))});
  ASSERT_NE(rebuilt, accounts);
  Commit(std::move(tx));
  // 3. Update and delete rows of the rebuilt table, whose schema the replica learned from the log.
  tx = *primary_->BeginMutTx();
  sats::Bytes row = AccountRow(3, "changed", 300);
  sats::Bytes tail = sats::bsatn::EncodeValue(sats::AlgebraicValue::String("updated"));
  row.insert(row.end(), tail.begin(), tail.end());
  row.push_back(0);
  ASSERT_TRUE(tx->Update(rebuilt, primary_->GetTable(rebuilt)->schema().indexes[0].index_id, row).ok());
  Commit(std::move(tx));
  // 4. A table created and dropped, then one created with an unrelated row type, in one transaction each.
  tx = *primary_->BeginMutTx();
  TableId doomed = *tx->CreateTable(AccountsDef("doomed"));
  ASSERT_TRUE(tx->Insert(doomed, AccountRow(0, "x", 1)).ok());
  Commit(std::move(tx));
  tx = *primary_->BeginMutTx();
  ASSERT_TRUE(tx->DropTable(doomed).ok());
  datastore::TableSchema blobs;
  blobs.name = "blobs";
  blobs.columns = {{"data", AlgebraicType::Array(AlgebraicType::U8())}, {"tag", AlgebraicType::U16()}};
  TableId blobs_id = *tx->CreateTable(blobs);
  for (int i = 0; i < 5; ++i) {
    sats::Bytes b;
    sats::bsatn::Writer w(b);
    w.ByteArray(sats::Bytes(size_t(i * 7), uint8_t(i)));
    w.U16(uint16_t(i));
    ASSERT_TRUE(tx->Insert(blobs_id, b).ok());
  }
  Commit(std::move(tx));

  auto replica = Replay();
  ASSERT_TRUE(replica.ok()) << replica.error().message();
  EXPECT_EQ(StateOf(**replica), StateOf(*primary_));
  EXPECT_EQ((*replica)->GetTable(rebuilt)->schema(), primary_->GetTable(rebuilt)->schema());
  EXPECT_EQ((*replica)->GetTable(accounts), nullptr);
  EXPECT_EQ((*replica)->GetTable(doomed), nullptr);
  EXPECT_EQ((*replica)->next_tx_offset(), primary_->next_tx_offset());
}

TEST_F(ReplayRowSizerTest, RowsOfATableNothingDescribesAreCorruptionNamingTheTable) {
  TxRecord record;
  record.mutations = TxMutations{{{5000, {AccountRow(1, "a", 1)}}}, {}, {}};
  ASSERT_TRUE(log_->Append(record).ok());
  auto replica = Replay();
  ASSERT_FALSE(replica.ok());
  EXPECT_EQ(replica.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(replica.error().message().find("table 5000"), std::string::npos) << replica.error().message();
  EXPECT_NE(replica.error().message().find("transaction 0"), std::string::npos) << replica.error().message();
}

TEST_F(ReplayRowSizerTest, StColumnRowsThatSkipAPositionAreCorruption) {
  TxRecord record;
  record.mutations.emplace();
  record.mutations->inserts.push_back(
      {datastore::kStColumn, {datastore::StColumnRow{5000, 1, "b", AlgebraicType::U32()}.Encode()}});
  sats::Bytes row(4, 0);
  record.mutations->inserts.push_back({5000, {row}});
  ASSERT_TRUE(log_->Append(record).ok());
  auto replica = Replay();
  ASSERT_FALSE(replica.ok());
  EXPECT_NE(replica.error().message().find("skip column position 0"), std::string::npos) << replica.error().message();
}

}  // namespace
}  // namespace stdb::durability
