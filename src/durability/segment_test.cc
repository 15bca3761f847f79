#include "durability/segment.h"

#include <gtest/gtest.h>

#include "durability/crc32c.h"
#include "durability/testing/memory_file_system.h"

namespace stdb::durability {
namespace {

using testing::MemoryFileSystem;

constexpr const char* kDir = "/clog";

sats::Bytes Records(size_t n, uint8_t fill) { return sats::Bytes(n, fill); }

class SegmentTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fs_.CreateDirs(kDir).ok()); }

  std::unique_ptr<SegmentWriter> Create(uint64_t offset, SegmentWriterOptions options = {}) {
    auto w = SegmentWriter::Create(fs_, kDir, offset, 0, options);
    EXPECT_TRUE(w.ok()) << w.error().message();
    return w.ok() ? std::move(w).value() : nullptr;
  }
  // A segment 0 writer that keeps 1000 zero bytes ahead, holding two synced 46-byte commits.
  std::unique_ptr<SegmentWriter> CreateWithTwoCommitsAndPreallocatedZeros() {
    SegmentWriterOptions options;
    options.preallocate_bytes = 1000;
    auto w = Create(0, options);
    EXPECT_TRUE(w->Append(1, Records(20, 1)).ok());
    EXPECT_TRUE(w->Append(1, Records(20, 2)).ok());
    EXPECT_TRUE(w->Sync().ok());
    return w;
  }
  std::unique_ptr<SegmentReader> OpenReader(uint64_t offset) {
    auto r = SegmentReader::Open(fs_, JoinPath(kDir, SegmentFileName(offset)));
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? std::move(r).value() : nullptr;
  }
  std::string Path(uint64_t offset) { return JoinPath(kDir, SegmentFileName(offset)); }

  MemoryFileSystem fs_;
};

TEST(SegmentNames, AreTwentyDigitOffsets) {
  EXPECT_EQ(SegmentFileName(0), "00000000000000000000.stdb.log");
  EXPECT_EQ(SegmentFileName(42), "00000000000000000042.stdb.log");
  EXPECT_EQ(OffsetIndexFileName(UINT64_MAX), "18446744073709551615.stdb.ofs");
  EXPECT_EQ(ParseSegmentFileName("00000000000000000042.stdb.log"), 42u);
  EXPECT_EQ(ParseSegmentFileName("18446744073709551615.stdb.log"), UINT64_MAX);
  EXPECT_FALSE(ParseSegmentFileName("18446744073709551616.stdb.log"));  // overflows
  EXPECT_FALSE(ParseSegmentFileName("0000000000000000042.stdb.log"));   // 19 digits
  EXPECT_FALSE(ParseSegmentFileName("00000000000000000042.stdb.ofs"));
  EXPECT_FALSE(ParseSegmentFileName("0000000000000000004x.stdb.log"));
  EXPECT_FALSE(ParseSegmentFileName("00000000000000000042.stdb.log.compress-tmp"));
}

TEST(SegmentHeaderFormat, GoldenBytesAndChecks) {
  uint8_t raw[format::kSegmentHeaderSize];
  EncodeSegmentHeader(SegmentHeader{}, raw);
  EXPECT_EQ(sats::Bytes(raw, raw + 10), sats::Bytes({0x28, 0x64, 0x73, 0x29, 0x5e, 0x32, 0x01, 0x00, 0x00, 0x00}));
  EXPECT_TRUE(DecodeSegmentHeader(sats::ByteSpan(raw, 10), "f").ok());
  raw[6] = 0;  // version 0 is readable
  EXPECT_EQ(DecodeSegmentHeader(sats::ByteSpan(raw, 10), "f")->log_format_version, 0);
  raw[6] = 2;
  auto newer = DecodeSegmentHeader(sats::ByteSpan(raw, 10), "seg.log");
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.error().code(), ErrorCode::kUnsupported);
  EXPECT_NE(newer.error().message().find("seg.log"), std::string::npos);
  raw[6] = 1;
  raw[7] = 1;
  EXPECT_EQ(DecodeSegmentHeader(sats::ByteSpan(raw, 10), "f").error().code(), ErrorCode::kUnsupported);
  raw[7] = 0;
  raw[0] = 'X';
  EXPECT_EQ(DecodeSegmentHeader(sats::ByteSpan(raw, 10), "f").error().code(), ErrorCode::kCorruption);
  EXPECT_EQ(DecodeSegmentHeader(sats::ByteSpan(raw, 4), "f").error().code(), ErrorCode::kCorruption);
}

