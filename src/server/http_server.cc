#include "server/http_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdio>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server/http_connection.h"
#include "server/server_context.h"

namespace stdb::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// How long Stop waits for aborted connections to finish unwinding before it stops the I/O threads anyway.
constexpr std::chrono::seconds kAbortWait{5};
// Pause before accepting again after an accept error such as EMFILE, so that the loop does not spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

thread_local bool t_on_io_thread = false;

struct HostPort {
  std::string host;
  std::string port;
};

Result<HostPort> SplitHostPort(const std::string& address) {
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':')
      return Error(ErrorCode::kInvalidArgument, "invalid listen address \"" + address + "\"");
    return HostPort{address.substr(1, close - 1), address.substr(close + 2)};
  }
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 >= address.size())
    return Error(ErrorCode::kInvalidArgument,
                 "invalid listen address \"" + address + "\" (expected host:port)");
  std::string host = address.substr(0, colon);
  if (host.empty()) host = "0.0.0.0";
  return HostPort{host, address.substr(colon + 1)};
}

std::string EndpointToString(const tcp::endpoint& endpoint) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

}  // namespace

struct HttpServer::Impl {
  // Declared first so that they are destroyed last: every socket and timer below belongs to one of them.
  std::vector<std::unique_ptr<net::io_context>> io_contexts;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work_guards;
  std::vector<std::thread> threads;

  std::shared_ptr<ServerContext> context;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::steady_timer> accept_retry_timer;
  tcp::endpoint local_endpoint;
  size_t next_io_context = 0;

  std::mutex stop_mu;
  bool stopped = false;

  void Accept() {
    net::io_context& target = *io_contexts[next_io_context];
    next_io_context = (next_io_context + 1) % io_contexts.size();
    acceptor->async_accept(target, [this](boost::system::error_code ec, tcp::socket socket) {
      OnAccept(ec, std::move(socket));
    });
  }

  void OnAccept(boost::system::error_code ec, tcp::socket socket) {
    if (!acceptor->is_open() || ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of file descriptors or similar: try again shortly instead of spinning.
      accept_retry_timer->expires_after(kAcceptRetryDelay);
      accept_retry_timer->async_wait([this](boost::system::error_code wait_ec) {
        if (!wait_ec && acceptor->is_open()) Accept();
      });
      return;
    }
    if (context->registry.size() >= context->options.max_connections) {
      TransportMetrics::Increment(context->metrics->http_connections_refused);
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      StartHttpConnection(std::move(socket), context);
    }
    Accept();
  }

  void RunIoThread(net::io_context* io_context) {
    t_on_io_thread = true;
    for (;;) {
      try {
        io_context->run();
        return;
      } catch (const std::exception& e) {
        // Handlers do not throw by design; if one does, the loop keeps serving everyone else.
        std::fprintf(stderr, "server: exception escaped an I/O handler: %s\n", e.what());
      } catch (...) {
        std::fprintf(stderr, "server: unknown exception escaped an I/O handler\n");
      }
    }
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  Stop();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options, RequestHandler handler) {
  if (!handler) return Error(ErrorCode::kInvalidArgument, "HttpServer needs a request handler");
  if (options.io_threads < 1) return Error(ErrorCode::kInvalidArgument, "io_threads must be at least 1");
  STDB_ASSIGN_OR_RETURN(HostPort host_port, SplitHostPort(options.listen_address));

  auto impl = std::make_unique<Impl>();
  for (int i = 0; i < options.io_threads; ++i) {
    impl->io_contexts.push_back(std::make_unique<net::io_context>(1));
    impl->work_guards.push_back(net::make_work_guard(*impl->io_contexts.back()));
  }
  impl->context = std::make_shared<ServerContext>();
  impl->context->options = options;
  impl->context->handler = std::move(handler);

  net::io_context& acceptor_context = *impl->io_contexts[0];
  boost::system::error_code ec;
  tcp::resolver resolver(acceptor_context);
  auto endpoints = resolver.resolve(host_port.host, host_port.port,
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Error(ErrorCode::kIo, "cannot resolve listen address \"" + options.listen_address +
                                     "\": " + (ec ? ec.message() : "no address"));
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto fail = [&](const char* step) {
    return Error(ErrorCode::kIo,
                 "cannot listen on " + options.listen_address + ": " + step + ": " + ec.message());
  };
  impl->acceptor.emplace(acceptor_context);
  impl->accept_retry_timer.emplace(acceptor_context);
  impl->acceptor->open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  impl->acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail("SO_REUSEADDR");
  impl->acceptor->bind(endpoint, ec);
  if (ec) return fail("bind");
  impl->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  impl->local_endpoint = impl->acceptor->local_endpoint(ec);
  if (ec) return fail("local_endpoint");

  impl->Accept();
  Impl* raw = impl.get();
  for (auto& io_context : impl->io_contexts) {
    net::io_context* context = io_context.get();
    impl->threads.emplace_back([raw, context] { raw->RunIoThread(context); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const {
  return impl_->local_endpoint.port();
}

std::string HttpServer::local_address() const {
  return EndpointToString(impl_->local_endpoint);
}

TransportMetricsSnapshot HttpServer::metrics() const {
  return impl_->context->metrics->Snapshot();
}

void HttpServer::Stop(const std::string& websocket_close_reason, std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->stop_mu);
  if (impl_->stopped) return;
  if (t_on_io_thread) {
    // Joining the I/O threads from one of them would deadlock.
    std::fprintf(stderr, "server: HttpServer::Stop called from an I/O thread; ignored\n");
    return;
  }
  impl_->stopped = true;

  // 1. No new connections.
  std::promise<void> acceptor_closed;
  net::post(*impl_->io_contexts[0], [&] {
    boost::system::error_code ignored;
    impl_->acceptor->close(ignored);
    impl_->accept_retry_timer->cancel();
    acceptor_closed.set_value();
  });
  acceptor_closed.get_future().wait();

  // 2. Graceful: idle connections close, in-flight answers finish, WebSockets get 1001.
  ConnectionRegistry& registry = impl_->context->registry;
  registry.ShutdownAll(websocket_close_reason);
  if (!registry.WaitUntilEmpty(Clock::now() + grace)) {
    // 3. Whatever is left after the grace period is cut off.
    registry.AbortAll();
    if (!registry.WaitUntilEmpty(Clock::now() + kAbortWait))
      std::fprintf(stderr, "server: %zu connections still alive after abort\n", registry.size());
  }

  // 4. The I/O threads exit once their queues drain.
  for (auto& guard : impl_->work_guards) guard.reset();
  for (auto& io_context : impl_->io_contexts) io_context->stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  impl_->acceptor.reset();
  impl_->accept_retry_timer.reset();
}

}  // namespace stdb::server
