// TxRecord: one transaction as the commitlog stores it, the reference's `Txdata` record
// (spec/data-layer.md §3.3; constants in commitlog_format.h):
//
//   txdata    = flags:u8 [inputs] [outputs] [mutations]
//   flags     : 0x80 inputs present, 0x40 outputs present, 0x20 mutations present, low 5 bits reserved (0)
//   inputs    = total_len:u32  name_len:u8  name (UTF-8)  args (total_len - 1 - name_len bytes)
//   outputs   = len:u8  UTF-8 bytes
//   mutations = varint n  { table_id:u32  varint n_rows  row* }    inserts, ascending table_id
//               varint n  { table_id:u32  varint n_rows  row* }    deletes, ascending table_id
//               varint n  { table_id:u32 }                         truncated tables
//   row       = BSATN of the whole row; varint = protobuf base-128 (varint.h)
//
// Rows carry no length, so only someone who knows each table's row type can find where a row ends. The log
// stays independent of schemas: decoding takes a RowSizeFn, `(table_id, bytes from the row's first byte to
// the end of the record buffer) -> size of that row`, and hands rows back as spans into the input. The
// datastore implements it with sats::bsatn::SkipValue on the table's row type (BsatnRowSize below does
// exactly that for one type). Because records inside a commit are not length-prefixed either, decoding one
// record also reports how many bytes it used.
//
// Encoding writes ops in ascending table_id order whatever the input order (like the reference server) and
// rejects what the format cannot represent (names over 255 bytes, invalid UTF-8, a table twice in one list).
// Decoding is written for hostile input: every length is checked against the bytes that remain, counts are
// bounded before anything is allocated, and errors name the offset inside the record buffer.
//
// Thread-safety: plain values and pure functions. A view is valid while the bytes it was decoded from are.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::durability {

// Name and arguments of the reducer call that produced a transaction. For transactions the server writes,
// args = caller Identity (32 B) ‖ caller ConnectionId (16 B) ‖ Timestamp (8 B) ‖ the reducer's BSATN args.
struct TxInputs {
  std::string reducer_name;
  sats::Bytes args;
  bool operator==(const TxInputs&) const = default;
};

struct TableRows {
  uint32_t table_id = 0;
  std::vector<sats::Bytes> rows;  // each the BSATN of one whole row
  bool operator==(const TableRows&) const = default;
};

struct TxMutations {
  std::vector<TableRows> inserts;
  std::vector<TableRows> deletes;
  std::vector<uint32_t> truncates;  // tables emptied by the transaction; their deleted rows are not listed
  bool operator==(const TxMutations&) const = default;
};

struct TxRecord {
  std::optional<TxInputs> inputs;       // present for reducer calls
  std::optional<std::string> outputs;   // defined by the format, never written by the reference server
  std::optional<TxMutations> mutations; // always present in what the server writes
  bool operator==(const TxRecord&) const = default;
};

// Appends the encoding of `tx` to `out`. On error `out` is left as it was.
Status EncodeTxRecord(const TxRecord& tx, sats::Bytes& out);

// Size of the row of table `table_id` that starts at at[0]; `at` runs to the end of the record buffer.
using RowSizeFn = std::function<Result<size_t>(uint32_t table_id, sats::ByteSpan at)>;

// Size of one BSATN value of `type` at the start of `at`, validating it on the way: the building block of a
// RowSizeFn.
Result<size_t> BsatnRowSize(const sats::AlgebraicType& type, const sats::Typespace* typespace, sats::ByteSpan at);

struct TableRowsView {
  uint32_t table_id = 0;
  std::vector<sats::ByteSpan> rows;
};

struct TxMutationsView {
  std::vector<TableRowsView> inserts;
  std::vector<TableRowsView> deletes;
  std::vector<uint32_t> truncates;
};

struct TxInputsView {
  std::string_view reducer_name;
  sats::ByteSpan args;
};

// A decoded record whose strings and rows point into the decoded buffer.
struct TxRecordView {
  std::optional<TxInputsView> inputs;
  std::optional<std::string_view> outputs;
  std::optional<TxMutationsView> mutations;

  TxRecord ToOwned() const;
};

// Decodes the record at the start of `data` and stores its length in *consumed; bytes after it (the next
// record of the commit) are left alone.
Result<TxRecordView> DecodeTxRecordPrefix(sats::ByteSpan data, const RowSizeFn& row_size, size_t* consumed);

// Decodes a buffer that holds exactly one record; trailing bytes are an error.
Result<TxRecordView> DecodeTxRecord(sats::ByteSpan data, const RowSizeFn& row_size);

}  // namespace stdb::durability
