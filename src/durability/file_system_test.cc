#include "durability/file_system.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>

#include "durability/testing/fault_injection_file_system.h"
#include "durability/testing/memory_file_system.h"

namespace stdb::durability {
namespace {

using testing::FaultInjectionFileSystem;
using testing::FaultOp;
using testing::MemoryFileSystem;

sats::Bytes B(std::string_view s) { return sats::Bytes(s.begin(), s.end()); }

std::string MakeTempDir() {
  std::string tmpl = std::filesystem::temp_directory_path().string() + "/stdb_fs_test_XXXXXX";
  char* made = ::mkdtemp(tmpl.data());
  EXPECT_NE(made, nullptr);
  return tmpl;
}

sats::Bytes ReadAll(FileSystem& fs, const std::string& path) {
  auto data = ReadWholeFile(fs, path);
  EXPECT_TRUE(data.ok()) << data.error().message();
  return data.ok() ? *data : sats::Bytes{};
}

// The behaviour every FileSystem must share, run against the real one and the in-memory one.
void ExerciseContract(FileSystem& fs, const std::string& root) {
  std::string dir = JoinPath(root, "a/b");
  ASSERT_TRUE(fs.CreateDirs(dir).ok());
  ASSERT_TRUE(fs.CreateDirs(dir).ok());  // idempotent
  std::string path = JoinPath(dir, "f");
  EXPECT_EQ(fs.OpenReadable(path).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(fs.OpenWritable(path, OpenMode::kOpenExisting).error().code(), ErrorCode::kNotFound);
  {
    auto f = fs.OpenWritable(path, OpenMode::kCreateNew);
    ASSERT_TRUE(f.ok()) << f.error().message();
    ASSERT_TRUE((*f)->WriteAt(0, B("hello")).ok());
    ASSERT_TRUE((*f)->WriteAt(8, B("xy")).ok());  // leaves a hole of zeros
    EXPECT_EQ(*(*f)->Size(), 10u);
    ASSERT_TRUE((*f)->Sync().ok());
    uint8_t buf[4];
    EXPECT_EQ(*(*f)->ReadAt(1, std::span<uint8_t>(buf, 4)), 4u);
    EXPECT_EQ(sats::Bytes(buf, buf + 4), B("ello"));
  }
  EXPECT_EQ(ReadAll(fs, path), sats::Bytes({'h', 'e', 'l', 'l', 'o', 0, 0, 0, 'x', 'y'}));
  auto again = fs.OpenWritable(path, OpenMode::kCreateNew);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message().find(path), std::string::npos);
  {
    auto f = fs.OpenWritable(path, OpenMode::kCreateOrOpen);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Truncate(3).ok());
  }
  EXPECT_EQ(ReadAll(fs, path), B("hel"));
  {
    auto r = fs.OpenReadable(path);
    ASSERT_TRUE(r.ok());
    uint8_t buf[10];
    EXPECT_EQ(*(*r)->ReadAt(1, std::span<uint8_t>(buf, 10)), 2u);  // short only at end of file
    EXPECT_EQ(*(*r)->ReadAt(50, std::span<uint8_t>(buf, 10)), 0u);
  }
  ASSERT_TRUE(fs.Rename(path, JoinPath(dir, "g")).ok());
  EXPECT_FALSE(*fs.Exists(path));
  EXPECT_TRUE(*fs.Exists(JoinPath(dir, "g")));
  ASSERT_TRUE(fs.SyncDir(dir).ok());
  auto names = fs.ListDir(dir);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>({"g"}));
  {
    auto f = fs.OpenWritable(JoinPath(dir, "g"), OpenMode::kCreateOrTruncate);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(*(*f)->Size(), 0u);
  }
  ASSERT_TRUE(fs.Remove(JoinPath(dir, "g")).ok());
  EXPECT_EQ(fs.Remove(JoinPath(dir, "g")).error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(fs.ListDir(dir)->empty());
  EXPECT_EQ(fs.ListDir(JoinPath(root, "missing")).error().code(), ErrorCode::kNotFound);
}

TEST(FileSystem, PosixHonoursTheContract) {
  std::string root = MakeTempDir();
  ExerciseContract(FileSystem::Posix(), root);
  std::filesystem::remove_all(root);
}

TEST(FileSystem, MemoryHonoursTheContract) {
  MemoryFileSystem fs;
  ExerciseContract(fs, "/root");
}

TEST(FileSystem, PathHelpers) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(ParentDir("/x/y/z"), "/x/y");
  EXPECT_EQ(ParentDir("/x"), "/");
  EXPECT_EQ(ParentDir("x"), ".");
  EXPECT_EQ(ParentDir("/x/y/"), "/x");
}

TEST(MemoryFileSystem, PowerLossDropsUnsyncedBytes) {
  MemoryFileSystem fs;
  ASSERT_TRUE(fs.CreateDirs("/d").ok());
  auto f = std::move(fs.OpenWritable("/d/f", OpenMode::kCreateNew)).value();
  ASSERT_TRUE(fs.SyncDir("/d").ok());
  ASSERT_TRUE(f->WriteAt(0, B("durable")).ok());
  ASSERT_TRUE(f->Sync().ok());
  ASSERT_TRUE(f->WriteAt(7, B(" and lost")).ok());
  EXPECT_EQ(fs.UnsyncedBytes(), 9u);
  fs.SimulatePowerLoss();
  EXPECT_EQ(*fs.Contents("/d/f"), B("durable"));
  // Handles from before the crash are dead.
  EXPECT_FALSE(f->WriteAt(0, B("x")).ok());
  EXPECT_FALSE(f->Sync().ok());
}

