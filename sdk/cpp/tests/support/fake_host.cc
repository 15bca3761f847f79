// The in-memory host of the SDK's native tests (see fake_host.h).
#include "fake_host.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "spacetimedb/abi/host_imports.h"
#include "spacetimedb/internal/preinit.h"

extern "C" void __describe_module__(uint32_t description_sink);
extern "C" int32_t __call_reducer__(uint32_t reducer_id, uint64_t sender_0, uint64_t sender_1, uint64_t sender_2,
                                    uint64_t sender_3, uint64_t connection_id_0, uint64_t connection_id_1,
                                    uint64_t timestamp_micros, uint32_t args_source, uint32_t error_sink);

namespace stdb::sdk_test {

namespace {

constexpr int32_t kOk = 0;
constexpr int32_t kExhausted = -1;
constexpr int32_t kBsatnDecodeError = 3;
constexpr int32_t kNoSuchTable = 4;
constexpr int32_t kNoSuchIndex = 5;
constexpr int32_t kNoSuchIter = 6;
constexpr int32_t kNoSuchConsoleTimer = 7;
constexpr int32_t kNoSuchBytes = 8;
constexpr int32_t kBufferTooSmall = 11;
constexpr int32_t kUniqueAlreadyExists = 12;
constexpr int32_t kIndexNotUnique = 14;
constexpr int32_t kNoSuchRow = 15;

std::string Text(const uint8_t* p, uint32_t n) { return std::string(reinterpret_cast<const char*>(p), n); }

bool IsZeroInteger(const sats::AlgebraicValue& v) {
  sats::i128 n = 0;
  if (v.ToInt128(&n)) return n == 0;
  if (v.is<sats::u128>()) return v.as<sats::u128>() == 0;
  if (v.is<sats::i128>()) return v.as<sats::i128>() == 0;
  return false;
}

// The sequence value as a value of the column's integer type.
sats::AlgebraicValue IntegerOfType(const sats::AlgebraicType& type, sats::i128 n) {
  switch (type.tag()) {
    case sats::TypeTag::kI8: return sats::AlgebraicValue::I8(static_cast<int8_t>(n));
    case sats::TypeTag::kU8: return sats::AlgebraicValue::U8(static_cast<uint8_t>(n));
    case sats::TypeTag::kI16: return sats::AlgebraicValue::I16(static_cast<int16_t>(n));
    case sats::TypeTag::kU16: return sats::AlgebraicValue::U16(static_cast<uint16_t>(n));
    case sats::TypeTag::kI32: return sats::AlgebraicValue::I32(static_cast<int32_t>(n));
    case sats::TypeTag::kU32: return sats::AlgebraicValue::U32(static_cast<uint32_t>(n));
    case sats::TypeTag::kI64: return sats::AlgebraicValue::I64(static_cast<int64_t>(n));
    case sats::TypeTag::kU64: return sats::AlgebraicValue::U64(static_cast<uint64_t>(n));
    case sats::TypeTag::kI128: return sats::AlgebraicValue::I128(n);
    case sats::TypeTag::kU128: return sats::AlgebraicValue::U128(static_cast<sats::u128>(n));
    default: return sats::AlgebraicValue::U64(static_cast<uint64_t>(n));
  }
}

}  // namespace

FakeHost& FakeHost::Get() {
  static FakeHost host;
  return host;
}

int32_t FakeHost::Violation(std::string what, int32_t errno_value) {
  violations.push_back(std::move(what));
  return errno_value;
}

// --- module lifecycle ------------------------------------------------------------------------------------------

void FakeHost::LoadModule() {
  tables_.clear();
  indexes_.clear();
  iterators_.clear();
  sources_.clear();
  sinks_.clear();
  timers_.clear();
  logs.clear();
  violations.clear();
  next_handle_ = 1;
  iterators_created = 0;
  largest_iter_buffer = 0;
  buffer_too_small_count = 0;
  {
    uint8_t bytes[32];
    for (int i = 0; i < 32; ++i) bytes[i] = static_cast<uint8_t>(0xd0 + i);
    database_identity = sats::Identity::FromLittleEndian(bytes);
  }

  SpacetimeDB::Internal::RunPreinitsInHostOrder();
  const uint32_t sink = next_handle_++;
  sinks_[sink] = {};
  __describe_module__(sink);
  module_def_bytes_ = sinks_[sink];
  EndCall();

  auto decoded = DecodeModuleDef(module_def_bytes_);
  if (!decoded.ok()) {
    Violation("module definition does not decode: " + decoded.error().message(), 0);
    module_def_ = {};
    return;
  }
  module_def_ = std::move(*decoded);
  for (const TableView& view : module_def_.tables) {
    Table table;
    table.name = view.name;
    table.row_type = sats::AlgebraicType::Ref(view.type_ref);
    for (const SequenceView& sequence : view.sequences) table.next_sequence_value[sequence.column] = sequence.start.value_or(1);
    tables_.push_back(std::move(table));
    const auto table_id = static_cast<uint32_t>(tables_.size());
    for (const IndexView& index : view.indexes) {
      const bool unique = std::any_of(view.constraints.begin(), view.constraints.end(),
                                      [&](const ConstraintView& c) { return c.unique_columns == index.columns; });
      indexes_.push_back(Index{index.source_name.value_or(""), table_id, index.columns, unique});
    }
  }
}

ReducerCall FakeHost::CallReducer(std::string_view name, const sats::Bytes& args, const sats::Identity& sender,
                                  sats::u128 connection_id, int64_t timestamp_micros) {
  const int id = module_def_.reducer_id(name);
  if (id < 0) {
    Violation("no reducer named " + std::string(name), 0);
    return ReducerCall{-100, "no such reducer"};
  }
  return CallReducerById(static_cast<uint32_t>(id), args, sender, connection_id, timestamp_micros);
}

ReducerCall FakeHost::CallReducerById(uint32_t id, const sats::Bytes& args, const sats::Identity& sender,
                                      sats::u128 connection_id, int64_t timestamp_micros) {
  const std::vector<Table> before = tables_;
  uint64_t words[4];
  std::memcpy(words, sender.le_bytes().data(), 32);
  const uint32_t source = NewSource(args);
  const uint32_t sink = next_handle_++;
  sinks_[sink] = {};
  ReducerCall call;
  call.code = __call_reducer__(id, words[0], words[1], words[2], words[3], static_cast<uint64_t>(connection_id),
                               static_cast<uint64_t>(connection_id >> 64), static_cast<uint64_t>(timestamp_micros),
                               source, sink);
  call.error = Text(sinks_[sink].data(), static_cast<uint32_t>(sinks_[sink].size()));
  if (call.code != 0) tables_ = before;
  EndCall();
  return call;
}

void FakeHost::EndCall() {
  // Like the host: byte sources and sinks live for one call. Row iterators are not cleaned up.
  sources_.clear();
  sinks_.clear();
  next_handle_ = 1;
}

std::vector<sats::AlgebraicValue> FakeHost::Rows(std::string_view table) const {
  std::vector<sats::AlgebraicValue> rows;
  for (const Table& t : tables_) {
    if (t.name != table) continue;
    for (const sats::Bytes& bytes : t.rows) {
      auto row = DecodeRow(t, bytes);
      if (row.ok()) rows.push_back(std::move(*row));
    }
  }
  return rows;
}

void FakeHost::InsertRow(std::string_view table, const sats::AlgebraicValue& row) {
  for (Table& t : tables_)
    if (t.name == table) t.rows.push_back(Encode(row));
}

// --- helpers -----------------------------------------------------------------------------------------------

FakeHost::Table* FakeHost::FindTable(uint32_t id) { return id >= 1 && id <= tables_.size() ? &tables_[id - 1] : nullptr; }

FakeHost::Index* FakeHost::FindIndex(uint32_t id) {
  return id >= 1 && id <= indexes_.size() ? &indexes_[id - 1] : nullptr;
}

Result<sats::AlgebraicValue> FakeHost::DecodeRow(const Table& table, sats::ByteSpan bytes) const {
  return sats::bsatn::DecodeValue(table.row_type, bytes, &module_def_.typespace);
}

sats::AlgebraicType FakeHost::ColumnType(const Table& table, uint16_t column) const {
  auto resolved = module_def_.typespace.Resolve(table.row_type);
  return (*resolved)->product().elements.at(column).type;
}

sats::AlgebraicValue FakeHost::Key(const Index& index, const sats::AlgebraicValue& row) const {
  const auto& columns = row.AsProduct().elements;
  if (index.columns.size() == 1) return columns.at(index.columns[0]);
  std::vector<sats::AlgebraicValue> key;
  for (uint16_t c : index.columns) key.push_back(columns.at(c));
  return sats::AlgebraicValue::Product(std::move(key));
}

uint32_t FakeHost::NewIterator(std::vector<sats::Bytes> rows) {
  std::deque<sats::Bytes> chunks;
  sats::Bytes chunk;
  for (const sats::Bytes& row : rows) {
    chunk.insert(chunk.end(), row.begin(), row.end());
    if (chunk.size() > chunk_bytes) chunks.push_back(std::move(chunk)), chunk.clear();
  }
  if (!chunk.empty()) chunks.push_back(std::move(chunk));
  const uint32_t id = next_iterator_++;
  iterators_[id] = std::move(chunks);
  ++iterators_created;
  return id;
}

uint32_t FakeHost::NewSource(sats::Bytes bytes) {
  if (bytes.empty()) return 0;  // the host never registers an empty payload
  const uint32_t id = next_handle_++;
  sources_[id] = Source{std::move(bytes), 0};
  return id;
}

bool FakeHost::UniqueViolation(const Table& table, const sats::AlgebraicValue& row, std::optional<size_t> ignore) const {
  const auto table_id = static_cast<uint32_t>(&table - tables_.data() + 1);
  for (const Index& index : indexes_) {
    if (index.table != table_id || !index.unique) continue;
    const sats::AlgebraicValue key = Key(index, row);
    for (size_t i = 0; i < table.rows.size(); ++i) {
      if (ignore && *ignore == i) continue;
      auto existing = DecodeRow(table, table.rows[i]);
      if (existing.ok() && Key(index, *existing) == key) return true;
    }
  }
  return false;
}

sats::Bytes FakeHost::FillSequences(Table& table, sats::AlgebraicValue& row) {
  sats::Bytes generated;
  auto& columns = row.AsProduct().elements;
  for (auto& [column, next] : table.next_sequence_value) {  // std::map: column order
    if (!IsZeroInteger(columns.at(column))) continue;
    columns[column] = IntegerOfType(ColumnType(table, column), next++);
    const sats::Bytes bytes = Encode(columns[column]);
    generated.insert(generated.end(), bytes.begin(), bytes.end());
  }
  return generated;
}

int32_t FakeHost::FinishScan(Table& table, const Index& index, std::vector<size_t> matches, uint32_t* out,
                             bool delete_matches) {
  std::vector<sats::AlgebraicValue> keys(table.rows.size());
  for (size_t i : matches) keys[i] = Key(index, *DecodeRow(table, table.rows[i]));
  std::stable_sort(matches.begin(), matches.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  if (delete_matches) {
    std::sort(matches.rbegin(), matches.rend());
    for (size_t i : matches) table.rows.erase(table.rows.begin() + static_cast<std::ptrdiff_t>(i));
    *out = static_cast<uint32_t>(matches.size());
    return kOk;
  }
  std::vector<sats::Bytes> rows;
  for (size_t i : matches) rows.push_back(table.rows[i]);
  *out = NewIterator(std::move(rows));
  return kOk;
}

// --- the ABI -----------------------------------------------------------------------------------------------

int32_t FakeHost::TableIdFromName(const uint8_t* name, uint32_t len, uint32_t* out) {
  if (!name || !out) return Violation("table_id_from_name: null pointer", kBsatnDecodeError);
  const std::string wanted = Text(name, len);
  for (size_t i = 0; i < tables_.size(); ++i) {
    if (tables_[i].name == wanted) {
      *out = static_cast<uint32_t>(i + 1);
      return kOk;
    }
  }
  return kNoSuchTable;
}

int32_t FakeHost::IndexIdFromName(const uint8_t* name, uint32_t len, uint32_t* out) {
  if (!name || !out) return Violation("index_id_from_name: null pointer", kBsatnDecodeError);
  const std::string wanted = Text(name, len);
  for (size_t i = 0; i < indexes_.size(); ++i) {
    if (indexes_[i].name == wanted) {
      *out = static_cast<uint32_t>(i + 1);
      return kOk;
    }
  }
  return kNoSuchIndex;
}

int32_t FakeHost::RowCount(uint32_t table_id, uint64_t* out) {
  Table* table = FindTable(table_id);
  if (!table) return kNoSuchTable;
  *out = table->rows.size();
  return kOk;
}

int32_t FakeHost::TableScan(uint32_t table_id, uint32_t* out) {
  Table* table = FindTable(table_id);
  if (!table) return kNoSuchTable;
  *out = NewIterator(table->rows);
  return kOk;
}

int32_t FakeHost::IndexScanPoint(uint32_t index_id, const uint8_t* point, uint32_t point_len, uint32_t* out,
                                 bool delete_matches) {
  if (!point || !out) return Violation("index point scan: null pointer", kBsatnDecodeError);
  Index* index = FindIndex(index_id);
  if (!index) return kNoSuchIndex;
  Table& table = *FindTable(index->table);
  sats::AlgebraicType key_type;
  if (index->columns.size() == 1) {
    key_type = ColumnType(table, index->columns[0]);
  } else {
    std::vector<sats::ProductTypeElement> elements;
    for (uint16_t c : index->columns) elements.push_back({std::nullopt, ColumnType(table, c)});
    key_type = sats::AlgebraicType::Product(sats::ProductType(std::move(elements)));
  }
  auto key = sats::bsatn::DecodeValue(key_type, sats::ByteSpan(point, point_len), &module_def_.typespace);
  if (!key.ok()) return kBsatnDecodeError;
  std::vector<size_t> matches;
  for (size_t i = 0; i < table.rows.size(); ++i)
    if (Key(*index, *DecodeRow(table, table.rows[i])) == *key) matches.push_back(i);
  return FinishScan(table, *index, std::move(matches), out, delete_matches);
}

int32_t FakeHost::IndexScanRange(uint32_t index_id, const uint8_t* prefix, uint32_t prefix_len, uint32_t prefix_elems,
                                 const uint8_t* rstart, uint32_t rstart_len, const uint8_t* rend, uint32_t rend_len,
                                 uint32_t* out, bool delete_matches) {
  if (!rstart || !rend || !out || (prefix_elems > 0 && !prefix))
    return Violation("index range scan: null pointer", kBsatnDecodeError);
  Index* index = FindIndex(index_id);
  if (!index) return kNoSuchIndex;
  Table& table = *FindTable(index->table);
  if (prefix_elems >= index->columns.size()) return kBsatnDecodeError;

  std::vector<sats::AlgebraicValue> prefix_values;
  if (prefix_elems > 0) {
    std::vector<sats::ProductTypeElement> elements;
    for (uint32_t i = 0; i < prefix_elems; ++i) elements.push_back({std::nullopt, ColumnType(table, index->columns[i])});
    auto decoded = sats::bsatn::DecodeValue(sats::AlgebraicType::Product(sats::ProductType(std::move(elements))),
                                            sats::ByteSpan(prefix, prefix_len), &module_def_.typespace);
    if (!decoded.ok()) return kBsatnDecodeError;
    prefix_values = decoded->AsProduct().elements;
  }
  const uint16_t range_column = index->columns[prefix_elems];
  const sats::AlgebraicType range_type = ColumnType(table, range_column);
  struct Bound {
    uint8_t tag = 2;
    sats::AlgebraicValue value;
  };
  auto decode_bound = [&](const uint8_t* p, uint32_t n, Bound* bound) {
    if (n < 1 || p[0] > 2) return false;
    bound->tag = p[0];
    if (bound->tag == 2) return n == 1;
    auto value = sats::bsatn::DecodeValue(range_type, sats::ByteSpan(p + 1, n - 1), &module_def_.typespace);
    if (!value.ok()) return false;
    bound->value = std::move(*value);
    return true;
  };
  Bound start, end;
  if (!decode_bound(rstart, rstart_len, &start) || !decode_bound(rend, rend_len, &end)) return kBsatnDecodeError;

  std::vector<size_t> matches;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const sats::AlgebraicValue row = *DecodeRow(table, table.rows[i]);
    const auto& columns = row.AsProduct().elements;
    bool match = true;
    for (uint32_t p = 0; p < prefix_elems && match; ++p) match = columns[index->columns[p]] == prefix_values[p];
    const sats::AlgebraicValue& v = columns[range_column];
    if (match && start.tag == 0) match = v >= start.value;
    if (match && start.tag == 1) match = v > start.value;
    if (match && end.tag == 0) match = v <= end.value;
    if (match && end.tag == 1) match = v < end.value;
    if (match) matches.push_back(i);
  }
  return FinishScan(table, *index, std::move(matches), out, delete_matches);
}

int32_t FakeHost::DeleteAllByEq(uint32_t table_id, const uint8_t* rel, uint32_t rel_len, uint32_t* out) {
  if (!rel || !out) return Violation("datastore_delete_all_by_eq_bsatn: null pointer", kBsatnDecodeError);
  Table* table = FindTable(table_id);
  if (!table) return kNoSuchTable;
  sats::bsatn::Reader reader(sats::ByteSpan(rel, rel_len));
  const uint32_t count = reader.U32();
  std::vector<sats::Bytes> doomed;
  for (uint32_t i = 0; i < count && reader.ok(); ++i) {
    auto row = sats::bsatn::DecodeValue(table->row_type, &module_def_.typespace, reader);
    if (!row.ok()) return kBsatnDecodeError;
    doomed.push_back(Encode(*row));
  }
  if (!reader.ok() || !reader.at_end()) return kBsatnDecodeError;
  uint32_t deleted = 0;
  for (const sats::Bytes& bytes : doomed) {
    auto it = std::find(table->rows.begin(), table->rows.end(), bytes);
    if (it != table->rows.end()) {
      table->rows.erase(it);
      ++deleted;
    }
  }
  *out = deleted;
  return kOk;
}

int32_t FakeHost::IterAdvance(uint32_t iter, uint8_t* buf, uint32_t* buf_len) {
  if (!buf || !buf_len) return Violation("row_iter_bsatn_advance: null pointer", kNoSuchIter);
  auto it = iterators_.find(iter);
  if (it == iterators_.end()) return Violation("row_iter_bsatn_advance: unknown iterator", kNoSuchIter);
  const uint32_t capacity = *buf_len;
  largest_iter_buffer = std::max(largest_iter_buffer, capacity);
  auto& chunks = it->second;
  uint32_t written = 0;
  while (!chunks.empty() && written + chunks.front().size() <= capacity) {
    std::memcpy(buf + written, chunks.front().data(), chunks.front().size());
    written += static_cast<uint32_t>(chunks.front().size());
    chunks.pop_front();
  }
  if (chunks.empty()) {
    iterators_.erase(it);
    *buf_len = written;
    return kExhausted;
  }
  if (written == 0) {
    ++buffer_too_small_count;
    *buf_len = static_cast<uint32_t>(chunks.front().size());
    return kBufferTooSmall;
  }
  *buf_len = written;
  return kOk;
}

int32_t FakeHost::IterClose(uint32_t iter) {
  if (iterators_.erase(iter) == 0) return Violation("row_iter_bsatn_close: unknown iterator", kNoSuchIter);
  return kOk;
}

int32_t FakeHost::Insert(uint32_t table_id, uint8_t* row, uint32_t* row_len) {
  if (!row || !row_len) return Violation("datastore_insert_bsatn: null pointer", kBsatnDecodeError);
  Table* table = FindTable(table_id);
  if (!table) return kNoSuchTable;
  auto decoded = DecodeRow(*table, sats::ByteSpan(row, *row_len));
  if (!decoded.ok()) return kBsatnDecodeError;
  const sats::Bytes generated = FillSequences(*table, *decoded);
  const sats::Bytes bytes = Encode(*decoded);
  if (std::find(table->rows.begin(), table->rows.end(), bytes) == table->rows.end()) {
    if (UniqueViolation(*table, *decoded, std::nullopt)) return kUniqueAlreadyExists;
    table->rows.push_back(bytes);
  }
  if (generated.size() > *row_len) return Violation("insert: no room for the generated values", kBsatnDecodeError);
  if (!generated.empty()) std::memcpy(row, generated.data(), generated.size());
  *row_len = static_cast<uint32_t>(generated.size());
  return kOk;
}

int32_t FakeHost::Update(uint32_t table_id, uint32_t index_id, uint8_t* row, uint32_t* row_len) {
  if (!row || !row_len) return Violation("datastore_update_bsatn: null pointer", kBsatnDecodeError);
  Table* table = FindTable(table_id);
  if (!table) return kNoSuchTable;
  Index* index = FindIndex(index_id);
  if (!index || index->table != table_id) return kNoSuchIndex;
  if (!index->unique) return kIndexNotUnique;
  auto decoded = DecodeRow(*table, sats::ByteSpan(row, *row_len));
  if (!decoded.ok()) return kBsatnDecodeError;
  const sats::AlgebraicValue key = Key(*index, *decoded);
  std::optional<size_t> position;
  for (size_t i = 0; i < table->rows.size() && !position; ++i)
    if (Key(*index, *DecodeRow(*table, table->rows[i])) == key) position = i;
  if (!position) return kNoSuchRow;
  const sats::Bytes generated = FillSequences(*table, *decoded);
  if (UniqueViolation(*table, *decoded, position)) return kUniqueAlreadyExists;
  table->rows[*position] = Encode(*decoded);
  if (!generated.empty()) std::memcpy(row, generated.data(), generated.size());
  *row_len = static_cast<uint32_t>(generated.size());
  return kOk;
}

int32_t FakeHost::Clear(uint32_t table_id, uint64_t* out) {
  Table* table = FindTable(table_id);
  if (!table) return kNoSuchTable;
  *out = table->rows.size();
  table->rows.clear();
  return kOk;
}

int32_t FakeHost::SourceRead(uint32_t source, uint8_t* buf, uint32_t* buf_len) {
  if (!buf || !buf_len) return Violation("bytes_source_read: null pointer", kNoSuchBytes);
  auto it = sources_.find(source);
  if (it == sources_.end()) return Violation("bytes_source_read: unknown source", kNoSuchBytes);
  Source& s = it->second;
  const size_t n = std::min<size_t>(*buf_len, s.bytes.size() - s.offset);
  std::memcpy(buf, s.bytes.data() + s.offset, n);
  s.offset += n;
  *buf_len = static_cast<uint32_t>(n);
  if (s.offset == s.bytes.size()) {
    sources_.erase(it);
    return kExhausted;
  }
  return kOk;
}

int32_t FakeHost::SourceRemaining(uint32_t source, uint32_t* out) {
  auto it = sources_.find(source);
  if (it == sources_.end()) return kNoSuchBytes;
  *out = static_cast<uint32_t>(it->second.bytes.size() - it->second.offset);
  return kOk;
}

int32_t FakeHost::SinkWrite(uint32_t sink, const uint8_t* buf, uint32_t* buf_len) {
  if (!buf || !buf_len) return Violation("bytes_sink_write: null pointer", kNoSuchBytes);
  auto it = sinks_.find(sink);
  if (it == sinks_.end()) return Violation("bytes_sink_write: unknown sink", kNoSuchBytes);
  it->second.insert(it->second.end(), buf, buf + *buf_len);
  return kOk;
}

void FakeHost::ConsoleLog(uint32_t level, const uint8_t* target, uint32_t target_len, const uint8_t* filename,
                          uint32_t filename_len, uint32_t line, const uint8_t* message, uint32_t message_len) {
  if (!message) Violation("console_log: null message", 0);
  LogRecord record;
  record.level = level;
  if (target) record.target = Text(target, target_len);
  if (filename) record.filename = Text(filename, filename_len);
  record.line = line;
  if (message) record.message = Text(message, message_len);
  logs.push_back(std::move(record));
}

uint32_t FakeHost::TimerStart(const uint8_t* name, uint32_t len) {
  if (!name) Violation("console_timer_start: null name", 0);
  const uint32_t id = next_timer_++;
  timers_[id] = name ? Text(name, len) : "";
  return id;
}

int32_t FakeHost::TimerEnd(uint32_t timer) {
  auto it = timers_.find(timer);
  if (it == timers_.end()) return kNoSuchConsoleTimer;
  LogRecord record;
  record.level = 2;
  record.message = "Timing span \"" + it->second + "\"";
  logs.push_back(std::move(record));
  timers_.erase(it);
  return kOk;
}

void FakeHost::WriteIdentity(uint8_t* out) { std::memcpy(out, database_identity.le_bytes().data(), 32); }

}  // namespace stdb::sdk_test

