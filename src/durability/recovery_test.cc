#include "durability/recovery.h"

#include <gtest/gtest.h>

#include <random>

#include "datastore/test_util.h"
#include "durability/segment.h"
#include "durability/snapshot.h"
#include "durability/testing/bank_workload.h"
#include "durability/testing/memory_file_system.h"

namespace stdb::durability {
namespace {

using datastore::Datastore;
using datastore::TxData;
using datastore::testing::StateOf;
using testing::BankWorkload;
using testing::MemoryFileSystem;

constexpr const char* kReplica = "/replica";
constexpr const char* kClog = "/replica/clog";
constexpr const char* kSnapshots = "/replica/snapshots";
constexpr uint64_t kSeed = 11;

std::string SegmentPath(uint64_t offset) { return std::string(kClog) + "/" + SegmentFileName(offset); }

// The state BankWorkload(kSeed) reaches from a fresh datastore once `next_tx_offset` transactions are committed.
std::map<std::string, std::vector<sats::Bytes>> ModelStateAt(uint64_t next_tx_offset) {
  auto ds = Datastore::Create();
  BankWorkload w(kSeed);
  EXPECT_TRUE(w.Attach(*ds).ok());
  while (ds->next_tx_offset() < next_tx_offset) EXPECT_TRUE(w.Step(*ds).ok());
  return StateOf(*ds);
}

// Copies every file of the replica into another in-memory file system, durably.
void CopyReplica(MemoryFileSystem& from, MemoryFileSystem& to) {
  for (const char* dir : {kClog, kSnapshots}) {
    ASSERT_TRUE(to.CreateDirs(dir).ok());
    auto names = from.ListDir(dir);
    if (!names.ok()) continue;
    for (const auto& name : *names) {
      std::string path = std::string(dir) + "/" + name;
      ASSERT_TRUE(to.SetDurableContents(path, *from.Contents(path)).ok());
    }
  }
}

class RecoveryTest : public ::testing::Test {
 protected:
  DatabaseStateOptions Options(MemoryFileSystem& fs) {
    DatabaseStateOptions o;
    o.dir = kReplica;
    o.commitlog.file_system = &fs;
    o.commitlog.max_segment_size = 1 << 20;  // keeps the preallocated offset index small
    o.durability.log = [this](const std::string& m) { messages_.push_back(m); };
    return o;
  }
  Result<DatabaseState> Open(MemoryFileSystem& fs) { return OpenDatabaseState(Options(fs)); }
  Result<DatabaseState> Open() { return Open(memory_); }

  // Opens the replica, runs `steps` more workload transactions through its durability and closes it; returns the
  // next transaction offset. With `settle_snapshots`, every snapshot is finished before the next transaction, so
  // snapshots land exactly where they fall due.
  uint64_t RunAndClose(int steps, DatabaseStateOptions options, bool settle_snapshots = false) {
    auto state = OpenDatabaseState(options);
    EXPECT_TRUE(state.ok()) << state.error().message();
    if (!state.ok()) return 0;
    BankWorkload w(kSeed);
    auto attached = w.Attach(*state->datastore);
    EXPECT_TRUE(attached.ok());
    if (attached->tx_offset) state->durability->Append(std::make_shared<TxData>(std::move(*attached)));
    for (int i = 0; i < steps; ++i) {
      auto data = w.Step(*state->datastore);
      EXPECT_TRUE(data.ok());
      if (data->tx_offset) state->durability->Append(std::make_shared<TxData>(std::move(*data)));
      if (settle_snapshots) dynamic_cast<LogDurability&>(*state->durability).WaitForSnapshots();
    }
    state->durability->Close();
    EXPECT_EQ(state->durability->failure(), std::nullopt);
    return state->datastore->next_tx_offset();
  }
  uint64_t RunAndClose(int steps) { return RunAndClose(steps, Options(memory_)); }

