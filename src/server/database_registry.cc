#include "server/database_registry.h"

#include <filesystem>
#include <iostream>
#include <thread>

#include "auth/identity.h"
#include "auth/secure_random.h"

namespace stdb::server {

namespace {

// How long closing a database may wait for its last users (clients finishing their close handshake, requests
// in flight) before giving up.
constexpr std::chrono::seconds kCloseWait{60};

}  // namespace

HostedDatabase::HostedDatabase(DatabaseRecord record, std::unique_ptr<host::Database> db)
    : record_(std::move(record)), db_(std::move(db)), closed_(closing_.get_future().share()) {}

std::shared_ptr<HostedDatabase> HostedDatabase::Create(DatabaseRecord record, std::unique_ptr<host::Database> db) {
  // Destroying a Database joins its thread, so the last reference must not be dropped there; a fresh thread
  // does it wherever that happens.
  return std::shared_ptr<HostedDatabase>(new HostedDatabase(std::move(record), std::move(db)), [](HostedDatabase* h) {
    std::thread([h] { delete h; }).detach();
  });
}

HostedDatabase::~HostedDatabase() {
  attachment_.reset();  // uses the database
  db_.reset();          // stops its thread and closes its durability (drains and syncs the commitlog)
  closing_.set_value();
}

void HostedDatabase::Shutdown() {
  if (attachment_) attachment_->Detach();
}

DatabaseRecord HostedDatabase::record() const {
  std::lock_guard<std::mutex> lock(mu_);
  return record_;
}

void HostedDatabase::set_names(std::vector<std::string> names) {
  std::lock_guard<std::mutex> lock(mu_);
  record_.names = std::move(names);
}

Result<std::unique_ptr<DatabaseRegistry>> DatabaseRegistry::Open(RegistryOptions options) {
  std::unique_ptr<DatabaseRegistry> reg(new DatabaseRegistry(std::move(options)));
  if (!reg->options_.in_memory) {
    std::error_code ec;
    std::filesystem::create_directories(reg->options_.data_dir + "/databases", ec);
    if (ec)
      return Error(ErrorCode::kIo, "cannot create the data directory " + reg->options_.data_dir + ": " + ec.message());
  }
  STDB_ASSIGN_OR_RETURN(reg->control_, ControlStore::Open(reg->options_.in_memory ? "" : reg->options_.data_dir + "/control.json"));
  for (const auto& record : reg->control_.databases()) {
    reg->Log("opening database " + record.identity.ToHex() +
             (record.names.empty() ? "" : " (" + record.names[0] + ")"));
    auto hosted = reg->OpenExisting(record);
    if (!hosted.ok())
      return std::move(hosted).error().Prefix("cannot open database " + record.identity.ToHex());
    reg->live_[record.identity] = std::move(*hosted);
  }
  return reg;
}

DatabaseRegistry::~DatabaseRegistry() {
  std::map<sats::Identity, std::shared_ptr<HostedDatabase>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    live.swap(live_);
  }
  for (auto& [identity, hosted] : live) {
    Status s = Close(std::move(hosted));  // each database syncs its commitlog as it closes
    if (!s.ok()) Log(s.error().message());
  }
}

Status DatabaseRegistry::Close(std::shared_ptr<HostedDatabase> hosted) {
  std::shared_future<void> closed = hosted->closed();
  std::string id = hosted->identity().ToHex();
  hosted->Shutdown();
  hosted.reset();
  if (closed.wait_for(kCloseWait) == std::future_status::ready) return OkStatus();
  return Error(ErrorCode::kResourceExhausted, "database " + id + " is still in use after " +
                                           std::to_string(kCloseWait.count()) + " s; its data was left in place");
}

void DatabaseRegistry::Log(const std::string& message) const {
  if (options_.log) options_.log(message);
  else std::cerr << message << std::endl;
}

std::string DatabaseRegistry::DatabaseDir(const sats::Identity& identity) const {
  return options_.data_dir + "/databases/" + identity.ToHex();
}

host::DatabaseOptions DatabaseRegistry::DatabaseOptionsFor(const DatabaseRecord& record) const {
  host::DatabaseOptions o;
  o.name = record.names.empty() ? record.identity.ToHex() : record.names[0];
  o.identity = record.identity;
  o.owner = record.owner;
  o.engine = options_.engine;
  if (!options_.in_memory) {
    std::string logs = DatabaseDir(record.identity) + "/module_logs";
    std::error_code ec;
    std::filesystem::create_directories(logs, ec);
    o.log_path = logs + "/module.log";
  }
  return o;
}