TEST(CommitFormat, GoldenLayoutV1) {
  sats::Bytes out;
  sats::Bytes records = {0x20, 0x00, 0x00, 0x00};
  uint32_t crc = EncodeCommit(1, 0x0102030405060708ull, 3, 1, records, out);
  sats::Bytes expected = {0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,  // min_tx_offset
                          0x03, 0, 0, 0, 0, 0, 0, 0,                         // epoch
                          0x01, 0x00,                                        // n
                          0x04, 0x00, 0x00, 0x00,                            // len
                          0x20, 0x00, 0x00, 0x00};                           // records
  uint32_t expected_crc = crc32c::Value(expected);
  EXPECT_EQ(crc, expected_crc);
  for (int i = 0; i < 4; ++i) expected.push_back(uint8_t(expected_crc >> (8 * i)));
  EXPECT_EQ(out, expected);
  EXPECT_EQ(out.size(), EncodedCommitSize(1, records.size()));
  EXPECT_EQ(format::kCommitFramingSizeV1, 26u);

  sats::Bytes v0;
  EncodeCommit(0, 7, 99, 1, records, v0);
  EXPECT_EQ(v0.size(), 14u + 4u + 4u);  // no epoch field
}

TEST_F(SegmentTest, CreateWritesHeaderDurably) {
  auto w = Create(5);
  EXPECT_EQ(w->size(), 10u);
  EXPECT_TRUE(w->empty());
  EXPECT_EQ(w->next_tx_offset(), 5u);
  fs_.SimulatePowerLoss();
  auto raw = fs_.Contents(Path(5));
  ASSERT_TRUE(raw.ok()) << "segment creation was not durable";
  EXPECT_EQ(raw->size(), 10u);
  EXPECT_EQ(SegmentWriter::Create(fs_, kDir, 5, 0, {}).error().code(), ErrorCode::kAlreadyExists);
}

TEST_F(SegmentTest, WriteThenReadBackWithEveryBufferSize) {
  for (size_t buffer : {size_t(1), size_t(40), size_t(100), size_t(1 << 17)}) {
    MemoryFileSystem fs;
    ASSERT_TRUE(fs.CreateDirs(kDir).ok());
    SegmentWriterOptions options;
    options.write_buffer_size = buffer;
    auto w = std::move(SegmentWriter::Create(fs, kDir, 100, 7, options)).value();
    uint64_t expected_size = 10;
    for (int i = 0; i < 50; ++i) {
      sats::Bytes records = Records(1 + i, static_cast<uint8_t>(i));
      auto written = w->Append(i % 3 == 0 ? 2 : 1, records);
      ASSERT_TRUE(written.ok());
      EXPECT_EQ(written->byte_position, expected_size);
      expected_size += 26 + records.size();
      EXPECT_EQ(w->size(), expected_size);
    }
    ASSERT_TRUE(w->Sync().ok());
    EXPECT_EQ(w->synced_tx_offset(), w->next_tx_offset());
    auto r = std::move(SegmentReader::Open(fs, JoinPath(kDir, SegmentFileName(100)))).value();
    EXPECT_EQ(r->size(), expected_size);
    uint64_t next = 100;
    for (int i = 0; i < 50; ++i) {
      ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit) << i;
      const Commit& c = r->commit();
      EXPECT_EQ(c.min_tx_offset, next);
      EXPECT_EQ(c.epoch, 7u);
      EXPECT_EQ(c.n, i % 3 == 0 ? 2 : 1);
      EXPECT_EQ(c.records, Records(1 + i, static_cast<uint8_t>(i)));
      next = c.next_tx_offset();
    }
    EXPECT_EQ(*r->Next(), SegmentReader::Outcome::kEnd);
  }
}

TEST_F(SegmentTest, UnflushedCommitsAreNotInTheFile) {
  auto w = Create(0);
  ASSERT_TRUE(w->Append(1, Records(10, 1)).ok());
  EXPECT_EQ(fs_.Contents(Path(0))->size(), 10u);  // still in the write buffer
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(fs_.Contents(Path(0))->size(), 10u + 36u);
}

