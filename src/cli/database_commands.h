// The commands that manage databases on a server: `delete`, `list` and `rename` (spec/client-protocol.md §9.4):
//   delete <db>            DELETE /v1/database/{identity} (owner only), after confirmation unless -y
//   list                   GET /v1/identity/{me}/databases, then GET /v1/database/{id}/names for each, as a table
//   rename --to <name> <db>  PUT /v1/database/{identity}/names with ["<name>"]
// A database is given by name or identity; names are resolved to identities first.
//
// Thread-safety: run on the caller's thread.
#pragma once

#include <string>

#include "cli/command_context.h"
#include "sats/result.h"

namespace stdb::cli {

struct DeleteOptions {
  std::string database;
  std::string server;
  bool yes = false;
};

struct ListOptions {
  std::string server;
  bool yes = false;
};

struct RenameOptions {
  std::string database;  // identity (or a current name)
  std::string new_name;  // --to
  std::string server;
  bool yes = false;
};

Status RunDelete(const DeleteOptions& options, CommandContext& ctx);
Status RunList(const ListOptions& options, CommandContext& ctx);
Status RunRename(const RenameOptions& options, CommandContext& ctx);

}  // namespace stdb::cli
