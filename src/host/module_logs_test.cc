#include "host/module_logs.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

namespace stdb::host {
namespace {

TEST(ModuleLogs, RecordsAsReferenceJson) {
  LogRecord r;
  r.level = LogLevel::kWarn;
  r.ts_micros = 5;
  r.target = "t";
  r.line_number = 7;
  r.message = "a \"quoted\" line";
  EXPECT_EQ(r.ToJson(), R"({"level":"Warn","ts":5,"target":"t","line_number":7,"message":"a \"quoted\" line"})");
  EXPECT_EQ(LogLevelFromAbi(101), LogLevel::kPanic);
  EXPECT_EQ(LogLevelFromAbi(77), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("warn"), LogLevel::kWarn);
}

TEST(ModuleLogs, RingBufferTailAndFollow) {
  ModuleLogs logs("", 3);
  std::vector<std::string> followed;
  uint64_t h = logs.Follow([&](const LogRecord& r) { followed.push_back(r.message); });
  for (int i = 0; i < 5; ++i) logs.System(LogLevel::kInfo, "m" + std::to_string(i));
  auto tail = logs.Tail(2);
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].message, "m3");
  EXPECT_EQ(tail[1].message, "m4");
  EXPECT_EQ(logs.Tail(0).size(), 3u);
  EXPECT_EQ(followed.size(), 5u);
  logs.Unfollow(h);
  logs.System(LogLevel::kInfo, "after");
  EXPECT_EQ(followed.size(), 5u);
}

TEST(ModuleLogs, FileKeepsEverythingAcrossRestarts) {
  std::string path = ::testing::TempDir() + "/module_logs_test.log";
  std::filesystem::remove(path);
  {
    ModuleLogs logs(path, 2);
    for (int i = 0; i < 10; ++i) logs.System(LogLevel::kError, "line " + std::to_string(i));
  }
  ModuleLogs reopened(path, 2);
  auto all = reopened.Tail(0);
  ASSERT_EQ(all.size(), 10u);
  EXPECT_EQ(all[0].message, "line 0");
  EXPECT_EQ(all[9].level, LogLevel::kError);
  EXPECT_EQ(all[9].target, "__spacetimedb__");
  EXPECT_EQ(reopened.Tail(4).front().message, "line 6");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace stdb::host
