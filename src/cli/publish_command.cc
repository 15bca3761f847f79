#include "cli/publish_command.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "cli/auth_token.h"
#include "cli/build_command.h"
#include "cli/command_support.h"
#include "cli/credentials.h"
#include "cli/http_url.h"
#include "sats/json.h"

namespace stdb::cli {

namespace {

struct YesFlags {
  bool remote = false, migrate = false, break_clients = false, delete_data = false;
};

Result<YesFlags> ParseYes(const std::vector<std::string>& values) {
  YesFlags yes;
  for (const auto& v : values) {
    if (v == "all" || v.empty()) {
      yes = YesFlags{true, true, true, true};
    } else if (v == "remote") {
      yes.remote = true;
    } else if (v == "migrate") {
      yes.migrate = true;
    } else if (v == "break-clients") {
      yes.break_clients = true;
    } else if (v == "delete-data") {
      yes.delete_data = true;
    } else if (v != "skip-login") {
      return Error(ErrorCode::kInvalidArgument,
                   "--yes=" + v + " is not known; use one or more of all, remote, migrate, break-clients, skip-login, "
                                  "delete-data (comma-separated), or --yes alone for all");
    }
  }
  return yes;
}

bool IsJson(const HttpResponse& response) {
  auto type = response.Header("Content-Type");
  return type && type->rfind("application/json", 0) == 0;
}

const sats::Json* Variant(const sats::Json& json, const char* name) {
  if (!json.is_object()) return nullptr;
  return json.Find(name);
}

std::string StringField(const sats::Json* object, const char* name) {
  if (!object) return "";
  const sats::Json* v = object->Find(name);
  return v && v->is_string() ? v->text() : "";
}

bool BoolField(const sats::Json* object, const char* name) {
  if (!object) return false;
  const sats::Json* v = object->Find(name);
  return v && v->is_bool() && v->as_bool();
}

Status ConfirmClear(CommandContext& ctx, const std::string& name, bool yes, std::string& query) {
  *ctx.out << "This will DESTROY the current " << name << " module, and ALL corresponding data.\n";
  if (!Confirm(ctx, "Are you sure you want to proceed? [deleting " + name + "]", yes))
    return Error(ErrorCode::kInvalidArgument, "Aborted: the database was not cleared and nothing was published.");
  query += "&clear=true";
  return OkStatus();
}

}  // namespace

Status RunPublish(const PublishOptions& options, CommandContext& ctx) {
  STDB_ASSIGN_OR_RETURN(YesFlags yes, ParseYes(options.yes));
  if (options.delete_data != "always" && options.delete_data != "on-conflict" && options.delete_data != "never")
    return Error(ErrorCode::kInvalidArgument, "--delete-data=" + options.delete_data +
                                                  " is not known; use always, on-conflict or never");
  if (options.database && !LooksLikeIdentity(*options.database))
    STDB_RETURN_IF_ERROR(ValidateDatabaseName(*options.database));
  if (options.module_path && options.bin_path)
    return Error(ErrorCode::kInvalidArgument,
                 "--module-path and --bin-path exclude each other: publish either a module directory (built first) "
                 "or a prebuilt .wasm");
  if (!options.database && options.delete_data != "never")
    return Error(ErrorCode::kInvalidArgument,
                 "--delete-data needs the name or identity of an existing database: spacetime publish <name> "
                 "--delete-data");

  STDB_ASSIGN_OR_RETURN(std::string url, ctx.config->ServerUrl(options.server));
  STDB_ASSIGN_OR_RETURN(std::optional<std::string> token,
                        TokenForRequest(*ctx.config, url, options.anonymous, *ctx.err));
  ServerApi api(url, token);

  std::string program_path;
  if (options.bin_path) {
    *ctx.out << "(WASM) Skipping build. Instead we are publishing " << *options.bin_path << "\n";
    program_path = *options.bin_path;
  } else {
    std::string dir = options.module_path ? *options.module_path : DefaultModuleDirectory();
    STDB_ASSIGN_OR_RETURN(program_path, BuildModule(dir, false, ctx));
  }
  std::ifstream in(program_path, std::ios::binary);
  if (!in)
    return Error(ErrorCode::kNotFound, "cannot open " + program_path +
                                           " — check the --bin-path, or build the module with `spacetime build`");
  std::string program((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  STDB_ASSIGN_OR_RETURN(HttpUrl parsed, HttpUrl::Parse(url));
  if (parsed.host != "localhost" && parsed.host != "127.0.0.1") {
    *ctx.out << "You are about to publish to a non-local server: " << parsed.host << "\n";
    if (!Confirm(ctx, "Are you sure you want to proceed?", yes.remote))
      return Error(ErrorCode::kInvalidArgument, "Publish aborted by user.");
  }
  *ctx.out << "Uploading to " << ctx.config->DisplayName(options.server) << " => " << url << "\n";

  std::string path = "/v1/database";
  std::string query = "?host_type=Wasm";
  if (options.database) {
    std::string name = *options.database;
    path += "/" + PercentEncode(name);
    if (options.delete_data == "always") {
      STDB_RETURN_IF_ERROR(ConfirmClear(ctx, name, yes.delete_data, query));
    } else {
      *ctx.out << "Checking for breaking changes...\n" << std::flush;
      const char* style = std::getenv("NO_COLOR") ? "NoColor" : "AnsiColor";
      STDB_ASSIGN_OR_RETURN(HttpResponse pre,
                            api.Send("POST", path + "/pre_publish?pretty_print_style=" + std::string(style) +
                                                 "&host_type=Wasm",
                                     program));
      if (pre.status != 404) {
        if (!pre.ok())
          return Error(ErrorCode::kInvalidArgument, "Pre-publish check failed with status " +
                                                        std::to_string(pre.status) + ": " + pre.body +
                                                        " — fix the module, or publish with --delete-data to start over");
        auto plan = sats::Json::Parse(pre.body);
        if (!plan.ok() || !plan->is_object())
          return Error(ErrorCode::kDecode, "the server's pre-publish answer is not JSON: " + pre.body);
        const sats::Json* manual = Variant(*plan, "ManualMigrate");
        const sats::Json* automatic = Variant(*plan, "AutoMigrate");
        const sats::Json* which = manual ? manual : automatic;
        if (BoolField(which, "major_version_upgrade")) {
          *ctx.out << "It looks like you're trying to do a major version upgrade from 1.0 to 2.0. We recommend "
                      "first looking at the upgrade notes before committing to this upgrade: "
                      "https://spacetimedb.com/docs/upgrade\n\nWARNING: Once you publish you cannot revert back to "
                      "version 1.0.\n\n";
          if (!yes.migrate) {
            *ctx.out << "Please type 'upgrade' to accept this change: " << std::flush;
            std::string answer;
            std::getline(*ctx.in, answer);
            while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back()))) answer.pop_back();
            if (answer != "upgrade")
              return Error(ErrorCode::kInvalidArgument, "Aborting because major version upgrade was not accepted.");
          }
        }
        if (manual) {
          *ctx.out << StringField(manual, "reason") << "\n";
          if (options.delete_data == "never") {
            *ctx.out << "Aborting publish due to required manual migration.\n";
            return Error(ErrorCode::kInvalidArgument,
                         "Aborting because publishing would require manual migration or deletion of data and "
                         "--delete-data was not specified; publish with --delete-data=on-conflict to clear the "
                         "database when needed");
          }
          *ctx.out << "Proceeding with database clear due to --delete-data=on-conflict.\n";
          STDB_RETURN_IF_ERROR(ConfirmClear(ctx, name, yes.delete_data, query));
        } else if (automatic) {
          *ctx.out << StringField(automatic, "migrate_plan") << "\n";
          if (BoolField(automatic, "break_clients") &&
              !Confirm(ctx, "The above changes will BREAK existing clients. Do you want to proceed?",
                       options.break_clients || yes.break_clients)) {
            *ctx.out << "Aborting\n";
            return Error(ErrorCode::kInvalidArgument, "Publishing aborted by user");
          }
          query += "&token=" + PercentEncode(StringField(automatic, "token")) + "&policy=BreakClients";
        } else {
          return Error(ErrorCode::kDecode, "the server's pre-publish answer is neither AutoMigrate nor ManualMigrate: " +
                                               pre.body);
        }
      }
    }
  }

