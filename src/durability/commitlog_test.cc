#include "durability/commitlog.h"

#include <gtest/gtest.h>

#include <random>

#include "durability/testing/memory_file_system.h"
#include "durability/testing/test_records.h"

namespace stdb::durability {
namespace {

using testing::CanonicalTestTx;
using testing::MemoryFileSystem;
using testing::TestRowSize;

constexpr const char* kDir = "/replica/clog";

class CommitlogTest : public ::testing::Test {
 protected:
  CommitlogOptions Options() {
    CommitlogOptions o;
    o.file_system = &fs_;
    return o;
  }
  std::unique_ptr<Commitlog> Open(CommitlogOptions o) {
    auto log = Commitlog::Open(kDir, o);
    EXPECT_TRUE(log.ok()) << log.error().message();
    return log.ok() ? std::move(log).value() : nullptr;
  }
  std::unique_ptr<Commitlog> Open() { return Open(Options()); }

  // Appends the canonical test transactions [from, to) and checks the offsets they get.
  void AppendRange(Commitlog& log, uint64_t from, uint64_t to) {
    for (uint64_t seed = from; seed < to; ++seed) {
      auto offset = log.Append(CanonicalTestTx(seed));
      ASSERT_TRUE(offset.ok()) << offset.error().message();
      ASSERT_EQ(*offset, seed);
    }
  }

  // Every transaction in the log, checked against the canonical one with the same offset.
  uint64_t ExpectCanonicalLog(uint64_t from = 0) {
    auto reader = TransactionReader::Open(fs_, kDir, from, TestRowSize());
    EXPECT_TRUE(reader.ok()) << reader.error().message();
    if (!reader.ok()) return 0;
    uint64_t expected = from, count = 0;
    for (;;) {
      auto more = reader->Next();
      EXPECT_TRUE(more.ok()) << more.error().message();
      if (!more.ok() || !*more) break;
      EXPECT_EQ(reader->offset(), expected);
      EXPECT_EQ(reader->record().ToOwned(), CanonicalTestTx(reader->offset()));
      ++expected;
      ++count;
    }
    return count;
  }

  std::string SegmentPath(uint64_t offset) { return JoinPath(kDir, SegmentFileName(offset)); }

  // Byte ranges [start, end) of the commits of a segment, in order.
  std::vector<std::pair<uint64_t, uint64_t>> CommitRanges(uint64_t segment) {
    auto r = std::move(SegmentReader::Open(fs_, SegmentPath(segment))).value();
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    while (*r->Next() == SegmentReader::Outcome::kCommit) ranges.emplace_back(r->commit_position(), r->position());
    return ranges;
  }

