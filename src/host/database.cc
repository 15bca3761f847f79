#include "host/database.h"

#include <cstring>

#include "host/keccak.h"
#include "host/migration.h"
#include "host/module_schema.h"

namespace stdb::host {

using datastore::MutTx;
using datastore::TxData;

namespace {

// Schedules more than 2^36 - 1 ms away are refused (errno 13), like the reference.
constexpr int64_t kMaxScheduleDelayMicros = ((int64_t{1} << 36) - 1) * 1000;

sats::Bytes TxInputArgs(const sats::Identity& caller, sats::ConnectionId conn, sats::Timestamp ts, sats::ByteSpan args) {
  sats::Bytes out;
  out.reserve(56 + args.size());
  sats::bsatn::Writer w(out);
  caller.Encode(w);
  conn.Encode(w);
  w.I64(ts.micros_since_epoch());
  w.Raw(args.data(), args.size());
  return out;
}

int64_t NowMicros() { return sats::Timestamp::Now().micros_since_epoch(); }

}  // namespace

sats::U256 ProgramHash(sats::ByteSpan program) {
  auto digest = Keccak256(program);
  sats::U256 v;
  std::memcpy(v.w.data(), digest.data(), 32);
  return v;
}

Database::Database(DatabaseOptions options, std::unique_ptr<durability::Durability> durability)
    : options_(std::move(options)),
      logs_(std::make_unique<ModuleLogs>(options_.log_path)),
      durability_(durability ? std::move(durability) : std::make_unique<durability::InMemoryDurability>()) {
  thread_ = std::thread([this] { ThreadMain(); });
  thread_id_ = thread_.get_id();
}

Database::~Database() {
  if (thread_.joinable()) {
    Post([this] {
      // Module objects belong to the engine's thread: destroy them here.
      instance_.reset();
      module_.reset();
      engine_.reset();
    });
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  durability_->Close();
}

Result<std::unique_ptr<Database>> Database::Create(DatabaseOptions options, sats::ByteSpan program,
                                                   std::unique_ptr<datastore::Datastore> datastore,
                                                   std::unique_ptr<durability::Durability> durability) {
  std::unique_ptr<Database> db(new Database(std::move(options), std::move(durability)));
  sats::Bytes copy(program.begin(), program.end());
  Status s = db->Run([&] { return db->InitOnThread(copy, std::move(datastore), true); });
  if (!s.ok()) return std::move(s).error();
  return db;
}

Result<std::unique_ptr<Database>> Database::Open(DatabaseOptions options, std::unique_ptr<datastore::Datastore> datastore,
                                                 std::unique_ptr<durability::Durability> durability) {
  std::unique_ptr<Database> db(new Database(std::move(options), std::move(durability)));
  Status s = db->Run([&] { return db->InitOnThread({}, std::move(datastore), false); });
  if (!s.ok()) return std::move(s).error();
  return db;
}

void Database::Post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void Database::ThreadMain() {
  std::deque<std::function<void()>> batch;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      while (queue_.empty() && !stopping_) {
        auto deadline = NextTimerDeadline();
        if (!deadline) {
          cv_.wait(lock);
        } else if (cv_.wait_until(lock, *deadline) == std::cv_status::timeout) {
          break;
        }
      }
      if (queue_.empty() && stopping_) return;
      batch.swap(queue_);
    }
    for (auto& job : batch) job();
    batch.clear();
    if (engine_) FireDueTimers();
  }
}

void Database::WireEnv() {
  env_.database_identity = options_.identity;
  env_.logs = logs_.get();
  env_.is_schedule_table = [this](table::TableId id) {
    const table::Table* t = datastore_->GetTable(id);
    return t && t->schema().schedule.has_value();
  };
  env_.on_schedule_row = [this](table::TableId id, sats::ByteSpan row) { return ArmScheduleRow(id, row); };
  env_.schedule_immediate = [this](std::string name, sats::Bytes args) {
    Post([this, name = std::move(name), args = std::move(args)] {
      ReducerRequest r{name, args, options_.identity, sats::ConnectionId(), std::nullopt};
      ReducerResponse resp = CallReducer(r);
      if (resp.status == ReducerResponse::Status::kNoSuchReducer)
        logs_->System(LogLevel::kError, "scheduled immediate call to unknown reducer '" + name + "'");
    });
  };
}