durability::DatabaseStateOptions DatabaseRegistry::StateOptionsFor(const sats::Identity& identity) const {
  durability::DatabaseStateOptions s = options_.durability;
  s.dir = options_.in_memory ? "" : DatabaseDir(identity);
  if (!s.progress) {
    std::string hex = identity.ToHex().substr(0, 16);
    s.progress = [this, hex](const durability::RecoveryProgress& p) {
      Log("recovering " + hex + "...: " + std::to_string(p.rows_restored) + " rows from the snapshot, " +
          std::to_string(p.transactions_replayed) + "/" + std::to_string(p.transactions_to_replay) +
          " transactions replayed (" + std::to_string(p.elapsed.count()) + " ms)");
    };
  }
  return s;
}

Result<std::shared_ptr<HostedDatabase>> DatabaseRegistry::OpenExisting(const DatabaseRecord& record) {
  STDB_ASSIGN_OR_RETURN(auto state, durability::OpenDatabaseState(StateOptionsFor(record.identity)));
  if (state.report.transactions_replayed > 0 || state.report.snapshot_offset)
    Log("  recovered " + std::to_string(state.report.next_tx_offset) + " transactions in " +
        std::to_string(state.report.total_time.count() / 1000) + " ms");
  STDB_ASSIGN_OR_RETURN(auto db, host::Database::Open(DatabaseOptionsFor(record), std::move(state.datastore),
                                                      std::move(state.durability)));
  auto hosted = HostedDatabase::Create(record, std::move(db));
  if (options_.attach) options_.attach(*hosted);
  return hosted;
}

Result<std::shared_ptr<HostedDatabase>> DatabaseRegistry::CreateDatabase(const DatabaseRecord& record,
                                                                         sats::ByteSpan program) {
  std::string dir = DatabaseDir(record.identity);
  if (!options_.in_memory) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error(ErrorCode::kIo, "cannot create " + dir + ": " + ec.message());
  }
  auto fail = [&](Error e) {
    if (!options_.in_memory) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
    return e;
  };
  auto state = durability::OpenDatabaseState(StateOptionsFor(record.identity));
  if (!state.ok()) return fail(std::move(state).error());
  auto db = host::Database::Create(DatabaseOptionsFor(record), program, std::move(state->datastore),
                                   std::move(state->durability));
  if (!db.ok()) return fail(std::move(db).error());
  auto hosted = HostedDatabase::Create(record, std::move(*db));
  if (options_.attach) options_.attach(*hosted);
  return hosted;
}

Result<std::shared_ptr<HostedDatabase>> DatabaseRegistry::Resolve(std::string_view noi) const {
  std::string_view hex = noi;
  if (hex.size() == 66 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  if (hex.size() == 64) {
    if (auto id = sats::Identity::FromHex(hex)) {
      auto db = Find(*id);
      if (!db) return Error(ErrorCode::kNotFound, "No such database.");
      return db;
    }
  }
  if (!IsValidDatabaseName(noi))
    return Error(ErrorCode::kInvalidArgument,
                 "invalid database name '" + std::string(noi) + "': use lowercase letters, digits and single hyphens");
  std::lock_guard<std::mutex> lock(mu_);
  auto id = control_.FindByName(noi);
  if (!id) return Error(ErrorCode::kNotFound, "`" + std::string(noi) + "` not found");
  auto it = live_.find(*id);
  if (it == live_.end()) return Error(ErrorCode::kNotFound, "`" + std::string(noi) + "` not found");
  return it->second;
}

std::shared_ptr<HostedDatabase> DatabaseRegistry::Find(const sats::Identity& identity) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = live_.find(identity);
  return it == live_.end() ? nullptr : it->second;
}

