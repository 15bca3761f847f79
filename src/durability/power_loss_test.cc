// Power loss at random moments, simulated by the in-memory file system: while a database commits through
// LogDurability (snapshots, segment rolls and compression included), everything not fsynced is dropped — or
// survives as a random prefix, or as zeros — and the replica is reopened. Every acknowledged transaction must be
// there, nothing may be half-applied (the state equals the workload's model at the recovered offset), and
// auto-increment values never repeat across restarts.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "datastore/test_util.h"
#include "durability/recovery.h"
#include "durability/testing/bank_workload.h"
#include "durability/testing/memory_file_system.h"

namespace stdb::durability {
namespace {

using datastore::TxData;
using datastore::testing::StateOf;
using testing::BankWorkload;
using testing::MemoryFileSystem;

constexpr const char* kReplica = "/replica";

// fdatasync on a real disk takes milliseconds, which is when written but unsynced bytes pile up: make the
// in-memory file system's syncs of log segments take up to 2 ms, so that power cuts find torn tails.
class SlowSyncFileSystem final : public FileSystem {
 public:
  explicit SlowSyncFileSystem(FileSystem& base) : base_(base) {}
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, OpenMode mode) override {
    STDB_ASSIGN_OR_RETURN(auto file, base_.OpenWritable(path, mode));
    if (path.find(".stdb.log") == std::string::npos) return file;
    return std::unique_ptr<WritableFile>(new SlowFile(std::move(file)));
  }
  Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) override { return base_.OpenReadable(path); }
  Status Rename(const std::string& from, const std::string& to) override { return base_.Rename(from, to); }
  Status Remove(const std::string& path) override { return base_.Remove(path); }
  Result<std::vector<std::string>> ListDir(const std::string& dir) override { return base_.ListDir(dir); }
  Status CreateDirs(const std::string& dir) override { return base_.CreateDirs(dir); }
  Status SyncDir(const std::string& dir) override { return base_.SyncDir(dir); }
  Result<bool> Exists(const std::string& path) override { return base_.Exists(path); }

 private:
  class SlowFile final : public WritableFile {
   public:
    explicit SlowFile(std::unique_ptr<WritableFile> file) : file_(std::move(file)) {}
    Status WriteAt(uint64_t offset, sats::ByteSpan data) override { return file_->WriteAt(offset, data); }
    Result<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) override { return file_->ReadAt(offset, out); }
    Status Sync() override {
      std::this_thread::sleep_for(std::chrono::microseconds(rng_() % 2000));
      return file_->Sync();
    }
    Status Truncate(uint64_t size) override { return file_->Truncate(size); }
    Result<uint64_t> Size() override { return file_->Size(); }
    const std::string& path() const override { return file_->path(); }

   private:
    std::unique_ptr<WritableFile> file_;
    std::mt19937 rng_{std::random_device{}()};
  };
  FileSystem& base_;
};

DatabaseStateOptions Options(FileSystem& fs, std::mt19937_64& rng) {
  DatabaseStateOptions o;
  o.dir = kReplica;
  o.commitlog.file_system = &fs;
  o.commitlog.max_segment_size = 8192 + rng() % 32768;
  o.commitlog.write_buffer_size = 512 + rng() % 8192;
  o.durability.snapshot_every = 50 + rng() % 400;
  o.durability.queue_capacity = 16 + rng() % 1024;
  o.durability.log = [](const std::string&) {};  // failures after the power cut are expected
  return o;
}

// Copies the durable files of the replica into another file system, so that a second, independent copy of the
// same state can be opened.
void CopyReplica(MemoryFileSystem& from, MemoryFileSystem& to) {
  for (std::string dir : {std::string(kReplica) + "/clog", std::string(kReplica) + "/snapshots"}) {
    ASSERT_TRUE(to.CreateDirs(dir).ok());
    auto names = from.ListDir(dir);
    if (!names.ok()) continue;
    for (const auto& name : *names) ASSERT_TRUE(to.SetDurableContents(dir + "/" + name, *from.Contents(dir + "/" + name)).ok());
  }
}