Result<Database::LoadedModule> Database::LoadModule(sats::ByteSpan program) {
  LoadedModule m;
  auto compiled = engine_->Compile(program);
  if (!compiled.ok()) return std::move(compiled).error().Prefix("invalid WebAssembly module");
  m.module = std::move(*compiled);
  STDB_ASSIGN_OR_RETURN(m.instance, ModuleInstance::Create(*engine_, *m.module, &env_));
  STDB_RETURN_IF_ERROR(m.instance->Initialize());
  STDB_ASSIGN_OR_RETURN(sats::Bytes described, m.instance->Describe());
  auto def = ModuleDef::FromBsatn(described);
  if (!def.ok()) return std::move(def).error().Prefix("invalid module definition");
  m.def = std::make_unique<ModuleDef>(std::move(*def));
  m.described = std::move(described);
  return m;
}

Status Database::InitOnThread(sats::ByteSpan program, std::unique_ptr<datastore::Datastore> datastore, bool fresh) {
  auto engine = CreateWasmEngine(options_.engine);
  if (!engine.ok()) return std::move(engine).error();
  engine_ = std::move(*engine);
  WireEnv();
  datastore_ = datastore ? std::move(datastore) : datastore::Datastore::Create();
  if (fresh && datastore_->next_tx_offset() != 0)
    return Error(ErrorCode::kAlreadyExists, "database '" + options_.name + "' already has data; use Open");
  if (!fresh) {
    // The module is the one recorded in st_module.
    const table::Table* st_module = datastore_->GetTable(datastore::kStModule);
    std::optional<datastore::StModuleRow> row;
    st_module->rows().view().ForEach([&](table::RowId, sats::ByteSpan r) {
      auto m = datastore::StModuleRow::Decode(r);
      if (m.ok()) row = std::move(*m);
    });
    if (!row) return Error(ErrorCode::kCorruption, "database '" + options_.name + "' has no module in st_module");
    program_ = std::move(row->program_bytes);
  } else {
    program_.assign(program.begin(), program.end());
  }
  STDB_ASSIGN_OR_RETURN(LoadedModule loaded, LoadModule(program_));
  module_ = std::move(loaded.module);
  instance_ = std::move(loaded.instance);
  module_def_ = std::move(loaded.def);
  described_module_ = std::move(loaded.described);

  if (fresh) {
    STDB_ASSIGN_OR_RETURN(auto tx, datastore_->BeginMutTx());
    STDB_RETURN_IF_ERROR(CreateModuleTables(*module_def_, *tx));
    datastore::StModuleRow m{options_.identity.ToU256(), options_.owner.ToU256(), 0, ProgramHash(program_), program_, "0.1.0"};
    auto inserted = tx->Insert(datastore::kStModule, m.Encode());
    if (!inserted.ok()) return std::move(inserted).error();
    if (auto init = module_def_->LifecycleReducer(Lifecycle::kInit)) {
      ReducerCallArgs args{options_.owner, sats::ConnectionId(), sats::Timestamp::Now(), {}};
      tx->SetInputs({module_def_->reducers()[*init].name, TxInputArgs(args.sender, args.connection_id, args.timestamp, {})});
      ReducerCallOutcome outcome = RunReducer(*tx, *init, args);
      if (!outcome.ok()) {
        tx->Rollback();
        return Error(ErrorCode::kInvalidArgument, "the module's init reducer failed: " + outcome.message);
      }
    }
    CommitAndPublish(std::move(tx), nullptr, std::nullopt);
    logs_->System(LogLevel::kInfo, "database created: " + std::to_string(module_def_->tables().size()) + " tables, " +
                                       std::to_string(module_def_->reducers().size()) + " reducers");
  } else {
    // Clients connected when the server stopped get their disconnect now.
    std::vector<datastore::StClientRow> stale;
    datastore_->GetTable(datastore::kStClient)->rows().view().ForEach([&](table::RowId, sats::ByteSpan r) {
      auto c = datastore::StClientRow::Decode(r);
      if (c.ok()) stale.push_back(*c);
    });
    for (const auto& c : stale) ClientDisconnected(sats::Identity::FromU256(c.identity), sats::ConnectionId(c.connection_id));
  }
  ArmAllSchedules();
  return OkStatus();
}

Status Database::EnsureInstance() {
  if (instance_ && !instance_->poisoned()) return OkStatus();
  logs_->System(LogLevel::kWarn, "replacing the module instance after a trap");
  instance_.reset();
  STDB_ASSIGN_OR_RETURN(instance_, ModuleInstance::Create(*engine_, *module_, &env_));
  Status s = instance_->Initialize();
  if (s.ok()) {
    auto described = instance_->Describe();
    if (!described.ok()) s = std::move(described).error();
  }
  if (!s.ok()) {
    instance_.reset();
    return s;
  }
  return OkStatus();
}

