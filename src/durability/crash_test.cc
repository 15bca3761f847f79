// Crash and I/O-failure behaviour of the commitlog: injected ENOSPC on writes and fsyncs, and simulated power
// loss (testing/memory_file_system.h) at random points of random workloads.
#include <gtest/gtest.h>

#include <random>

#include "durability/commitlog.h"
#include "durability/testing/fault_injection_file_system.h"
#include "durability/testing/memory_file_system.h"
#include "durability/testing/test_records.h"

namespace stdb::durability {
namespace {

using testing::CanonicalTestTx;
using testing::FaultInjectionFileSystem;
using testing::FaultOp;
using testing::MemoryFileSystem;
using testing::TestRowSize;

constexpr const char* kDir = "/replica/clog";

// Reads the whole log and checks it holds exactly the canonical transactions 0..n-1; returns n.
uint64_t CheckCanonicalLog(FileSystem& fs) {
  auto reader = TransactionReader::Open(fs, kDir, 0, TestRowSize());
  EXPECT_TRUE(reader.ok()) << reader.error().message();
  if (!reader.ok()) return 0;
  uint64_t n = 0;
  for (;;) {
    auto more = reader->Next();
    EXPECT_TRUE(more.ok()) << more.error().message();
    if (!more.ok() || !*more) return n;
    EXPECT_EQ(reader->offset(), n);
    EXPECT_EQ(reader->record().ToOwned(), CanonicalTestTx(n)) << "transaction " << n;
    ++n;
  }
}

class FaultTest : public ::testing::Test {
 protected:
  FaultTest() : faulty_(memory_) {}
  CommitlogOptions Options(FileSystem& fs) {
    CommitlogOptions o;
    o.file_system = &fs;
    o.write_buffer_size = 256;  // small, so appends reach the file
    o.max_segment_size = 4096;
    return o;
  }
  MemoryFileSystem memory_;
  FaultInjectionFileSystem faulty_;
};

TEST_F(FaultTest, EnospcOnAppendStopsTheLogAndReopeningKeepsEarlierCommits) {
  faulty_.SetPathFilter(".stdb.log");
  auto log = std::move(Commitlog::Open(kDir, Options(faulty_))).value();
  for (uint64_t i = 0; i < 20; ++i) ASSERT_TRUE(log->Append(CanonicalTestTx(i)).ok());
  ASSERT_EQ(*log->Sync(), std::optional<uint64_t>(19));

  faulty_.FailWritesAfterBytes(300);
  Status failure = OkStatus();
  uint64_t next = 20;
  for (; next < 200; ++next) {
    auto appended = log->Append(CanonicalTestTx(next));
    if (!appended.ok()) {
      failure = std::move(appended).error();
      break;
    }
  }
  ASSERT_FALSE(failure.ok()) << "the disk never filled up";
  EXPECT_EQ(failure.error().code(), ErrorCode::kIo);
  EXPECT_NE(failure.error().message().find("No space left on device"), std::string::npos) << failure.error().message();
  EXPECT_NE(failure.error().message().find(".stdb.log"), std::string::npos);
  // The log refuses everything from now on, with the original reason.
  auto later = log->Append(CanonicalTestTx(next));
  ASSERT_FALSE(later.ok());
  EXPECT_NE(later.error().message().find("earlier error"), std::string::npos);
  EXPECT_FALSE(log->Sync().ok());
  EXPECT_EQ(log->durable_offset(), 19u);
  log.reset();

  // Space is freed; reopening cuts the partial commit and keeps everything before it.
  faulty_.ClearFaults();
  auto reopened = Commitlog::Open(kDir, Options(faulty_));
  ASSERT_TRUE(reopened.ok()) << reopened.error().message();
  uint64_t resumed = (*reopened)->next_tx_offset();
  EXPECT_GE(resumed, 20u);
  EXPECT_LE(resumed, next);
  for (uint64_t i = resumed; i < resumed + 10; ++i) ASSERT_EQ(*(*reopened)->Append(CanonicalTestTx(i)), i);
  ASSERT_TRUE((*reopened)->Sync().ok());
  reopened->reset();
  EXPECT_EQ(CheckCanonicalLog(memory_), resumed + 10);
}

TEST_F(FaultTest, EnospcOnFsyncIsReturnedAndSyncedCommitsSurvivePowerLoss) {
  faulty_.SetPathFilter(".stdb.log");
  auto log = std::move(Commitlog::Open(kDir, Options(faulty_))).value();
  for (uint64_t i = 0; i < 10; ++i) ASSERT_TRUE(log->Append(CanonicalTestTx(i)).ok());
  ASSERT_TRUE(log->Sync().ok());
  for (uint64_t i = 10; i < 15; ++i) ASSERT_TRUE(log->Append(CanonicalTestTx(i)).ok());
  faulty_.FailAfter(FaultOp::kSync, 0, ENOSPC);
  auto synced = log->Sync();
  ASSERT_FALSE(synced.ok());
  EXPECT_NE(synced.error().message().find("fdatasync"), std::string::npos) << synced.error().message();
  EXPECT_NE(synced.error().message().find("No space left on device"), std::string::npos);
  EXPECT_EQ(log->durable_offset(), 9u);  // the failed sync did not advance it
  // fsync is not retried: a later success could hide pages the kernel already dropped.
  faulty_.ClearFaults();
  EXPECT_FALSE(log->Sync().ok());
  EXPECT_FALSE(log->Append(CanonicalTestTx(15)).ok());

  memory_.SimulatePowerLoss();
  log.reset();
  auto reopened = std::move(Commitlog::Open(kDir, Options(memory_))).value();
  EXPECT_EQ(reopened->next_tx_offset(), 10u);
  reopened.reset();
  EXPECT_EQ(CheckCanonicalLog(memory_), 10u);
}

TEST_F(FaultTest, FailureToCreateTheNextSegmentStopsTheLogSafely) {
  auto log = std::move(Commitlog::Open(kDir, Options(faulty_))).value();
  faulty_.FailAfter(FaultOp::kOpenWritable, 0, ENOSPC);
  Status failure = OkStatus();
  uint64_t next = 0;
  for (; next < 500; ++next) {
    auto appended = log->Append(CanonicalTestTx(next));
    if (!appended.ok()) {
      failure = std::move(appended).error();
      break;
    }
  }
  ASSERT_FALSE(failure.ok());  // the first roll needs a new file
  EXPECT_FALSE(log->Append(CanonicalTestTx(next + 1)).ok());
  log.reset();
  faulty_.ClearFaults();
  auto reopened = std::move(Commitlog::Open(kDir, Options(faulty_))).value();
  // The commit that triggered the roll was synced before the roll was attempted.
  EXPECT_EQ(reopened->next_tx_offset(), next + 1);
  reopened.reset();
  EXPECT_EQ(CheckCanonicalLog(memory_), next + 1);
}

TEST_F(FaultTest, OffsetIndexFailuresNeverFailCommits) {
  faulty_.SetPathFilter(".stdb.ofs");
  faulty_.FailAfter(FaultOp::kWrite, 0, EIO);
  faulty_.FailAfter(FaultOp::kSync, 0, EIO);
  CommitlogOptions o = Options(faulty_);
  o.offset_index_interval_bytes = 100;
  auto log = std::move(Commitlog::Open(kDir, o)).value();
  for (uint64_t i = 0; i < 100; ++i) {
    ASSERT_TRUE(log->Append(CanonicalTestTx(i)).ok());
    if (i % 7 == 0) {
      ASSERT_TRUE(log->Sync().ok());
    }
  }
  ASSERT_TRUE(log->Sync().ok());
  log.reset();
  EXPECT_EQ(CheckCanonicalLog(memory_), 100u);
}

struct PowerLossCase {
  MemoryFileSystem::UnsyncedData mode;
  const char* name;
};

class PowerLossTest : public ::testing::TestWithParam<PowerLossCase> {};

// Random workloads (appends, syncs, flushes, segment rolls, compression of closed segments) cut by a power
// failure at a random moment, three times in a row. After each, the log must open, hold every transaction
// that was durable, hold nothing but a prefix of what was appended, and accept appends again.
TEST_P(PowerLossTest, ReopenAfterPowerLossIsConsistent) {
  for (uint64_t seed = 0; seed < 40; ++seed) {
    std::mt19937_64 rng(seed * 7919 + 1);
    MemoryFileSystem fs;
    CommitlogOptions o;
    o.file_system = &fs;
    o.max_segment_size = 1000 + rng() % 3000;
    o.write_buffer_size = 64 + rng() % 2000;
    o.offset_index_interval_bytes = 200 + rng() % 800;
    uint64_t appended = 0;
    for (int crash = 0; crash < 3; ++crash) {
      auto opened = Commitlog::Open(kDir, o);
      ASSERT_TRUE(opened.ok()) << "seed " << seed << " crash " << crash << ": " << opened.error().message();
      auto log = std::move(opened).value();
      uint64_t start = log->next_tx_offset();
      ASSERT_LE(start, appended) << "seed " << seed << ": the log grew transactions nobody appended";
      appended = start;
      uint64_t durable = start;  // transactions [0, durable) must survive
      int steps = 1 + static_cast<int>(rng() % 60);
      for (int step = 0; step < steps; ++step) {
        uint64_t r = rng() % 10;
        if (r < 6) {
          ASSERT_EQ(*log->Append(CanonicalTestTx(appended)), appended);
          ++appended;
        } else if (r < 8) {
          auto d = log->Sync();
          ASSERT_TRUE(d.ok()) << d.error().message();
          durable = appended;
          if (appended > 0) {
            EXPECT_EQ(*d, std::optional<uint64_t>(appended - 1));
          }
        } else if (r < 9) {
          ASSERT_TRUE(log->Flush().ok());
        } else {
          auto segments = log->segment_offsets();
          if (segments.size() > 1) {
            auto compressed = log->CompressSegment(segments[rng() % (segments.size() - 1)]);
            if (!compressed.ok()) {
              EXPECT_EQ(compressed.error().code(), ErrorCode::kInvalidArgument);
            }
          }
        }
        if (log->durable_offset()) durable = std::max(durable, *log->durable_offset() + 1);
      }
      fs.SimulatePowerLoss(GetParam().mode, rng());
      log.reset();  // its handles are stale now; nothing more reaches the "disk"

      auto reopened = Commitlog::Open(kDir, o);
      ASSERT_TRUE(reopened.ok()) << "seed " << seed << ": " << reopened.error().message();
      uint64_t survived = (*reopened)->next_tx_offset();
      EXPECT_GE(survived, durable) << "seed " << seed << ": lost durable transactions";
      EXPECT_LE(survived, appended) << "seed " << seed;
      if (survived > 0) {
        EXPECT_EQ((*reopened)->durable_offset(), survived - 1);
      }
      reopened->reset();
      EXPECT_EQ(CheckCanonicalLog(fs), survived) << "seed " << seed;
      appended = survived;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, PowerLossTest,
                         ::testing::Values(PowerLossCase{MemoryFileSystem::UnsyncedData::kDrop, "Drop"},
                                           PowerLossCase{MemoryFileSystem::UnsyncedData::kKeepRandomPrefix, "Prefix"},
                                           PowerLossCase{MemoryFileSystem::UnsyncedData::kZeroFill, "ZeroFill"}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace stdb::durability
