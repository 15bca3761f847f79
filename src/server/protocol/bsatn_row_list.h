// BsatnRowList: a list of BSATN-encoded rows as every binary WebSocket protocol carries them
// (spec/client-protocol.md §7; the same type in v1.bsatn, v2 and v3).
//
// Wire layout (the BSATN of the product {size_hint: RowSizeHint, rows_data: bytes}):
//   size_hint   u8 tag, then
//                 0 FixedSize:  u16 size                  every row is exactly `size` bytes (size > 0)
//                 1 RowOffsets: u32 count, count x u64    start offset of each row in rows_data; a row ends where
//                                                         the next one starts, the last at the end of rows_data
//   rows_data   u32 length, then the rows back to back (no separators)
// The empty list is RowOffsets([]) with no data: 01 00000000 00000000.
//
// A BsatnRowList is immutable and holds exactly its wire bytes, reference-counted: it is built or decoded once,
// then copied cheaply into as many messages as carry it, and encoding it is a single memcpy. Row access parses
// the hint in place.
//
// BsatnRowListBuilder follows the reference builder: FixedSize while every row has the same non-zero length that
// fits a u16; RowOffsets as soon as lengths differ, for zero-length rows, and for rows longer than 65535 bytes.
//
// Decoding (for clients and tests) is strict: FixedSize(0), data that is not a multiple of the fixed size, offsets
// that do not start at 0, decrease or point past the data, and data without any offset are all rejected.
//
// Thread-safety: BsatnRowList is immutable; copies share their bytes and may be used from any thread.
// BsatnRowListBuilder is a single-threaded value.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::server::protocol {

// The tag of RowSizeHint.
enum class RowSizeHintKind : uint8_t { kFixedSize = 0, kRowOffsets = 1 };

class BsatnRowList {
 public:
  // The empty list, RowOffsets([]).
  BsatnRowList();

  // A FixedSize list: `row_size` must be non-zero and `rows_data` a multiple of it (possibly empty).
  static Result<BsatnRowList> FixedSize(uint16_t row_size, sats::ByteSpan rows_data);
  // A RowOffsets list with explicit offsets (validated like a decoded list).
  static Result<BsatnRowList> RowOffsets(std::span<const uint64_t> offsets, sats::ByteSpan rows_data);
  // Wraps wire bytes encoded elsewhere (e.g. once per query by the subscription engine), sharing them; the bytes
  // are validated.
  static Result<BsatnRowList> FromWire(std::shared_ptr<const sats::Bytes> wire);
  // Builds a list from individual rows with the builder's policy.
  static BsatnRowList FromRows(std::span<const sats::ByteSpan> rows);

  // Reads one list at the reader's position, validates it and copies its bytes.
  static Result<BsatnRowList> Decode(sats::bsatn::Reader& r);

  RowSizeHintKind hint_kind() const { return kind_; }
  // The row size of a FixedSize list (0 for RowOffsets).
  uint16_t fixed_size() const { return fixed_size_; }
  // Number of rows.
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Bytes of row `i` (i < size()); points into this list's storage.
  sats::ByteSpan row(size_t i) const;
  // Offset of row `i` within rows_data().
  uint64_t row_offset(size_t i) const;
  // All rows' bytes, back to back.
  sats::ByteSpan rows_data() const { return wire().subspan(data_pos_, data_len_); }

  // The encoded form (size hint and rows data).
  sats::ByteSpan wire() const;
  size_t encoded_size() const { return wire().size(); }
  // Appends the wire bytes (a plain copy; insert() avoids Writer::Raw's zero-fill of large lists).
  void Encode(sats::bsatn::Writer& w) const {
    sats::ByteSpan b = wire();
    w.buffer().insert(w.buffer().end(), b.begin(), b.end());
  }

  bool operator==(const BsatnRowList& o) const;

 private:
  friend class BsatnRowListBuilder;
  // Takes wire bytes already known to be valid; parses the hint.
  explicit BsatnRowList(std::shared_ptr<const sats::Bytes> wire);
  static Status Validate(sats::ByteSpan wire);

  std::shared_ptr<const sats::Bytes> wire_;  // null for the empty list
  RowSizeHintKind kind_ = RowSizeHintKind::kRowOffsets;
  uint16_t fixed_size_ = 0;
  size_t count_ = 0;
  size_t data_pos_ = 0;  // position of rows_data within the wire bytes
  size_t data_len_ = 0;
};

// Accumulates rows and produces a BsatnRowList. Rows are copied once, into the buffer that becomes the list's
// storage (for FixedSize lists no further copy is made).
class BsatnRowListBuilder {
 public:
  BsatnRowListBuilder();

  // Appends one row.
  void Append(sats::ByteSpan row);
  // Encoding a row in place: append the row's bytes to the returned buffer (e.g. with a bsatn::Writer), then call
  // EndRow(). The buffer must only grow between the two calls.
  sats::Bytes& BeginRow();
  void EndRow();

  size_t num_rows() const { return num_rows_; }
  size_t data_size() const { return buf_.size() - kHeaderReserve; }

  // Returns the list and leaves the builder empty, ready for reuse. The rows data must stay below 4 GiB (the
  // u32 length of BSATN byte arrays).
  BsatnRowList Finish();

 private:
  enum class State { kEmpty, kFixed, kOffsets };
  // Room for tag + u16 + u32 in front of the data so a FixedSize list needs no copy.
  static constexpr size_t kHeaderReserve = 7;

  void RowAdded(size_t start);
  void Reset();

  sats::Bytes buf_;
  State state_ = State::kEmpty;
  size_t fixed_size_ = 0;
  std::vector<uint64_t> offsets_;
  size_t num_rows_ = 0;
  size_t row_start_ = 0;
};

}  // namespace stdb::server::protocol
