// `spacetime publish [name|identity]`: builds the module (or takes a prebuilt .wasm with -b) and uploads it,
// as the reference CLI does (spec/client-protocol.md §9.4, §12):
//   - with a name: POST /v1/database/{name}/pre_publish first (404 = new database), printing the migration plan
//     and asking before breaking clients; then PUT /v1/database/{name}?host_type=Wasm[&clear=true]
//     [&token=...&policy=BreakClients];
//   - without: POST /v1/database (a new database with a fresh identity).
// --delete-data=always clears the database first (after confirmation); on-conflict clears only when the update
// needs a manual migration; never (the default) refuses such updates. --delete-data alone means always.
// -y/--yes answers the confirmations; publishing to a non-local server asks first.
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct PublishOptions {
  std::optional<std::string> database;     // name or identity; none: a new database with a generated identity
  std::optional<std::string> module_path;  // -p
  std::optional<std::string> bin_path;     // -b
  std::string delete_data = "never";       // always | on-conflict | never
  std::vector<std::string> yes;            // --yes[=all|remote|migrate|break-clients|skip-login|delete-data]
  bool break_clients = false;
  bool anonymous = false;
  std::string server;
};

Status RunPublish(const PublishOptions& options, CommandContext& ctx);

}  // namespace stdb::cli
