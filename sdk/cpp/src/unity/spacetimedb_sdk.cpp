// The whole SDK as one translation unit, for building a module in a single compiler invocation.
//
// Compiling the SDK's sources one by one parses the standard headers once per file; as one unit the SDK builds
// about four times faster, which is what `spacetime build` and examples/CMakeLists.txt use. The sources keep
// their file-local names distinct so that they can share a unit. sdk_unity_lists_every_source (CTest) checks that
// every src/*.cpp is included here.
#include "../algebraic_type.cpp"
#include "../host_calls.cpp"
#include "../index_scans.cpp"
#include "../logger.cpp"
#include "../module_builder.cpp"
#include "../module_def.cpp"
#include "../module_exports.cpp"
#include "../preinit_registry.cpp"
#include "../reducer_context.cpp"
#include "../row_iterator.cpp"
#include "../types.cpp"
#include "../wasi_shim.cpp"
