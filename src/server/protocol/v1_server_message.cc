#include "server/protocol/v1_server_message.h"

#include "sats/json.h"
#include "sats/sats_json.h"
#include "server/protocol/wire_util.h"

namespace stdb::server::protocol::v1 {

namespace {

using sats::AlgebraicType;
using sats::ByteSpan;
using sats::Bytes;
using sats::bsatn::Reader;
using sats::bsatn::Writer;
using B = BsatnFormat;
using J = JsonFormat;

constexpr const char* kNames[] = {"InitialSubscription",   "TransactionUpdate",    "TransactionUpdateLight",
                                  "IdentityToken",         "OneOffQueryResponse",  "SubscribeApplied",
                                  "UnsubscribeApplied",    "SubscriptionError",    "SubscribeMultiApplied",
                                  "UnsubscribeMultiApplied", "ProcedureResult"};

// Smallest encodings, to reject impossible element counts early.
constexpr size_t kMinRowList = 7;
constexpr size_t kMinCompressableQueryUpdate = 1 + 2 * kMinRowList;
constexpr size_t kMinTableUpdate = 4 + 4 + 8 + 4;
constexpr size_t kMinOneOffTable = 4 + kMinRowList;

template <class F>
uint64_t Count(const std::vector<QueryUpdate<F>>& updates) {
  uint64_t n = 0;
  for (const auto& u : updates) n += u.deletes.size() + u.inserts.size();
  return n;
}

// --- BSATN encoding --------------------------------------------------------------------------------------------

void Write(Writer& w, const TableUpdate<B>& t) {
  w.U32(t.table_id);
  w.String(t.table_name);
  w.U64(t.num_rows);
  w.U32(static_cast<uint32_t>(t.updates.size()));
  for (const auto& u : t.updates) {
    w.U8(0);  // CompressableQueryUpdate::Uncompressed
    u.deletes.Encode(w);
    u.inserts.Encode(w);
  }
}

void Write(Writer& w, const DatabaseUpdate<B>& d) {
  w.U32(static_cast<uint32_t>(d.tables.size()));
  for (const auto& t : d.tables) Write(w, t);
}

void Write(Writer& w, const SubscribeRows<B>& s) {
  w.U32(s.table_id);
  w.String(s.table_name);
  Write(w, s.table_rows);
}

void WriteOptionString(Writer& w, const std::optional<std::string>& s) {
  if (s) {
    w.U8(0);
    w.String(*s);
  } else {
    w.U8(1);
  }
}

struct BsatnEncoder {
  Writer& w;
  void operator()(const InitialSubscription<B>& m) const {
    Write(w, m.database_update);
    w.U32(m.request_id);
    w.I64(m.total_host_execution_duration.micros());
  }
  void operator()(const TransactionUpdate<B>& m) const {
    w.U8(static_cast<uint8_t>(m.status.index()));
    if (const auto* c = std::get_if<Committed<B>>(&m.status))
      Write(w, c->update);
    else if (const auto* f = std::get_if<Failed>(&m.status))
      w.String(f->message);
    w.I64(m.timestamp.micros_since_epoch());
    m.caller_identity.Encode(w);
    m.caller_connection_id.Encode(w);
    w.String(m.reducer_call.reducer_name);
    w.U32(m.reducer_call.reducer_id);
    w.ByteArray(m.reducer_call.args);
    w.U32(m.reducer_call.request_id);
    w.U128(m.energy_quanta_used);
    w.I64(m.total_host_execution_duration.micros());
  }
  void operator()(const TransactionUpdateLight<B>& m) const {
    w.U32(m.request_id);
    Write(w, m.update);
  }
  void operator()(const IdentityToken& m) const {
    m.identity.Encode(w);
    w.String(m.token);
    m.connection_id.Encode(w);
  }
  void operator()(const OneOffQueryResponse<B>& m) const {
    w.ByteArray(m.message_id);
    WriteOptionString(w, m.error);
    w.U32(static_cast<uint32_t>(m.tables.size()));
    for (const auto& t : m.tables) {
      w.String(t.table_name);
      t.rows.Encode(w);
    }
    w.I64(m.total_host_execution_duration.micros());
  }
  template <class M>
  void Applied(const M& m) const {
    w.U32(m.request_id);
    w.U64(m.total_host_execution_duration_micros);
    w.U32(m.query_id);
    Write(w, m.rows);
  }
  void operator()(const SubscribeApplied<B>& m) const { Applied(m); }
  void operator()(const UnsubscribeApplied<B>& m) const { Applied(m); }
  void operator()(const SubscriptionError& m) const {
    w.U64(m.total_host_execution_duration_micros);
    wire::WriteOptionU32(w, m.request_id);
    wire::WriteOptionU32(w, m.query_id);
    wire::WriteOptionU32(w, m.table_id);
    w.String(m.error);
  }
  template <class M>
  void MultiApplied(const M& m) const {
    w.U32(m.request_id);
    w.U64(m.total_host_execution_duration_micros);
    w.U32(m.query_id);
    Write(w, m.update);
  }
  void operator()(const SubscribeMultiApplied<B>& m) const { MultiApplied(m); }
  void operator()(const UnsubscribeMultiApplied<B>& m) const { MultiApplied(m); }
  void operator()(const ProcedureResult<B>& m) const {
    w.U8(static_cast<uint8_t>(m.status.index()));
    if (const auto* r = std::get_if<ProcedureReturned<B>>(&m.status))
      w.ByteArray(r->value);
    else if (const auto* e = std::get_if<ProcedureInternalError>(&m.status))
      w.String(e->message);
    w.I64(m.timestamp.micros_since_epoch());
    w.I64(m.total_host_execution_duration.micros());
    w.U32(m.request_id);
  }
};

// --- JSON encoding ---------------------------------------------------------------------------------------------

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  // Object fields: Begin(); Field("a") value; Field("b") value; End().
  void Begin() {
    out_ += '{';
    first_.push_back(true);
  }
  void End() {
    out_ += '}';
    first_.pop_back();
  }
  void Field(const char* name) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    out_ += '"';
    out_ += name;
    out_ += "\":";
  }
  // {"Name": then the payload, then EndVariant().
  void BeginVariant(const char* name) {
    Begin();
    Field(name);
  }
  void EndVariant() { End(); }
  void Unit() { out_ += "[]"; }
  void String(std::string_view s) { sats::AppendJsonString(out_, s); }
  void Number(uint64_t v) { out_ += std::to_string(v); }
  void Number(int64_t v) { out_ += std::to_string(v); }
  void Hex(const Bytes& b) {
    out_ += '"';
    out_ += sats::ToHexLower(b.data(), b.size());
    out_ += '"';
  }
  void Typed(const AlgebraicType& type, const sats::AlgebraicValue& value) { sats::sats_json::WriteTyped(type, value, out_); }
  void Micros(const char* key, int64_t v) {
    Begin();
    Field(key);
    Number(v);
    End();
  }
  void Timestamp(sats::Timestamp t) { Micros("__timestamp_micros_since_unix_epoch__", t.micros_since_epoch()); }
  void Duration(sats::TimeDuration d) { Micros("__time_duration_micros__", d.micros()); }
  void Identity(const sats::Identity& id) { Typed(IdentityType(), id.ToValue()); }
  void ConnectionId(const sats::ConnectionId& c) { Typed(ConnectionIdType(), c.ToValue()); }
  void U128(sats::u128 v) { Typed(U128Type(), sats::AlgebraicValue::U128(v)); }
  void QueryId(uint32_t id) {
    Begin();
    Field("id");
    Number(uint64_t(id));
    End();
  }
  void OptionU32(const std::optional<uint32_t>& v) {
    if (v) {
      BeginVariant("some");
      Number(uint64_t(*v));
    } else {
      BeginVariant("none");
      Unit();
    }
    EndVariant();
  }
  void OptionString(const std::optional<std::string>& v) {
    if (v) {
      BeginVariant("some");
      String(*v);
    } else {
      BeginVariant("none");
      Unit();
    }
    EndVariant();
  }
  void Rows(const JsonRowList& rows) {
    out_ += '[';
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i) out_ += ',';
      String(rows[i]);
    }
    out_ += ']';
  }
  void Raw(char c) { out_ += c; }

 private:
  static const AlgebraicType& IdentityType() {
    static const AlgebraicType t = AlgebraicType::Identity();
    return t;
  }
  static const AlgebraicType& ConnectionIdType() {
    static const AlgebraicType t = AlgebraicType::ConnectionId();
    return t;
  }
  static const AlgebraicType& U128Type() {
    static const AlgebraicType t = AlgebraicType::U128();
    return t;
  }

  std::string& out_;
  std::vector<bool> first_;
};

