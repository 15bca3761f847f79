// ServerContext (internal): what every connection of one HttpServer shares — its options, request handler,
// metrics and registry of live connections. Connections hold it by shared_ptr, so it outlives them all.
//
// Thread-safety: options and handler are immutable after Start; metrics and registry are thread-safe.
#pragma once

#include <memory>

#include "server/connection_registry.h"
#include "server/http_server.h"
#include "server/transport_metrics.h"

namespace stdb::server {

struct ServerContext {
  HttpServerOptions options;
  RequestHandler handler;
  std::shared_ptr<TransportMetrics> metrics = std::make_shared<TransportMetrics>();
  ConnectionRegistry registry;
};

}  // namespace stdb::server
