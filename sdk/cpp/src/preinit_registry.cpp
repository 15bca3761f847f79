// The native stand-in for the host's preinit calls (see internal/preinit.h); wasm builds have no such list.
#include "spacetimedb/internal/preinit.h"

#if !defined(__wasm__)
#include <algorithm>

namespace SpacetimeDB::Internal {

namespace {
std::vector<std::pair<std::string, PreinitFunction>>& Registry() {
  static std::vector<std::pair<std::string, PreinitFunction>> registry;
  return registry;
}
}  // namespace

bool RegisterNativePreinit(const char* export_name, PreinitFunction function) {
  Registry().emplace_back(export_name, function);
  return true;
}

const std::vector<std::pair<std::string, PreinitFunction>>& NativePreinits() { return Registry(); }

void RunPreinitsInHostOrder() {
  auto sorted = Registry();
  // The host sorts export names as Rust strings, i.e. bytewise.
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, function] : sorted) function();
}

}  // namespace SpacetimeDB::Internal
#endif
