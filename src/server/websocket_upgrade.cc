#include "server/websocket_upgrade.h"

namespace stdb::server {
namespace {

// A Sec-WebSocket-Key is the base64 encoding of 16 random bytes: 22 base64 characters and "==".
bool IsValidWebSocketKey(std::string_view key) {
  while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.remove_suffix(1);
  while (!key.empty() && (key.front() == ' ' || key.front() == '\t')) key.remove_prefix(1);
  if (key.size() != 24 || key.substr(22) != "==") return false;
  for (char c : key.substr(0, 22)) {
    bool base64 =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!base64) return false;
  }
  return true;
}

}  // namespace

std::optional<HttpResponse> CheckWebSocketUpgrade(const HttpRequest& request) {
  if (request.method != "GET") {
    return HttpResponse::Text(405, "WebSocket upgrade requires the GET method").WithHeader("Allow", "GET");
  }
  if (!request.headers.HasToken("Connection", "upgrade") ||
      !request.headers.HasToken("Upgrade", "websocket")) {
    return HttpResponse::Text(426,
                              "Upgrade to WebSocket required: send \"Connection: upgrade\" and "
                              "\"Upgrade: websocket\"")
        .WithHeader("Connection", "upgrade")
        .WithHeader("Upgrade", "websocket");
  }
  auto version = request.headers.Get("Sec-WebSocket-Version");
  if (!version || *version != "13") {
    return HttpResponse::Text(400, "Sec-WebSocket-Version must be 13")
        .WithHeader("Sec-WebSocket-Version", "13");
  }
  auto key = request.headers.Get("Sec-WebSocket-Key");
  if (!key) return HttpResponse::Text(400, "Sec-WebSocket-Key header missing");
  if (!IsValidWebSocketKey(*key)) return HttpResponse::Text(400, "Sec-WebSocket-Key header is invalid");
  return std::nullopt;
}

std::vector<std::string_view> OfferedSubprotocols(const HttpHeaders& headers) {
  std::vector<std::string_view> offered;
  for (std::string_view value : headers.GetAll("Sec-WebSocket-Protocol"))
    for (std::string_view protocol : SplitHeaderList(value)) offered.push_back(protocol);
  return offered;
}

std::optional<std::string> SelectSubprotocol(const HttpHeaders& headers,
                                             std::span<const std::string_view> server_preference) {
  std::vector<std::string_view> offered = OfferedSubprotocols(headers);
  for (std::string_view preferred : server_preference)
    for (std::string_view protocol : offered)
      if (protocol == preferred) return std::string(preferred);
  return std::nullopt;
}

HttpResponse NoValidProtocolResponse() {
  return HttpResponse::Text(400, std::string(kNoValidProtocolMessage));
}

}  // namespace stdb::server
