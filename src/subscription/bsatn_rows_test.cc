#include "subscription/bsatn_rows.h"

#include <gtest/gtest.h>

#include <string>

#include "subscription/query_update.h"

namespace stdb::subscription {
namespace {

datastore::RowList Rows(const std::vector<std::string>& rows) {
  datastore::RowList list;
  for (const auto& r : rows) list.Add(sats::AsBytes(r));
  return list;
}

TEST(BsatnRowsTest, EmptyListIsEmptyRowOffsets) {
  EXPECT_EQ(EncodeBsatnRowList(datastore::RowList()), (sats::Bytes{1, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(BsatnRowsTest, RowsOfOneSizeUseFixedSize) {
  EXPECT_EQ(EncodeBsatnRowList(Rows({"ab", "cd", "ef"})),
            (sats::Bytes{0, 2, 0, 6, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f'}));
}

TEST(BsatnRowsTest, RowsOfDifferentSizesUseOffsets) {
  EXPECT_EQ(EncodeBsatnRowList(Rows({"a", "bcd"})),
            (sats::Bytes{1, 2, 0, 0, 0,  // two offsets
                         0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 'a', 'b', 'c', 'd'}));
  // A zero-length row cannot be FixedSize.
  EXPECT_EQ(EncodeBsatnRowList(Rows({""}))[0], 1);
  // Nor can rows longer than a u16.
  EXPECT_EQ(EncodeBsatnRowList(Rows({std::string(70000, 'x')}))[0], 1);
  EXPECT_EQ(EncodeBsatnRowList(Rows({std::string(65535, 'x')}))[0], 0);
}

TEST(BsatnRowsTest, QueryUpdateEncodesOnceAndShares) {
  QueryUpdate update(4096, "t", false, Rows({"ab"}), Rows({}));
  const auto& inserts = update.EncodedInserts();
  EXPECT_EQ(*inserts, EncodeBsatnRowList(Rows({"ab"})));
  EXPECT_EQ(inserts.get(), update.EncodedInserts().get());
  EXPECT_EQ(*update.EncodedDeletes(), EncodeBsatnRowList(Rows({})));
  EXPECT_FALSE(update.empty());
  EXPECT_EQ(update.table_name(), "t");
}

}  // namespace
}  // namespace stdb::subscription
