#include "durability/log_durability.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "datastore/test_util.h"
#include "durability/recovery.h"
#include "durability/segment.h"
#include "durability/segment_compression.h"
#include "durability/testing/bank_workload.h"
#include "durability/testing/fault_injection_file_system.h"
#include "durability/testing/memory_file_system.h"

namespace stdb::durability {
namespace {

using datastore::Datastore;
using datastore::TxData;
using datastore::testing::StateOf;
using testing::BankWorkload;
using testing::FaultInjectionFileSystem;
using testing::FaultOp;
using testing::MemoryFileSystem;

constexpr const char* kReplica = "/replica";
constexpr const char* kClog = "/replica/clog";

// Holds every fdatasync of a segment until the test opens the gate, so a test can decide what piles up while the
// commit worker waits for the disk.
class GatedFileSystem final : public FileSystem {
 public:
  explicit GatedFileSystem(FileSystem& base) : base_(base) {}
  void Close() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  // Blocks until a sync is waiting at the closed gate.
  void AwaitWaiter() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return waiting_ > 0; });
  }

  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, OpenMode mode) override {
    STDB_ASSIGN_OR_RETURN(auto file, base_.OpenWritable(path, mode));
    if (path.find(".stdb.log") == std::string::npos) return file;
    return std::unique_ptr<WritableFile>(new GatedFile(*this, std::move(file)));
  }
  Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) override { return base_.OpenReadable(path); }
  Status Rename(const std::string& from, const std::string& to) override { return base_.Rename(from, to); }
  Status Remove(const std::string& path) override { return base_.Remove(path); }
  Result<std::vector<std::string>> ListDir(const std::string& dir) override { return base_.ListDir(dir); }
  Status CreateDirs(const std::string& dir) override { return base_.CreateDirs(dir); }
  Status SyncDir(const std::string& dir) override { return base_.SyncDir(dir); }
  Result<bool> Exists(const std::string& path) override { return base_.Exists(path); }

 private:
  class GatedFile final : public WritableFile {
   public:
    GatedFile(GatedFileSystem& fs, std::unique_ptr<WritableFile> file) : fs_(fs), file_(std::move(file)) {}
    Status WriteAt(uint64_t offset, sats::ByteSpan data) override { return file_->WriteAt(offset, data); }
    Result<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) override { return file_->ReadAt(offset, out); }
    Status Sync() override {
      {
        std::unique_lock lock(fs_.mu_);
        ++fs_.waiting_;
        fs_.cv_.notify_all();
        fs_.cv_.wait(lock, [&] { return fs_.open_; });
        --fs_.waiting_;
      }
      return file_->Sync();
    }
    Status Truncate(uint64_t size) override { return file_->Truncate(size); }
    Result<uint64_t> Size() override { return file_->Size(); }
    const std::string& path() const override { return file_->path(); }

   private:
    GatedFileSystem& fs_;
    std::unique_ptr<WritableFile> file_;
  };

  FileSystem& base_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
  int waiting_ = 0;
};

// Records the offsets whose WhenDurable callbacks ran.
class Acks {
 public:
  std::function<void()> For(uint64_t offset) {
    return [this, offset] {
      std::lock_guard lock(mu_);
      offsets_.push_back(offset);
    };
  }
  std::vector<uint64_t> offsets() {
    std::lock_guard lock(mu_);
    return offsets_;
  }
  std::optional<uint64_t> max() {
    std::lock_guard lock(mu_);
    if (offsets_.empty()) return std::nullopt;
    return *std::max_element(offsets_.begin(), offsets_.end());
  }

 private:
  std::mutex mu_;
  std::vector<uint64_t> offsets_;
};

// The state BankWorkload(seed) reaches from a fresh datastore once `next_tx_offset` transactions are committed.
std::unique_ptr<Datastore> ModelAt(uint64_t seed, uint64_t next_tx_offset) {
  auto ds = Datastore::Create();
  BankWorkload w(seed);
  EXPECT_TRUE(w.Attach(*ds).ok());
  while (ds->next_tx_offset() < next_tx_offset) EXPECT_TRUE(w.Step(*ds).ok());
  return ds;
}

