#include "cli/subscribe_command.h"

#include <chrono>
#include <memory>

#include "cli/command_support.h"
#include "cli/subscription_messages.h"
#include "cli/websocket_client.h"

namespace stdb::cli {

namespace {

struct Connection {
  std::unique_ptr<WebSocketClient> socket;
  bool v3 = true;
};

Result<Connection> Connect(const ServerApi& api, const sats::Identity& identity, const SubscribeOptions& options,
                           const std::optional<std::string>& token) {
  auto url_for = [&](bool uncompressed) {
    std::string url = api.base_url() + DatabasePath(identity) + "/subscribe";
    std::string query;
    if (uncompressed) query += "compression=None";
    if (options.confirmed) query += std::string(query.empty() ? "" : "&") + "confirmed=" + (*options.confirmed ? "true" : "false");
    return query.empty() ? url : url + "?" + query;
  };
  HttpHeaders headers;
  if (token) headers.emplace_back("Authorization", "Bearer " + *token);
  auto v3 = WebSocketClient::Connect({url_for(true), {kSubprotocolV3}, headers});
  std::string v3_error;
  if (v3.ok() && (*v3)->protocol() == kSubprotocolV3) return Connection{std::move(*v3), true};
  v3_error = v3.ok() ? "the server did not negotiate the v3 WebSocket protocol" : v3.error().message();
  if (v3.ok()) (*v3)->Close();
  auto v1 = WebSocketClient::Connect({url_for(false), {kSubprotocolV1Json}, headers});
  if (!v1.ok())
    return Error(v1.error().code(), "v3 subscribe connection failed (" + v3_error + "); v1 fallback also failed: " +
                                        v1.error().message());
  return Connection{std::move(*v1), false};
}

}  // namespace

Status RunSubscribe(const SubscribeOptions& options, CommandContext& ctx) {
  if (options.parts.size() < 2)
    return Error(ErrorCode::kInvalidArgument,
                 "name the database and at least one query: spacetime subscribe <database> \"SELECT * FROM t\"");
  const std::string& database = options.parts[0];
  std::vector<std::string> queries(options.parts.begin() + 1, options.parts.end());

  STDB_ASSIGN_OR_RETURN(ServerApi api, ConnectToServer(ctx, options.server, options.anonymous));
  STDB_ASSIGN_OR_RETURN(sats::Identity identity, api.ResolveDatabase(database));
  STDB_ASSIGN_OR_RETURN(host::ModuleDef module, FetchModuleDef(api, identity, database));
  SubscriptionPrinter printer(module);

  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (options.timeout_seconds)
    deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*options.timeout_seconds);

  STDB_ASSIGN_OR_RETURN(Connection conn, Connect(api, identity, options, options.anonymous ? std::nullopt : ctx.config->token()));
  if (conn.v3) {
    STDB_RETURN_IF_ERROR(conn.socket->SendBinary(EncodeV2Subscribe(0, 0, queries)));
  } else {
    STDB_RETURN_IF_ERROR(conn.socket->SendText(EncodeV1JsonSubscribe(0, queries)));
  }

  uint32_t received = 0;
  bool initial_seen = false;
  auto finish = [&](Status s) {
    conn.socket->Close();
    return s;
  };
  while (!(initial_seen && options.num_updates && received >= *options.num_updates)) {
    auto message = conn.socket->Read(deadline);
    if (!message.ok()) return finish(message.error());
    if (auto* end = std::get_if<WebSocketClient::ReadEnd>(&*message)) {
      if (*end == WebSocketClient::ReadEnd::kTimedOut) {
        *ctx.err << "timed out after " << *options.timeout_seconds << "s\n";
        if (options.num_updates && received < *options.num_updates)
          return finish(Error(ErrorCode::kIo, "subscription timed out after " + std::to_string(*options.timeout_seconds) +
                                                  "s after receiving " + std::to_string(received) + "/" +
                                                  std::to_string(*options.num_updates) + " updates"));
        return finish(OkStatus());
      }
      std::string reason = conn.socket->close_reason();
      if (options.num_updates)
        return finish(Error(ErrorCode::kIo, "subscription closed after receiving " + std::to_string(received) + "/" +
                                                std::to_string(*options.num_updates) + " updates" +
                                                (reason.empty() ? std::string() : " (server said: " + reason + ")")));
      *ctx.err << "disconnected by server" << (reason.empty() ? std::string() : ": " + reason) << "\n";
      return finish(OkStatus());
    }
    const WebSocketMessage& ws = std::get<WebSocketMessage>(*message);
    std::vector<ServerEvent> events;
    if (conn.v3) {
      if (!ws.binary) continue;
      auto decoded = DecodeV3Payload(ws.data);
      if (!decoded.ok()) return finish(decoded.error());
      events = std::move(*decoded);
    } else {
      if (ws.binary) continue;
      auto decoded = DecodeV1JsonMessage(ws.data);
      if (!decoded.ok()) return finish(decoded.error());
      events.push_back(std::move(*decoded));
    }
    for (auto& event : events) {
      switch (event.kind) {
        case ServerEvent::Kind::kOther:
          break;
        case ServerEvent::Kind::kSubscriptionError:
          return finish(Error(ErrorCode::kInvalidArgument,
                              (initial_seen ? "encountered error in subscription: " : "encountered error in initial subscribe: ") +
                                  event.error + " — check the queries (tables and columns must exist and be public)"));
        case ServerEvent::Kind::kTransactionFailed:
          return finish(Error(ErrorCode::kInvalidArgument, "encountered failed transaction: " + event.error));
        case ServerEvent::Kind::kInitialUpdate: {
          if (initial_seen)
            return finish(Error(ErrorCode::kDecode, "protocol error: received a second initial subscription update"));
          initial_seen = true;
          if (options.print_initial_update) {
            auto line = printer.FormatUpdate(event.tables, conn.v3);
            if (!line.ok()) return finish(line.error());
            *ctx.out << *line << "\n" << std::flush;
          }
          break;
        }
        case ServerEvent::Kind::kTransactionUpdate: {
          if (!initial_seen)
            return finish(Error(ErrorCode::kDecode,
                                "protocol error: received transaction update before initial subscription update"));
          if (options.num_updates && received >= *options.num_updates) break;
          auto line = printer.FormatUpdate(event.tables, conn.v3);
          if (!line.ok()) return finish(line.error());
          *ctx.out << *line << "\n" << std::flush;
          ++received;
          break;
        }
      }
    }
  }
  return finish(OkStatus());
}

}  // namespace stdb::cli
