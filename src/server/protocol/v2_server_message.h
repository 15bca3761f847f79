// v2 ServerMessage: what the server sends on `v2.bsatn.spacetimedb` and `v3.bsatn.spacetimedb`
// (spec/client-protocol.md §4.2). On the wire each message (v2) or batch of messages (v3) follows a compression
// tag byte; see server_frame.h and v3_framing.h.
//
// BSATN layout, u8 tag then the variant's fields in order:
//   0 InitialConnection   identity (32 B LE), connection_id (16 B LE), token String
//   1 SubscribeApplied    request_id u32, query_set_id u32, rows QueryRows
//   2 UnsubscribeApplied  request_id u32, query_set_id u32, rows Option<QueryRows> (0 some, 1 none)
//   3 SubscriptionError   request_id Option<u32>, query_set_id u32, error String
//   4 TransactionUpdate   query_sets Array<QuerySetUpdate>
//   5 OneOffQueryResult   request_id u32, result Result<QueryRows, String> (0 ok, 1 err)
//   6 ReducerResult       request_id u32, timestamp i64 micros, result ReducerOutcome
//   7 ProcedureResult     status ProcedureStatus, timestamp i64 micros, total_host_execution_duration i64 micros,
//                         request_id u32
// Nested:
//   QueryRows        tables Array<SingleTableRows>
//   SingleTableRows  table String, rows BsatnRowList (bsatn_row_list.h)
//   QuerySetUpdate   query_set_id u32, tables Array<TableUpdate>
//   TableUpdate      table_name String, rows Array<TableUpdateRows>
//   TableUpdateRows  0 PersistentTable {inserts BsatnRowList, deletes BsatnRowList}  (inserts first)
//                    1 EventTable {events BsatnRowList}
//   ReducerOutcome   0 Ok {ret_value bytes, transaction_update TransactionUpdate}; 1 OkEmpty; 2 Err bytes;
//                    3 InternalError String
//   ProcedureStatus  0 Returned bytes; 1 InternalError String
//
// Every sum is a std::variant whose alternative index is the wire tag.
//
// Encoding is the hot path (one TransactionUpdate per client per transaction): it appends straight into a byte
// buffer sized in advance by EncodedSize(). Row lists are held in wire form and shared, and a TableUpdate that
// many clients receive can be encoded once (EncodedTableUpdate) and spliced into each client's QuerySetUpdate,
// so per-client encoding is a few headers plus memcpys.
//
// Decoding (for clients, tests and our benchmark client) is hostile-input safe and always yields TableUpdate,
// never EncodedTableUpdate.
//
// Thread-safety: plain values; EncodedTableUpdate and BsatnRowList are immutable and share their bytes, so one
// encoded piece may be spliced into messages on several threads. Functions are reentrant.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sats/bsatn.h"
#include "sats/result.h"
#include "sats/special_types.h"
#include "server/protocol/bsatn_row_list.h"

namespace stdb::server::protocol::v2 {

struct InitialConnection {
  sats::Identity identity;
  sats::ConnectionId connection_id;
  std::string token;
  bool operator==(const InitialConnection&) const = default;
};

struct SingleTableRows {
  std::string table;
  BsatnRowList rows;
  bool operator==(const SingleTableRows&) const = default;
};

struct QueryRows {
  std::vector<SingleTableRows> tables;
  bool operator==(const QueryRows&) const = default;
};

struct SubscribeApplied {
  uint32_t request_id = 0;
  uint32_t query_set_id = 0;
  QueryRows rows;
  bool operator==(const SubscribeApplied&) const = default;
};

struct UnsubscribeApplied {
  uint32_t request_id = 0;
  uint32_t query_set_id = 0;
  std::optional<QueryRows> rows;  // present when the client asked for SendDroppedRows
  bool operator==(const UnsubscribeApplied&) const = default;
};

struct SubscriptionError {
  std::optional<uint32_t> request_id;  // none when the set failed during a later transaction
  uint32_t query_set_id = 0;
  std::string error;
  bool operator==(const SubscriptionError&) const = default;
};

struct PersistentTableRows {
  BsatnRowList inserts;
  BsatnRowList deletes;
  bool operator==(const PersistentTableRows&) const = default;
};

struct EventTableRows {
  BsatnRowList events;
  bool operator==(const EventTableRows&) const = default;
};

using TableUpdateRows = std::variant<PersistentTableRows, EventTableRows>;

struct TableUpdate {
  std::string table_name;
  std::vector<TableUpdateRows> rows;
  bool operator==(const TableUpdate&) const = default;
};

// A TableUpdate encoded once. Immutable; copies share the bytes.
class EncodedTableUpdate {
 public:
  explicit EncodedTableUpdate(const TableUpdate& update);
  sats::ByteSpan bytes() const { return *bytes_; }
  bool operator==(const EncodedTableUpdate& o) const { return *bytes_ == *o.bytes_; }