  *ctx.out << "Publishing module...\n" << std::flush;
  STDB_ASSIGN_OR_RETURN(HttpResponse response, api.Send(options.database ? "PUT" : "POST", path + query, program));
  if (!IsJson(response)) {
    if (response.ok())
      return Error(ErrorCode::kDecode, "the server accepted the module but did not answer with JSON (" +
                                           std::to_string(response.status) + "): " + response.body);
    return ResponseError(response, "publishing the module");
  }
  auto json = sats::Json::Parse(response.body);
  if (!json.ok()) return Error(ErrorCode::kDecode, "the server's publish answer is not valid JSON: " + response.body);
  if (const sats::Json* success = Variant(*json, "Success")) {
    std::string op = StringField(success, "op") == "updated" ? "Updated" : "Created new";
    std::string identity = StringField(success, "database_identity");
    std::string domain = StringField(success, "domain");
    if (!domain.empty()) {
      *ctx.out << op << " database with name: " << domain << ", identity: " << identity << "\n";
    } else {
      *ctx.out << op << " database with identity: " << identity << "\n";
    }
    return OkStatus();
  }
  if (const sats::Json* denied = Variant(*json, "PermissionDenied")) {
    std::string name = StringField(denied, "name");
    if (options.anonymous)
      return Error(ErrorCode::kPermissionDenied,
                   "You need to be logged in as the owner of " + name + " to publish to " + name);
    std::string suggestion = "my-database";
    if (ctx.config->token()) {
      auto identity = IdentityOfToken(*ctx.config->token());
      if (identity.ok()) suggestion = identity->ToHex().substr(0, 12);
    }
    return Error(ErrorCode::kPermissionDenied,
                 "The database " + name + " is not registered to the identity you provided.\nWe suggest you push to "
                 "either a domain owned by you, or a new domain like:\n\tspacetime publish " + suggestion);
  }
  if (!response.ok()) return ResponseError(response, "publishing the module");
  return Error(ErrorCode::kDecode, "unexpected publish answer from the server: " + response.body);
}

}  // namespace stdb::cli
