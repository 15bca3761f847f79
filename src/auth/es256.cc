#include "auth/es256.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <vector>

namespace stdb::auth {
namespace {

constexpr size_t kCoordinateLen = 32;

struct BioDeleter { void operator()(BIO* b) const { BIO_free(b); } };
struct MdCtxDeleter { void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); } };
struct PkeyCtxDeleter { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };
struct SigDeleter { void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); } };
struct ParamBldDeleter { void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); } };
struct ParamDeleter { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* key) { return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free); }

// Drains OpenSSL's thread-local error queue (so stale errors never leak into a later call) and returns the
// most recent reason, for messages.
std::string TakeOpenSslError() {
  unsigned long last = 0;
  while (unsigned long e = ERR_get_error()) last = e;
  if (last == 0) return "no detail from OpenSSL";
  char buf[256];
  ERR_error_string_n(last, buf, sizeof(buf));
  return buf;
}

// Never prompt on a terminal for a passphrase: an encrypted key file is an error, not a question.
int RefusePassphrase(char*, int, int, void*) { return 0; }

Status CheckIsP256(EVP_PKEY* key, const std::string& what) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
    return Error(ErrorCode::kDecode, what + " is not an elliptic-curve key (ES256 needs ECDSA P-256)");
  }
  char name[80] = {};
  size_t name_len = 0;
  if (EVP_PKEY_get_group_name(key, name, sizeof(name), &name_len) != 1) {
    return Error(ErrorCode::kDecode, what + " has no named curve: " + TakeOpenSslError());
  }
  int nid = OBJ_sn2nid(name);
  if (nid == NID_undef) nid = EC_curve_nist2nid(name);
  if (nid != NID_X9_62_prime256v1) {
    return Error(ErrorCode::kDecode, what + " is on curve " + name + ", but ES256 needs P-256 (prime256v1)");
  }
  return OkStatus();
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, size_t(len));
}

std::unique_ptr<BIO, BioDeleter> ReadOnlyBio(std::string_view text) {
  return std::unique_ptr<BIO, BioDeleter>(BIO_new_mem_buf(text.data(), int(text.size())));
}

}  // namespace

// --- Es256PublicKey ------------------------------------------------------------------------------------------

Result<Es256PublicKey> Es256PublicKey::FromPem(std::string_view pem) {
  if (pem.size() > (1 << 20)) return Error(ErrorCode::kDecode, "public key PEM is implausibly large");
  auto bio = ReadOnlyBio(pem);
  EVP_PKEY* raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, RefusePassphrase, nullptr);
  if (raw == nullptr) {
    return Error(ErrorCode::kDecode,
                 "not a PEM public key (expected \"-----BEGIN PUBLIC KEY-----\"): " + TakeOpenSslError());
  }
  auto key = Own(raw);
  STDB_RETURN_IF_ERROR(CheckIsP256(key.get(), "the public key"));
  return Es256PublicKey(std::move(key));
}

Result<Es256PublicKey> Es256PublicKey::FromCoordinates(std::span<const uint8_t> x, std::span<const uint8_t> y) {
  if (x.size() != kCoordinateLen || y.size() != kCoordinateLen) {
    return Error(ErrorCode::kDecode, "P-256 coordinates must be 32 bytes each, got " + std::to_string(x.size()) +
                                         " and " + std::to_string(y.size()));
  }
  // Uncompressed SEC1 point encoding: 0x04 || x || y.
  std::vector<uint8_t> point;
  point.reserve(1 + 2 * kCoordinateLen);
  point.push_back(0x04);
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());

  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, SN_X9_62_prime256v1, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return Error(ErrorCode::kInternal, "building EC key parameters: " + TakeOpenSslError());
  }
  std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(builder.get()));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || raw == nullptr) {
    // OpenSSL refuses points that are not on the curve here.
    return Error(ErrorCode::kDecode, "not a valid P-256 public point: " + TakeOpenSslError());
  }
  return Es256PublicKey(Own(raw));
}

std::string Es256PublicKey::ToPem() const {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) return {};
  return BioContents(bio.get());
}

