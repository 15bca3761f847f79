#include "host/spacetime_imports.h"

#include <cstring>

#include "host/abi_errno.h"
#include "sats/utf8.h"
#include "table/table_index.h"

namespace stdb::host {

namespace {

using table::RowId;
using table::TableIndex;
using table::TableId;

constexpr ValueType I32 = ValueType::kI32;
constexpr ValueType I64 = ValueType::kI64;

InstanceEnv* Env(void* user) { return static_cast<InstanceEnv*>(user); }

Error Trap(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

// Guest memory [ptr, ptr+len); NULL traps even for an empty range (§1.2).
Result<std::span<uint8_t>> Buf(HostCall& c, uint32_t ptr, uint32_t len, const char* what) {
  if (ptr == 0) return Trap(std::string(c.import().name) + ": " + what + " is a null pointer");
  auto r = c.MemoryRange(ptr, len);
  if (!r.ok()) return Trap(std::string(c.import().name) + ": " + what + ": " + r.error().message());
  return r;
}

Result<uint32_t> ReadU32(HostCall& c, uint32_t ptr, const char* what) {
  STDB_ASSIGN_OR_RETURN(auto b, Buf(c, ptr, 4, what));
  uint32_t v;
  std::memcpy(&v, b.data(), 4);
  return v;
}

Status WriteBytes(HostCall& c, uint32_t ptr, const void* data, size_t n, const char* what) {
  STDB_ASSIGN_OR_RETURN(auto b, Buf(c, ptr, uint32_t(n), what));
  std::memcpy(b.data(), data, n);
  return OkStatus();
}

Status WriteU32(HostCall& c, uint32_t ptr, uint32_t v, const char* what) { return WriteBytes(c, ptr, &v, 4, what); }
Status WriteU64(HostCall& c, uint32_t ptr, uint64_t v, const char* what) { return WriteBytes(c, ptr, &v, 8, what); }

Result<std::string> Utf8(HostCall& c, uint32_t ptr, uint32_t len, const char* what) {
  STDB_ASSIGN_OR_RETURN(auto b, Buf(c, ptr, len, what));
  if (!sats::IsValidUtf8(b.data(), b.size()))
    return Trap(std::string(c.import().name) + ": " + what + " is not valid UTF-8");
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// Lossy UTF-8 (log strings): invalid sequences become U+FFFD.
std::string Lossy(std::span<const uint8_t> b) {
  std::string out;
  size_t i = 0;
  while (i < b.size()) {
    size_t len = b[i] < 0x80 ? 1 : (b[i] & 0xE0) == 0xC0 ? 2 : (b[i] & 0xF0) == 0xE0 ? 3 : (b[i] & 0xF8) == 0xF0 ? 4 : 0;
    if (len && i + len <= b.size() && sats::IsValidUtf8(b.data() + i, len)) {
      out.append(reinterpret_cast<const char*>(b.data() + i), len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

Status Return(HostCall& c, int32_t v) {
  c.Return(WasmValue::I32(v));
  return OkStatus();
}

// A datastore error becomes its errno, or a trap when the reference has none for it.
Status DatastoreError(HostCall& c, Error e) {
  if (auto n = abi::ErrnoFor(e)) return Return(c, *n);
  return e;
}

#define REQUIRE_TX(c, env) \
  if (!(env)->tx) return Return(c, abi::kNotInTransaction)

// Collects rows into an iterator and writes its handle to `out`.
Status ReturnIterator(HostCall& c, InstanceEnv* env, RowChunker& chunker, uint32_t out) {
  uint32_t id = env->AddIterator(chunker.Finish());
  Status s = WriteU32(c, out, id, "out");
  if (!s.ok()) {
    env->CloseIterator(id);
    return s;
  }
  return Return(c, abi::kOk);
}

// --- names -----------------------------------------------------------------------------------------------------

Status TableIdFromName(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  STDB_ASSIGN_OR_RETURN(std::string name, Utf8(c, c.ArgU32(0), c.ArgU32(1), "name"));
  REQUIRE_TX(c, env);
  auto id = env->tx->TableIdFromName(name);
  if (!id.ok()) return Return(c, abi::kNoSuchTable);
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(2), *id, "out"));
  return Return(c, abi::kOk);
}

Status IndexIdFromName(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  STDB_ASSIGN_OR_RETURN(std::string name, Utf8(c, c.ArgU32(0), c.ArgU32(1), "name"));
  REQUIRE_TX(c, env);
  auto id = env->tx->IndexIdFromName(name);
  if (!id.ok()) return Return(c, abi::kNoSuchIndex);
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(2), id->second, "out"));
  return Return(c, abi::kOk);
}

// --- reads -----------------------------------------------------------------------------------------------------

Status TableRowCount(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  REQUIRE_TX(c, env);
  const table::Table* t = env->tx->GetTable(c.ArgU32(0));
  if (!t) return Return(c, abi::kNoSuchTable);
  STDB_RETURN_IF_ERROR(WriteU64(c, c.ArgU32(1), t->row_count(), "out"));
  return Return(c, abi::kOk);
}

Status TableScan(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  REQUIRE_TX(c, env);
  const table::Table* t = env->tx->GetTable(c.ArgU32(0));
  if (!t) return Return(c, abi::kNoSuchTable);
  RowChunker chunker;
  t->rows().view().ForEach([&](RowId, sats::ByteSpan row) { chunker.Add(row); });
  return ReturnIterator(c, env, chunker, c.ArgU32(1));
}

// The table and index of an index id, or an errno.
struct IndexTarget {
  const table::Table* table = nullptr;
  const TableIndex* index = nullptr;
};
std::optional<uint16_t> ResolveIndex(InstanceEnv* env, uint32_t index_id, IndexTarget* out) {
  auto tid = env->tx->TableOfIndex(index_id);
  if (!tid.ok()) return abi::kNoSuchIndex;
  out->table = env->tx->GetTable(*tid);
  out->index = out->table ? out->table->FindIndex(index_id) : nullptr;
  if (!out->index) return abi::kNoSuchIndex;
  return std::nullopt;
}

// Rows matched by an index range scan given the ABI's arguments (args 0..7 of the range functions), or an errno.
Result<std::vector<RowId>> RangeRows(HostCall& c, InstanceEnv* env, std::optional<uint16_t>* errno_out,
                                     IndexTarget* target) {
  if (auto e = ResolveIndex(env, c.ArgU32(0), target)) {
    *errno_out = e;
    return std::vector<RowId>();
  }
  if (!target->index->supports_range()) {
    *errno_out = abi::kWrongIndexAlgo;
    return std::vector<RowId>();
  }
  uint32_t prefix_elems = c.ArgU32(3) & 0xFFFF;
  sats::ByteSpan prefix;
  if (prefix_elems > 0) {
    STDB_ASSIGN_OR_RETURN(auto p, Buf(c, c.ArgU32(1), c.ArgU32(2), "prefix"));
    prefix = p;
  }
  STDB_ASSIGN_OR_RETURN(auto start, Buf(c, c.ArgU32(4), c.ArgU32(5), "rstart"));
  STDB_ASSIGN_OR_RETURN(auto end, Buf(c, c.ArgU32(6), c.ArgU32(7), "rend"));
  auto range = target->index->RangeFromBsatn(prefix, uint16_t(prefix_elems), start, end);
  if (!range.ok()) {
    *errno_out = abi::kBsatnDecodeError;
    return std::vector<RowId>();
  }
  std::vector<RowId> rows;
  TableIndex::ScanRange(target->index->view(), *range, [&](RowId r) {
    rows.push_back(r);
    return true;
  });
  return rows;
}

Result<std::vector<RowId>> PointRows(HostCall& c, InstanceEnv* env, std::optional<uint16_t>* errno_out,
                                     IndexTarget* target) {
  if (auto e = ResolveIndex(env, c.ArgU32(0), target)) {
    *errno_out = e;
    return std::vector<RowId>();
  }
  STDB_ASSIGN_OR_RETURN(auto point, Buf(c, c.ArgU32(1), c.ArgU32(2), "point"));
  auto key = target->index->KeyFromBsatn(point);
  if (!key.ok()) {
    *errno_out = abi::kBsatnDecodeError;
    return std::vector<RowId>();
  }
  std::vector<RowId> rows;
  if (target->index->unique()) {
    RowId r = target->index->Find(*key);
    if (r != table::kNoRow) rows.push_back(r);
    return rows;
  }
  TableIndex::ScanPoint(target->index->view(), *key, [&](RowId r) {
    rows.push_back(r);
    return true;
  });
  return rows;
}

template <auto Rows>
Status IndexScan(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  REQUIRE_TX(c, env);
  std::optional<uint16_t> err;
  IndexTarget target;
  STDB_ASSIGN_OR_RETURN(auto rows, Rows(c, env, &err, &target));
  if (err) return Return(c, *err);
  RowChunker chunker;
  for (RowId r : rows) chunker.Add(target.table->Get(r));
  return ReturnIterator(c, env, chunker, c.ArgU32(c.arg_count() - 1));
}

template <auto Rows>
Status DeleteByIndex(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  REQUIRE_TX(c, env);
  std::optional<uint16_t> err;
  IndexTarget target;
  STDB_ASSIGN_OR_RETURN(auto rows, Rows(c, env, &err, &target));
  if (err) return Return(c, *err);
  TableId tid = target.table->id();
  for (RowId r : rows) {
    Status s = env->tx->Delete(tid, r);
    if (!s.ok()) return DatastoreError(c, std::move(s).error());
  }
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(c.arg_count() - 1), uint32_t(rows.size()), "out"));
  return Return(c, abi::kOk);
}

Status DeleteAllByEq(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  REQUIRE_TX(c, env);
  TableId tid = c.ArgU32(0);
  const table::Table* t = env->tx->GetTable(tid);
  if (!t) return Return(c, abi::kNoSuchTable);
  STDB_ASSIGN_OR_RETURN(auto rel, Buf(c, c.ArgU32(1), c.ArgU32(2), "relation"));
  sats::Bytes copy(rel.begin(), rel.end());
  sats::bsatn::Reader r(copy);
  uint32_t n = r.ArrayLength(0, "rows");
  sats::AlgebraicType row_type = sats::AlgebraicType::Product(t->layout().row_type());
  std::vector<sats::ByteSpan> rows;
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    size_t start = r.offset();
    if (!sats::bsatn::SkipValue(row_type, nullptr, r).ok()) break;
    rows.emplace_back(copy.data() + start, r.offset() - start);
  }
  if (!r.ok() || !r.at_end()) return Return(c, abi::kBsatnDecodeError);
  uint32_t deleted = 0;
  for (auto row : rows) {
    auto d = env->tx->DeleteByValue(tid, row);
    if (!d.ok()) return DatastoreError(c, std::move(d).error());
    deleted += *d;
  }
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(3), deleted, "out"));
  return Return(c, abi::kOk);
}

