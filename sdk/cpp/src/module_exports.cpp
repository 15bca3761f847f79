// The functions a module exports to the host (spec/module-abi.md §3), and the first and last preinits.
//
//   __describe_module__(sink)                                  the BSATN RawModuleDef::V10
//   __call_reducer__(id, s0..s3, c0, c1, ts, args, err) -> i32 0 ok, 1 error text in `err`, -1 unknown id
//   __call_procedure__, __call_view__, __call_view_anon__, __call_http_handler__
//                                                              this SDK declares no procedures, views or HTTP
//                                                              handlers; these answer with an error
//   __preinit__01_clear_global_state, __preinit__99_validate_types
#include <cstdint>
#include <cstring>
#include <string>

#include "spacetimedb/internal/host_calls.h"
#include "spacetimedb/internal/module_builder.h"
#include "spacetimedb/internal/preinit.h"
#include "spacetimedb/logger.h"
#include "spacetimedb/reducer_context.h"

#if defined(__wasm__)
#define SPACETIMEDB_EXPORT(name) __attribute__((export_name(#name)))
#else
#define SPACETIMEDB_EXPORT(name)
#endif

using SpacetimeDB::BytesSink;
using SpacetimeDB::BytesSource;
using SpacetimeDB::Internal::ModuleBuilder;
using SpacetimeDB::Internal::WriteBytesSink;

namespace {

// __call_reducer__ results.
constexpr int32_t kReducerOk = 0;
constexpr int32_t kReducerUserError = 1;  // the message is in the error sink
constexpr int32_t kNoSuchReducer = -1;    // any other value is an internal error to the host

SpacetimeDB::Identity IdentityFromWords(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3) {
  // The host splits the 32 little-endian bytes into four little-endian u64s, lowest first.
  const uint64_t words[4] = {w0, w1, w2, w3};
  SpacetimeDB::Identity::ByteArray bytes{};
  for (int w = 0; w < 4; ++w)
    for (int i = 0; i < 8; ++i) bytes[w * 8 + i] = static_cast<uint8_t>(words[w] >> (8 * i));
  return SpacetimeDB::Identity(bytes);
}

int32_t Unsupported(const char* what, uint32_t sink) {
  const std::string message = std::string("this module declares no ") + what;
  SpacetimeDB::log_error(message);
  if (sink != 0) WriteBytesSink(BytesSink(sink), message);
  return 1;
}

}  // namespace

extern "C" {

SPACETIMEDB_EXPORT(__describe_module__)
void __describe_module__(uint32_t description_sink) {
  const std::vector<uint8_t> bytes = ModuleBuilder::instance().Describe();
  WriteBytesSink(BytesSink(description_sink), bytes.data(), bytes.size());
}

SPACETIMEDB_EXPORT(__call_reducer__)
int32_t __call_reducer__(uint32_t reducer_id, uint64_t sender_0, uint64_t sender_1, uint64_t sender_2,
                         uint64_t sender_3, uint64_t connection_id_0, uint64_t connection_id_1,
                         uint64_t timestamp_micros, uint32_t args_source, uint32_t error_sink) {
  const SpacetimeDB::Internal::ReducerHandler* handler = ModuleBuilder::instance().reducer_handler(reducer_id);
  if (!handler) {
    WriteBytesSink(BytesSink(error_sink), "Invalid reducer ID: " + std::to_string(reducer_id));
    return kNoSuchReducer;
  }
  std::optional<SpacetimeDB::ConnectionId> connection;
  if ((connection_id_0 | connection_id_1) != 0)
    connection = SpacetimeDB::ConnectionId(SpacetimeDB::u128(connection_id_1, connection_id_0));
  SpacetimeDB::ReducerContext ctx(IdentityFromWords(sender_0, sender_1, sender_2, sender_3), connection,
                                  SpacetimeDB::Timestamp(static_cast<int64_t>(timestamp_micros)));

  const std::vector<uint8_t> args = SpacetimeDB::Internal::ReadBytesSource(BytesSource(args_source));
  SpacetimeDB::bsatn::Reader reader(args);
  const SpacetimeDB::ReducerResult result = (*handler)(ctx, reader);
  if (result.is_err()) {
    WriteBytesSink(BytesSink(error_sink), result.error());
    return kReducerUserError;
  }
  return kReducerOk;
}

SPACETIMEDB_EXPORT(__call_procedure__)
int32_t __call_procedure__(uint32_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint32_t,
                           uint32_t result_sink) {
  return Unsupported("procedures", result_sink);
}

SPACETIMEDB_EXPORT(__call_view__)
int32_t __call_view__(uint32_t, uint64_t, uint64_t, uint64_t, uint64_t, uint32_t, uint32_t result_sink) {
  return Unsupported("views", result_sink);
}

SPACETIMEDB_EXPORT(__call_view_anon__)
int32_t __call_view_anon__(uint32_t, uint32_t, uint32_t result_sink) { return Unsupported("views", result_sink); }

SPACETIMEDB_EXPORT(__call_http_handler__)
int32_t __call_http_handler__(uint32_t, uint64_t, uint32_t, uint32_t, uint32_t response_sink, uint32_t) {
  return Unsupported("HTTP handlers", response_sink);
}

}  // extern "C"

// Static constructors may have touched the builder (say, a global that asked for a type); the definition must
// hold only what the preinits register.
SPACETIMEDB_PREINIT("__preinit__01_clear_global_state", _spacetimedb_preinit_clear_global_state) {
  ModuleBuilder::instance().Clear();
  SpacetimeDB::Internal::ClearIdCaches();
}

SPACETIMEDB_PREINIT("__preinit__99_validate_types", _spacetimedb_preinit_validate_types) {
  ModuleBuilder::instance().Validate();
}
