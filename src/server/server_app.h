// ServerApp: a running SpacetimeDB server — the HTTP/WebSocket API (spec/client-protocol.md §8-§10) over the
// databases of one data directory. `spacetime start` is a ServerApp that runs until SIGINT/SIGTERM.
//
// Start: loads (or creates) the server's key pair, reopens every database of the data directory (recovering
// each from its snapshot and commitlog, with progress on the log), then listens. Stop: stops accepting, closes
// WebSocket clients with 1001, runs client_disconnected for them, and closes every database, which makes its
// commitlog durable.
//
// Thread-safety: Start and Stop from one controlling thread; the accessors are thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "server/api_context.h"
#include "server/database_registry.h"
#include "server/http_server.h"

namespace stdb::server {

struct ServerOptions {
  std::string listen_address = "127.0.0.1:3000";
  std::string data_dir;     // required unless in_memory
  bool in_memory = false;
  std::string jwt_key_dir;  // default: <data_dir>/keys (in memory: a fresh temporary directory)
  int io_threads = 1;
  int worker_threads = 2;
  host::EngineOptions engine;
  uint64_t snapshot_every = 1'000'000;
  std::function<void(const std::string&)> log;  // null: standard error
};

class ServerApp {
 public:
  static Result<std::unique_ptr<ServerApp>> Start(ServerOptions options);
  ~ServerApp();
  ServerApp(const ServerApp&) = delete;
  ServerApp& operator=(const ServerApp&) = delete;

  void Stop();
  uint16_t port() const { return http_->port(); }
  std::string address() const { return http_->local_address(); }
  DatabaseRegistry& registry() { return *registry_; }
  const AuthService& auth() const { return *auth_; }
  const ServerOptions& options() const { return options_; }

  // The Prometheus text of GET /v1/metrics.
  std::string MetricsText() const;

 private:
  explicit ServerApp(ServerOptions options) : options_(std::move(options)) {}

  ServerOptions options_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<WorkerPool> workers_;
  ApiCounters counters_;
  std::unique_ptr<DatabaseRegistry> registry_;
  std::unique_ptr<HttpServer> http_;
  bool stopped_ = false;
};

}  // namespace stdb::server