  MemoryFileSystem fs_;
};

TEST_F(CommitlogTest, OpeningAnEmptyDirectoryStartsAtOffsetZero) {
  auto log = Open();
  EXPECT_EQ(log->next_tx_offset(), 0u);
  EXPECT_FALSE(log->durable_offset().has_value());
  EXPECT_FALSE(log->max_committed_offset().has_value());
  EXPECT_FALSE(log->min_committed_offset().has_value());
  EXPECT_EQ(log->segment_offsets(), std::vector<uint64_t>({0}));
  EXPECT_EQ(fs_.Contents(SegmentPath(0))->size(), 10u);
  EXPECT_EQ(ExpectCanonicalLog(), 0u);
}

TEST_F(CommitlogTest, AppendSyncReopenAndReadBack) {
  {
    auto log = Open();
    AppendRange(*log, 0, 25);
    EXPECT_FALSE(log->durable_offset().has_value());  // nothing synced yet
    EXPECT_EQ(log->max_committed_offset(), 24u);
    auto durable = log->Sync();
    ASSERT_TRUE(durable.ok());
    EXPECT_EQ(*durable, std::optional<uint64_t>(24));
    EXPECT_EQ(log->durable_offset(), 24u);
    ASSERT_TRUE(log->Close().ok());
    EXPECT_FALSE(log->Append(CanonicalTestTx(25)).ok());  // closed
  }
  auto log = Open();
  EXPECT_EQ(log->next_tx_offset(), 25u);
  EXPECT_EQ(log->durable_offset(), 24u);
  EXPECT_EQ(log->min_committed_offset(), 0u);
  AppendRange(*log, 25, 40);
  ASSERT_TRUE(log->Sync().ok());
  EXPECT_EQ(ExpectCanonicalLog(), 40u);
  EXPECT_EQ(ExpectCanonicalLog(17), 23u);
}

TEST_F(CommitlogTest, EachTransactionIsOneCommit) {
  auto log = Open();
  AppendRange(*log, 0, 5);
  auto reader = std::move(log->ReadCommits(0)).value();
  uint64_t n = 0;
  while (*reader.Next()) {
    EXPECT_EQ(reader.commit().n, 1);
    EXPECT_EQ(reader.commit().min_tx_offset, n++);
  }
  EXPECT_EQ(n, 5u);
}

TEST_F(CommitlogTest, SegmentsRollAtMaxSize) {
  CommitlogOptions o = Options();
  o.max_segment_size = 2000;
  {
    auto log = Open(o);
    AppendRange(*log, 0, 120);
    auto segments = log->segment_offsets();
    ASSERT_GT(segments.size(), 3u);
    EXPECT_EQ(segments.front(), 0u);
    // Every closed segment reached the size limit, is named by its first offset, and was synced on rolling.
    for (size_t i = 0; i + 1 < segments.size(); ++i) {
      EXPECT_GE(fs_.Contents(SegmentPath(segments[i]))->size(), o.max_segment_size);
      auto r = std::move(SegmentReader::Open(fs_, SegmentPath(segments[i]))).value();
      ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
      EXPECT_EQ(r->commit().min_tx_offset, segments[i]);
    }
    EXPECT_GE(*log->durable_offset(), segments.back() - 1);
    ASSERT_TRUE(log->Sync().ok());
  }
  EXPECT_EQ(ExpectCanonicalLog(), 120u);
  auto log = Open(o);
  EXPECT_EQ(log->next_tx_offset(), 120u);
  AppendRange(*log, 120, 150);
  ASSERT_TRUE(log->Sync().ok());
  EXPECT_EQ(ExpectCanonicalLog(), 150u);
  EXPECT_EQ(ExpectCanonicalLog(77), 150u - 77u);
}

TEST_F(CommitlogTest, EmptyAndHeaderOnlyLastSegmentsAreDeleted) {
  CommitlogOptions o = Options();
  o.max_segment_size = 1000;
  {
    auto log = Open(o);
    AppendRange(*log, 0, 30);
    ASSERT_TRUE(log->Sync().ok());
  }
  // A header-only segment after the head, a 0-byte one and one with a cut header (crashes during creation).
  for (auto [offset, size] : std::vector<std::pair<uint64_t, size_t>>{{100, 10}, {101, 0}, {102, 4}}) {
    sats::Bytes header = {0x28, 0x64, 0x73, 0x29, 0x5e, 0x32, 0x01, 0x00, 0x00, 0x00};
    header.resize(size);
    ASSERT_TRUE(fs_.SetDurableContents(SegmentPath(offset), header).ok());
  }
  auto log = Open(o);
  const auto& removed = log->open_report().removed_empty_segments;
  ASSERT_GE(removed.size(), 3u);
  EXPECT_EQ(std::vector<uint64_t>(removed.begin(), removed.begin() + 3), std::vector<uint64_t>({102, 101, 100}));
  for (uint64_t offset : {100, 101, 102}) EXPECT_FALSE(*fs_.Exists(SegmentPath(offset)));
  EXPECT_EQ(log->next_tx_offset(), 30u);
  AppendRange(*log, 30, 35);
  ASSERT_TRUE(log->Sync().ok());
  EXPECT_EQ(ExpectCanonicalLog(), 35u);
}

TEST_F(CommitlogTest, PreallocatedZerosAfterACrashAreNotDamageAndCloseCutsThem) {
  CommitlogOptions o = Options();
  o.preallocate_bytes = 64 * 1024;
  uint64_t data_end = 0;
  {
    auto log = Open(o);
    AppendRange(*log, 0, 5);
    ASSERT_TRUE(log->Sync().ok());
    data_end = CommitRanges(0).back().second;
    EXPECT_EQ(fs_.Contents(SegmentPath(0))->size(), data_end + 64 * 1024);
  }  // dropped without Close: a crash after the sync, zeros still after the data
  fs_.SimulatePowerLoss();
  {
    auto log = Open(o);
    const OpenReport& report = log->open_report();
    EXPECT_FALSE(report.truncated_torn_tail.has_value());
    EXPECT_FALSE(report.abandoned_damage.has_value());
    EXPECT_FALSE(report.started_new_segment);
    EXPECT_EQ(log->next_tx_offset(), 5u);
    AppendRange(*log, 5, 8);
    ASSERT_TRUE(log->Close().ok());
  }
  EXPECT_EQ(fs_.Contents(SegmentPath(0))->size(), CommitRanges(0).back().second);  // no zeros after Close
  EXPECT_EQ(ExpectCanonicalLog(), 8u);
}

TEST_F(CommitlogTest, ASealedSegmentEndsAtItsData) {
  CommitlogOptions o = Options();
  o.max_segment_size = 1024;
  o.preallocate_bytes = 64 * 1024;  // capped at the segment size
  auto log = Open(o);
  AppendRange(*log, 0, 40);
  ASSERT_TRUE(log->Sync().ok());
  auto segments = log->segment_offsets();
  ASSERT_GE(segments.size(), 3u);
  auto data_end = [&](uint64_t segment) {
    auto ranges = CommitRanges(segment);
    return ranges.empty() ? uint64_t(10) : ranges.back().second;  // 10: the segment header
  };
  for (size_t i = 0; i + 1 < segments.size(); ++i)
    EXPECT_EQ(fs_.Contents(SegmentPath(segments[i]))->size(), data_end(segments[i])) << i;
  EXPECT_LE(fs_.Contents(SegmentPath(segments.back()))->size(), data_end(segments.back()) + 1024);
  EXPECT_EQ(ExpectCanonicalLog(), 40u);
}

TEST_F(CommitlogTest, TornWriteAtEveryByteOfTheLastCommitIsCutAndAppendsContinue) {
  {
    auto log = Open();
    AppendRange(*log, 0, 5);
    ASSERT_TRUE(log->Sync().ok());
  }
  const sats::Bytes full = *fs_.Contents(SegmentPath(0));
  auto ranges = CommitRanges(0);
  ASSERT_EQ(ranges.size(), 5u);
  const auto [start, end] = ranges.back();
  for (bool zero_fill : {false, true}) {
    for (uint64_t cut = start; cut < end; ++cut) {
      auto segments = ListSegments(fs_, kDir);
      ASSERT_TRUE(segments.ok());
      for (uint64_t segment : *segments) {  // undo what the previous round appended
        if (segment != 0) {
          ASSERT_TRUE(fs_.Remove(SegmentPath(segment)).ok());
        }
      }
      sats::Bytes torn(full.begin(), full.begin() + static_cast<ptrdiff_t>(cut));
      if (zero_fill) torn.resize(full.size(), 0);  // the length survived, the data did not
      ASSERT_TRUE(fs_.SetDurableContents(SegmentPath(0), torn).ok());
      auto log = Open();
      ASSERT_NE(log, nullptr) << "cut at " << cut;
      EXPECT_EQ(log->next_tx_offset(), 4u) << "cut at " << cut;
      EXPECT_EQ(log->durable_offset(), 3u);
      const OpenReport& report = log->open_report();
      if (zero_fill && end - cut < 4) {
        // Only part of the checksum is zero: nothing marks this as unwritten space, so the damaged commit is
        // kept and a new segment starts, as the reference does.
        EXPECT_TRUE(report.abandoned_damage.has_value()) << cut;
        EXPECT_EQ(log->segment_offsets(), std::vector<uint64_t>({0, 4})) << cut;
        EXPECT_EQ(fs_.Contents(SegmentPath(0))->size(), full.size());
      } else {
        // Zeros right after the last whole commit are preallocated space, not damage.
        EXPECT_EQ(report.truncated_torn_tail.has_value(), cut > start) << cut;
        EXPECT_EQ(log->segment_offsets(), std::vector<uint64_t>({0})) << cut;
        EXPECT_EQ(fs_.Contents(SegmentPath(0))->size(), start) << cut;
      }
      AppendRange(*log, 4, 6);
      ASSERT_TRUE(log->Sync().ok());
      log.reset();
      EXPECT_EQ(ExpectCanonicalLog(), 6u) << "cut at " << cut;
    }
  }
}

TEST_F(CommitlogTest, FlippedBitInTheMiddleIsAnErrorNamingTheOffset) {
  {
    auto log = Open();
    AppendRange(*log, 0, 10);
    ASSERT_TRUE(log->Sync().ok());
  }
  auto ranges = CommitRanges(0);
  const sats::Bytes good = *fs_.Contents(SegmentPath(0));
  std::mt19937_64 rng(11);
  for (int round = 0; round < 60; ++round) {
    uint64_t victim = rng() % 9;  // not the last commit
    auto [start, end] = ranges[victim];
    uint64_t byte = start + rng() % (end - start);
    sats::Bytes bad = good;
    bad[byte] ^= static_cast<uint8_t>(1 << (rng() % 8));
    ASSERT_TRUE(fs_.SetDurableContents(SegmentPath(0), bad).ok());

    auto refused = Commitlog::Open(kDir, Options());
    ASSERT_FALSE(refused.ok()) << "flip at byte " << byte;
    EXPECT_EQ(refused.error().code(), ErrorCode::kCorruption);
    const std::string& msg = refused.error().message();
    EXPECT_NE(msg.find("transaction offset " + std::to_string(victim)), std::string::npos) << msg;
    EXPECT_NE(msg.find(SegmentPath(0)), std::string::npos) << msg;
    EXPECT_NE(msg.find("byte " + std::to_string(start)), std::string::npos) << msg;
    EXPECT_NE(msg.find("truncate_at_corruption"), std::string::npos) << msg;
    EXPECT_EQ(*fs_.Contents(SegmentPath(0)), bad);  // refusing changed nothing

    CommitlogOptions repair = Options();
    repair.truncate_at_corruption = true;
    auto log = Open(repair);
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->open_report().repaired_corruption.has_value());
    EXPECT_EQ(log->open_report().repaired_corruption->tx_offset, victim);
    EXPECT_EQ(log->open_report().repaired_corruption->byte_position, start);
    EXPECT_EQ(log->next_tx_offset(), victim);
    EXPECT_EQ(fs_.Contents(SegmentPath(0))->size(), start);
    AppendRange(*log, victim, 12);
    ASSERT_TRUE(log->Sync().ok());
    log.reset();
    EXPECT_EQ(ExpectCanonicalLog(), 12u);
  }
}

TEST_F(CommitlogTest, BadLastCommitIsLeftAloneAndANewSegmentStarts) {
  {
    auto log = Open();
    AppendRange(*log, 0, 6);
    ASSERT_TRUE(log->Sync().ok());
  }
  auto ranges = CommitRanges(0);
  sats::Bytes bad = *fs_.Contents(SegmentPath(0));
  bad[ranges.back().first + 30] ^= 0x01;  // inside the records of the last commit
  ASSERT_TRUE(fs_.SetDurableContents(SegmentPath(0), bad).ok());
  {
    auto log = Open();
    ASSERT_TRUE(log->open_report().abandoned_damage.has_value());
    EXPECT_EQ(log->open_report().abandoned_damage->kind, SegmentDamage::Kind::kChecksumMismatch);
    EXPECT_TRUE(log->open_report().started_new_segment);
    EXPECT_EQ(log->segment_offsets(), std::vector<uint64_t>({0, 5}));
    EXPECT_EQ(*fs_.Contents(SegmentPath(0)), bad);  // kept for inspection
    AppendRange(*log, 5, 9);
    ASSERT_TRUE(log->Sync().ok());
  }
  // Readers skip the damaged tail because the next segment continues at its offset.
  EXPECT_EQ(ExpectCanonicalLog(), 9u);
  auto log = Open();  // and reopening is now ordinary
  EXPECT_EQ(log->next_tx_offset(), 9u);
  EXPECT_FALSE(log->open_report().abandoned_damage.has_value());
}

TEST_F(CommitlogTest, GoodCommitsBeforeAbandonedDamageAreSyncedBeforeTheNextSegment) {
  // A crashed process wrote commits 6..8 and a damaged commit after them but synced only 0..5.
  {
    auto log = Open();
    AppendRange(*log, 0, 9);
    ASSERT_TRUE(log->Close().ok());
  }
  auto ranges = CommitRanges(0);
  const sats::Bytes written = *fs_.Contents(SegmentPath(0));
  sats::Bytes damaged(written.begin() + long(ranges[8].first), written.end());
  damaged[30] ^= 0x01;  // a complete commit for offset 8 again, failing its checksum
  const uint64_t synced_end = ranges[5].second;
  ASSERT_TRUE(fs_.SetDurableContents(SegmentPath(0), sats::Bytes(written.begin(), written.begin() + long(synced_end))).ok());
  {
    auto file = *fs_.OpenWritable(SegmentPath(0), OpenMode::kOpenExisting);
    sats::Bytes unsynced(written.begin() + long(synced_end), written.end());
    unsynced.insert(unsynced.end(), damaged.begin(), damaged.end());
    ASSERT_TRUE(file->WriteAt(synced_end, unsynced).ok());
  }
  {
    auto log = Open();
    ASSERT_TRUE(log->open_report().abandoned_damage.has_value());
    EXPECT_EQ(log->segment_offsets(), std::vector<uint64_t>({0, 9}));
    AppendRange(*log, 9, 12);
    ASSERT_TRUE(log->Sync().ok());  // acknowledges 9..11, which only make sense after 6..8
  }
  fs_.SimulatePowerLoss();
  EXPECT_EQ(ExpectCanonicalLog(), 12u);
}

TEST_F(CommitlogTest, SegmentWithoutAnyValidCommitIsAnError) {
  {
    auto log = Open();
    AppendRange(*log, 0, 1);
    ASSERT_TRUE(log->Sync().ok());
  }
  sats::Bytes bad = *fs_.Contents(SegmentPath(0));
  bad[40] ^= 0x80;
  ASSERT_TRUE(fs_.SetDurableContents(SegmentPath(0), bad).ok());
  auto refused = Commitlog::Open(kDir, Options());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("no valid commit"), std::string::npos) << refused.error().message();
  CommitlogOptions repair = Options();
  repair.truncate_at_corruption = true;
  auto log = Open(repair);
  EXPECT_EQ(log->next_tx_offset(), 0u);
  AppendRange(*log, 0, 2);
}

