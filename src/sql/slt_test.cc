// Runs every sqllogictest script of src/sql/testdata against our engine (with and without indexes) and SQLite.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sql/testing/slt_runner.h"

namespace stdb::sql {
namespace {

std::vector<std::string> Scripts() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(STDB_SQL_TESTDATA_DIR))
    if (entry.path().extension() == ".slt") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

class SltTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SltTest, AgreesWithSqlite) {
  testing::SltOutcome outcome = testing::RunSltFile(std::string(STDB_SQL_TESTDATA_DIR) + "/" + GetParam());
  for (const auto& f : outcome.failures) ADD_FAILURE() << f;
  EXPECT_GT(outcome.queries, 0u);
  std::cout << "[ slt      ] " << GetParam() << ": " << outcome.statements << " statements, " << outcome.queries
            << " queries\n";
}

// The harness itself must notice wrong answers, or the scripts prove nothing.
TEST(SltRunner, ReportsDisagreements) {
  std::string path = ::testing::TempDir() + "/harness_check.slt";
  {
    std::ofstream out(path);
    out << "table t (id u32 pk, a u8)\n\n"
           "statement ok\nINSERT INTO t (id, a) VALUES (1, 5), (2, 6)\n\n"
           "query\nSELECT a FROM t WHERE a > 5\n----\n5\n\n"     // wrong expectation
           "query error no such\nSELECT * FROM t\n\n"              // succeeds, but an error is expected
           "plan IndexPointScan\nSELECT * FROM t WHERE a = 5\n\n"  // a has no index
           "query\nSELECT a FROM t WHERE a >= 6\n----\n6\n\n"      // right
           "table bag (a u8)\n\n"                                    // no unique column: SQLite keeps duplicates
           "statement ok\nINSERT INTO bag (a) VALUES (1), (1)\n\n"
           "query\nSELECT a FROM bag\n\n";
  }
  testing::SltOutcome outcome = testing::RunSltFile(path);
  ASSERT_EQ(outcome.failures.size(), 5u);
  EXPECT_NE(outcome.failures[0].find("rows differ"), std::string::npos) << outcome.failures[0];
  EXPECT_NE(outcome.failures[1].find("(no indexes) rows differ"), std::string::npos) << outcome.failures[1];
  EXPECT_NE(outcome.failures[2].find("but it succeeded"), std::string::npos) << outcome.failures[2];
  EXPECT_NE(outcome.failures[3].find("plan does not contain"), std::string::npos) << outcome.failures[3];
  EXPECT_NE(outcome.failures[4].find("result differs from SQLite"), std::string::npos) << outcome.failures[4];
}

INSTANTIATE_TEST_SUITE_P(Scripts, SltTest, ::testing::ValuesIn(Scripts()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.size() - 4);
                           std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
                           return name;
                         });

}  // namespace
}  // namespace stdb::sql
