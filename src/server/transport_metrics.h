// TransportMetrics: counters of the HTTP and WebSocket transport, for /v1/metrics and for tests.
//
// The server, its connections and every WebSocketSession share one instance (a WebSocketSession may outlive
// the server, hence the shared_ptr ownership). Gauges ("open") go up and down; the others only grow.
//
// Thread-safety: all members are atomics updated with relaxed ordering; a Snapshot is not an atomic view of
// all counters together, only of each one.
#pragma once

#include <atomic>
#include <cstdint>

namespace stdb::server {

struct TransportMetricsSnapshot {
  uint64_t http_connections_open = 0;
  uint64_t http_connections_accepted = 0;
  uint64_t http_connections_refused = 0;  // over max_connections
  uint64_t http_requests = 0;             // requests handed to the handler
  uint64_t http_bad_requests = 0;         // malformed or over a limit, answered by the transport itself
  uint64_t websocket_sessions_open = 0;
  uint64_t websocket_sessions_accepted = 0;
  uint64_t websocket_messages_in = 0;
  uint64_t websocket_bytes_in = 0;
  uint64_t websocket_messages_out = 0;
  uint64_t websocket_bytes_out = 0;
  uint64_t websocket_slow_clients_dropped = 0;  // outgoing queue overflowed or a write stalled
  uint64_t websocket_idle_timeouts = 0;
};

class TransportMetrics {
 public:
  std::atomic<uint64_t> http_connections_open{0};
  std::atomic<uint64_t> http_connections_accepted{0};
  std::atomic<uint64_t> http_connections_refused{0};
  std::atomic<uint64_t> http_requests{0};
  std::atomic<uint64_t> http_bad_requests{0};
  std::atomic<uint64_t> websocket_sessions_open{0};
  std::atomic<uint64_t> websocket_sessions_accepted{0};
  std::atomic<uint64_t> websocket_messages_in{0};
  std::atomic<uint64_t> websocket_bytes_in{0};
  std::atomic<uint64_t> websocket_messages_out{0};
  std::atomic<uint64_t> websocket_bytes_out{0};
  std::atomic<uint64_t> websocket_slow_clients_dropped{0};
  std::atomic<uint64_t> websocket_idle_timeouts{0};

  static void Increment(std::atomic<uint64_t>& counter, uint64_t by = 1) {
    counter.fetch_add(by, std::memory_order_relaxed);
  }
  static void Decrement(std::atomic<uint64_t>& counter) { counter.fetch_sub(1, std::memory_order_relaxed); }

  TransportMetricsSnapshot Snapshot() const {
    auto load = [](const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); };
    TransportMetricsSnapshot s;
    s.http_connections_open = load(http_connections_open);
    s.http_connections_accepted = load(http_connections_accepted);
    s.http_connections_refused = load(http_connections_refused);
    s.http_requests = load(http_requests);
    s.http_bad_requests = load(http_bad_requests);
    s.websocket_sessions_open = load(websocket_sessions_open);
    s.websocket_sessions_accepted = load(websocket_sessions_accepted);
    s.websocket_messages_in = load(websocket_messages_in);
    s.websocket_bytes_in = load(websocket_bytes_in);
    s.websocket_messages_out = load(websocket_messages_out);
    s.websocket_bytes_out = load(websocket_bytes_out);
    s.websocket_slow_clients_dropped = load(websocket_slow_clients_dropped);
    s.websocket_idle_timeouts = load(websocket_idle_timeouts);
    return s;
  }
};

}  // namespace stdb::server