void Write(JsonWriter& j, const TableUpdate<J>& t) {
  j.Begin();
  j.Field("table_id");
  j.Number(uint64_t(t.table_id));
  j.Field("table_name");
  j.String(t.table_name);
  j.Field("num_rows");
  j.Number(t.num_rows);
  j.Field("updates");
  j.Raw('[');
  for (size_t i = 0; i < t.updates.size(); ++i) {
    if (i) j.Raw(',');
    j.Begin();
    j.Field("deletes");
    j.Rows(t.updates[i].deletes);
    j.Field("inserts");
    j.Rows(t.updates[i].inserts);
    j.End();
  }
  j.Raw(']');
  j.End();
}

void Write(JsonWriter& j, const DatabaseUpdate<J>& d) {
  j.Begin();
  j.Field("tables");
  j.Raw('[');
  for (size_t i = 0; i < d.tables.size(); ++i) {
    if (i) j.Raw(',');
    Write(j, d.tables[i]);
  }
  j.Raw(']');
  j.End();
}

void Write(JsonWriter& j, const SubscribeRows<J>& s) {
  j.Begin();
  j.Field("table_id");
  j.Number(uint64_t(s.table_id));
  j.Field("table_name");
  j.String(s.table_name);
  j.Field("table_rows");
  Write(j, s.table_rows);
  j.End();
}

