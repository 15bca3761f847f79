// ES256 keys: ECDSA over NIST P-256 with SHA-256 (RFC 7518 §3.4), the only algorithm SpacetimeDB servers sign
// their tokens with (spec/client-protocol.md §10.2). Wraps OpenSSL 3's EVP API.
//
// Signatures use the JOSE encoding, not DER: the two 32-byte big-endian integers r and s concatenated (64 bytes).
// Key files use PEM: the private key as PKCS#8 ("BEGIN PRIVATE KEY", SEC1 "BEGIN EC PRIVATE KEY" is also read),
// the public key as SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"), as the reference writes them.
//
// Thread-safety: keys are immutable after construction and may be shared by threads; every Sign/Verify call
// uses its own OpenSSL context. Copies share the underlying OpenSSL key (reference counted).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "sats/result.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace stdb::auth {

inline constexpr size_t kEs256SignatureLen = 64;
using Es256Signature = std::array<uint8_t, kEs256SignatureLen>;

class Es256PublicKey {
 public:
  // Reads a PEM public key; errors (kDecode) if it is not PEM, not EC, or not on P-256.
  static Result<Es256PublicKey> FromPem(std::string_view pem);
  // The point (x, y), each 32 bytes big-endian, as in a JWK's "x" and "y" members.
  static Result<Es256PublicKey> FromCoordinates(std::span<const uint8_t> x, std::span<const uint8_t> y);

  std::string ToPem() const;  // SubjectPublicKeyInfo PEM, newline-terminated

  // OK if `signature` (JOSE r||s) is a valid ES256 signature of `message`; kPermissionDenied if it does not
  // match, kDecode if it is not 64 bytes.
  Status Verify(std::string_view message, std::span<const uint8_t> signature) const;

  bool operator==(const Es256PublicKey& other) const;

 private:
  explicit Es256PublicKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
  friend class Es256KeyPair;
  std::shared_ptr<EVP_PKEY> key_;
};

class Es256KeyPair {
 public:
  // A fresh key from OpenSSL's CSPRNG.
  static Result<Es256KeyPair> Generate();
  // Reads a PEM private key (PKCS#8 or SEC1, unencrypted); errors (kDecode) if it is not an EC P-256 key.
  static Result<Es256KeyPair> FromPem(std::string_view private_pem);

  std::string PrivateKeyPem() const;  // PKCS#8 PEM, newline-terminated
  const Es256PublicKey& public_key() const { return public_key_; }

  // The JOSE signature (r||s) of SHA-256(message).
  Result<Es256Signature> Sign(std::string_view message) const;

 private:
  Es256KeyPair(std::shared_ptr<EVP_PKEY> key, Es256PublicKey public_key)
      : key_(std::move(key)), public_key_(std::move(public_key)) {}
  static Result<Es256KeyPair> FromPrivateKey(EVP_PKEY* owned_key);
  std::shared_ptr<EVP_PKEY> key_;
  Es256PublicKey public_key_;
};

}  // namespace stdb::auth
