#include "cli/database_commands.h"

#include "cli/auth_token.h"
#include "cli/command_support.h"
#include "cli/text_table.h"
#include "sats/json.h"

namespace stdb::cli {

namespace {

bool IsJson(const HttpResponse& response) {
  auto type = response.Header("Content-Type");
  return type && type->rfind("application/json", 0) == 0;
}

}  // namespace

Status RunDelete(const DeleteOptions& options, CommandContext& ctx) {
  STDB_ASSIGN_OR_RETURN(ServerApi api, ConnectToServer(ctx, options.server, false));
  STDB_ASSIGN_OR_RETURN(sats::Identity identity, api.ResolveDatabase(options.database));
  std::string target = options.database == identity.ToHex() ? identity.ToHex()
                                                             : options.database + " (" + identity.ToHex() + ")";
  if (!Confirm(ctx, "Are you sure you want to delete database " + target + "? This action cannot be undone.",
               options.yes)) {
    *ctx.out << "Aborting\n";
    return OkStatus();
  }
  STDB_ASSIGN_OR_RETURN(HttpResponse response, api.Send("DELETE", DatabasePath(identity)));
  if (!response.ok()) return ResponseError(response, "deleting database `" + options.database + "`");
  return OkStatus();
}

Status RunList(const ListOptions& options, CommandContext& ctx) {
  STDB_ASSIGN_OR_RETURN(ServerApi api, ConnectToServer(ctx, options.server, false));
  STDB_ASSIGN_OR_RETURN(sats::Identity me, IdentityOfToken(*ctx.config->token()));
  STDB_ASSIGN_OR_RETURN(HttpResponse response, api.Send("GET", "/v1/identity/" + me.ToHex() + "/databases"));
  if (!response.ok()) return ResponseError(response, "listing the databases of identity " + me.ToHex());
  auto json = sats::Json::Parse(response.body);
  const sats::Json* identities = json.ok() && json->is_object() ? json->Find("identities") : nullptr;
  if (!IsJson(response) || !identities || !identities->is_array())
    return Error(ErrorCode::kDecode, "unable to retrieve databases for identity: the server answered " + response.body);
  if (identities->items().empty()) {
    *ctx.out << "No databases found for " << me.ToHex() << ".\n";
    return OkStatus();
  }
  TextTable table({"Database Name(s)", "Identity"});
  for (const auto& item : identities->items()) {
    if (!item.is_string()) continue;
    std::string id = item.text();
    STDB_ASSIGN_OR_RETURN(HttpResponse names_response, api.Send("GET", "/v1/database/" + id + "/names"));
    std::string names;
    if (names_response.ok()) {
      auto names_json = sats::Json::Parse(names_response.body);
      const sats::Json* list = names_json.ok() && names_json->is_object() ? names_json->Find("names") : nullptr;
      if (list && list->is_array())
        for (const auto& n : list->items())
          if (n.is_string()) names += (names.empty() ? "" : ", ") + n.text();
    } else if (names_response.status != 404) {
      return ResponseError(names_response, "reading the names of database " + id);
    }
    table.AddRow({names, id});
  }
  *ctx.out << "Associated databases for user " << me.ToHex() << ":\n\n" << table.Render() << "\n";
  return OkStatus();
}

Status RunRename(const RenameOptions& options, CommandContext& ctx) {
  STDB_RETURN_IF_ERROR(ValidateDatabaseName(options.new_name));
  STDB_ASSIGN_OR_RETURN(ServerApi api, ConnectToServer(ctx, options.server, false));
  STDB_ASSIGN_OR_RETURN(sats::Identity identity, api.ResolveDatabase(options.database));
  std::string body = "[" + sats::Json::String(options.new_name).Dump() + "]";
  STDB_ASSIGN_OR_RETURN(HttpResponse response, api.Send("PUT", DatabasePath(identity) + "/names", body,
                                                        {{"Content-Type", "application/json"}}));
  if (!IsJson(response)) {
    if (response.ok()) {
      *ctx.out << "Name set to " << options.new_name << " for identity " << identity.ToHex() << ".\n";
      return OkStatus();
    }
    return ResponseError(response, "renaming database " + identity.ToHex());
  }
  auto json = sats::Json::Parse(response.body);
  if (!json.ok()) return Error(ErrorCode::kDecode, "the server's rename answer is not valid JSON: " + response.body);
  if (response.ok() && ((json->is_string() && json->text() == "Success") || (json->is_object() && json->Find("Success")))) {
    *ctx.out << "Name set to " << options.new_name << " for identity " << identity.ToHex() << ".\n";
    return OkStatus();
  }
  std::string message;
  if (json->is_string() && json->text() == "DatabaseNotFound") {
    message = "Database " + identity.ToHex() + " not found — check it with `spacetime list`";
  } else if (json->is_object() && !json->members().empty()) {
    const auto& [kind, value] = json->members()[0];
    if (kind == "PermissionDenied") {
      const sats::Json* domain = value.Find("domain");
      message = "Permission denied for domain: " + (domain && domain->is_string() ? domain->text() : value.Dump()) +
                " — the name belongs to another identity; choose another name";
    } else if (kind == "PermissionDeniedOnAny") {
      message = "Permission denied for domains: " + value.Dump() + " — choose other names";
    } else if (kind == "NotYourDatabase") {
      message = "You cannot rename " + identity.ToHex() +
                " because it is owned by another identity; see who you are with `spacetime login show`";
    } else if (kind == "OtherError") {
      message = value.is_string() ? value.text() : value.Dump();
    } else if (kind == "DatabaseNotFound") {
      message = "Database " + identity.ToHex() + " not found — check it with `spacetime list`";
    }
  }
  if (message.empty()) message = "renaming failed: " + std::to_string(response.status) + ": " + response.body;
  return Error(response.status == 401 || response.status == 403 ? ErrorCode::kPermissionDenied
                                                                 : ErrorCode::kInvalidArgument,
               message);
}

}  // namespace stdb::cli
