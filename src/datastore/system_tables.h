// System tables: the st_* tables that describe the database inside the database (spec/data-layer.md §2.5).
//
// Their ids, columns, indexes, constraints and sequences are fixed by the reference and must never change (they
// appear in commitlogs): table ids 1-20, constraint ids 1-25, index ids 1-29, sequence ids 1-7. User objects get
// ids from 4096 up. Identities, connection ids and timestamps are stored as bare U256/U128/I64 columns.
//
// The St*Row structs are the rows of the tables that hold schema, with their BSATN encoding. The datastore writes
// these rows for every schema change and rebuilds schemas from them when replaying a log.
//
// Thread-safety: constants and pure functions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sats/bsatn.h"
#include "table/table_schema.h"

namespace stdb::datastore {

using table::ColId;
using table::ConstraintId;
using table::IndexId;
using table::SequenceId;
using table::TableId;
using table::TableSchema;

inline constexpr TableId kStTable = 1;
inline constexpr TableId kStColumn = 2;
inline constexpr TableId kStSequence = 3;
inline constexpr TableId kStIndex = 4;
inline constexpr TableId kStConstraint = 5;
inline constexpr TableId kStModule = 6;
inline constexpr TableId kStClient = 7;
inline constexpr TableId kStVar = 8;
inline constexpr TableId kStScheduled = 9;
inline constexpr TableId kStRowLevelSecurity = 10;
inline constexpr TableId kStConnectionCredentials = 11;
inline constexpr TableId kStView = 12;
inline constexpr TableId kStViewParam = 13;
inline constexpr TableId kStViewColumn = 14;
inline constexpr TableId kStViewSub = 15;
inline constexpr TableId kStViewArg = 16;
inline constexpr TableId kStEventTable = 17;
inline constexpr TableId kStTableAccessor = 18;
inline constexpr TableId kStIndexAccessor = 19;
inline constexpr TableId kStColumnAccessor = 20;
inline constexpr TableId kLastSystemTable = 20;

// System sequences (st_sequence ids) and the column each generates.
inline constexpr SequenceId kStTableIdSeq = 1;
inline constexpr SequenceId kStIndexIdSeq = 2;
inline constexpr SequenceId kStConstraintIdSeq = 3;
inline constexpr SequenceId kStScheduledIdSeq = 4;
inline constexpr SequenceId kStSequenceIdSeq = 5;
inline constexpr SequenceId kStViewIdSeq = 6;
inline constexpr SequenceId kStViewArgIdSeq = 7;

// The first id handed out for user tables, indexes, constraints, sequences and schedules.
inline constexpr uint32_t kFirstUserId = 4096;

inline bool IsSystemTable(TableId id) { return id >= 1 && id <= kLastSystemTable; }

// Schemas of all system tables, in id order.
const std::vector<std::shared_ptr<const TableSchema>>& SystemTableSchemas();
const TableSchema& SystemTableSchema(TableId id);

// --- Rows of the schema tables -----------------------------------------------------------------------------------

struct StTableRow {
  TableId table_id = 0;
  std::string table_name;
  std::string table_type;    // "system" | "user"
  std::string table_access;  // "public" | "private"
  std::optional<std::vector<ColId>> primary_key;
  sats::Bytes Encode() const;
  static Result<StTableRow> Decode(sats::ByteSpan row);
};

struct StColumnRow {
  TableId table_id = 0;
  ColId col_pos = 0;
  std::string col_name;
  sats::AlgebraicType col_type;  // stored as the BSATN of the type
  sats::Bytes Encode() const;
  static Result<StColumnRow> Decode(sats::ByteSpan row);
};

struct StSequenceRow {
  SequenceId sequence_id = 0;
  std::string sequence_name;
  TableId table_id = 0;
  ColId col_pos = 0;
  sats::i128 increment = 1;
  sats::i128 start = 1;
  sats::i128 min_value = 1;
  sats::i128 max_value = 0;
  sats::i128 allocated = 0;  // the first value that may be handed out after a restart
  sats::Bytes Encode() const;
  static Result<StSequenceRow> Decode(sats::ByteSpan row);
};

struct StIndexRow {
  IndexId index_id = 0;
  TableId table_id = 0;
  std::string index_name;
  table::IndexAlgorithm algorithm = table::IndexAlgorithm::kBTree;
  std::vector<ColId> columns;
  sats::Bytes Encode() const;
  static Result<StIndexRow> Decode(sats::ByteSpan row);
};

struct StConstraintRow {
  ConstraintId constraint_id = 0;
  std::string constraint_name;
  TableId table_id = 0;
  std::vector<ColId> columns;  // unique constraint
  sats::Bytes Encode() const;
  static Result<StConstraintRow> Decode(sats::ByteSpan row);
};

struct StScheduledRow {
  uint32_t schedule_id = 0;
  TableId table_id = 0;
  std::string reducer_name;
  std::string schedule_name;
  ColId at_column = 0;
  sats::Bytes Encode() const;
  static Result<StScheduledRow> Decode(sats::ByteSpan row);
};

struct StModuleRow {
  sats::U256 database_identity;
  sats::U256 owner_identity;
  uint8_t program_kind = 0;  // 0 = wasm
  sats::U256 program_hash;
  sats::Bytes program_bytes;
  std::string module_version;
  sats::Bytes Encode() const;
  static Result<StModuleRow> Decode(sats::ByteSpan row);
};

struct StClientRow {
  sats::U256 identity;
  sats::u128 connection_id = 0;
  sats::Bytes Encode() const;
  static Result<StClientRow> Decode(sats::ByteSpan row);
};

// st_var values are a sum over primitive types; only `row_limit` (U64) is used today.
struct StVarRow {
  std::string name;
  sats::AlgebraicValue value;  // the StVarValue sum value
  sats::Bytes Encode() const;
  static Result<StVarRow> Decode(sats::ByteSpan row);
};
const sats::AlgebraicType& StVarValueType();

struct StRowLevelSecurityRow {
  TableId table_id = 0;
  std::string sql;
  sats::Bytes Encode() const;
  static Result<StRowLevelSecurityRow> Decode(sats::ByteSpan row);
};

struct StConnectionCredentialsRow {
  sats::u128 connection_id = 0;
  std::string jwt_payload;
  sats::Bytes Encode() const;
  static Result<StConnectionCredentialsRow> Decode(sats::ByteSpan row);
};

struct StTableAccessorRow {
  std::string table_name;
  std::string accessor_name;
  sats::Bytes Encode() const;
  static Result<StTableAccessorRow> Decode(sats::ByteSpan row);
};

struct StIndexAccessorRow {
  std::string index_name;
  std::string accessor_name;
  sats::Bytes Encode() const;
  static Result<StIndexAccessorRow> Decode(sats::ByteSpan row);
};

struct StColumnAccessorRow {
  std::string table_name;
  std::string col_name;
  std::string accessor_name;
  sats::Bytes Encode() const;
  static Result<StColumnAccessorRow> Decode(sats::ByteSpan row);
};

struct StEventTableRow {
  TableId table_id = 0;
  sats::Bytes Encode() const;
  static Result<StEventTableRow> Decode(sats::ByteSpan row);
};

}  // namespace stdb::datastore
