#include "host/v8_runtime.h"

#include <libplatform/libplatform.h>
#include <v8.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "host/wasm_binary.h"

namespace stdb::host {
namespace {

using Clock = std::chrono::steady_clock;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// ---- Process-wide state -------------------------------------------------------------------------

// V8 can be initialised once per process and never again after disposal, so this lives until exit (leaked on
// purpose: no static destructor may race with engines still running on other threads).
struct ProcessState {
  std::mutex mu;
  bool initialized = false;
  RuntimeOptions options;
  std::unique_ptr<v8::Platform> platform;
};

ProcessState& Process() {
  static ProcessState* state = new ProcessState;
  return *state;
}

uint32_t PagesFor(uint64_t bytes) {
  return static_cast<uint32_t>(std::min<uint64_t>(bytes / kWasmPageSize, kMaxWasm32Pages));
}

// ---- Engine core --------------------------------------------------------------------------------

// Where a host import reports an error for the call that is running; one per (possibly nested) call into V8.
struct CallFrame {
  CallFrame* outer = nullptr;
  std::optional<Error> host_error;
};

struct CallFailure {
  CallErrorKind kind;
  Error error;
};

enum class StopReason : uint8_t { kNone, kBudget, kRequested };

// The state of one engine, shared by the engine, its modules and its instances so that the isolate outlives
// all V8 handles that refer to it. Fields without an atomic type are touched only on the engine's thread.
class EngineCore {
 public:
  EngineCore() = default;
  EngineCore(const EngineCore&) = delete;
  EngineCore& operator=(const EngineCore&) = delete;
  ~EngineCore();

  bool OnOwnerThread() const { return std::this_thread::get_id() == owner; }

  // Runs `enter`, which calls into V8 and returns a MaybeLocal<Value>, as a call of this engine: the
  // top-level call arms the time budget, host imports get a frame to report errors into, and the way the call
  // ended is classified. On success `*out` holds the value, in the caller's HandleScope. `what` and `name`
  // describe the call in messages ("call to 'name'"); they are joined only on failure, so that a successful
  // call allocates nothing.
  template <typename Enter>
  std::optional<CallFailure> Run(std::string_view what, std::string_view name, v8::Local<v8::Value>* out,
                                 Enter&& enter);

  // The exception's text ("RuntimeError: unreachable"), evaluated in the engine's context.
  std::string ExceptionText(v8::TryCatch& try_catch);
  void PumpTasks();
  void SetBudget(std::chrono::milliseconds b) {
    budget = std::max(b, std::chrono::milliseconds(0));
    budget_ns.store(std::chrono::duration_cast<std::chrono::nanoseconds>(budget).count(),
                    std::memory_order_relaxed);
  }

  v8::Isolate* isolate = nullptr;
  v8::ArrayBuffer::Allocator* allocator = nullptr;
  v8::Global<v8::Context> context;
  v8::Global<v8::Function> instance_constructor;  // WebAssembly.Instance
  std::thread::id owner;
  std::chrono::milliseconds budget{0};  // engine thread's copy, for messages
  uint32_t max_pages = 0;

  CallFrame* active_frame = nullptr;
  uint64_t last_call_id = 0;
  StopReason stop_reason = StopReason::kNone;
  uint32_t calls_since_pump = 0;

  // Shared with the watchdog and InterruptCall callers. running_call_id is 0 when no top-level call runs.
  std::atomic<uint64_t> running_call_id{0};
  std::atomic<int64_t> budget_ns{0};  // 0: unlimited
  std::atomic<uint64_t> budget_interrupt_id{0};
  std::atomic<uint64_t> requested_interrupt_id{0};

  // The watchdog's own view (its thread only, under its mutex): the call it last saw running and since when.
  // The engine never reads the clock; a call's start is known to within one watchdog tick.
  uint64_t watched_call_id = 0;
  int64_t watched_since_ns = 0;

  std::atomic<uint64_t> stat_calls{0};
  std::atomic<uint64_t> stat_budget_interrupts{0};
  std::atomic<uint64_t> stat_requested_interrupts{0};
  std::atomic<uint64_t> stat_stale_interrupts{0};

 private:
  void BeginTopLevelCall();
  void EndTopLevelCall() { running_call_id.store(0, std::memory_order_release); }
};

// Runs on the engine's thread, at a point where V8 checks for interrupts (a loop back-edge or function
// entry). Terminates only if the call the request was aimed at is still the one running.
void OnInterrupt(v8::Isolate* isolate, void* data) {
  auto* core = static_cast<EngineCore*>(data);
  uint64_t running = core->running_call_id.load(std::memory_order_acquire);
  if (running != 0 && running == core->budget_interrupt_id.load(std::memory_order_acquire)) {
    core->stop_reason = StopReason::kBudget;
    core->stat_budget_interrupts.fetch_add(1, std::memory_order_relaxed);
    isolate->TerminateExecution();
  } else if (running != 0 && running == core->requested_interrupt_id.load(std::memory_order_acquire)) {
    core->stop_reason = StopReason::kRequested;
    core->stat_requested_interrupts.fetch_add(1, std::memory_order_relaxed);
    isolate->TerminateExecution();
  } else {
    core->stat_stale_interrupts.fetch_add(1, std::memory_order_relaxed);
  }
}

// One thread per process watches the running call of every engine and requests an interrupt once a call has
// run for its engine's budget. Engines only publish the id of their running call (no clock read on the call
// path); the watchdog times each id from the tick that first sees it, so a call is stopped between budget and
// budget + one tick (5 ms) after it started. The watchdog ticks while calls are being made and parks after a
// quiet second; starting a call wakes it only when it is parked, so the common case costs the caller no
// system call.
class Watchdog {
 public:
  static Watchdog& Get() {
    static Watchdog* watchdog = new Watchdog;  // leaked: its detached thread runs until the process exits
    return *watchdog;
  }

