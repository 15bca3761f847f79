// Throughput of the server transport (src/server): HTTP requests per second on a trivial route over
// keep-alive connections (one request in flight per connection, and pipelined), and WebSocket echo messages
// per second.
//
// The load comes from one client thread driving every connection with epoll and hand-written HTTP and
// WebSocket framing, so that the client costs little next to the server it measures (both share the machine).
// Headline figures are printed as "BENCH <name> <value> <unit>" lines (ARCHITECTURE.md §6).
//
//   http_bench [seconds per run, default 2] [server I/O threads, default 2]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "server/http_server.h"
#include "server/router.h"
#include "server/websocket_upgrade.h"

namespace {

using namespace stdb::server;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const char* what) {
  std::perror(what);
  std::exit(1);
}

int ConnectTo(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) Die("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) Die("connect");
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) Die("write");
    done += static_cast<size_t>(n);
  }
}

// Counts complete HTTP responses in a byte stream (Content-Length framing: all the route sends).
size_t ConsumeHttpResponses(std::string& buffer) {
  size_t count = 0;
  size_t pos = 0;
  for (;;) {
    size_t header_end = buffer.find("\r\n\r\n", pos);
    if (header_end == std::string::npos) break;
    size_t length_at = buffer.find("Content-Length: ", pos);
    size_t length = 0;
    if (length_at != std::string::npos && length_at < header_end)
      length = std::strtoul(&buffer[length_at + 16], nullptr, 10);
    size_t end = header_end + 4 + length;
    if (end > buffer.size()) break;
    pos = end;
    ++count;
  }
  buffer.erase(0, pos);
  return count;
}

// A masked client frame (RFC 6455 §5.2) carrying one binary message.
std::string ClientFrame(const std::string& payload) {
  std::string frame;
  frame.push_back(static_cast<char>(0x82));
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(0x80 | payload.size()));
  } else {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xFF));
  }
  frame.append(reinterpret_cast<const char*>(mask), 4);
  for (size_t i = 0; i < payload.size(); ++i) frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  return frame;
}

// Counts complete unmasked server frames (the echoes; no control frames arrive during a run).
size_t ConsumeServerFrames(std::string& buffer) {
  size_t count = 0;
  size_t pos = 0;
  while (buffer.size() - pos >= 2) {
    size_t length = static_cast<unsigned char>(buffer[pos + 1]) & 0x7F;
    size_t header = 2;
    if (length == 126) {
      if (buffer.size() - pos < 4) break;
      length =
          (static_cast<unsigned char>(buffer[pos + 2]) << 8) | static_cast<unsigned char>(buffer[pos + 3]);
      header = 4;
    } else if (length == 127) {
      Die("unexpected 64-bit frame length");
    }
    if (buffer.size() - pos < header + length) break;
    pos += header + length;
    ++count;
  }
  buffer.erase(0, pos);
  return count;
}

struct Connection {
  int fd = -1;
  std::string in;
  size_t outstanding = 0;
};

// Drives `connections` for `seconds`: each keeps `depth` requests in flight; returns completed requests.
template <typename Consume>
uint64_t Drive(std::vector<Connection>& connections, const std::string& request, size_t depth, double seconds,
               Consume consume) {
  int epoll = ::epoll_create1(0);
  if (epoll < 0) Die("epoll_create1");
  for (size_t i = 0; i < connections.size(); ++i) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, connections[i].fd, &event) != 0) Die("epoll_ctl");
    std::string burst;
    for (size_t d = 0; d < depth; ++d) burst += request;
    WriteAll(connections[i].fd, burst);
    connections[i].outstanding = depth;
  }
  uint64_t completed = 0;
  Clock::time_point end =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<epoll_event> events(connections.size());
  char buffer[64 * 1024];
  bool stopping = false;
  size_t outstanding_total = connections.size() * depth;
  while (outstanding_total > 0) {
    if (!stopping && Clock::now() >= end) stopping = true;
    int n = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 1000);
    if (n < 0) Die("epoll_wait");
    for (int e = 0; e < n; ++e) {
      Connection& c = connections[events[e].data.u64];
      ssize_t got = ::read(c.fd, buffer, sizeof buffer);
      if (got <= 0) Die("read");
      c.in.append(buffer, static_cast<size_t>(got));
      size_t done = consume(c.in);
      c.outstanding -= done;
      outstanding_total -= done;
      if (!stopping) {
        completed += done;
        std::string more;
        for (size_t d = 0; d < done; ++d) more += request;
        if (!more.empty()) WriteAll(c.fd, more);
        c.outstanding += done;
        outstanding_total += done;
      }
    }
  }
  ::close(epoll);
  return completed;
}

