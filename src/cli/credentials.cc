#include "cli/credentials.h"

#include "cli/auth_token.h"
#include "cli/http_client.h"
#include "cli/server_api.h"
#include "sats/json.h"

namespace stdb::cli {

Result<IssuedIdentity> RequestNewIdentity(const std::string& server_url) {
  ServerApi api(server_url, std::nullopt);
  STDB_ASSIGN_OR_RETURN(HttpResponse response, api.Send("POST", "/v1/identity"));
  if (!response.ok()) return ResponseError(response, "requesting a new identity from " + server_url);
  auto json = sats::Json::Parse(response.body);
  const sats::Json* token = json.ok() && json->is_object() ? json->Find("token") : nullptr;
  if (!token || !token->is_string())
    return Error(ErrorCode::kDecode, "the server at " + server_url +
                                         " answered POST /v1/identity without a token; is it a SpacetimeDB server?");
  IssuedIdentity issued;
  issued.token = token->text();
  const sats::Json* identity = json->Find("identity");
  if (identity && identity->is_string() && sats::Identity::FromHex(identity->text())) {
    issued.identity = *sats::Identity::FromHex(identity->text());
  } else {
    STDB_ASSIGN_OR_RETURN(issued.identity, IdentityOfToken(issued.token));
  }
  return issued;
}

Result<std::string> ServerIssuedLogin(CliConfig& config, const std::string& server_url, std::ostream& out) {
  STDB_ASSIGN_OR_RETURN(IssuedIdentity issued, RequestNewIdentity(server_url));
  config.SetToken(issued.token);
  STDB_RETURN_IF_ERROR(config.Save());
  out << "We have logged in directly to your target server.\n"
      << "WARNING: This login will NOT work for any other servers.\n"
      << "Logged in with identity " << issued.identity.ToHex() << "\n";
  return issued.token;
}

Result<std::optional<std::string>> TokenForRequest(CliConfig& config, const std::string& server_url, bool anonymous,
                                                   std::ostream& out) {
  if (anonymous) return std::optional<std::string>();
  if (config.token()) return std::optional<std::string>(*config.token());
  STDB_ASSIGN_OR_RETURN(std::string token, ServerIssuedLogin(config, server_url, out));
  return std::optional<std::string>(std::move(token));
}

}  // namespace stdb::cli