Status Clear(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  REQUIRE_TX(c, env);
  auto n = env->tx->Clear(c.ArgU32(0));
  if (!n.ok()) return DatastoreError(c, std::move(n).error());
  STDB_RETURN_IF_ERROR(WriteU64(c, c.ArgU32(1), *n, "out"));
  return Return(c, abi::kOk);
}

Status RowIterAdvance(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  uint32_t id = c.ArgU32(0);
  InstanceEnv::RowIter* it = env->FindIterator(id);
  if (!it) return Return(c, abi::kNoSuchIter);
  STDB_ASSIGN_OR_RETURN(uint32_t capacity, ReadU32(c, c.ArgU32(2), "buffer length"));
  STDB_ASSIGN_OR_RETURN(auto buf, Buf(c, c.ArgU32(1), capacity, "buffer"));
  size_t written = 0;
  while (it->next < it->chunks.size() && written + it->chunks[it->next].size() <= capacity) {
    const auto& chunk = it->chunks[it->next++];
    std::memcpy(buf.data() + written, chunk.data(), chunk.size());
    written += chunk.size();
  }
  if (it->next == it->chunks.size()) {
    STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(2), uint32_t(written), "buffer length"));
    env->CloseIterator(id);
    return Return(c, -1);
  }
  if (written == 0) {
    STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(2), uint32_t(it->chunks[it->next].size()), "buffer length"));
    return Return(c, abi::kBufferTooSmall);
  }
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(2), uint32_t(written), "buffer length"));
  return Return(c, abi::kOk);
}

