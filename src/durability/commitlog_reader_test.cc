#include "durability/commitlog_reader.h"

#include <gtest/gtest.h>

#include "durability/commitlog.h"
#include "durability/testing/memory_file_system.h"
#include "durability/testing/test_records.h"

namespace stdb::durability {
namespace {

using testing::CanonicalTestTx;
using testing::MemoryFileSystem;
using testing::TestRowSize;

constexpr const char* kDir = "/clog";

sats::Bytes Record(uint64_t seed) {
  sats::Bytes out;
  EXPECT_TRUE(EncodeTxRecord(CanonicalTestTx(seed), out).ok());
  return out;
}

class CommitReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fs_.CreateDirs(kDir).ok()); }

  // Writes a segment named `name` holding one-record commits for `offsets` (record = canonical tx of that
  // offset unless `variant` changes it), then `tail` raw bytes.
  void WriteSegment(uint64_t name, const std::vector<uint64_t>& offsets, sats::Bytes tail = {}, uint64_t variant = 0) {
    sats::Bytes bytes = {0x28, 0x64, 0x73, 0x29, 0x5e, 0x32, 0x01, 0x00, 0x00, 0x00};
    for (uint64_t offset : offsets) EncodeCommit(1, offset, 0, 1, Record(offset + variant), bytes);
    bytes.insert(bytes.end(), tail.begin(), tail.end());
    ASSERT_TRUE(fs_.SetDurableContents(JoinPath(kDir, SegmentFileName(name)), bytes).ok());
  }

  sats::Bytes CommitBytes(uint64_t offset, uint64_t variant = 0) {
    sats::Bytes out;
    EncodeCommit(1, offset, 0, 1, Record(offset + variant), out);
    return out;
  }

  // Reads all commits from `from`; returns their offsets and the final status.
  std::pair<std::vector<uint64_t>, Status> ReadOffsets(uint64_t from, CommitReader** keep = nullptr) {
    std::vector<uint64_t> offsets;
    auto reader = CommitReader::Open(fs_, kDir, from);
    if (!reader.ok()) return {offsets, std::move(reader).error()};
    reader_.emplace(std::move(reader).value());
    if (keep) *keep = &*reader_;
    for (;;) {
      auto more = reader_->Next();
      if (!more.ok()) return {offsets, std::move(more).error()};
      if (!*more) return {offsets, OkStatus()};
      offsets.push_back(reader_->commit().min_tx_offset);
    }
  }

  static std::vector<uint64_t> Range(uint64_t from, uint64_t to) {
    std::vector<uint64_t> v;
    for (uint64_t i = from; i < to; ++i) v.push_back(i);
    return v;
  }

  MemoryFileSystem fs_;
  std::optional<CommitReader> reader_;
};

TEST_F(CommitReaderTest, ReadsAcrossSegmentsFromAnyOffset) {
  WriteSegment(0, Range(0, 4));
  WriteSegment(4, Range(4, 9));
  WriteSegment(9, Range(9, 12));
  for (uint64_t from = 0; from <= 12; ++from) {
    auto [offsets, status] = ReadOffsets(from);
    ASSERT_TRUE(status.ok()) << status.error().message();
    EXPECT_EQ(offsets, Range(from, 12)) << from;
  }
}

TEST_F(CommitReaderTest, EmptyOrMissingLogReadsAsEmpty) {
  auto [offsets, status] = ReadOffsets(0);
  EXPECT_TRUE(status.ok());
  EXPECT_TRUE(offsets.empty());
  auto missing = CommitReader::Open(fs_, "/nowhere", 5);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing->Next());
}

TEST_F(CommitReaderTest, OffsetBeforeTheFirstSegmentIsNotFound) {
  WriteSegment(10, Range(10, 12));
  auto [offsets, status] = ReadOffsets(3);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kNotFound);
}

TEST_F(CommitReaderTest, TornTailFollowedByAFreshSegmentIsReadThrough) {
  sats::Bytes partial = CommitBytes(4);
  partial.resize(partial.size() / 2);
  WriteSegment(0, Range(0, 4), partial);
  WriteSegment(4, Range(4, 7));
  auto [offsets, status] = ReadOffsets(0);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(offsets, Range(0, 7));
}