TEST_F(CommitlogTest, TornFirstCommitOfASegmentResumesAtItsName) {
  CommitlogOptions o = Options();
  o.max_segment_size = 600;
  uint64_t head;
  {
    auto log = Open(o);
    uint64_t n = 12;
    AppendRange(*log, 0, n);
    while (log->segment_offsets().back() == log->next_tx_offset()) {  // make sure the head holds a commit
      AppendRange(*log, n, n + 1);
      ++n;
    }
    head = log->segment_offsets().back();
    ASSERT_TRUE(log->Sync().ok());
  }
  ASSERT_GT(head, 0u);
  auto ranges = CommitRanges(head);
  ASSERT_FALSE(ranges.empty());
  sats::Bytes torn = *fs_.Contents(SegmentPath(head));
  torn.resize(ranges.front().first + 7);  // the head's first commit is cut inside its header
  ASSERT_TRUE(fs_.SetDurableContents(SegmentPath(head), torn).ok());
  auto log = Open(o);
  EXPECT_EQ(log->next_tx_offset(), head);
  EXPECT_EQ(log->segment_offsets().back(), head);
  AppendRange(*log, head, head + 3);
  ASSERT_TRUE(log->Sync().ok());
  EXPECT_EQ(ExpectCanonicalLog(), head + 3);
}

