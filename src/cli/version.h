// The version of the `spacetime` CLI.
//
// The CLI speaks the HTTP API, WebSocket protocol and file formats of the reference SpacetimeDB release named
// here, and the TypeScript bindings it generates carry this string as `versionInfo.cliVersion` (the official SDK
// refuses bindings older than 1.4.0). Change it together with the formats it promises.
//
// Thread-safety: constants only.
#pragma once

namespace stdb::cli {

inline constexpr const char* kCliVersion = "2.8.3";
// What `spacetime version` prints after the version number.
inline constexpr const char* kCliImplementation = "SpacetimeDB C++ (cpp)";

}  // namespace stdb::cli
