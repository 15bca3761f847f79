#include "server/protocol/v2_client_message.h"

#include "server/protocol/wire_util.h"

namespace stdb::server::protocol::v2 {

namespace {

using sats::ByteSpan;
using sats::Bytes;
using sats::bsatn::Reader;
using sats::bsatn::Writer;

constexpr const char* kNames[] = {"Subscribe", "Unsubscribe", "OneOffQuery", "CallReducer", "CallProcedure"};

CallFlags ReadCallFlags(Reader& r, const char* what) {
  size_t at = r.offset();
  uint8_t flags = r.U8();
  if (r.ok() && flags != 0)
    r.Fail(std::string("invalid ") + what + " flag " + std::to_string(flags) + " at offset " + std::to_string(at) +
           " (only 0 is defined)");
  return CallFlags::kDefault;
}

struct Encoder {
  Writer& w;
  void operator()(const Subscribe& m) const {
    w.U32(m.request_id);
    w.U32(m.query_set_id);
    wire::WriteStringArray(w, m.query_strings);
  }
  void operator()(const Unsubscribe& m) const {
    w.U32(m.request_id);
    w.U32(m.query_set_id);
    w.U8(static_cast<uint8_t>(m.flags));
  }
  void operator()(const OneOffQuery& m) const {
    w.U32(m.request_id);
    w.String(m.query_string);
  }
  void operator()(const CallReducer& m) const {
    w.U32(m.request_id);
    w.U8(static_cast<uint8_t>(m.flags));
    w.String(m.reducer);
    w.ByteArray(m.args);
  }
  void operator()(const CallProcedure& m) const {
    w.U32(m.request_id);
    w.U8(static_cast<uint8_t>(m.flags));
    w.String(m.procedure);
    w.ByteArray(m.args);
  }
};

ClientMessage ReadVariant(uint8_t tag, Reader& r) {
  switch (tag) {
    case 0: {
      Subscribe m;
      m.request_id = r.U32();
      m.query_set_id = r.U32();
      m.query_strings = wire::ReadStringArray(r, "query_strings");
      return m;
    }
    case 1: {
      Unsubscribe m;
      m.request_id = r.U32();
      m.query_set_id = r.U32();
      size_t at = r.offset();
      uint8_t flags = r.U8();
      if (r.ok() && flags > 1)
        r.Fail("invalid unsubscribe flags " + std::to_string(flags) + " at offset " + std::to_string(at) +
               " (expected 0 Default or 1 SendDroppedRows)");
      m.flags = static_cast<UnsubscribeFlags>(flags);
      return m;
    }
    case 2: {
      OneOffQuery m;
      m.request_id = r.U32();
      m.query_string = r.String();
      return m;
    }
    case 3: {
      CallReducer m;
      m.request_id = r.U32();
      m.flags = ReadCallFlags(r, "call reducer");
      m.reducer = r.String();
      m.args = wire::ReadBytes(r);
      return m;
    }
    default: {
      CallProcedure m;
      m.request_id = r.U32();
      m.flags = ReadCallFlags(r, "call procedure");
      m.procedure = r.String();
      m.args = wire::ReadBytes(r);
      return m;
    }
  }
}

}  // namespace

const char* ClientMessageName(const ClientMessage& message) { return kNames[message.index()]; }

void EncodeClientMessage(const ClientMessage& message, Bytes& out) {
  Writer w(out);
  w.U8(static_cast<uint8_t>(message.index()));
  std::visit(Encoder{w}, message);
}

Bytes EncodeClientMessage(const ClientMessage& message) {
  Bytes out;
  EncodeClientMessage(message, out);
  return out;
}

Result<ClientMessage> DecodeClientMessage(Reader& r) {
  size_t at = r.offset();
  uint8_t tag = r.U8();
  if (!r.ok()) return wire::ReaderError("v2 ClientMessage", r);
  if (tag >= std::variant_size_v<ClientMessage>) {
    r.Fail("unknown tag " + std::to_string(tag) + " at offset " + std::to_string(at) +
           " (expected 0..4: Subscribe, Unsubscribe, OneOffQuery, CallReducer, CallProcedure)");
    return wire::ReaderError("v2 ClientMessage", r);
  }
  ClientMessage m = ReadVariant(tag, r);
  if (!r.ok()) return wire::ReaderError(std::string("v2 ClientMessage::") + kNames[tag], r);
  return m;
}

Result<ClientMessage> DecodeClientMessage(ByteSpan payload) {
  Reader r(payload);
  auto m = DecodeClientMessage(r);
  if (!m.ok()) return m;
  if (!r.at_end()) return wire::TrailingBytes("v2 ClientMessage", r.remaining(), r.offset());
  return m;
}

}  // namespace stdb::server::protocol::v2