Status RowIterClose(HostCall& c, void* user) {
  return Return(c, Env(user)->CloseIterator(c.ArgU32(0)) ? abi::kOk : abi::kNoSuchIter);
}

// --- writes ----------------------------------------------------------------------------------------------------

// Tells the scheduler about a row inserted into or updated in a schedule table; a too-distant schedule undoes the
// change (errno 13).
std::optional<uint16_t> ArmSchedule(InstanceEnv* env, TableId tid, RowId row, size_t savepoint) {
  if (!env->is_schedule_table || !env->is_schedule_table(tid) || !env->on_schedule_row) return std::nullopt;
  Status s = env->on_schedule_row(tid, env->tx->GetTable(tid)->Get(row));
  if (s.ok()) return std::nullopt;
  env->tx->RollbackTo(savepoint);
  return abi::kScheduleAtDelayTooLong;
}

Status Insert(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  REQUIRE_TX(c, env);
  TableId tid = c.ArgU32(0);
  STDB_ASSIGN_OR_RETURN(uint32_t len, ReadU32(c, c.ArgU32(2), "row length"));
  STDB_ASSIGN_OR_RETURN(auto row, Buf(c, c.ArgU32(1), len, "row"));
  sats::Bytes bytes(row.begin(), row.end());
  size_t savepoint = env->tx->Savepoint();
  auto r = env->tx->Insert(tid, bytes);
  if (!r.ok()) return DatastoreError(c, std::move(r).error());
  if (!r->existed)
    if (auto e = ArmSchedule(env, tid, r->row_id, savepoint)) return Return(c, *e);
  if (!r->generated.empty()) STDB_RETURN_IF_ERROR(WriteBytes(c, c.ArgU32(1), r->generated.data(), r->generated.size(), "row"));
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(2), uint32_t(r->generated.size()), "row length"));
  return Return(c, abi::kOk);
}

