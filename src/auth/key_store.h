// The server's signing key pair on disk (spec/client-protocol.md §10.2):
//
//   <dir>/id_ecdsa       private key, PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), mode 0600
//   <dir>/id_ecdsa.pub   public key, SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----")
//
// (The two paths can also be given separately, like the reference's --jwt-priv-key-path/--jwt-pub-key-path.)
// On first start neither file exists and a fresh P-256 pair is generated and written. Each file is written to a
// temporary name, fsynced, renamed into place and the directory fsynced, so a crash never leaves a truncated
// key behind. The private key is written first; if a crash then loses the public file, it is re-derived from
// the private key on the next start. A public key without its private key is an error (generating a new pair
// would silently invalidate every token issued so far), as are unreadable, corrupt or mismatched files.
//
// Thread-safety: stateless functions; do not run two servers on the same key directory at once.
#pragma once

#include <filesystem>
#include <string>

#include "auth/es256.h"
#include "sats/result.h"

namespace stdb::auth {

inline constexpr std::string_view kPrivateKeyFileName = "id_ecdsa";
inline constexpr std::string_view kPublicKeyFileName = "id_ecdsa.pub";

struct ServerKeyPaths {
  std::filesystem::path private_key;
  std::filesystem::path public_key;
  static ServerKeyPaths InDirectory(const std::filesystem::path& dir);
};

struct ServerKeys {
  Es256KeyPair keys;
  std::string public_key_pem;  // the public key file's contents, served by GET /v1/identity/public-key
  bool created = false;        // true if this call generated the pair
};

// Loads the pair, creating it (and missing parent directories) if neither file exists. Errors: kIo for files
// that cannot be read or written, kCorruption for files that do not hold a P-256 key or do not match each other,
// kNotFound if only the public key exists.
Result<ServerKeys> LoadOrCreateServerKeys(const ServerKeyPaths& paths);

}  // namespace stdb::auth
