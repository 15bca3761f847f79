#include "server/protocol/v2_server_message.h"

#include <algorithm>

#include "server/protocol/wire_util.h"

namespace stdb::server::protocol::v2 {

namespace {

using sats::ByteSpan;
using sats::Bytes;
using sats::bsatn::Reader;
using sats::bsatn::Writer;

constexpr const char* kNames[] = {"InitialConnection", "SubscribeApplied",  "UnsubscribeApplied",
                                  "SubscriptionError", "TransactionUpdate", "OneOffQueryResult",
                                  "ReducerResult",     "ProcedureResult"};

// Smallest encodings, used to reject element counts that cannot fit in the remaining bytes.
constexpr size_t kMinRowList = 7;                      // FixedSize tag + u16 + empty data
constexpr size_t kMinSingleTableRows = 4 + kMinRowList;
constexpr size_t kMinTableUpdateRows = 1 + kMinRowList;
constexpr size_t kMinTableUpdate = 4 + 4;
constexpr size_t kMinQuerySetUpdate = 4 + 4;

// --- Sizes -----------------------------------------------------------------------------------------------------

size_t Size(const QueryRows& q) {
  size_t n = 4;
  for (const auto& t : q.tables) n += wire::StringSize(t.table) + t.rows.encoded_size();
  return n;
}

size_t Size(const TableUpdateRows& rows) {
  if (const auto* p = std::get_if<PersistentTableRows>(&rows))
    return 1 + p->inserts.encoded_size() + p->deletes.encoded_size();
  return 1 + std::get<EventTableRows>(rows).events.encoded_size();
}

size_t Size(const TableUpdate& t) {
  size_t n = wire::StringSize(t.table_name) + 4;
  for (const auto& r : t.rows) n += Size(r);
  return n;
}

size_t Size(const TransactionUpdate& tu) {
  size_t n = 4;
  for (const auto& qs : tu.query_sets) {
    n += 8;
    for (const auto& entry : qs.tables) {
      if (const auto* t = std::get_if<TableUpdate>(&entry))
        n += Size(*t);
      else
        n += std::get<EncodedTableUpdate>(entry).bytes().size();
    }
  }
  return n;
}

struct Sizer {
  size_t operator()(const InitialConnection& m) const { return 32 + 16 + wire::StringSize(m.token); }
  size_t operator()(const SubscribeApplied& m) const { return 8 + Size(m.rows); }
  size_t operator()(const UnsubscribeApplied& m) const { return 8 + 1 + (m.rows ? Size(*m.rows) : 0); }
  size_t operator()(const SubscriptionError& m) const {
    return 1 + (m.request_id ? 4 : 0) + 4 + wire::StringSize(m.error);
  }
  size_t operator()(const TransactionUpdate& m) const { return Size(m); }
  size_t operator()(const OneOffQueryResult& m) const {
    if (const auto* rows = std::get_if<QueryRows>(&m.result)) return 4 + 1 + Size(*rows);
    return 4 + 1 + wire::StringSize(std::get<std::string>(m.result));
  }
  size_t operator()(const ReducerResult& m) const {
    size_t n = 4 + 8 + 1;
    if (const auto* ok = std::get_if<ReducerOk>(&m.result)) return n + 4 + ok->ret_value.size() + Size(ok->transaction_update);
    if (const auto* err = std::get_if<ReducerErr>(&m.result)) return n + 4 + err->error.size();
    if (const auto* ie = std::get_if<ReducerInternalError>(&m.result)) return n + wire::StringSize(ie->message);
    return n;  // OkEmpty
  }
  size_t operator()(const ProcedureResult& m) const {
    size_t n = 1 + 8 + 8 + 4;
    if (const auto* ret = std::get_if<ProcedureReturned>(&m.status)) return n + 4 + ret->value.size();
    return n + wire::StringSize(std::get<ProcedureInternalError>(m.status).message);
  }
};

// --- Encoding --------------------------------------------------------------------------------------------------

void Write(Writer& w, const QueryRows& q) {
  w.U32(static_cast<uint32_t>(q.tables.size()));
  for (const auto& t : q.tables) {
    w.String(t.table);
    t.rows.Encode(w);
  }
}

void Write(Writer& w, const TableUpdateRows& rows) {
  w.U8(static_cast<uint8_t>(rows.index()));
  if (const auto* p = std::get_if<PersistentTableRows>(&rows)) {
    p->inserts.Encode(w);
    p->deletes.Encode(w);
  } else {
    std::get<EventTableRows>(rows).events.Encode(w);
  }
}

void Write(Writer& w, const TransactionUpdate& tu) {
  w.U32(static_cast<uint32_t>(tu.query_sets.size()));
  for (const auto& qs : tu.query_sets) {
    w.U32(qs.query_set_id);
    w.U32(static_cast<uint32_t>(qs.tables.size()));
    for (const auto& entry : qs.tables) {
      if (const auto* t = std::get_if<TableUpdate>(&entry)) {
        EncodeTableUpdate(*t, w);
      } else {
        ByteSpan b = std::get<EncodedTableUpdate>(entry).bytes();
        w.buffer().insert(w.buffer().end(), b.begin(), b.end());
      }
    }
  }
}

struct Encoder {
  Writer& w;
  void operator()(const InitialConnection& m) const {
    m.identity.Encode(w);
    m.connection_id.Encode(w);
    w.String(m.token);
  }
  void operator()(const SubscribeApplied& m) const {
    w.U32(m.request_id);
    w.U32(m.query_set_id);
    Write(w, m.rows);
  }
  void operator()(const UnsubscribeApplied& m) const {
    w.U32(m.request_id);
    w.U32(m.query_set_id);
    if (m.rows) {
      w.U8(0);
      Write(w, *m.rows);
    } else {
      w.U8(1);
    }
  }
  void operator()(const SubscriptionError& m) const {
    wire::WriteOptionU32(w, m.request_id);
    w.U32(m.query_set_id);
    w.String(m.error);
  }
  void operator()(const TransactionUpdate& m) const { Write(w, m); }
  void operator()(const OneOffQueryResult& m) const {
    w.U32(m.request_id);
    w.U8(static_cast<uint8_t>(m.result.index()));
    if (const auto* rows = std::get_if<QueryRows>(&m.result))
      Write(w, *rows);
    else
      w.String(std::get<std::string>(m.result));
  }
  void operator()(const ReducerResult& m) const {
    w.U32(m.request_id);
    w.I64(m.timestamp.micros_since_epoch());
    w.U8(static_cast<uint8_t>(m.result.index()));
    if (const auto* ok = std::get_if<ReducerOk>(&m.result)) {
      w.ByteArray(ok->ret_value);
      Write(w, ok->transaction_update);
    } else if (const auto* err = std::get_if<ReducerErr>(&m.result)) {
      w.ByteArray(err->error);
    } else if (const auto* ie = std::get_if<ReducerInternalError>(&m.result)) {
      w.String(ie->message);
    }
  }
  void operator()(const ProcedureResult& m) const {
    w.U8(static_cast<uint8_t>(m.status.index()));
    if (const auto* ret = std::get_if<ProcedureReturned>(&m.status))
      w.ByteArray(ret->value);
    else
      w.String(std::get<ProcedureInternalError>(m.status).message);
    w.I64(m.timestamp.micros_since_epoch());
    w.I64(m.total_host_execution_duration.micros());
    w.U32(m.request_id);
  }
};

// --- Decoding --------------------------------------------------------------------------------------------------
// Each reader returns a value; on malformed input it fails `r` (sticky) and the caller checks r.ok() at the end.

BsatnRowList ReadRowList(Reader& r) {
  if (!r.ok()) return {};
  auto list = BsatnRowList::Decode(r);
  if (!list.ok()) return {};
  return std::move(list).value();
}

QueryRows ReadQueryRows(Reader& r) {
  QueryRows q;
  uint32_t n = r.ArrayLength(kMinSingleTableRows, "QueryRows.tables");
  q.tables.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    SingleTableRows t;
    t.table = r.String();
    t.rows = ReadRowList(r);
    q.tables.push_back(std::move(t));
  }
  return q;
}

TableUpdate ReadTableUpdate(Reader& r) {
  TableUpdate t;
  t.table_name = r.String();
  uint32_t n = r.ArrayLength(kMinTableUpdateRows, "TableUpdate.rows");
  t.rows.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    size_t at = r.offset();
    uint8_t tag = r.U8();
    if (tag == 0) {
      PersistentTableRows p;
      p.inserts = ReadRowList(r);
      p.deletes = ReadRowList(r);
      t.rows.emplace_back(std::move(p));
    } else if (tag == 1) {
      t.rows.emplace_back(EventTableRows{ReadRowList(r)});
    } else if (r.ok()) {
      r.Fail("unknown TableUpdateRows tag " + std::to_string(tag) + " at offset " + std::to_string(at) +
             " (expected 0 PersistentTable or 1 EventTable)");
    }
  }
  return t;
}

