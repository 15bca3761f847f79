// SdkLocator: where the C++ module SDK (headers, sources, the `spacetime init` template) is, for `spacetime build`
// and `spacetime init`. Looked for, in order:
//   1. $SPACETIMEDB_CPP_SDK;
//   2. an install prefix: <exe>/../share/spacetimedb/sdk/cpp (the executable in <prefix>/bin);
//   3. a source tree: <ancestor>/sdk/cpp for the executable's directory and its ancestors (build/bin/spacetime in a
//      checkout of the C++ SpacetimeDB sources).
// A candidate counts only if it holds include/spacetimedb.h. Not finding one is an error that lists every place
// looked at and says how to point the CLI at the SDK.
//
// Thread-safety: pure functions (reads the environment and the file system).
#pragma once

#include <string>

#include "sats/result.h"

namespace stdb::cli {

Result<std::string> FindCppSdk(const std::string& executable_path);

// The running executable's path (/proc/self/exe), or `fallback` when it cannot be read.
std::string CurrentExecutablePath(const std::string& fallback);

}  // namespace stdb::cli