struct JsonEncoder {
  JsonWriter& j;
  void operator()(const InitialSubscription<J>& m) const {
    j.Field("database_update");
    Write(j, m.database_update);
    j.Field("request_id");
    j.Number(uint64_t(m.request_id));
    j.Field("total_host_execution_duration");
    j.Duration(m.total_host_execution_duration);
  }
  void operator()(const TransactionUpdate<J>& m) const {
    j.Field("status");
    if (const auto* c = std::get_if<Committed<J>>(&m.status)) {
      j.BeginVariant("Committed");
      Write(j, c->update);
    } else if (const auto* f = std::get_if<Failed>(&m.status)) {
      j.BeginVariant("Failed");
      j.String(f->message);
    } else {
      j.BeginVariant("OutOfEnergy");
      j.Unit();
    }
    j.EndVariant();
    j.Field("timestamp");
    j.Timestamp(m.timestamp);
    j.Field("caller_identity");
    j.Identity(m.caller_identity);
    j.Field("caller_connection_id");
    j.ConnectionId(m.caller_connection_id);
    j.Field("reducer_call");
    j.Begin();
    j.Field("reducer_name");
    j.String(m.reducer_call.reducer_name);
    j.Field("reducer_id");
    j.Number(uint64_t(m.reducer_call.reducer_id));
    j.Field("args");
    j.String(m.reducer_call.args);
    j.Field("request_id");
    j.Number(uint64_t(m.reducer_call.request_id));
    j.End();
    j.Field("energy_quanta_used");
    j.Begin();
    j.Field("quanta");
    j.U128(m.energy_quanta_used);
    j.End();
    j.Field("total_host_execution_duration");
    j.Duration(m.total_host_execution_duration);
  }
  void operator()(const TransactionUpdateLight<J>& m) const {
    j.Field("request_id");
    j.Number(uint64_t(m.request_id));
    j.Field("update");
    Write(j, m.update);
  }
  void operator()(const IdentityToken& m) const {
    j.Field("identity");
    j.Identity(m.identity);
    j.Field("token");
    j.String(m.token);
    j.Field("connection_id");
    j.ConnectionId(m.connection_id);
  }
  void operator()(const OneOffQueryResponse<J>& m) const {
    j.Field("message_id");
    j.Hex(m.message_id);
    j.Field("error");
    j.OptionString(m.error);
    j.Field("tables");
    j.Raw('[');
    for (size_t i = 0; i < m.tables.size(); ++i) {
      if (i) j.Raw(',');
      j.Begin();
      j.Field("table_name");
      j.String(m.tables[i].table_name);
      j.Field("rows");
      j.Rows(m.tables[i].rows);
      j.End();
    }
    j.Raw(']');
    j.Field("total_host_execution_duration");
    j.Duration(m.total_host_execution_duration);
  }
  template <class M>
  void Head(const M& m) const {
    j.Field("request_id");
    j.Number(uint64_t(m.request_id));
    j.Field("total_host_execution_duration_micros");
    j.Number(m.total_host_execution_duration_micros);
    j.Field("query_id");
    j.QueryId(m.query_id);
  }
  void operator()(const SubscribeApplied<J>& m) const {
    Head(m);
    j.Field("rows");
    Write(j, m.rows);
  }
  void operator()(const UnsubscribeApplied<J>& m) const {
    Head(m);
    j.Field("rows");
    Write(j, m.rows);
  }
  void operator()(const SubscriptionError& m) const {
    j.Field("total_host_execution_duration_micros");
    j.Number(m.total_host_execution_duration_micros);
    j.Field("request_id");
    j.OptionU32(m.request_id);
    j.Field("query_id");
    j.OptionU32(m.query_id);
    j.Field("table_id");
    j.OptionU32(m.table_id);
    j.Field("error");
    j.String(m.error);
  }
  void operator()(const SubscribeMultiApplied<J>& m) const {
    Head(m);
    j.Field("update");
    Write(j, m.update);
  }
  void operator()(const UnsubscribeMultiApplied<J>& m) const {
    Head(m);
    j.Field("update");
    Write(j, m.update);
  }
  void operator()(const ProcedureResult<J>& m) const {
    j.Field("status");
    if (const auto* r = std::get_if<ProcedureReturned<J>>(&m.status)) {
      j.BeginVariant("Returned");
      j.String(r->value);
    } else if (const auto* e = std::get_if<ProcedureInternalError>(&m.status)) {
      j.BeginVariant("InternalError");
      j.String(e->message);
    } else {
      j.BeginVariant("OutOfEnergy");
      j.Unit();
    }
    j.EndVariant();
    j.Field("timestamp");
    j.Timestamp(m.timestamp);
    j.Field("total_host_execution_duration");
    j.Duration(m.total_host_execution_duration);
    j.Field("request_id");
    j.Number(uint64_t(m.request_id));
  }
};

