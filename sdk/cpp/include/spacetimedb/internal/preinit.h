// Registration through `__preinit__NN_*` exports (spec/module-abi.md §3.2, §7.2).
//
// Every SDK macro that declares something (a table, a constraint, a reducer) expands to a function exported as
// `__preinit__NN_<what>`. The host calls all such exports in byte order of their names right after `_initialize`
// and before `__describe_module__`, on every new instance; the two-digit NN therefore orders registration:
//   01 clear state   18 settings, explicit names   19 schedules, type scopes   20 lifecycle reducers, tables
//   21 field constraints, defaults, multi-column indexes   25 row-level security   30 reducers   99 validation
// Within one NN, names sort by kind and then by the declared name, which fixes the order of reducers (and so their
// ids) and of tables and types in the module definition.
//
// In a native (non-wasm) build there are no exports, so the same macro records the function in a process-wide
// list instead, and RunPreinitsInHostOrder() plays the host's part for tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "spacetimedb/internal/for_each.h"

#if defined(__wasm__)
#define SPACETIMEDB_PREINIT(exported_as, c_name)            \
  extern "C" __attribute__((export_name(exported_as))) void c_name(); \
  extern "C" void c_name()
#else
#define SPACETIMEDB_PREINIT(exported_as, c_name)                                                      \
  extern "C" void c_name();                                                                           \
  [[maybe_unused]] static const bool SPACETIMEDB_CONCAT(c_name, _registered_natively) =               \
      ::SpacetimeDB::Internal::RegisterNativePreinit(exported_as, &c_name);                           \
  extern "C" void c_name()
#endif

namespace SpacetimeDB::Internal {

using PreinitFunction = void (*)();

#if !defined(__wasm__)
// Records a preinit function under its export name (native builds only).
bool RegisterNativePreinit(const char* export_name, PreinitFunction function);
// The recorded functions, in registration order.
const std::vector<std::pair<std::string, PreinitFunction>>& NativePreinits();
// Calls every recorded function in byte order of the export names, as the host does.
void RunPreinitsInHostOrder();
#endif

}  // namespace SpacetimeDB::Internal
