#include "server/protocol/v1_client_message.h"

#include "sats/json.h"
#include "sats/sats_json.h"
#include "sats/special_types.h"
#include "sats/utf8.h"
#include "server/protocol/wire_util.h"

namespace stdb::server::protocol::v1 {

namespace {

using sats::AlgebraicType;
using sats::AlgebraicValue;
using sats::ByteSpan;
using sats::Bytes;
using sats::bsatn::Reader;
using sats::bsatn::Writer;

constexpr const char* kNames[] = {"CallReducer",    "Subscribe",   "OneOffQuery",      "SubscribeSingle",
                                  "SubscribeMulti", "Unsubscribe", "UnsubscribeMulti", "CallProcedure"};

// JSON nesting a client message can legitimately have is shallow; bound the parser well below its default.
constexpr int kMaxJsonDepth = 32;

// --- BSATN -----------------------------------------------------------------------------------------------------

CallReducerFlags ReadReducerFlags(Reader& r) {
  size_t at = r.offset();
  uint8_t flags = r.U8();
  if (r.ok() && flags > 1)
    r.Fail("invalid call reducer flag " + std::to_string(flags) + " at offset " + std::to_string(at) +
           " (expected 0 FullUpdate or 1 NoSuccessNotify)");
  return static_cast<CallReducerFlags>(flags);
}

CallProcedureFlags ReadProcedureFlags(Reader& r) {
  size_t at = r.offset();
  uint8_t flags = r.U8();
  if (r.ok() && flags != 0)
    r.Fail("invalid call procedure flag " + std::to_string(flags) + " at offset " + std::to_string(at) +
           " (only 0 is defined)");
  return CallProcedureFlags::kDefault;
}

ClientMessage ReadBsatnVariant(uint8_t tag, Reader& r) {
  switch (tag) {
    case 0: {
      CallReducer m;
      m.reducer = r.String();
      m.args = FunctionArgs::Bsatn(wire::ReadBytes(r));
      m.request_id = r.U32();
      m.flags = ReadReducerFlags(r);
      return m;
    }
    case 1: {
      Subscribe m;
      m.query_strings = wire::ReadStringArray(r, "query_strings");
      m.request_id = r.U32();
      return m;
    }
    case 2: {
      OneOffQuery m;
      m.message_id = wire::ReadBytes(r);
      m.query_string = r.String();
      return m;
    }
    case 3: {
      SubscribeSingle m;
      m.query = r.String();
      m.request_id = r.U32();
      m.query_id = r.U32();
      return m;
    }
    case 4: {
      SubscribeMulti m;
      m.query_strings = wire::ReadStringArray(r, "query_strings");
      m.request_id = r.U32();
      m.query_id = r.U32();
      return m;
    }
    case 5: {
      Unsubscribe m;
      m.request_id = r.U32();
      m.query_id = r.U32();
      return m;
    }
    case 6: {
      UnsubscribeMulti m;
      m.request_id = r.U32();
      m.query_id = r.U32();
      return m;
    }
    default: {
      CallProcedure m;
      m.procedure = r.String();
      m.args = FunctionArgs::Bsatn(wire::ReadBytes(r));
      m.request_id = r.U32();
      m.flags = ReadProcedureFlags(r);
      return m;
    }
  }
}

Status CheckArgs(const FunctionArgs& args, FunctionArgs::Format want, const char* variant) {
  if (args.format == want) return OkStatus();
  return Error(ErrorCode::kInvalidArgument,
               std::string("v1 ClientMessage::") + variant + ": arguments are " + (args.is_json() ? "JSON" : "BSATN") +
                   " but the message is being encoded as " +
                   (want == FunctionArgs::Format::kJson ? "JSON" : "BSATN"));
}

// --- SATS-JSON -------------------------------------------------------------------------------------------------

// The SATS type of ClientMessage<String> (JSON flavour: args are strings).
const AlgebraicType& JsonClientMessageType() {
  static const AlgebraicType type = [] {
    using T = AlgebraicType;
    T query_id = sats::NamedProduct({{"id", T::U32()}});
    T strings = T::Array(T::String());
    auto call = [](const char* name) {
      return sats::NamedProduct({{name, T::String()}, {"args", T::String()}, {"request_id", T::U32()}, {"flags", T::U8()}});
    };
    return sats::NamedSum({
        {"CallReducer", call("reducer")},
        {"Subscribe", sats::NamedProduct({{"query_strings", strings}, {"request_id", T::U32()}})},
        {"OneOffQuery", sats::NamedProduct({{"message_id", T::Bytes()}, {"query_string", T::String()}})},
        {"SubscribeSingle", sats::NamedProduct({{"query", T::String()}, {"request_id", T::U32()}, {"query_id", query_id}})},
        {"SubscribeMulti",
         sats::NamedProduct({{"query_strings", strings}, {"request_id", T::U32()}, {"query_id", query_id}})},
        {"Unsubscribe", sats::NamedProduct({{"request_id", T::U32()}, {"query_id", query_id}})},
        {"UnsubscribeMulti", sats::NamedProduct({{"request_id", T::U32()}, {"query_id", query_id}})},
        {"CallProcedure", call("procedure")},
    });
  }();
  return type;
}

const std::vector<AlgebraicValue>& Fields(const AlgebraicValue& v) { return v.AsProduct().elements; }
uint32_t U32At(const AlgebraicValue& v, size_t i) { return Fields(v)[i].as<uint32_t>(); }
const std::string& StringAt(const AlgebraicValue& v, size_t i) { return Fields(v)[i].AsString(); }
uint32_t QueryIdAt(const AlgebraicValue& v, size_t i) { return U32At(Fields(v)[i], 0); }
std::vector<std::string> StringsAt(const AlgebraicValue& v, size_t i) {
  std::vector<std::string> out;
  for (const auto& s : Fields(v)[i].AsArray().elements) out.push_back(s.AsString());
  return out;
}

Result<ClientMessage> FromJsonValue(const AlgebraicValue& value) {
  const auto& sum = value.AsSum();
  const AlgebraicValue& p = *sum.payload;
  switch (sum.tag) {
    case 0: {
      uint8_t flags = Fields(p)[3].as<uint8_t>();
      if (flags > 1)
        return Error(ErrorCode::kDecode, "v1 ClientMessage::CallReducer: invalid call reducer flag " +
                                             std::to_string(flags) + " (expected 0 FullUpdate or 1 NoSuccessNotify)");
      return ClientMessage(CallReducer{StringAt(p, 0), FunctionArgs::Json(StringAt(p, 1)), U32At(p, 2),
                                       static_cast<CallReducerFlags>(flags)});
    }
    case 1: return ClientMessage(Subscribe{StringsAt(p, 0), U32At(p, 1)});
    case 2: return ClientMessage(OneOffQuery{Fields(p)[0].AsBytes(), StringAt(p, 1)});
    case 3: return ClientMessage(SubscribeSingle{StringAt(p, 0), U32At(p, 1), QueryIdAt(p, 2)});
    case 4: return ClientMessage(SubscribeMulti{StringsAt(p, 0), U32At(p, 1), QueryIdAt(p, 2)});
    case 5: return ClientMessage(Unsubscribe{U32At(p, 0), QueryIdAt(p, 1)});
    case 6: return ClientMessage(UnsubscribeMulti{U32At(p, 0), QueryIdAt(p, 1)});
    default: {
      uint8_t flags = Fields(p)[3].as<uint8_t>();
      if (flags != 0)
        return Error(ErrorCode::kDecode, "v1 ClientMessage::CallProcedure: invalid call procedure flag " +
                                             std::to_string(flags) + " (only 0 is defined)");
      return ClientMessage(
          CallProcedure{StringAt(p, 0), FunctionArgs::Json(StringAt(p, 1)), U32At(p, 2), CallProcedureFlags::kDefault});
    }
  }
}

// JSON writer helpers.
void Key(std::string& out, const char* key) {
  out += '"';
  out += key;
  out += "\":";
}
void U32Field(std::string& out, const char* key, uint32_t v) {
  Key(out, key);
  out += std::to_string(v);
}
void StringField(std::string& out, const char* key, std::string_view s) {
  Key(out, key);
  sats::AppendJsonString(out, s);
}
void StringsField(std::string& out, const char* key, const std::vector<std::string>& v) {
  Key(out, key);
  out += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    sats::AppendJsonString(out, v[i]);
  }
  out += ']';
}
void QueryIdField(std::string& out, uint32_t id) {
  Key(out, "query_id");
  out += "{\"id\":" + std::to_string(id) + "}";
}

}  // namespace

