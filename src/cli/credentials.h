// Credentials: the login token a command sends, obtained the way the reference CLI does when none is saved —
// by asking the target server for a new identity (POST /v1/identity, "server-issued login") and saving the token
// in the CLI config for later commands.
//
// Thread-safety: functions over the caller's CliConfig; not for concurrent use on one config.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "cli/cli_config.h"
#include "sats/result.h"
#include "sats/special_types.h"

namespace stdb::cli {

struct IssuedIdentity {
  sats::Identity identity;
  std::string token;
};

// POST {server_url}/v1/identity: a new anonymous identity and its token.
Result<IssuedIdentity> RequestNewIdentity(const std::string& server_url);

// Logs in to `server_url` with a server-issued identity, saves the token in `config` (and the config file) and
// prints what happened to `out`.
Result<std::string> ServerIssuedLogin(CliConfig& config, const std::string& server_url, std::ostream& out);

// The saved token; when there is none, performs ServerIssuedLogin against `server_url` (messages go to `out`).
// With `anonymous`, returns nullopt: the request goes without credentials.
Result<std::optional<std::string>> TokenForRequest(CliConfig& config, const std::string& server_url, bool anonymous,
                                                   std::ostream& out);

}  // namespace stdb::cli
