// ApiContext: what the HTTP and WebSocket routes of the SpacetimeDB API share — authentication, the database
// registry, the worker pool for slow work, server-wide counters.
//
// Thread-safety: the pointed-to objects are thread-safe; the context itself is immutable.
#pragma once

#include <atomic>
#include <cstdint>

#include "server/auth_service.h"
#include "server/database_registry.h"
#include "server/router.h"
#include "server/worker_pool.h"

namespace stdb::server {

struct ApiCounters {
  std::atomic<uint64_t> http_requests{0};
  std::atomic<uint64_t> reducer_calls{0};
  std::atomic<uint64_t> reducer_call_micros{0};
  std::atomic<uint64_t> reducer_failures{0};
  std::atomic<uint64_t> sql_queries{0};
  std::atomic<uint64_t> ws_connections{0};  // currently open client connections
  std::atomic<uint64_t> ws_messages_in{0};
  std::atomic<uint64_t> ws_messages_out{0};
  std::atomic<uint64_t> ws_bytes_out{0};
};

struct ApiContext {
  AuthService* auth = nullptr;
  DatabaseRegistry* registry = nullptr;
  WorkerPool* workers = nullptr;
  ApiCounters* counters = nullptr;
};

// The plain-text error response for an Error from a lower layer (status chosen from its code).
HttpResponse ErrorResponse(const Error& error);
// 400 for a malformed database name, 404 for an unknown database (the reference's bodies).
HttpResponse ResolveErrorResponse(const Error& error);

Status RegisterIdentityRoutes(Router& router, const ApiContext& context);
Status RegisterDatabaseRoutes(Router& router, const ApiContext& context);

}  // namespace stdb::server