TEST_F(CommitReaderTest, TornTailAtTheEndIsToleratedAndReported) {
  sats::Bytes partial = CommitBytes(3);
  partial.resize(30);
  WriteSegment(0, Range(0, 3), partial);
  CommitReader* reader = nullptr;
  auto [offsets, status] = ReadOffsets(0, &reader);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(offsets, Range(0, 3));
  ASSERT_TRUE(reader->torn_tail().has_value());
  EXPECT_EQ(reader->torn_tail()->kind, SegmentDamage::Kind::kIncomplete);
}

TEST_F(CommitReaderTest, CorruptionInTheMiddleNamesItsOffset) {
  sats::Bytes bad = CommitBytes(2);
  bad[bad.size() - 1] ^= 0xFF;  // the stored CRC
  sats::Bytes rest = CommitBytes(3);
  bad.insert(bad.end(), rest.begin(), rest.end());
  WriteSegment(0, Range(0, 2), bad);
  CommitReader* reader = nullptr;
  auto [offsets, status] = ReadOffsets(0, &reader);
  EXPECT_EQ(offsets, Range(0, 2));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(status.error().message().find("transaction offset 2"), std::string::npos) << status.error().message();
  EXPECT_NE(status.error().message().find("checksum mismatch"), std::string::npos);
  ASSERT_TRUE(reader->corruption().has_value());
  EXPECT_EQ(reader->corruption()->tx_offset, 2u);
  EXPECT_EQ(reader->corruption()->segment_offset, 0u);
  EXPECT_GT(reader->corruption()->byte_position, 10u);
}

TEST_F(CommitReaderTest, DuplicateCommitsAreSkippedAndForksAreErrors) {
  WriteSegment(0, Range(0, 4));
  WriteSegment(3, Range(3, 6));  // repeats commit 3 byte for byte
  auto [offsets, status] = ReadOffsets(0);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(offsets, Range(0, 6));

  WriteSegment(3, Range(3, 6), {}, /*variant=*/1000);  // a different commit 3
  CommitReader* reader = nullptr;
  auto [forked, fork_status] = ReadOffsets(0, &reader);
  ASSERT_FALSE(fork_status.ok());
  EXPECT_NE(fork_status.error().message().find("fork at transaction offset 3"), std::string::npos)
      << fork_status.error().message();
  EXPECT_EQ(forked, Range(0, 4));
}

TEST_F(CommitReaderTest, GapsAreErrorsNamingExpectedAndFoundOffsets) {
  WriteSegment(0, Range(0, 4));
  WriteSegment(10, Range(10, 12));
  CommitReader* reader = nullptr;
  auto [offsets, status] = ReadOffsets(0, &reader);
  EXPECT_EQ(offsets, Range(0, 4));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("expected transaction offset 4"), std::string::npos);
  EXPECT_NE(status.error().message().find("offset 10"), std::string::npos);
  EXPECT_EQ(reader->corruption()->tx_offset, 4u);
}

TEST_F(CommitReaderTest, DamagedSegmentNotContinuedByTheNextIsAnError) {
  sats::Bytes bad = CommitBytes(4);
  bad[30] ^= 1;
  WriteSegment(0, Range(0, 4), bad);
  WriteSegment(6, Range(6, 8));
  auto [offsets, status] = ReadOffsets(0);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("expected transaction offset 4"), std::string::npos)
      << status.error().message();
  EXPECT_NE(status.error().message().find("checksum mismatch"), std::string::npos) << status.error().message();
}

TEST_F(CommitReaderTest, SegmentWhoseNameContinuesTheLogSupersedesADamagedTail) {
  // What the reference leaves behind after resuming past corruption: valid commits after the damage in the old
  // segment, and a new segment named by the first lost offset.
  sats::Bytes bad = CommitBytes(2);
  bad[40] ^= 1;
  sats::Bytes after = CommitBytes(3);
  bad.insert(bad.end(), after.begin(), after.end());
  WriteSegment(0, Range(0, 2), bad);
  WriteSegment(2, Range(2, 5));
  auto [offsets, status] = ReadOffsets(0);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(offsets, Range(0, 5));
}

