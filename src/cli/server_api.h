// ServerApi: the client side of a SpacetimeDB server's HTTP API (spec/client-protocol.md §9), as the `spacetime`
// commands use it: every request goes to one base URL and carries the login token as `Authorization: Bearer`.
//
// Commands address databases the way the reference CLI does: a name is first resolved to the database identity
// (GET /v1/database/{name}/identity), and the identity (64 hex digits) is used in the route; publish is the
// exception, it PUTs to the name.
//
// ResponseError turns a non-2xx response into an Error whose message says what failed, quotes the server's text
// and tells the user what to do next (log in, check the name, ...).
//
// Thread-safety: immutable after construction; requests are independent.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cli/http_client.h"
#include "sats/result.h"
#include "sats/special_types.h"

namespace stdb::cli {

// True if `text` is a database identity: 64 hex digits, optionally prefixed with 0x.
bool LooksLikeIdentity(std::string_view text);
// Checks a database name against ^[a-z0-9]+(-[a-z0-9]+)*$ (spec §8.1).
Status ValidateDatabaseName(std::string_view name);

// The module definition as the /schema route returned it.
struct SchemaJson {
  int version = 10;  // 10 or 9
  std::string json;  // SATS-JSON of RawModuleDefV10 / RawModuleDefV9
};

class ServerApi {
 public:
  ServerApi(std::string base_url, std::optional<std::string> token)
      : base_url_(std::move(base_url)), token_(std::move(token)) {}

  const std::string& base_url() const { return base_url_; }

  // `path` starts with "/v1/..." and may carry a query.
  Result<HttpResponse> Send(const std::string& method, const std::string& path, std::string body = {},
                            HttpHeaders headers = {}) const;
  HttpRequest MakeRequest(const std::string& method, const std::string& path, std::string body = {},
                          HttpHeaders headers = {}) const;

  // The identity of a database given by name or identity.
  Result<sats::Identity> ResolveDatabase(std::string_view name_or_identity) const;
  // GET /schema?version=10, falling back to version 9 when the server answers 4xx.
  Result<SchemaJson> GetSchema(const sats::Identity& database, std::string_view display_name) const;

 private:
  std::string base_url_;
  std::optional<std::string> token_;
};

// The error for a failed (non-2xx) response. `action` says what was attempted ("calling reducer `add` on database
// `chat`"); the message adds the status, the server's text and a hint matching the status.
Error ResponseError(const HttpResponse& response, const std::string& action);

// "/v1/database/<64 hex>".
std::string DatabasePath(const sats::Identity& database);

}  // namespace stdb::cli