TEST(PowerLoss, AcknowledgedTransactionsSurviveAndNothingIsHalfApplied) {
  MemoryFileSystem fs;
  std::mt19937_64 rng(20240611);
  std::set<std::pair<datastore::TableId, uint64_t>> ever_generated;  // sequence values of durable transactions, over all restarts
  uint64_t total_lost = 0;
  const MemoryFileSystem::UnsyncedData modes[] = {MemoryFileSystem::UnsyncedData::kDrop,
                                                  MemoryFileSystem::UnsyncedData::kKeepRandomPrefix,
                                                  MemoryFileSystem::UnsyncedData::kZeroFill};
  for (int cycle = 0; cycle < 40; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    const uint64_t seed = rng();
    // The model: an independent copy of the state the live database starts from.
    MemoryFileSystem model_fs;
    CopyReplica(fs, model_fs);
    auto model = OpenDatabaseState(Options(model_fs, rng));
    ASSERT_TRUE(model.ok()) << model.error().message();
    model->durability->Close();

    SlowSyncFileSystem slow(fs);
    auto opened = OpenDatabaseState(Options(slow, rng));
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    std::optional<DatabaseState> live(std::move(opened).value());
    ASSERT_EQ(StateOf(*live->datastore), StateOf(*model->datastore));
    std::atomic<int64_t> acked{-1};
    auto ack = [&acked](uint64_t offset) {
      return [&acked, offset] {
        int64_t seen = acked.load();
        while (int64_t(offset) > seen && !acked.compare_exchange_weak(seen, int64_t(offset))) {
        }
      };
    };
    // The power fails after a random delay, wherever the commit and snapshot workers are.
    std::atomic<bool> power_lost{false};
    const auto delay = std::chrono::microseconds(rng() % 30000);
    const auto mode = modes[rng() % 3];
    const uint64_t loss_seed = rng();
    std::thread power([&] {
      std::this_thread::sleep_for(delay);
      fs.SimulatePowerLoss(mode, loss_seed);
      power_lost = true;
    });
    BankWorkload workload(seed);
    auto attached = workload.Attach(*live->datastore);
    ASSERT_TRUE(attached.ok());
    if (attached->tx_offset) live->durability->Append(std::make_shared<TxData>(std::move(*attached)));
    for (int i = 0; i < 200000 && !power_lost; ++i) {
      auto data = workload.Step(*live->datastore);
      ASSERT_TRUE(data.ok()) << data.error().message();
      if (!data->tx_offset) continue;
      uint64_t offset = *data->tx_offset;
      live->durability->Append(std::make_shared<TxData>(std::move(*data)));
      live->durability->WhenDurable(offset, ack(offset));
    }
    power.join();
    live->durability->Close();
    const uint64_t reached = live->datastore->next_tx_offset();
    live.reset();

    auto recovered = OpenDatabaseState(Options(fs, rng));
    ASSERT_TRUE(recovered.ok()) << recovered.error().message();
    const uint64_t end = recovered->report.next_tx_offset;
    if (acked >= 0) {
      ASSERT_GT(end, uint64_t(acked.load())) << "an acknowledged transaction was lost";
    }
    ASSERT_GE(end, model->datastore->next_tx_offset()) << "the state the cycle started from was lost";
    // Replay the workload on the model up to the recovered offset; the states must be equal.
    // Attach's table creation is the first transaction of the very first cycle: replayed only if it survived.
    BankWorkload replay(seed);
    if (end > model->datastore->next_tx_offset()) {
      ASSERT_TRUE(replay.Attach(*model->datastore).ok());
    }
    while (model->datastore->next_tx_offset() < end) {
      auto data = replay.Step(*model->datastore);
      ASSERT_TRUE(data.ok());
      for (const auto& v : replay.generated())
        ASSERT_TRUE(ever_generated.insert(v).second)
            << "sequence value " << v.second << " of table " << v.first << " was handed out twice";
    }
    ASSERT_EQ(StateOf(*recovered->datastore), StateOf(*model->datastore));
    total_lost += reached - end;
    recovered->durability->Close();
  }
  RecordProperty("transactions", std::to_string(ever_generated.size()));
  RecordProperty("unacknowledged_lost", std::to_string(total_lost));
}

}  // namespace
}  // namespace stdb::durability
