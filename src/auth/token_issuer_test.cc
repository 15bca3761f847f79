#include "auth/token_issuer.h"

#include <gtest/gtest.h>

#include "auth/base64url.h"
#include "auth/identity.h"
#include "auth/jwt.h"

namespace stdb::auth {
namespace {

constexpr int64_t kNow = 1'700'000'000;

Es256KeyPair NewKey() {
  auto keys = Es256KeyPair::Generate();
  EXPECT_TRUE(keys.ok());
  return std::move(keys).value();
}

TEST(TokenIssuerTest, AnonymousTokenVerifiesAndYieldsTheDerivedIdentity) {
  TokenIssuer issuer(NewKey());
  auto minted = issuer.MintAnonymous(kNow);
  ASSERT_TRUE(minted.ok()) << minted.error().message();

  TokenValidator validator(issuer.public_key());
  auto validated = validator.Validate(minted->token, kNow);
  ASSERT_TRUE(validated.ok()) << validated.error().message();
  const IdentityClaims& claims = validated->claims;
  EXPECT_EQ(claims.identity, IdentityFromClaims(claims.issuer, claims.subject));
  EXPECT_EQ(claims.identity, minted->claims.identity);
  EXPECT_EQ(claims.identity.ToHex().substr(0, 4), "c200");
  EXPECT_EQ(claims.issuer, "localhost");
  EXPECT_EQ(claims.audience, std::vector<std::string>{"spacetimedb"});
  EXPECT_EQ(claims.issued_at, kNow);
  EXPECT_FALSE(claims.expires_at.has_value());
  // Never expires: still valid a century later.
  EXPECT_TRUE(validator.Validate(minted->token, kNow + 100LL * 365 * 86400).ok());

  // sub is a canonical random UUIDv4.
  auto uuid = sats::Uuid::Parse(claims.subject);
  ASSERT_TRUE(uuid.has_value()) << claims.subject;
  EXPECT_EQ(uuid->ToString(), claims.subject);
  EXPECT_EQ(claims.subject[14], '4');
  EXPECT_NE(std::string_view("89ab").find(claims.subject[19]), std::string_view::npos);
}

TEST(TokenIssuerTest, AnonymousTokenHasTheReferenceLayout) {
  TokenIssuer issuer(NewKey());
  auto minted = issuer.MintAnonymous(kNow);
  ASSERT_TRUE(minted.ok());
  auto jwt = DecodeJwt(minted->token);
  ASSERT_TRUE(jwt.ok());
  size_t dot = minted->token.find('.');
  EXPECT_EQ(*Base64UrlDecodeToString(minted->token.substr(0, dot)), R"({"typ":"JWT","alg":"ES256"})");
  EXPECT_EQ(jwt->payload_json, R"({"hex_identity":")" + minted->claims.identity.ToHex() + R"(","sub":")" +
                                   minted->claims.subject +
                                   R"(","iss":"localhost","aud":["spacetimedb"],"iat":1700000000,"exp":null})");
}

TEST(TokenIssuerTest, EachAnonymousIdentityIsFresh) {
  TokenIssuer issuer(NewKey());
  auto a = issuer.MintAnonymous(kNow);
  auto b = issuer.MintAnonymous(kNow);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->claims.subject, b->claims.subject);
  EXPECT_NE(a->claims.identity, b->claims.identity);
}

TEST(TokenIssuerTest, WebsocketTokenKeepsClaimsAndExpiresAfterSixtySeconds) {
  TokenIssuer issuer(NewKey());
  TokenValidator validator(issuer.public_key());

  // A caller authenticated with some other issuer's token, carrying extra claims.
  IdentityClaims caller;
  caller.issuer = "https://auth.example.com";
  caller.subject = "user-7";
  caller.identity = IdentityFromClaims(caller.issuer, caller.subject);
  caller.audience = {"my-game"};
  caller.issued_at = kNow - 5000;
  caller.extra.emplace_back("email", sats::Json::String("u7@example.com"));

  auto short_lived = issuer.ReissueShortLived(caller, kNow);
  ASSERT_TRUE(short_lived.ok()) << short_lived.error().message();
  auto validated = validator.Validate(short_lived->token, kNow);
  ASSERT_TRUE(validated.ok()) << validated.error().message();
  EXPECT_EQ(validated->claims.identity, caller.identity);
  EXPECT_EQ(validated->claims.issuer, caller.issuer);
  EXPECT_EQ(validated->claims.audience, caller.audience);
  EXPECT_EQ(validated->claims.issued_at, kNow);
  EXPECT_EQ(validated->claims.expires_at, std::optional<int64_t>(kNow + kWebsocketTokenLifetimeSeconds));
  ASSERT_EQ(validated->claims.extra.size(), 1u);
  EXPECT_EQ(validated->claims.extra[0].second.text(), "u7@example.com");

  // Expired once 60 s and the validator's 60 s leeway have passed.
  EXPECT_TRUE(validator.Validate(short_lived->token, kNow + 120).ok());
  EXPECT_FALSE(validator.Validate(short_lived->token, kNow + 121).ok());
}

TEST(TokenIssuerTest, RefusesToSignClaimsItWouldReject) {
  TokenIssuer issuer(NewKey());
  IdentityClaims claims;
  claims.issuer = "localhost";
  claims.subject = "";
  auto r = issuer.Sign(claims);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("refusing to sign token"), std::string::npos) << r.error().message();
}

TEST(TokenIssuerTest, SignRecomputesTheIdentity) {
  TokenIssuer issuer(NewKey());
  IdentityClaims claims;
  claims.issuer = "localhost";
  claims.subject = "carol";
  claims.identity = IdentityFromClaims("localhost", "mallory");  // stale or wrong: must not be trusted
  auto minted = issuer.Sign(claims);
  ASSERT_TRUE(minted.ok());
  EXPECT_EQ(minted->claims.identity, IdentityFromClaims("localhost", "carol"));
  EXPECT_TRUE(TokenValidator(issuer.public_key()).Validate(minted->token, kNow).ok());
}

}  // namespace
}  // namespace stdb::auth
