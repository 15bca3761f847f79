#include "auth/claims.h"

#include <gtest/gtest.h>

#include "auth/identity.h"

namespace stdb::auth {
namespace {

constexpr std::string_view kExampleIdentity = "c200ef884364c1a99be0298dc68f2004e6b97c09d1b1658b7db22f51fb662059";

sats::Json Parse(std::string_view text) {
  auto json = sats::Json::Parse(text);
  EXPECT_TRUE(json.ok()) << text;
  return json.ok() ? std::move(json).value() : sats::Json();
}

Result<IdentityClaims> FromText(std::string_view text) { return ClaimsFromPayload(Parse(text)); }

void ExpectRejected(std::string_view payload, std::string_view fragment) {
  auto r = FromText(payload);
  ASSERT_FALSE(r.ok()) << payload;
  EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(r.error().message().find(fragment), std::string::npos) << r.error().message();
}

// The payload a reference server mints (spec §10.3), with the reference's identity vector.
TEST(ClaimsTest, ParsesTheReferenceLayout) {
  auto claims = FromText(R"({"hex_identity":")" + std::string(kExampleIdentity) +
                         R"(","sub":"123","iss":"example.com","aud":["spacetimedb"],"iat":1693425600,"exp":null})");
  ASSERT_TRUE(claims.ok()) << claims.error().message();
  EXPECT_EQ(claims->identity.ToHex(), kExampleIdentity);
  EXPECT_EQ(claims->issuer, "example.com");
  EXPECT_EQ(claims->subject, "123");
  EXPECT_EQ(claims->audience, std::vector<std::string>{"spacetimedb"});
  EXPECT_EQ(claims->issued_at, 1693425600);
  EXPECT_FALSE(claims->expires_at.has_value());
  EXPECT_TRUE(claims->extra.empty());
}

TEST(ClaimsTest, SerializesInTheReferenceLayout) {
  IdentityClaims claims;
  claims.issuer = "example.com";
  claims.subject = "123";
  claims.identity = IdentityFromClaims(claims.issuer, claims.subject);
  claims.audience = {"spacetimedb"};
  claims.issued_at = 1693425600;
  EXPECT_EQ(claims.ToJson().Dump(), R"({"hex_identity":")" + std::string(kExampleIdentity) +
                                        R"(","sub":"123","iss":"example.com","aud":["spacetimedb"],)"
                                        R"("iat":1693425600,"exp":null})");
  claims.expires_at = 1693425660;
  claims.extra.emplace_back("email", sats::Json::String("a@b.c"));
  claims.extra.emplace_back("roles", Parse(R"(["x","y"])"));
  EXPECT_EQ(claims.ToJson().Dump(), R"({"hex_identity":")" + std::string(kExampleIdentity) +
                                        R"(","sub":"123","iss":"example.com","aud":["spacetimedb"],)"
                                        R"("iat":1693425600,"exp":1693425660,"email":"a@b.c","roles":["x","y"]})");
}

TEST(ClaimsTest, RoundTripKeepsExtraClaimsInOrder) {
  auto claims = FromText(R"({"iss":"https://issuer.example","zeta":1,"sub":"u","alpha":{"k":[true]},"iat":5,)"
                         R"("exp":99,"aud":"one"})");
  ASSERT_TRUE(claims.ok()) << claims.error().message();
  ASSERT_EQ(claims->extra.size(), 2u);
  EXPECT_EQ(claims->extra[0].first, "zeta");
  EXPECT_EQ(claims->extra[1].first, "alpha");
  EXPECT_EQ(claims->extra[1].second.Dump(), R"({"k":[true]})");
  EXPECT_EQ(claims->expires_at, std::optional<int64_t>(99));
  EXPECT_EQ(claims->audience, std::vector<std::string>{"one"});

  auto again = ClaimsFromPayload(claims->ToJson());
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(again->identity, claims->identity);
  EXPECT_EQ(again->ToJson().Dump(), claims->ToJson().Dump());
}

