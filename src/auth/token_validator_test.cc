#include "auth/token_validator.h"

#include <gtest/gtest.h>

#include "auth/base64url.h"
#include "auth/identity.h"

namespace stdb::auth {
namespace {

constexpr int64_t kNow = 1'700'000'000;

Es256KeyPair NewKey() {
  auto keys = Es256KeyPair::Generate();
  EXPECT_TRUE(keys.ok());
  return std::move(keys).value();
}

// Signs exactly these header and payload bytes, the way any ES256 JWT library would.
std::string SignRaw(std::string_view header_json, std::string_view payload_json, const Es256KeyPair& keys) {
  std::string signing_input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  auto signature = keys.Sign(signing_input);
  EXPECT_TRUE(signature.ok());
  return signing_input + "." + Base64UrlEncode(*signature);
}

std::string SignPayload(std::string_view payload_json, const Es256KeyPair& keys) {
  return SignRaw(R"({"typ":"JWT","alg":"ES256"})", payload_json, keys);
}

void ExpectInvalid(const Result<ValidatedToken>& r, ErrorCode code, std::string_view fragment) {
  ASSERT_FALSE(r.ok()) << "expected an error containing: " << fragment;
  EXPECT_EQ(r.error().code(), code) << r.error().message();
  EXPECT_EQ(r.error().message().rfind("Invalid token: ", 0), 0u) << r.error().message();
  EXPECT_NE(r.error().message().find(fragment), std::string::npos) << r.error().message();
}

// A token in exactly the layout the reference server mints (spec §10.2 header, §10.3 claims and their order):
// any such token, from any implementation holding the key, must validate.
TEST(TokenValidatorTest, AcceptsTheReferenceTokenFormat) {
  Es256KeyPair keys = NewKey();
  const std::string subject = "6f1c1a1e-3b5a-4c55-9a47-2b8f0d1e9c11";
  const std::string identity = IdentityFromClaims("localhost", subject).ToHex();
  const std::string payload = R"({"hex_identity":")" + identity + R"(","sub":")" + subject +
                              R"(","iss":"localhost","aud":["spacetimedb"],"iat":1699999000,"exp":null})";
  std::string token = SignPayload(payload, keys);

  TokenValidator validator(keys.public_key());
  auto validated = validator.Validate(token, kNow);
  ASSERT_TRUE(validated.ok()) << validated.error().message();
  EXPECT_EQ(validated->claims.identity.ToHex(), identity);
  EXPECT_EQ(validated->claims.subject, subject);
  EXPECT_EQ(validated->claims.issuer, "localhost");
  EXPECT_EQ(validated->claims.audience, std::vector<std::string>{"spacetimedb"});
  EXPECT_EQ(validated->claims.issued_at, 1699999000);
  EXPECT_FALSE(validated->claims.expires_at.has_value());
  EXPECT_EQ(validated->payload_json, payload);  // modules get the payload byte for byte
}

TEST(TokenValidatorTest, TokensWithoutExpNeverExpire) {
  Es256KeyPair keys = NewKey();
  std::string token = SignPayload(R"({"iss":"localhost","sub":"a","iat":1})", keys);
  TokenValidator validator(keys.public_key());
  EXPECT_TRUE(validator.Validate(token, kNow).ok());
  EXPECT_TRUE(validator.Validate(token, int64_t(1) << 40).ok());
}

TEST(TokenValidatorTest, ExpiryHonoursTheSixtySecondLeeway) {
  Es256KeyPair keys = NewKey();
  TokenValidator validator(keys.public_key());
  auto token_expiring_at = [&](int64_t exp) {
    return SignPayload(R"({"iss":"localhost","sub":"a","iat":1,"exp":)" + std::to_string(exp) + "}", keys);
  };
  EXPECT_TRUE(validator.Validate(token_expiring_at(kNow + 3600), kNow).ok());
  EXPECT_TRUE(validator.Validate(token_expiring_at(kNow - 60), kNow).ok());
  ExpectInvalid(validator.Validate(token_expiring_at(kNow - 61), kNow), ErrorCode::kPermissionDenied,
                "token expired");
  ExpectInvalid(validator.Validate(token_expiring_at(1), kNow), ErrorCode::kPermissionDenied, "token expired");

  TokenValidator strict(keys.public_key(), TokenValidator::Options{.expiry_leeway_seconds = 0});
  ExpectInvalid(strict.Validate(token_expiring_at(kNow - 1), kNow), ErrorCode::kPermissionDenied, "expired");
}