const char* ClientMessageName(const ClientMessage& message) { return kNames[message.index()]; }

Result<ClientMessage> DecodeClientMessageBsatn(ByteSpan payload) {
  Reader r(payload);
  uint8_t tag = r.U8();
  if (!r.ok()) return wire::ReaderError("v1 ClientMessage", r);
  if (tag >= std::variant_size_v<ClientMessage>)
    return Error(ErrorCode::kDecode,
                 "v1 ClientMessage: unknown tag " + std::to_string(tag) +
                     " at offset 0 (expected 0..7: CallReducer, Subscribe, OneOffQuery, SubscribeSingle, SubscribeMulti, "
                     "Unsubscribe, UnsubscribeMulti, CallProcedure)");
  ClientMessage m = ReadBsatnVariant(tag, r);
  if (!r.ok()) return wire::ReaderError(std::string("v1 ClientMessage::") + kNames[tag], r);
  if (!r.at_end()) return wire::TrailingBytes("v1 ClientMessage", r.remaining(), r.offset());
  return m;
}

Result<ClientMessage> DecodeClientMessageJson(std::string_view text) {
  auto json = sats::Json::Parse(text, kMaxJsonDepth);
  if (!json.ok()) return Error(ErrorCode::kDecode, "v1 ClientMessage (JSON): " + json.error().message());
  // Name an unknown message kind plainly (the generic reader would print the whole message type).
  if (json->is_object() && json->members().size() == 1) {
    const std::string& key = json->members()[0].first;
    bool known = key.size() == 1 && key[0] >= '0' && key[0] <= '7';
    for (const char* name : kNames) known = known || key == name;
    if (!known) {
      std::string expected;
      for (const char* name : kNames) expected += std::string(expected.empty() ? "" : ", ") + name;
      std::string quoted;
      sats::AppendJsonString(quoted, key);
      return Error(ErrorCode::kDecode, "v1 ClientMessage (JSON): unknown message " + quoted + " (expected " + expected + ")");
    }
  }
  auto value = sats::sats_json::Read(JsonClientMessageType(), *json);
  if (!value.ok()) return Error(ErrorCode::kDecode, "v1 ClientMessage (JSON): " + value.error().message());
  return FromJsonValue(*value);
}

