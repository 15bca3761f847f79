// Tests of the WasmRuntime interface on its V8 backend. The first test is the project's V8 smoke test.
#include "host/wasm_runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "host/v8_runtime.h"

namespace stdb::host {
namespace {

using namespace std::chrono_literals;

constexpr ValueType I32 = ValueType::kI32;
constexpr ValueType I64 = ValueType::kI64;

std::vector<uint8_t> LoadWasm(const std::string& name) {
  std::string path = std::string(STDB_WASM_TESTDATA_DIR) + "/" + name + ".wasm";
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string AsString(std::span<const uint8_t> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// ---- Host functions of basic.wat ----------------------------------------------------------------

Status Upper(HostCall& call, void*) {
  STDB_ASSIGN_OR_RETURN(auto bytes, call.MemoryRange(call.ArgU32(0), call.ArgU32(1)));
  int32_t changed = 0;
  for (auto& b : bytes) {
    if (b >= 'a' && b <= 'z') {
      b = static_cast<uint8_t>(b - 'a' + 'A');
      ++changed;
    }
  }
  call.Return(WasmValue::I32(changed));
  return OkStatus();
}

Status Fail(HostCall& call, void*) {
  return Error(ErrorCode::kConstraint, "host says no: " + std::to_string(call.ArgI32(0)));
}

int64_t WeightedSum7(const int64_t v[7]) {
  uint64_t sum = 0;  // wrapping, like i64 arithmetic in wasm
  for (int i = 0; i < 7; ++i) sum += static_cast<uint64_t>(v[i]) * static_cast<uint64_t>(i + 1);
  return static_cast<int64_t>(sum);
}

Status Sum7(HostCall& call, void*) {
  int64_t v[7];
  for (int i = 0; i < 7; ++i) v[i] = call.ArgI64(i);
  call.Return(WasmValue::I64(WeightedSum7(v)));
  return OkStatus();
}

// user_data: WasmInstance** that the test fills in after instantiation.
Status Reenter(HostCall& call, void* user_data) {
  auto* instance = *static_cast<WasmInstance**>(user_data);
  CallResult r = instance->Call("add", {WasmValue::I32(call.ArgI32(0)), WasmValue::I32(100)});
  STDB_RETURN_IF_ERROR(r.status());
  call.Return(r.value());
  return OkStatus();
}

Status ReturnsNothing(HostCall&, void*) {
  return OkStatus();
}

struct BasicImports {
  WasmInstance* self = nullptr;
  std::vector<HostImport> list;

  BasicImports() {
    list = {
        {"env", "upper", {{I32, I32}, {I32}}, &Upper, nullptr},
        {"env", "fail", {{I32}, {}}, &Fail, nullptr},
        {"env", "sum7", {{I64, I64, I64, I64, I64, I64, I64}, {I64}}, &Sum7, nullptr},
        {"env", "reenter", {{I32}, {I32}}, &Reenter, &self},
    };
  }
  HostImport& Find(const std::string& name) {
    for (auto& i : list)
      if (i.name == name) return i;
    std::abort();
  }
};

class WasmRuntimeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(InitializeWasmRuntime().ok()); }

  static std::unique_ptr<WasmEngine> NewEngine(EngineOptions options = {}) {
    auto engine = CreateWasmEngine(options);
    EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().message());
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  static std::unique_ptr<WasmModule> MustCompile(WasmEngine& engine, const std::string& name) {
    auto module = engine.Compile(LoadWasm(name));
    EXPECT_TRUE(module.ok()) << (module.ok() ? "" : module.error().message());
    return module.ok() ? std::move(module).value() : nullptr;
  }

  // Compiles and instantiates basic.wat with `imports`, wiring the re-entrancy import to the new instance.
  std::unique_ptr<WasmInstance> Basic(WasmEngine& engine, BasicImports& imports) {
    auto module = MustCompile(engine, "basic");
    if (!module) return nullptr;
    auto instance = engine.Instantiate(*module, imports.list);
    EXPECT_TRUE(instance.ok()) << (instance.ok() ? "" : instance.error().message());
    if (!instance.ok()) return nullptr;
    imports.self = instance->get();
    return std::move(instance).value();
  }

  static void ExpectAddWorks(WasmInstance& instance) {
    CallResult r = instance.Call("add", {WasmValue::I32(2), WasmValue::I32(3)});
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(r.value(), WasmValue::I32(5));
  }
};

// ---- Smoke --------------------------------------------------------------------------------------

Status AddOne(HostCall& call, void* user_data) {
  ++*static_cast<int*>(user_data);
  call.Return(WasmValue::I32(call.ArgI32(0) + 1));
  return OkStatus();
}

TEST(V8SmokeTest, CompileInstantiateAndCallWithOneHostImport) {
  ASSERT_TRUE(InitializeWasmRuntime().ok());
  EXPECT_EQ(V8Version().rfind("10.2.", 0), 0u) << V8Version();
  auto engine = CreateWasmEngine();
  ASSERT_TRUE(engine.ok()) << engine.error().message();
  auto module = (*engine)->Compile(LoadWasm("smoke"));
  ASSERT_TRUE(module.ok()) << module.error().message();
  int host_calls = 0;
  std::vector<HostImport> imports = {{"env", "add_one", {{I32}, {I32}}, &AddOne, &host_calls}};
  auto instance = (*engine)->Instantiate(**module, imports);
  ASSERT_TRUE(instance.ok()) << instance.error().message();
  CallResult r = (*instance)->Call("run", {WasmValue::I32(41)});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value(), WasmValue::I32(42));
  EXPECT_EQ(host_calls, 1);
}

// ---- Module description -------------------------------------------------------------------------

TEST_F(WasmRuntimeTest, ModuleInfoListsImportsExportsAndCappedMemory) {
  auto engine = NewEngine();
  auto module = MustCompile(*engine, "basic");
  ASSERT_TRUE(module);
  const WasmModuleInfo& info = module->info();
  ASSERT_EQ(info.imports.size(), 4u);
  EXPECT_EQ(info.imports[0].QualifiedName(), "env.upper");
  EXPECT_EQ(info.imports[0].kind, ExternKind::kFunction);
  EXPECT_EQ(info.imports[0].type.ToString(), "(i32, i32) -> (i32)");
  EXPECT_EQ(info.imports[2].type.params.size(), 7u);

  const ExportDescriptor* reducer = info.FindExport("reducer_like");
  ASSERT_NE(reducer, nullptr);
  EXPECT_EQ(reducer->type.ToString(), "(i32, i64, i64, i64, i64, i64, i64, i64, i32, i32) -> (i32)");
  const ExportDescriptor* memory = info.FindExport("memory");
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->kind, ExternKind::kMemory);
  EXPECT_EQ(info.FindExport("nope"), nullptr);

