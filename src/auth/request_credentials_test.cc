#include "auth/request_credentials.h"

#include <gtest/gtest.h>

namespace stdb::auth {
namespace {

std::optional<std::string> TokenOf(std::optional<std::string_view> header, std::optional<std::string_view> param) {
  auto r = TokenFromRequest(header, param);
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? *r : std::optional<std::string>("<error>");
}

TEST(RequestCredentialsTest, HeaderTakesPrecedenceOverQueryParameter) {
  EXPECT_EQ(TokenOf("Bearer header.jwt.sig", "query.jwt.sig"), "header.jwt.sig");
  EXPECT_EQ(TokenOf(std::nullopt, "query.jwt.sig"), "query.jwt.sig");
  EXPECT_EQ(TokenOf(std::nullopt, std::nullopt), std::nullopt);
}

TEST(RequestCredentialsTest, SchemeIsCaseInsensitive) {
  EXPECT_EQ(TokenOf("bearer a.b.c", std::nullopt), "a.b.c");
  EXPECT_EQ(TokenOf("BEARER a.b.c ", std::nullopt), "a.b.c");
}

TEST(RequestCredentialsTest, NonBearerAuthorizationIsMalformed) {
  for (std::string_view header : {"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Bearer", "Bearer ", "Bearera.b.c", "",
                                  "Token a.b.c"}) {
    auto r = TokenFromRequest(header, "query.jwt.sig");
    ASSERT_FALSE(r.ok()) << header;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message(), "Authorization is invalid: malformed token");
  }
}

}  // namespace
}  // namespace stdb::auth