Result<Bytes> EncodeClientMessageBsatn(const ClientMessage& message) {
  Bytes out;
  Writer w(out);
  w.U8(static_cast<uint8_t>(message.index()));
  switch (message.index()) {
    case 0: {
      const auto& m = std::get<CallReducer>(message);
      STDB_RETURN_IF_ERROR(CheckArgs(m.args, FunctionArgs::Format::kBsatn, "CallReducer"));
      w.String(m.reducer);
      w.ByteArray(m.args.data);
      w.U32(m.request_id);
      w.U8(static_cast<uint8_t>(m.flags));
      break;
    }
    case 1: {
      const auto& m = std::get<Subscribe>(message);
      wire::WriteStringArray(w, m.query_strings);
      w.U32(m.request_id);
      break;
    }
    case 2: {
      const auto& m = std::get<OneOffQuery>(message);
      w.ByteArray(m.message_id);
      w.String(m.query_string);
      break;
    }
    case 3: {
      const auto& m = std::get<SubscribeSingle>(message);
      w.String(m.query);
      w.U32(m.request_id);
      w.U32(m.query_id);
      break;
    }
    case 4: {
      const auto& m = std::get<SubscribeMulti>(message);
      wire::WriteStringArray(w, m.query_strings);
      w.U32(m.request_id);
      w.U32(m.query_id);
      break;
    }
    case 5: {
      const auto& m = std::get<Unsubscribe>(message);
      w.U32(m.request_id);
      w.U32(m.query_id);
      break;
    }
    case 6: {
      const auto& m = std::get<UnsubscribeMulti>(message);
      w.U32(m.request_id);
      w.U32(m.query_id);
      break;
    }
    default: {
      const auto& m = std::get<CallProcedure>(message);
      STDB_RETURN_IF_ERROR(CheckArgs(m.args, FunctionArgs::Format::kBsatn, "CallProcedure"));
      w.String(m.procedure);
      w.ByteArray(m.args.data);
      w.U32(m.request_id);
      w.U8(static_cast<uint8_t>(m.flags));
      break;
    }
  }
  return out;
}