  MemoryFileSystem memory_;
  std::vector<std::string> messages_;
};

TEST_F(RecoveryTest, InMemoryDatabasesTouchNoFiles) {
  DatabaseStateOptions o;  // no directory
  auto state = OpenDatabaseState(o);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->report.in_memory);
  BankWorkload w(1);
  auto data = w.Attach(*state->datastore);
  state->durability->Append(std::make_shared<TxData>(std::move(*data)));
  EXPECT_EQ(state->durability->durable_offset(), 0u);
  bool ran = false;
  state->durability->WhenDurable(0, [&] { ran = true; });
  EXPECT_TRUE(ran);
  EXPECT_TRUE(memory_.ListDir("/")->empty());
}

TEST_F(RecoveryTest, AFreshReplicaStartsEmptyAndReopensWithEverything) {
  auto first = Open();
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(first->report.next_tx_offset, 0u);
  EXPECT_EQ(first->report.snapshot_offset, std::nullopt);
  first->durability->Close();
  uint64_t end = RunAndClose(300);
  memory_.SimulatePowerLoss();
  auto reopened = Open();
  ASSERT_TRUE(reopened.ok()) << reopened.error().message();
  EXPECT_EQ(reopened->report.next_tx_offset, end);
  EXPECT_EQ(reopened->report.transactions_replayed, end - reopened->report.replayed_from);
  EXPECT_EQ(StateOf(*reopened->datastore), ModelStateAt(end));
  reopened->durability->Close();
  // A second session continues the same history.
  uint64_t end2 = RunAndClose(200);
  EXPECT_GT(end2, end);
  auto again = Open();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->report.next_tx_offset, end2);
}

TEST_F(RecoveryTest, SnapshotPlusTailEqualsFullReplay) {
  auto options = Options(memory_);
  options.durability.snapshot_every = 400;
  options.durability.snapshot_on_segment_roll = false;
  uint64_t end = RunAndClose(1500, options, /*settle_snapshots=*/true);
  auto from_snapshot = Open();
  ASSERT_TRUE(from_snapshot.ok()) << from_snapshot.error().message();
  ASSERT_TRUE(from_snapshot->report.snapshot_offset.has_value());
  EXPECT_EQ(*from_snapshot->report.snapshot_offset, (end - 1) / 400 * 400);
  EXPECT_GT(from_snapshot->report.snapshot_rows, 0u);
  EXPECT_EQ(from_snapshot->report.replayed_from, *from_snapshot->report.snapshot_offset + 1);
  EXPECT_EQ(from_snapshot->report.transactions_replayed, end - from_snapshot->report.replayed_from);
  from_snapshot->durability->Close();

  MemoryFileSystem without_snapshots;
  CopyReplica(memory_, without_snapshots);
  SnapshotStore store(without_snapshots, kSnapshots);
  const std::vector<uint64_t> listed = *store.List();
  for (uint64_t s : listed) ASSERT_TRUE(without_snapshots.Remove(store.PathOf(s)).ok());
  auto full = Open(without_snapshots);
  ASSERT_TRUE(full.ok()) << full.error().message();
  EXPECT_EQ(full->report.snapshot_offset, std::nullopt);
  EXPECT_EQ(full->report.transactions_replayed, end);

  EXPECT_EQ(StateOf(*from_snapshot->datastore), StateOf(*full->datastore));
  EXPECT_EQ(StateOf(*full->datastore), ModelStateAt(end));
  // Both continue identically: same sequence values, same offsets.
  BankWorkload a(99), b(99);
  ASSERT_TRUE(a.Attach(*from_snapshot->datastore).ok());
  ASSERT_TRUE(b.Attach(*full->datastore).ok());
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(a.Step(*from_snapshot->datastore).ok());
    ASSERT_TRUE(b.Step(*full->datastore).ok());
    ASSERT_EQ(a.generated(), b.generated());
  }
  EXPECT_EQ(StateOf(*from_snapshot->datastore), StateOf(*full->datastore));
}

TEST_F(RecoveryTest, ACorruptSnapshotIsSkippedWithItsReasonAndAnOlderOneUsed) {
  auto options = Options(memory_);
  options.durability.snapshot_every = 300;
  options.durability.snapshot_on_segment_roll = false;
  options.durability.snapshots_to_keep = 3;
  uint64_t end = RunAndClose(1000, options, /*settle_snapshots=*/true);
  SnapshotStore store(memory_, kSnapshots);
  auto snapshots = *store.List();
  ASSERT_EQ(snapshots.size(), 3u);
  std::string newest = store.PathOf(snapshots.back());
  sats::Bytes bytes = *memory_.Contents(newest);
  bytes[bytes.size() / 2] ^= 0x10;
  ASSERT_TRUE(memory_.SetDurableContents(newest, bytes).ok());

  auto state = Open();
  ASSERT_TRUE(state.ok()) << state.error().message();
  EXPECT_EQ(state->report.snapshot_offset, snapshots[snapshots.size() - 2]);
  ASSERT_EQ(state->report.skipped_snapshots.size(), 1u);
  EXPECT_NE(state->report.skipped_snapshots[0].find(newest), std::string::npos) << state->report.skipped_snapshots[0];
  EXPECT_NE(state->report.skipped_snapshots[0].find("checksum mismatch"), std::string::npos);
  ASSERT_FALSE(messages_.empty());
  EXPECT_EQ(messages_.back(), "skipped a snapshot: " + state->report.skipped_snapshots[0]);
  EXPECT_EQ(StateOf(*state->datastore), ModelStateAt(end));
}