 private:
  std::shared_ptr<const sats::Bytes> bytes_;
};

// One table of a QuerySetUpdate: built per message or spliced from a shared encoding (same bytes on the wire).
using TableUpdateEntry = std::variant<TableUpdate, EncodedTableUpdate>;

struct QuerySetUpdate {
  uint32_t query_set_id = 0;
  std::vector<TableUpdateEntry> tables;
  bool operator==(const QuerySetUpdate&) const = default;
};

struct TransactionUpdate {
  std::vector<QuerySetUpdate> query_sets;
  bool operator==(const TransactionUpdate&) const = default;
};

// Result<QueryRows, String>: index 0 = ok rows, 1 = error message.
using OneOffQueryOutcome = std::variant<QueryRows, std::string>;

struct OneOffQueryResult {
  uint32_t request_id = 0;
  OneOffQueryOutcome result;
  bool operator==(const OneOffQueryResult&) const = default;
};

struct ReducerOk {
  sats::Bytes ret_value;  // BSATN of the return value; empty for reducers without one
  TransactionUpdate transaction_update;
  bool operator==(const ReducerOk&) const = default;
};
struct ReducerOkEmpty {
  bool operator==(const ReducerOkEmpty&) const = default;
};
// The reducer returned a user error: BSATN of the error value (for string errors, u32 length + UTF-8).
struct ReducerErr {
  sats::Bytes error;
  // The error bytes for a string message, which is what the TypeScript SDK expects.
  static ReducerErr FromMessage(std::string_view message);
  bool operator==(const ReducerErr&) const = default;
};
struct ReducerInternalError {
  std::string message;
  bool operator==(const ReducerInternalError&) const = default;
};
using ReducerOutcome = std::variant<ReducerOk, ReducerOkEmpty, ReducerErr, ReducerInternalError>;

struct ReducerResult {
  uint32_t request_id = 0;
  sats::Timestamp timestamp;  // reducer start time
  ReducerOutcome result;
  bool operator==(const ReducerResult&) const = default;
};

struct ProcedureReturned {
  sats::Bytes value;  // BSATN of the return value
  bool operator==(const ProcedureReturned&) const = default;
};
struct ProcedureInternalError {
  std::string message;
  bool operator==(const ProcedureInternalError&) const = default;
};
using ProcedureStatus = std::variant<ProcedureReturned, ProcedureInternalError>;

struct ProcedureResult {
  ProcedureStatus status;
  sats::Timestamp timestamp;
  sats::TimeDuration total_host_execution_duration;
  uint32_t request_id = 0;
  bool operator==(const ProcedureResult&) const = default;
};

// Alternative index == wire tag.
using ServerMessage = std::variant<InitialConnection, SubscribeApplied, UnsubscribeApplied, SubscriptionError,
                                   TransactionUpdate, OneOffQueryResult, ReducerResult, ProcedureResult>;

const char* ServerMessageName(const ServerMessage& message);

// Exact BSATN sizes, computed without encoding.
size_t EncodedSize(const ServerMessage& message);
size_t EncodedSize(const TableUpdate& update);

// Appends the BSATN of `message` (no compression tag) to `out`, growing it once.
void EncodeServerMessage(const ServerMessage& message, sats::Bytes& out);
sats::Bytes EncodeServerMessage(const ServerMessage& message);
// Appends the BSATN of one TableUpdate (what EncodedTableUpdate holds).
void EncodeTableUpdate(const TableUpdate& update, sats::bsatn::Writer& w);

// Decodes one message at the reader's position (a v3 body holds several).
Result<ServerMessage> DecodeServerMessage(sats::bsatn::Reader& r);
// Decodes exactly one message (a v2 body, after the compression tag); trailing bytes are an error.
Result<ServerMessage> DecodeServerMessage(sats::ByteSpan body);

}  // namespace stdb::server::protocol::v2
