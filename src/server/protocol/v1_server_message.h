// v1 ServerMessage: what the server sends on `v1.bsatn.spacetimedb` (BSATN, after the compression tag of
// server_frame.h) and `v1.json.spacetimedb` (SATS-JSON text, no tag). Schema: spec/client-protocol.md §6.2, §6.4.
//
// BSATN layout, u8 tag then the fields in order:
//   0 InitialSubscription      database_update DatabaseUpdate, request_id u32, total_host_execution_duration i64
//   1 TransactionUpdate        status UpdateStatus, timestamp i64, caller_identity (32 B), caller_connection_id
//                              (16 B), reducer_call ReducerCallInfo, energy_quanta_used u128,
//                              total_host_execution_duration i64
//   2 TransactionUpdateLight   request_id u32, update DatabaseUpdate
//   3 IdentityToken            identity (32 B), token String, connection_id (16 B)   (order differs from v2)
//   4 OneOffQueryResponse      message_id bytes, error Option<String>, tables Array<OneOffTable>,
//                              total_host_execution_duration i64
//   5 SubscribeApplied         request_id u32, total_host_execution_duration_micros u64, query_id u32,
//                              rows SubscribeRows
//   6 UnsubscribeApplied       same as 5 (rows are the removed rows, as deletes)
//   7 SubscriptionError        total_host_execution_duration_micros u64, request_id Option<u32>,
//                              query_id Option<u32>, table_id Option<u32>, error String
//   8 SubscribeMultiApplied    request_id u32, total_host_execution_duration_micros u64, query_id u32,
//                              update DatabaseUpdate
//   9 UnsubscribeMultiApplied  same as 8
//  10 ProcedureResult          status ProcedureStatus, timestamp i64, total_host_execution_duration i64, request_id u32
// Nested:
//   UpdateStatus     0 Committed(DatabaseUpdate); 1 Failed(String); 2 OutOfEnergy
//   ReducerCallInfo  reducer_name String, reducer_id u32, args (bytes | JSON string), request_id u32
//   DatabaseUpdate   tables Array<TableUpdate>
//   TableUpdate      table_id u32, table_name String, num_rows u64, updates Array<...>
//                    BSATN: each update is CompressableQueryUpdate 0 Uncompressed(QueryUpdate) (1 Brotli and 2 Gzip
//                    exist in the schema; we never send them and our decoder rejects them); JSON: QueryUpdate itself
//   QueryUpdate      deletes RowList, inserts RowList   (deletes first, the opposite of v2)
//   OneOffTable      table_name String, rows RowList
//   SubscribeRows    table_id u32, table_name String, table_rows TableUpdate
//   ProcedureStatus  0 Returned(bytes | JSON string); 1 OutOfEnergy; 2 InternalError(String)
//   RowList          BSATN: BsatnRowList; JSON: array of strings, each one row's JSON text
//
// The two flavours differ only in rows and in function arguments/return values, so every message is a template
// over a format: BsatnFormat (BsatnRowList, bytes) or JsonFormat (JsonRowList, JSON text).
//
// SATS-JSON rules (the reference's serde of these types): products are objects keyed by field name in the order
// above; sums are {"Variant": payload} with a unit payload as []; Option is {"some": v} / {"none": []}; bytes are
// lowercase hex strings; Identity is {"__identity__":"0x<hex>"}, ConnectionId {"__connection_id__":<u128>},
// Timestamp {"__timestamp_micros_since_unix_epoch__":n}, TimeDuration {"__time_duration_micros__":n},
// EnergyQuanta {"quanta":<u128>}, query ids in Subscribe*Applied {"id":n}.
//
// JSON rows: the reference renders table rows and delta rows differently, and we keep that quirk (see
// JsonRowShape below).
//
// Thread-safety: plain values and reentrant functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/bsatn.h"
#include "sats/result.h"
#include "sats/special_types.h"
#include "server/protocol/bsatn_row_list.h"