TEST_F(RecoveryTest, ASnapshotNewerThanTheLogIsSetAsideForGood) {
  auto options = Options(memory_);
  options.durability.snapshot_every = 0;
  options.durability.snapshot_on_segment_roll = false;
  uint64_t end = RunAndClose(100, options);
  // A snapshot of a longer history than the log holds (the log was cut back since it was taken).
  auto longer = Datastore::Create();
  BankWorkload w(kSeed);
  ASSERT_TRUE(w.Attach(*longer).ok());
  while (longer->next_tx_offset() < end + 50) ASSERT_TRUE(w.Step(*longer).ok());
  SnapshotStore store(memory_, kSnapshots);
  auto written = store.Write(*longer->TakeSnapshot());
  ASSERT_TRUE(written.ok());

  auto state = Open();
  ASSERT_TRUE(state.ok()) << state.error().message();
  EXPECT_EQ(state->report.snapshot_offset, std::nullopt);
  EXPECT_EQ(state->report.set_aside_snapshots, std::vector<uint64_t>{written->tx_offset});
  EXPECT_NE(state->report.skipped_snapshots.at(0).find("newer than the log"), std::string::npos);
  EXPECT_EQ(StateOf(*state->datastore), ModelStateAt(end));
  EXPECT_TRUE(store.List()->empty());
  EXPECT_TRUE(*memory_.Exists(store.PathOf(written->tx_offset) + ".invalid"));
}

TEST_F(RecoveryTest, ATornLastCommitIsCutAtEveryByteOffset) {
  const uint64_t end = RunAndClose(40);
  auto segments = *ListSegments(memory_, kClog);
  const std::string head = SegmentPath(segments.back());
  const sats::Bytes full = *memory_.Contents(head);
  // Find where the last commit starts.
  auto reader = *SegmentReader::Open(memory_, head);
  uint64_t last_commit = 0;
  while (*reader->Next() == SegmentReader::Outcome::kCommit) last_commit = reader->commit_position();
  reader.reset();
  ASSERT_GT(full.size(), last_commit);
  const auto before = ModelStateAt(end - 1);
  for (uint64_t cut = last_commit; cut <= full.size(); ++cut) {
    for (bool zero_filled : {false, true}) {
      if (zero_filled && cut == full.size()) continue;
      MemoryFileSystem torn;
      CopyReplica(memory_, torn);
      sats::Bytes bytes(full.begin(), full.begin() + long(cut));
      if (zero_filled) bytes.resize(full.size(), 0);  // space allocated but never written
      ASSERT_TRUE(torn.SetDurableContents(head, bytes).ok());
      auto state = Open(torn);
      ASSERT_TRUE(state.ok()) << "cut at " << cut << ": " << state.error().message();
      uint64_t expected = cut == full.size() ? end : end - 1;
      ASSERT_EQ(state->report.next_tx_offset, expected) << "cut at " << cut;
      ASSERT_EQ(StateOf(*state->datastore), cut == full.size() ? ModelStateAt(end) : before) << "cut at " << cut;
      if (cut < full.size() && cut > last_commit) {
        // Cut off, or (when zeros do not cover the whole checksum) left in place with the log continuing in a
        // new segment.
        EXPECT_TRUE(state->report.commitlog.truncated_torn_tail || state->report.commitlog.abandoned_damage)
            << "cut at " << cut;
      }
    }
  }
}