Status Update(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  REQUIRE_TX(c, env);
  TableId tid = c.ArgU32(0);
  uint32_t index_id = c.ArgU32(1);
  STDB_ASSIGN_OR_RETURN(uint32_t len, ReadU32(c, c.ArgU32(3), "row length"));
  STDB_ASSIGN_OR_RETURN(auto row, Buf(c, c.ArgU32(2), len, "row"));
  if (!env->tx->GetTable(tid)) return Return(c, abi::kNoSuchTable);
  auto owner = env->tx->TableOfIndex(index_id);
  if (!owner.ok() || *owner != tid) return Return(c, abi::kNoSuchIndex);
  sats::Bytes bytes(row.begin(), row.end());
  size_t savepoint = env->tx->Savepoint();
  auto r = env->tx->Update(tid, index_id, bytes);
  if (!r.ok()) return DatastoreError(c, std::move(r).error());
  if (auto e = ArmSchedule(env, tid, r->row_id, savepoint)) return Return(c, *e);
  if (!r->generated.empty()) STDB_RETURN_IF_ERROR(WriteBytes(c, c.ArgU32(2), r->generated.data(), r->generated.size(), "row"));
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(3), uint32_t(r->generated.size()), "row length"));
  return Return(c, abi::kOk);
}

// --- bytes -----------------------------------------------------------------------------------------------------

Status BytesSourceRead(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  uint32_t id = c.ArgU32(0);
  InstanceEnv::Source* src = env->FindSource(id);
  if (!src) return Return(c, abi::kNoSuchBytes);
  STDB_ASSIGN_OR_RETURN(uint32_t capacity, ReadU32(c, c.ArgU32(2), "buffer length"));
  STDB_ASSIGN_OR_RETURN(auto buf, Buf(c, c.ArgU32(1), capacity, "buffer"));
  size_t n = std::min<size_t>(capacity, src->bytes.size() - src->pos);
  std::memcpy(buf.data(), src->bytes.data() + src->pos, n);
  src->pos += n;
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(2), uint32_t(n), "buffer length"));
  if (src->pos == src->bytes.size()) {
    env->FreeSource(id);
    return Return(c, -1);
  }
  return Return(c, abi::kOk);
}

Status BytesSourceRemainingLength(HostCall& c, void* user) {
  InstanceEnv::Source* src = Env(user)->FindSource(c.ArgU32(0));
  if (!src) return Return(c, abi::kNoSuchBytes);
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(1), uint32_t(src->bytes.size() - src->pos), "out"));
  return Return(c, abi::kOk);
}

