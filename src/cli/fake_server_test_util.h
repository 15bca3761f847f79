// FakeServer (tests only): a real HTTP/WebSocket server on 127.0.0.1 with an ephemeral port, answering every
// request with what the test's handler returns, and recording the requests. It lets the CLI's client code be
// tested over real sockets against canned SpacetimeDB answers (status codes, bodies, content types, streamed
// bodies, WebSocket upgrades with scripted server messages) — it tests the client, it is not our server.
//
// Thread-safety: the server runs on its own thread; requests() may be read from the test thread at any time.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stdb::cli::testing {

struct FakeRequest {
  std::string method;
  std::string target;  // path and query
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::vector<std::string> websocket_messages;  // for upgrades: what the client sent
};

struct FakeResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // When set, the body is sent with chunked encoding, one chunk per element, with a short pause in between.
  std::vector<std::string> chunks;
  // WebSocket upgrade: the subprotocol to accept (empty: answer with `status` and `body` instead of upgrading),
  // and the messages to send after the client's first message (binary unless websocket_text).
  std::string websocket_protocol;
  std::vector<std::string> websocket_messages;
  bool websocket_text = false;
  bool websocket_close_after = true;  // close the socket after the last message
};

class FakeServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;
  explicit FakeServer(Handler handler);
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<FakeRequest> requests() const;

 private:
  void Serve();

  Handler handler_;
  int listen_fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::vector<FakeRequest> requests_;
  std::thread thread_;
};

// A JSON response.
FakeResponse JsonResponse(std::string body, int status = 200);
// A plain-text response.
FakeResponse TextResponse(int status, std::string body);

// A port on 127.0.0.1 where nothing listens.
unsigned short UnusedPort();

}  // namespace stdb::cli::testing