TEST_F(CommitlogTest, UnsupportedVersionsAndChecksumsAreErrors) {
  {
    auto log = Open();
    AppendRange(*log, 0, 2);
    ASSERT_TRUE(log->Sync().ok());
  }
  const sats::Bytes good = *fs_.Contents(SegmentPath(0));
  for (auto [index, value] : std::vector<std::pair<size_t, uint8_t>>{{6, 2}, {7, 1}, {6, 0}}) {
    sats::Bytes bad = good;
    bad[index] = value;
    ASSERT_TRUE(fs_.SetDurableContents(SegmentPath(0), bad).ok());
    auto refused = Commitlog::Open(kDir, Options());
    ASSERT_FALSE(refused.ok()) << index << "=" << int(value);
    EXPECT_EQ(refused.error().code(), ErrorCode::kUnsupported);
    EXPECT_NE(refused.error().message().find(SegmentPath(0)), std::string::npos);
  }
}

TEST_F(CommitlogTest, CompressedSegmentsAreReadButNeverAppendedTo) {
  CommitlogOptions o = Options();
  o.max_segment_size = 1500;
  {
    auto log = Open(o);
    AppendRange(*log, 0, 40);
    ASSERT_TRUE(log->Sync().ok());
    auto segments = log->segment_offsets();
    ASSERT_GE(segments.size(), 3u);
    auto head_attempt = log->CompressSegment(segments.back());
    ASSERT_FALSE(head_attempt.ok());
    EXPECT_NE(head_attempt.error().message().find("being written"), std::string::npos);
    for (size_t i = 0; i + 1 < segments.size(); ++i) ASSERT_TRUE(log->CompressSegment(segments[i]).ok());
    EXPECT_EQ(ExpectCanonicalLog(), 40u);
    EXPECT_EQ(ExpectCanonicalLog(33), 7u);
  }
  // Seal the head too (as if compressed by another tool) and reopen: a new segment must start after it.
  auto before = std::move(ListSegments(fs_, kDir)).value();
  if (CommitRanges(before.back()).empty()) {  // a roll just happened: seal the last segment with commits
    ASSERT_TRUE(fs_.Remove(SegmentPath(before.back())).ok());
    before.pop_back();
  }
  if (!StartsWithZstdMagic(*fs_.Contents(SegmentPath(before.back())))) {
    ASSERT_TRUE(CompressSegmentFile(fs_, SegmentPath(before.back())).ok());
  }
  auto log = Open(o);
  EXPECT_TRUE(log->open_report().started_new_segment);
  EXPECT_EQ(log->segment_offsets().back(), 40u);
  AppendRange(*log, 40, 45);
  ASSERT_TRUE(log->Sync().ok());
  EXPECT_EQ(ExpectCanonicalLog(), 45u);
}