Status BytesSinkWrite(HostCall& c, void* user) {
  sats::Bytes* sink = Env(user)->FindSink(c.ArgU32(0));
  if (!sink) return Return(c, abi::kNoSuchBytes);
  STDB_ASSIGN_OR_RETURN(uint32_t len, ReadU32(c, c.ArgU32(2), "buffer length"));
  STDB_ASSIGN_OR_RETURN(auto buf, Buf(c, c.ArgU32(1), len, "buffer"));
  sink->insert(sink->end(), buf.begin(), buf.end());
  return Return(c, abi::kOk);
}

// --- logging, identity, scheduling -------------------------------------------------------------------------------

Status ConsoleLog(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  if (!env->logs) return OkStatus();
  // Never traps: a record with unreadable pointers is dropped.
  auto optional_text = [&](uint32_t ptr, uint32_t len, bool* ok) -> std::optional<std::string> {
    if (ptr == 0) return std::nullopt;
    auto b = c.MemoryRange(ptr, len);
    if (!b.ok()) {
      *ok = false;
      return std::nullopt;
    }
    return Lossy(*b);
  };
  bool ok = true;
  LogRecord r;
  r.level = LogLevelFromAbi(c.ArgU32(0));
  r.target = optional_text(c.ArgU32(1), c.ArgU32(2), &ok);
  r.filename = optional_text(c.ArgU32(3), c.ArgU32(4), &ok);
  if (c.ArgU32(5) != 0xFFFFFFFFu) r.line_number = c.ArgU32(5);
  auto message = c.MemoryRange(c.ArgU32(6), c.ArgU32(7));
  if (!ok || !message.ok() || c.ArgU32(6) == 0) return OkStatus();
  r.message = Lossy(*message);
  if (!env->function_name.empty()) r.function = env->function_name;
  env->logs->Append(std::move(r));
  return OkStatus();
}

Status ConsoleTimerStart(HostCall& c, void* user) {
  STDB_ASSIGN_OR_RETURN(auto name, Buf(c, c.ArgU32(0), c.ArgU32(1), "name"));
  return Return(c, int32_t(Env(user)->StartTimer(Lossy(name))));
}

std::string FormatDuration(std::chrono::microseconds d) {
  char buf[64];
  double us = double(d.count());
  if (us >= 1e6) std::snprintf(buf, sizeof buf, "%.6gs", us / 1e6);
  else if (us >= 1e3) std::snprintf(buf, sizeof buf, "%.6gms", us / 1e3);
  else std::snprintf(buf, sizeof buf, "%lldµs", static_cast<long long>(d.count()));
  return buf;
}

Status ConsoleTimerEnd(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  auto timer = env->EndTimer(c.ArgU32(0));
  if (!timer) return Return(c, abi::kNoSuchConsoleTimer);
  if (env->logs) {
    LogRecord r;
    r.level = LogLevel::kInfo;
    r.message = "Timing span \"" + timer->first + "\": " + FormatDuration(timer->second);
    if (!env->function_name.empty()) r.function = env->function_name;
    env->logs->Append(std::move(r));
  }
  return Return(c, abi::kOk);
}

Status IdentityOfDatabase(HostCall& c, void* user) {
  const auto& le = Env(user)->database_identity.le_bytes();
  return WriteBytes(c, c.ArgU32(0), le.data(), le.size(), "out");
}

Status ScheduleImmediate(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  STDB_ASSIGN_OR_RETURN(std::string name, Utf8(c, c.ArgU32(0), c.ArgU32(1), "name"));
  STDB_ASSIGN_OR_RETURN(auto args, Buf(c, c.ArgU32(2), c.ArgU32(3), "args"));
  if (env->schedule_immediate) env->schedule_immediate(std::move(name), sats::Bytes(args.begin(), args.end()));
  return OkStatus();
}

