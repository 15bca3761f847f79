// Byte sources and sinks, cached name resolution and errno reporting (see internal/host_calls.h).
#include "spacetimedb/internal/host_calls.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "spacetimedb/abi/host_imports.h"
#include "spacetimedb/internal/module_builder.h"
#include "spacetimedb/logger.h"

namespace SpacetimeDB {

const char* StatusCode::to_string(Status status) {
  switch (status.inner) {
    case 0: return "OK";
    case 1: return "HOST_CALL_FAILURE";
    case 2: return "NOT_IN_TRANSACTION";
    case 3: return "BSATN_DECODE_ERROR";
    case 4: return "NO_SUCH_TABLE";
    case 5: return "NO_SUCH_INDEX";
    case 6: return "NO_SUCH_ITER";
    case 7: return "NO_SUCH_CONSOLE_TIMER";
    case 8: return "NO_SUCH_BYTES";
    case 9: return "NO_SPACE";
    case 10: return "WRONG_INDEX_ALGO";
    case 11: return "BUFFER_TOO_SMALL";
    case 12: return "UNIQUE_ALREADY_EXISTS";
    case 13: return "SCHEDULE_AT_DELAY_TOO_LONG";
    case 14: return "INDEX_NOT_UNIQUE";
    case 15: return "NO_SUCH_ROW";
    case 16: return "AUTO_INC_OVERFLOW";
    case 17: return "WOULD_BLOCK_TRANSACTION";
    case 18: return "TRANSACTION_NOT_ANONYMOUS";
    case 19: return "TRANSACTION_IS_READ_ONLY";
    case 20: return "TRANSACTION_IS_MUT";
    case 21: return "HTTP_ERROR";
    default: return "UNKNOWN_ERROR";
  }
}

std::string format_status(Status status) {
  return std::string(StatusCode::to_string(status)) + " (" + std::to_string(status.inner) + ")";
}

namespace Internal {

namespace {

// bytes_source_read returns -1 once the source is drained (and freed), apart from the u16 errnos.
constexpr int32_t kSourceDrained = -1;

std::map<std::string, uint32_t, std::less<>>& TableIds() {
  static std::map<std::string, uint32_t, std::less<>> ids;
  return ids;
}

std::map<std::string, uint32_t, std::less<>>& IndexIds() {
  static std::map<std::string, uint32_t, std::less<>> ids;
  return ids;
}

// Index ids by (table, columns): accessors ask on every ctx.db[...] and must not build the name each time.
struct TableColumnsLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::tie(a.first, a.second) < std::tie(b.first, b.second);
  }
};
using TableColumns = std::pair<std::string, std::string>;
std::map<TableColumns, uint32_t, TableColumnsLess>& FieldIndexIds() {
  static std::map<TableColumns, uint32_t, TableColumnsLess> ids;
  return ids;
}

}  // namespace

std::vector<uint8_t> ReadBytesSource(BytesSource source) {
  std::vector<uint8_t> bytes;
  if (!source.is_valid()) return bytes;
  size_t used = 0;
  // Sized from the host's count, so one read normally drains the source (the loop covers a host that sends more).
  uint32_t remaining = 0;
  if (abi::bytes_source_remaining_length(source.inner, &remaining) != 0) remaining = 1024;
  bytes.resize(std::max<size_t>(remaining, 1));
  for (;;) {
    if (used == bytes.size()) bytes.resize(bytes.size() * 2);
    uint32_t length = static_cast<uint32_t>(bytes.size() - used);
    const int32_t status = abi::bytes_source_read(source.inner, bytes.data() + used, &length);
    used += length;
    if (status == kSourceDrained) break;
    CheckHostCall(status, "bytes_source_read");
    // More remains but nothing came: looping again would never end.
    if (length == 0) fatal_error("bytes_source_read made no progress");
  }
  bytes.resize(used);
  return bytes;
}

void WriteBytesSink(BytesSink sink, const uint8_t* data, size_t size) {
  static const uint8_t kNonNull = 0;  // the host traps on a null pointer, even for zero bytes
  if (size == 0) data = &kNonNull;
  size_t written = 0;
  do {
    uint32_t length = static_cast<uint32_t>(size - written);
    CheckHostCall(abi::bytes_sink_write(sink.inner, data + written, &length), "bytes_sink_write");
    if (length == 0 && written < size) fatal_error("bytes_sink_write accepted nothing");
    written += length;
  } while (written < size);
}

TableId ResolveTableId(std::string_view table_name) {
  auto& ids = TableIds();
  if (auto it = ids.find(table_name); it != ids.end()) return TableId(it->second);
  uint32_t id = 0;
  const int32_t status = abi::table_id_from_name(reinterpret_cast<const uint8_t*>(table_name.data()),
                                                 static_cast<uint32_t>(table_name.size()), &id);
  if (status != 0) fatal_error("no table named \"" + std::string(table_name) + "\": " + format_status(Status(static_cast<uint16_t>(status))));
  ids.emplace(std::string(table_name), id);
  return TableId(id);
}

IndexId ResolveIndexId(std::string_view index_name) {
  auto& ids = IndexIds();
  if (auto it = ids.find(index_name); it != ids.end()) return IndexId(it->second);
  uint32_t id = 0;
  const int32_t status = abi::index_id_from_name(reinterpret_cast<const uint8_t*>(index_name.data()),
                                                 static_cast<uint32_t>(index_name.size()), &id);
  if (status != 0) fatal_error("no index named \"" + std::string(index_name) + "\": " + format_status(Status(static_cast<uint16_t>(status))));
  ids.emplace(std::string(index_name), id);
  return IndexId(id);
}

IndexId ResolveIndexId(std::string_view table_name, std::string_view columns) {
  auto& ids = FieldIndexIds();
  const std::pair<std::string_view, std::string_view> key(table_name, columns);
  if (auto it = ids.find(key); it != ids.end()) return IndexId(it->second);
  const IndexId id = ResolveIndexId(IndexSourceName(table_name, columns));
  ids.emplace(TableColumns(table_name, columns), id.inner);
  return id;
}

void ClearIdCaches() {
  TableIds().clear();
  IndexIds().clear();
  FieldIndexIds().clear();
}

void CheckHostCall(int32_t status, std::string_view operation) {
  if (status == 0) return;
  fatal_error(std::string(operation) + " failed: " + format_status(Status(static_cast<uint16_t>(status))));
}

}  // namespace Internal
}  // namespace SpacetimeDB