ReducerCallOutcome Database::RunReducer(MutTx& tx, uint32_t reducer_id, const ReducerCallArgs& args) {
  Status ready = EnsureInstance();
  if (!ready.ok()) return {ReducerCallOutcome::Kind::kTrap, "the module instance could not be rebuilt: " + ready.error().message()};
  env_.tx = &tx;
  env_.function_name = module_def_->reducers()[reducer_id].name;
  ReducerCallOutcome outcome = instance_->CallReducer(reducer_id, args);
  env_.tx = nullptr;
  env_.function_name.clear();
  if (outcome.kind == ReducerCallOutcome::Kind::kTrap || outcome.kind == ReducerCallOutcome::Kind::kInterrupted) {
    logs_->System(LogLevel::kError, "reducer " + module_def_->reducers()[reducer_id].name + " " +
                                        (outcome.kind == ReducerCallOutcome::Kind::kInterrupted ? "was interrupted: " : "trapped: ") +
                                        outcome.message);
  }
  return outcome;
}

std::shared_ptr<const TxData> Database::CommitAndPublish(std::unique_ptr<MutTx> tx, const ReducerRequest* request,
                                                         std::optional<uint32_t> reducer_id) {
  auto data = std::make_shared<TxData>(tx->Commit());
  tx.reset();
  if (data->tx_offset) durability_->Append(data);
  if (!data->empty() && !listeners_.empty()) {
    CommitEvent event{*data, *datastore_, request, reducer_id};
    for (CommitListener* l : listeners_) l->OnCommit(event);
  }
  return data;
}

ReducerResponse Database::CallReducer(const ReducerRequest& request) {
  auto start = std::chrono::steady_clock::now();
  ReducerResponse resp;
  resp.timestamp = request.timestamp.value_or(sats::Timestamp::Now());
  auto finish = [&](ReducerResponse::Status status, std::string message) {
    resp.status = status;
    resp.message = std::move(message);
    resp.duration = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    return resp;
  };
  auto id = module_def_->FindReducer(request.reducer);
  if (!id) return finish(ReducerResponse::Status::kNoSuchReducer, "no such reducer: '" + request.reducer + "'");
  const ReducerDef& def = module_def_->reducers()[*id];
  resp.reducer_id = *id;
  if (def.lifecycle)
    return finish(ReducerResponse::Status::kNoSuchReducer,
                  "reducer '" + def.name + "' is a lifecycle reducer and cannot be called by clients");
  if (def.visibility == FunctionVisibility::kPrivate && request.caller != options_.owner)
    return finish(ReducerResponse::Status::kNoSuchReducer, "no such reducer: '" + request.reducer + "'");
  if (auto failure = durability_->failure())
    return finish(ReducerResponse::Status::kFailedInternal, "the database is read-only after a storage failure: " + *failure);
  Status valid = sats::bsatn::ValidateProduct(def.params, request.args, &module_def_->typespace());
  if (!valid.ok())
    return finish(ReducerResponse::Status::kInvalidArguments,
                  "invalid arguments for reducer '" + def.name + "': " + valid.error().message());
  auto tx_or = datastore_->BeginMutTx();
  if (!tx_or.ok()) return finish(ReducerResponse::Status::kFailedInternal, tx_or.error().message());
  std::unique_ptr<MutTx> tx = std::move(*tx_or);
  ReducerCallArgs args{request.caller, request.connection_id, resp.timestamp, request.args};
  tx->SetInputs({def.name, TxInputArgs(request.caller, request.connection_id, resp.timestamp, request.args)});
  ReducerCallOutcome outcome = RunReducer(*tx, *id, args);
  switch (outcome.kind) {
    case ReducerCallOutcome::Kind::kOk:
      resp.tx = CommitAndPublish(std::move(tx), &request, *id);
      return finish(ReducerResponse::Status::kCommitted, "");
    case ReducerCallOutcome::Kind::kUserError:
      tx->Rollback();
      return finish(ReducerResponse::Status::kFailedUser, outcome.message);
    default:
      tx->Rollback();
      return finish(ReducerResponse::Status::kFailedInternal,
                    outcome.kind == ReducerCallOutcome::Kind::kInterrupted
                        ? "The reducer ran past its time budget and was interrupted."
                        : "The instance encountered a fatal error.");
  }
}

