// Database: one live database — its datastore, its module (a V8 engine and instance on the database's own
// thread), its durability, scheduler and log — and the operations the server exposes (spec/module-abi.md §3, §6).
//
// Threading: every database has one thread. The module engine is created on it and used only there, and all
// writes happen there, one transaction at a time. Other threads hand work to it with Post (fire and forget) or
// Run (wait for the result); the operations below marked "database thread" must be called from such a job.
// Readers that must not stall the writer take a Snapshot (cheap, on the database thread) and read it anywhere.
//
// Reducer calls follow the reference: the call runs in a mutable transaction; return 0 commits, a returned error
// rolls back with the module's message, a trap or an exceeded time budget rolls back and replaces the instance.
// Each commit is appended to durability (group commit happens there) and announced to commit listeners (the
// subscription engine) with the state after it. Schedule tables arm timers on insert/update; fired rows call
// their reducer with the row as argument, then one-shot rows are deleted and interval rows re-armed.
//
// Thread-safety: Post, Run, logs(), durability(), identity(), name() are thread-safe; the rest runs on the database
// thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "datastore/datastore.h"
#include "datastore/mut_tx.h"
#include "durability/durability.h"
#include "host/instance_env.h"
#include "host/module_def.h"
#include "host/module_instance.h"
#include "host/module_logs.h"
#include "host/wasm_runtime.h"

namespace stdb::host {

struct DatabaseOptions {
  std::string name;  // for messages and logs
  sats::Identity identity;
  sats::Identity owner;
  EngineOptions engine;
  std::string log_path;  // module log file; empty keeps logs in memory only
};

// Who called and with what, for a reducer call.
struct ReducerRequest {
  std::string reducer;  // canonical name (or the module's source name)
  sats::Bytes args;     // BSATN of the parameter product
  sats::Identity caller;
  sats::ConnectionId connection_id;  // zero: none
  std::optional<sats::Timestamp> timestamp;  // default: now
};

struct ReducerResponse {
  enum class Status {
    kCommitted,
    kFailedUser,      // the reducer returned an error; message is its text
    kFailedInternal,  // trap, time budget, host error
    kNoSuchReducer,   // unknown, or not callable by this caller
    kInvalidArguments,
  };
  Status status = Status::kCommitted;
  std::string message;
  uint32_t reducer_id = 0;
  sats::Timestamp timestamp;
  std::chrono::microseconds duration{0};
  // The committed transaction (with its tx offset when it changed something).
  std::shared_ptr<const datastore::TxData> tx;
  bool committed() const { return status == Status::kCommitted; }
};

// A committed transaction and what caused it, for subscription evaluation. Valid during the callback only.
struct CommitEvent {
  CommitEvent(const datastore::TxData& tx, const datastore::Datastore& datastore, const ReducerRequest* reducer,
              std::optional<uint32_t> reducer_id)
      : tx(tx), datastore(datastore), reducer(reducer), reducer_id(reducer_id) {}

  const datastore::TxData& tx;
  const datastore::Datastore& datastore;
  const ReducerRequest* reducer = nullptr;  // the call that committed, if any
  std::optional<uint32_t> reducer_id;

  // The state right after the commit. Built on first use: a view of every table costs microseconds, which a
  // commit nobody subscribed to should not pay.
  const datastore::DatabaseView& state() const {
    if (!state_) state_ = datastore.CurrentView();
    return *state_;
  }

 private:
  mutable std::unique_ptr<datastore::DatabaseView> state_;
};

class CommitListener {
 public:
  virtual ~CommitListener() = default;
  // Database thread, right after each commit that changed something.
  virtual void OnCommit(const CommitEvent& event) = 0;
};

class Database {
 public:
  // First publish: validates the module, creates its tables and runs its `init` reducer in one transaction.
  // `datastore` must be empty (fresh system tables, e.g. from durability::OpenDatabaseState on a new directory);
  // null means a new in-memory one.
  static Result<std::unique_ptr<Database>> Create(DatabaseOptions options, sats::ByteSpan program,
                                                  std::unique_ptr<datastore::Datastore> datastore,
                                                  std::unique_ptr<durability::Durability> durability);
  // An existing database whose state was recovered into `datastore`: loads the module recorded in st_module,
  // re-arms schedules and runs client_disconnected for clients left in st_client by a crash.
  static Result<std::unique_ptr<Database>> Open(DatabaseOptions options, std::unique_ptr<datastore::Datastore> datastore,
                                                std::unique_ptr<durability::Durability> durability);
  ~Database();  // finishes queued work, closes durability, stops the thread
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& name() const { return options_.name; }
  const sats::Identity& identity() const { return options_.identity; }
  const sats::Identity& owner() const { return options_.owner; }
  ModuleLogs& logs() { return *logs_; }
  durability::Durability& durability() { return *durability_; }