Result<PublishResult> DatabaseRegistry::Publish(PublishRequest request) {
  std::lock_guard<std::mutex> publish_lock(publish_mu_);
  std::shared_ptr<HostedDatabase> existing;
  std::optional<std::string> name;
  if (request.name_or_identity) {
    auto resolved = Resolve(*request.name_or_identity);
    if (resolved.ok()) {
      existing = *resolved;
    } else if (resolved.error().code() == ErrorCode::kNotFound && IsValidDatabaseName(*request.name_or_identity)) {
      name = *request.name_or_identity;  // a new database with this name
    } else {
      return std::move(resolved).error();
    }
  }
  if (existing) {
    if (existing->owner() != request.caller)
      return Error(ErrorCode::kPermissionDenied, request.caller.ToHex() + " is not authorized to perform action on database " +
                                                     existing->identity().ToHex() + ": update database");
    DatabaseRecord record = existing->record();
    PublishResult result{record.identity, record.names.empty() ? std::nullopt : std::optional<std::string>(record.names[0]), false};
    if (!request.clear) {
      Status s = existing->db().Run([&] { return existing->db().UpdateModule(request.program, request.allow_breaking); });
      if (!s.ok()) return std::move(s).error();
      return result;
    }
    // Delete the data: stop the database, then create it afresh under the same identity and names.
    {
      std::lock_guard<std::mutex> lock(mu_);
      live_.erase(record.identity);
    }
    // Its clients are disconnected and its commitlog closed first. If that cannot finish, the old data stays
    // (and reopens at the next start).
    STDB_RETURN_IF_ERROR(Close(std::move(existing)));
    auto created = CreateDatabase(record, request.program);
    if (!created.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      (void)control_.Remove(record.identity);
      return std::move(created).error().Prefix("the old data was deleted but the new module failed to start");
    }
    std::lock_guard<std::mutex> lock(mu_);
    live_[record.identity] = std::move(*created);
    return result;
  }
  // A new database with a fresh identity, minted like an anonymous client's.
  DatabaseRecord record;
  auto subject = auth::RandomUuidV4();
  if (!subject.ok()) return std::move(subject).error();
  record.identity = auth::IdentityFromClaims("localhost", subject->ToString());
  record.owner = request.caller;
  if (name) record.names.push_back(*name);
  STDB_ASSIGN_OR_RETURN(auto hosted, CreateDatabase(record, request.program));
  std::lock_guard<std::mutex> lock(mu_);
  Status saved = control_.Put(record);
  if (!saved.ok()) return std::move(saved).error();
  live_[record.identity] = std::move(hosted);
  return PublishResult{record.identity, name, true};
}

Status DatabaseRegistry::Delete(const sats::Identity& identity, const sats::Identity& caller) {
  std::lock_guard<std::mutex> publish_lock(publish_mu_);
  std::shared_ptr<HostedDatabase> db;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = live_.find(identity);
    if (it == live_.end()) return OkStatus();
    if (it->second->owner() != caller)
      return Error(ErrorCode::kPermissionDenied, caller.ToHex() + " is not authorized to perform action on database " +
                                                     identity.ToHex() + ": delete database");
    STDB_RETURN_IF_ERROR(control_.Remove(identity));
    db = std::move(it->second);
    live_.erase(it);
  }
  STDB_RETURN_IF_ERROR(Close(std::move(db)));
  if (!options_.in_memory) {
    std::error_code ec;
    std::filesystem::remove_all(DatabaseDir(identity), ec);
  }
  return OkStatus();
}

Status DatabaseRegistry::AddName(const sats::Identity& identity, const std::string& name, const sats::Identity& caller) {
  std::lock_guard<std::mutex> publish_lock(publish_mu_);
  if (!IsValidDatabaseName(name))
    return Error(ErrorCode::kInvalidArgument, "invalid database name '" + name + "': use lowercase letters, digits and single hyphens");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = live_.find(identity);
  if (it == live_.end()) return Error(ErrorCode::kNotFound, "No such database.");
  if (it->second->owner() != caller)
    return Error(ErrorCode::kPermissionDenied, "not the owner of database " + identity.ToHex());
  auto other = control_.FindByName(name);
  if (other && *other != identity) return Error(ErrorCode::kAlreadyExists, "Cannot rename to " + name + " because it already is in use.");
  if (other) return OkStatus();
  DatabaseRecord record = it->second->record();
  record.names.push_back(name);
  STDB_RETURN_IF_ERROR(control_.Put(record));
  it->second->set_names(record.names);
  return OkStatus();
}

Status DatabaseRegistry::SetNames(const sats::Identity& identity, std::vector<std::string> names, const sats::Identity& caller) {
  std::lock_guard<std::mutex> publish_lock(publish_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = live_.find(identity);
  if (it == live_.end()) return Error(ErrorCode::kNotFound, "No such database.");
  if (it->second->owner() != caller)
    return Error(ErrorCode::kPermissionDenied, "not the owner of database " + identity.ToHex());
  for (const auto& name : names) {
    if (!IsValidDatabaseName(name))
      return Error(ErrorCode::kInvalidArgument, "invalid database name '" + name + "'");
    auto other = control_.FindByName(name);
    if (other && *other != identity)
      return Error(ErrorCode::kAlreadyExists, "Cannot rename to " + name + " because it already is in use.");
  }
  DatabaseRecord record = it->second->record();
  record.names = names;
  STDB_RETURN_IF_ERROR(control_.Put(record));
  it->second->set_names(std::move(names));
  return OkStatus();
}

std::vector<sats::Identity> DatabaseRegistry::OwnedBy(const sats::Identity& owner) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<sats::Identity> out;
  for (const auto& r : control_.databases())
    if (r.owner == owner) out.push_back(r.identity);
  return out;
}

std::vector<std::shared_ptr<HostedDatabase>> DatabaseRegistry::All() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<HostedDatabase>> out;
  for (const auto& [id, db] : live_) out.push_back(db);
  return out;
}

}  // namespace stdb::server