TEST(TokenValidatorTest, WrongKeyIsRejected) {
  std::string token = SignPayload(R"({"iss":"localhost","sub":"a","iat":1})", NewKey());
  TokenValidator validator(NewKey().public_key());
  ExpectInvalid(validator.Validate(token, kNow), ErrorCode::kPermissionDenied, "signature does not match");
}

TEST(TokenValidatorTest, ForeignIssuerNotSignedByUsExplainsOidc) {
  std::string token = SignPayload(R"({"iss":"https://auth.example.com","sub":"a","iat":1})", NewKey());
  TokenValidator validator(NewKey().public_key());
  ExpectInvalid(validator.Validate(token, kNow), ErrorCode::kPermissionDenied, "OpenID Connect");
}

// Websocket tokens keep the caller's issuer but carry our signature; the signature is what counts.
TEST(TokenValidatorTest, AcceptsForeignIssuerWhenSignedByUs) {
  Es256KeyPair keys = NewKey();
  std::string token = SignPayload(R"({"iss":"https://auth.example.com","sub":"user-1","iat":1})", keys);
  auto validated = TokenValidator(keys.public_key()).Validate(token, kNow);
  ASSERT_TRUE(validated.ok()) << validated.error().message();
  EXPECT_EQ(validated->claims.identity, IdentityFromClaims("https://auth.example.com", "user-1"));
}

TEST(TokenValidatorTest, TamperedPayloadIsRejected) {
  Es256KeyPair keys = NewKey();
  std::string token = SignPayload(R"({"iss":"localhost","sub":"alice","iat":1})", keys);
  std::string forged_payload = Base64UrlEncode(std::string_view(R"({"iss":"localhost","sub":"bob","iat":1})"));
  size_t a = token.find('.');
  size_t b = token.find('.', a + 1);
  std::string forged = token.substr(0, a + 1) + forged_payload + token.substr(b);
  ExpectInvalid(TokenValidator(keys.public_key()).Validate(forged, kNow), ErrorCode::kPermissionDenied,
                "signature");
}

TEST(TokenValidatorTest, AlgNoneIsRejected) {
  Es256KeyPair keys = NewKey();
  std::string token = Base64UrlEncode(std::string_view(R"({"alg":"none"})")) + "." +
                      Base64UrlEncode(std::string_view(R"({"iss":"localhost","sub":"a","iat":1})")) + ".";
  ExpectInvalid(TokenValidator(keys.public_key()).Validate(token, kNow), ErrorCode::kPermissionDenied,
                "\"none\" is not accepted");
}

TEST(TokenValidatorTest, SignedButInconsistentClaimsAreRejected) {
  Es256KeyPair keys = NewKey();
  TokenValidator validator(keys.public_key());
  std::string wrong_identity = IdentityFromClaims("localhost", "mallory").ToHex();
  ExpectInvalid(validator.Validate(
                    SignPayload(R"({"hex_identity":")" + wrong_identity + R"(","iss":"localhost","sub":"alice","iat":1})",
                                keys),
                    kNow),
                ErrorCode::kPermissionDenied, "does not match the identity derived");
  ExpectInvalid(validator.Validate(SignPayload(R"({"iss":"localhost","sub":"alice"})", keys), kNow),
                ErrorCode::kPermissionDenied, "missing required claim \"iat\"");
  ExpectInvalid(validator.Validate(SignPayload(R"({"iss":"localhost","iat":1})", keys), kNow),
                ErrorCode::kPermissionDenied, "missing required claim \"sub\"");
}

TEST(TokenValidatorTest, MalformedTokensAreDecodeErrors) {
  TokenValidator validator(NewKey().public_key());
  ExpectInvalid(validator.Validate("", kNow), ErrorCode::kDecode, "empty token");
  ExpectInvalid(validator.Validate("abc", kNow), ErrorCode::kDecode, "three");
  ExpectInvalid(validator.Validate("a.b.c", kNow), ErrorCode::kDecode, "JWT header");
  ExpectInvalid(validator.Validate("Bearer eyJ.eyJ.sig", kNow), ErrorCode::kDecode, "malformed JWT header");
}

TEST(TokenValidatorTest, SystemClockOverloadAcceptsFreshTokens) {
  Es256KeyPair keys = NewKey();
  int64_t now = UnixNowSeconds();
  std::string token = SignPayload(
      R"({"iss":"localhost","sub":"a","iat":)" + std::to_string(now) + R"(,"exp":)" + std::to_string(now + 3600) + "}",
      keys);
  EXPECT_TRUE(TokenValidator(keys.public_key()).Validate(token).ok());
}

}  // namespace
}  // namespace stdb::auth