Status Database::ClientConnected(const sats::Identity& identity, sats::ConnectionId connection_id,
                                 const std::string& jwt_payload) {
  STDB_ASSIGN_OR_RETURN(auto tx, datastore_->BeginMutTx());
  auto r = tx->Insert(datastore::kStClient, datastore::StClientRow{identity.ToU256(), connection_id.value()}.Encode());
  if (!r.ok()) return std::move(r).error();
  if (!connection_id.IsZero()) {
    auto c = tx->Insert(datastore::kStConnectionCredentials,
                        datastore::StConnectionCredentialsRow{connection_id.value(), jwt_payload}.Encode());
    if (!c.ok()) return std::move(c).error();
  }
  sats::Timestamp now = sats::Timestamp::Now();
  std::string name = "__identity_connected__";
  if (auto id = module_def_->LifecycleReducer(Lifecycle::kOnConnect)) {
    name = module_def_->reducers()[*id].name;
    tx->SetInputs({name, TxInputArgs(identity, connection_id, now, {})});
    ReducerCallOutcome outcome = RunReducer(*tx, *id, {identity, connection_id, now, {}});
    if (!outcome.ok()) {
      tx->Rollback();
      return Error(ErrorCode::kPermissionDenied, outcome.kind == ReducerCallOutcome::Kind::kUserError
                                                     ? outcome.message
                                                     : "client_connected failed: " + outcome.message);
    }
  } else {
    tx->SetInputs({name, TxInputArgs(identity, connection_id, now, {})});
  }
  ReducerRequest request{name, {}, identity, connection_id, now};
  CommitAndPublish(std::move(tx), &request, module_def_->LifecycleReducer(Lifecycle::kOnConnect));
  return OkStatus();
}

void Database::ClientDisconnected(const sats::Identity& identity, sats::ConnectionId connection_id) {
  sats::Bytes client_row = datastore::StClientRow{identity.ToU256(), connection_id.value()}.Encode();
  if (datastore_->GetTable(datastore::kStClient)->FindIdentical(client_row) == table::kNoRow) return;
  auto remove_rows = [&](MutTx& tx) {
    (void)tx.DeleteByValue(datastore::kStClient, client_row);
    const table::Table* creds = datastore_->GetTable(datastore::kStConnectionCredentials);
    const table::TableIndex* index = creds->FindIndex(13);
    table::RowId rid = table::TableIndex::FindFirst(
        index->view(), index->KeyFromValues({sats::AlgebraicValue::U128(connection_id.value())}));
    if (rid != table::kNoRow) (void)tx.Delete(datastore::kStConnectionCredentials, rid);
  };
  sats::Timestamp now = sats::Timestamp::Now();
  std::string name = "__identity_disconnected__";
  auto reducer = module_def_->LifecycleReducer(Lifecycle::kOnDisconnect);
  auto tx_or = datastore_->BeginMutTx();
  if (!tx_or.ok()) return;
  auto tx = std::move(*tx_or);
  if (reducer) {
    name = module_def_->reducers()[*reducer].name;
    tx->SetInputs({name, TxInputArgs(identity, connection_id, now, {})});
    ReducerCallOutcome outcome = RunReducer(*tx, *reducer, {identity, connection_id, now, {}});
    if (!outcome.ok()) {
      // Disconnects cannot be refused: drop the client rows in a transaction of their own.
      tx->Rollback();
      logs_->System(LogLevel::kError, "client_disconnected failed: " + outcome.message);
      auto retry = datastore_->BeginMutTx();
      if (!retry.ok()) return;
      tx = std::move(*retry);
      tx->SetInputs({"__identity_disconnected__", TxInputArgs(identity, connection_id, now, {})});
      reducer.reset();
    }
  } else {
    tx->SetInputs({name, TxInputArgs(identity, connection_id, now, {})});
  }
  remove_rows(*tx);
  ReducerRequest request{name, {}, identity, connection_id, now};
  CommitAndPublish(std::move(tx), &request, reducer);
}

Result<std::shared_ptr<const TxData>> Database::WithTransaction(const std::function<Status(MutTx&)>& body) {
  if (auto failure = durability_->failure())
    return Error(ErrorCode::kIo, "the database is read-only after a storage failure: " + *failure);
  STDB_ASSIGN_OR_RETURN(auto tx, datastore_->BeginMutTx());
  Status s = body(*tx);
  if (!s.ok()) {
    tx->Rollback();
    return std::move(s).error();
  }
  return CommitAndPublish(std::move(tx), nullptr, std::nullopt);
}

