#include "durability/snapshot.h"

#include <gtest/gtest.h>

#include <map>

#include "datastore/mut_tx.h"
#include "durability/snapshot_format.h"
#include "durability/testing/bank_workload.h"
#include "durability/testing/fault_injection_file_system.h"
#include "durability/testing/memory_file_system.h"

namespace stdb::durability {
namespace {

using datastore::Datastore;
using testing::BankWorkload;
using testing::FaultInjectionFileSystem;
using testing::FaultOp;
using testing::MemoryFileSystem;

constexpr const char* kDir = "/replica/snapshots";

using RowsByTable = std::map<uint32_t, std::vector<sats::Bytes>>;

RowsByTable RowsOf(const datastore::DatabaseView& view) {
  RowsByTable out;
  for (const auto& [id, t] : view.tables()) {
    auto& rows = out[id];
    t.rows.ForEach([&](table::RowId, sats::ByteSpan r) { rows.emplace_back(r.begin(), r.end()); });
  }
  return out;
}

// Collects what Read hands over.
class Collector final : public SnapshotVisitor {
 public:
  Status OnHeader(uint64_t tx_offset, uint64_t next, uint32_t tables) override {
    header_offset = tx_offset;
    next_offset = next;
    return OkStatus();
  }
  Status OnTable(uint32_t table_id, std::string_view name, uint64_t) override {
    rows[table_id];
    names[table_id] = std::string(name);
    return OkStatus();
  }
  Status OnRows(uint32_t table_id, std::span<const sats::ByteSpan> batch) override {
    ++batches;
    for (auto r : batch) rows[table_id].emplace_back(r.begin(), r.end());
    return OkStatus();
  }
  Status OnEnd() override {
    ended = true;
    return OkStatus();
  }
  uint64_t header_offset = 0, next_offset = 0;
  RowsByTable rows;
  std::map<uint32_t, std::string> names;
  int batches = 0;
  bool ended = false;
};

class SnapshotTest : public ::testing::Test {
 protected:
  SnapshotTest() : store_(fs_, kDir) {}
  void SetUp() override { ASSERT_TRUE(store_.Open().ok()); }
  // Runs `steps` transactions of the bank workload.
  void Run(int steps, uint64_t seed = 1) {
    BankWorkload w(seed);
    ASSERT_TRUE(w.Attach(*ds_).ok());
    for (int i = 0; i < steps; ++i) ASSERT_TRUE(w.Step(*ds_).ok());
  }

  MemoryFileSystem fs_;
  SnapshotStore store_;
  std::unique_ptr<Datastore> ds_ = Datastore::Create();
};

TEST_F(SnapshotTest, ReadGivesBackEveryRowOfEveryTableAtTheViewsOffset) {
  Run(400);
  auto view = ds_->TakeSnapshot();
  auto written = store_.Write(*view);
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(written->tx_offset, view->tx_offset() - 1);
  EXPECT_EQ(written->tables, view->tables().size());
  EXPECT_EQ(*store_.List(), std::vector<uint64_t>{written->tx_offset});
  EXPECT_EQ(store_.PathOf(written->tx_offset), std::string(kDir) + "/" + SnapshotFileName(written->tx_offset));
  EXPECT_EQ(SnapshotFileName(42), "00000000000000000042.snapshot");

  Collector c;
  auto read = store_.Read(written->tx_offset, c);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_TRUE(c.ended);
  EXPECT_EQ(c.header_offset, written->tx_offset);
  EXPECT_EQ(c.next_offset, view->tx_offset());
  EXPECT_EQ(c.rows, RowsOf(*view));
  EXPECT_EQ(c.names[datastore::kStTable], "st_table");
  EXPECT_EQ(read->rows, written->rows);
  EXPECT_EQ(read->bytes, written->bytes);
}

TEST_F(SnapshotTest, BigTablesAreSplitIntoManyRowBlocks) {
  auto tx = *ds_->BeginMutTx();
  datastore::TableSchema s;
  s.name = "big";
  s.columns = {{"data", sats::AlgebraicType::String()}};
  auto id = *tx->CreateTable(s);
  for (int i = 0; i < 3000; ++i) {
    sats::Bytes row;
    sats::bsatn::Writer w(row);
    w.String(std::to_string(i) + std::string(1000, 'x'));
    ASSERT_TRUE(tx->Insert(id, row).ok());
  }
  tx->Commit();
  auto view = ds_->TakeSnapshot();
  auto written = store_.Write(*view);
  ASSERT_TRUE(written.ok());
  Collector c;
  ASSERT_TRUE(store_.Read(written->tx_offset, c).ok());
  EXPECT_EQ(c.rows, RowsOf(*view));
  EXPECT_GE(c.batches, 3);  // 3 MB of rows in 1 MiB blocks
}

TEST_F(SnapshotTest, EveryFlippedByteAndEveryTruncationIsDetected) {
  Run(30);
  auto written = store_.Write(*ds_->TakeSnapshot());
  ASSERT_TRUE(written.ok());
  const std::string path = store_.PathOf(written->tx_offset);
  const sats::Bytes good = *fs_.Contents(path);
  for (size_t i = 0; i < good.size(); ++i) {
    sats::Bytes bad = good;
    bad[i] ^= uint8_t(1u << (i % 8));
    ASSERT_TRUE(fs_.SetDurableContents(path, bad).ok());
    Collector c;
    auto read = store_.Read(written->tx_offset, c);
    ASSERT_FALSE(read.ok()) << "flipped byte " << i << " went unnoticed";
    EXPECT_EQ(read.error().code(), ErrorCode::kCorruption) << read.error().message();
    EXPECT_NE(read.error().message().find(path), std::string::npos);
    EXPECT_FALSE(c.ended);
  }
  for (size_t length = 0; length < good.size(); ++length) {
    ASSERT_TRUE(fs_.SetDurableContents(path, sats::Bytes(good.begin(), good.begin() + long(length))).ok());
    Collector c;
    auto read = store_.Read(written->tx_offset, c);
    ASSERT_FALSE(read.ok()) << "truncation to " << length << " bytes went unnoticed";
    EXPECT_FALSE(c.ended);
  }
  sats::Bytes longer = good;
  longer.push_back(0);
  ASSERT_TRUE(fs_.SetDurableContents(path, longer).ok());
  Collector c;
  auto read = store_.Read(written->tx_offset, c);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message().find("follows the footer"), std::string::npos) << read.error().message();
}

TEST_F(SnapshotTest, AFileNamedForAnotherOffsetIsRejected) {
  Run(10);
  auto written = store_.Write(*ds_->TakeSnapshot());
  ASSERT_TRUE(written.ok());
  ASSERT_TRUE(fs_.Rename(store_.PathOf(written->tx_offset), store_.PathOf(written->tx_offset + 5)).ok());
  Collector c;
  auto read = store_.Read(written->tx_offset + 5, c);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message().find("is named for"), std::string::npos) << read.error().message();
}

