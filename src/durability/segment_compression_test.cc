#include "durability/segment_compression.h"

#include <gtest/gtest.h>

#include <random>

#include "durability/segment.h"
#include "durability/testing/memory_file_system.h"

namespace stdb::durability {
namespace {

using testing::MemoryFileSystem;

constexpr const char* kDir = "/clog";

uint32_t LoadU32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }

class SegmentCompressionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs_.CreateDirs(kDir).ok());
    auto w = std::move(SegmentWriter::Create(fs_, kDir, 0, 0, {})).value();
    std::mt19937_64 rng(5);
    for (int i = 0; i < 400; ++i) {
      // Compressible but not trivial records of varying size, so frames and commits straddle each other.
      sats::Bytes records(20 + rng() % 200);
      for (size_t j = 0; j < records.size(); ++j) records[j] = static_cast<uint8_t>((j % 7 == 0) ? rng() : j);
      ASSERT_TRUE(w->Append(1, records).ok());
      records_.push_back(records);
    }
    ASSERT_TRUE(w->Sync().ok());
    original_ = *fs_.Contents(path_);
  }

  std::string path_ = JoinPath(kDir, SegmentFileName(0));
  MemoryFileSystem fs_;
  std::vector<sats::Bytes> records_;
  sats::Bytes original_;
};

TEST_F(SegmentCompressionTest, CompressedSegmentReadsLikeTheOriginal) {
  auto stats = CompressSegmentFile(fs_, path_);
  ASSERT_TRUE(stats.ok()) << stats.error().message();
  EXPECT_EQ(stats->bytes_read, original_.size());
  sats::Bytes compressed = *fs_.Contents(path_);
  EXPECT_EQ(stats->bytes_written, compressed.size());
  EXPECT_LT(compressed.size(), original_.size());
  EXPECT_TRUE(StartsWithZstdMagic(compressed));

  auto r = std::move(SegmentReader::Open(fs_, path_)).value();
  EXPECT_TRUE(r->compressed());
  EXPECT_EQ(r->size(), original_.size());
  for (size_t i = 0; i < records_.size(); ++i) {
    ASSERT_EQ(*r->Next(), SegmentReader::Outcome::kCommit) << i;
    EXPECT_EQ(r->commit().min_tx_offset, i);
    EXPECT_EQ(r->commit().records, records_[i]);
  }
  EXPECT_EQ(*r->Next(), SegmentReader::Outcome::kEnd);
  // Offset-index positions refer to uncompressed bytes and still work.
  uint64_t pos = 10;
  for (size_t i = 0; i < 100; ++i) pos += 26 + records_[i].size();
  EXPECT_TRUE(*r->SeekToIndexedCommit({100, pos}));
}

TEST_F(SegmentCompressionTest, WritesTheSeekableFormatWithFourKiBFrames) {
  ASSERT_TRUE(CompressSegmentFile(fs_, path_).ok());
  sats::Bytes c = *fs_.Contents(path_);
  ASSERT_GE(c.size(), 9u);
  const uint8_t* footer = c.data() + c.size() - 9;
  EXPECT_EQ(LoadU32(footer + 5), format::kZstdSeekableFooterMagic);
  EXPECT_EQ(footer[4], 0);  // no per-frame checksums
  uint32_t frames = LoadU32(footer);
  EXPECT_EQ(frames, (original_.size() + 4095) / 4096);
  size_t table_size = frames * 8 + 9;
  const uint8_t* skippable = c.data() + c.size() - table_size - 8;
  EXPECT_EQ(LoadU32(skippable), format::kZstdSkippableSeekTableMagic);
  EXPECT_EQ(LoadU32(skippable + 4), table_size);
  uint64_t compressed_total = 0, decompressed_total = 0;
  for (uint32_t i = 0; i < frames; ++i) {
    uint32_t csize = LoadU32(skippable + 8 + i * 8);
    uint32_t dsize = LoadU32(skippable + 12 + i * 8);
    EXPECT_LE(dsize, 4096u);
    // Each frame starts with the zstd magic at the position the table implies.
    EXPECT_TRUE(StartsWithZstdMagic(sats::ByteSpan(c.data() + compressed_total, 4))) << i;
    compressed_total += csize;
    decompressed_total += dsize;
  }
  EXPECT_EQ(decompressed_total, original_.size());
  EXPECT_EQ(compressed_total + 8 + table_size, c.size());
}