TEST_F(RecoveryTest, BitFlipsInTheMiddleAreErrorsNamingTheOffsetUnlessTheOperatorTruncates) {
  auto options = Options(memory_);
  options.commitlog.max_segment_size = 4096;
  // Without snapshots every commit is replayed. (With one, damage before it is never read, as it is not needed.)
  options.durability.snapshot_every = 0;
  options.durability.snapshot_on_segment_roll = false;
  const uint64_t end = RunAndClose(150, options);
  auto segments = *ListSegments(memory_, kClog);
  ASSERT_GE(segments.size(), 3u);
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 12; ++trial) {
    // A random byte of a random commit, but not the log's last commit.
    uint64_t segment = segments[rng() % (segments.size() - 1)];
    const std::string path = SegmentPath(segment);
    sats::Bytes bytes = *memory_.Contents(path);
    auto reader = *SegmentReader::Open(memory_, path);
    std::vector<std::pair<uint64_t, uint64_t>> commits;  // position, tx offset
    while (*reader->Next() == SegmentReader::Outcome::kCommit)
      commits.push_back({reader->commit_position(), reader->commit().min_tx_offset});
    reader.reset();
    size_t k = rng() % commits.size();
    uint64_t commit_end = k + 1 < commits.size() ? commits[k + 1].first : bytes.size();
    uint64_t position = commits[k].first + rng() % (commit_end - commits[k].first);
    const uint64_t damaged_offset = commits[k].second;

    MemoryFileSystem damaged;
    CopyReplica(memory_, damaged);
    bytes[position] ^= uint8_t(1u << (rng() % 8));
    ASSERT_TRUE(damaged.SetDurableContents(path, bytes).ok());
    auto refused = Open(damaged);
    ASSERT_FALSE(refused.ok()) << "a flipped bit at byte " << position << " of " << path << " went unnoticed";
    EXPECT_EQ(refused.error().code(), ErrorCode::kCorruption) << refused.error().message();
    EXPECT_NE(refused.error().message().find(path), std::string::npos) << refused.error().message();
    EXPECT_NE(refused.error().message().find("offset " + std::to_string(damaged_offset)), std::string::npos)
        << refused.error().message();

    auto repair = Options(damaged);
    repair.commitlog.truncate_at_corruption = true;
    auto repaired = OpenDatabaseState(repair);
    ASSERT_TRUE(repaired.ok()) << repaired.error().message();
    EXPECT_TRUE(repaired->report.commitlog.repaired_corruption.has_value());
    EXPECT_EQ(repaired->report.next_tx_offset, damaged_offset);
    EXPECT_EQ(StateOf(*repaired->datastore), ModelStateAt(damaged_offset));
  }
  (void)end;
}

TEST_F(RecoveryTest, EmptyOrHeaderlessLastSegmentsAreRemovedButAMissingHeaderInTheMiddleIsAnError) {
  auto options = Options(memory_);
  options.commitlog.max_segment_size = 4096;
  options.durability.snapshot_every = 0;  // so that recovery reads the middle segment
  options.durability.snapshot_on_segment_roll = false;
  const uint64_t end = RunAndClose(120, options);
  auto segments = *ListSegments(memory_, kClog);
  ASSERT_GE(segments.size(), 3u);
  for (size_t length : {size_t(0), size_t(5)}) {
    MemoryFileSystem fs;
    CopyReplica(memory_, fs);
    ASSERT_TRUE(fs.SetDurableContents(SegmentPath(end), sats::Bytes(length, 0x28)).ok());
    auto state = Open(fs);
    ASSERT_TRUE(state.ok()) << state.error().message();
    EXPECT_EQ(state->report.next_tx_offset, end);
    EXPECT_EQ(state->report.commitlog.removed_empty_segments, std::vector<uint64_t>{end});
  }
  MemoryFileSystem fs;
  CopyReplica(memory_, fs);
  const std::string middle = SegmentPath(segments[1]);
  ASSERT_TRUE(fs.SetDurableContents(middle, sats::Bytes(5, 0x28)).ok());
  auto state = Open(fs);
  ASSERT_FALSE(state.ok());
  EXPECT_NE(state.error().message().find(middle), std::string::npos) << state.error().message();
}

TEST_F(RecoveryTest, ALogThatDoesNotStartAtZeroNeedsASnapshot) {
  auto options = Options(memory_);
  options.commitlog.max_segment_size = 4096;
  options.durability.snapshot_every = 0;
  options.durability.snapshot_on_segment_roll = false;
  RunAndClose(120, options);
  auto segments = *ListSegments(memory_, kClog);
  ASSERT_TRUE(memory_.Remove(SegmentPath(segments[0])).ok());
  auto state = Open();
  ASSERT_FALSE(state.ok());
  EXPECT_NE(state.error().message().find("starts at transaction " + std::to_string(segments[1])), std::string::npos)
      << state.error().message();
}

TEST_F(RecoveryTest, ProgressIsReportedWhileReplaying) {
  auto options = Options(memory_);
  options.durability.snapshot_every = 0;
  uint64_t end = RunAndClose(1000, options);
  std::vector<RecoveryProgress> seen;
  options.progress = [&](const RecoveryProgress& p) { seen.push_back(p); };
  options.progress_every_transactions = 100;
  auto state = OpenDatabaseState(options);
  ASSERT_TRUE(state.ok());
  ASSERT_GE(seen.size(), 10u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i].transactions_replayed, seen[i - 1].transactions_replayed);
  EXPECT_EQ(seen.back().phase, RecoveryProgress::Phase::kReplay);
  EXPECT_EQ(seen.back().transactions_replayed, end);
  EXPECT_EQ(seen.back().transactions_to_replay, end);
  EXPECT_GT(state->report.total_time.count(), 0);
}

}  // namespace
}  // namespace stdb::durability