  void Register(EngineCore* core) {
    std::lock_guard lock(mu_);
    engines_.push_back(core);
    if (!started_) {
      started_ = true;
      std::thread([this] { Loop(); }).detach();
    }
  }

  void Unregister(EngineCore* core) {
    std::lock_guard lock(mu_);
    engines_.erase(std::remove(engines_.begin(), engines_.end(), core), engines_.end());
  }

  // Called by an engine right after it published a running call with a finite budget.
  void OnCallArmed() {
    if (!parked_.load(std::memory_order_seq_cst)) return;
    {
      std::lock_guard lock(mu_);
      parked_.store(false, std::memory_order_seq_cst);
    }
    cv_.notify_one();
  }

 private:
  static constexpr int64_t kTickNs = 5'000'000;
  static constexpr int kIdleTicksBeforeParking = 200;

  bool AnyCallRunning() const {
    for (EngineCore* e : engines_)
      if (e->running_call_id.load(std::memory_order_seq_cst) != 0) return true;
    return false;
  }

  void Loop() {
    std::unique_lock lock(mu_);
    int idle_ticks = 0;
    for (;;) {
      if (parked_.load(std::memory_order_seq_cst)) {
        cv_.wait(lock, [&] { return !parked_.load(std::memory_order_seq_cst); });
        idle_ticks = 0;
      }
      int64_t now = NowNs();
      int64_t next = now + kTickNs;
      bool any_running = false;
      for (EngineCore* e : engines_) {
        uint64_t id = e->running_call_id.load(std::memory_order_seq_cst);
        if (id == 0) continue;
        any_running = true;
        if (id != e->watched_call_id) {
          e->watched_call_id = id;
          e->watched_since_ns = now;
        }
        int64_t budget = e->budget_ns.load(std::memory_order_relaxed);
        if (budget == 0) continue;
        int64_t deadline = e->watched_since_ns + budget;
        if (now < deadline) {
          next = std::min(next, deadline);
        } else if (e->budget_interrupt_id.load(std::memory_order_relaxed) != id) {
          e->budget_interrupt_id.store(id, std::memory_order_release);
          e->isolate->RequestInterrupt(OnInterrupt, e);
        }
      }
      if (any_running) {
        idle_ticks = 0;
      } else if (++idle_ticks >= kIdleTicksBeforeParking) {
        // Publish "parked" before the last look, so that an engine arming a call either sees it and wakes us,
        // or is seen here (both sides use sequentially consistent operations).
        parked_.store(true, std::memory_order_seq_cst);
        if (AnyCallRunning()) parked_.store(false, std::memory_order_seq_cst);
        continue;
      }
      cv_.wait_until(lock, Clock::time_point(std::chrono::nanoseconds(next)));
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<EngineCore*> engines_;
  std::atomic<bool> parked_{false};
  bool started_ = false;
};

// The engine whose isolate this thread entered and left entered after its last use. Entering an isolate costs
// a mutex and a thread-data lookup in V8, a large part of a short call, so an engine thread stays inside its
// isolate between calls and pays only when it switches to another engine. Leaving the thread leaves the
// isolate.
struct ResidentIsolate {
  EngineCore* engine = nullptr;
  ~ResidentIsolate();
};
thread_local ResidentIsolate t_resident;

// Makes `core`'s isolate the current one for the scope: free when it already is; otherwise the idle resident
// isolate (if any) is left and `core`'s entered in its place. When the current isolate is busy (a host import
// of one engine calling into another), `core`'s isolate is entered for this scope only, keeping V8's entries
// nested.
class IsolateEntry {
 public:
  explicit IsolateEntry(EngineCore& core) {
    v8::Isolate* current = v8::Isolate::TryGetCurrent();
    if (current == core.isolate) return;
    EngineCore* resident = t_resident.engine;
    bool resident_on_top_and_idle =
        resident && current == resident->isolate && resident->active_frame == nullptr;
    if (resident_on_top_and_idle) {
      resident->isolate->Exit();
      t_resident.engine = nullptr;
    }
    core.isolate->Enter();
    if (t_resident.engine == nullptr && (current == nullptr || resident_on_top_and_idle)) {
      t_resident.engine = &core;
    } else {
      scoped_ = core.isolate;
    }
  }
  ~IsolateEntry() {
    if (scoped_) scoped_->Exit();
  }
  IsolateEntry(const IsolateEntry&) = delete;
  IsolateEntry& operator=(const IsolateEntry&) = delete;

 private:
  v8::Isolate* scoped_ = nullptr;
};

ResidentIsolate::~ResidentIsolate() {
  if (engine) engine->isolate->Exit();
}

EngineCore::~EngineCore() {
  Watchdog::Get().Unregister(this);
  if (t_resident.engine == this) {
    isolate->Exit();
    t_resident.engine = nullptr;
  }
  instance_constructor.Reset();
  context.Reset();
  if (!isolate) return;
  if (isolate->IsInUse()) {
    // Destroyed off its thread while that thread still has the isolate entered: V8 would abort on Dispose, so
    // the isolate is leaked instead (a misuse; see the thread-safety note in wasm_runtime.h).
    std::fprintf(stderr,
                 "stdb: wasm engine destroyed while its isolate is in use on another thread; leaking it\n");
    return;
  }
  isolate->Dispose();
  delete allocator;
}

void EngineCore::BeginTopLevelCall() {
  uint64_t id = ++last_call_id;
  stop_reason = StopReason::kNone;
  // Single writer: a plain increment, no locked instruction.
  stat_calls.store(stat_calls.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  running_call_id.store(id, std::memory_order_seq_cst);
  if (budget.count() > 0) Watchdog::Get().OnCallArmed();
}

std::string EngineCore::ExceptionText(v8::TryCatch& try_catch) {
  v8::Local<v8::Value> exception = try_catch.Exception();
  if (exception.IsEmpty()) return "unknown exception";
  v8::Local<v8::String> text;
  if (!exception->ToString(context.Get(isolate)).ToLocal(&text)) return "unprintable exception";
  v8::String::Utf8Value utf8(isolate, text);
  return *utf8 ? std::string(*utf8, utf8.length()) : "unprintable exception";
}

void EngineCore::PumpTasks() {
  while (v8::platform::PumpMessageLoop(Process().platform.get(), isolate)) {
  }
}

template <typename Enter>
std::optional<CallFailure> EngineCore::Run(std::string_view what, std::string_view name,
                                           v8::Local<v8::Value>* out, Enter&& enter) {
  CallFrame frame;
  frame.outer = active_frame;
  bool top_level = frame.outer == nullptr;
  active_frame = &frame;
  if (top_level) BeginTopLevelCall();

  std::optional<CallFailure> failure;
  {
    v8::TryCatch try_catch(isolate);
    v8::MaybeLocal<v8::Value> result = enter();
    if (top_level) EndTopLevelCall();
    active_frame = frame.outer;
    auto describe = [&] {
      return name.empty() ? std::string(what) : std::string(what) + " '" + std::string(name) + "'";
    };
    // WebAssembly.Instance can report a failed start function as a scheduled exception while still handing
    // back an object, so a caught exception counts even when a value came back. An interrupt that stopped any
    // part of this top-level call (stop_reason) decides the outcome, even when a host import between the
    // interrupted inner call and this one turned it into an ordinary error.
    bool interrupted =
        stop_reason != StopReason::kNone || try_catch.HasTerminated() || isolate->IsExecutionTerminating();
    if (result.IsEmpty() || try_catch.HasCaught() || interrupted) {
      if (interrupted) {
        std::string reason;
        switch (stop_reason) {
          case StopReason::kBudget:
            reason = "it ran past its time budget of " + std::to_string(budget.count()) + " ms";
            break;
          case StopReason::kRequested:
            reason = "it was interrupted on request";
            break;
          case StopReason::kNone:
            reason = "execution was terminated";
            break;
        }
        failure = CallFailure{CallErrorKind::kInterrupted,
                              Error(ErrorCode::kResourceExhausted, describe() + " stopped: " + reason)};
      } else if (frame.host_error) {
        failure = CallFailure{CallErrorKind::kHostError, std::move(*frame.host_error)};
      } else {
        failure = CallFailure{
            CallErrorKind::kTrap,
            Error(ErrorCode::kInvalidArgument, describe() + " trapped: " + ExceptionText(try_catch))};
      }
    } else if (frame.host_error) {
      // The module caught the exception a host import raised; a host error is final all the same.
      failure = CallFailure{CallErrorKind::kHostError, std::move(*frame.host_error)};
    } else {
      *out = result.ToLocalChecked();
    }
  }
  if (top_level) {
    // Only now have all V8 frames of this call been left, so the isolate can run again.
    if (isolate->IsExecutionTerminating()) isolate->CancelTerminateExecution();
    // V8 posts foreground tasks (GC, code logging) that an embedder must run now and then.
    if (++calls_since_pump >= 256) {
      calls_since_pump = 0;
      PumpTasks();
    }
  }
  return failure;
}

Error WrongThread() {
  return Error(ErrorCode::kInternal, "wasm engine used from a thread other than the one that created it");
}

v8::Local<v8::String> V8String(v8::Isolate* isolate, std::string_view s, bool internalize = false) {
  return v8::String::NewFromUtf8(isolate, s.data(),
                                 internalize ? v8::NewStringType::kInternalized : v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
      .FromMaybe(v8::String::Empty(isolate));
}

v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const WasmValue& v) {
  switch (v.type()) {
    case ValueType::kI32:
      return v8::Integer::New(isolate, v.i32());
    case ValueType::kI64:
      return v8::BigInt::New(isolate, v.i64());
    case ValueType::kF32:
      return v8::Number::New(isolate, static_cast<double>(v.f32()));
    case ValueType::kF64:
      return v8::Number::New(isolate, v.f64());
    default:
      return v8::Undefined(isolate);
  }
}

// Values that crossed from wasm have exactly the JS type their wasm type maps to; anything else is an engine
// bug, reported as nullopt rather than trusted.
[[gnu::always_inline]] inline std::optional<WasmValue> FromV8(v8::Local<v8::Value> v, ValueType type) {
  switch (type) {
    case ValueType::kI32:
      if (v->IsInt32()) return WasmValue::I32(v.As<v8::Int32>()->Value());
      return std::nullopt;
    case ValueType::kI64:
      if (v->IsBigInt()) return WasmValue::I64(v.As<v8::BigInt>()->Int64Value());
      return std::nullopt;
    case ValueType::kF32:
      if (v->IsNumber()) return WasmValue::F32(static_cast<float>(v.As<v8::Number>()->Value()));
      return std::nullopt;
    case ValueType::kF64:
      if (v->IsNumber()) return WasmValue::F64(v.As<v8::Number>()->Value());
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

bool AllNumeric(const std::vector<ValueType>& types) {
  return std::all_of(types.begin(), types.end(), IsNumeric);
}

// ---- Modules ------------------------------------------------------------------------------------

class V8Module final : public WasmModule {
 public:
  V8Module(std::shared_ptr<EngineCore> core, std::shared_ptr<const WasmModuleInfo> info)
      : core_(std::move(core)), info_(std::move(info)) {}
  const WasmModuleInfo& info() const override { return *info_; }

  std::shared_ptr<EngineCore> core_;  // first: destroyed last, after the handle below
  std::shared_ptr<const WasmModuleInfo> info_;
  v8::Global<v8::WasmModuleObject> object_;
};

// ---- Instances ----------------------------------------------------------------------------------

class V8Instance;

// What a host-import trampoline needs; owned by the instance at a stable address (V8 holds a pointer to it).
struct BoundImport {
  HostFunction function = nullptr;
  void* user_data = nullptr;
  const ImportDescriptor* import = nullptr;
  V8Instance* instance = nullptr;
  EngineCore* core = nullptr;
};

class V8Instance final : public WasmInstance {
 public:
  V8Instance(std::shared_ptr<EngineCore> core, std::shared_ptr<const WasmModuleInfo> info)
      : core_(std::move(core)), info_(std::move(info)) {}

  const WasmModuleInfo& info() const override { return *info_; }

  std::span<uint8_t> Memory() override {
    if (memory_.IsEmpty() || !core_->OnOwnerThread()) return {};
    IsolateEntry entry(*core_);
    return CurrentMemory();
  }

  // The memory's current bytes. Opens its own HandleScope, so it works inside and outside callbacks.
  std::span<uint8_t> CurrentMemory() {
    if (memory_.IsEmpty()) return {};
    v8::HandleScope handle_scope(core_->isolate);
    v8::Local<v8::ArrayBuffer> buffer = memory_.Get(core_->isolate)->Buffer();
    return {static_cast<uint8_t*>(buffer->Data()), buffer->ByteLength()};
  }

  static std::span<uint8_t> FetchMemory(void* instance) {
    return static_cast<V8Instance*>(instance)->CurrentMemory();
  }

  struct ExportedFunction {
    const ExportDescriptor* descriptor = nullptr;
    bool callable = false;  // numeric signature with at most kMaxResults results
    v8::Global<v8::Function> function;
  };

  std::shared_ptr<EngineCore> core_;  // first: destroyed last
  std::shared_ptr<const WasmModuleInfo> info_;
  std::unique_ptr<BoundImport[]> imports_;
  v8::Global<v8::Object> instance_object_;
  v8::Global<v8::WasmMemoryObject> memory_;
  std::vector<ExportedFunction> functions_;
  std::vector<std::pair<std::string_view, uint32_t>> functions_by_name_;  // sorted; views into info_

 protected:
  std::optional<uint32_t> ExportIndex(std::string_view name) const override {
    auto it = std::lower_bound(functions_by_name_.begin(), functions_by_name_.end(), name,
                               [](const auto& entry, std::string_view n) { return entry.first < n; });
    if (it == functions_by_name_.end() || it->first != name) return std::nullopt;
    return it->second;
  }
  size_t export_count() const override { return functions_.size(); }
  CallResult CallExport(uint32_t index, std::span<const WasmValue> args) override;
};

void RaiseHostError(BoundImport& bound, v8::Isolate* isolate, Error error) {
  std::string message = error.message();
  CallFrame* frame = bound.core->active_frame;
  if (frame && !frame->host_error) frame->host_error.emplace(std::move(error));
  // While a termination unwinds (the host function called back into wasm and that call was interrupted), a
  // new exception would replace it; returning lets the termination carry on to the top-level call.
  if (isolate->IsExecutionTerminating()) return;
  isolate->ThrowException(v8::Exception::Error(V8String(isolate, message)));
}

// The C++ side of every host import: converts the arguments, runs the host function, converts its result or
// turns its error into an exception that unwinds the module.
void HostTrampoline(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto& bound = *static_cast<BoundImport*>(info.Data().As<v8::External>()->Value());
  v8::Isolate* isolate = info.GetIsolate();
  const FunctionType& type = bound.import->type;
  std::array<WasmValue, kMaxHostParams> args;
  size_t n = type.params.size();
  for (size_t i = 0; i < n; ++i) {
    auto v = FromV8(info[static_cast<int>(i)], type.params[i]);
    if (!v) {
      RaiseHostError(
          bound, isolate,
          Error(ErrorCode::kInternal, "host import " + bound.import->QualifiedName() + ": argument " +
                                          std::to_string(i) + " did not arrive as " +
                                          std::string(ValueTypeName(type.params[i]))));
      return;
    }
    args[i] = *v;
  }
  HostCall call(*bound.import, std::span<const WasmValue>(args.data(), n), &V8Instance::FetchMemory,
                bound.instance);
  Status status = OkStatus();
  try {
    status = bound.function(call, bound.user_data);
  } catch (const std::exception& e) {
    // A C++ exception must not unwind through V8's frames; it becomes a host error like any other.
    status =
        Error(ErrorCode::kInternal, "host import " + bound.import->QualifiedName() + " threw: " + e.what());
  } catch (...) {
    status = Error(ErrorCode::kInternal, "host import " + bound.import->QualifiedName() + " threw");
  }
  if (!status.ok()) {
    RaiseHostError(bound, isolate, std::move(status).error());
    return;
  }
  if (type.results.empty()) return;
  ValueType expected = type.results[0];
  if (!call.result() || call.result()->type() != expected) {
    std::string got = call.result() ? std::string(ValueTypeName(call.result()->type())) : "nothing";
    RaiseHostError(
        bound, isolate,
        Error(ErrorCode::kInternal, "host import " + bound.import->QualifiedName() + " returned " + got +
                                        ", expected " + std::string(ValueTypeName(expected))));
    return;
  }
  const WasmValue& r = *call.result();
  switch (expected) {
    case ValueType::kI32:
      info.GetReturnValue().Set(r.i32());
      break;
    case ValueType::kI64:
      info.GetReturnValue().Set(v8::BigInt::New(isolate, r.i64()));
      break;
    case ValueType::kF32:
      info.GetReturnValue().Set(static_cast<double>(r.f32()));
      break;
    case ValueType::kF64:
      info.GetReturnValue().Set(r.f64());
      break;
    default:
      break;
  }
}

CallResult V8Instance::CallExport(uint32_t index, std::span<const WasmValue> args) {
  if (!core_->OnOwnerThread()) return CallResult::Failure(CallErrorKind::kInternal, WrongThread());
  ExportedFunction& f = functions_[index];
  const ExportDescriptor& e = *f.descriptor;
  if (!f.callable) {
    return CallResult::Failure(
        CallErrorKind::kBadArguments,
        Error(ErrorCode::kUnsupported,
              "export '" + e.name + "' has signature " + e.type.ToString() + ", which the host cannot call"));
  }
  bool match = args.size() == e.type.params.size();
  for (size_t i = 0; match && i < args.size(); ++i) match = args[i].type() == e.type.params[i];
  if (!match) {
    std::string given = "(";
    for (size_t i = 0; i < args.size(); ++i)
      given += (i ? ", " : "") + std::string(ValueTypeName(args[i].type()));
    given += ")";
    return CallResult::Failure(
        CallErrorKind::kBadArguments,
        Error(ErrorCode::kInvalidArgument, "export '" + e.name + "' has signature " + e.type.ToString() +
                                               " but was called with " + given));
  }

  v8::Isolate* isolate = core_->isolate;
  IsolateEntry entry(*core_);
  v8::HandleScope handle_scope(isolate);
  // No Context::Scope: Function::Call enters the context it is given, and nothing else here needs one.
  v8::Local<v8::Context> context = core_->context.Get(isolate);

  constexpr size_t kInlineArgs = 16;
  // A union so that the handles are not zeroed first; each is assigned before V8 reads it.
  union InlineArgs {
    InlineArgs() {}
    v8::Local<v8::Value> values[kInlineArgs];
  } inline_argv;
  std::vector<v8::Local<v8::Value>> heap_argv;
  v8::Local<v8::Value>* argv = inline_argv.values;
  if (args.size() > kInlineArgs) {
    heap_argv.resize(args.size());
    argv = heap_argv.data();
  }
  for (size_t i = 0; i < args.size(); ++i) argv[i] = ToV8(isolate, args[i]);

  v8::Local<v8::Function> function = f.function.Get(isolate);
  v8::Local<v8::Value> returned;
  auto failure = core_->Run("call to", e.name, &returned, [&] {
    return function->Call(context, v8::Undefined(isolate), static_cast<int>(args.size()), argv);
  });
  if (failure) return CallResult::Failure(failure->kind, std::move(failure->error));

  const auto& result_types = e.type.results;
  CallResult result;
  auto bad_result = [&] {
    return CallResult::Failure(
        CallErrorKind::kInternal,
        Error(ErrorCode::kInternal, "export '" + e.name + "' returned an unexpected value"));
  };
  if (result_types.size() == 1) {
    auto v = FromV8(returned, result_types[0]);
    if (!v) return bad_result();
    result.AppendValue(*v);
  } else if (result_types.size() > 1) {
    if (!returned->IsArray()) return bad_result();
    auto array = returned.As<v8::Array>();
    for (size_t i = 0; i < result_types.size(); ++i) {
      v8::Local<v8::Value> element;
      if (!array->Get(context, static_cast<uint32_t>(i)).ToLocal(&element)) return bad_result();
      auto v = FromV8(element, result_types[i]);
      if (!v) return bad_result();
      result.AppendValue(*v);
    }
  }
  return result;
}

// ---- Engine -------------------------------------------------------------------------------------

class V8Engine final : public WasmEngine {
 public:
  explicit V8Engine(std::shared_ptr<EngineCore> core) : core_(std::move(core)) {}

  Result<std::unique_ptr<WasmModule>> Compile(std::span<const uint8_t> wasm_bytes) override;
  Result<std::unique_ptr<WasmInstance>> Instantiate(const WasmModule& module,
                                                    std::span<const HostImport> imports) override;

  std::chrono::milliseconds call_budget() const override { return core_->budget; }
  void set_call_budget(std::chrono::milliseconds budget) override { core_->SetBudget(budget); }
  uint32_t max_memory_pages() const override { return core_->max_pages; }
  uint64_t last_call_id() const override { return core_->last_call_id; }

  void InterruptCall(uint64_t call_id) override {
    if (call_id == 0) return;
    core_->requested_interrupt_id.store(call_id, std::memory_order_release);
    core_->isolate->RequestInterrupt(OnInterrupt, core_.get());
  }

  EngineStats stats() const override {
    EngineStats s;
    s.calls = core_->stat_calls.load(std::memory_order_relaxed);
    s.budget_interrupts = core_->stat_budget_interrupts.load(std::memory_order_relaxed);
    s.requested_interrupts = core_->stat_requested_interrupts.load(std::memory_order_relaxed);
    s.stale_interrupts = core_->stat_stale_interrupts.load(std::memory_order_relaxed);
    return s;
  }

 private:
  std::shared_ptr<EngineCore> core_;
};

Result<std::unique_ptr<WasmModule>> V8Engine::Compile(std::span<const uint8_t> wasm_bytes) {
  if (!core_->OnOwnerThread()) return WrongThread();
  STDB_ASSIGN_OR_RETURN(std::vector<uint8_t> capped, ApplyMemoryCap(wasm_bytes, core_->max_pages));
  STDB_ASSIGN_OR_RETURN(WasmModuleInfo info, ReadWasmModuleInfo(capped));

  v8::Isolate* isolate = core_->isolate;
  IsolateEntry entry(*core_);
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = core_->context.Get(isolate);
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::WasmModuleObject> object;
  if (!v8::WasmModuleObject::Compile(isolate, v8::MemorySpan<const uint8_t>(capped.data(), capped.size()))
           .ToLocal(&object)) {
    return Error(ErrorCode::kDecode, "invalid wasm module: " + core_->ExceptionText(try_catch));
  }
  auto module = std::make_unique<V8Module>(core_, std::make_shared<const WasmModuleInfo>(std::move(info)));
  module->object_.Reset(isolate, object);
  core_->PumpTasks();
  return std::unique_ptr<WasmModule>(std::move(module));
}

Result<std::unique_ptr<WasmInstance>> V8Engine::Instantiate(const WasmModule& module,
                                                            std::span<const HostImport> imports) {
  if (!core_->OnOwnerThread()) return WrongThread();
  auto* v8_module = dynamic_cast<const V8Module*>(&module);
  if (!v8_module || v8_module->core_ != core_) {
    return Error(ErrorCode::kInvalidArgument, "module was compiled by another engine");
  }
  const WasmModuleInfo& info = *v8_module->info_;
  for (const MemoryLimits& memory : info.memories) {
    if (memory.initial_pages > core_->max_pages) {
      return Error(ErrorCode::kResourceExhausted,
                   "module declares an initial memory of " + std::to_string(memory.initial_pages) +
                       " pages, above the cap of " + std::to_string(core_->max_pages) + " pages");
    }
  }

  auto instance = std::make_unique<V8Instance>(core_, v8_module->info_);
  instance->imports_ = std::make_unique<BoundImport[]>(info.imports.size());
  for (size_t i = 0; i < info.imports.size(); ++i) {
    const ImportDescriptor& wanted = info.imports[i];
    if (wanted.kind != ExternKind::kFunction) {
      return Error(ErrorCode::kUnsupported, "module imports " + std::string(ExternKindName(wanted.kind)) +
                                                " " + wanted.QualifiedName() +
                                                "; the host provides only functions");
    }
    auto provided = std::find_if(imports.begin(), imports.end(), [&](const HostImport& h) {
      return h.module == wanted.module && h.name == wanted.name;
    });
    if (provided == imports.end()) {
      return Error(ErrorCode::kNotFound, "module imports function " + wanted.QualifiedName() + " " +
                                             wanted.type.ToString() + ", which the host does not provide");
    }
    if (provided->type != wanted.type) {
      return Error(ErrorCode::kInvalidArgument, "import " + wanted.QualifiedName() + " has signature " +
                                                    wanted.type.ToString() + " in the module but " +
                                                    provided->type.ToString() + " in the host");
    }
    if (!provided->function) {
      return Error(ErrorCode::kInvalidArgument, "host import " + wanted.QualifiedName() + " has no function");
    }
    if (wanted.type.params.size() > kMaxHostParams || wanted.type.results.size() > 1 ||
        !AllNumeric(wanted.type.params) || !AllNumeric(wanted.type.results)) {
      return Error(ErrorCode::kUnsupported,
                   "import " + wanted.QualifiedName() + " has signature " + wanted.type.ToString() +
                       ", which host functions cannot take (numeric types only, at most " +
                       std::to_string(kMaxHostParams) + " parameters and one result)");
    }
    instance->imports_[i] =
        BoundImport{provided->function, provided->user_data, &wanted, instance.get(), core_.get()};
  }

  v8::Isolate* isolate = core_->isolate;
  IsolateEntry entry(*core_);
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = core_->context.Get(isolate);
  v8::Context::Scope context_scope(context);
  // Nothing below should throw, but if it does the exception must end here, not be reported as uncaught.
  v8::TryCatch outer_try_catch(isolate);

  // The import object: { module: { name: trampoline } }. Properties are defined, not assigned, so that
  // names like "__proto__" stay plain data properties.
  v8::Local<v8::Object> import_object = v8::Object::New(isolate);
  std::vector<std::pair<std::string_view, v8::Local<v8::Object>>> namespaces;
  for (size_t i = 0; i < info.imports.size(); ++i) {
    const ImportDescriptor& wanted = info.imports[i];
    auto ns = std::find_if(namespaces.begin(), namespaces.end(),
                           [&](const auto& p) { return p.first == wanted.module; });
    if (ns == namespaces.end()) {
      v8::Local<v8::Object> object = v8::Object::New(isolate);
      if (!import_object->CreateDataProperty(context, V8String(isolate, wanted.module, true), object)
               .FromMaybe(false)) {
        return Error(ErrorCode::kInternal, "could not build the import object");
      }
      namespaces.emplace_back(wanted.module, object);
      ns = namespaces.end() - 1;
    }
    v8::Local<v8::Function> function;
    if (!v8::Function::New(context, HostTrampoline, v8::External::New(isolate, &instance->imports_[i]),
                           static_cast<int>(wanted.type.params.size()), v8::ConstructorBehavior::kThrow)
             .ToLocal(&function) ||
        !ns->second->CreateDataProperty(context, V8String(isolate, wanted.name, true), function)
             .FromMaybe(false)) {
      return Error(ErrorCode::kInternal, "could not create host function " + wanted.QualifiedName());
    }
  }

  v8::Local<v8::Value> constructor_args[2] = {v8_module->object_.Get(isolate), import_object};
  v8::Local<v8::Function> constructor = core_->instance_constructor.Get(isolate);
  v8::Local<v8::Value> created;
  auto failure = core_->Run("module instantiation", "", &created, [&]() -> v8::MaybeLocal<v8::Value> {
    v8::Local<v8::Object> object;
    if (!constructor->NewInstance(context, 2, constructor_args).ToLocal(&object)) return {};
    return object;
  });
  if (failure) return std::move(failure->error);

  v8::Local<v8::Object> instance_object = created.As<v8::Object>();
  instance->instance_object_.Reset(isolate, instance_object);
  v8::Local<v8::Value> exports_value;
  if (!instance_object->Get(context, V8String(isolate, "exports", true)).ToLocal(&exports_value) ||
      !exports_value->IsObject()) {
    return Error(ErrorCode::kInternal, "instance has no exports object");
  }
  v8::Local<v8::Object> exports = exports_value.As<v8::Object>();

  const ExportDescriptor* memory_export = info.FindExport("memory");
  if (memory_export && memory_export->kind != ExternKind::kMemory) memory_export = nullptr;
  for (const ExportDescriptor& e : info.exports) {
    if (e.kind == ExternKind::kMemory && !memory_export) memory_export = &e;
    if (e.kind != ExternKind::kFunction) continue;
    v8::Local<v8::Value> value;
    if (!exports->Get(context, V8String(isolate, e.name)).ToLocal(&value) || !value->IsFunction()) {
      return Error(ErrorCode::kInternal, "export '" + e.name + "' is not a function in the instance");
    }
    V8Instance::ExportedFunction f;
    f.descriptor = &e;
    f.callable =
        AllNumeric(e.type.params) && AllNumeric(e.type.results) && e.type.results.size() <= kMaxResults;
    f.function.Reset(isolate, value.As<v8::Function>());
    instance->functions_by_name_.emplace_back(e.name, static_cast<uint32_t>(instance->functions_.size()));
    instance->functions_.push_back(std::move(f));
  }
  std::sort(instance->functions_by_name_.begin(), instance->functions_by_name_.end());
  if (memory_export) {
    v8::Local<v8::Value> value;
    if (exports->Get(context, V8String(isolate, memory_export->name)).ToLocal(&value) &&
        value->IsWasmMemoryObject()) {
      instance->memory_.Reset(isolate, value.As<v8::WasmMemoryObject>());
    }
  }
  core_->PumpTasks();
  return std::unique_ptr<WasmInstance>(std::move(instance));
}

Status InitializeLocked(ProcessState& process, const RuntimeOptions& options) {
  if (process.initialized) {
    if (options == process.options) return OkStatus();
    return Error(ErrorCode::kInvalidArgument,
                 "the wasm runtime is already initialised with other options; V8 cannot be reconfigured");
  }
  uint32_t pages = std::max<uint32_t>(1, PagesFor(options.max_memory_bytes));
  std::string flags = "--wasm-max-mem-pages=" + std::to_string(pages);
  // A debugging aid, e.g. STDB_V8_FLAGS=--perf-basic-prof to name JIT code (module functions) in `perf report`.
  if (const char* extra = std::getenv("STDB_V8_FLAGS")) flags += std::string(" ") + extra;
  v8::V8::SetFlagsFromString(flags.c_str(), flags.size());
  if (options.use_trap_handler) {
    // Falls back to explicit bounds checks when the platform does not support it.
    (void)v8::V8::EnableWebAssemblyTrapHandler(/*use_v8_signal_handler=*/true);
  }
  process.platform = v8::platform::NewDefaultPlatform(options.worker_threads);
  v8::V8::InitializePlatform(process.platform.get());
  if (!v8::V8::Initialize()) return Error(ErrorCode::kInternal, "V8 failed to initialise");
  process.options = options;
  process.initialized = true;
  return OkStatus();
}

}  // namespace

Status InitializeV8Runtime(const RuntimeOptions& options) {
  ProcessState& process = Process();
  std::lock_guard lock(process.mu);
  return InitializeLocked(process, options);
}

Result<std::unique_ptr<WasmEngine>> CreateV8Engine(const EngineOptions& options) {
  uint32_t process_pages;
  {
    ProcessState& process = Process();
    std::lock_guard lock(process.mu);
    if (!process.initialized) STDB_RETURN_IF_ERROR(InitializeLocked(process, RuntimeOptions{}));
    process_pages = PagesFor(process.options.max_memory_bytes);
  }
  auto core = std::make_shared<EngineCore>();
  core->owner = std::this_thread::get_id();
  core->SetBudget(options.call_budget);
  core->max_pages = std::min(PagesFor(options.max_memory_bytes), process_pages);
  core->allocator = v8::ArrayBuffer::Allocator::NewDefaultAllocator();
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = core->allocator;
  core->isolate = v8::Isolate::New(params);
  if (!core->isolate) return Error(ErrorCode::kInternal, "V8 could not create an isolate");
  // Modules never create promises; without this V8 runs a microtask checkpoint after every call.
  core->isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  {
    IsolateEntry entry(*core);
    v8::HandleScope handle_scope(core->isolate);
    v8::Local<v8::Context> context = v8::Context::New(core->isolate);
    v8::Context::Scope context_scope(context);
    core->context.Reset(core->isolate, context);
    v8::Local<v8::Value> webassembly, constructor;
    if (!context->Global()->Get(context, V8String(core->isolate, "WebAssembly")).ToLocal(&webassembly) ||
        !webassembly->IsObject() ||
        !webassembly.As<v8::Object>()
             ->Get(context, V8String(core->isolate, "Instance"))
             .ToLocal(&constructor) ||
        !constructor->IsFunction()) {
      return Error(ErrorCode::kInternal, "V8 context has no WebAssembly.Instance");
    }
    core->instance_constructor.Reset(core->isolate, constructor.As<v8::Function>());
  }
  Watchdog::Get().Register(core.get());
  return std::unique_ptr<WasmEngine>(std::make_unique<V8Engine>(std::move(core)));
}

std::string V8Version() {
  return v8::V8::GetVersion();
}

Status InitializeWasmRuntime(const RuntimeOptions& options) {
  return InitializeV8Runtime(options);
}

Result<std::unique_ptr<WasmEngine>> CreateWasmEngine(const EngineOptions& options) {
  return CreateV8Engine(options);
}

}  // namespace stdb::host
