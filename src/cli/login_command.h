// `spacetime login`, `spacetime login show [--token]` and `spacetime logout`: the CLI's saved identity.
//   login --server-issued-login <server>   asks that server for a new identity (POST /v1/identity) and saves its
//                                           token; it is valid on that server only
//   login --token <jwt>                     saves a token obtained elsewhere
//   login show [--token]                    prints the identity of the saved token (and the token)
//   logout                                  forgets the token
// Logging in through spacetimedb.com (the reference's default) is not available in this CLI.
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <optional>
#include <string>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct LoginOptions {
  bool show = false;        // `login show`
  bool show_token = false;  // `login show --token`
  std::optional<std::string> server_issued_login;
  std::optional<std::string> token;
  std::optional<std::string> auth_host;
};

Status RunLogin(const LoginOptions& options, CommandContext& ctx);
Status RunLogout(CommandContext& ctx);

}  // namespace stdb::cli