class LogDurabilityTest : public ::testing::Test {
 protected:
  // Starts a LogDurability over a fresh log on `fs`, with a fresh datastore as its snapshot source.
  std::unique_ptr<LogDurability> Start(FileSystem& fs, LogDurabilityOptions options = {},
                                       uint64_t max_segment_size = format::kDefaultMaxSegmentSize) {
    CommitlogOptions o;
    o.file_system = &fs;
    o.max_segment_size = max_segment_size;
    auto log = Commitlog::Open(kClog, o);
    EXPECT_TRUE(log.ok()) << log.error().message();
    auto snapshots = std::make_unique<SnapshotStore>(fs, std::string(kReplica) + "/snapshots");
    EXPECT_TRUE(snapshots->Open().ok());
    options.file_system = &fs;
    if (!options.log) options.log = [this](const std::string& m) { messages_.push_back(m); };
    Datastore* ds = ds_.get();
    return LogDurability::Start(std::move(log).value(), std::move(snapshots), [ds] { return ds->TakeSnapshot(); },
                                std::move(options));
  }
  // Runs one workload step and appends it, asking to hear when it is durable.
  uint64_t Step(LogDurability& d) {
    auto data = workload_.Step(*ds_);
    EXPECT_TRUE(data.ok()) << data.error().message();
    if (!data->tx_offset) return Step(d);
    uint64_t offset = *data->tx_offset;
    d.Append(std::make_shared<TxData>(std::move(*data)));
    d.WhenDurable(offset, acks_.For(offset));
    return offset;
  }
  // Step, then wait until the transaction is durable.
  uint64_t StepDurably(LogDurability& d) {
    uint64_t offset = Step(d);
    WaitDurable(d, offset);
    return offset;
  }
  static void WaitDurable(LogDurability& d, uint64_t offset) {
    std::mutex mu;
    std::condition_variable cv;
    bool durable = false;
    d.WhenDurable(offset, [&] {
      std::lock_guard lock(mu);
      durable = true;
      cv.notify_all();
    });
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return durable; });
  }
  void Attach(LogDurability& d) {
    auto data = workload_.Attach(*ds_);
    ASSERT_TRUE(data.ok());
    d.Append(std::make_shared<TxData>(std::move(*data)));
  }
  Result<DatabaseState> Reopen(FileSystem& fs) {
    DatabaseStateOptions o;
    o.dir = kReplica;
    o.commitlog.file_system = &fs;
    o.durability.log = [](const std::string&) {};
    return OpenDatabaseState(o);
  }

  MemoryFileSystem memory_;
  std::unique_ptr<Datastore> ds_ = Datastore::Create();
  BankWorkload workload_{7};
  Acks acks_;
  std::vector<std::string> messages_;
};

