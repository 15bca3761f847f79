#include "durability/tx_record.h"

#include <algorithm>
#include <cstdio>

#include "durability/commitlog_format.h"
#include "durability/varint.h"
#include "sats/utf8.h"

namespace stdb::durability {
namespace {

void PutU32(uint32_t v, sats::Bytes& out) {
  uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
  out.insert(out.end(), b, b + 4);
}

void PutBytes(const void* p, size_t n, sats::Bytes& out) {
  const auto* b = static_cast<const uint8_t*>(p);
  out.insert(out.end(), b, b + n);
}

// The ops of one list in ascending table_id order, without copying the rows.
Result<std::vector<const TableRows*>> SortedOps(const std::vector<TableRows>& ops, const char* list) {
  std::vector<const TableRows*> sorted;
  sorted.reserve(ops.size());
  for (const auto& op : ops) sorted.push_back(&op);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const TableRows* a, const TableRows* b) { return a->table_id < b->table_id; });
  for (size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i]->table_id == sorted[i - 1]->table_id)
      return Error(ErrorCode::kInvalidArgument, std::string("Txdata: table ") + std::to_string(sorted[i]->table_id) +
                                                    " appears twice in the " + list + " of one transaction");
  return sorted;
}

void EncodeOps(const std::vector<const TableRows*>& ops, sats::Bytes& out) {
  AppendVarint(ops.size(), out);
  for (const TableRows* op : ops) {
    PutU32(op->table_id, out);
    AppendVarint(op->rows.size(), out);
    for (const auto& row : op->rows) PutBytes(row.data(), row.size(), out);
  }
}

Status CheckShortUtf8(std::string_view s, size_t max, const char* what) {
  if (s.size() > max)
    return Error(ErrorCode::kInvalidArgument, std::string("Txdata: ") + what + " is " + std::to_string(s.size()) +
                                                  " bytes; the format allows at most " + std::to_string(max));
  if (!sats::IsValidUtf8(s)) return Error(ErrorCode::kInvalidArgument, std::string("Txdata: ") + what + " is not UTF-8");
  return OkStatus();
}

// A bounds-checked cursor over one record. Errors name the offset inside the buffer being decoded.
class Cursor {
 public:
  explicit Cursor(sats::ByteSpan data) : data_(data) {}
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }

  Error Fail(const std::string& what, size_t at) const {
    return Error(ErrorCode::kDecode, "Txdata: " + what + " at offset " + std::to_string(at));
  }

  Result<uint8_t> U8(const char* what) {
    if (remaining() < 1) return Fail(std::string("end of input reading ") + what, pos_);
    return data_[pos_++];
  }
  Result<uint32_t> U32(const char* what) {
    if (remaining() < 4) return Fail(std::string("end of input reading ") + what, pos_);
    const uint8_t* p = data_.data() + pos_;
    pos_ += 4;
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  }
  Result<sats::ByteSpan> Take(uint64_t n, const char* what) {
    if (n > remaining())
      return Fail(std::string(what) + " of " + std::to_string(n) + " bytes runs past the end of the record (" +
                      std::to_string(remaining()) + " bytes left)",
                  pos_);
    sats::ByteSpan s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  Result<std::string_view> Utf8(uint64_t n, const char* what) {
    size_t at = pos_;
    STDB_ASSIGN_OR_RETURN(sats::ByteSpan b, Take(n, what));
    if (!sats::IsValidUtf8(b.data(), b.size())) return Fail(std::string(what) + " is not UTF-8", at);
    return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
  }
  // A varint count of items that each take at least `min_item_size` bytes, plus `slack` items that may take
  // none, so a hostile count cannot make the decoder loop or allocate beyond what the input could hold.
  Result<uint64_t> Count(size_t min_item_size, uint64_t slack, const char* what) {
    size_t at = pos_;
    auto n = DecodeVarint(data_, &pos_);
    if (!n.ok()) return Fail(std::string(what) + ": " + n.error().message(), at);
    uint64_t limit = remaining() / min_item_size + slack;
    if (*n > limit)
      return Fail(std::string(what) + " " + std::to_string(*n) + " exceeds what the remaining " +
                      std::to_string(remaining()) + " bytes can hold",
                  at);
    return *n;
  }
  sats::ByteSpan rest() const { return data_.subspan(pos_); }

 private:
  sats::ByteSpan data_;
  size_t pos_ = 0;
};

