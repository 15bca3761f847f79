// Shared main() for Google Benchmark programs: runs the benchmarks and, for every benchmark that reports an
// items-per-second rate, prints a headline line "BENCH <name> <value> <unit>" (ARCHITECTURE.md §6).
//
// Use: define benchmarks as usual and end the file with STDB_BENCH_MAIN().
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

namespace stdb::bench {

// Collects results while forwarding them to the normal console output.
class HeadlineReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      auto it = run.counters.find("items_per_second");
      if (it != run.counters.end()) lines_.push_back(Line(run.benchmark_name(), it->second.value, "items/s"));
      for (const auto& [name, counter] : run.counters) {
        if (name == "items_per_second" || name == "bytes_per_second") continue;
        lines_.push_back(Line(run.benchmark_name() + "/" + name, counter.value, ""));
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const auto& l : lines_) std::printf("%s\n", l.c_str());
  }

 private:
  static std::string Line(std::string name, double value, const char* unit) {
    for (auto& c : name)
      if (c == '/' || c == ':' || c == ' ') c = '_';
    char buf[256];
    std::snprintf(buf, sizeof buf, "BENCH %s %.0f %s", name.c_str(), value, unit);
    return buf;
  }
  std::vector<std::string> lines_;
};

}  // namespace stdb::bench

#define STDB_BENCH_MAIN()                                          \
  int main(int argc, char** argv) {                                \
    benchmark::Initialize(&argc, argv);                            \
    stdb::bench::HeadlineReporter reporter;                        \
    benchmark::RunSpecifiedBenchmarks(&reporter);                  \
    benchmark::Shutdown();                                         \
    return 0;                                                      \
  }
