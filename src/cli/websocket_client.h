// WebSocketClient: a client WebSocket connection (ws:// or wss://) for `spacetime subscribe`, on Boost.Beast.
//
// Connect() performs the HTTP upgrade offering the given subprotocols and extra headers (Authorization); when the
// server declines the upgrade the error carries its status and body. Reads take an optional deadline so that a
// command can stop after a timeout; Pings from the server are answered automatically while reading.
//
// Thread-safety: one connection, used from one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "cli/http_client.h"
#include "sats/result.h"

namespace stdb::cli {

struct WebSocketMessage {
  bool binary = false;
  std::string data;
};

class WebSocketClient {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    std::string url;  // ws(s):// or http(s):// (converted)
    std::vector<std::string> subprotocols;
    HttpHeaders headers;
  };

  // Why a Read returned no message.
  enum class ReadEnd { kClosed, kTimedOut };

  virtual ~WebSocketClient() = default;

  static Result<std::unique_ptr<WebSocketClient>> Connect(const Options& options);

  // The subprotocol the server chose (empty when it chose none).
  virtual const std::string& protocol() const = 0;
  virtual Status SendBinary(const std::string& payload) = 0;
  virtual Status SendText(const std::string& payload) = 0;
  // The next message. On a close by the server (or an orderly end of the stream) returns ReadEnd::kClosed, with
  // the close reason in close_reason(); on reaching `deadline` ReadEnd::kTimedOut (the connection is then unusable).
  virtual Result<std::variant<WebSocketMessage, ReadEnd>> Read(std::optional<Clock::time_point> deadline) = 0;
  virtual const std::string& close_reason() const = 0;
  // Sends a close frame and waits briefly for the server's; errors are ignored.
  virtual void Close() = 0;
};

}  // namespace stdb::cli