Status Es256PublicKey::Verify(std::string_view message, std::span<const uint8_t> signature) const {
  if (signature.size() != kEs256SignatureLen) {
    return Error(ErrorCode::kDecode, "an ES256 signature is 64 bytes (r || s), got " +
                                         std::to_string(signature.size()));
  }
  // OpenSSL verifies DER-encoded ECDSA-Sig-Value structures; convert r||s to one.
  std::unique_ptr<ECDSA_SIG, SigDeleter> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(signature.data(), kCoordinateLen, nullptr);
  BIGNUM* s = BN_bin2bn(signature.data() + kCoordinateLen, kCoordinateLen, nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return Error(ErrorCode::kInternal, "allocating an ECDSA signature: " + TakeOpenSslError());
  }
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) return Error(ErrorCode::kInternal, "encoding an ECDSA signature: " + TakeOpenSslError());
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> der_owner(der, [](unsigned char* p) { OPENSSL_free(p); });

  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1) {
    return Error(ErrorCode::kInternal, "initialising ES256 verification: " + TakeOpenSslError());
  }
  int rc = EVP_DigestVerify(ctx.get(), der, size_t(der_len), reinterpret_cast<const unsigned char*>(message.data()),
                            message.size());
  if (rc != 1) {
    TakeOpenSslError();  // a mismatch (0) or an out-of-range r/s (<0) both mean "not signed by this key"
    return Error(ErrorCode::kPermissionDenied, "signature does not match the key");
  }
  return OkStatus();
}

bool Es256PublicKey::operator==(const Es256PublicKey& other) const {
  return EVP_PKEY_eq(key_.get(), other.key_.get()) == 1;
}

// --- Es256KeyPair --------------------------------------------------------------------------------------------

Result<Es256KeyPair> Es256KeyPair::FromPrivateKey(EVP_PKEY* owned_key) {
  auto key = Own(owned_key);
  STDB_RETURN_IF_ERROR(CheckIsP256(key.get(), "the private key"));
  // The public half as its own key object (via its DER encoding), so verification never touches the private key.
  unsigned char* der = nullptr;
  int der_len = i2d_PUBKEY(key.get(), &der);
  if (der_len <= 0) return Error(ErrorCode::kInternal, "extracting the public key: " + TakeOpenSslError());
  const unsigned char* cursor = der;
  EVP_PKEY* public_only = d2i_PUBKEY(nullptr, &cursor, der_len);
  OPENSSL_free(der);
  if (public_only == nullptr) return Error(ErrorCode::kInternal, "re-reading the public key: " + TakeOpenSslError());
  return Es256KeyPair(std::move(key), Es256PublicKey(Own(public_only)));
}

Result<Es256KeyPair> Es256KeyPair::Generate() {
  EVP_PKEY* raw = EVP_EC_gen(SN_X9_62_prime256v1);
  if (raw == nullptr) return Error(ErrorCode::kInternal, "generating a P-256 key: " + TakeOpenSslError());
  return FromPrivateKey(raw);
}

Result<Es256KeyPair> Es256KeyPair::FromPem(std::string_view private_pem) {
  if (private_pem.size() > (1 << 20)) return Error(ErrorCode::kDecode, "private key PEM is implausibly large");
  auto bio = ReadOnlyBio(private_pem);
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, RefusePassphrase, nullptr);
  if (raw == nullptr) {
    return Error(ErrorCode::kDecode, "not an unencrypted PEM private key (expected \"-----BEGIN PRIVATE KEY-----\"): " +
                                         TakeOpenSslError());
  }
  return FromPrivateKey(raw);
}

std::string Es256KeyPair::PrivateKeyPem() const {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY") in OpenSSL 3.
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) return {};
  return BioContents(bio.get());
}

Result<Es256Signature> Es256KeyPair::Sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1) {
    return Error(ErrorCode::kInternal, "initialising ES256 signing: " + TakeOpenSslError());
  }
  std::vector<unsigned char> der(size_t(EVP_PKEY_get_size(key_.get())));
  size_t der_len = der.size();
  if (EVP_DigestSign(ctx.get(), der.data(), &der_len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    return Error(ErrorCode::kInternal, "ES256 signing failed: " + TakeOpenSslError());
  }
  const unsigned char* cursor = der.data();
  std::unique_ptr<ECDSA_SIG, SigDeleter> sig(d2i_ECDSA_SIG(nullptr, &cursor, long(der_len)));
  if (!sig) return Error(ErrorCode::kInternal, "decoding OpenSSL's ECDSA signature: " + TakeOpenSslError());
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  Es256Signature out;
  if (BN_bn2binpad(r, out.data(), kCoordinateLen) != int(kCoordinateLen) ||
      BN_bn2binpad(s, out.data() + kCoordinateLen, kCoordinateLen) != int(kCoordinateLen)) {
    return Error(ErrorCode::kInternal, "ECDSA signature component longer than 32 bytes");
  }
  return out;
}

}  // namespace stdb::auth
