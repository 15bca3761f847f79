#include "subscription/signed_row_bag.h"

#include <gtest/gtest.h>

#include <string>

namespace stdb::subscription {
namespace {

sats::ByteSpan Bytes(const std::string& s) { return sats::AsBytes(s); }

std::vector<std::string> Strings(const datastore::RowList& rows) {
  std::vector<std::string> out;
  for (sats::ByteSpan r : rows) out.emplace_back(r.begin(), r.end());
  return out;
}

TEST(SignedRowBagTest, EmitsNetCountsInFirstSeenOrder) {
  SignedRowBag bag;
  bag.Add(Bytes("b"), +1);
  bag.Add(Bytes("a"), -1);
  bag.Add(Bytes("c"), +1);
  bag.Add(Bytes("b"), +2);
  bag.Add(Bytes("c"), -1);  // cancels
  bag.Add(Bytes("a"), -1);
  bag.Add(Bytes(""), +1);   // empty rows are rows too
  EXPECT_EQ(bag.distinct(), 4u);
  datastore::RowList inserts, deletes;
  bag.Emit(inserts, deletes);
  EXPECT_EQ(Strings(inserts), (std::vector<std::string>{"b", "b", "b", ""}));
  EXPECT_EQ(Strings(deletes), (std::vector<std::string>{"a", "a"}));
  bag.Clear();
  EXPECT_EQ(bag.distinct(), 0u);
}

TEST(SignedRowBagTest, ManyRowsKeepStableKeys) {
  // Long and short (inline) strings, enough of them to make the map grow several times.
  SignedRowBag bag;
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 5000; ++i) bag.Add(Bytes(std::to_string(i) + (i % 2 ? std::string(40, 'x') : "")), +1);
  for (int i = 0; i < 5000; i += 2) bag.Add(Bytes(std::to_string(i)), -2);
  datastore::RowList inserts, deletes;
  bag.Emit(inserts, deletes);
  EXPECT_EQ(inserts.size(), 5000u);  // the 2500 odd rows, twice each
  EXPECT_TRUE(deletes.empty());
  EXPECT_EQ(bag.distinct(), 5000u);
}

}  // namespace
}  // namespace stdb::subscription
