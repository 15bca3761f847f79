#include "cli/text_table.h"

#include <gtest/gtest.h>

namespace stdb::cli {
namespace {

TEST(TextTableTest, PsqlStyle) {
  TextTable table({"id", "accessor_value_1"});
  table.AddRow({"1", "7"});
  EXPECT_EQ(table.Render(), " id | accessor_value_1 \n----+------------------\n 1  | 7                ");
}

TEST(TextTableTest, HeaderOnlyAndWideUtf8) {
  TextTable table({"name"});
  EXPECT_EQ(table.Render(), " name \n------");
  table.AddRow({"\"héllo\""});
  EXPECT_EQ(table.Render(), " name    \n---------\n \"héllo\" ");
}

TEST(TextTableTest, MultiLineCells) {
  TextTable table({"a", "b"});
  table.AddRow({"x\nyy", "z"});
  EXPECT_EQ(table.Render(), " a  | b \n----+---\n x  | z \n yy |   ");
}

TEST(TextTableTest, BlankStyleWithRightAlignedFirstColumn) {
  // `spacetime server list`.
  TextTable table({"DEFAULT", "HOSTNAME", "PROTOCOL", "NICKNAME"}, TextTable::Style::kBlank);
  table.SetAlign(0, TextTable::Align::kRight);
  table.AddRow({"***", "127.0.0.1:3000", "http", "local"});
  table.AddRow({"", "maincloud.spacetimedb.com", "https", "maincloud"});
  EXPECT_EQ(table.Render(),
            " DEFAULT  HOSTNAME                   PROTOCOL  NICKNAME  \n"
            "     ***  127.0.0.1:3000             http      local     \n"
            "          maincloud.spacetimedb.com  https     maincloud ");
}

}  // namespace
}  // namespace stdb::cli