Result<std::string> EncodeClientMessageJson(const ClientMessage& message) {
  std::string out = "{";
  Key(out, kNames[message.index()]);
  out += '{';
  switch (message.index()) {
    case 0: {
      const auto& m = std::get<CallReducer>(message);
      STDB_RETURN_IF_ERROR(CheckArgs(m.args, FunctionArgs::Format::kJson, "CallReducer"));
      if (!sats::IsValidUtf8(m.args.json_text()))
        return Error(ErrorCode::kInvalidArgument, "v1 ClientMessage::CallReducer: JSON arguments are not UTF-8");
      StringField(out, "reducer", m.reducer);
      out += ',';
      StringField(out, "args", m.args.json_text());
      out += ',';
      U32Field(out, "request_id", m.request_id);
      out += ',';
      U32Field(out, "flags", static_cast<uint8_t>(m.flags));
      break;
    }
    case 1: {
      const auto& m = std::get<Subscribe>(message);
      StringsField(out, "query_strings", m.query_strings);
      out += ',';
      U32Field(out, "request_id", m.request_id);
      break;
    }
    case 2: {
      const auto& m = std::get<OneOffQuery>(message);
      StringField(out, "message_id", sats::ToHexLower(m.message_id.data(), m.message_id.size()));
      out += ',';
      StringField(out, "query_string", m.query_string);
      break;
    }
    case 3: {
      const auto& m = std::get<SubscribeSingle>(message);
      StringField(out, "query", m.query);
      out += ',';
      U32Field(out, "request_id", m.request_id);
      out += ',';
      QueryIdField(out, m.query_id);
      break;
    }
    case 4: {
      const auto& m = std::get<SubscribeMulti>(message);
      StringsField(out, "query_strings", m.query_strings);
      out += ',';
      U32Field(out, "request_id", m.request_id);
      out += ',';
      QueryIdField(out, m.query_id);
      break;
    }
    case 5:
    case 6: {
      uint32_t request_id = message.index() == 5 ? std::get<Unsubscribe>(message).request_id
                                                 : std::get<UnsubscribeMulti>(message).request_id;
      uint32_t query_id = message.index() == 5 ? std::get<Unsubscribe>(message).query_id
                                               : std::get<UnsubscribeMulti>(message).query_id;
      U32Field(out, "request_id", request_id);
      out += ',';
      QueryIdField(out, query_id);
      break;
    }
    default: {
      const auto& m = std::get<CallProcedure>(message);
      STDB_RETURN_IF_ERROR(CheckArgs(m.args, FunctionArgs::Format::kJson, "CallProcedure"));
      if (!sats::IsValidUtf8(m.args.json_text()))
        return Error(ErrorCode::kInvalidArgument, "v1 ClientMessage::CallProcedure: JSON arguments are not UTF-8");
      StringField(out, "procedure", m.procedure);
      out += ',';
      StringField(out, "args", m.args.json_text());
      out += ',';
      U32Field(out, "request_id", m.request_id);
      out += ',';
      U32Field(out, "flags", static_cast<uint8_t>(m.flags));
      break;
    }
  }
  out += "}}";
  return out;
}

}  // namespace stdb::server::protocol::v1
