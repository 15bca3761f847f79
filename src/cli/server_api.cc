#include "cli/server_api.h"

#include <cctype>

#include "cli/http_url.h"

namespace stdb::cli {

bool LooksLikeIdentity(std::string_view text) {
  if (text.size() == 66 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  if (text.size() != 64) return false;
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

Status ValidateDatabaseName(std::string_view name) {
  bool ok = !name.empty() && name.front() != '-' && name.back() != '-';
  for (size_t i = 0; ok && i < name.size(); ++i) {
    char c = name[i];
    if (c == '-') {
      ok = name[i - 1] != '-';
    } else {
      ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
  }
  if (ok) return OkStatus();
  return Error(ErrorCode::kInvalidArgument,
               "'" + std::string(name) +
                   "' is not a valid database name: use lowercase letters and digits, separated by single dashes "
                   "(e.g. quickstart-chat), or a 64-hex-digit database identity");
}

std::string DatabasePath(const sats::Identity& database) { return "/v1/database/" + database.ToHex(); }

HttpRequest ServerApi::MakeRequest(const std::string& method, const std::string& path, std::string body,
                                   HttpHeaders headers) const {
  HttpRequest request;
  request.method = method;
  request.url = base_url_ + path;
  request.body = std::move(body);
  request.headers = std::move(headers);
  if (token_) request.headers.emplace_back("Authorization", "Bearer " + *token_);
  return request;
}

Result<HttpResponse> ServerApi::Send(const std::string& method, const std::string& path, std::string body,
                                     HttpHeaders headers) const {
  return SendHttpRequest(MakeRequest(method, path, std::move(body), std::move(headers)));
}

Result<sats::Identity> ServerApi::ResolveDatabase(std::string_view name_or_identity) const {
  if (LooksLikeIdentity(name_or_identity)) return *sats::Identity::FromHex(name_or_identity);
  if (name_or_identity.empty())
    return Error(ErrorCode::kInvalidArgument, "no database given; name the database (or its identity) to use");
  STDB_ASSIGN_OR_RETURN(HttpResponse response,
                        Send("GET", "/v1/database/" + PercentEncode(name_or_identity) + "/identity"));
  if (response.status == 404)
    return Error(ErrorCode::kNotFound, "database `" + std::string(name_or_identity) + "` not found on " + base_url_ +
                                           " — check the name with `spacetime list`, or publish it with "
                                           "`spacetime publish " + std::string(name_or_identity) + "`");
  if (!response.ok())
    return ResponseError(response, "looking up database `" + std::string(name_or_identity) + "`");
  std::string text = response.body;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  auto identity = sats::Identity::FromHex(text);
  if (!identity)
    return Error(ErrorCode::kDecode, "the server answered the identity lookup of `" + std::string(name_or_identity) +
                                         "` with '" + text + "', which is not an identity; is " + base_url_ +
                                         " a SpacetimeDB server?");
  return *identity;
}

Result<SchemaJson> ServerApi::GetSchema(const sats::Identity& database, std::string_view display_name) const {
  STDB_ASSIGN_OR_RETURN(HttpResponse response, Send("GET", DatabasePath(database) + "/schema?version=10"));
  int version = 10;
  if (response.status >= 400 && response.status < 500 && response.status != 404) {
    STDB_ASSIGN_OR_RETURN(HttpResponse v9, Send("GET", DatabasePath(database) + "/schema?version=9"));
    if (v9.ok()) {
      response = std::move(v9);
      version = 9;
    }
  }
  if (response.status == 404)
    return Error(ErrorCode::kNotFound, "database `" + std::string(display_name) + "` not found on " + base_url_ +
                                           ": " + response.body + " — check the name with `spacetime list`");
  if (!response.ok()) return ResponseError(response, "reading the schema of database `" + std::string(display_name) + "`");
  return SchemaJson{version, std::move(response.body)};
}

Error ResponseError(const HttpResponse& response, const std::string& action) {
  std::string body = response.body;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.pop_back();
  std::string message = action + " failed: " + std::to_string(response.status) +
                        (response.reason.empty() ? std::string() : " " + response.reason);
  if (!body.empty()) message += ": " + body;
  ErrorCode code = ErrorCode::kInternal;
  switch (response.status) {
    case 400:
      code = ErrorCode::kInvalidArgument;
      message += " — correct what the server's message points out and try again";
      break;
    case 401:
      code = ErrorCode::kPermissionDenied;
      message += " — the server did not accept your login; log in again with `spacetime logout` and "
                 "`spacetime login --server-issued-login <server>`";
      break;
    case 403:
      code = ErrorCode::kPermissionDenied;
      message += " — only the database's owner may do this; see who you are logged in as with `spacetime login show`";
      break;
    case 404:
      code = ErrorCode::kNotFound;
      message += " — check the database name with `spacetime list`";
      break;
    default:
      if (response.status >= 500) {
        message += " — the server failed; its log (`spacetime start` output) says why";
      } else {
        message += " — the server refused the request; its message above says why";
      }
      break;
  }
  return Error(code, message);
}

}  // namespace stdb::cli