  // basic.wat declares no maximum; the engine's cap (1 GiB by default) becomes it.
  ASSERT_EQ(info.memories.size(), 1u);
  EXPECT_EQ(info.memories[0].initial_pages, 1u);
  EXPECT_EQ(info.memories[0].maximum_pages, std::optional<uint32_t>(16384));
  EXPECT_EQ(engine->max_memory_pages(), 16384u);
}

// ---- Calls --------------------------------------------------------------------------------------

TEST_F(WasmRuntimeTest, CallsThroughACachedHandle) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  auto add = instance->FindFunction("add");
  ASSERT_TRUE(add.ok());
  for (int32_t i = 0; i < 1000; ++i) {
    CallResult r = instance->Call(*add, {WasmValue::I32(i), WasmValue::I32(-2 * i)});
    ASSERT_TRUE(r.ok()) << r.error().message();
    ASSERT_EQ(r.value().i32(), -i);
  }
  // i32 arithmetic wraps.
  CallResult r =
      instance->Call(*add, {WasmValue::I32(std::numeric_limits<int32_t>::max()), WasmValue::I32(1)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().i32(), std::numeric_limits<int32_t>::min());

  CallResult none = instance->Call("noop", {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.values().empty());
}

TEST_F(WasmRuntimeTest, HostImportReadsAndWritesLinearMemory) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->Memory().size(), kWasmPageSize);

  CallResult r = instance->Call("shout", {WasmValue::I32(16), WasmValue::I32(12)});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value().i32(), 10);
  std::vector<uint8_t> out(12);
  ASSERT_TRUE(instance->ReadMemory(16, out).ok());
  EXPECT_EQ(AsString(out), "HELLO, WORLD");

  // Bytes written from C++ are what the module (and its host import) sees.
  std::string text = "abc xyz";
  ASSERT_TRUE(
      instance->WriteMemory(1000, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()))
          .ok());
  r = instance->Call("shout", {WasmValue::I32(1000), WasmValue::I32(7)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().i32(), 6);
  auto range = instance->MemoryRange(1000, 7);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(AsString(*range), "ABC XYZ");
}

