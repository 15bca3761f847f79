// Durability: what a database needs from its write-ahead log, independent of how it is kept.
//
// The database thread hands every committed transaction (in commit order) to Append, which must not wait for
// I/O; a worker makes batches durable (group commit) and advances durable_offset(). Callers that must not
// acknowledge anything before it is on disk (confirmed reads) use WhenDurable. After a write or fsync error the
// implementation enters a failed state: failure() says why, nothing more becomes durable, and the database must
// stop accepting writes — never silent loss.
//
// Implementations: the commitlog-backed group-commit worker, and InMemoryDurability for `--in-memory`
// databases, where every transaction counts as durable at once.
//
// Thread-safety: Append is called from one thread (the database's); everything else from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "datastore/tx_data.h"

namespace stdb::durability {

class Durability {
 public:
  virtual ~Durability() = default;
  // Queues a committed, non-empty transaction (tx_offset set).
  virtual void Append(std::shared_ptr<const datastore::TxData> tx) = 0;
  // The highest durable tx offset; nullopt while nothing is durable.
  virtual std::optional<uint64_t> durable_offset() const = 0;
  // Runs `callback` once `offset` is durable (immediately, on the calling thread, if it already is; otherwise on
  // the worker thread). Never runs it if the log fails first; failure() then explains why.
  virtual void WhenDurable(uint64_t offset, std::function<void()> callback) = 0;
  // Why the log stopped accepting writes, if it did.
  virtual std::optional<std::string> failure() const = 0;
  // Makes everything appended durable and stops the worker.
  virtual void Close() = 0;
};

// Every transaction is durable as soon as it is appended (no files at all).
class InMemoryDurability final : public Durability {
 public:
  void Append(std::shared_ptr<const datastore::TxData> tx) override {
    if (tx->tx_offset) durable_.store(int64_t(*tx->tx_offset), std::memory_order_release);
  }
  std::optional<uint64_t> durable_offset() const override {
    int64_t d = durable_.load(std::memory_order_acquire);
    return d < 0 ? std::nullopt : std::optional<uint64_t>(uint64_t(d));
  }
  void WhenDurable(uint64_t, std::function<void()> callback) override { callback(); }
  std::optional<std::string> failure() const override { return std::nullopt; }
  void Close() override {}

 private:
  std::atomic<int64_t> durable_{-1};
};

}  // namespace stdb::durability