// --- BSATN decoding --------------------------------------------------------------------------------------------

BsatnRowList ReadRowList(Reader& r) {
  if (!r.ok()) return {};
  auto list = BsatnRowList::Decode(r);
  if (!list.ok()) return {};
  return std::move(list).value();
}

uint8_t ReadTag(Reader& r, uint8_t count, const char* type, const char* expected) {
  size_t at = r.offset();
  uint8_t tag = r.U8();
  if (r.ok() && tag >= count)
    r.Fail("unknown " + std::string(type) + " tag " + std::to_string(tag) + " at offset " + std::to_string(at) +
           " (expected " + expected + ")");
  return r.ok() ? tag : 0;
}

TableUpdate<B> ReadTableUpdate(Reader& r) {
  TableUpdate<B> t;
  t.table_id = r.U32();
  t.table_name = r.String();
  t.num_rows = r.U64();
  uint32_t n = r.ArrayLength(kMinCompressableQueryUpdate, "TableUpdate.updates");
  t.updates.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    size_t at = r.offset();
    uint8_t tag = r.U8();
    if (r.ok() && tag != 0) {
      r.Fail(tag <= 2 ? "compressed query update (tag " + std::to_string(tag) + ") at offset " + std::to_string(at) +
                            " is not supported; servers send only Uncompressed"
                      : "unknown CompressableQueryUpdate tag " + std::to_string(tag) + " at offset " +
                            std::to_string(at));
      break;
    }
    QueryUpdate<B> u;
    u.deletes = ReadRowList(r);
    u.inserts = ReadRowList(r);
    t.updates.push_back(std::move(u));
  }
  return t;
}