TEST_F(WasmRuntimeTest, MemoryHelpersRefuseOutOfRangeAccess) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  std::vector<uint8_t> buf(16);
  EXPECT_TRUE(instance->ReadMemory(kWasmPageSize - 16, buf).ok());
  EXPECT_FALSE(instance->ReadMemory(kWasmPageSize - 15, buf).ok());
  EXPECT_FALSE(instance->WriteMemory(kWasmPageSize, buf).ok());
  EXPECT_FALSE(instance->MemoryRange(std::numeric_limits<uint64_t>::max(), 2).ok());
  EXPECT_TRUE(instance->MemoryRange(kWasmPageSize, 0).ok());

  // A host import handed a range past the end fails cleanly, and the failure reaches the caller.
  CallResult r = instance->Call("shout", {WasmValue::I32(65530), WasmValue::I32(100)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kHostError);
  EXPECT_NE(r.error().message().find("outside linear memory"), std::string::npos) << r.error().message();
  ExpectAddWorks(*instance);
}

TEST_F(WasmRuntimeTest, I64ParamsAndResultsIncludingSevenI64Params) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);

  for (int64_t v : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max(), int64_t{0x123456789abcdef0}}) {
    CallResult r = instance->Call("echo_i64", {WasmValue::I64(v)});
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(r.value(), WasmValue::I64(v));
  }

  int64_t seven[7] = {1,
                      -2,
                      3,
                      std::numeric_limits<int64_t>::max(),
                      std::numeric_limits<int64_t>::min(),
                      int64_t{0x0102030405060708},
                      -7};
  std::vector<WasmValue> args;
  for (int64_t v : seven) args.push_back(WasmValue::I64(v));
  CallResult mixed = instance->Call("mix7", args);
  ASSERT_TRUE(mixed.ok()) << mixed.error().message();
  EXPECT_EQ(mixed.value().i64(), WeightedSum7(seven));

  // Through the host: wasm passes seven i64 to a host import and gets an i64 back.
  CallResult via_host = instance->Call("host_sum7", args);
  ASSERT_TRUE(via_host.ok()) << via_host.error().message();
  EXPECT_EQ(via_host.value().i64(), WeightedSum7(seven));

  // The __call_reducer__ shape: i32, seven i64 (identity words, connection id, timestamp), i32, i32.
  uint64_t words[7] = {0xFFFFFFFFFFFFFFFFull,   0x8000000000000000ull, 1, 0xDEADBEEFCAFEBABEull, 0, 42,
                       1'700'000'000'000'000ull};
  std::vector<WasmValue> reducer_args = {WasmValue::I32(3)};
  for (uint64_t w : words) reducer_args.push_back(WasmValue::I64(static_cast<int64_t>(w)));
  reducer_args.push_back(WasmValue::I32(10));
  reducer_args.push_back(WasmValue::I32(20));
  CallResult r = instance->Call("reducer_like", reducer_args);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value().i32(), 33);
  for (int i = 0; i < 7; ++i) {
    uint64_t stored;
    ASSERT_TRUE(instance->ReadMemory(256 + 8 * i, std::span(reinterpret_cast<uint8_t*>(&stored), 8)).ok());
    EXPECT_EQ(stored, words[i]) << "word " << i;
  }
}

TEST_F(WasmRuntimeTest, FloatsAndMultipleResults) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult f = instance->Call("echo_f32", {WasmValue::F32(1.5f)});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.value(), WasmValue::F32(1.5f));
  CallResult d = instance->Call("echo_f64", {WasmValue::F64(-0.1)});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value(), WasmValue::F64(-0.1));
  CallResult pair = instance->Call("pair", {WasmValue::I32(20)});
  ASSERT_TRUE(pair.ok()) << pair.error().message();
  ASSERT_EQ(pair.values().size(), 2u);
  EXPECT_EQ(pair.values()[0], WasmValue::I32(21));
  EXPECT_EQ(pair.values()[1], WasmValue::I64(40));
}

TEST_F(WasmRuntimeTest, HostImportMayCallBackIntoTheInstance) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult r = instance->Call("call_reenter", {WasmValue::I32(5)});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value().i32(), 105);
}

// ---- Errors of calls ----------------------------------------------------------------------------

