// The SpacetimeDB C++ module SDK: include this one header.
//
//   #include <spacetimedb.h>
//   using namespace SpacetimeDB;
//
//   struct Person { uint32_t id; std::string name; };
//   SPACETIMEDB_STRUCT(Person, id, name);
//   SPACETIMEDB_TABLE(Person, person, Public);
//   FIELD_PrimaryKeyAutoInc(person, id);
//
//   SPACETIMEDB_REDUCER(add, ReducerContext ctx, std::string name) {
//     ctx.db[person].insert(Person{0, name});
//     return Ok();
//   }
//
// A module is compiled to wasm32 together with the SDK's sources (sdk/cpp/README.md gives the command); it then
// imports only spacetime_10.x host functions and exports __describe_module__, __call_reducer__ and one
// __preinit__ function per declaration. docs/modules.md is the reference for module authors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "spacetimedb/abi/status.h"
#include "spacetimedb/bsatn/algebraic_type.h"
#include "spacetimedb/bsatn/reader.h"
#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/bsatn/writer.h"
#include "spacetimedb/database.h"
#include "spacetimedb/enum_macros.h"
#include "spacetimedb/index_accessors.h"
#include "spacetimedb/logger.h"
#include "spacetimedb/module_settings.h"
#include "spacetimedb/outcome.h"
#include "spacetimedb/random.h"
#include "spacetimedb/range_queries.h"
#include "spacetimedb/reducer_context.h"
#include "spacetimedb/reducer_macros.h"
#include "spacetimedb/struct_macros.h"
#include "spacetimedb/table.h"
#include "spacetimedb/table_macros.h"
#include "spacetimedb/types/aliases.h"
#include "spacetimedb/types/connection_id.h"
#include "spacetimedb/types/identity.h"
#include "spacetimedb/types/result.h"
#include "spacetimedb/types/schedule_at.h"
#include "spacetimedb/types/time_duration.h"
#include "spacetimedb/types/timestamp.h"
#include "spacetimedb/types/uuid.h"
#include "spacetimedb/types/wide_int.h"