TEST(ClaimsTest, AudienceForms) {
  EXPECT_TRUE(FromText(R"({"iss":"i","sub":"s","iat":1})")->audience.empty());
  EXPECT_EQ(FromText(R"({"iss":"i","sub":"s","iat":1,"aud":["a","b"]})")->audience,
            (std::vector<std::string>{"a", "b"}));
  ExpectRejected(R"({"iss":"i","sub":"s","iat":1,"aud":7})", "\"aud\"");
  ExpectRejected(R"({"iss":"i","sub":"s","iat":1,"aud":["a",1]})", "\"aud\"");
  ExpectRejected(R"({"iss":"i","sub":"s","iat":1,"aud":null})", "\"aud\"");
}

TEST(ClaimsTest, IssuerAndSubjectRules) {
  ExpectRejected(R"({"sub":"s","iat":1})", "missing required claim \"iss\"");
  ExpectRejected(R"({"iss":"i","iat":1})", "missing required claim \"sub\"");
  ExpectRejected(R"({"iss":"","sub":"s","iat":1})", "\"iss\" is empty");
  ExpectRejected(R"({"iss":"i","sub":"","iat":1})", "\"sub\" is empty");
  ExpectRejected(R"({"iss":"i","sub":42,"iat":1})", "\"sub\" must be a string, got number");
  std::string long_name(kMaxIssuerOrSubjectLen, 'x');
  EXPECT_TRUE(FromText(R"({"iss":")" + long_name + R"(","sub":"s","iat":1})").ok());
  ExpectRejected(R"({"iss":")" + long_name + R"(x","sub":"s","iat":1})", "limit of 128");
  ExpectRejected(R"({"iss":"i","sub":")" + long_name + R"(x","iat":1})", "\"sub\" is 129 bytes");
}

TEST(ClaimsTest, TimeClaimsMustBeIntegers) {
  ExpectRejected(R"({"iss":"i","sub":"s"})", "missing required claim \"iat\"");
  ExpectRejected(R"({"iss":"i","sub":"s","iat":1.5})", "\"iat\" must be an integer");
  ExpectRejected(R"({"iss":"i","sub":"s","iat":"1"})", "\"iat\" must be an integer");
  ExpectRejected(R"({"iss":"i","sub":"s","iat":1e9})", "\"iat\" must be an integer");
  ExpectRejected(R"({"iss":"i","sub":"s","iat":1,"exp":"never"})", "\"exp\" must be an integer");
  ExpectRejected(R"({"iss":"i","sub":"s","iat":99999999999999999999})", "\"iat\" must be an integer");
  EXPECT_EQ(FromText(R"({"iss":"i","sub":"s","iat":-5})")->issued_at, -5);
}

TEST(ClaimsTest, HexIdentityMustMatchTheDerivedIdentity) {
  const std::string base = R"("sub":"123","iss":"example.com","iat":1)";
  EXPECT_TRUE(FromText(R"({"hex_identity":")" + std::string(kExampleIdentity) + "\"," + base + "}").ok());
  EXPECT_TRUE(FromText(R"({"hex_identity":null,)" + base + "}").ok());
  std::string upper(kExampleIdentity);
  for (char& c : upper) c = char(toupper(c));
  EXPECT_TRUE(FromText(R"({"hex_identity":")" + upper + "\"," + base + "}").ok());

  std::string other = IdentityFromClaims("example.com", "124").ToHex();
  ExpectRejected(R"({"hex_identity":")" + other + "\"," + base + "}", "does not match the identity derived");
  ExpectRejected(R"({"hex_identity":"0x)" + std::string(kExampleIdentity) + "\"," + base + "}", "64 hex digits");
  ExpectRejected(R"({"hex_identity":"c200",)" + base + "}", "64 hex digits");
  ExpectRejected(R"({"hex_identity":17,)" + base + "}", "64 hex digits");
}

TEST(ClaimsTest, HexIdentityAsByteArray) {
  sats::Identity id = IdentityFromClaims("example.com", "123");
  std::string array = "[";
  for (uint8_t b : id.be_bytes()) array += std::to_string(b) + ",";
  array.back() = ']';
  EXPECT_TRUE(FromText(R"({"sub":"123","iss":"example.com","iat":1,"hex_identity":)" + array + "}").ok());
  array.replace(1, array.find(',') - 1, "256");
  ExpectRejected(R"({"sub":"123","iss":"example.com","iat":1,"hex_identity":)" + array + "}", "0..255");
}

}  // namespace
}  // namespace stdb::auth