TEST_F(WasmRuntimeTest, EachTrapKindGivesItsMessageAndLeavesTheInstanceUsable) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  struct Case {
    const char* export_name;
    std::vector<WasmValue> args;
    const char* message;
  };
  std::vector<Case> cases = {
      {"trap_unreachable", {}, "unreachable"},
      {"load", {WasmValue::I32(-16)}, "memory access out of bounds"},
      {"div", {WasmValue::I32(1), WasmValue::I32(0)}, "divide by zero"},
      {"div",
       {WasmValue::I32(std::numeric_limits<int32_t>::min()), WasmValue::I32(-1)},
       "divide result unrepresentable"},
      {"recurse", {WasmValue::I32(0)}, "Maximum call stack size exceeded"},
  };
  for (const Case& c : cases) {
    CallResult r = instance->Call(c.export_name, c.args);
    ASSERT_FALSE(r.ok()) << c.export_name;
    EXPECT_EQ(r.error_kind(), CallErrorKind::kTrap) << c.export_name;
    EXPECT_NE(r.error().message().find(c.message), std::string::npos) << r.error().message();
    EXPECT_NE(r.error().message().find(c.export_name), std::string::npos) << r.error().message();
    ExpectAddWorks(*instance);
  }
}

TEST_F(WasmRuntimeTest, ModuleStateSurvivesATrap) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->Call("bump", {}).value().i32(), 1);
  EXPECT_FALSE(instance->Call("trap_unreachable", {}).ok());
  EXPECT_EQ(instance->Call("bump", {}).value().i32(), 2);
}

TEST_F(WasmRuntimeTest, HostErrorReachesTheCallerWithItsCodeAndMessage) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult r = instance->Call("call_fail", {WasmValue::I32(42)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kHostError);
  EXPECT_EQ(r.error().code(), ErrorCode::kConstraint);
  EXPECT_EQ(r.error().message(), "host says no: 42");
  EXPECT_FALSE(r.status().ok());
  ExpectAddWorks(*instance);
}

TEST_F(WasmRuntimeTest, HostErrorIsFinalEvenWhenTheModuleCatchesIt) {
  auto engine = NewEngine();
  auto module = MustCompile(*engine, "host_error_caught");
  ASSERT_TRUE(module);
  std::vector<HostImport> imports = {{"env", "fail", {{I32}, {}}, &Fail, nullptr}};
  auto instance = engine->Instantiate(*module, imports);
  ASSERT_TRUE(instance.ok()) << instance.error().message();
  CallResult r = (*instance)->Call("swallow", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kHostError);
  EXPECT_EQ(r.error().message(), "host says no: 7");
}

TEST_F(WasmRuntimeTest, HostFunctionThatReturnsNoValueTraps) {
  auto engine = NewEngine();
  BasicImports imports;
  imports.Find("upper").function = &ReturnsNothing;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult r = instance->Call("shout", {WasmValue::I32(16), WasmValue::I32(5)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kHostError);
  EXPECT_NE(r.error().message().find("env.upper returned nothing, expected i32"), std::string::npos)
      << r.error().message();
}

TEST_F(WasmRuntimeTest, MissingExport) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult r = instance->Call("no_such_export", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kMissingExport);
  EXPECT_NE(r.error().message().find("no_such_export"), std::string::npos);
  auto handle = instance->FindFunction("no_such_export");
  ASSERT_FALSE(handle.ok());
  EXPECT_EQ(handle.error().code(), ErrorCode::kNotFound);
  // "memory" is an export, but not a function.
  EXPECT_EQ(instance->Call("memory", {}).error_kind(), CallErrorKind::kMissingExport);
}

TEST_F(WasmRuntimeTest, WrongArgumentCountOrTypesAreRefused) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult too_few = instance->Call("add", {WasmValue::I32(1)});
  ASSERT_FALSE(too_few.ok());
  EXPECT_EQ(too_few.error_kind(), CallErrorKind::kBadArguments);
  EXPECT_NE(too_few.error().message().find("(i32, i32) -> (i32)"), std::string::npos)
      << too_few.error().message();
  CallResult wrong_type = instance->Call("add", {WasmValue::I32(1), WasmValue::I64(2)});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error_kind(), CallErrorKind::kBadArguments);
  EXPECT_NE(wrong_type.error().message().find("called with (i32, i64)"), std::string::npos);
  CallResult v128 = instance->Call("takes_v128", {});
  ASSERT_FALSE(v128.ok());
  EXPECT_EQ(v128.error_kind(), CallErrorKind::kBadArguments);
  ExpectAddWorks(*instance);
}