void PrintBench(const std::string& name, double value, const char* unit) {
  std::printf("BENCH %s %.0f %s\n", name.c_str(), value, unit);
  std::fflush(stdout);
}

class EchoHandler : public WebSocketHandler {
 public:
  void OnOpen(const std::shared_ptr<WebSocketSession>& session) override { session_ = session; }
  void OnMessage(std::string payload, bool is_text) override { session_->Send(std::move(payload), !is_text); }

 private:
  std::shared_ptr<WebSocketSession> session_;
};

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  int io_threads = argc > 2 ? std::atoi(argv[2]) : 2;

  Router router;
  (void)router.Add("GET", "/v1/ping",
                   [](HttpRequest, Responder responder) { responder.Send(HttpResponse::Empty(200)); });
  (void)router.Add("GET", "/v1/database/:noi/subscribe", [](HttpRequest request, Responder responder) {
    if (auto refusal = CheckWebSocketUpgrade(request)) return responder.Send(std::move(*refusal));
    WebSocketAccept accept;
    accept.handler = std::make_shared<EchoHandler>();
    responder.AcceptWebSocket(std::move(accept));
  });
  HttpServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.io_threads = io_threads;
  auto server = HttpServer::Start(options, [&](HttpRequest request, Responder responder) {
    router.Handle(std::move(request), std::move(responder));
  });
  if (!server.ok()) {
    std::fprintf(stderr, "http_bench: %s\n", server.error().message().c_str());
    return 1;
  }
  uint16_t port = (*server)->port();
  std::printf("server: %d I/O threads, %.1f s per run\n", io_threads, seconds);

  const std::string ping = "GET /v1/ping HTTP/1.1\r\nHost: bench\r\n\r\n";
  struct HttpRun {
    size_t connections;
    size_t depth;
  };
  for (HttpRun run : {HttpRun{1, 1}, HttpRun{16, 1}, HttpRun{16, 16}}) {
    std::vector<Connection> connections(run.connections);
    for (auto& c : connections) c.fd = ConnectTo(port);
    Clock::time_point start = Clock::now();
    uint64_t completed = Drive(connections, ping, run.depth, seconds, ConsumeHttpResponses);
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& c : connections) ::close(c.fd);
    std::string name = "http_keepalive_requests_c" + std::to_string(run.connections) +
                       (run.depth > 1 ? "_pipelined" + std::to_string(run.depth) : "");
    PrintBench(name, static_cast<double>(completed) / elapsed, "req/s");
    if (run.connections == 1 && run.depth == 1)
      PrintBench("http_request_roundtrip_latency", elapsed / static_cast<double>(completed) * 1e6, "us");
  }

  for (size_t payload_size : {size_t{64}, size_t{4096}}) {
    std::vector<Connection> connections(16);
    for (auto& c : connections) {
      c.fd = ConnectTo(port);
      WriteAll(c.fd,
               "GET /v1/database/bench/subscribe HTTP/1.1\r\nHost: bench\r\nConnection: Upgrade\r\n"
               "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
               "dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
      std::string head;
      char byte;
      while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
        if (::read(c.fd, &byte, 1) != 1) Die("handshake");
        head.push_back(byte);
      }
      if (head.rfind("HTTP/1.1 101", 0) != 0) {
        std::fprintf(stderr, "http_bench: upgrade refused: %s\n", head.c_str());
        return 1;
      }
    }
    std::string frame = ClientFrame(std::string(payload_size, 'e'));
    Clock::time_point start = Clock::now();
    uint64_t completed = Drive(connections, frame, 8, seconds, ConsumeServerFrames);
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& c : connections) ::close(c.fd);
    PrintBench("websocket_echo_messages_c16_" + std::to_string(payload_size) + "B",
               static_cast<double>(completed) / elapsed, "msg/s");
  }
  (*server)->Stop();
  return 0;
}
