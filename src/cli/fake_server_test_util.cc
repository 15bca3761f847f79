#include "cli/fake_server_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <cctype>
#include <chrono>

namespace stdb::cli::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

int ListenOnLoopback(unsigned short* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ::listen(fd, 16);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

FakeResponse JsonResponse(std::string body, int status) {
  FakeResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

FakeResponse TextResponse(int status, std::string body) {
  FakeResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

unsigned short UnusedPort() {
  unsigned short port = 0;
  int fd = ListenOnLoopback(&port);
  ::close(fd);
  return port;
}

FakeServer::FakeServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ListenOnLoopback(&port_);
  thread_ = std::thread([this] { Serve(); });
}

FakeServer::~FakeServer() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  thread_.join();
  ::close(listen_fd_);
}

std::vector<FakeRequest> FakeServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void FakeServer::Serve() {
  net::io_context ioc;
  while (!stopping_) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_) return;
      continue;
    }
    beast::error_code ec;
    tcp::socket socket(ioc);
    socket.assign(tcp::v4(), fd, ec);
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) continue;
    FakeRequest recorded;
    recorded.method = std::string(req.method_string());
    recorded.target = std::string(req.target());
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      recorded.headers[name] = std::string(field.value());
    }
    recorded.body = req.body();
    FakeResponse response = handler_(recorded);

    if (websocket::is_upgrade(req) && !response.websocket_protocol.empty()) {
      websocket::stream<tcp::socket> ws(std::move(socket));
      std::string protocol = response.websocket_protocol;
      ws.set_option(websocket::stream_base::decorator([protocol](websocket::response_type& res) {
        res.set(http::field::sec_websocket_protocol, protocol);
      }));
      ws.accept(req, ec);
      if (ec) continue;
      beast::flat_buffer message;
      ws.read(message, ec);
      if (!ec) recorded.websocket_messages.push_back(beast::buffers_to_string(message.data()));
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(recorded);
      }
      for (const auto& m : response.websocket_messages) {
        ws.binary(!response.websocket_text);
        ws.write(net::buffer(m), ec);
        if (ec) break;
      }
      if (response.websocket_close_after) {
        ws.close(websocket::close_code::normal, ec);
      } else {
        // Wait until the client closes.
        while (!ec) {
          message.clear();
          ws.read(message, ec);
        }
      }
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(recorded);
    }
    if (!response.chunks.empty()) {
      http::response<http::empty_body> head{static_cast<http::status>(response.status), 11};
      head.set(http::field::content_type, response.content_type);
      head.chunked(true);
      http::response_serializer<http::empty_body> sr{head};
      http::write_header(socket, sr, ec);
      for (const auto& chunk : response.chunks) {
        net::write(socket, http::make_chunk(net::buffer(chunk)), ec);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      net::write(socket, http::make_chunk_last(), ec);
    } else {
      http::response<http::string_body> res{static_cast<http::status>(response.status), 11};
      res.set(http::field::content_type, response.content_type);
      res.body() = response.body;
      res.prepare_payload();
      http::write(socket, res, ec);
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}

}  // namespace stdb::cli::testing