Status Database::UpdateModule(sats::ByteSpan program, bool allow_breaking) {
  if (program.size() == program_.size() && std::equal(program.begin(), program.end(), program_.begin())) return OkStatus();
  if (auto failure = durability_->failure())
    return Error(ErrorCode::kIo, "the database is read-only after a storage failure: " + *failure);
  STDB_ASSIGN_OR_RETURN(LoadedModule loaded, LoadModule(program));
  auto plan = PlanAutoMigration(*module_def_, *loaded.def);
  if (!plan.ok()) return std::move(plan).error();
  if (plan->breaks_clients && !allow_breaking)
    return Error(ErrorCode::kInvalidArgument, "the update would break connected clients:\n" + plan->Describe() +
                                                  "publish again accepting breaking changes, or delete the data");
  STDB_ASSIGN_OR_RETURN(auto tx, datastore_->BeginMutTx());
  Status applied = ApplyAutoMigration(*plan, *module_def_, *loaded.def, *tx);
  if (applied.ok()) {
    // Record the new program.
    std::vector<table::RowId> old_rows;
    datastore_->GetTable(datastore::kStModule)->rows().view().ForEach([&](table::RowId id, sats::ByteSpan) { old_rows.push_back(id); });
    for (table::RowId id : old_rows) {
      applied = tx->Delete(datastore::kStModule, id);
      if (!applied.ok()) break;
    }
    if (applied.ok()) {
      datastore::StModuleRow m{options_.identity.ToU256(), options_.owner.ToU256(), 0, ProgramHash(program),
                               sats::Bytes(program.begin(), program.end()), "0.1.0"};
      auto inserted = tx->Insert(datastore::kStModule, m.Encode());
      if (!inserted.ok()) applied = std::move(inserted).error();
    }
  }
  if (!applied.ok()) {
    tx->Rollback();
    return std::move(applied).error().Prefix("the update failed and the running module was kept");
  }
  CommitAndPublish(std::move(tx), nullptr, std::nullopt);
  instance_ = std::move(loaded.instance);
  module_ = std::move(loaded.module);
  module_def_ = std::move(loaded.def);
  described_module_ = std::move(loaded.described);
  program_.assign(program.begin(), program.end());
  logs_->System(LogLevel::kInfo, "module updated:\n" + (plan->empty() ? std::string("- no schema changes\n") : plan->Describe()));
  ArmAllSchedules();
  return OkStatus();
}

void Database::AddCommitListener(CommitListener* listener) { listeners_.push_back(listener); }

void Database::RemoveCommitListener(CommitListener* listener) {
  listeners_.erase(std::remove(listeners_.begin(), listeners_.end(), listener), listeners_.end());
}

// --- scheduling --------------------------------------------------------------------------------------------------

Status Database::ArmScheduleRow(table::TableId table_id, sats::ByteSpan row) {
  const table::Table* t = datastore_->GetTable(table_id);
  if (!t || !t->schema().schedule || !t->schema().primary_key) return OkStatus();
  const table::RowLayout& layout = t->layout();
  sats::bsatn::Reader r(layout.Column(row, t->schema().schedule->at_column));
  uint8_t tag = r.U8();
  int64_t micros = r.I64();
  if (!r.ok()) return Error(ErrorCode::kDecode, "schedule row has no valid ScheduleAt");
  int64_t now = std::max(NowMicros(), env_.call_timestamp.micros_since_epoch());
  int64_t fire_at = tag == 0 ? now + (micros < 0 ? -micros : micros) : std::max(micros, now);
  if (fire_at - now >= kMaxScheduleDelayMicros)
    return Error(ErrorCode::kResourceExhausted, "schedule is more than 2^36-1 ms in the future");
  sats::ByteSpan key = layout.Column(row, *t->schema().primary_key);
  timers_.emplace(fire_at, Timer{table_id, sats::Bytes(key.begin(), key.end()), sats::Timestamp(fire_at)});
  return OkStatus();
}

void Database::ArmAllSchedules() {
  timers_.clear();
  env_.call_timestamp = sats::Timestamp::Now();
  for (table::TableId id : datastore_->TableIds()) {
    const table::Table* t = datastore_->GetTable(id);
    if (!t->schema().schedule) continue;
    std::vector<sats::Bytes> rows;
    t->rows().view().ForEach([&](table::RowId, sats::ByteSpan r) { rows.emplace_back(r.begin(), r.end()); });
    for (const auto& r : rows) {
      Status s = ArmScheduleRow(id, r);
      if (!s.ok()) logs_->System(LogLevel::kWarn, "schedule row of '" + t->schema().name + "' not armed: " + s.error().message());
    }
  }
}

