#include "cli/command_support.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "cli/credentials.h"
#include "host/module_def_json.h"
#include "cli/module_extractor.h"

namespace stdb::cli {

Result<ServerApi> ConnectToServer(CommandContext& ctx, std::string_view server, bool anonymous) {
  STDB_ASSIGN_OR_RETURN(std::string url, ctx.config->ServerUrl(server));
  STDB_ASSIGN_OR_RETURN(std::optional<std::string> token, TokenForRequest(*ctx.config, url, anonymous, *ctx.err));
  return ServerApi(url, std::move(token));
}

Result<ServerApi> ServerWithSavedToken(CommandContext& ctx, std::string_view server) {
  STDB_ASSIGN_OR_RETURN(std::string url, ctx.config->ServerUrl(server));
  return ServerApi(url, ctx.config->token());
}

Result<host::ModuleDef> FetchModuleDef(const ServerApi& api, const sats::Identity& database,
                                       std::string_view display_name) {
  STDB_ASSIGN_OR_RETURN(SchemaJson schema, api.GetSchema(database, display_name));
  auto raw = host::ReadSchemaJson(schema.json, schema.version);
  if (!raw.ok())
    return Error(raw.error().code(), "the schema of database `" + std::string(display_name) +
                                         "` sent by the server cannot be read: " + raw.error().message());
  return ValidateModuleDef(*raw, "database `" + std::string(display_name) + "`");
}

bool Confirm(CommandContext& ctx, const std::string& question, bool assume_yes) {
  if (assume_yes) {
    *ctx.out << "Skipping confirmation due to --yes\n";
    return true;
  }
  *ctx.out << question << " [y/N]" << std::flush;
  std::string answer;
  if (!std::getline(*ctx.in, answer)) answer.clear();
  if (!ctx.stdin_is_tty) *ctx.out << "\n";
  std::string lower;
  for (char c : answer)
    if (!std::isspace(static_cast<unsigned char>(c))) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "y" || lower == "yes";
}

std::string DefaultModuleDirectory() {
  std::error_code ec;
  if (std::filesystem::is_directory("spacetimedb", ec)) return "spacetimedb";
  return ".";
}

}  // namespace stdb::cli