TEST_F(CommitReaderTest, OffsetIndexLetsReadersSkipTheStartOfASegment) {
  CommitlogOptions o;
  o.file_system = &fs_;
  o.offset_index_interval_bytes = 300;
  {
    auto log = std::move(Commitlog::Open(kDir, o)).value();
    for (uint64_t i = 0; i < 60; ++i) {
      ASSERT_TRUE(log->Append(CanonicalTestTx(i)).ok());
      if (i % 5 == 4) {
        ASSERT_TRUE(log->Sync().ok());
      }
    }
  }
  auto entries = std::move(ReadOffsetIndex(fs_, JoinPath(kDir, OffsetIndexFileName(0)))).value();
  ASSERT_GE(entries.size(), 2u);
  // Damage commit 0: only a reader that really seeks past it can succeed.
  std::string path = JoinPath(kDir, SegmentFileName(0));
  sats::Bytes bytes = *fs_.Contents(path);
  bytes[20] ^= 0x10;
  ASSERT_TRUE(fs_.SetDurableContents(path, bytes).ok());
  uint64_t from = entries[1].tx_offset + 1;
  auto [offsets, status] = ReadOffsets(from);
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(offsets, Range(from, 60));
  auto [all, all_status] = ReadOffsets(0);
  EXPECT_FALSE(all_status.ok());

  // A stale entry pointing at the wrong commit is ignored rather than trusted.
  auto damaged_index = *fs_.Contents(JoinPath(kDir, OffsetIndexFileName(0)));
  damaged_index[16 + 8] ^= 0x01;  // entries[1].byte_position off by one
  ASSERT_TRUE(fs_.SetDurableContents(JoinPath(kDir, OffsetIndexFileName(0)), damaged_index).ok());
  bytes[20] ^= 0x10;  // undo the segment damage so the linear fallback can succeed
  ASSERT_TRUE(fs_.SetDurableContents(path, bytes).ok());
  auto [fallback, fallback_status] = ReadOffsets(from);
  ASSERT_TRUE(fallback_status.ok()) << fallback_status.error().message();
  EXPECT_EQ(fallback, Range(from, 60));
}

TEST_F(CommitReaderTest, TransactionReaderRejectsMalformedRecordsInValidCommits) {
  sats::Bytes bytes = {0x28, 0x64, 0x73, 0x29, 0x5e, 0x32, 0x01, 0x00, 0x00, 0x00};
  EncodeCommit(1, 0, 0, 1, Record(0), bytes);
  sats::Bytes with_trailing = Record(1);
  with_trailing.push_back(0x00);
  EncodeCommit(1, 1, 0, 1, with_trailing, bytes);
  ASSERT_TRUE(fs_.SetDurableContents(JoinPath(kDir, SegmentFileName(0)), bytes).ok());
  auto reader = std::move(TransactionReader::Open(fs_, kDir, 0, TestRowSize())).value();
  ASSERT_TRUE(*reader.Next());
  EXPECT_EQ(reader.offset(), 0u);
  auto second = reader.Next();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(second.error().message().find("after its 1 records"), std::string::npos) << second.error().message();

  sats::Bytes garbage_record = {0x28, 0x64, 0x73, 0x29, 0x5e, 0x32, 0x01, 0x00, 0x00, 0x00};
  const sats::Bytes cut_record = {0x20, 0x05};
  EncodeCommit(1, 0, 0, 1, cut_record, garbage_record);
  ASSERT_TRUE(fs_.SetDurableContents(JoinPath(kDir, SegmentFileName(0)), garbage_record).ok());
  auto bad = std::move(TransactionReader::Open(fs_, kDir, 0, TestRowSize())).value();
  auto r = bad.Next();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("transaction 0"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace stdb::durability
