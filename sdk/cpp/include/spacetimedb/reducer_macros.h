// Reducer macros: declare transactional functions the host calls.
//
//   SPACETIMEDB_REDUCER(add, ReducerContext ctx, std::string name, uint32_t age) { ...; return Ok(); }
//   SPACETIMEDB_REDUCER_NAMED(add, "add_person", ReducerContext ctx, ...)   also sets an explicit canonical name
//   SPACETIMEDB_INIT(init, ReducerContext ctx)                              runs once, when the database is created
//   SPACETIMEDB_CLIENT_CONNECTED(on_connect, ReducerContext ctx)            runs when a client connects; an Err
//                                                                           rejects the connection
//   SPACETIMEDB_CLIENT_DISCONNECTED(on_disconnect, ReducerContext ctx)      runs when a client disconnects
//
// The body returns ReducerResult: Ok() commits the transaction, Err("why") rolls it back and reports "why".
// Parameter names come from the macro text and types from the function's signature; each parameter type needs
// bsatn_traits (builtins, special types, SPACETIMEDB_STRUCT/ENUM types).
//
// Ids: the host calls the `__preinit__20_reducer_<kind>` exports before the `__preinit__30_reducer_<name>` ones,
// each group in byte order, so the reducer list (and each reducer's id) is the lifecycle reducers by kind
// (client_connected, client_disconnected, init) and then the others sorted by name. Lifecycle reducers and
// scheduled reducers are Private: clients cannot call them.
#pragma once

#include "spacetimedb/internal/for_each.h"
#include "spacetimedb/internal/module_builder.h"
#include "spacetimedb/internal/preinit.h"
#include "spacetimedb/outcome.h"
#include "spacetimedb/reducer_context.h"

#define SPACETIMEDB_REDUCER(name, ctx_param, ...)                                                              \
  ::SpacetimeDB::ReducerResult name(ctx_param __VA_OPT__(, ) __VA_ARGS__);                                     \
  SPACETIMEDB_PREINIT("__preinit__30_reducer_" #name, _spacetimedb_preinit_reducer_##name) {                   \
    ::SpacetimeDB::Internal::RegisterReducer(#name, &name, #__VA_ARGS__);                                      \
  }                                                                                                            \
  ::SpacetimeDB::ReducerResult name(ctx_param __VA_OPT__(, ) __VA_ARGS__)

#define SPACETIMEDB_REDUCER_NAMED(name, canonical_name, ctx_param, ...)                                        \
  ::SpacetimeDB::ReducerResult name(ctx_param __VA_OPT__(, ) __VA_ARGS__);                                     \
  SPACETIMEDB_PREINIT("__preinit__30_reducer_" #name, _spacetimedb_preinit_reducer_##name) {                   \
    ::SpacetimeDB::Internal::RegisterReducer(#name, &name, #__VA_ARGS__);                                      \
    ::SpacetimeDB::Internal::ModuleBuilder::instance().RegisterExplicitName(                                   \
        ::SpacetimeDB::Internal::ExplicitNameKind::Function, #name, (canonical_name));                         \
  }                                                                                                            \
  ::SpacetimeDB::ReducerResult name(ctx_param __VA_OPT__(, ) __VA_ARGS__)

#define SPACETIMEDB_LIFECYCLE_REDUCER(kind_text, lifecycle, function_name, ctx_param)                          \
  ::SpacetimeDB::ReducerResult function_name(ctx_param);                                                       \
  SPACETIMEDB_PREINIT("__preinit__20_reducer_" kind_text, _spacetimedb_preinit_lifecycle_##function_name) {    \
    ::SpacetimeDB::Internal::RegisterLifecycleReducer(lifecycle, #function_name, &function_name);              \
  }                                                                                                            \
  ::SpacetimeDB::ReducerResult function_name(ctx_param)

#define SPACETIMEDB_INIT(function_name, ctx_param) \
  SPACETIMEDB_LIFECYCLE_REDUCER("init", ::SpacetimeDB::Internal::Lifecycle::Init, function_name, ctx_param)
#define SPACETIMEDB_CLIENT_CONNECTED(function_name, ctx_param)                                          \
  SPACETIMEDB_LIFECYCLE_REDUCER("client_connected", ::SpacetimeDB::Internal::Lifecycle::OnConnect, \
                                function_name, ctx_param)
#define SPACETIMEDB_CLIENT_DISCONNECTED(function_name, ctx_param)                                          \
  SPACETIMEDB_LIFECYCLE_REDUCER("client_disconnected", ::SpacetimeDB::Internal::Lifecycle::OnDisconnect, \
                                function_name, ctx_param)