TEST_F(SnapshotTest, AWrittenSnapshotSurvivesPowerLossAndAFailedOneLeavesNothing) {
  Run(10);
  auto written = store_.Write(*ds_->TakeSnapshot());
  ASSERT_TRUE(written.ok());
  fs_.SimulatePowerLoss();
  Collector c;
  EXPECT_TRUE(store_.Read(written->tx_offset, c).ok());

  // Failures at each step of the next write leave no snapshot under its final name.
  Run(5, 2);
  for (FaultOp op : {FaultOp::kWrite, FaultOp::kSync, FaultOp::kRename, FaultOp::kSyncDir}) {
    FaultInjectionFileSystem faulty(fs_);
    SnapshotStore store(faulty, kDir);
    faulty.FailAfter(op, 0, EIO);
    auto failed = store.Write(*ds_->TakeSnapshot());
    ASSERT_FALSE(failed.ok());
    faulty.ClearFaults();
    fs_.SimulatePowerLoss();
    EXPECT_EQ(*store_.List(), std::vector<uint64_t>{written->tx_offset}) << "after a failed " << int(op);
  }
  // Temporary files of a crashed write are removed when the store opens.
  ASSERT_TRUE(fs_.SetDurableContents(std::string(kDir) + "/00000000000000000099.snapshot.tmp", {1, 2, 3}).ok());
  ASSERT_TRUE(store_.Open().ok());
  auto names = *fs_.ListDir(kDir);
  EXPECT_EQ(names, std::vector<std::string>{SnapshotFileName(written->tx_offset)});
}

TEST_F(SnapshotTest, PruneKeepsTheNewestAndSetAsideHidesOne) {
  BankWorkload w(3);
  ASSERT_TRUE(w.Attach(*ds_).ok());
  std::vector<uint64_t> offsets;
  for (int i = 0; i < 5; ++i) {
    for (int k = 0; k < 10; ++k) ASSERT_TRUE(w.Step(*ds_).ok());
    auto written = store_.Write(*ds_->TakeSnapshot());
    ASSERT_TRUE(written.ok());
    offsets.push_back(written->tx_offset);
  }
  auto again = store_.Write(*ds_->TakeSnapshot());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  auto removed = store_.Prune(2);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, std::vector<uint64_t>(offsets.begin(), offsets.begin() + 3));
  EXPECT_EQ(*store_.List(), std::vector<uint64_t>(offsets.begin() + 3, offsets.end()));
  ASSERT_TRUE(store_.SetAside(offsets[4]).ok());
  fs_.SimulatePowerLoss();
  EXPECT_EQ(*store_.List(), std::vector<uint64_t>{offsets[3]});
  EXPECT_TRUE(*fs_.Exists(store_.PathOf(offsets[4]) + ".invalid"));
}

TEST_F(SnapshotTest, CancelledOrEmptyWritesLeaveNoFile) {
  auto empty = store_.Write(*ds_->TakeSnapshot());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code(), ErrorCode::kInvalidArgument);
  Run(10);
  std::atomic<bool> cancel{true};
  auto cancelled = store_.Write(*ds_->TakeSnapshot(), &cancel);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_NE(cancelled.error().message().find("cancelled"), std::string::npos);
  EXPECT_TRUE(fs_.ListDir(kDir)->empty());
}

}  // namespace
}  // namespace stdb::durability
