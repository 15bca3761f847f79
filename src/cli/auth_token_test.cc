#include "cli/auth_token.h"

#include <gtest/gtest.h>

#include "cli/test_util.h"

namespace stdb::cli {
namespace {

TEST(AuthTokenTest, IdentityFromHexIdentityClaim) {
  std::string hex = "c200ef884364c1a99be0298dc68f2004e6b97c09d1b1658b7db22f51fb662059";
  auto id = IdentityOfToken(testing::FakeToken(R"({"hex_identity":")" + hex + R"(","sub":"123","iss":"example.com","iat":1})"));
  ASSERT_TRUE(id.ok()) << id.error().message();
  EXPECT_EQ(id->ToHex(), hex);
}

TEST(AuthTokenTest, IdentityDerivedFromIssuerAndSubject) {
  // spec/client-protocol.md §10.1 test vector.
  auto id = IdentityOfToken(testing::FakeToken(R"({"iss":"localhost","sub":"alice"})"));
  ASSERT_TRUE(id.ok()) << id.error().message();
  EXPECT_EQ(id->ToHex(), "c20035600353a2e93544d898c6ed0eac323e200c0468300f22958f8b472a265d");
}

TEST(AuthTokenTest, MalformedTokens) {
  auto not_jwt = IdentityOfToken("abc");
  ASSERT_FALSE(not_jwt.ok());
  EXPECT_NE(not_jwt.error().message().find("three dot-separated parts"), std::string::npos);
  EXPECT_NE(not_jwt.error().message().find("spacetime login --server-issued-login"), std::string::npos);
  EXPECT_FALSE(IdentityOfToken("a.!!!.c").ok());
  EXPECT_FALSE(IdentityOfToken(testing::FakeToken(R"({"sub":"x"})")).ok());
}

}  // namespace
}  // namespace stdb::cli