// --- the imports, as the SDK declares them ---------------------------------------------------------------------

namespace SpacetimeDB::abi {
using stdb::sdk_test::FakeHost;

extern "C" {

int32_t table_id_from_name(const uint8_t* name, uint32_t name_len, uint32_t* out) {
  return FakeHost::Get().TableIdFromName(name, name_len, out);
}
int32_t index_id_from_name(const uint8_t* name, uint32_t name_len, uint32_t* out) {
  return FakeHost::Get().IndexIdFromName(name, name_len, out);
}
int32_t datastore_table_row_count(uint32_t table_id, uint64_t* out) { return FakeHost::Get().RowCount(table_id, out); }
int32_t datastore_table_scan_bsatn(uint32_t table_id, uint32_t* out) { return FakeHost::Get().TableScan(table_id, out); }
int32_t datastore_index_scan_range_bsatn(uint32_t index_id, const uint8_t* prefix, uint32_t prefix_len,
                                         uint32_t prefix_elems, const uint8_t* rstart, uint32_t rstart_len,
                                         const uint8_t* rend, uint32_t rend_len, uint32_t* out) {
  return FakeHost::Get().IndexScanRange(index_id, prefix, prefix_len, prefix_elems, rstart, rstart_len, rend, rend_len,
                                        out, false);
}
int32_t datastore_delete_by_index_scan_range_bsatn(uint32_t index_id, const uint8_t* prefix, uint32_t prefix_len,
                                                   uint32_t prefix_elems, const uint8_t* rstart, uint32_t rstart_len,
                                                   const uint8_t* rend, uint32_t rend_len, uint32_t* out) {
  return FakeHost::Get().IndexScanRange(index_id, prefix, prefix_len, prefix_elems, rstart, rstart_len, rend, rend_len,
                                        out, true);
}
int32_t datastore_delete_all_by_eq_bsatn(uint32_t table_id, const uint8_t* rel, uint32_t rel_len, uint32_t* out) {
  return FakeHost::Get().DeleteAllByEq(table_id, rel, rel_len, out);
}
int32_t row_iter_bsatn_advance(uint32_t iter, uint8_t* buf, uint32_t* buf_len) {
  return FakeHost::Get().IterAdvance(iter, buf, buf_len);
}
int32_t row_iter_bsatn_close(uint32_t iter) { return FakeHost::Get().IterClose(iter); }
int32_t datastore_insert_bsatn(uint32_t table_id, uint8_t* row, uint32_t* row_len) {
  return FakeHost::Get().Insert(table_id, row, row_len);
}
int32_t datastore_update_bsatn(uint32_t table_id, uint32_t index_id, uint8_t* row, uint32_t* row_len) {
  return FakeHost::Get().Update(table_id, index_id, row, row_len);
}
int32_t bytes_source_read(uint32_t source, uint8_t* buf, uint32_t* buf_len) {
  return FakeHost::Get().SourceRead(source, buf, buf_len);
}
int32_t bytes_sink_write(uint32_t sink, const uint8_t* buf, uint32_t* buf_len) {
  return FakeHost::Get().SinkWrite(sink, buf, buf_len);
}
void console_log(uint32_t level, const uint8_t* target, uint32_t target_len, const uint8_t* filename,
                 uint32_t filename_len, uint32_t line_number, const uint8_t* message, uint32_t message_len) {
  FakeHost::Get().ConsoleLog(level, target, target_len, filename, filename_len, line_number, message, message_len);
}
uint32_t console_timer_start(const uint8_t* name, uint32_t name_len) { return FakeHost::Get().TimerStart(name, name_len); }
int32_t console_timer_end(uint32_t timer_id) { return FakeHost::Get().TimerEnd(timer_id); }
void identity(uint8_t* out) { FakeHost::Get().WriteIdentity(out); }
void volatile_nonatomic_schedule_immediate(const uint8_t*, uint32_t, const uint8_t*, uint32_t) {}
int32_t bytes_source_remaining_length(uint32_t source, uint32_t* out) {
  return FakeHost::Get().SourceRemaining(source, out);
}
int32_t get_jwt(const uint8_t*, uint32_t* out) {
  *out = 0;
  return 0;
}
int32_t datastore_index_scan_point_bsatn(uint32_t index_id, const uint8_t* point, uint32_t point_len, uint32_t* out) {
  return FakeHost::Get().IndexScanPoint(index_id, point, point_len, out, false);
}
int32_t datastore_delete_by_index_scan_point_bsatn(uint32_t index_id, const uint8_t* point, uint32_t point_len,
                                                   uint32_t* out) {
  return FakeHost::Get().IndexScanPoint(index_id, point, point_len, out, true);
}
int32_t datastore_clear(uint32_t table_id, uint64_t* out) { return FakeHost::Get().Clear(table_id, out); }

}  // extern "C"
}  // namespace SpacetimeDB::abi