namespace stdb::server::protocol::v1 {

// Rows for v1.json: each string is one row's JSON text.
using JsonRowList = std::vector<std::string>;

struct BsatnFormat {
  using RowList = BsatnRowList;
  using Single = sats::Bytes;  // BSATN of one value
};
struct JsonFormat {
  using RowList = JsonRowList;
  using Single = std::string;  // JSON text of one value
};

template <class F>
struct QueryUpdate {
  typename F::RowList deletes;
  typename F::RowList inserts;
  bool operator==(const QueryUpdate&) const = default;
};

template <class F>
struct TableUpdate {
  uint32_t table_id = 0;
  std::string table_name;
  uint64_t num_rows = 0;  // deletes + inserts over all updates; see CountRows()
  std::vector<QueryUpdate<F>> updates;
  bool operator==(const TableUpdate&) const = default;
};

template <class F>
struct DatabaseUpdate {
  std::vector<TableUpdate<F>> tables;
  bool operator==(const DatabaseUpdate&) const = default;
};

template <class F>
struct InitialSubscription {
  DatabaseUpdate<F> database_update;
  uint32_t request_id = 0;
  sats::TimeDuration total_host_execution_duration;
  bool operator==(const InitialSubscription&) const = default;
};

template <class F>
struct Committed {
  DatabaseUpdate<F> update;
  bool operator==(const Committed&) const = default;
};
struct Failed {
  std::string message;
  bool operator==(const Failed&) const = default;
};
struct OutOfEnergy {
  bool operator==(const OutOfEnergy&) const = default;
};
template <class F>
using UpdateStatus = std::variant<Committed<F>, Failed, OutOfEnergy>;

template <class F>
struct ReducerCallInfo {
  std::string reducer_name;
  uint32_t reducer_id = 0;
  typename F::Single args;
  uint32_t request_id = 0;
  bool operator==(const ReducerCallInfo&) const = default;
};

template <class F>
struct TransactionUpdate {
  UpdateStatus<F> status;
  sats::Timestamp timestamp;
  sats::Identity caller_identity;
  sats::ConnectionId caller_connection_id;
  ReducerCallInfo<F> reducer_call;
  sats::u128 energy_quanta_used = 0;
  sats::TimeDuration total_host_execution_duration;
  bool operator==(const TransactionUpdate&) const = default;
};

template <class F>
struct TransactionUpdateLight {
  uint32_t request_id = 0;
  DatabaseUpdate<F> update;
  bool operator==(const TransactionUpdateLight&) const = default;
};

struct IdentityToken {
  sats::Identity identity;
  std::string token;
  sats::ConnectionId connection_id;
  bool operator==(const IdentityToken&) const = default;
};

template <class F>
struct OneOffTable {
  std::string table_name;
  typename F::RowList rows;
  bool operator==(const OneOffTable&) const = default;
};

template <class F>
struct OneOffQueryResponse {
  sats::Bytes message_id;
  std::optional<std::string> error;
  std::vector<OneOffTable<F>> tables;
  sats::TimeDuration total_host_execution_duration;
  bool operator==(const OneOffQueryResponse&) const = default;
};

template <class F>
struct SubscribeRows {
  uint32_t table_id = 0;
  std::string table_name;
  TableUpdate<F> table_rows;
  bool operator==(const SubscribeRows&) const = default;
};

template <class F>
struct SubscribeApplied {
  uint32_t request_id = 0;
  uint64_t total_host_execution_duration_micros = 0;
  uint32_t query_id = 0;
  SubscribeRows<F> rows;
  bool operator==(const SubscribeApplied&) const = default;
};

template <class F>
struct UnsubscribeApplied {
  uint32_t request_id = 0;
  uint64_t total_host_execution_duration_micros = 0;
  uint32_t query_id = 0;
  SubscribeRows<F> rows;
  bool operator==(const UnsubscribeApplied&) const = default;
};

struct SubscriptionError {
  uint64_t total_host_execution_duration_micros = 0;
  std::optional<uint32_t> request_id;
  std::optional<uint32_t> query_id;
  std::optional<uint32_t> table_id;
  std::string error;
  bool operator==(const SubscriptionError&) const = default;
};

template <class F>
struct SubscribeMultiApplied {
  uint32_t request_id = 0;
  uint64_t total_host_execution_duration_micros = 0;
  uint32_t query_id = 0;
  DatabaseUpdate<F> update;
  bool operator==(const SubscribeMultiApplied&) const = default;
};

template <class F>
struct UnsubscribeMultiApplied {
  uint32_t request_id = 0;
  uint64_t total_host_execution_duration_micros = 0;
  uint32_t query_id = 0;
  DatabaseUpdate<F> update;
  bool operator==(const UnsubscribeMultiApplied&) const = default;
};

template <class F>
struct ProcedureReturned {
  typename F::Single value;
  bool operator==(const ProcedureReturned&) const = default;
};
struct ProcedureOutOfEnergy {
  bool operator==(const ProcedureOutOfEnergy&) const = default;
};
struct ProcedureInternalError {
  std::string message;
  bool operator==(const ProcedureInternalError&) const = default;
};
template <class F>
using ProcedureStatus = std::variant<ProcedureReturned<F>, ProcedureOutOfEnergy, ProcedureInternalError>;

template <class F>
struct ProcedureResult {
  ProcedureStatus<F> status;
  sats::Timestamp timestamp;
  sats::TimeDuration total_host_execution_duration;
  uint32_t request_id = 0;
  bool operator==(const ProcedureResult&) const = default;
};

// Alternative index == wire tag.
template <class F>
using ServerMessage =
    std::variant<InitialSubscription<F>, TransactionUpdate<F>, TransactionUpdateLight<F>, IdentityToken,
                 OneOffQueryResponse<F>, SubscribeApplied<F>, UnsubscribeApplied<F>, SubscriptionError,
                 SubscribeMultiApplied<F>, UnsubscribeMultiApplied<F>, ProcedureResult<F>>;

using BsatnServerMessage = ServerMessage<BsatnFormat>;
using JsonServerMessage = ServerMessage<JsonFormat>;

// "IdentityToken", "TransactionUpdate", ... (same for both formats).
const char* ServerMessageName(size_t tag);

// The num_rows a TableUpdate carries: all deletes and inserts of all its updates.
uint64_t CountRows(const std::vector<QueryUpdate<BsatnFormat>>& updates);
uint64_t CountRows(const std::vector<QueryUpdate<JsonFormat>>& updates);

// Appends the BSATN of `message` (no compression tag; see server_frame.h) to `out`.
void EncodeServerMessage(const BsatnServerMessage& message, sats::Bytes& out);
// Appends the SATS-JSON text of `message` to `out` (a v1.json text frame).
void EncodeServerMessage(const JsonServerMessage& message, std::string& out);

// Decodes a BSATN message body (clients, tests); exactly one message, no trailing bytes.
Result<BsatnServerMessage> DecodeServerMessage(sats::ByteSpan body);

// --- JSON rows -------------------------------------------------------------------------------------------------
// The reference serialises v1.json rows with serde over two different row representations, and clients have
// seen both shapes for years, so we reproduce them:
//   kTableRow  rows read from a table (initial subscriptions, SubscribeApplied / UnsubscribeApplied and their
//              Multi forms, InitialSubscription, one-off queries): a JSON object keyed by column name, with
//              typed SATS-JSON values inside, e.g. {"id":1,"owner":{"__identity__":"0x..."}}
//   kDeltaRow  rows from a transaction's inserts/deletes (TransactionUpdate, TransactionUpdateLight): a
//              positional JSON array with untyped SATS-JSON values, e.g. [1,["0x..."]]
enum class JsonRowShape { kTableRow, kDeltaRow };

// One row's JSON text from its BSATN, given the table's row type (a product, or a Ref into `typespace`).
Result<std::string> RowToJson(const sats::AlgebraicType& row_type, sats::ByteSpan bsatn_row, JsonRowShape shape,
                              const sats::Typespace* typespace = nullptr);
// Every row of a BsatnRowList as JSON texts.
Result<JsonRowList> RowListToJson(const sats::AlgebraicType& row_type, const BsatnRowList& rows, JsonRowShape shape,
                                  const sats::Typespace* typespace = nullptr);

}  // namespace stdb::server::protocol::v1
