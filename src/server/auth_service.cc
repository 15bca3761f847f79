#include "server/auth_service.h"

#include "auth/request_credentials.h"

namespace stdb::server {

AuthService::AuthService(auth::ServerKeys keys)
    : issuer_(keys.keys),
      validator_(keys.keys.public_key()),
      public_key_pem_(std::move(keys.public_key_pem)) {}

Result<std::unique_ptr<AuthService>> AuthService::Open(const std::string& key_dir) {
  STDB_ASSIGN_OR_RETURN(auto keys, auth::LoadOrCreateServerKeys(auth::ServerKeyPaths::InDirectory(key_dir)));
  return std::unique_ptr<AuthService>(new AuthService(std::move(keys)));
}

std::variant<Caller, AuthFailure> AuthService::Authenticate(const HttpRequest& request, bool mint) const {
  auto token = auth::TokenFromRequest(request.Header("authorization"), request.QueryParam("token"));
  if (!token.ok()) return AuthFailure{400, token.error().message()};
  Caller caller;
  if (!*token) {
    if (!mint) return AuthFailure{401, "Authorization required"};
    auto issued = issuer_.MintAnonymous();
    if (!issued.ok()) return AuthFailure{500, issued.error().message()};
    caller.identity = issued->claims.identity;
    caller.token = issued->token;
    caller.claims = issued->claims;
    caller.jwt_payload = issued->claims.ToJson().Dump();
    caller.minted = true;
    return caller;
  }
  auto validated = validator_.Validate(**token);
  if (!validated.ok()) return AuthFailure{401, validated.error().message()};
  caller.identity = validated->claims.identity;
  caller.token = std::string(**token);
  caller.claims = validated->claims;
  caller.jwt_payload = validated->payload_json;
  return caller;
}

void AuthService::AddIdentityHeaders(const Caller& caller, HttpHeaders& headers) const {
  headers.Set("spacetime-identity", caller.identity.ToHex());
  headers.Set("spacetime-identity-token", caller.token);
}

}  // namespace stdb::server