TEST_F(LogDurabilityTest, EveryAppendBecomesDurableAndCallbacksRunInOffsetOrder) {
  auto d = Start(memory_);
  EXPECT_EQ(d->durable_offset(), std::nullopt);
  Attach(*d);
  uint64_t last = 0;
  for (int i = 0; i < 2000; ++i) last = Step(*d);
  d->Close();
  EXPECT_EQ(d->durable_offset(), last);
  auto acked = acks_.offsets();
  ASSERT_EQ(acked.size(), 2000u);
  EXPECT_TRUE(std::is_sorted(acked.begin(), acked.end()));
  EXPECT_EQ(acked.back(), last);
  EXPECT_EQ(d->failure(), std::nullopt);
  EXPECT_EQ(d->stats().transactions, last + 1);
  // An offset that is already durable runs its callback at once, on the caller's thread.
  bool ran = false;
  d->WhenDurable(last, [&] { ran = true; });
  EXPECT_TRUE(ran);

  memory_.SimulatePowerLoss();  // Close synced everything
  auto reopened = Reopen(memory_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message();
  EXPECT_EQ(reopened->report.next_tx_offset, last + 1);
  EXPECT_EQ(StateOf(*reopened->datastore), StateOf(*ds_));
}

TEST_F(LogDurabilityTest, TransactionsQueuedDuringAnFsyncShareTheNextOne) {
  GatedFileSystem gated(memory_);
  auto d = Start(gated);
  Attach(*d);
  WaitDurable(*d, 0);
  gated.Close();
  uint64_t first = Step(*d);
  gated.AwaitWaiter();  // the worker is inside the fdatasync of the batch holding `first`
  uint64_t last = 0;
  for (int i = 0; i < 300; ++i) last = Step(*d);
  gated.Open();
  d->Close();
  EXPECT_GT(last, first);
  EXPECT_EQ(d->durable_offset(), last);
  // All 300 were queued while the worker waited, so one batch (one fdatasync) took them.
  EXPECT_GE(d->stats().largest_batch, 300u);
  EXPECT_LE(d->stats().syncs, 4u);
  EXPECT_EQ(acks_.offsets().size(), 301u);
}

TEST_F(LogDurabilityTest, AppendBlocksWhileTheQueueIsFull) {
  GatedFileSystem gated(memory_);
  LogDurabilityOptions options;
  options.queue_capacity = 4;
  auto d = Start(gated, options);
  Attach(*d);
  WaitDurable(*d, 0);
  gated.Close();
  Step(*d);
  gated.AwaitWaiter();  // the worker took that transaction and is stuck in its fdatasync
  for (int i = 0; i < 4; ++i) Step(*d);  // fills the queue
  std::atomic<bool> returned{false};
  auto data = std::make_shared<TxData>(std::move(*workload_.Step(*ds_)));
  std::thread appender([&] {
    d->Append(data);
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(returned.load()) << "Append returned although the queue was full";
  gated.Open();
  appender.join();
  EXPECT_TRUE(returned.load());
  EXPECT_GE(d->stats().append_waits, 1u);
  d->Close();
  EXPECT_EQ(d->durable_offset(), *data->tx_offset);
}

TEST_F(LogDurabilityTest, DiskFullStopsTheLogKeepsEveryAcknowledgedTransactionAndDropsLaterCallbacks) {
  FaultInjectionFileSystem faulty(memory_);
  faulty.SetPathFilter(".stdb.log");
  std::vector<std::string> failures;
  LogDurabilityOptions options;
  options.on_failure = [&](const std::string& reason) { failures.push_back(reason); };
  options.snapshot_every = 0;
  auto d = Start(faulty, options);
  Attach(*d);
  uint64_t last = 0;
  for (int i = 0; i < 49; ++i) Step(*d);
  last = StepDurably(*d);  // the first 50 are acknowledged
  faulty.FailWritesAfterBytes(500, ENOSPC);
  auto token = std::make_shared<int>(0);
  std::mutex mu;
  std::vector<uint64_t> late_callbacks;
  for (int i = 0; i < 500 && !d->failure(); ++i) {
    uint64_t offset = Step(*d);
    d->WhenDurable(offset, [&mu, &late_callbacks, offset, token] {
      std::lock_guard lock(mu);
      late_callbacks.push_back(offset);
    });
  }
  d->Close();
  ASSERT_TRUE(d->failure().has_value()) << "the disk never filled up";
  EXPECT_NE(d->failure()->find("No space left on device"), std::string::npos) << *d->failure();
  EXPECT_NE(d->failure()->find(".stdb.log"), std::string::npos) << *d->failure();
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0], *d->failure());
  EXPECT_EQ(token.use_count(), 1) << "callbacks for offsets that never became durable must be dropped";
  const uint64_t acked = *acks_.max();
  // Callbacks ran exactly for the offsets that became durable (the 500 bytes the disk still took).
  for (uint64_t offset : late_callbacks) EXPECT_LE(offset, acked);
  EXPECT_EQ(late_callbacks.size(), acked - last);
  EXPECT_GE(acked, last);
  EXPECT_EQ(d->durable_offset(), acked);
  // Nothing is acknowledged after the failure, even for offsets that were appended.
  bool after = false;
  d->WhenDurable(acked + 1, [&] { after = true; });
  EXPECT_FALSE(after);

  // The disk is emptied; the reopened database has every acknowledged transaction and nothing half-applied.
  faulty.ClearFaults();
  auto reopened = Reopen(memory_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message();
  uint64_t recovered = reopened->report.next_tx_offset;
  EXPECT_GT(recovered, acked);
  EXPECT_EQ(StateOf(*reopened->datastore), StateOf(*ModelAt(7, recovered)));
}

TEST_F(LogDurabilityTest, FsyncErrorStopsTheLog) {
  FaultInjectionFileSystem faulty(memory_);
  faulty.SetPathFilter(".stdb.log");
  auto d = Start(faulty);
  Attach(*d);
  WaitDurable(*d, 0);
  faulty.FailAfter(FaultOp::kSync, 0, EIO);
  for (int i = 0; i < 20; ++i) Step(*d);
  d->Close();
  ASSERT_TRUE(d->failure().has_value());
  EXPECT_NE(d->failure()->find("Input/output error"), std::string::npos) << *d->failure();
  EXPECT_TRUE(acks_.offsets().empty());
  EXPECT_EQ(d->durable_offset(), 0u);
}

TEST_F(LogDurabilityTest, AppendAfterCloseIsAFailureNotASilentLoss) {
  auto d = Start(memory_);
  Attach(*d);
  d->Close();
  auto data = workload_.Step(*ds_);
  d->Append(std::make_shared<TxData>(std::move(*data)));
  ASSERT_TRUE(d->failure().has_value());
  EXPECT_NE(d->failure()->find("after Close"), std::string::npos);
}

TEST_F(LogDurabilityTest, SnapshotsEveryNTransactionsArePrunedAndOldSegmentsCompressed) {
  LogDurabilityOptions options;
  options.snapshot_every = 200;
  options.snapshots_to_keep = 2;
  std::vector<SnapshotStats> taken;
  std::mutex mu;
  options.on_snapshot = [&](const SnapshotStats& s) {
    std::lock_guard lock(mu);
    taken.push_back(s);
  };
  auto d = Start(memory_, options, /*max_segment_size=*/16 * 1024);
  Attach(*d);
  for (int i = 0; i < 2000; ++i) {
    Step(*d);
    if (i % 400 == 0) d->WaitForSnapshots();  // so that none is skipped for being busy
  }
  d->WaitForSnapshots();
  d->Close();
  EXPECT_EQ(d->failure(), std::nullopt);
  ASSERT_GE(taken.size(), 3u);
  SnapshotStore store(memory_, std::string(kReplica) + "/snapshots");
  auto kept = *store.List();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept.back(), taken.back().tx_offset);
  // Segments wholly before the newest snapshot are compressed, later ones and the head are not.
  auto segments = *ListSegments(memory_, kClog);
  ASSERT_GT(segments.size(), 3u);
  size_t compressed = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    auto bytes = *memory_.Contents(std::string(kClog) + "/" + SegmentFileName(segments[i]));
    bool is_compressed = StartsWithZstdMagic(bytes);
    compressed += is_compressed;
    if (i + 1 == segments.size()) {
      EXPECT_FALSE(is_compressed) << "the head segment was compressed";
    } else if (segments[i + 1] > kept.back() + 1) {
      EXPECT_FALSE(is_compressed) << "segment " << segments[i] << " reaches past the newest snapshot";
    }
  }
  EXPECT_GT(compressed, 0u);
  EXPECT_EQ(d->stats().compressed_segments, compressed);

  // Everything reads back: from the newest snapshot, and (with snapshots removed) through compressed segments.
  auto reopened = Reopen(memory_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message();
  EXPECT_EQ(reopened->report.snapshot_offset, kept.back());
  EXPECT_EQ(StateOf(*reopened->datastore), StateOf(*ds_));
  reopened->durability->Close();
  for (uint64_t s : kept) ASSERT_TRUE(memory_.Remove(store.PathOf(s)).ok());
  auto replayed = Reopen(memory_);
  ASSERT_TRUE(replayed.ok()) << replayed.error().message();
  EXPECT_EQ(replayed->report.snapshot_offset, std::nullopt);
  EXPECT_EQ(StateOf(*replayed->datastore), StateOf(*ds_));
}

TEST_F(LogDurabilityTest, ASnapshotFollowsEverySegmentRoll) {
  LogDurabilityOptions options;
  options.snapshot_every = 0;
  options.compress_old_segments = false;
  std::atomic<int> taken{0};
  options.on_snapshot = [&](const SnapshotStats&) { ++taken; };
  auto d = Start(memory_, options, /*max_segment_size=*/8 * 1024);
  Attach(*d);
  // One transaction per batch, so that every roll is seen on its own.
  for (int i = 0; i < 300; ++i) {
    StepDurably(*d);
    d->WaitForSnapshots();
  }
  d->Close();
  auto segments = *ListSegments(memory_, kClog);
  ASSERT_GT(segments.size(), 2u);
  // One snapshot per roll, but the last roll's is due only at the next Append.
  EXPECT_GE(taken.load(), int(segments.size()) - 2);
  EXPECT_LE(taken.load(), int(segments.size()) - 1);
  EXPECT_EQ(d->stats().snapshots, uint64_t(taken.load()));
}

}  // namespace
}  // namespace stdb::durability