DatabaseUpdate<B> ReadDatabaseUpdate(Reader& r) {
  DatabaseUpdate<B> d;
  uint32_t n = r.ArrayLength(kMinTableUpdate, "DatabaseUpdate.tables");
  d.tables.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) d.tables.push_back(ReadTableUpdate(r));
  return d;
}

SubscribeRows<B> ReadSubscribeRows(Reader& r) {
  SubscribeRows<B> s;
  s.table_id = r.U32();
  s.table_name = r.String();
  s.table_rows = ReadTableUpdate(r);
  return s;
}

template <class M>
M ReadApplied(Reader& r) {
  M m;
  m.request_id = r.U32();
  m.total_host_execution_duration_micros = r.U64();
  m.query_id = r.U32();
  if constexpr (std::is_same_v<M, SubscribeApplied<B>> || std::is_same_v<M, UnsubscribeApplied<B>>)
    m.rows = ReadSubscribeRows(r);
  else
    m.update = ReadDatabaseUpdate(r);
  return m;
}

BsatnServerMessage ReadVariant(uint8_t tag, Reader& r) {
  switch (tag) {
    case 0: {
      InitialSubscription<B> m;
      m.database_update = ReadDatabaseUpdate(r);
      m.request_id = r.U32();
      m.total_host_execution_duration = sats::TimeDuration(r.I64());
      return m;
    }
    case 1: {
      TransactionUpdate<B> m;
      switch (ReadTag(r, 3, "UpdateStatus", "0 Committed, 1 Failed or 2 OutOfEnergy")) {
        case 0: m.status = Committed<B>{ReadDatabaseUpdate(r)}; break;
        case 1: m.status = Failed{r.String()}; break;
        default: m.status = OutOfEnergy{}; break;
      }
      m.timestamp = sats::Timestamp(r.I64());
      m.caller_identity = sats::Identity::Decode(r);
      m.caller_connection_id = sats::ConnectionId::Decode(r);
      m.reducer_call.reducer_name = r.String();
      m.reducer_call.reducer_id = r.U32();
      m.reducer_call.args = wire::ReadBytes(r);
      m.reducer_call.request_id = r.U32();
      m.energy_quanta_used = r.U128();
      m.total_host_execution_duration = sats::TimeDuration(r.I64());
      return m;
    }
    case 2: {
      TransactionUpdateLight<B> m;
      m.request_id = r.U32();
      m.update = ReadDatabaseUpdate(r);
      return m;
    }
    case 3: {
      IdentityToken m;
      m.identity = sats::Identity::Decode(r);
      m.token = r.String();
      m.connection_id = sats::ConnectionId::Decode(r);
      return m;
    }
    case 4: {
      OneOffQueryResponse<B> m;
      m.message_id = wire::ReadBytes(r);
      if (wire::ReadOptionTag(r, "OneOffQueryResponse.error")) m.error = r.String();
      uint32_t n = r.ArrayLength(kMinOneOffTable, "OneOffQueryResponse.tables");
      m.tables.reserve(n);
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        OneOffTable<B> t;
        t.table_name = r.String();
        t.rows = ReadRowList(r);
        m.tables.push_back(std::move(t));
      }
      m.total_host_execution_duration = sats::TimeDuration(r.I64());
      return m;
    }
    case 5: return ReadApplied<SubscribeApplied<B>>(r);
    case 6: return ReadApplied<UnsubscribeApplied<B>>(r);
    case 7: {
      SubscriptionError m;
      m.total_host_execution_duration_micros = r.U64();
      m.request_id = wire::ReadOptionU32(r, "SubscriptionError.request_id");
      m.query_id = wire::ReadOptionU32(r, "SubscriptionError.query_id");
      m.table_id = wire::ReadOptionU32(r, "SubscriptionError.table_id");
      m.error = r.String();
      return m;
    }
    case 8: return ReadApplied<SubscribeMultiApplied<B>>(r);
    case 9: return ReadApplied<UnsubscribeMultiApplied<B>>(r);
    default: {
      ProcedureResult<B> m;
      switch (ReadTag(r, 3, "ProcedureStatus", "0 Returned, 1 OutOfEnergy or 2 InternalError")) {
        case 0: m.status = ProcedureReturned<B>{wire::ReadBytes(r)}; break;
        case 1: m.status = ProcedureOutOfEnergy{}; break;
        default: m.status = ProcedureInternalError{r.String()}; break;
      }
      m.timestamp = sats::Timestamp(r.I64());
      m.total_host_execution_duration = sats::TimeDuration(r.I64());
      m.request_id = r.U32();
      return m;
    }
  }
}

}  // namespace

