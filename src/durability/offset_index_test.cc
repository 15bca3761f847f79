#include "durability/offset_index.h"

#include <gtest/gtest.h>

#include <random>

#include "durability/testing/memory_file_system.h"

namespace stdb::durability {
namespace {

using testing::MemoryFileSystem;

class OffsetIndexTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fs_.CreateDirs("/clog").ok()); }
  std::unique_ptr<OffsetIndexWriter> Open(uint64_t capacity, uint64_t interval, bool require_fsync) {
    auto w = OffsetIndexWriter::Open(fs_, kPath, OffsetIndexOptions{capacity, interval, require_fsync});
    EXPECT_TRUE(w.ok()) << w.error().message();
    return w.ok() ? std::move(w).value() : nullptr;
  }
  std::vector<OffsetIndexEntry> Read() {
    auto entries = ReadOffsetIndex(fs_, kPath);
    EXPECT_TRUE(entries.ok()) << entries.error().message();
    return entries.ok() ? *entries : std::vector<OffsetIndexEntry>{};
  }
  static constexpr const char* kPath = "/clog/00000000000000000000.stdb.ofs";
  MemoryFileSystem fs_;
};

TEST_F(OffsetIndexTest, FileIsPreallocatedAndEntriesAreLittleEndianPairs) {
  auto w = Open(8, 1, false);
  ASSERT_TRUE(w->Append(0x0102, 0x0A0B).ok());
  sats::Bytes raw = *fs_.Contents(kPath);
  ASSERT_EQ(raw.size(), 8u * 16u);
  sats::Bytes first(raw.begin(), raw.begin() + 16);
  EXPECT_EQ(first, sats::Bytes({0x02, 0x01, 0, 0, 0, 0, 0, 0, 0x0B, 0x0A, 0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(std::all_of(raw.begin() + 16, raw.end(), [](uint8_t b) { return b == 0; }));
}

TEST_F(OffsetIndexTest, EntriesFollowTheIntervalRuleAndSkipOffsetZero) {
  // Commits of 1000 bytes, interval 4096, entries as soon as due (not waiting for fsync).
  auto w = Open(64, 4096, false);
  uint64_t pos = 10;
  for (uint64_t offset = 0; offset < 20; ++offset) {
    ASSERT_TRUE(w->OnCommit(offset, pos, 1000).ok());
    pos += 1000;
  }
  // The first candidate is offset 1 (offset 0 cannot be a key); it is written once 5 commits (offsets 0..4)
  // total 5000 >= 4096 bytes. The next candidate is 5, written after offsets 5..9, and so on.
  std::vector<OffsetIndexEntry> expected = {{1, 1010}, {5, 5010}, {10, 10010}, {15, 15010}};
  EXPECT_EQ(w->entries(), expected);
  EXPECT_EQ(Read(), expected);
}

TEST_F(OffsetIndexTest, RequiringFsyncDefersEntriesToSync) {
  auto w = Open(64, 100, true);
  ASSERT_TRUE(w->OnCommit(1, 10, 60).ok());
  ASSERT_TRUE(w->OnCommit(2, 70, 60).ok());
  EXPECT_TRUE(w->entries().empty());
  ASSERT_TRUE(w->OnSegmentSynced().ok());
  EXPECT_EQ(w->entries(), std::vector<OffsetIndexEntry>({{1, 10}}));
  ASSERT_TRUE(w->OnSegmentSynced().ok());  // nothing new
  EXPECT_EQ(w->entries().size(), 1u);
}

TEST_F(OffsetIndexTest, FloorLookup) {
  std::vector<OffsetIndexEntry> e = {{5, 100}, {10, 200}, {20, 400}};
  EXPECT_FALSE(FloorEntry(e, 4).has_value());
  EXPECT_EQ(FloorEntry(e, 5)->byte_position, 100u);
  EXPECT_EQ(FloorEntry(e, 9)->byte_position, 100u);
  EXPECT_EQ(FloorEntry(e, 10)->byte_position, 200u);
  EXPECT_EQ(FloorEntry(e, 1000)->byte_position, 400u);
  EXPECT_FALSE(FloorEntry({}, 7).has_value());
}

TEST_F(OffsetIndexTest, AppendEnforcesOrderAndCapacity) {
  auto w = Open(2, 1, false);
  EXPECT_EQ(w->Append(0, 10).error().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(w->Append(3, 10).ok());
  EXPECT_EQ(w->Append(3, 20).error().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(w->Append(4, 20).ok());
  EXPECT_EQ(w->Append(5, 30).error().code(), ErrorCode::kResourceExhausted);
}

TEST_F(OffsetIndexTest, TruncateFromRemovesKeysAtAndAfter) {
  auto w = Open(16, 1, false);
  for (uint64_t k = 1; k <= 5; ++k) ASSERT_TRUE(w->Append(k * 10, k * 100).ok());
  ASSERT_TRUE(w->TruncateFrom(30).ok());
  std::vector<OffsetIndexEntry> expected = {{10, 100}, {20, 200}};
  EXPECT_EQ(Read(), expected);
  ASSERT_TRUE(w->Append(25, 250).ok());  // appends continue after the cut
  expected.push_back({25, 250});
  EXPECT_EQ(Read(), expected);
}

TEST_F(OffsetIndexTest, ReopeningKeepsEntriesAndContinues) {
  {
    auto w = Open(16, 1, false);
    ASSERT_TRUE(w->Append(7, 70).ok());
  }
  auto w = Open(16, 1, false);
  EXPECT_EQ(w->entries(), std::vector<OffsetIndexEntry>({{7, 70}}));
  EXPECT_EQ(w->Append(7, 80).error().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(w->Append(8, 80).ok());
  EXPECT_EQ(Read().size(), 2u);
}

TEST_F(OffsetIndexTest, ReadersTakeTheValidPrefixOfGarbage) {
  auto put = [](sats::Bytes& raw, size_t slot, uint64_t key, uint64_t pos) {
    for (int i = 0; i < 8; ++i) {
      raw[slot * 16 + i] = uint8_t(key >> (8 * i));
      raw[slot * 16 + 8 + i] = uint8_t(pos >> (8 * i));
    }
  };
  sats::Bytes raw(16 * 6, 0);
  put(raw, 0, 5, 100);
  put(raw, 1, 9, 300);
  put(raw, 2, 8, 400);  // key goes backwards: the rest is not trusted
  put(raw, 3, 50, 900);
  ASSERT_TRUE(fs_.SetDurableContents(kPath, raw).ok());
  EXPECT_EQ(Read(), std::vector<OffsetIndexEntry>({{5, 100}, {9, 300}}));
  // A position inside the segment header is impossible.
  put(raw, 0, 5, 3);
  ASSERT_TRUE(fs_.SetDurableContents(kPath, raw).ok());
  EXPECT_TRUE(Read().empty());
  // A ragged file (not a multiple of 16 bytes) and pure noise do not crash.
  raw.resize(37);
  ASSERT_TRUE(fs_.SetDurableContents(kPath, raw).ok());
  (void)Read();
  std::mt19937_64 rng(1);
  for (int round = 0; round < 50; ++round) {
    sats::Bytes noise(rng() % 400);
    for (auto& b : noise) b = static_cast<uint8_t>(rng());
    ASSERT_TRUE(fs_.SetDurableContents(kPath, noise).ok());
    auto entries = Read();
    for (size_t i = 1; i < entries.size(); ++i) EXPECT_GT(entries[i].tx_offset, entries[i - 1].tx_offset);
  }
}

TEST_F(OffsetIndexTest, WriterClearsGarbageAfterTheValidPrefix) {
  sats::Bytes raw(16 * 4, 0);
  raw[0] = 5; raw[8] = 100;  // valid {5, 100}
  raw[16] = 3; raw[24] = 50; // invalid: key goes backwards
  raw[32] = 90; raw[40] = 200;
  ASSERT_TRUE(fs_.SetDurableContents(kPath, raw).ok());
  auto w = Open(4, 1, false);
  EXPECT_EQ(w->entries(), std::vector<OffsetIndexEntry>({{5, 100}}));
  ASSERT_TRUE(w->Append(6, 150).ok());
  // Without clearing, the stale {90, 200} would now look like a third entry.
  EXPECT_EQ(Read(), std::vector<OffsetIndexEntry>({{5, 100}, {6, 150}}));
}

TEST_F(OffsetIndexTest, MissingIndexIsNotFound) {
  EXPECT_EQ(ReadOffsetIndex(fs_, "/clog/nope.stdb.ofs").error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace stdb::durability
