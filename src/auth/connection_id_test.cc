#include "auth/connection_id.h"

#include <gtest/gtest.h>

#include <set>

#include "auth/secure_random.h"

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

TEST(SecureRandomTest, UuidV4HasVersionAndVariantBits) {
  for (int i = 0; i < 50; ++i) {
    auto uuid = RandomUuidV4();
    ASSERT_TRUE(uuid.ok());
    std::string text = uuid->ToString();
    EXPECT_EQ(text[14], '4') << text;
    EXPECT_NE(std::string_view("89ab").find(text[19]), std::string_view::npos) << text;
  }
  auto a = RandomUuidV4();
  auto b = RandomUuidV4();
  EXPECT_NE(a->value(), b->value());
}

}  // namespace
}  // namespace stdb::auth
