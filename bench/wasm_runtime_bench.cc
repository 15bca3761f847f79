// Costs of crossing the WebAssembly boundary with the V8 backend (module: src/host/testdata/bench.wat):
//   WasmCallEmptyExport      C++ -> wasm call of an empty export through a cached ExportHandle
//   WasmCallEmptyExportByName  the same, resolving the export by name on every call
//   WasmCallSevenI64         C++ -> wasm call with the __call_reducer__ signature (i32, 7 x i64, i32, i32)
//   WasmHostImportCall       wasm -> C++ host import calls (an export that calls a trivial import N times)
//   WasmHostImportMemory     the same, with the import also fetching linear memory and reading a byte
//   WasmLoopOnly             the export's loop without the import, the baseline of the two above
// Every call runs under the default 10 s budget, so the watchdog's arming cost is included.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "host/wasm_runtime.h"

namespace stdb::host {
namespace {

Status Noop(HostCall& call, void*) {
  call.Return(WasmValue::I32(call.ArgI32(0) & 1));
  return OkStatus();
}

Status NoopReadingMemory(HostCall& call, void*) {
  std::span<uint8_t> memory = call.Memory();
  call.Return(WasmValue::I32(memory.empty() ? 0 : memory[static_cast<uint32_t>(call.ArgI32(0)) & 0xFF]));
  return OkStatus();
}

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "wasm_runtime_bench: %s\n", message.c_str());
  std::exit(1);
}

// One engine and two instances of bench.wat (plain and memory-reading host import), made on first use on the
// benchmark thread.
struct BenchModule {
  std::unique_ptr<WasmEngine> engine;
  std::unique_ptr<WasmInstance> instance;
  std::unique_ptr<WasmInstance> memory_instance;

  BenchModule() {
    std::string path = std::string(STDB_WASM_TESTDATA_DIR) + "/bench.wasm";
    std::ifstream in(path, std::ios::binary);
    if (!in) Die("cannot open " + path);
    std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto created = CreateWasmEngine();
    if (!created.ok()) Die(created.error().message());
    engine = std::move(created).value();
    auto module = engine->Compile(bytes);
    if (!module.ok()) Die(module.error().message());
    instance = Instantiate(**module, &Noop);
    memory_instance = Instantiate(**module, &NoopReadingMemory);
  }

  std::unique_ptr<WasmInstance> Instantiate(const WasmModule& module, HostFunction noop) {
    std::vector<HostImport> imports = {
        {"env", "noop", {{ValueType::kI32}, {ValueType::kI32}}, noop, nullptr}};
    auto made = engine->Instantiate(module, imports);
    if (!made.ok()) Die(made.error().message());
    return std::move(made).value();
  }

  ExportHandle Find(WasmInstance& from, const char* name) {
    auto handle = from.FindFunction(name);
    if (!handle.ok()) Die(handle.error().message());
    return *handle;
  }
};

BenchModule& Bench() {
  static BenchModule* bench = new BenchModule;
  return *bench;
}

void CheckOk(benchmark::State& state, const CallResult& r) {
  if (!r.ok()) state.SkipWithError(r.error().message().c_str());
}

void WasmCallEmptyExport(benchmark::State& state) {
  WasmInstance& instance = *Bench().instance;
  ExportHandle empty = Bench().Find(instance, "empty");
  for (auto _ : state) {
    CallResult r = instance.Call(empty, {});
    benchmark::DoNotOptimize(r);
  }
  CheckOk(state, instance.Call(empty, {}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(WasmCallEmptyExport);

void WasmCallEmptyExportByName(benchmark::State& state) {
  WasmInstance& instance = *Bench().instance;
  for (auto _ : state) {
    CallResult r = instance.Call("empty", {});
    benchmark::DoNotOptimize(r);
  }
  CheckOk(state, instance.Call("empty", {}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(WasmCallEmptyExportByName);

void WasmCallSevenI64(benchmark::State& state) {
  WasmInstance& instance = *Bench().instance;
  ExportHandle reducer = Bench().Find(instance, "reducer7");
  std::vector<WasmValue> args = {WasmValue::I32(3)};
  for (int64_t i = 0; i < 7; ++i) args.push_back(WasmValue::I64(int64_t{-1} - i * 0x0101010101010101));
  args.push_back(WasmValue::I32(0));
  args.push_back(WasmValue::I32(1024));
  for (auto _ : state) {
    CallResult r = instance.Call(reducer, args);
    benchmark::DoNotOptimize(r);
  }
  CheckOk(state, instance.Call(reducer, args));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(WasmCallSevenI64);

constexpr int32_t kHostCallsPerIteration = 100'000;

void RunLoop(benchmark::State& state, WasmInstance& instance, const char* export_name) {
  ExportHandle loop = Bench().Find(instance, export_name);
  for (auto _ : state) {
    CallResult r = instance.Call(loop, {WasmValue::I32(kHostCallsPerIteration)});
    benchmark::DoNotOptimize(r);
  }
  CheckOk(state, instance.Call(loop, {WasmValue::I32(kHostCallsPerIteration)}));
  state.SetItemsProcessed(state.iterations() * kHostCallsPerIteration);
}

void WasmHostImportCall(benchmark::State& state) {
  RunLoop(state, *Bench().instance, "call_host");
}
BENCHMARK(WasmHostImportCall);

void WasmHostImportMemory(benchmark::State& state) {
  RunLoop(state, *Bench().memory_instance, "call_host");
}
BENCHMARK(WasmHostImportMemory);

void WasmLoopOnly(benchmark::State& state) {
  RunLoop(state, *Bench().instance, "loop_only");
}
BENCHMARK(WasmLoopOnly);

}  // namespace
}  // namespace stdb::host

STDB_BENCH_MAIN()