Status GetJwt(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  STDB_ASSIGN_OR_RETURN(auto conn, Buf(c, c.ArgU32(0), 16, "connection id"));
  REQUIRE_TX(c, env);
  sats::u128 id;
  std::memcpy(&id, conn.data(), 16);
  uint32_t source = 0;
  const table::Table* creds = env->tx->GetTable(datastore::kStConnectionCredentials);
  if (id != 0 && creds) {
    const TableIndex* index = creds->FindIndex(13);
    RowId rid = index ? TableIndex::FindFirst(index->view(), index->KeyFromValues({sats::AlgebraicValue::U128(id)}))
                      : table::kNoRow;
    if (rid != table::kNoRow) {
      auto row = datastore::StConnectionCredentialsRow::Decode(creds->Get(rid));
      if (row.ok()) source = env->AddSource(sats::Bytes(row->jwt_payload.begin(), row->jwt_payload.end()));
    }
  }
  STDB_RETURN_IF_ERROR(WriteU32(c, c.ArgU32(1), source, "out"));
  return Return(c, abi::kOk);
}

// --- procedures: not run by this host yet ----------------------------------------------------------------------------

Status Unsupported(HostCall& c, InstanceEnv* env, const char* why) {
  std::string message = std::string(c.import().name) + " is not available: " + why;
  if (env->logs) env->logs->System(LogLevel::kError, message);
  return Trap(message);
}

Status ProcedureSleepUntil(HostCall& c, void* user) {
  return Unsupported(c, Env(user), "only procedures may sleep, and this server does not run procedures yet");
}

Status ProcedureHttpRequest(HostCall& c, void* user) {
  return Unsupported(c, Env(user), "outbound HTTP is only available in procedures, which this server does not run yet");
}

Status ProcedureStartMutTx(HostCall& c, void* user) {
  InstanceEnv* env = Env(user);
  if (env->tx) return Return(c, abi::kWouldBlockTransaction);  // a reducer always holds its transaction
  return Unsupported(c, env, "procedures are not supported by this server yet");
}

Status ProcedureEndMutTx(HostCall& c, void*) { return Return(c, abi::kTransactionNotAnonymous); }

// --- registry ----------------------------------------------------------------------------------------------------

struct ImportSpec {
  const char* module;
  const char* name;
  std::vector<ValueType> params;
  std::vector<ValueType> results;
  HostFunction fn;
};

std::vector<ImportSpec> Specs() {
  std::vector<ValueType> i32x9(9, I32);
  std::vector<ValueType> i32x8(8, I32);
  return {
      {"spacetime_10.0", "table_id_from_name", {I32, I32, I32}, {I32}, TableIdFromName},
      {"spacetime_10.0", "index_id_from_name", {I32, I32, I32}, {I32}, IndexIdFromName},
      {"spacetime_10.0", "datastore_table_row_count", {I32, I32}, {I32}, TableRowCount},
      {"spacetime_10.0", "datastore_table_scan_bsatn", {I32, I32}, {I32}, TableScan},
      {"spacetime_10.0", "datastore_index_scan_range_bsatn", i32x9, {I32}, IndexScan<RangeRows>},
      {"spacetime_10.0", "datastore_btree_scan_bsatn", i32x9, {I32}, IndexScan<RangeRows>},
      {"spacetime_10.0", "datastore_delete_by_index_scan_range_bsatn", i32x9, {I32}, DeleteByIndex<RangeRows>},
      {"spacetime_10.0", "datastore_delete_by_btree_scan_bsatn", i32x9, {I32}, DeleteByIndex<RangeRows>},
      {"spacetime_10.0", "datastore_delete_all_by_eq_bsatn", {I32, I32, I32, I32}, {I32}, DeleteAllByEq},
      {"spacetime_10.0", "row_iter_bsatn_advance", {I32, I32, I32}, {I32}, RowIterAdvance},
      {"spacetime_10.0", "row_iter_bsatn_close", {I32}, {I32}, RowIterClose},
      {"spacetime_10.0", "datastore_insert_bsatn", {I32, I32, I32}, {I32}, Insert},
      {"spacetime_10.0", "datastore_update_bsatn", {I32, I32, I32, I32}, {I32}, Update},
      {"spacetime_10.0", "bytes_source_read", {I32, I32, I32}, {I32}, BytesSourceRead},
      {"spacetime_10.0", "bytes_sink_write", {I32, I32, I32}, {I32}, BytesSinkWrite},
      {"spacetime_10.0", "console_log", i32x8, {}, ConsoleLog},
      {"spacetime_10.0", "console_timer_start", {I32, I32}, {I32}, ConsoleTimerStart},
      {"spacetime_10.0", "console_timer_end", {I32}, {I32}, ConsoleTimerEnd},
      {"spacetime_10.0", "identity", {I32}, {}, IdentityOfDatabase},
      {"spacetime_10.0", "volatile_nonatomic_schedule_immediate", {I32, I32, I32, I32}, {}, ScheduleImmediate},
      {"spacetime_10.1", "bytes_source_remaining_length", {I32, I32}, {I32}, BytesSourceRemainingLength},
      {"spacetime_10.2", "get_jwt", {I32, I32}, {I32}, GetJwt},
      {"spacetime_10.3", "procedure_sleep_until", {I64}, {I64}, ProcedureSleepUntil},
      {"spacetime_10.3", "procedure_start_mut_tx", {I32}, {I32}, ProcedureStartMutTx},
      {"spacetime_10.3", "procedure_commit_mut_tx", {}, {I32}, ProcedureEndMutTx},
      {"spacetime_10.3", "procedure_abort_mut_tx", {}, {I32}, ProcedureEndMutTx},
      {"spacetime_10.3", "procedure_http_request", {I32, I32, I32, I32, I32}, {I32}, ProcedureHttpRequest},
      {"spacetime_10.4", "datastore_index_scan_point_bsatn", {I32, I32, I32, I32}, {I32}, IndexScan<PointRows>},
      {"spacetime_10.4", "datastore_delete_by_index_scan_point_bsatn", {I32, I32, I32, I32}, {I32}, DeleteByIndex<PointRows>},
      {"spacetime_10.5", "datastore_clear", {I32, I32}, {I32}, Clear},
  };
}

}  // namespace

