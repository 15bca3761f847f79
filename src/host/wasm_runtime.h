// WasmRuntime: the project's engine-neutral interface to a WebAssembly engine.
//
// The host layer runs untrusted modules through four objects:
//   WasmEngine    one per database. Owns the engine state (for V8: one isolate). Compiles and instantiates.
//   WasmModule    compiled code plus the module's import and export lists (WasmModuleInfo).
//   WasmInstance  an instantiated module: call exports, read and write linear memory.
//   HostImport    a C++ function the module imports, bound by (module, name, signature).
// No engine type appears here; the V8 backend lives in v8_runtime.h/.cc, and CreateWasmEngine() returns it.
//
// Failures the caller must tell apart come back as a CallResult whose CallErrorKind says what happened: the
// module trapped (with the engine's message), the call ran past its time budget, a host import raised an
// error, the export does not exist, or the arguments do not match its signature. A trap or an interrupt
// leaves the instance callable; whether to keep it (its globals and heap may be half-updated) is the caller's
// policy.
//
// Limits, enforced per engine: a wall-clock budget per top-level call (EngineOptions::call_budget; a watchdog
// interrupts the call, and a late interrupt never hits the next call) and a linear-memory cap
// (EngineOptions::max_memory_bytes; a module that declares more initial memory is refused by Compile, before
// any memory is reserved, and memory.grow past the cap returns -1 inside the module).
//
// Thread-safety: InitializeWasmRuntime() and CreateWasmEngine() may be called from any thread. A WasmEngine
// and everything it creates (modules, instances, host calls) must be used only on the thread that created the
// engine; calls from another thread are refused with an error. The exceptions are WasmEngine::InterruptCall()
// and WasmEngine::stats(), which any thread may call while the engine is alive. Distinct engines may run
// concurrently on distinct threads. Modules and instances keep their engine's state alive, so they may
// outlive the WasmEngine object, but they must still be destroyed on the engine's thread.
#pragma once

#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sats/result.h"

namespace stdb::host {

inline constexpr uint64_t kWasmPageSize = 64 * 1024;
// wasm32 addresses at most 4 GiB.
inline constexpr uint32_t kMaxWasm32Pages = 65536;

// ---- Values and signatures ----------------------------------------------------------------------

enum class ValueType : uint8_t { kI32, kI64, kF32, kF64, kV128, kFuncRef, kExternRef };

// "i32", "i64", "f32", "f64", "v128", "funcref", "externref".
std::string_view ValueTypeName(ValueType type);

// Only numeric types cross the host boundary; v128 and references appear in signatures but cannot be passed.
inline bool IsNumeric(ValueType type) {
  return type <= ValueType::kF64;
}

// One numeric wasm value. Trivially copyable, 16 bytes; integers are stored as their two's-complement bits so
// that u32/u64 views of i32/i64 are free.
class WasmValue {
 public:
  WasmValue() = default;
  static WasmValue I32(int32_t v) { return WasmValue(ValueType::kI32, static_cast<uint32_t>(v)); }
  static WasmValue I64(int64_t v) { return WasmValue(ValueType::kI64, static_cast<uint64_t>(v)); }
  static WasmValue F32(float v) { return WasmValue(ValueType::kF32, std::bit_cast<uint32_t>(v)); }
  static WasmValue F64(double v) { return WasmValue(ValueType::kF64, std::bit_cast<uint64_t>(v)); }

  ValueType type() const { return type_; }
  int32_t i32() const { return static_cast<int32_t>(static_cast<uint32_t>(bits_)); }
  uint32_t u32() const { return static_cast<uint32_t>(bits_); }
  int64_t i64() const { return static_cast<int64_t>(bits_); }
  uint64_t u64() const { return bits_; }
  float f32() const { return std::bit_cast<float>(static_cast<uint32_t>(bits_)); }
  double f64() const { return std::bit_cast<double>(bits_); }

  // Bitwise equality (so NaNs with equal payloads compare equal).
  friend bool operator==(const WasmValue& a, const WasmValue& b) {
    return a.type_ == b.type_ && a.bits_ == b.bits_;
  }
  // "i32:5", "i64:-1", "f64:0.5"; for messages and test output.
  std::string ToString() const;

 private:
  WasmValue(ValueType type, uint64_t bits) : type_(type), bits_(bits) {}
  ValueType type_;
  uint64_t bits_;
};

struct FunctionType {
  std::vector<ValueType> params;
  std::vector<ValueType> results;