TEST_F(WasmRuntimeTest, HandleOfAnotherInstanceIsRefused) {
  auto engine = NewEngine();
  BasicImports imports_a, imports_b;
  auto a = Basic(*engine, imports_a);
  auto b = Basic(*engine, imports_b);
  ASSERT_TRUE(a && b);
  auto add_of_a = a->FindFunction("add");
  ASSERT_TRUE(add_of_a.ok());
  CallResult r = b->Call(*add_of_a, {WasmValue::I32(1), WasmValue::I32(2)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kInternal);
  EXPECT_FALSE(b->Call(ExportHandle(), {}).ok());
}

TEST_F(WasmRuntimeTest, InstancesHaveTheirOwnMemoryAndGlobals) {
  auto engine = NewEngine();
  BasicImports imports;
  auto module = MustCompile(*engine, "basic");
  auto a = engine->Instantiate(*module, imports.list);
  auto b = engine->Instantiate(*module, imports.list);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->Call("bump", {}).value().i32(), 1);
  EXPECT_EQ((*a)->Call("bump", {}).value().i32(), 2);
  EXPECT_EQ((*b)->Call("bump", {}).value().i32(), 1);
  ASSERT_TRUE((*a)->Call("shout", {WasmValue::I32(16), WasmValue::I32(5)}).ok());
  EXPECT_EQ(AsString(*(*a)->MemoryRange(16, 5)), "HELLO");
  EXPECT_EQ(AsString(*(*b)->MemoryRange(16, 5)), "hello");
}

// ---- Runaway calls ------------------------------------------------------------------------------

TEST_F(WasmRuntimeTest, InfiniteLoopIsInterruptedAfterItsBudgetAndTheEngineWorksAfterwards) {
  auto engine = NewEngine({.call_budget = 100ms});
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult r = instance->Call("spin", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kInterrupted);
  EXPECT_NE(r.error().message().find("time budget of 100 ms"), std::string::npos) << r.error().message();
  EXPECT_EQ(engine->stats().budget_interrupts, 1u);

  // The same instance, and new ones, run normally.
  ExpectAddWorks(*instance);
  CallResult counted = instance->Call("spin_for", {WasmValue::I64(1'000'000)});
  ASSERT_TRUE(counted.ok()) << counted.error().message();
  EXPECT_EQ(counted.value().i64(), 1'000'000);
  BasicImports more_imports;
  auto fresh = Basic(*engine, more_imports);
  ASSERT_TRUE(fresh);
  ExpectAddWorks(*fresh);

  // And the budget fires again on the next runaway call.
  EXPECT_EQ(instance->Call("spin", {}).error_kind(), CallErrorKind::kInterrupted);
  EXPECT_EQ(engine->stats().budget_interrupts, 2u);
}

TEST_F(WasmRuntimeTest, BudgetStillFiresAfterTheWatchdogParked) {
  auto engine = NewEngine({.call_budget = 100ms});
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  ExpectAddWorks(*instance);
  // The watchdog parks after a second without running calls; the next call must wake it.
  std::this_thread::sleep_for(1500ms);
  CallResult r = instance->Call("spin", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kInterrupted);
}

TEST_F(WasmRuntimeTest, BudgetCanBeChangedAndDisabled) {
  auto engine = NewEngine({.call_budget = 0ms});
  EXPECT_EQ(engine->call_budget(), 0ms);
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  // Unlimited: a long but finite call completes.
  CallResult r = instance->Call("spin_for", {WasmValue::I64(50'000'000)});
  ASSERT_TRUE(r.ok()) << r.error().message();
  engine->set_call_budget(50ms);
  EXPECT_EQ(engine->call_budget(), 50ms);
  r = instance->Call("spin", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("time budget of 50 ms"), std::string::npos) << r.error().message();
}

// user_data: WasmInstance** as for Reenter; runs the instance's "spin" export from inside a host import.
Status ReenterSpin(HostCall& call, void* user_data) {
  auto* instance = *static_cast<WasmInstance**>(user_data);
  STDB_RETURN_IF_ERROR(instance->Call("spin", {}).status());
  call.Return(WasmValue::I32(0));
  return OkStatus();
}

