// SubscriptionMessages: the parts of the WebSocket client protocol that `spacetime subscribe` speaks
// (spec/client-protocol.md §2-§7), and the JSON lines it prints.
//
// Preferred: subprotocol v3.bsatn.spacetimedb with ?compression=None. The client sends one v2 ClientMessage
// Subscribe{request_id: u32, query_set_id: u32, query_strings: Array<String>} (tag 0); every server payload is one
// compression byte (0 = none; anything else is refused, since we asked for none) followed by one or more v2
// ServerMessages back to back:
//   0 InitialConnection{identity: 32 B, connection_id: 16 B, token: String}
//   1 SubscribeApplied{request_id: u32, query_set_id: u32, rows: QueryRows}
//   2 UnsubscribeApplied{request_id: u32, query_set_id: u32, rows: Option<QueryRows>}
//   3 SubscriptionError{request_id: Option<u32>, query_set_id: u32, error: String}
//   4 TransactionUpdate{query_sets: Array<{query_set_id: u32, tables: Array<{table_name: String,
//                       rows: Array<0 PersistentTable{inserts, deletes} | 1 EventTable{events}>}>}>}
//   5 OneOffQueryResult{request_id: u32, result: Result<QueryRows, String>}
//   6 ReducerResult{request_id: u32, timestamp: i64, result: 0 Ok{ret_value: bytes, TransactionUpdate} | 1 OkEmpty |
//                   2 Err(bytes) | 3 InternalError(String)}
//   7 ProcedureResult{status: 0 Returned(bytes) | 1 InternalError(String), timestamp: i64, duration: i64,
//                     request_id: u32}
//   QueryRows = Array<{table: String, rows: BsatnRowList}>;
//   BsatnRowList = size hint (0 FixedSize(u16) | 1 RowOffsets(Array<u64>)) + rows_data: bytes.
// Fallback: subprotocol v1.json.spacetimedb, text frames of SATS-JSON v1 messages, Subscribe{query_strings,
// request_id}; rows arrive as JSON strings holding each row's JSON.
//
// Output: one JSON object per update, keyed by table name (in order of appearance), each
// {"deletes": [...], "inserts": [...]} with rows in typed SATS-JSON (objects keyed by column name).
//
// Thread-safety: pure functions and plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "host/module_def.h"
#include "sats/algebraic_value.h"
#include "sats/result.h"

namespace stdb::cli {

inline constexpr const char* kSubprotocolV3 = "v3.bsatn.spacetimedb";
inline constexpr const char* kSubprotocolV1Json = "v1.json.spacetimedb";

// Rows of one table in one update, still encoded: BSATN rows (v3) or row JSON texts (v1).
struct EncodedTableRows {
  std::string table;
  std::vector<std::string> deletes;
  std::vector<std::string> inserts;
};

struct ServerEvent {
  enum class Kind { kOther, kInitialUpdate, kTransactionUpdate, kSubscriptionError, kTransactionFailed };
  Kind kind = Kind::kOther;
  std::string error;                    // SubscriptionError / failed transaction text
  std::vector<EncodedTableRows> tables;  // initial rows (as inserts) or the update
};

// The BSATN v2 Subscribe message.
std::string EncodeV2Subscribe(uint32_t request_id, uint32_t query_set_id, const std::vector<std::string>& queries);
// The v1 JSON Subscribe message.
std::string EncodeV1JsonSubscribe(uint32_t request_id, const std::vector<std::string>& queries);

// Decodes one binary v3 payload (compression byte + messages) into events, in order.
Result<std::vector<ServerEvent>> DecodeV3Payload(std::string_view payload);
// Decodes one v1.json text message.
Result<ServerEvent> DecodeV1JsonMessage(std::string_view text);

// Splits a BsatnRowList's data into rows (exposed for tests).
Result<std::vector<std::string>> SplitRowList(uint8_t hint_tag, uint16_t fixed_size,
                                              const std::vector<uint64_t>& offsets, std::string_view data);

// Formats updates as JSON lines using the module's table row types.
class SubscriptionPrinter {
 public:
  explicit SubscriptionPrinter(const host::ModuleDef& module);
  // One JSON object (no newline). `bsatn`: rows are BSATN (v3), else row JSON texts (v1).
  Result<std::string> FormatUpdate(const std::vector<EncodedTableRows>& tables, bool bsatn) const;

 private:
  Result<std::string> FormatRow(const std::string& table, const std::string& row, bool bsatn) const;
  std::unordered_map<std::string, sats::AlgebraicType> row_types_;
};

}  // namespace stdb::cli
