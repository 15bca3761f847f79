#include "cli/subscription_messages.h"

#include "sats/bsatn.h"
#include "sats/json.h"
#include "sats/sats_json.h"

namespace stdb::cli {

using sats::bsatn::Reader;

namespace {

Error ProtocolError(const std::string& what) {
  return Error(ErrorCode::kDecode, "protocol error: " + what +
                                       " — the server does not speak the v3 subscription protocol as expected; is "
                                       "it a compatible SpacetimeDB server?");
}

Result<std::vector<std::string>> ReadRowList(Reader& r) {
  uint8_t tag = r.U8();
  uint16_t fixed = 0;
  std::vector<uint64_t> offsets;
  if (tag == 0) {
    fixed = r.U16();
  } else if (tag == 1) {
    uint32_t n = r.ArrayLength(8, "row offsets");
    for (uint32_t i = 0; i < n && r.ok(); ++i) offsets.push_back(r.U64());
  } else if (r.ok()) {
    return ProtocolError("unknown row size hint " + std::to_string(tag));
  }
  sats::ByteSpan data = r.ByteArray();
  if (!r.ok()) return ProtocolError(r.error_message());
  return SplitRowList(tag, fixed, offsets,
                      std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

Result<std::vector<EncodedTableRows>> ReadQueryRows(Reader& r) {
  std::vector<EncodedTableRows> tables;
  uint32_t n = r.ArrayLength(5, "query rows");
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    EncodedTableRows t;
    t.table = r.String();
    STDB_ASSIGN_OR_RETURN(t.inserts, ReadRowList(r));
    tables.push_back(std::move(t));
  }
  if (!r.ok()) return ProtocolError(r.error_message());
  return tables;
}

Result<std::vector<EncodedTableRows>> ReadTransactionUpdate(Reader& r) {
  std::vector<EncodedTableRows> tables;
  uint32_t sets = r.ArrayLength(8, "query sets");
  for (uint32_t s = 0; s < sets && r.ok(); ++s) {
    r.U32();  // query_set_id
    uint32_t n = r.ArrayLength(8, "table updates");
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      EncodedTableRows t;
      t.table = r.String();
      uint32_t entries = r.ArrayLength(1, "table update rows");
      for (uint32_t e = 0; e < entries && r.ok(); ++e) {
        uint8_t kind = r.U8();
        if (!r.ok()) break;
        if (kind == 0) {
          STDB_ASSIGN_OR_RETURN(auto inserts, ReadRowList(r));
          STDB_ASSIGN_OR_RETURN(auto deletes, ReadRowList(r));
          t.inserts.insert(t.inserts.end(), inserts.begin(), inserts.end());
          t.deletes.insert(t.deletes.end(), deletes.begin(), deletes.end());
        } else if (kind == 1) {
          STDB_ASSIGN_OR_RETURN(auto events, ReadRowList(r));
          t.inserts.insert(t.inserts.end(), events.begin(), events.end());
        } else {
          return ProtocolError("unknown table update rows tag " + std::to_string(kind));
        }
      }
      tables.push_back(std::move(t));
    }
  }
  if (!r.ok()) return ProtocolError(r.error_message());
  return tables;
}

Result<ServerEvent> ReadServerMessage(Reader& r) {
  ServerEvent event;
  uint8_t tag = r.U8();
  if (!r.ok()) return ProtocolError(r.error_message());
  switch (tag) {
    case 0:  // InitialConnection
      r.Raw(32, "identity");
      r.Raw(16, "connection id");
      r.StringView();
      break;
    case 1: {  // SubscribeApplied
      r.U32();
      r.U32();
      event.kind = ServerEvent::Kind::kInitialUpdate;
      STDB_ASSIGN_OR_RETURN(event.tables, ReadQueryRows(r));
      break;
    }
    case 2: {  // UnsubscribeApplied
      r.U32();
      r.U32();
      uint8_t some = r.U8();
      if (some == 0) {
        STDB_ASSIGN_OR_RETURN(auto ignored, ReadQueryRows(r));
        (void)ignored;
      }
      break;
    }
    case 3: {  // SubscriptionError
      if (r.U8() == 0) r.U32();
      r.U32();
      event.kind = ServerEvent::Kind::kSubscriptionError;
      event.error = r.String();
      break;
    }
    case 4: {  // TransactionUpdate
      event.kind = ServerEvent::Kind::kTransactionUpdate;
      STDB_ASSIGN_OR_RETURN(event.tables, ReadTransactionUpdate(r));
      break;
    }
    case 5: {  // OneOffQueryResult
      r.U32();
      uint8_t result = r.U8();
      if (result == 0) {
        STDB_ASSIGN_OR_RETURN(auto ignored, ReadQueryRows(r));
        (void)ignored;
      } else {
        r.StringView();
      }
      break;
    }
    case 6: {  // ReducerResult
      r.U32();
      r.I64();
      uint8_t outcome = r.U8();
      if (outcome == 0) {
        r.ByteArray();
        STDB_ASSIGN_OR_RETURN(auto ignored, ReadTransactionUpdate(r));
        (void)ignored;
      } else if (outcome == 2) {
        r.ByteArray();
      } else if (outcome == 3) {
        r.StringView();
      }
      break;
    }
    case 7: {  // ProcedureResult
      uint8_t status = r.U8();
      if (status == 0) {
        r.ByteArray();
      } else {
        r.StringView();
      }
      r.I64();
      r.I64();
      r.U32();
      break;
    }
    default:
      return ProtocolError("unknown server message tag " + std::to_string(tag));
  }
  if (!r.ok()) return ProtocolError(r.error_message());
  return event;
}

// v1 DatabaseUpdate JSON: {"tables": [{"table_name": ..., "updates": [{"deletes": [...], "inserts": [...]}]}]}
Result<std::vector<EncodedTableRows>> ReadV1DatabaseUpdate(const sats::Json& update) {
  std::vector<EncodedTableRows> out;
  const sats::Json* tables = update.Find("tables");
  if (!tables || !tables->is_array()) return ProtocolError("a v1 database update has no \"tables\" array");
  for (const auto& table : tables->items()) {
    EncodedTableRows t;
    const sats::Json* name = table.Find("table_name");
    if (!name || !name->is_string()) return ProtocolError("a v1 table update has no \"table_name\"");
    t.table = name->text();
    if (const sats::Json* updates = table.Find("updates"); updates && updates->is_array()) {
      for (const auto& u : updates->items()) {
        for (const char* key : {"deletes", "inserts"}) {
          const sats::Json* rows = u.Find(key);
          if (!rows || !rows->is_array()) continue;
          for (const auto& row : rows->items()) {
            std::string text = row.is_string() ? row.text() : row.Dump();
            (std::string(key) == "deletes" ? t.deletes : t.inserts).push_back(std::move(text));
          }
        }
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

std::string EncodeV2Subscribe(uint32_t request_id, uint32_t query_set_id, const std::vector<std::string>& queries) {
  sats::Bytes bytes;
  sats::bsatn::Writer w(bytes);
  w.U8(0);
  w.U32(request_id);
  w.U32(query_set_id);
  w.U32(static_cast<uint32_t>(queries.size()));
  for (const auto& q : queries) w.String(q);
  return std::string(bytes.begin(), bytes.end());
}

std::string EncodeV1JsonSubscribe(uint32_t request_id, const std::vector<std::string>& queries) {
  std::vector<sats::Json> strings;
  for (const auto& q : queries) strings.push_back(sats::Json::String(q));
  sats::Json message = sats::Json::Object(
      {{"Subscribe", sats::Json::Object({{"query_strings", sats::Json::Array(std::move(strings))},
                                         {"request_id", sats::Json::Number(static_cast<int64_t>(request_id))}})}});
  return message.Dump();
}

Result<std::vector<std::string>> SplitRowList(uint8_t hint_tag, uint16_t fixed_size,
                                              const std::vector<uint64_t>& offsets, std::string_view data) {
  std::vector<std::string> rows;
  if (hint_tag == 0) {
    if (fixed_size == 0) {
      if (!data.empty()) return ProtocolError("a fixed row size of 0 with non-empty row data");
      return rows;
    }
    if (data.size() % fixed_size != 0) return ProtocolError("row data is not a multiple of the fixed row size");
    for (size_t at = 0; at < data.size(); at += fixed_size) rows.emplace_back(data.substr(at, fixed_size));
    return rows;
  }
  for (size_t i = 0; i < offsets.size(); ++i) {
    uint64_t start = offsets[i];
    uint64_t end = i + 1 < offsets.size() ? offsets[i + 1] : data.size();
    if (start > end || end > data.size()) return ProtocolError("row offsets out of range");
    rows.emplace_back(data.substr(start, end - start));
  }
  return rows;
}

Result<std::vector<ServerEvent>> DecodeV3Payload(std::string_view payload) {
  if (payload.empty()) return ProtocolError("received an empty v3 WebSocket payload");
  if (static_cast<uint8_t>(payload[0]) != 0)
    return ProtocolError("received a compressed payload (compression tag " +
                         std::to_string(static_cast<uint8_t>(payload[0])) + ") although compression=None was requested");
  if (payload.size() == 1) return ProtocolError("received a v3 payload without a server message");
  Reader r(sats::AsBytes(payload.substr(1)));
  std::vector<ServerEvent> events;
  while (!r.at_end()) {
    STDB_ASSIGN_OR_RETURN(ServerEvent event, ReadServerMessage(r));
    events.push_back(std::move(event));
  }
  return events;
}

Result<ServerEvent> DecodeV1JsonMessage(std::string_view text) {
  auto json = sats::Json::Parse(text);
  if (!json.ok()) return ProtocolError("a v1 JSON message is not valid JSON: " + json.error().message());
  if (!json->is_object() || json->members().size() != 1) return ProtocolError("a v1 JSON message is not {\"Kind\": ...}");
  const auto& [kind, body] = json->members()[0];
  ServerEvent event;
  if (kind == "InitialSubscription") {
    event.kind = ServerEvent::Kind::kInitialUpdate;
    const sats::Json* update = body.Find("database_update");
    if (!update) return ProtocolError("InitialSubscription without database_update");
    STDB_ASSIGN_OR_RETURN(event.tables, ReadV1DatabaseUpdate(*update));
  } else if (kind == "TransactionUpdate") {
    const sats::Json* status = body.Find("status");
    if (!status || !status->is_object() || status->members().empty())
      return ProtocolError("TransactionUpdate without status");
    const auto& [status_kind, status_body] = status->members()[0];
    if (status_kind == "Committed") {
      event.kind = ServerEvent::Kind::kTransactionUpdate;
      STDB_ASSIGN_OR_RETURN(event.tables, ReadV1DatabaseUpdate(status_body));
    } else {
      event.kind = ServerEvent::Kind::kTransactionFailed;
      event.error = status_body.is_string() ? status_body.text() : status_kind;
    }
  } else if (kind == "TransactionUpdateLight") {
    event.kind = ServerEvent::Kind::kTransactionUpdate;
    const sats::Json* update = body.Find("update");
    if (!update) return ProtocolError("TransactionUpdateLight without update");
    STDB_ASSIGN_OR_RETURN(event.tables, ReadV1DatabaseUpdate(*update));
  } else if (kind == "SubscriptionError") {
    event.kind = ServerEvent::Kind::kSubscriptionError;
    const sats::Json* error = body.Find("error");
    event.error = error && error->is_string() ? error->text() : body.Dump();
  }
  return event;
}

SubscriptionPrinter::SubscriptionPrinter(const host::ModuleDef& module) {
  for (const auto& table : module.tables()) row_types_[table.name] = sats::AlgebraicType::Product(table.RowType());
  for (const auto& view : module.views()) {
    std::vector<sats::ProductTypeElement> elements;
    for (const auto& c : view.columns) elements.push_back(sats::ProductTypeElement{c.name, c.type});
    row_types_[view.name] = sats::AlgebraicType::Product(sats::ProductType(std::move(elements)));
  }
}

Result<std::string> SubscriptionPrinter::FormatRow(const std::string& table, const std::string& row, bool bsatn) const {
  auto it = row_types_.find(table);
  if (it == row_types_.end())
    return Error(ErrorCode::kNotFound, "the server sent rows of table `" + table +
                                           "`, which the database's schema does not have; run the command again");
  Result<sats::AlgebraicValue> value = bsatn ? sats::bsatn::DecodeValue(it->second, sats::AsBytes(row))
                                             : sats::sats_json::Read(it->second, row);
  if (!value.ok())
    return Error(ErrorCode::kDecode, "a row of table `" + table + "` does not match its schema: " +
                                         value.error().message());
  return sats::sats_json::ToTypedJson(it->second, *value);
}

Result<std::string> SubscriptionPrinter::FormatUpdate(const std::vector<EncodedTableRows>& tables, bool bsatn) const {
  // Merge entries of the same table, keeping first-appearance order.
  std::vector<std::string> order;
  std::unordered_map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> merged;
  for (const auto& t : tables) {
    auto [it, inserted] = merged.try_emplace(t.table);
    if (inserted) order.push_back(t.table);
    for (const auto& row : t.deletes) {
      STDB_ASSIGN_OR_RETURN(std::string json, FormatRow(t.table, row, bsatn));
      it->second.first.push_back(std::move(json));
    }
    for (const auto& row : t.inserts) {
      STDB_ASSIGN_OR_RETURN(std::string json, FormatRow(t.table, row, bsatn));
      it->second.second.push_back(std::move(json));
    }
  }
  std::string out = "{";
  for (size_t i = 0; i < order.size(); ++i) {
    if (i > 0) out += ',';
    sats::AppendJsonString(out, order[i]);
    const auto& [deletes, inserts] = merged[order[i]];
    out += ":{\"deletes\":[";
    for (size_t j = 0; j < deletes.size(); ++j) out += (j ? "," : "") + deletes[j];
    out += "],\"inserts\":[";
    for (size_t j = 0; j < inserts.size(); ++j) out += (j ? "," : "") + inserts[j];
    out += "]}";
  }
  return out + "}";
}

}  // namespace stdb::cli
