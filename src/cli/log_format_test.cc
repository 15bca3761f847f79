#include "cli/log_format.h"

#include <gtest/gtest.h>

namespace stdb::cli {
namespace {

TEST(LogFormatTest, TimestampsLikeChronoDebug) {
  EXPECT_EQ(FormatLogTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatLogTimestamp(1714564800123456), "2024-05-01T12:00:00.123456Z");
  EXPECT_EQ(FormatLogTimestamp(1714564800120000), "2024-05-01T12:00:00.120Z");
}

TEST(LogFormatTest, TextLines) {
  auto line = FormatLogLine(
      R"({"level":"Info","ts":1714564800123456,"target":"chat","filename":"lib.cpp","line_number":42,"function":"set_name","message":"hello"})",
      false);
  ASSERT_TRUE(line.ok()) << line.error().message();
  EXPECT_EQ(line->severity, LogSeverity::kInfo);
  EXPECT_EQ(line->text, "2024-05-01T12:00:00.123456Z  INFO: set_name lib.cpp:42: hello\n");
  auto system = FormatLogLine(
      R"({"level":"Error","ts":0,"target":"__spacetimedb__","filename":"__spacetimedb__","function":"__spacetimedb__","message":"reducer trapped"})",
      false);
  ASSERT_TRUE(system.ok());
  EXPECT_EQ(system->text, "1970-01-01T00:00:00Z ERROR: reducer trapped\n");
  auto panic = FormatLogLine(
      R"({"level":"Panic","message":"oops","trace":[{"module_name":"chat","func_name":"f"},{"func_name":"g"}]})", false);
  ASSERT_TRUE(panic.ok());
  EXPECT_EQ(panic->text, "PANIC: oops\n    in chat :: f\n    in g\n");
  auto colored = FormatLogLine(R"({"level":"Warn","message":"w"})", true);
  ASSERT_TRUE(colored.ok());
  EXPECT_EQ(colored->text, "\x1b[33m WARN\x1b[0m: w\n");
}

TEST(LogFormatTest, BadRecordsAreErrors) {
  auto bad = FormatLogLine("{", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("--format json"), std::string::npos);
  EXPECT_FALSE(FormatLogLine(R"({"level":"Loud","message":"x"})", false).ok());
}

TEST(LogFormatTest, Filters) {
  LogFilter none;
  EXPECT_TRUE(none.Accepts(LogSeverity::kTrace));
  LogFilter warn{LogSeverity::kWarn, false};
  EXPECT_FALSE(warn.Accepts(LogSeverity::kInfo));
  EXPECT_TRUE(warn.Accepts(LogSeverity::kWarn));
  EXPECT_TRUE(warn.Accepts(LogSeverity::kPanic));
  LogFilter exact{LogSeverity::kWarn, true};
  EXPECT_FALSE(exact.Accepts(LogSeverity::kError));
  EXPECT_EQ(ParseLogSeverity("ERROR"), LogSeverity::kError);
  EXPECT_FALSE(ParseLogSeverity("loud"));
}

}  // namespace
}  // namespace stdb::cli