TEST_F(WasmRuntimeTest, BudgetStopsARunawayCallNestedInsideAHostImport) {
  auto engine = NewEngine({.call_budget = 100ms});
  BasicImports imports;
  imports.Find("reenter").function = &ReenterSpin;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult r = instance->Call("call_reenter", {WasmValue::I32(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kInterrupted) << r.error().message();
  ExpectAddWorks(*instance);
}

Status Throws(HostCall&, void*) {
  throw std::runtime_error("boom");
}

TEST_F(WasmRuntimeTest, HostFunctionThatThrowsBecomesAHostError) {
  auto engine = NewEngine();
  BasicImports imports;
  imports.Find("fail").function = &Throws;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult r = instance->Call("call_fail", {WasmValue::I32(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kHostError);
  EXPECT_EQ(r.error().message(), "host import env.fail threw: boom");
  ExpectAddWorks(*instance);
}

TEST_F(WasmRuntimeTest, LateInterruptDoesNotAffectTheNextCall) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  ExpectAddWorks(*instance);
  uint64_t finished_call = engine->last_call_id();
  ASSERT_NE(finished_call, 0u);
  // The request is queued while no call runs (as when a watchdog fires just as a call returns); V8 delivers
  // it during the next call, which must not be stopped.
  engine->InterruptCall(finished_call);
  CallResult r = instance->Call("spin_for", {WasmValue::I64(10'000'000)});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value().i64(), 10'000'000);
  EngineStats stats = engine->stats();
  EXPECT_EQ(stats.stale_interrupts, 1u);
  EXPECT_EQ(stats.requested_interrupts, 0u);
  ExpectAddWorks(*instance);
}

TEST_F(WasmRuntimeTest, InterruptCallFromAnotherThreadStopsTheRunningCall) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  uint64_t spin_call = engine->last_call_id() + 1;
  std::atomic<bool> done{false};
  WasmEngine* raw = engine.get();
  // Repeats the request until the call ends: one that lands before the call starts is simply not yet useful.
  std::thread interrupter([&] {
    while (!done.load()) {
      raw->InterruptCall(spin_call);
      std::this_thread::sleep_for(10ms);
    }
  });
  CallResult r = instance->Call("spin", {});
  done.store(true);
  interrupter.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kInterrupted);
  EXPECT_NE(r.error().message().find("interrupted on request"), std::string::npos) << r.error().message();
  EXPECT_EQ(engine->stats().requested_interrupts, 1u);
  ExpectAddWorks(*instance);
}

TEST_F(WasmRuntimeTest, StartFunctionTrapFailsInstantiation) {
  auto engine = NewEngine();
  auto module = MustCompile(*engine, "start_trap");
  ASSERT_TRUE(module);
  auto instance = engine->Instantiate(*module, {});
  ASSERT_FALSE(instance.ok());
  EXPECT_NE(instance.error().message().find("unreachable"), std::string::npos) << instance.error().message();
}

TEST_F(WasmRuntimeTest, StartFunctionRunsUnderTheBudget) {
  auto engine = NewEngine({.call_budget = 100ms});
  auto module = MustCompile(*engine, "start_spin");
  ASSERT_TRUE(module);
  auto instance = engine->Instantiate(*module, {});
  ASSERT_FALSE(instance.ok());
  EXPECT_NE(instance.error().message().find("time budget of 100 ms"), std::string::npos)
      << instance.error().message();
  // The engine goes on working.
  BasicImports imports;
  auto basic = Basic(*engine, imports);
  ASSERT_TRUE(basic);
  ExpectAddWorks(*basic);
}

// ---- Memory cap ---------------------------------------------------------------------------------

