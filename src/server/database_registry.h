// DatabaseRegistry: every database this server hosts — the durable record of identities, owners and names
// (ControlStore) and the live databases themselves (host::Database with its durability), created on publish,
// reopened on start, updated in place, deleted.
//
// Directory layout (spec/data-layer.md §3.1):
//   <data dir>/control.json                                 which databases exist (control_store.h)
//   <data dir>/databases/<identity hex>/clog/...            commitlog segments
//   <data dir>/databases/<identity hex>/snapshots/...       snapshots
//   <data dir>/databases/<identity hex>/module_logs/module.log
// An in-memory server keeps nothing on disk.
//
// Closing a database (delete, publish with clear, server stop): the registry forgets it, Shutdown detaches the
// server's state (the client hub closes its WebSocket clients with 1001, which lets go of the database), and
// the registry waits until the last holder is gone and the database has closed — its commitlog synced — before
// the directory is removed or reused. The last holder may be any thread, even the database's own, so the
// HostedDatabase is always destroyed on a thread of its own.
//
// Thread-safety: all methods are thread-safe. Publishing and deleting are serialised; lookups are cheap and run
// concurrently with them. A HostedDatabase stays valid while someone holds it, even if it is deleted meanwhile.
#pragma once

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "durability/recovery.h"
#include "host/database.h"
#include "server/control_store.h"

namespace stdb::server {

class HostedDatabase;

// Called for each database as it opens or is created, before it serves anything (the server attaches its
// per-database client hub and subscriptions here).
using DatabaseAttacher = std::function<void(HostedDatabase&)>;

// Server-side state attached to a database (the client hub).
class DatabaseAttachment {
 public:
  virtual ~DatabaseAttachment() = default;
  // The database is closing: let go of everything that holds it (e.g. close client connections). Called once,
  // from a thread that is not the database's.
  virtual void Detach() = 0;
};

class HostedDatabase {
 public:
  // The only way to make one: destroyed on its own thread, whoever lets go last.
  static std::shared_ptr<HostedDatabase> Create(DatabaseRecord record, std::unique_ptr<host::Database> db);
  ~HostedDatabase();

  const sats::Identity& identity() const { return record_.identity; }
  const sats::Identity& owner() const { return record_.owner; }
  host::Database& db() { return *db_; }
  // The record at the time of the last change (names may change; read under the registry lock via Snapshot()).
  DatabaseRecord record() const;
  void set_names(std::vector<std::string> names);

  // Server-side state attached by the DatabaseAttacher (the client hub); owned here so it dies with the database.
  void set_attachment(std::unique_ptr<DatabaseAttachment> attachment) { attachment_ = std::move(attachment); }
  template <typename T>
  T* attachment() const { return static_cast<T*>(attachment_.get()); }

  // Detaches the attachment (see DatabaseAttachment::Detach). Not from the database thread.
  void Shutdown();
  // Ready once the database has closed (the HostedDatabase is gone).
  std::shared_future<void> closed() const { return closed_; }

 private:
  HostedDatabase(DatabaseRecord record, std::unique_ptr<host::Database> db);

  mutable std::mutex mu_;
  DatabaseRecord record_;
  std::unique_ptr<host::Database> db_;
  std::unique_ptr<DatabaseAttachment> attachment_;
  std::promise<void> closing_;
  std::shared_future<void> closed_;
};

struct RegistryOptions {
  std::string data_dir;  // ignored when in_memory
  bool in_memory = false;
  host::EngineOptions engine;
  durability::DatabaseStateOptions durability;  // template for each database (dir is set per database)
  DatabaseAttacher attach;
  std::function<void(const std::string&)> log;  // progress and notices; null: standard error
};

struct PublishRequest {
  std::optional<std::string> name_or_identity;  // from the URL; empty: a new anonymous database
  sats::Identity caller;
  sats::Bytes program;
  bool clear = false;           // delete the existing data and start over
  bool allow_breaking = false;  // accept migrations that break clients
};

struct PublishResult {
  sats::Identity identity;
  std::optional<std::string> name;
  bool created = false;  // false: updated
};

class DatabaseRegistry {
 public:
  static Result<std::unique_ptr<DatabaseRegistry>> Open(RegistryOptions options);
  ~DatabaseRegistry();

  // A URL segment: 64 hex digits (optionally 0x) name a database by identity, anything else is a name.
  // Errors: kInvalidArgument for a malformed name, kNotFound ("`name` not found" / "No such database.").
  Result<std::shared_ptr<HostedDatabase>> Resolve(std::string_view name_or_identity) const;
  std::shared_ptr<HostedDatabase> Find(const sats::Identity& identity) const;

  // Creates or updates. Errors: kPermissionDenied (not the owner), kInvalidArgument (bad name, bad module,
  // refused migration), kIo.
  Result<PublishResult> Publish(PublishRequest request);
  // Only the owner may delete; deleting an unknown database succeeds.
  Status Delete(const sats::Identity& identity, const sats::Identity& caller);
  // Adds a name (anyone may name a database they own; a name used by another database is refused).
  Status AddName(const sats::Identity& identity, const std::string& name, const sats::Identity& caller);
  Status SetNames(const sats::Identity& identity, std::vector<std::string> names, const sats::Identity& caller);
  std::vector<sats::Identity> OwnedBy(const sats::Identity& owner) const;
  std::vector<std::shared_ptr<HostedDatabase>> All() const;
  const std::string& data_dir() const { return options_.data_dir; }

 private:
  explicit DatabaseRegistry(RegistryOptions options) : options_(std::move(options)) {}
  std::string DatabaseDir(const sats::Identity& identity) const;
  Result<std::shared_ptr<HostedDatabase>> CreateDatabase(const DatabaseRecord& record, sats::ByteSpan program);
  Result<std::shared_ptr<HostedDatabase>> OpenExisting(const DatabaseRecord& record);
  host::DatabaseOptions DatabaseOptionsFor(const DatabaseRecord& record) const;
  durability::DatabaseStateOptions StateOptionsFor(const sats::Identity& identity) const;
  void Log(const std::string& message) const;
  // Shuts `hosted` down, drops this reference and waits until the database has closed. kResourceExhausted if something
  // still holds it after a generous wait (its directory must then not be touched).
  Status Close(std::shared_ptr<HostedDatabase> hosted);

  RegistryOptions options_;
  std::mutex publish_mu_;  // serialises publish/delete/rename
  mutable std::mutex mu_;  // guards control_ and live_
  ControlStore control_;
  std::map<sats::Identity, std::shared_ptr<HostedDatabase>> live_;
};

}  // namespace stdb::server