  friend bool operator==(const FunctionType&, const FunctionType&) = default;
  // "(i32, i64) -> i32", "() -> ()".
  std::string ToString() const;
};

// ---- Module description -------------------------------------------------------------------------

enum class ExternKind : uint8_t { kFunction, kTable, kMemory, kGlobal, kTag };

// "function", "table", "memory", "global", "tag".
std::string_view ExternKindName(ExternKind kind);

struct MemoryLimits {
  uint32_t initial_pages = 0;
  std::optional<uint32_t> maximum_pages;
};

struct ImportDescriptor {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::kFunction;
  FunctionType type;  // set for functions only
  // "module.name", as messages print it.
  std::string QualifiedName() const { return module + "." + name; }
};

struct ExportDescriptor {
  std::string name;
  ExternKind kind = ExternKind::kFunction;
  FunctionType type;  // set for functions only
};

// What a module imports, exports and declares, read from its binary (see wasm_binary.h).
struct WasmModuleInfo {
  std::vector<ImportDescriptor> imports;
  std::vector<ExportDescriptor> exports;
  // Memories the module defines itself (imported memories are in `imports`), with the limits as the engine
  // compiled them (after the memory cap was applied to the maximum).
  std::vector<MemoryLimits> memories;

  const ExportDescriptor* FindExport(std::string_view name) const;
};

// ---- Linear memory helpers ----------------------------------------------------------------------

// The bytes [ptr, ptr + len) of `memory`, or an error naming the range when it does not lie inside.
Result<std::span<uint8_t>> MemoryRange(std::span<uint8_t> memory, uint64_t ptr, uint64_t len);
Status ReadMemory(std::span<uint8_t> memory, uint64_t ptr, std::span<uint8_t> out);
Status WriteMemory(std::span<uint8_t> memory, uint64_t ptr, std::span<const uint8_t> bytes);

// ---- Host imports -------------------------------------------------------------------------------

// Host functions take at most this many parameters (the widest spacetime import takes 8).
inline constexpr size_t kMaxHostParams = 32;

// The context of one call from wasm into a host function: its arguments, the instance's linear memory and the
// place for its result. It lives on the stack for the duration of the host function.
//
// The memory is fetched on the first Memory() call and kept for the rest of the host call: only wasm code can
// grow it (memory.grow replaces the buffer), and no host function calls back into wasm. Spans obtained from it
// are valid until the host function returns.
//
// Backends construct it; tests may construct it directly to exercise a host function without an engine.
class HostCall {
 public:
  // Returns the current linear memory, or an empty span when the module exports none (or, during the start
  // function, before the instance's exports exist).
  using MemoryFetcher = std::span<uint8_t> (*)(void* state);

  HostCall(const ImportDescriptor& import, std::span<const WasmValue> args, MemoryFetcher fetch_memory,
           void* memory_state)
      : import_(import), args_(args), fetch_memory_(fetch_memory), memory_state_(memory_state) {}
  HostCall(const HostCall&) = delete;
  HostCall& operator=(const HostCall&) = delete;

  const ImportDescriptor& import() const { return import_; }

  // The arguments have the types of the import's signature (checked when the instance was created).
  size_t arg_count() const { return args_.size(); }
  const WasmValue& arg(size_t i) const { return args_[i]; }
  int32_t ArgI32(size_t i) const { return args_[i].i32(); }
  uint32_t ArgU32(size_t i) const { return args_[i].u32(); }
  int64_t ArgI64(size_t i) const { return args_[i].i64(); }
  uint64_t ArgU64(size_t i) const { return args_[i].u64(); }
  float ArgF32(size_t i) const { return args_[i].f32(); }
  double ArgF64(size_t i) const { return args_[i].f64(); }

  std::span<uint8_t> Memory() {
    if (!memory_) memory_ = fetch_memory_ ? fetch_memory_(memory_state_) : std::span<uint8_t>();
    return *memory_;
  }
  Result<std::span<uint8_t>> MemoryRange(uint64_t ptr, uint64_t len) {
    return host::MemoryRange(Memory(), ptr, len);
  }
  Status ReadMemory(uint64_t ptr, std::span<uint8_t> out) { return host::ReadMemory(Memory(), ptr, out); }
  Status WriteMemory(uint64_t ptr, std::span<const uint8_t> bytes) {
    return host::WriteMemory(Memory(), ptr, bytes);
  }

  // Sets the value returned to wasm. Must match the import's result type; a missing or mistyped result traps.
  void Return(WasmValue value) { result_ = value; }
  const std::optional<WasmValue>& result() const { return result_; }

