// `spacetime subscribe <db> <query>... [-n N] [-t SECONDS] [--print-initial-update] [--confirmed bool]`:
// subscribes over WebSocket (GET /v1/database/{identity}/subscribe, Authorization: Bearer) and prints every
// transaction update touching the queries as one JSON line (subscription_messages.h). It offers
// v3.bsatn.spacetimedb with ?compression=None and falls back to v1.json.spacetimedb, like the reference CLI.
//
// Stops after N updates (-n), at the timeout (-t; timing out before N updates is an error), or when the server
// closes the connection (an error if fewer than N updates arrived).
//
// Thread-safety: runs on the caller's thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct SubscribeOptions {
  std::vector<std::string> parts;  // <database> <query> [query...]
  std::optional<uint32_t> num_updates;
  std::optional<uint32_t> timeout_seconds;
  bool print_initial_update = false;
  std::optional<bool> confirmed;
  bool anonymous = false;
  std::string server;
  bool yes = false;
};

Status RunSubscribe(const SubscribeOptions& options, CommandContext& ctx);

}  // namespace stdb::cli