TEST_F(SegmentTest, AppendRejectsEmptyCommits) {
  auto w = Create(0);
  EXPECT_EQ(w->Append(0, Records(3, 0)).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(w->failure().has_value());
}

TEST_F(SegmentTest, ReaderReportsEachKindOfDamage) {
  auto w = Create(0);
  ASSERT_TRUE(w->Append(1, Records(20, 1)).ok());
  ASSERT_TRUE(w->Append(1, Records(20, 2)).ok());
  ASSERT_TRUE(w->Sync().ok());
  const sats::Bytes good = *fs_.Contents(Path(0));
  const uint64_t second = 10 + 46;

  auto damage_of = [&](sats::Bytes bytes) {
    EXPECT_TRUE(fs_.SetDurableContents(Path(0), bytes).ok());
    auto r = OpenReader(0);
    EXPECT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
    EXPECT_EQ(*r->Next(), SegmentReader::Outcome::kDamaged);
    EXPECT_EQ(r->damage().byte_position, second);
    EXPECT_EQ(r->position(), second);
    EXPECT_NE(r->damage().reason.find(Path(0)), std::string::npos) << r->damage().reason;
    EXPECT_NE(r->damage().reason.find("byte 56"), std::string::npos) << r->damage().reason;
    return r->damage().kind;
  };
  sats::Bytes cut = good;
  cut.resize(good.size() - 1);
  EXPECT_EQ(damage_of(cut), SegmentDamage::Kind::kIncomplete);
  cut.resize(second + 5);
  EXPECT_EQ(damage_of(cut), SegmentDamage::Kind::kIncomplete);
  sats::Bytes flipped = good;
  flipped[second + 30] ^= 0x10;
  EXPECT_EQ(damage_of(flipped), SegmentDamage::Kind::kChecksumMismatch);
  sats::Bytes zeroed = good;
  std::fill(zeroed.begin() + second, zeroed.end() - 1, 0);  // the last byte stays: not preallocated space
  EXPECT_EQ(damage_of(zeroed), SegmentDamage::Kind::kZeroed);
  sats::Bytes no_records = good;
  no_records[second + 16] = 0;  // n = 0
  no_records[second + 17] = 0;
  EXPECT_EQ(damage_of(no_records), SegmentDamage::Kind::kMalformed);
  sats::Bytes huge_len = good;
  huge_len[second + 21] = 0xFF;  // len ~ 4 GiB: must not allocate it
  EXPECT_EQ(damage_of(huge_len), SegmentDamage::Kind::kIncomplete);
}

TEST_F(SegmentTest, PreallocatedZerosAreWrittenAheadAndReadAsTheEnd) {
  auto w = CreateWithTwoCommitsAndPreallocatedZeros();
  const uint64_t data_end = 10 + 2 * 46;
  EXPECT_EQ(w->size(), data_end);
  EXPECT_EQ(fs_.Contents(Path(0))->size(), data_end + 1000);  // zeros ahead of the data
  // Writes inside the preallocated space do not grow the file.
  ASSERT_TRUE(w->Append(1, Records(20, 3)).ok());
  ASSERT_TRUE(w->Sync().ok());
  EXPECT_EQ(fs_.Contents(Path(0))->size(), data_end + 1000);

  auto r = OpenReader(0);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
  EXPECT_EQ(*r->Next(), SegmentReader::Outcome::kEnd);  // not damage
  EXPECT_EQ(r->position(), data_end + 46);

  // Trim (segment sealed, log closed) leaves exactly the data.
  ASSERT_TRUE(w->Trim().ok());
  EXPECT_EQ(fs_.Contents(Path(0))->size(), data_end + 46);
  // A write past the allocated space allocates again.
  ASSERT_TRUE(w->Append(1, Records(20, 4)).ok());
  ASSERT_TRUE(w->Sync().ok());
  EXPECT_EQ(fs_.Contents(Path(0))->size(), data_end + 2 * 46 + 1000);
}

TEST_F(SegmentTest, ABitFlipInTheLastCommitBeforePreallocatedZerosIsNotATornWrite) {
  auto w = CreateWithTwoCommitsAndPreallocatedZeros();
  const uint64_t second = 10 + 46;
  const sats::Bytes good = *fs_.Contents(Path(0));

  sats::Bytes flipped = good;
  flipped[second + 30] ^= 0x10;  // the checksum is still there: stored data changed
  ASSERT_TRUE(fs_.SetDurableContents(Path(0), flipped).ok());
  auto r = OpenReader(0);
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kDamaged);
  EXPECT_EQ(r->damage().kind, SegmentDamage::Kind::kChecksumMismatch);
  EXPECT_FALSE(*r->EndsInZeros(second));

  sats::Bytes torn = good;
  std::fill(torn.begin() + second + 30, torn.begin() + second + 46, 0);  // the commit's end never written
  ASSERT_TRUE(fs_.SetDurableContents(Path(0), torn).ok());
  r = OpenReader(0);
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kDamaged);
  EXPECT_TRUE(*r->EndsInZeros(second));
}