 private:
  const ImportDescriptor& import_;
  std::span<const WasmValue> args_;
  MemoryFetcher fetch_memory_;
  void* memory_state_;
  std::optional<std::span<uint8_t>> memory_;
  std::optional<WasmValue> result_;
};

// A host function: a plain function pointer plus user data, so that a call costs no allocation. Returning an
// error raises a trap in the module; the error, unchanged (code and message), becomes the error of the outer
// call with kind kHostError, even if the module tried to catch it. (A C++ exception escaping a host function
// is caught and treated the same way, with code kInternal.)
using HostFunction = Status (*)(HostCall& call, void* user_data);

struct HostImport {
  std::string module;
  std::string name;
  FunctionType type;
  HostFunction function = nullptr;
  void* user_data = nullptr;
};

// ---- Calls --------------------------------------------------------------------------------------

enum class CallErrorKind : uint8_t {
  kTrap,         // the module trapped: unreachable, out-of-bounds access, divide by zero, stack overflow, ...
  kInterrupted,  // the call ran past its time budget, or InterruptCall() stopped it
  kHostError,    // a host import returned an error; error() is that error
  kMissingExport,  // no exported function of that name
  kBadArguments,   // argument count or types do not match the export's signature
  kInternal,       // misuse (wrong thread, handle from another instance) or an engine failure
};

std::string_view CallErrorKindName(CallErrorKind kind);

// Exports return at most this many results (wasm allows more through multi-value; no ABI uses more than one).
inline constexpr size_t kMaxResults = 8;

// The outcome of WasmInstance::Call: the results, or an error with its kind. Holds its values inline.
class CallResult {
 public:
  CallResult() = default;  // success without values
  // Copies only the values in use (the rest of the inline storage is never initialised).
  CallResult(const CallResult& other) { *this = other; }
  CallResult(CallResult&& other) noexcept { *this = std::move(other); }
  CallResult& operator=(const CallResult& other) {
    if (this != &other) {
      CopyValuesFrom(other);
      error_ = other.error_;
    }
    return *this;
  }
  CallResult& operator=(CallResult&& other) noexcept {
    if (this != &other) {
      CopyValuesFrom(other);
      error_ = std::move(other.error_);
    }
    return *this;
  }
  static CallResult Success(std::span<const WasmValue> values);
  static CallResult Failure(CallErrorKind kind, Error error);

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  std::span<const WasmValue> values() const { return {values_.values, count_}; }
  // The single result of a function that returns one value.
  const WasmValue& value() const { return values_.values[0]; }

  CallErrorKind error_kind() const { return kind_; }
  const Error& error() const { return *error_; }
  // As a Status, for callers that only propagate.
  Status status() const { return ok() ? OkStatus() : Status(*error_); }

  // For backends, to build a successful result in place: appends one value (at most kMaxResults).
  void AppendValue(WasmValue value) {
    if (count_ < kMaxResults) values_.values[count_++] = value;
  }

 private:
  void CopyValuesFrom(const CallResult& other) {
    count_ = other.count_;
    kind_ = other.kind_;
    for (uint8_t i = 0; i < count_; ++i) values_.values[i] = other.values_.values[i];
  }

  // A union so that a result is not zeroed on every call; only the first count_ values are ever read.
  union Values {
    Values() {}
    WasmValue values[kMaxResults];
  } values_;
  uint8_t count_ = 0;
  CallErrorKind kind_ = CallErrorKind::kInternal;
  std::optional<Error> error_;
};

// A resolved exported function of one instance: resolve once with FindFunction, call many times.
class ExportHandle {
 public:
  ExportHandle() = default;
  bool valid() const { return owner_ != nullptr; }

 private:
  friend class WasmInstance;
  ExportHandle(const void* owner, uint32_t index) : owner_(owner), index_(index) {}
  const void* owner_ = nullptr;
  uint32_t index_ = 0;
};

// ---- Engine objects -----------------------------------------------------------------------------

class WasmModule {
 public:
  virtual ~WasmModule() = default;
  virtual const WasmModuleInfo& info() const = 0;
};

class WasmInstance {
 public:
  virtual ~WasmInstance() = default;

  virtual const WasmModuleInfo& info() const = 0;

  // Resolves an exported function by name; kNotFound if there is none.
  Result<ExportHandle> FindFunction(std::string_view name) const;
  // Calls a resolved export. The arguments must match its parameter types exactly.
  CallResult Call(ExportHandle function, std::span<const WasmValue> args);
  CallResult Call(ExportHandle function, std::initializer_list<WasmValue> args) {
    return Call(function, std::span<const WasmValue>(args.begin(), args.size()));
  }
  // Resolves and calls; a missing export gives kMissingExport.
  CallResult Call(std::string_view name, std::span<const WasmValue> args);
  CallResult Call(std::string_view name, std::initializer_list<WasmValue> args) {
    return Call(name, std::span<const WasmValue>(args.begin(), args.size()));
  }

