// Helpers shared by the `spacetime` commands: reaching a server with the right credentials, fetching and
// validating a database's module definition, and asking the user to confirm.
//
// Thread-safety: functions over the caller's CommandContext.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cli/command_context.h"
#include "cli/server_api.h"
#include "host/module_def.h"
#include "sats/result.h"

namespace stdb::cli {

// The API of `server` (nickname, host or URL; empty = default server), carrying the saved token — or, when none is
// saved, a server-issued one obtained now (POST /v1/identity) and saved. With `anonymous`, no token.
Result<ServerApi> ConnectToServer(CommandContext& ctx, std::string_view server, bool anonymous);
// The API of `server` with whatever token is saved (none is requested).
Result<ServerApi> ServerWithSavedToken(CommandContext& ctx, std::string_view server);

// The database's module definition, read from its /schema route and validated.
Result<host::ModuleDef> FetchModuleDef(const ServerApi& api, const sats::Identity& database,
                                       std::string_view display_name);

// Asks `question` with " [y/N]" and reads a line from ctx.in; true only for "y"/"yes". With `assume_yes`, prints
// "Skipping confirmation due to --yes" and returns true.
bool Confirm(CommandContext& ctx, const std::string& question, bool assume_yes);

// The module directory a command uses when none is given: ./spacetimedb if it exists, else the current directory.
std::string DefaultModuleDirectory();

}  // namespace stdb::cli
