#include "server/connection_registry.h"

#include <vector>

namespace stdb::server {

uint64_t ConnectionRegistry::Add(const std::shared_ptr<ManagedConnection>& connection) {
  uint64_t id;
  bool stopping;
  std::string reason;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    connections_.emplace(id, connection);
    stopping = stopping_;
    reason = websocket_reason_;
  }
  if (stopping) connection->BeginShutdown(reason);
  return id;
}

void ConnectionRegistry::Remove(uint64_t id) {
  std::lock_guard lock(mu_);
  connections_.erase(id);
  if (connections_.empty()) empty_.notify_all();
}

size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mu_);
  return connections_.size();
}

void ConnectionRegistry::ShutdownAll(const std::string& websocket_reason) {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    websocket_reason_ = websocket_reason;
  }
  ForEach([&](ManagedConnection& c) { c.BeginShutdown(websocket_reason); });
}

void ConnectionRegistry::AbortAll() {
  ForEach([](ManagedConnection& c) { c.Abort(); });
}

bool ConnectionRegistry::WaitUntilEmpty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return empty_.wait_until(lock, deadline, [&] { return connections_.empty(); });
}

void ConnectionRegistry::ForEach(const std::function<void(ManagedConnection&)>& action) {
  // Act outside the lock: a connection's methods may take their own locks, and one being destroyed meanwhile
  // calls Remove.
  std::vector<std::shared_ptr<ManagedConnection>> live;
  {
    std::lock_guard lock(mu_);
    live.reserve(connections_.size());
    for (auto& [id, weak] : connections_)
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
  }
  for (auto& connection : live) action(*connection);
}

}  // namespace stdb::server