TEST(MemoryFileSystem, PowerLossRevertsDirectoryChangesNotSynced) {
  MemoryFileSystem fs;
  ASSERT_TRUE(fs.CreateDirs("/d").ok());
  {
    auto kept = std::move(fs.OpenWritable("/d/kept", OpenMode::kCreateNew)).value();
    ASSERT_TRUE(kept->WriteAt(0, B("k")).ok());
    ASSERT_TRUE(kept->Sync().ok());
  }
  ASSERT_TRUE(fs.SyncDir("/d").ok());
  {
    auto created = std::move(fs.OpenWritable("/d/new", OpenMode::kCreateNew)).value();
    ASSERT_TRUE(created->WriteAt(0, B("n")).ok());
    ASSERT_TRUE(created->Sync().ok());  // the data is synced, the directory entry is not
  }
  ASSERT_TRUE(fs.Rename("/d/kept", "/d/renamed").ok());
  fs.SimulatePowerLoss();
  EXPECT_FALSE(*fs.Exists("/d/new"));
  EXPECT_FALSE(*fs.Exists("/d/renamed"));
  EXPECT_EQ(*fs.Contents("/d/kept"), B("k"));

  ASSERT_TRUE(fs.Remove("/d/kept").ok());
  fs.SimulatePowerLoss();
  EXPECT_EQ(*fs.Contents("/d/kept"), B("k"));  // the removal was never synced
  ASSERT_TRUE(fs.Remove("/d/kept").ok());
  ASSERT_TRUE(fs.SyncDir("/d").ok());
  fs.SimulatePowerLoss();
  EXPECT_FALSE(*fs.Exists("/d/kept"));
}

TEST(MemoryFileSystem, TornVariantsKeepAPrefixOrZeros) {
  for (auto mode : {MemoryFileSystem::UnsyncedData::kKeepRandomPrefix, MemoryFileSystem::UnsyncedData::kZeroFill}) {
    for (uint64_t seed = 0; seed < 20; ++seed) {
      MemoryFileSystem fs;
      ASSERT_TRUE(fs.CreateDirs("/d").ok());
      auto f = std::move(fs.OpenWritable("/d/f", OpenMode::kCreateNew)).value();
      ASSERT_TRUE(fs.SyncDir("/d").ok());
      ASSERT_TRUE(f->WriteAt(0, B("0123")).ok());
      ASSERT_TRUE(f->Sync().ok());
      ASSERT_TRUE(f->WriteAt(4, B("456789")).ok());
      fs.SimulatePowerLoss(mode, seed);
      sats::Bytes after = *fs.Contents("/d/f");
      ASSERT_GE(after.size(), 4u);
      EXPECT_EQ(sats::Bytes(after.begin(), after.begin() + 4), B("0123"));
      if (mode == MemoryFileSystem::UnsyncedData::kZeroFill) {
        EXPECT_EQ(after, sats::Bytes({'0', '1', '2', '3', 0, 0, 0, 0, 0, 0}));
      } else {
        sats::Bytes full = B("0123456789");
        ASSERT_LE(after.size(), full.size());
        EXPECT_TRUE(std::equal(after.begin(), after.end(), full.begin()));
      }
    }
  }
}

TEST(FaultInjection, FailsCallsAfterTheBudget) {
  MemoryFileSystem base;
  FaultInjectionFileSystem fs(base);
  ASSERT_TRUE(fs.CreateDirs("/d").ok());
  auto f = std::move(fs.OpenWritable("/d/f", OpenMode::kCreateNew)).value();
  fs.FailAfter(FaultOp::kSync, 1);
  EXPECT_TRUE(f->Sync().ok());
  Status failed = f->Sync();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::kIo);
  EXPECT_NE(failed.error().message().find("No space left on device"), std::string::npos) << failed.error().message();
  EXPECT_NE(failed.error().message().find("/d/f"), std::string::npos);
  EXPECT_FALSE(f->Sync().ok());  // stays failed
  EXPECT_EQ(fs.calls(FaultOp::kSync), 3u);
  fs.ClearFaults();
  EXPECT_TRUE(f->Sync().ok());
}

TEST(FaultInjection, ShortWriteThenEnospc) {
  MemoryFileSystem base;
  FaultInjectionFileSystem fs(base);
  ASSERT_TRUE(fs.CreateDirs("/d").ok());
  auto f = std::move(fs.OpenWritable("/d/f", OpenMode::kCreateNew)).value();
  fs.FailWritesAfterBytes(6);
  EXPECT_TRUE(f->WriteAt(0, B("abcd")).ok());
  EXPECT_FALSE(f->WriteAt(4, B("efgh")).ok());  // "ef" lands, then the disk is full
  EXPECT_EQ(*base.Contents("/d/f"), B("abcdef"));
  EXPECT_FALSE(f->WriteAt(6, B("i")).ok());
}

TEST(FaultInjection, PathFilterLimitsFaults) {
  MemoryFileSystem base;
  FaultInjectionFileSystem fs(base);
  ASSERT_TRUE(fs.CreateDirs("/d").ok());
  fs.SetPathFilter(".stdb.log");
  fs.FailAfter(FaultOp::kWrite, 0, EIO);
  auto log = std::move(fs.OpenWritable("/d/0.stdb.log", OpenMode::kCreateNew)).value();
  auto other = std::move(fs.OpenWritable("/d/0.stdb.ofs", OpenMode::kCreateNew)).value();
  Status s = log->WriteAt(0, B("x"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("Input/output error"), std::string::npos);
  EXPECT_TRUE(other->WriteAt(0, B("x")).ok());
}

}  // namespace
}  // namespace stdb::durability