TEST_F(SegmentCompressionTest, CompressionIsCrashSafe) {
  ASSERT_TRUE(CompressSegmentFile(fs_, path_).ok());
  fs_.SimulatePowerLoss();
  EXPECT_TRUE(StartsWithZstdMagic(*fs_.Contents(path_)));
  EXPECT_FALSE(*fs_.Exists(path_ + std::string(kCompressTempSuffix)));
}

TEST_F(SegmentCompressionTest, RefusesToCompressTwiceOrForeignFiles) {
  ASSERT_TRUE(CompressSegmentFile(fs_, path_).ok());
  EXPECT_EQ(CompressSegmentFile(fs_, path_).error().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(fs_.SetDurableContents("/clog/other", {1, 2, 3}).ok());
  EXPECT_EQ(CompressSegmentFile(fs_, "/clog/other").error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SegmentCompressionTest, DamagedCompressedDataIsAnErrorNamingTheFile) {
  ASSERT_TRUE(CompressSegmentFile(fs_, path_).ok());
  sats::Bytes c = *fs_.Contents(path_);
  sats::Bytes truncated(c.begin(), c.begin() + static_cast<ptrdiff_t>(c.size() / 2));
  ASSERT_TRUE(fs_.SetDurableContents(path_, truncated).ok());
  auto r = SegmentReader::Open(fs_, path_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(r.error().message().find(path_), std::string::npos);

  sats::Bytes garbled = c;
  for (size_t i = 20; i < 60; ++i) garbled[i] ^= 0x5A;
  ASSERT_TRUE(fs_.SetDurableContents(path_, garbled).ok());
  auto g = SegmentReader::Open(fs_, path_);
  if (g.ok()) {
    // zstd frames carry no checksum here, so garbling may inflate to wrong bytes: the commit CRCs catch it.
    SegmentReader& reader = **g;
    bool damaged = false;
    for (;;) {
      auto outcome = reader.Next();
      ASSERT_TRUE(outcome.ok());
      if (*outcome == SegmentReader::Outcome::kDamaged) damaged = true;
      if (*outcome != SegmentReader::Outcome::kCommit) break;
    }
    EXPECT_TRUE(damaged);
  } else {
    EXPECT_EQ(g.error().code(), ErrorCode::kCorruption);
    EXPECT_NE(g.error().message().find(path_), std::string::npos);
  }
}

TEST_F(SegmentCompressionTest, DecompressionHonoursTheSizeLimit) {
  ASSERT_TRUE(CompressSegmentFile(fs_, path_).ok());
  SegmentReaderOptions small;
  small.max_decompressed_size = original_.size() - 1;
  auto r = SegmentReader::Open(fs_, path_, small);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("more than"), std::string::npos);
  small.max_decompressed_size = original_.size();
  EXPECT_TRUE(SegmentReader::Open(fs_, path_, small).ok());
}

TEST(ZstdSeekable, InMemoryRoundTripThroughTheFileDecoder) {
  MemoryFileSystem fs;
  ASSERT_TRUE(fs.CreateDirs("/x").ok());
  sats::Bytes data(10000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * i);
  ASSERT_TRUE(fs.SetDurableContents("/x/z", CompressZstdSeekable(data, 1000, 3)).ok());
  auto file = std::move(fs.OpenReadable("/x/z")).value();
  auto out = DecompressZstdFile(*file, 1 << 20);
  ASSERT_TRUE(out.ok()) << out.error().message();
  EXPECT_EQ(*out, data);
  // Empty input gives an empty stream (just the seek table).
  ASSERT_TRUE(fs.SetDurableContents("/x/e", CompressZstdSeekable({}, 1000, 3)).ok());
  auto empty = std::move(fs.OpenReadable("/x/e")).value();
  EXPECT_TRUE(DecompressZstdFile(*empty, 10)->empty());
}

}  // namespace
}  // namespace stdb::durability