  // The exported linear memory ("memory", else the first exported memory); empty if there is none. Invalid
  // after the next call into the instance (memory.grow replaces it).
  virtual std::span<uint8_t> Memory() = 0;
  Result<std::span<uint8_t>> MemoryRange(uint64_t ptr, uint64_t len) {
    return host::MemoryRange(Memory(), ptr, len);
  }
  Status ReadMemory(uint64_t ptr, std::span<uint8_t> out) { return host::ReadMemory(Memory(), ptr, out); }
  Status WriteMemory(uint64_t ptr, std::span<const uint8_t> bytes) {
    return host::WriteMemory(Memory(), ptr, bytes);
  }

 protected:
  // The backend's export table: FindFunction and Call translate names and handles to indexes into it.
  virtual std::optional<uint32_t> ExportIndex(std::string_view name) const = 0;
  virtual CallResult CallExport(uint32_t index, std::span<const WasmValue> args) = 0;
  virtual size_t export_count() const = 0;
};

struct EngineOptions {
  // Wall-clock budget of one top-level call (and of instantiation, which runs the start function). Zero means
  // unlimited.
  std::chrono::milliseconds call_budget{10'000};
  // Cap on each linear memory, rounded down to whole pages; also bounded by RuntimeOptions::max_memory_bytes.
  uint64_t max_memory_bytes = uint64_t{1} << 30;
};

// Counters of one engine; readable from any thread.
struct EngineStats {
  uint64_t calls = 0;                 // top-level calls started (including instantiations)
  uint64_t budget_interrupts = 0;     // calls stopped by the watchdog
  uint64_t requested_interrupts = 0;  // calls stopped by InterruptCall
  uint64_t stale_interrupts = 0;  // interrupt requests that arrived after their call ended, and were ignored
};

class WasmEngine {
 public:
  virtual ~WasmEngine() = default;

  // Validates and compiles. Invalid bytes give kDecode with the reason. Applies this engine's memory cap to
  // the module's declared maximum memory.
  virtual Result<std::unique_ptr<WasmModule>> Compile(std::span<const uint8_t> wasm_bytes) = 0;

  // Instantiates a module compiled by this engine. Every import the module declares must be among `imports`
  // with the same signature (extra host imports are ignored); only function imports are supported. Runs the
  // module's start function, if any, under the call budget.
  virtual Result<std::unique_ptr<WasmInstance>> Instantiate(const WasmModule& module,
                                                            std::span<const HostImport> imports) = 0;

  virtual std::chrono::milliseconds call_budget() const = 0;
  virtual void set_call_budget(std::chrono::milliseconds budget) = 0;
  // The memory cap actually applied, in pages.
  virtual uint32_t max_memory_pages() const = 0;

  // The id of the most recent top-level call (0 before the first). Engine thread only.
  virtual uint64_t last_call_id() const = 0;
  // Any thread: stops call `call_id` if it is still running when the engine notices the request; a request
  // that arrives after that call ended is ignored, so it can never stop a later call.
  virtual void InterruptCall(uint64_t call_id) = 0;

  virtual EngineStats stats() const = 0;
};

// ---- Process-wide setup -------------------------------------------------------------------------

struct RuntimeOptions {
  // Hard ceiling on any linear memory in the process (the engine's own flag); engines may set lower caps.
  uint64_t max_memory_bytes = uint64_t{1} << 30;
  // Out-of-bounds memory accesses are caught by guard pages and a signal handler instead of explicit bounds
  // checks (faster; reserves more address space per memory, and does not mix with AddressSanitizer).
  bool use_trap_handler = true;
  // Background compilation threads; 0 lets the engine choose.
  int worker_threads = 0;

  friend bool operator==(const RuntimeOptions&, const RuntimeOptions&) = default;
};

// Initialises the engine once per process. Later calls with the same options succeed and do nothing; with
// other options they fail, because the engine cannot be reconfigured. CreateWasmEngine initialises with the
// defaults if this was never called.
Status InitializeWasmRuntime(const RuntimeOptions& options = {});

// A new engine of the default backend (V8).
Result<std::unique_ptr<WasmEngine>> CreateWasmEngine(const EngineOptions& options = {});

}  // namespace stdb::host
