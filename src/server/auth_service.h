// AuthService: who is calling — the server's key pair and the request authentication of spec/client-protocol.md
// §8.1 and §10: credentials come from `Authorization: Bearer <jwt>` or `?token=`; a valid token names the caller;
// a request without credentials gets a freshly minted anonymous identity and token (returned to the client in
// the `spacetime-identity` / `spacetime-identity-token` headers or the first WebSocket message).
//
// Thread-safety: immutable after construction; all methods may be called concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "auth/key_store.h"
#include "auth/token_issuer.h"
#include "auth/token_validator.h"
#include "server/http_types.h"

namespace stdb::server {

struct Caller {
  sats::Identity identity;
  std::string token;         // the token the caller used, or the one minted for it
  std::string jwt_payload;   // the token's payload JSON (the connection's credentials for modules)
  auth::IdentityClaims claims;
  bool minted = false;       // no credentials were sent; `token` is new
};

// An authentication failure and the HTTP status it maps to (400 malformed header, 401 invalid token).
struct AuthFailure {
  int status;
  std::string message;
};

class AuthService {
 public:
  // Loads the key pair from `key_dir` (id_ecdsa, id_ecdsa.pub), creating it on first start.
  static Result<std::unique_ptr<AuthService>> Open(const std::string& key_dir);

  // Authenticates a request; without credentials mints an anonymous identity when `mint` is set, else fails.
  std::variant<Caller, AuthFailure> Authenticate(const HttpRequest& request, bool mint) const;
  // The headers announcing a caller's identity and token.
  void AddIdentityHeaders(const Caller& caller, HttpHeaders& headers) const;

  const auth::TokenIssuer& issuer() const { return issuer_; }
  const auth::TokenValidator& validator() const { return validator_; }
  const std::string& public_key_pem() const { return public_key_pem_; }

 private:
  AuthService(auth::ServerKeys keys);
  auth::TokenIssuer issuer_;
  auth::TokenValidator validator_;
  std::string public_key_pem_;
};

}  // namespace stdb::server
