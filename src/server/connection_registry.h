// ConnectionRegistry: the live connections of one HttpServer (HTTP and WebSocket), so that Stop can shut them
// all down and know when the last one is gone.
//
// Connections register when they start and unregister from their destructor; the registry holds only weak
// references, so it never keeps a connection alive. Once the server is stopping, a connection that registers
// (a WebSocket born from an upgrade that raced with Stop) is told to shut down at once.
//
// The server destroys its I/O contexts only after the registry is empty: a connection's socket and timers
// belong to a context, and Responders or WebSocketSessions held by other threads reach a connection only
// through weak references, which are expired by then.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace stdb::server {

// What the server can ask of a connection. Both methods queue work on the connection's I/O thread.
class ManagedConnection {
 public:
  virtual ~ManagedConnection() = default;
  // Finish what is in flight, then close; WebSockets close with 1001 and `websocket_reason`.
  virtual void BeginShutdown(const std::string& websocket_reason) = 0;
  // Close the socket now.
  virtual void Abort() = 0;
};

class ConnectionRegistry {
 public:
  // Registers a connection; returns its id. If the registry is stopping, the connection is told to shut down.
  uint64_t Add(const std::shared_ptr<ManagedConnection>& connection);
  void Remove(uint64_t id);
  size_t size() const;

  // Marks the registry stopping and asks every connection to shut down.
  void ShutdownAll(const std::string& websocket_reason);
  void AbortAll();
  // Waits until no connection is registered; false if `deadline` passed first.
  bool WaitUntilEmpty(std::chrono::steady_clock::time_point deadline);

 private:
  void ForEach(const std::function<void(ManagedConnection&)>& action);

  mutable std::mutex mu_;
  std::condition_variable empty_;
  std::unordered_map<uint64_t, std::weak_ptr<ManagedConnection>> connections_;
  uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::string websocket_reason_;
};

}  // namespace stdb::server
