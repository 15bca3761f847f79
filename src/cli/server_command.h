// `spacetime server add|list|set-default|remove|ping|fingerprint`: the saved servers of the CLI config
// (cli_config.h), as in the reference CLI:
//   add <nickname> --url <url> [-d] [--no-fingerprint]   saves a server, fetching its public key
//                                                        (GET /v1/identity/public-key) unless --no-fingerprint
//   list                                                 the saved servers, the default one marked ***
//   set-default <server>, remove <server>
//   ping <server>                                        GET /v1/ping
//   fingerprint <server>                                 fetches the public key again and saves it if changed
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <string>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct ServerOptions {
  std::string action;  // add | list | set-default | remove | ping | fingerprint
  std::string server;  // the nickname, host or URL the action works on (add: the new nickname)
  std::string url;     // add --url
  bool make_default = false;
  bool no_fingerprint = false;
  bool yes = false;
};

Status RunServerCommand(const ServerOptions& options, CommandContext& ctx);

// GET {url}/v1/identity/public-key.
Result<std::string> FetchServerFingerprint(const std::string& url);

}  // namespace stdb::cli