std::optional<std::chrono::steady_clock::time_point> Database::NextTimerDeadline() const {
  if (timers_.empty()) return std::nullopt;
  int64_t delta = timers_.begin()->first - NowMicros();
  return std::chrono::steady_clock::now() + std::chrono::microseconds(std::max<int64_t>(delta, 0));
}

void Database::FireDueTimers() {
  int64_t now = NowMicros();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    Timer timer = timers_.begin()->second;
    timers_.erase(timers_.begin());
    FireTimer(timer);
  }
}

void Database::FireTimer(const Timer& timer) {
  const table::Table* t = datastore_->GetTable(timer.table);
  if (!t || !t->schema().schedule || !t->schema().primary_key) return;
  const table::TableSchema schema = t->schema();
  auto reducer = module_def_->FindReducer(schema.schedule->reducer_name);
  const table::TableIndex* pk = nullptr;
  for (const auto& index : schema.indexes)
    if (index.columns == std::vector<table::ColId>{*schema.primary_key}) pk = t->FindIndex(index.index_id);
  if (!pk) return;
  auto find_row = [&]() -> std::optional<sats::Bytes> {
    const table::Table* table = datastore_->GetTable(timer.table);
    if (!table) return std::nullopt;
    auto key = pk->KeyFromBsatn(timer.key);
    if (!key.ok()) return std::nullopt;
    table::RowId rid = pk->Find(*key);
    if (rid == table::kNoRow) return std::nullopt;
    sats::ByteSpan r = table->Get(rid);
    return sats::Bytes(r.begin(), r.end());
  };
  auto row = find_row();
  if (!row) return;  // deleted: the schedule was cancelled
  if (!reducer) {
    logs_->System(LogLevel::kError, "schedule of '" + schema.name + "' names unknown reducer '" + schema.schedule->reducer_name + "'");
    return;
  }
  int64_t now = NowMicros();
  if (now - timer.intended.micros_since_epoch() > 30000)
    logs_->System(LogLevel::kWarn, "scheduled reducer " + schema.schedule->reducer_name + " fired " +
                                       std::to_string((now - timer.intended.micros_since_epoch()) / 1000) + " ms late");
  ReducerRequest request{schema.schedule->reducer_name, *row, options_.identity, sats::ConnectionId(),
                         sats::Timestamp(std::max(now, timer.intended.micros_since_epoch()))};
  auto tx_or = datastore_->BeginMutTx();
  if (!tx_or.ok()) return;
  auto tx = std::move(*tx_or);
  tx->SetInputs({request.reducer, TxInputArgs(request.caller, request.connection_id, *request.timestamp, *row)});
  ReducerCallOutcome outcome = RunReducer(*tx, *reducer, {request.caller, request.connection_id, *request.timestamp, *row});
  if (outcome.ok()) {
    CommitAndPublish(std::move(tx), &request, *reducer);
  } else {
    tx->Rollback();
    if (outcome.kind == ReducerCallOutcome::Kind::kUserError)
      logs_->System(LogLevel::kError, "scheduled reducer " + request.reducer + " failed: " + outcome.message);
  }
  // Then, separately: one-shot rows go away, interval rows are re-armed on the next tick after now.
  auto current = find_row();
  if (!current) return;
  const table::Table* table = datastore_->GetTable(timer.table);
  sats::bsatn::Reader r(table->layout().Column(*current, schema.schedule->at_column));
  uint8_t tag = r.U8();
  int64_t interval = r.I64();
  if (tag == 1) {
    auto cleanup = datastore_->BeginMutTx();
    if (!cleanup.ok()) return;
    auto ctx = std::move(*cleanup);
    (void)ctx->DeleteByValue(timer.table, *current);
    CommitAndPublish(std::move(ctx), nullptr, std::nullopt);
    return;
  }
  int64_t step = std::max<int64_t>(interval < 0 ? -interval : interval, 1);
  int64_t next = timer.intended.micros_since_epoch() + step;
  int64_t now_after = NowMicros();
  if (next <= now_after) next += ((now_after - next) / step + 1) * step;
  timers_.emplace(next, Timer{timer.table, timer.key, sats::Timestamp(next)});
}

}  // namespace stdb::host
