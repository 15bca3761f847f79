#include "auth/connection_id.h"

#include <gtest/gtest.h>

#include <set>

namespace stdb::auth {
namespace {

TEST(ConnectionIdTest, RandomIdsAreNonZeroAndDistinct) {
  std::set<sats::ConnectionId> seen;
  for (int i = 0; i < 100; ++i) {
    auto id = RandomConnectionId();
    ASSERT_TRUE(id.ok()) << id.error().message();
    EXPECT_FALSE(id->IsZero());
    EXPECT_TRUE(seen.insert(*id).second);
  }
}

TEST(ConnectionIdTest, ParsesTheQueryParameter) {
  auto id = ParseConnectionIdParam("000102030405060708090a0b0c0d0e0f");
  ASSERT_TRUE(id.ok()) << id.error().message();
  EXPECT_EQ(id->ToHex(), "000102030405060708090a0b0c0d0e0f");
  EXPECT_TRUE(ParseConnectionIdParam("0x000102030405060708090A0B0C0D0E0F").ok());
}

TEST(ConnectionIdTest, RejectsZeroAndMalformedIds) {
  auto zero = ParseConnectionIdParam("00000000000000000000000000000000");
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(zero.error().message(), "Invalid connection ID: the all-zeros ConnectionId is reserved.");
  for (std::string_view bad : {"", "123", "000102030405060708090a0b0c0d0e0g", "000102030405060708090a0b0c0d0e0f00"}) {
    auto r = ParseConnectionIdParam(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message().find("expected 32 hex digits"), std::string::npos);
  }
}

}  // namespace
}  // namespace stdb::auth