constexpr size_t kMinOpSize = 4 + 1;  // table_id + a one-byte row count

Result<std::vector<TableRowsView>> DecodeOps(Cursor& c, const RowSizeFn& row_size, const char* list) {
  STDB_ASSIGN_OR_RETURN(uint64_t n_ops, c.Count(kMinOpSize, 0, list));
  std::vector<TableRowsView> ops;
  ops.reserve(n_ops);
  for (uint64_t i = 0; i < n_ops; ++i) {
    TableRowsView op;
    STDB_ASSIGN_OR_RETURN(op.table_id, c.U32("table id"));
    // Every row takes at least one byte, except the single row a table without columns can hold.
    STDB_ASSIGN_OR_RETURN(uint64_t n_rows, c.Count(1, 1, "row count"));
    op.rows.reserve(n_rows);
    for (uint64_t r = 0; r < n_rows; ++r) {
      size_t at = c.pos();
      auto size = row_size(op.table_id, c.rest());
      if (!size.ok())
        return c.Fail("row " + std::to_string(r) + " of table " + std::to_string(op.table_id) + " in " + list +
                          ": " + size.error().message(),
                      at);
      STDB_ASSIGN_OR_RETURN(sats::ByteSpan row, c.Take(*size, "row"));
      op.rows.push_back(row);
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

std::vector<TableRows> OwnOps(const std::vector<TableRowsView>& views) {
  std::vector<TableRows> ops;
  ops.reserve(views.size());
  for (const auto& v : views) {
    TableRows op{v.table_id, {}};
    op.rows.reserve(v.rows.size());
    for (auto row : v.rows) op.rows.emplace_back(row.begin(), row.end());
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace

Status EncodeTxRecord(const TxRecord& tx, sats::Bytes& out) {
  std::vector<const TableRows*> inserts, deletes;
  std::vector<uint32_t> truncates;
  if (tx.inputs) {
    STDB_RETURN_IF_ERROR(CheckShortUtf8(tx.inputs->reducer_name, format::kMaxReducerNameSize, "reducer name"));
    if (tx.inputs->args.size() > UINT32_MAX - 1 - tx.inputs->reducer_name.size())
      return Error(ErrorCode::kInvalidArgument, "Txdata: reducer arguments exceed the 4 GiB the format allows");
  }
  if (tx.outputs) STDB_RETURN_IF_ERROR(CheckShortUtf8(*tx.outputs, format::kMaxReducerOutputSize, "reducer output"));
  if (tx.mutations) {
    STDB_ASSIGN_OR_RETURN(inserts, SortedOps(tx.mutations->inserts, "inserts"));
    STDB_ASSIGN_OR_RETURN(deletes, SortedOps(tx.mutations->deletes, "deletes"));
    truncates = tx.mutations->truncates;
    std::sort(truncates.begin(), truncates.end());
  }

  uint8_t flags = (tx.inputs ? format::kTxFlagHaveInputs : 0) | (tx.outputs ? format::kTxFlagHaveOutputs : 0) |
                  (tx.mutations ? format::kTxFlagHaveMutations : 0);
  out.push_back(flags);
  if (tx.inputs) {
    const auto& name = tx.inputs->reducer_name;
    PutU32(static_cast<uint32_t>(1 + name.size() + tx.inputs->args.size()), out);
    out.push_back(static_cast<uint8_t>(name.size()));
    PutBytes(name.data(), name.size(), out);
    PutBytes(tx.inputs->args.data(), tx.inputs->args.size(), out);
  }
  if (tx.outputs) {
    out.push_back(static_cast<uint8_t>(tx.outputs->size()));
    PutBytes(tx.outputs->data(), tx.outputs->size(), out);
  }
  if (tx.mutations) {
    EncodeOps(inserts, out);
    EncodeOps(deletes, out);
    AppendVarint(truncates.size(), out);
    for (uint32_t table_id : truncates) PutU32(table_id, out);
  }
  return OkStatus();
}

Result<size_t> BsatnRowSize(const sats::AlgebraicType& type, const sats::Typespace* typespace, sats::ByteSpan at) {
  sats::bsatn::Reader r(at);
  STDB_RETURN_IF_ERROR(sats::bsatn::SkipValue(type, typespace, r));
  return r.offset();
}

Result<TxRecordView> DecodeTxRecordPrefix(sats::ByteSpan data, const RowSizeFn& row_size, size_t* consumed) {
  Cursor c(data);
  TxRecordView tx;
  STDB_ASSIGN_OR_RETURN(uint8_t flags, c.U8("flags"));
  if (flags & format::kTxFlagsReservedMask) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", flags);
    return c.Fail(std::string("unknown flags ") + hex + " (reserved bits set)", 0);
  }
  if (flags & format::kTxFlagHaveInputs) {
    size_t at = c.pos();
    STDB_ASSIGN_OR_RETURN(uint32_t total_len, c.U32("inputs length"));
    STDB_ASSIGN_OR_RETURN(uint8_t name_len, c.U8("reducer name length"));
    if (total_len < 1u + name_len)
      return c.Fail("inputs length " + std::to_string(total_len) + " is shorter than its reducer name (" +
                        std::to_string(name_len) + " bytes) plus the length byte",
                    at);
    TxInputsView inputs;
    STDB_ASSIGN_OR_RETURN(inputs.reducer_name, c.Utf8(name_len, "reducer name"));
    STDB_ASSIGN_OR_RETURN(inputs.args, c.Take(total_len - 1u - name_len, "reducer arguments"));
    tx.inputs = inputs;
  }
  if (flags & format::kTxFlagHaveOutputs) {
    STDB_ASSIGN_OR_RETURN(uint8_t len, c.U8("outputs length"));
    STDB_ASSIGN_OR_RETURN(tx.outputs, c.Utf8(len, "reducer output"));
  }
  if (flags & format::kTxFlagHaveMutations) {
    TxMutationsView m;
    STDB_ASSIGN_OR_RETURN(m.inserts, DecodeOps(c, row_size, "inserts"));
    STDB_ASSIGN_OR_RETURN(m.deletes, DecodeOps(c, row_size, "deletes"));
    STDB_ASSIGN_OR_RETURN(uint64_t n_truncates, c.Count(4, 0, "truncate count"));
    m.truncates.reserve(n_truncates);
    for (uint64_t i = 0; i < n_truncates; ++i) {
      STDB_ASSIGN_OR_RETURN(uint32_t table_id, c.U32("truncated table id"));
      m.truncates.push_back(table_id);
    }
    tx.mutations = std::move(m);
  }
  *consumed = c.pos();
  return tx;
}

Result<TxRecordView> DecodeTxRecord(sats::ByteSpan data, const RowSizeFn& row_size) {
  size_t consumed = 0;
  STDB_ASSIGN_OR_RETURN(TxRecordView tx, DecodeTxRecordPrefix(data, row_size, &consumed));
  if (consumed != data.size())
    return Error(ErrorCode::kDecode, "Txdata: " + std::to_string(data.size() - consumed) +
                                         " trailing bytes after the record at offset " + std::to_string(consumed));
  return tx;
}

TxRecord TxRecordView::ToOwned() const {
  TxRecord tx;
  if (inputs) tx.inputs = TxInputs{std::string(inputs->reducer_name), sats::Bytes(inputs->args.begin(), inputs->args.end())};
  if (outputs) tx.outputs = std::string(*outputs);
  if (mutations) tx.mutations = TxMutations{OwnOps(mutations->inserts), OwnOps(mutations->deletes), mutations->truncates};
  return tx;
}

}  // namespace stdb::durability
