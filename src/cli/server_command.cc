#include "cli/server_command.h"

#include "cli/http_client.h"
#include "cli/text_table.h"

namespace stdb::cli {

Result<std::string> FetchServerFingerprint(const std::string& url) {
  HttpRequest request;
  request.url = url + "/v1/identity/public-key";
  STDB_ASSIGN_OR_RETURN(HttpResponse response, SendHttpRequest(request));
  if (!response.ok())
    return Error(ErrorCode::kIo, "GET /v1/identity/public-key answered " + std::to_string(response.status) + ": " +
                                     response.body);
  return response.body;
}

namespace {

Status Add(const ServerOptions& o, CommandContext& ctx) {
  std::string url = o.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::optional<std::string> fingerprint;
  if (!o.no_fingerprint) {
    auto fetched = FetchServerFingerprint(url);
    if (!fetched.ok())
      return Error(ErrorCode::kIo, "Unable to retrieve fingerprint for server: " + url + " (" +
                                       fetched.error().message() +
                                       ")\nIs the server running?\nAdd a server without retrieving its fingerprint "
                                       "with:\n\tspacetime server add " + o.server + " --url " + url + " --no-fingerprint");
    *ctx.out << "For server " << url << ", got fingerprint:\n" << *fetched << "\n";
    fingerprint = std::move(*fetched);
  }
  STDB_RETURN_IF_ERROR(ctx.config->AddServer(url, o.server, fingerprint));
  if (o.make_default) STDB_RETURN_IF_ERROR(ctx.config->SetDefaultServer(o.server));
  const ServerConfig& added = ctx.config->servers().back();
  *ctx.out << "Host: " << added.host << "\nProtocol: " << added.protocol << "\n";
  return ctx.config->Save();
}

Status List(CommandContext& ctx) {
  TextTable table({"DEFAULT", "HOSTNAME", "PROTOCOL", "NICKNAME"}, TextTable::Style::kBlank);
  table.SetAlign(0, TextTable::Align::kRight);
  for (const auto& s : ctx.config->servers()) {
    bool is_default = ctx.config->default_server() && s.IsNamed(*ctx.config->default_server());
    table.AddRow({is_default ? "***" : "", s.host, s.protocol, s.nickname.value_or("")});
  }
  *ctx.out << table.Render() << "\n";
  return OkStatus();
}

Status Ping(const ServerOptions& o, CommandContext& ctx) {
  STDB_ASSIGN_OR_RETURN(std::string url, ctx.config->ServerUrl(o.server));
  HttpRequest request;
  request.url = url + "/v1/ping";
  STDB_ASSIGN_OR_RETURN(HttpResponse response, SendHttpRequest(request));
  if (response.status == 200) {
    *ctx.out << "Server is online: " << url << "\n";
  } else if (response.status == 404) {
    *ctx.out << "Server returned 404 (Not Found): " << url << "\n";
  } else {
    *ctx.out << "Server could not be reached (" << response.status << " " << response.reason << "): " << url << "\n";
  }
  return OkStatus();
}

Status Fingerprint(const ServerOptions& o, CommandContext& ctx) {
  STDB_ASSIGN_OR_RETURN(std::string url, ctx.config->ServerUrl(o.server));
  STDB_ASSIGN_OR_RETURN(const ServerConfig* saved, ctx.config->FindServer(o.server));
  std::string name = saved->nickname ? *saved->nickname : saved->host;
  auto fetched = FetchServerFingerprint(url);
  if (!fetched.ok())
    return Error(ErrorCode::kIo, "Error fetching server fingerprint from " + url + ": " + fetched.error().message());
  if (saved->ecdsa_public_key && *saved->ecdsa_public_key == *fetched) {
    *ctx.out << "Fingerprint is unchanged for server " << name << ":\n" << *fetched << "\n";
    return OkStatus();
  }
  if (saved->ecdsa_public_key) {
    *ctx.out << "Fingerprint has changed for server " << name << ".\nWas:\n"
             << *saved->ecdsa_public_key << "\nNew:\n" << *fetched << "\n";
  } else {
    *ctx.out << "No saved fingerprint for server " << name << ". New fingerprint:\n" << *fetched << "\n";
  }
  STDB_RETURN_IF_ERROR(ctx.config->SetFingerprint(o.server, *fetched));
  return ctx.config->Save();
}

}  // namespace

Status RunServerCommand(const ServerOptions& options, CommandContext& ctx) {
  if (options.action == "add") return Add(options, ctx);
  if (options.action == "list") return List(ctx);
  if (options.action == "set-default") {
    STDB_RETURN_IF_ERROR(ctx.config->SetDefaultServer(options.server));
    return ctx.config->Save();
  }
  if (options.action == "remove") {
    STDB_RETURN_IF_ERROR(ctx.config->RemoveServer(options.server));
    return ctx.config->Save();
  }
  if (options.action == "ping") return Ping(options, ctx);
  if (options.action == "fingerprint") return Fingerprint(options, ctx);
  return Error(ErrorCode::kInvalidArgument, "unknown server action '" + options.action +
                                                "'; use add, list, set-default, remove, ping or fingerprint");
}

}  // namespace stdb::cli
