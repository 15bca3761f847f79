#include "auth/jwt.h"

#include <gtest/gtest.h>

#include "auth/base64url.h"

namespace stdb::auth {
namespace {

Es256KeyPair NewKey() {
  auto keys = Es256KeyPair::Generate();
  EXPECT_TRUE(keys.ok());
  return std::move(keys).value();
}

sats::Json Payload() {
  auto json = sats::Json::Parse(R"({"iss":"localhost","sub":"s","iat":1700000000,"custom":[1,2.50,"x"]})");
  EXPECT_TRUE(json.ok());
  return std::move(json).value();
}

struct Segments {
  std::string header, payload, signature;
};

Segments Split(const std::string& token) {
  size_t a = token.find('.');
  size_t b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

std::string Join(const Segments& s) { return s.header + "." + s.payload + "." + s.signature; }

void ExpectError(const Result<DecodedJwt>& r, ErrorCode code, std::string_view fragment) {
  ASSERT_FALSE(r.ok()) << "expected an error containing: " << fragment;
  EXPECT_EQ(r.error().code(), code) << r.error().message();
  EXPECT_NE(r.error().message().find(fragment), std::string::npos) << r.error().message();
}

TEST(JwtTest, SignThenVerifyRoundTrip) {
  Es256KeyPair keys = NewKey();
  auto token = SignEs256Jwt(Payload(), keys);
  ASSERT_TRUE(token.ok()) << token.error().message();
  Segments s = Split(*token);
  EXPECT_EQ(*Base64UrlDecodeToString(s.header), R"({"typ":"JWT","alg":"ES256"})");

  auto jwt = VerifyEs256Jwt(*token, keys.public_key());
  ASSERT_TRUE(jwt.ok()) << jwt.error().message();
  EXPECT_EQ(jwt->algorithm, "ES256");
  // Numbers keep their text, so the payload survives byte for byte.
  EXPECT_EQ(jwt->payload_json, R"({"iss":"localhost","sub":"s","iat":1700000000,"custom":[1,2.50,"x"]})");
  EXPECT_EQ(jwt->payload.Find("sub")->text(), "s");
  EXPECT_EQ(jwt->signature.size(), kEs256SignatureLen);
  EXPECT_EQ(jwt->signing_input, s.header + "." + s.payload);
}

TEST(JwtTest, VerifiesTheRfc7515AppendixA3Token) {
  auto x = Base64UrlDecode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU");
  auto y = Base64UrlDecode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
  auto key = Es256PublicKey::FromCoordinates(*x, *y);
  ASSERT_TRUE(key.ok());
  auto jwt = VerifyEs256Jwt(
      "eyJhbGciOiJFUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
      "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q",
      *key);
  ASSERT_TRUE(jwt.ok()) << jwt.error().message();
  EXPECT_EQ(jwt->payload.Find("iss")->text(), "joe");
  EXPECT_EQ(jwt->payload.Find("exp")->text(), "1300819380");
}

TEST(JwtTest, TamperedPayloadIsRejected) {
  Es256KeyPair keys = NewKey();
  auto token = SignEs256Jwt(Payload(), keys);
  ASSERT_TRUE(token.ok());
  Segments s = Split(*token);
  s.payload = Base64UrlEncode(std::string_view(R"({"iss":"localhost","sub":"admin","iat":1700000000})"));
  ExpectError(VerifyEs256Jwt(Join(s), keys.public_key()), ErrorCode::kPermissionDenied, "signature");
}

TEST(JwtTest, TamperedSignatureIsRejected) {
  Es256KeyPair keys = NewKey();
  auto token = SignEs256Jwt(Payload(), keys);
  ASSERT_TRUE(token.ok());
  Segments s = Split(*token);
  auto signature = Base64UrlDecode(s.signature);
  (*signature)[40] ^= 0x01;
  s.signature = Base64UrlEncode(*signature);
  ExpectError(VerifyEs256Jwt(Join(s), keys.public_key()), ErrorCode::kPermissionDenied, "does not match");
}

TEST(JwtTest, WrongKeyIsRejected) {
  auto token = SignEs256Jwt(Payload(), NewKey());
  ASSERT_TRUE(token.ok());
  ExpectError(VerifyEs256Jwt(*token, NewKey().public_key()), ErrorCode::kPermissionDenied, "does not match");
}

TEST(JwtTest, AlgNoneIsRejected) {
  std::string token = Base64UrlEncode(std::string_view(R"({"alg":"none","typ":"JWT"})")) + "." +
                      Base64UrlEncode(Payload().Dump()) + ".";
  EXPECT_TRUE(DecodeJwt(token).ok());  // well-formed...
  ExpectError(VerifyEs256Jwt(token, NewKey().public_key()), ErrorCode::kPermissionDenied,
              "unsigned tokens are never accepted");  // ...but never trusted
}

TEST(JwtTest, OtherAlgorithmsAreRejectedEvenWithAValidEs256Signature) {
  Es256KeyPair keys = NewKey();
  for (std::string_view alg : {"HS256", "RS256", "ES384", "es256"}) {
    std::string signing_input = Base64UrlEncode(R"({"alg":")" + std::string(alg) + R"("})") + "." +
                                Base64UrlEncode(Payload().Dump());
    auto signature = keys.Sign(signing_input);
    ASSERT_TRUE(signature.ok());
    std::string token = signing_input + "." + Base64UrlEncode(*signature);
    ExpectError(VerifyEs256Jwt(token, keys.public_key()), ErrorCode::kPermissionDenied, "only ES256");
  }
}

TEST(JwtTest, MalformedTokensGetClearErrors) {
  Es256KeyPair keys = NewKey();
  auto token = SignEs256Jwt(Payload(), keys);
  ASSERT_TRUE(token.ok());
  Segments good = Split(*token);
  const std::string ok_header = good.header;
  const std::string ok_payload = good.payload;
  const std::string ok_signature = good.signature;

  ExpectError(DecodeJwt(""), ErrorCode::kDecode, "empty token");
  ExpectError(DecodeJwt(ok_header + "." + ok_payload), ErrorCode::kDecode, "exactly three");
  ExpectError(DecodeJwt(*token + ".x"), ErrorCode::kDecode, "exactly three");
  ExpectError(DecodeJwt("@@." + ok_payload + "." + ok_signature), ErrorCode::kDecode, "malformed JWT header");
  ExpectError(DecodeJwt(ok_header + ".a+b/." + ok_signature), ErrorCode::kDecode, "malformed JWT payload");
  ExpectError(DecodeJwt(ok_header + "." + ok_payload + "." + ok_signature + "=="), ErrorCode::kDecode,
              "malformed JWT signature");
  ExpectError(DecodeJwt(ok_header + "." + Base64UrlEncode(std::string_view("{\"iss\":")) + "." + ok_signature),
              ErrorCode::kDecode, "JWT payload is not valid JSON");
  ExpectError(DecodeJwt(ok_header + "." + Base64UrlEncode(std::string_view("[1,2]")) + "." + ok_signature),
              ErrorCode::kDecode, "JWT payload must be a JSON object, got array");
  ExpectError(DecodeJwt(ok_header + "." + Base64UrlEncode(std::string_view(R"({"sub":"a","sub":"b"})")) + "." +
                        ok_signature),
              ErrorCode::kDecode, "\"sub\" more than once");
  ExpectError(DecodeJwt(Base64UrlEncode(std::string_view(R"({"typ":"JWT"})")) + "." + ok_payload + "." +
                        ok_signature),
              ErrorCode::kDecode, "no \"alg\"");
  ExpectError(DecodeJwt(Base64UrlEncode(std::string_view(R"({"alg":256})")) + "." + ok_payload + "." + ok_signature),
              ErrorCode::kDecode, "\"alg\" must be a string");
  ExpectError(DecodeJwt(Base64UrlEncode(std::string_view("\xff\xfe")) + "." + ok_payload + "." + ok_signature),
              ErrorCode::kDecode, "JWT header is not valid JSON");
  ExpectError(DecodeJwt(std::string(kMaxJwtLength + 1, 'a')), ErrorCode::kDecode, "more than the limit");

  std::string short_signature = Base64UrlEncode(std::vector<uint8_t>(63, 7));
  ExpectError(VerifyEs256Jwt(ok_header + "." + ok_payload + "." + short_signature, keys.public_key()),
              ErrorCode::kDecode, "64 bytes");
}

TEST(JwtTest, SigningRequiresAnObjectPayload) {
  EXPECT_FALSE(SignEs256Jwt(sats::Json::Array(), NewKey()).ok());
}

}  // namespace
}  // namespace stdb::auth