TransactionUpdate ReadTransactionUpdate(Reader& r) {
  TransactionUpdate tu;
  uint32_t n = r.ArrayLength(kMinQuerySetUpdate, "TransactionUpdate.query_sets");
  tu.query_sets.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    QuerySetUpdate qs;
    qs.query_set_id = r.U32();
    uint32_t m = r.ArrayLength(kMinTableUpdate, "QuerySetUpdate.tables");
    qs.tables.reserve(m);
    for (uint32_t j = 0; j < m && r.ok(); ++j) qs.tables.emplace_back(ReadTableUpdate(r));
    tu.query_sets.push_back(std::move(qs));
  }
  return tu;
}

// Reads a sum tag in [0, count); fails the reader otherwise.
uint8_t ReadTag(Reader& r, uint8_t count, const char* type, const char* expected) {
  size_t at = r.offset();
  uint8_t tag = r.U8();
  if (r.ok() && tag >= count)
    r.Fail("unknown " + std::string(type) + " tag " + std::to_string(tag) + " at offset " + std::to_string(at) +
           " (expected " + expected + ")");
  return r.ok() ? tag : 0;
}

ServerMessage ReadVariant(uint8_t tag, Reader& r) {
  switch (tag) {
    case 0: {
      InitialConnection m;
      m.identity = sats::Identity::Decode(r);
      m.connection_id = sats::ConnectionId::Decode(r);
      m.token = r.String();
      return m;
    }
    case 1: {
      SubscribeApplied m;
      m.request_id = r.U32();
      m.query_set_id = r.U32();
      m.rows = ReadQueryRows(r);
      return m;
    }
    case 2: {
      UnsubscribeApplied m;
      m.request_id = r.U32();
      m.query_set_id = r.U32();
      if (wire::ReadOptionTag(r, "UnsubscribeApplied.rows")) m.rows = ReadQueryRows(r);
      return m;
    }
    case 3: {
      SubscriptionError m;
      m.request_id = wire::ReadOptionU32(r, "SubscriptionError.request_id");
      m.query_set_id = r.U32();
      m.error = r.String();
      return m;
    }
    case 4:
      return ReadTransactionUpdate(r);
    case 5: {
      OneOffQueryResult m;
      m.request_id = r.U32();
      if (ReadTag(r, 2, "Result", "0 ok or 1 err") == 0)
        m.result = ReadQueryRows(r);
      else
        m.result = r.String();
      return m;
    }
    case 6: {
      ReducerResult m;
      m.request_id = r.U32();
      m.timestamp = sats::Timestamp(r.I64());
      switch (ReadTag(r, 4, "ReducerOutcome", "0 Ok, 1 OkEmpty, 2 Err or 3 InternalError")) {
        case 0: {
          ReducerOk ok;
          ok.ret_value = wire::ReadBytes(r);
          ok.transaction_update = ReadTransactionUpdate(r);
          m.result = std::move(ok);
          break;
        }
        case 1: m.result = ReducerOkEmpty{}; break;
        case 2: m.result = ReducerErr{wire::ReadBytes(r)}; break;
        default: m.result = ReducerInternalError{r.String()}; break;
      }
      return m;
    }
    default: {
      ProcedureResult m;
      if (ReadTag(r, 2, "ProcedureStatus", "0 Returned or 1 InternalError") == 0)
        m.status = ProcedureReturned{wire::ReadBytes(r)};
      else
        m.status = ProcedureInternalError{r.String()};
      m.timestamp = sats::Timestamp(r.I64());
      m.total_host_execution_duration = sats::TimeDuration(r.I64());
      m.request_id = r.U32();
      return m;
    }
  }
}

}  // namespace

