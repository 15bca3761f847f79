// Checks of a WebSocket upgrade request (RFC 6455 §4.2.1) and subprotocol negotiation, with the answers the
// reference gives (spec/client-protocol.md §2, §8.1):
//
//   not GET                                              405 "WebSocket upgrade requires the GET method"
//   no "Connection: upgrade" or no "Upgrade: websocket"  426, with "Connection: upgrade" and "Upgrade:
//   websocket" Sec-WebSocket-Version other than 13                  400 (with "Sec-WebSocket-Version: 13")
//   Sec-WebSocket-Key missing or not 16 bytes in base64  400
//   none of the server's subprotocols offered            400 "no valid protocol selected"
//
// The server walks its own preference list and picks the first subprotocol the client offered; the client's
// order does not matter. Offers come from every Sec-WebSocket-Protocol header, each a comma-separated list.
//
// A route checks the request with CheckWebSocketUpgrade first, then does its own checks (authentication,
// database lookup), then picks the subprotocol, in the reference's order.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.h"

namespace stdb::server {

inline constexpr std::string_view kNoValidProtocolMessage = "no valid protocol selected";

// nullopt if `request` is a well-formed WebSocket upgrade, else the response refusing it.
std::optional<HttpResponse> CheckWebSocketUpgrade(const HttpRequest& request);

// Every subprotocol the client offered, in order.
std::vector<std::string_view> OfferedSubprotocols(const HttpHeaders& headers);

// The first entry of server_preference that the client offered, or nullopt.
std::optional<std::string> SelectSubprotocol(const HttpHeaders& headers,
                                             std::span<const std::string_view> server_preference);

// The 400 response for a failed negotiation.
HttpResponse NoValidProtocolResponse();

}  // namespace stdb::server