TEST_F(SegmentTest, FindValidCommitAfterTellsCorruptionFromTornTails) {
  auto w = Create(0);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(w->Append(1, Records(30, static_cast<uint8_t>(i))).ok());
  ASSERT_TRUE(w->Sync().ok());
  sats::Bytes bytes = *fs_.Contents(Path(0));
  const uint64_t commit = 56;  // each commit is 26 + 30 bytes
  bytes[10 + commit + 40] ^= 1;  // damage the second commit
  ASSERT_TRUE(fs_.SetDurableContents(Path(0), bytes).ok());
  auto r = OpenReader(0);
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kDamaged);
  auto next_good = r->FindValidCommitAfter(r->damage().byte_position, 1);
  ASSERT_TRUE(next_good.ok());
  EXPECT_EQ(*next_good, std::optional<uint64_t>(10 + 2 * commit));
  // Asking for offsets beyond all the commits finds nothing.
  EXPECT_EQ(*r->FindValidCommitAfter(r->damage().byte_position, 100), std::nullopt);
}

TEST_F(SegmentTest, SeekToIndexedCommitChecksTheTarget) {
  auto w = Create(0);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(w->Append(1, Records(30, static_cast<uint8_t>(i))).ok());
  ASSERT_TRUE(w->Sync().ok());
  auto r = OpenReader(0);
  EXPECT_FALSE(*r->SeekToIndexedCommit({3, 10 + 56 * 2}));  // that position holds offset 2
  EXPECT_FALSE(*r->SeekToIndexedCommit({3, 11}));           // not a commit boundary
  EXPECT_FALSE(*r->SeekToIndexedCommit({3, 100000}));       // past the end
  EXPECT_EQ(r->position(), 10u);
  EXPECT_TRUE(*r->SeekToIndexedCommit({3, 10 + 56 * 3}));
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
  EXPECT_EQ(r->commit().min_tx_offset, 3u);
}

TEST_F(SegmentTest, VersionZeroSegmentsAreReadable) {
  sats::Bytes bytes = {0x28, 0x64, 0x73, 0x29, 0x5e, 0x32, 0x00, 0x00, 0x00, 0x00};
  EncodeCommit(0, 0, 0, 1, Records(5, 9), bytes);
  EncodeCommit(0, 1, 0, 1, Records(6, 8), bytes);
  ASSERT_TRUE(fs_.SetDurableContents(Path(0), bytes).ok());
  auto r = OpenReader(0);
  EXPECT_EQ(r->header().log_format_version, 0);
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
  EXPECT_EQ(r->commit().records, Records(5, 9));
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
  EXPECT_EQ(r->commit().min_tx_offset, 1u);
  EXPECT_EQ(*r->Next(), SegmentReader::Outcome::kEnd);
}

TEST_F(SegmentTest, OpenRejectsBadHeadersNamingTheFile) {
  ASSERT_TRUE(fs_.SetDurableContents(Path(0), {'n', 'o', 'p', 'e', 0, 0, 0, 0, 0, 0, 1}).ok());
  auto r = SegmentReader::Open(fs_, Path(0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(r.error().message().find(Path(0)), std::string::npos);
  ASSERT_TRUE(fs_.SetDurableContents(Path(0), {0x28, 0x64}).ok());
  EXPECT_FALSE(SegmentReader::Open(fs_, Path(0)).ok());
}

TEST_F(SegmentTest, ResumeCutsTheTornTailAndContinues) {
  auto w = Create(0);
  ASSERT_TRUE(w->Append(1, Records(10, 1)).ok());
  ASSERT_TRUE(w->Sync().ok());
  uint64_t good = w->size();
  ASSERT_TRUE(w->Append(1, Records(10, 2)).ok());
  ASSERT_TRUE(w->Flush().ok());
  w.reset();
  sats::Bytes bytes = *fs_.Contents(Path(0));
  bytes.resize(bytes.size() - 3);
  ASSERT_TRUE(fs_.SetDurableContents(Path(0), bytes).ok());
  auto resumed = SegmentWriter::Resume(fs_, kDir, 0, 1, good, 0, {});
  ASSERT_TRUE(resumed.ok()) << resumed.error().message();
  EXPECT_EQ(fs_.Contents(Path(0))->size(), good);
  ASSERT_TRUE((*resumed)->Append(1, Records(4, 3)).ok());
  ASSERT_TRUE((*resumed)->Sync().ok());
  auto r = OpenReader(0);
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
  ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit);
  EXPECT_EQ(r->commit().min_tx_offset, 1u);
  EXPECT_EQ(r->commit().records, Records(4, 3));
  EXPECT_EQ(*r->Next(), SegmentReader::Outcome::kEnd);
}

TEST_F(SegmentTest, ListSegmentsIgnoresOtherFiles) {
  Create(0);
  Create(300);
  Create(20);
  ASSERT_TRUE(fs_.SetDurableContents(JoinPath(kDir, "notes.txt"), {}).ok());
  EXPECT_EQ(*ListSegments(fs_, kDir), std::vector<uint64_t>({0, 20, 300}));
}

}  // namespace
}  // namespace stdb::durability