TEST_F(WasmRuntimeTest, InitialMemoryAboveTheDefaultCapIsRefused) {
  auto engine = NewEngine();
  auto module = engine->Compile(LoadWasm("big_memory"));
  ASSERT_FALSE(module.ok());
  EXPECT_EQ(module.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(module.error().message().find("16385 pages"), std::string::npos) << module.error().message();
}

TEST_F(WasmRuntimeTest, InitialMemoryAboveAnEngineCapIsRefused) {
  auto engine = NewEngine({.max_memory_bytes = 4 * kWasmPageSize});
  auto module = engine->Compile(LoadWasm("small_memory"));  // 8 initial pages
  ASSERT_FALSE(module.ok());
  EXPECT_EQ(module.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(module.error().message().find("cap of 4 pages"), std::string::npos) << module.error().message();
}

TEST_F(WasmRuntimeTest, MemoryGrowPastTheCapReturnsMinusOne) {
  auto engine = NewEngine({.max_memory_bytes = 16 * kWasmPageSize});
  auto module = MustCompile(*engine, "small_memory");  // 8 initial pages, declared maximum 1000
  ASSERT_TRUE(module);
  EXPECT_EQ(module->info().memories[0].maximum_pages, std::optional<uint32_t>(16));
  auto instance = engine->Instantiate(*module, {});
  ASSERT_TRUE(instance.ok()) << instance.error().message();
  auto grow = [&](int32_t pages) {
    CallResult r = (*instance)->Call("grow", {WasmValue::I32(pages)});
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value().i32() : -2;
  };
  EXPECT_EQ(grow(4), 8);
  EXPECT_EQ(grow(5), -1);  // 17 > 16
  EXPECT_EQ(grow(4), 12);
  EXPECT_EQ((*instance)->Memory().size(), 16 * kWasmPageSize);
  EXPECT_EQ(grow(1), -1);
  EXPECT_EQ(grow(0), 16);

  // A module without a declared maximum gets the cap as its maximum.
  BasicImports imports;
  auto basic = Basic(*engine, imports);
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->Call("grow", {WasmValue::I32(15)}).value().i32(), 1);
  EXPECT_EQ(basic->Call("grow", {WasmValue::I32(1)}).value().i32(), -1);
  EXPECT_EQ(basic->Call("size", {}).value().i32(), 16);
  // A host import sees the grown memory.
  CallResult r = basic->Call("shout", {WasmValue::I32(15 * kWasmPageSize), WasmValue::I32(10)});
  ASSERT_TRUE(r.ok()) << r.error().message();
}

// ---- Linking ------------------------------------------------------------------------------------

TEST_F(WasmRuntimeTest, MissingImportIsRefusedWithItsName) {
  auto engine = NewEngine();
  auto module = MustCompile(*engine, "basic");
  ASSERT_TRUE(module);
  BasicImports imports;
  imports.list.erase(imports.list.begin() + 2);  // env.sum7
  auto instance = engine->Instantiate(*module, imports.list);
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(instance.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(instance.error().message().find("env.sum7"), std::string::npos) << instance.error().message();
}

TEST_F(WasmRuntimeTest, WasiImportIsRefusedWithItsName) {
  auto engine = NewEngine();
  auto module = MustCompile(*engine, "wasi");
  ASSERT_TRUE(module);
  BasicImports imports;  // provides env.*, but nothing of WASI
  auto instance = engine->Instantiate(*module, imports.list);
  ASSERT_FALSE(instance.ok());
  EXPECT_NE(instance.error().message().find("wasi_snapshot_preview1.fd_write"), std::string::npos)
      << instance.error().message();
}

TEST_F(WasmRuntimeTest, SignatureMismatchIsRefused) {
  auto engine = NewEngine();
  auto module = MustCompile(*engine, "basic");
  ASSERT_TRUE(module);
  BasicImports imports;
  imports.Find("upper").type = {{I32}, {I32}};
  auto instance = engine->Instantiate(*module, imports.list);
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(
      instance.error().message(),
      "import env.upper has signature (i32, i32) -> (i32) in the module but (i32) -> (i32) in the host");
}

TEST_F(WasmRuntimeTest, MemoryImportIsRefused) {
  auto engine = NewEngine();
  auto module = MustCompile(*engine, "memory_import");
  ASSERT_TRUE(module);
  auto instance = engine->Instantiate(*module, {});
  ASSERT_FALSE(instance.ok());
  EXPECT_NE(instance.error().message().find("imports memory env.memory"), std::string::npos)
      << instance.error().message();
}

TEST_F(WasmRuntimeTest, ModuleOfAnotherEngineIsRefused) {
  auto engine_a = NewEngine();
  auto engine_b = NewEngine();
  auto module = MustCompile(*engine_a, "start_trap");
  ASSERT_TRUE(module);
  auto instance = engine_b->Instantiate(*module, {});
  ASSERT_FALSE(instance.ok());
  EXPECT_NE(instance.error().message().find("another engine"), std::string::npos);
}

// ---- Invalid modules ----------------------------------------------------------------------------

TEST_F(WasmRuntimeTest, InvalidBytesGiveAClearError) {
  auto engine = NewEngine();
  std::string junk = "this is not wasm";
  auto r = engine->Compile(std::span(reinterpret_cast<const uint8_t*>(junk.data()), junk.size()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDecode);
  EXPECT_NE(r.error().message().find("not a WebAssembly module"), std::string::npos) << r.error().message();

  EXPECT_FALSE(engine->Compile({}).ok());

  std::vector<uint8_t> truncated = LoadWasm("basic");
  truncated.resize(truncated.size() - 5);
  r = engine->Compile(truncated);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDecode);

  // Well-formed sections, but a function that does not type-check: the engine's validator explains.
  const std::vector<uint8_t> ill_typed = {
      0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,  // preamble
      0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,        // type 0: () -> i32
      0x03, 0x02, 0x01, 0x00,                          // function 0 has type 0
      0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,              // body: no locals, end (no i32 left on the stack)
  };
  r = engine->Compile(ill_typed);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDecode);
  EXPECT_NE(r.error().message().find("CompileError"), std::string::npos) << r.error().message();
}

// ---- Threads ------------------------------------------------------------------------------------

TEST_F(WasmRuntimeTest, UseFromAnotherThreadIsRefused) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  CallResult r = CallResult::Success({});
  bool compiled = true;
  std::thread([&] {
    r = instance->Call("add", {WasmValue::I32(1), WasmValue::I32(2)});
    compiled = engine->Compile(LoadWasm("smoke")).ok();
  }).join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_kind(), CallErrorKind::kInternal);
  EXPECT_NE(r.error().message().find("thread"), std::string::npos);
  EXPECT_FALSE(compiled);
  ExpectAddWorks(*instance);
}