  // --- thread plumbing ---
  void Post(std::function<void()> job);
  // Runs `fn` on the database thread and returns its result (must not be called from the database thread).
  template <typename F>
  auto Run(F&& fn) -> decltype(fn()) {
    using R = decltype(fn());
    std::packaged_task<R()> task(std::forward<F>(fn));
    auto future = task.get_future();
    Post([&task] { task(); });
    return future.get();
  }
  bool OnDatabaseThread() const { return std::this_thread::get_id() == thread_id_; }

  // --- database thread ---
  ReducerResponse CallReducer(const ReducerRequest& request);
  // Runs the connect lifecycle (st_client row + OnConnect) in one transaction; an error means the module
  // rejected the client.
  Status ClientConnected(const sats::Identity& identity, sats::ConnectionId connection_id, const std::string& jwt_payload);
  void ClientDisconnected(const sats::Identity& identity, sats::ConnectionId connection_id);
  // Runs `body` in a mutable transaction (no module code), commits if it succeeds, rolls back otherwise.
  Result<std::shared_ptr<const datastore::TxData>> WithTransaction(const std::function<Status(datastore::MutTx&)>& body);
  // Replaces the module (hot swap) after planning an automatic migration; see migration.h for the rules.
  Status UpdateModule(sats::ByteSpan program, bool allow_breaking);
  std::shared_ptr<const datastore::DatabaseView> Snapshot() { return datastore_->TakeSnapshot(); }
  const ModuleDef& module_def() const { return *module_def_; }
  // The module's own definition as __describe_module__ returned it (BSATN RawModuleDef), for /schema.
  const sats::Bytes& described_module() const { return described_module_; }
  datastore::Datastore& datastore() { return *datastore_; }
  void AddCommitListener(CommitListener* listener);
  void RemoveCommitListener(CommitListener* listener);
  // Program bytes and hash (st_module).
  const sats::Bytes& program() const { return program_; }
  size_t pending_timers() const { return timers_.size(); }

 private:
  struct Timer {
    table::TableId table;
    sats::Bytes key;  // BSATN of the row's primary key (u64 scheduled_id)
    sats::Timestamp intended;
  };
  struct LoadedModule {
    std::unique_ptr<WasmModule> module;
    std::unique_ptr<ModuleInstance> instance;
    std::unique_ptr<ModuleDef> def;
    sats::Bytes described;  // what __describe_module__ returned (BSATN RawModuleDef)
  };

  Database(DatabaseOptions options, std::unique_ptr<durability::Durability> durability);
  void ThreadMain();
  Status InitOnThread(sats::ByteSpan program, std::unique_ptr<datastore::Datastore> datastore, bool fresh);
  Result<LoadedModule> LoadModule(sats::ByteSpan program);
  Status EnsureInstance();
  void WireEnv();
  // Runs a reducer inside `tx` (the caller commits or rolls back).
  ReducerCallOutcome RunReducer(datastore::MutTx& tx, uint32_t reducer_id, const ReducerCallArgs& args);
  std::shared_ptr<const datastore::TxData> CommitAndPublish(std::unique_ptr<datastore::MutTx> tx,
                                                            const ReducerRequest* request,
                                                            std::optional<uint32_t> reducer_id);
  Status ArmScheduleRow(table::TableId table, sats::ByteSpan row);
  void ArmAllSchedules();
  void FireDueTimers();
  void FireTimer(const Timer& timer);
  std::optional<std::chrono::steady_clock::time_point> NextTimerDeadline() const;

  DatabaseOptions options_;
  std::unique_ptr<ModuleLogs> logs_;
  std::unique_ptr<durability::Durability> durability_;
  std::unique_ptr<datastore::Datastore> datastore_;
  std::unique_ptr<WasmEngine> engine_;
  std::unique_ptr<WasmModule> module_;
  std::unique_ptr<ModuleDef> module_def_;
  InstanceEnv env_;
  std::unique_ptr<ModuleInstance> instance_;
  sats::Bytes program_;
  sats::Bytes described_module_;
  std::vector<CommitListener*> listeners_;
  std::multimap<int64_t, Timer> timers_;  // by fire time (µs since epoch)

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
  std::thread::id thread_id_;
};

// Keccak-256 is the reference's program hash; we use BLAKE3 of the program bytes for st_module.program_hash
// (a cache key only). Exposed for the server's "same program, nothing to do" check.
sats::U256 ProgramHash(sats::ByteSpan program);

}  // namespace stdb::host
