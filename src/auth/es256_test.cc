#include "auth/es256.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstring>

#include "auth/base64url.h"

namespace stdb::auth {
namespace {

Es256KeyPair NewKey() {
  auto keys = Es256KeyPair::Generate();
  EXPECT_TRUE(keys.ok()) << keys.error().message();
  return std::move(keys).value();
}

std::vector<uint8_t> Bytes(std::string_view b64) {
  auto r = Base64UrlDecode(b64);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::vector<uint8_t>{};
}

// A PEM written by OpenSSL directly, for keys our API refuses to create.
std::string PemOf(EVP_PKEY* key, bool private_key, const char* password = nullptr) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (private_key && password) {
    PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), password, int(strlen(password)), nullptr, nullptr);
  } else if (private_key) {
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio, key);
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, size_t(len));
  BIO_free(bio);
  return pem;
}

// RFC 7515 Appendix A.3: a JWS signed with ES256 by another implementation. Verifying it proves our signature
// encoding (r || s) and hashing agree with the standard, not just with ourselves.
TEST(Es256Test, VerifiesRfc7515AppendixA3) {
  auto key = Es256PublicKey::FromCoordinates(Bytes("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"),
                                             Bytes("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"));
  ASSERT_TRUE(key.ok()) << key.error().message();
  const std::string signing_input =
      "eyJhbGciOiJFUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
  std::vector<uint8_t> signature =
      Bytes("DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q");
  Status ok = key->Verify(signing_input, signature);
  EXPECT_TRUE(ok.ok()) << ok.error().message();

  signature[10] ^= 1;
  Status bad = key->Verify(signing_input, signature);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kPermissionDenied);
}

TEST(Es256Test, SignThenVerify) {
  Es256KeyPair keys = NewKey();
  auto signature = keys.Sign("hello");
  ASSERT_TRUE(signature.ok()) << signature.error().message();
  EXPECT_TRUE(keys.public_key().Verify("hello", *signature).ok());
  EXPECT_FALSE(keys.public_key().Verify("hello!", *signature).ok());
  EXPECT_FALSE(NewKey().public_key().Verify("hello", *signature).ok());
}

TEST(Es256Test, RejectsSignaturesOfTheWrongShape) {
  Es256KeyPair keys = NewKey();
  auto signature = keys.Sign("m");
  ASSERT_TRUE(signature.ok());
  std::vector<uint8_t> truncated(signature->begin(), signature->end() - 1);
  Status r = keys.public_key().Verify("m", truncated);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDecode);
  // r = s = 0 is outside the valid range and must fail cleanly, not crash.
  Es256Signature zeros{};
  EXPECT_EQ(keys.public_key().Verify("m", zeros).error().code(), ErrorCode::kPermissionDenied);
  Es256Signature ones;
  ones.fill(0xFF);  // r, s >= the group order
  EXPECT_EQ(keys.public_key().Verify("m", ones).error().code(), ErrorCode::kPermissionDenied);
}

TEST(Es256Test, PemRoundTripKeepsTheKey) {
  Es256KeyPair keys = NewKey();
  std::string private_pem = keys.PrivateKeyPem();
  std::string public_pem = keys.public_key().ToPem();
  EXPECT_EQ(private_pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u) << private_pem;
  EXPECT_EQ(public_pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u) << public_pem;

  auto reloaded = Es256KeyPair::FromPem(private_pem);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message();
  EXPECT_TRUE(reloaded->public_key() == keys.public_key());
  auto public_only = Es256PublicKey::FromPem(public_pem);
  ASSERT_TRUE(public_only.ok()) << public_only.error().message();
  EXPECT_TRUE(*public_only == keys.public_key());

  auto signature = reloaded->Sign("payload");
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(public_only->Verify("payload", *signature).ok());
  EXPECT_FALSE(*public_only == NewKey().public_key());
}

TEST(Es256Test, ReadsSec1PrivateKeys) {
  EVP_PKEY* raw = EVP_EC_gen("P-256");
  ASSERT_NE(raw, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  // PEM_write_bio_ECPrivateKey is deprecated; the encoder API writes the same "EC PRIVATE KEY" structure.
  ASSERT_EQ(PEM_write_bio_PrivateKey_traditional(bio, raw, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string sec1(data, size_t(len));
  BIO_free(bio);
  EVP_PKEY_free(raw);
  ASSERT_EQ(sec1.rfind("-----BEGIN EC PRIVATE KEY-----", 0), 0u) << sec1;
  EXPECT_TRUE(Es256KeyPair::FromPem(sec1).ok());
}

TEST(Es256Test, RejectsGarbageAndOtherCurvesWithClearErrors) {
  auto garbage = Es256KeyPair::FromPem("not a key");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code(), ErrorCode::kDecode);
  EXPECT_NE(garbage.error().message().find("BEGIN PRIVATE KEY"), std::string::npos) << garbage.error().message();
  EXPECT_FALSE(Es256PublicKey::FromPem("").ok());
  EXPECT_FALSE(Es256PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").ok());

  EVP_PKEY* p384 = EVP_EC_gen("P-384");
  ASSERT_NE(p384, nullptr);
  auto wrong_curve = Es256KeyPair::FromPem(PemOf(p384, true));
  ASSERT_FALSE(wrong_curve.ok());
  EXPECT_NE(wrong_curve.error().message().find("P-256"), std::string::npos) << wrong_curve.error().message();
  EXPECT_FALSE(Es256PublicKey::FromPem(PemOf(p384, false)).ok());
  EVP_PKEY_free(p384);

  EVP_PKEY* ed25519 = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ASSERT_NE(ed25519, nullptr);
  auto not_ec = Es256KeyPair::FromPem(PemOf(ed25519, true));
  ASSERT_FALSE(not_ec.ok());
  EXPECT_NE(not_ec.error().message().find("not an elliptic-curve key"), std::string::npos);
  EVP_PKEY_free(ed25519);
}

// An encrypted key must be an error, never a passphrase prompt on the server's terminal.
TEST(Es256Test, EncryptedPrivateKeyIsAnErrorNotAPrompt) {
  EVP_PKEY* raw = EVP_EC_gen("P-256");
  ASSERT_NE(raw, nullptr);
  std::string encrypted = PemOf(raw, true, "secret");
  EVP_PKEY_free(raw);
  ASSERT_NE(encrypted.find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_FALSE(Es256KeyPair::FromPem(encrypted).ok());
}

TEST(Es256Test, RejectsPointsOffTheCurve) {
  std::vector<uint8_t> x = Bytes("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU");
  std::vector<uint8_t> y = Bytes("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
  y[31] ^= 1;
  EXPECT_FALSE(Es256PublicKey::FromCoordinates(x, y).ok());
  EXPECT_FALSE(Es256PublicKey::FromCoordinates(std::span<const uint8_t>(x.data(), 31), y).ok());
}

}  // namespace
}  // namespace stdb::auth
