// Thin wrappers over the host imports that every part of the SDK needs: draining a BytesSource, filling a
// BytesSink, resolving table and index names to ids (cached), and turning an unexpected errno into a trap with a
// message in the module log.
//
// Name resolution is cached for the life of the instance: ids only change when the module is republished,
// and a republish creates new instances. The caches are cleared with the rest of the module state in preinit 01.
//
// Thread-safety: none; a module instance is single-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spacetimedb/abi/status.h"

namespace SpacetimeDB::Internal {

// All bytes of a source; a source of 0 (what the host passes for an empty payload) yields nothing.
std::vector<uint8_t> ReadBytesSource(BytesSource source);
// Appends all of `data` to the sink, looping in case the host accepts less than everything.
void WriteBytesSink(BytesSink sink, const uint8_t* data, size_t size);
inline void WriteBytesSink(BytesSink sink, std::string_view text) {
  WriteBytesSink(sink, reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

// The id of a table by name; traps if the host does not know it.
TableId ResolveTableId(std::string_view table_name);
// The id of an index by name; traps if the host does not know it.
IndexId ResolveIndexId(std::string_view index_name);
// The id of the btree index the FIELD_* macros declare on `columns` ("<table>_<columns>_idx_btree").
IndexId ResolveIndexId(std::string_view table_name, std::string_view columns);
void ClearIdCaches();

// Traps with "<operation> failed: <errno name> (<n>)" unless `status` is 0.
void CheckHostCall(int32_t status, std::string_view operation);

}  // namespace SpacetimeDB::Internal