EncodedTableUpdate::EncodedTableUpdate(const TableUpdate& update) {
  auto bytes = std::make_shared<Bytes>();
  bytes->reserve(Size(update));
  Writer w(*bytes);
  EncodeTableUpdate(update, w);
  bytes_ = std::move(bytes);
}

ReducerErr ReducerErr::FromMessage(std::string_view message) {
  ReducerErr e;
  Writer w(e.error);
  w.String(message);
  return e;
}

const char* ServerMessageName(const ServerMessage& message) { return kNames[message.index()]; }

size_t EncodedSize(const ServerMessage& message) { return 1 + std::visit(Sizer{}, message); }
size_t EncodedSize(const TableUpdate& update) { return Size(update); }

void EncodeTableUpdate(const TableUpdate& t, Writer& w) {
  w.String(t.table_name);
  w.U32(static_cast<uint32_t>(t.rows.size()));
  for (const auto& rows : t.rows) Write(w, rows);
}

void EncodeServerMessage(const ServerMessage& message, Bytes& out) {
  // Grow once, but geometrically, so that appending many messages to one buffer (v3) stays linear.
  size_t need = out.size() + EncodedSize(message);
  if (need > out.capacity()) out.reserve(std::max(need, 2 * out.capacity()));
  Writer w(out);
  w.U8(static_cast<uint8_t>(message.index()));
  std::visit(Encoder{w}, message);
}

Bytes EncodeServerMessage(const ServerMessage& message) {
  Bytes out;
  EncodeServerMessage(message, out);
  return out;
}

Result<ServerMessage> DecodeServerMessage(Reader& r) {
  size_t at = r.offset();
  uint8_t tag = r.U8();
  if (!r.ok()) return wire::ReaderError("v2 ServerMessage", r);
  if (tag >= std::variant_size_v<ServerMessage>) {
    r.Fail("unknown tag " + std::to_string(tag) + " at offset " + std::to_string(at) + " (expected 0..7)");
    return wire::ReaderError("v2 ServerMessage", r);
  }
  ServerMessage m = ReadVariant(tag, r);
  if (!r.ok()) return wire::ReaderError(std::string("v2 ServerMessage::") + kNames[tag], r);
  return m;
}

Result<ServerMessage> DecodeServerMessage(ByteSpan body) {
  Reader r(body);
  auto m = DecodeServerMessage(r);
  if (!m.ok()) return m;
  if (!r.at_end()) return wire::TrailingBytes("v2 ServerMessage", r.remaining(), r.offset());
  return m;
}

}  // namespace stdb::server::protocol::v2