TEST_F(CommitlogTest, StaleCompressionTempFilesAreRemovedOnOpen) {
  { auto log = Open(); }
  std::string temp = SegmentPath(0) + std::string(kCompressTempSuffix);
  ASSERT_TRUE(fs_.SetDurableContents(temp, {0x28, 0xB5, 0x2F}).ok());
  auto log = Open();
  EXPECT_FALSE(*fs_.Exists(temp));
}

TEST_F(CommitlogTest, MultiRecordCommitsAreReadAsSeparateTransactions) {
  auto log = Open();
  AppendRange(*log, 0, 3);
  sats::Bytes records;
  for (uint64_t seed = 3; seed < 8; ++seed) ASSERT_TRUE(EncodeTxRecord(CanonicalTestTx(seed), records).ok());
  auto written = log->AppendCommit(5, records);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->min_tx_offset, 3u);
  EXPECT_EQ(log->next_tx_offset(), 8u);
  AppendRange(*log, 8, 10);
  ASSERT_TRUE(log->Sync().ok());
  EXPECT_EQ(ExpectCanonicalLog(), 10u);
  EXPECT_EQ(ExpectCanonicalLog(5), 5u);  // starts inside the multi-record commit
  EXPECT_EQ(log->AppendCommit(0, {}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(log->failure().has_value());  // a bad argument does not stop the log
}

TEST_F(CommitlogTest, EpochIsWrittenCarriedOverAndNeverDecreases) {
  CommitlogOptions o = Options();
  o.max_segment_size = 700;
  {
    auto log = Open(o);
    AppendRange(*log, 0, 3);
    ASSERT_TRUE(log->SetEpoch(4).ok());
    EXPECT_FALSE(log->SetEpoch(3).ok());
    AppendRange(*log, 3, 20);
    ASSERT_TRUE(log->Sync().ok());
  }
  auto log = Open(o);
  EXPECT_EQ(log->epoch(), 4u);
  auto reader = std::move(log->ReadCommits(0)).value();
  while (*reader.Next()) EXPECT_EQ(reader.commit().epoch, reader.commit().min_tx_offset < 3 ? 0u : 4u);
}

TEST_F(CommitlogTest, TruncateLogDropsEverythingFromAnOffset) {
  CommitlogOptions o = Options();
  o.max_segment_size = 1000;
  {
    auto log = Open(o);
    AppendRange(*log, 0, 60);
    ASSERT_TRUE(log->Sync().ok());
  }
  ASSERT_TRUE(TruncateLog(fs_, kDir, 37).ok());
  {
    auto log = Open(o);
    EXPECT_EQ(log->next_tx_offset(), 37u);
    AppendRange(*log, 37, 50);
    ASSERT_TRUE(log->Sync().ok());
  }
  EXPECT_EQ(ExpectCanonicalLog(), 50u);
  ASSERT_TRUE(TruncateLog(fs_, kDir, 0).ok());
  EXPECT_EQ(Open(o)->next_tx_offset(), 0u);
}

TEST_F(CommitlogTest, OffsetIndexIsWrittenAndLetsOpenSkipVerifiedData) {
  CommitlogOptions o = Options();
  o.offset_index_interval_bytes = 512;
  {
    auto log = Open(o);
    for (uint64_t batch = 0; batch < 10; ++batch) {
      AppendRange(*log, batch * 10, batch * 10 + 10);
      ASSERT_TRUE(log->Sync().ok());
    }
  }
  auto entries = ReadOffsetIndex(fs_, JoinPath(kDir, OffsetIndexFileName(0)));
  ASSERT_TRUE(entries.ok());
  ASSERT_GE(entries->size(), 3u);
  auto ranges = CommitRanges(0);
  for (const auto& e : *entries) EXPECT_EQ(ranges[e.tx_offset].first, e.byte_position);

  // Damage a commit before the last index entry: opening (which verifies only after that entry) still works,
  // a full read reports the corruption, and the operator option finds and repairs it.
  sats::Bytes bad = *fs_.Contents(SegmentPath(0));
  bad[ranges[2].first + 25] ^= 0x04;
  ASSERT_TRUE(fs_.SetDurableContents(SegmentPath(0), bad).ok());
  EXPECT_EQ(Open(o)->next_tx_offset(), 100u);
  auto reader = std::move(TransactionReader::Open(fs_, kDir, 0, TestRowSize())).value();
  Status failure = OkStatus();
  for (;;) {
    auto more = reader.Next();
    if (!more.ok()) { failure = std::move(more).error(); break; }
    if (!*more) break;
  }
  ASSERT_FALSE(failure.ok());
  EXPECT_NE(failure.error().message().find("transaction offset 2"), std::string::npos) << failure.error().message();
  CommitlogOptions repair = o;
  repair.truncate_at_corruption = true;
  auto repaired = Open(repair);
  EXPECT_EQ(repaired->next_tx_offset(), 2u);
  EXPECT_EQ(repaired->open_report().repaired_corruption->tx_offset, 2u);
}

}  // namespace
}  // namespace stdb::durability