TEST_F(WasmRuntimeTest, TwoEnginesRunConcurrentlyOnTwoThreads) {
  std::atomic<int> ready{0};
  auto work = [&](int seed) {
    auto engine = CreateWasmEngine({.call_budget = 100ms});
    ASSERT_TRUE(engine.ok());
    BasicImports imports;
    auto module = (*engine)->Compile(LoadWasm("basic"));
    ASSERT_TRUE(module.ok());
    auto instance = (*engine)->Instantiate(**module, imports.list);
    ASSERT_TRUE(instance.ok());
    imports.self = instance->get();
    ready.fetch_add(1);
    while (ready.load() < 2) std::this_thread::yield();
    auto add = (*instance)->FindFunction("add");
    ASSERT_TRUE(add.ok());
    for (int32_t i = 0; i < 20000; ++i) {
      CallResult r = (*instance)->Call(*add, {WasmValue::I32(i), WasmValue::I32(seed)});
      ASSERT_TRUE(r.ok());
      ASSERT_EQ(r.value().i32(), i + seed);
    }
    CallResult via_host = (*instance)->Call("call_reenter", {WasmValue::I32(seed)});
    ASSERT_TRUE(via_host.ok());
    EXPECT_EQ(via_host.value().i32(), seed + 100);
    // Both engines' runaway calls are stopped by the one watchdog.
    CallResult spin = (*instance)->Call("spin", {});
    EXPECT_EQ(spin.error_kind(), CallErrorKind::kInterrupted);
    CallResult after = (*instance)->Call(*add, {WasmValue::I32(1), WasmValue::I32(seed)});
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after.value().i32(), 1 + seed);
  };
  std::thread a(work, 1000), b(work, 2000);
  a.join();
  b.join();
}

TEST_F(WasmRuntimeTest, InstanceOutlivesItsEngineObject) {
  auto engine = NewEngine();
  BasicImports imports;
  auto instance = Basic(*engine, imports);
  ASSERT_TRUE(instance);
  engine.reset();
  ExpectAddWorks(*instance);
}

// ---- Process setup ------------------------------------------------------------------------------

TEST_F(WasmRuntimeTest, InitializeIsIdempotentAndRefusesReconfiguration) {
  EXPECT_TRUE(InitializeWasmRuntime().ok());
  EXPECT_TRUE(InitializeWasmRuntime(RuntimeOptions{}).ok());
  RuntimeOptions other;
  other.max_memory_bytes = uint64_t{2} << 30;
  Status s = InitializeWasmRuntime(other);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("already initialised"), std::string::npos);
}

TEST(HostCallTest, HostFunctionsRunWithoutAnEngine) {
  std::vector<uint8_t> memory = {'a', 'b', 'c', 'd'};
  ImportDescriptor import{"env", "upper", ExternKind::kFunction, {{I32, I32}, {I32}}};
  WasmValue args[2] = {WasmValue::I32(1), WasmValue::I32(2)};
  HostCall call(
      import, args, [](void* m) { return std::span<uint8_t>(*static_cast<std::vector<uint8_t>*>(m)); },
      &memory);
  ASSERT_TRUE(Upper(call, nullptr).ok());
  EXPECT_EQ(call.result(), std::optional<WasmValue>(WasmValue::I32(2)));
  EXPECT_EQ(AsString(memory), "aBCd");

  WasmValue bad_args[2] = {WasmValue::I32(3), WasmValue::I32(2)};
  HostCall out_of_range(
      import, bad_args, [](void* m) { return std::span<uint8_t>(*static_cast<std::vector<uint8_t>*>(m)); },
      &memory);
  EXPECT_FALSE(Upper(out_of_range, nullptr).ok());
}

}  // namespace
}  // namespace stdb::host