std::vector<HostImport> SpacetimeImports(InstanceEnv* env) {
  std::vector<HostImport> imports;
  for (auto& s : Specs()) imports.push_back(HostImport{s.module, s.name, FunctionType{s.params, s.results}, s.fn, env});
  return imports;
}

Result<AbiVersion> CheckModuleImports(const WasmModuleInfo& info) {
  std::optional<AbiVersion> version;
  for (const auto& imp : info.imports) {
    const std::string prefix = "spacetime_";
    if (imp.module.rfind(prefix, 0) != 0) {
      return Error(ErrorCode::kInvalidArgument,
                   "the module imports " + imp.QualifiedName() +
                       ", which this host does not provide; modules may import only spacetime_10.x functions (no "
                       "WASI or env imports)");
    }
    if (imp.kind != ExternKind::kFunction)
      return Error(ErrorCode::kInvalidArgument, "the module imports a " + std::string(ExternKindName(imp.kind)) + " " +
                                                    imp.QualifiedName() + "; only functions can be imported");
    std::string v = imp.module.substr(prefix.size());
    size_t dot = v.find('.');
    AbiVersion parsed;
    try {
      if (dot == std::string::npos || dot == 0 || dot + 1 == v.size()) throw std::invalid_argument("");
      size_t used = 0;
      parsed.major = uint32_t(std::stoul(v.substr(0, dot), &used));
      if (used != dot) throw std::invalid_argument("");
      parsed.minor = uint32_t(std::stoul(v.substr(dot + 1), &used));
      if (used != v.size() - dot - 1) throw std::invalid_argument("");
    } catch (const std::exception&) {
      return Error(ErrorCode::kInvalidArgument, "malformed version string in import module '" + imp.module + "'");
    }
    if (version && version->major != parsed.major)
      return Error(ErrorCode::kInvalidArgument, "cannot depend on both major version " + std::to_string(version->major) +
                                                    " and major version " + std::to_string(parsed.major));
    if (!version || parsed.minor > version->minor) version = parsed;
  }
  if (!version)
    return Error(ErrorCode::kInvalidArgument,
                 "unable to determine ABI of module (it imports no spacetime_10.x functions)");
  if (version->major != 10 || version->minor > 5)
    return Error(ErrorCode::kInvalidArgument, "the module requires ABI spacetime_" + std::to_string(version->major) +
                                                  "." + std::to_string(version->minor) +
                                                  "; this host implements spacetime_10.0 to spacetime_10.5");
  return *version;
}

}  // namespace stdb::host