const char* ServerMessageName(size_t tag) { return tag < std::size(kNames) ? kNames[tag] : "?"; }

uint64_t CountRows(const std::vector<QueryUpdate<BsatnFormat>>& updates) { return Count(updates); }
uint64_t CountRows(const std::vector<QueryUpdate<JsonFormat>>& updates) { return Count(updates); }

void EncodeServerMessage(const BsatnServerMessage& message, Bytes& out) {
  Writer w(out);
  w.U8(static_cast<uint8_t>(message.index()));
  std::visit(BsatnEncoder{w}, message);
}

void EncodeServerMessage(const JsonServerMessage& message, std::string& out) {
  JsonWriter j(out);
  j.BeginVariant(kNames[message.index()]);
  j.Begin();
  std::visit(JsonEncoder{j}, message);
  j.End();
  j.EndVariant();
}

Result<BsatnServerMessage> DecodeServerMessage(ByteSpan body) {
  Reader r(body);
  uint8_t tag = r.U8();
  if (!r.ok()) return wire::ReaderError("v1 ServerMessage", r);
  if (tag >= std::variant_size_v<BsatnServerMessage>)
    return Error(ErrorCode::kDecode, "v1 ServerMessage: unknown tag " + std::to_string(tag) +
                                         " at offset 0 (expected 0..10)");
  BsatnServerMessage m = ReadVariant(tag, r);
  if (!r.ok()) return wire::ReaderError(std::string("v1 ServerMessage::") + kNames[tag], r);
  if (!r.at_end()) return wire::TrailingBytes("v1 ServerMessage", r.remaining(), r.offset());
  return m;
}

// --- JSON rows -------------------------------------------------------------------------------------------------

Result<std::string> RowToJson(const AlgebraicType& row_type, ByteSpan bsatn_row, JsonRowShape shape,
                              const sats::Typespace* typespace) {
  auto value = sats::bsatn::DecodeValue(row_type, bsatn_row, typespace);
  if (!value.ok()) return Error(ErrorCode::kDecode, "row for JSON: " + value.error().message());
  std::string out;
  if (shape == JsonRowShape::kTableRow)
    sats::sats_json::WriteTyped(row_type, *value, out, typespace);
  else
    sats::sats_json::WriteUntyped(*value, out);
  return out;
}

Result<JsonRowList> RowListToJson(const AlgebraicType& row_type, const BsatnRowList& rows, JsonRowShape shape,
                                  const sats::Typespace* typespace) {
  JsonRowList out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    auto row = RowToJson(row_type, rows.row(i), shape, typespace);
    if (!row.ok()) return std::move(row).error();
    out.push_back(std::move(row).value());
  }
  return out;
}

}  // namespace stdb::server::protocol::v1
