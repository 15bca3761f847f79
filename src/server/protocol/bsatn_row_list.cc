#include "server/protocol/bsatn_row_list.h"

#include <bit>
#include <cassert>
#include <cstring>
#include <string>

namespace stdb::server::protocol {

static_assert(std::endian::native == std::endian::little, "BSATN is little-endian; the encoders copy host integers");

namespace {

using sats::ByteSpan;
using sats::Bytes;
using sats::bsatn::Reader;

// The empty list's bytes: RowOffsets, zero offsets, zero data bytes.
constexpr uint8_t kEmptyWire[] = {1, 0, 0, 0, 0, 0, 0, 0, 0};

uint64_t LoadU64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

void StoreU16(uint8_t* p, uint16_t v) { std::memcpy(p, &v, 2); }
void StoreU32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }

// Where the parts of a row list lie, relative to its first byte.
struct Layout {
  RowSizeHintKind kind = RowSizeHintKind::kRowOffsets;
  uint16_t fixed_size = 0;
  size_t count = 0;
  size_t offsets_pos = 0;
  size_t data_pos = 0;
  size_t data_len = 0;
  size_t total = 0;
};

// Reads one row list at the reader's position and checks its consistency. On failure the reader is failed too.
Result<Layout> ReadLayout(Reader& r) {
  const size_t start = r.offset();
  Layout l;
  const uint8_t* offsets = nullptr;
  size_t tag_at = r.offset();
  uint8_t tag = r.U8();
  if (!r.ok()) return r.error();
  if (tag == 0) {
    l.kind = RowSizeHintKind::kFixedSize;
    l.fixed_size = r.U16();
  } else if (tag == 1) {
    l.kind = RowSizeHintKind::kRowOffsets;
    l.count = r.ArrayLength(8, "row offsets");
    l.offsets_pos = r.offset() - start;
    offsets = r.Raw(l.count * 8, "row offsets").data();
  } else {
    r.Fail("unknown RowSizeHint tag " + std::to_string(tag) + " at offset " + std::to_string(tag_at) +
           " (expected 0 FixedSize or 1 RowOffsets)");
  }
  if (!r.ok()) return r.error();
  size_t data_at = r.offset();
  ByteSpan data = r.ByteArray();
  if (!r.ok()) return r.error();
  l.data_pos = data_at + 4 - start;
  l.data_len = data.size();
  l.total = r.offset() - start;

  auto fail = [&](const std::string& why) -> Result<Layout> {
    r.Fail("invalid row list at offset " + std::to_string(start) + ": " + why);
    return r.error();
  };
  if (l.kind == RowSizeHintKind::kFixedSize) {
    if (l.fixed_size == 0) return fail("FixedSize(0) cannot delimit rows");
    if (l.data_len % l.fixed_size != 0)
      return fail(std::to_string(l.data_len) + " bytes of row data are not a multiple of the fixed row size " +
                  std::to_string(l.fixed_size));
    l.count = l.data_len / l.fixed_size;
    return l;
  }
  if (l.count == 0) {
    if (l.data_len != 0) return fail(std::to_string(l.data_len) + " bytes of row data but no row offsets");
    return l;
  }
  uint64_t prev = 0;
  for (size_t i = 0; i < l.count; ++i) {
    uint64_t off = LoadU64(offsets + 8 * i);
    if (i == 0 && off != 0) return fail("the first row offset is " + std::to_string(off) + ", not 0");
    if (off < prev)
      return fail("row offset " + std::to_string(i) + " (" + std::to_string(off) + ") is below the previous one (" +
                  std::to_string(prev) + ")");
    if (off > l.data_len)
      return fail("row offset " + std::to_string(i) + " (" + std::to_string(off) + ") is past the end of " +
                  std::to_string(l.data_len) + " bytes of row data");
    prev = off;
  }
  return l;
}

}  // namespace

BsatnRowList::BsatnRowList() : data_pos_(sizeof(kEmptyWire)) {}

BsatnRowList::BsatnRowList(std::shared_ptr<const Bytes> wire) : wire_(std::move(wire)) {
  Reader r(*wire_);
  auto layout = ReadLayout(r);
  assert(layout.ok() && r.at_end());
  kind_ = layout->kind;
  fixed_size_ = layout->fixed_size;
  count_ = layout->count;
  data_pos_ = layout->data_pos;
  data_len_ = layout->data_len;
}

ByteSpan BsatnRowList::wire() const {
  if (!wire_) return ByteSpan(kEmptyWire, sizeof(kEmptyWire));
  return ByteSpan(*wire_);
}

uint64_t BsatnRowList::row_offset(size_t i) const {
  assert(i < count_);
  if (kind_ == RowSizeHintKind::kFixedSize) return uint64_t(i) * fixed_size_;
  // The offsets array sits right before the u32 data length.
  const uint8_t* offsets = wire().data() + data_pos_ - 4 - 8 * count_;
  return LoadU64(offsets + 8 * i);
}

ByteSpan BsatnRowList::row(size_t i) const {
  uint64_t start = row_offset(i);
  uint64_t end = (kind_ == RowSizeHintKind::kFixedSize) ? start + fixed_size_
                 : (i + 1 < count_)                     ? row_offset(i + 1)
                                                        : data_len_;
  return rows_data().subspan(start, end - start);
}

bool BsatnRowList::operator==(const BsatnRowList& o) const {
  ByteSpan a = wire(), b = o.wire();
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}

Status BsatnRowList::Validate(ByteSpan wire) {
  Reader r(wire);
  auto layout = ReadLayout(r);
  if (!layout.ok()) return std::move(layout).error();
  if (!r.at_end()) return Error(ErrorCode::kInvalidArgument, "row list has trailing bytes");
  return OkStatus();
}

Result<BsatnRowList> BsatnRowList::Decode(Reader& r) {
  const uint8_t* begin = r.cursor();
  auto layout = ReadLayout(r);
  if (!layout.ok()) return std::move(layout).error();
  auto wire = std::make_shared<const Bytes>(begin, begin + layout->total);
  return BsatnRowList(std::move(wire));
}

Result<BsatnRowList> BsatnRowList::FromWire(std::shared_ptr<const Bytes> wire) {
  if (!wire) return BsatnRowList();
  STDB_RETURN_IF_ERROR(Validate(*wire));
  return BsatnRowList(std::move(wire));
}

Result<BsatnRowList> BsatnRowList::FixedSize(uint16_t row_size, ByteSpan rows_data) {
  if (rows_data.size() > UINT32_MAX) return Error(ErrorCode::kInvalidArgument, "row data over 4 GiB");
  Bytes wire;
  wire.reserve(7 + rows_data.size());
  sats::bsatn::Writer w(wire);
  w.U8(0);
  w.U16(row_size);
  w.ByteArray(rows_data);
  STDB_RETURN_IF_ERROR(Validate(wire));
  return BsatnRowList(std::make_shared<const Bytes>(std::move(wire)));
}

Result<BsatnRowList> BsatnRowList::RowOffsets(std::span<const uint64_t> offsets, ByteSpan rows_data) {
  if (rows_data.size() > UINT32_MAX || offsets.size() > UINT32_MAX)
    return Error(ErrorCode::kInvalidArgument, "row list over 4 GiB");
  Bytes wire;
  wire.reserve(9 + 8 * offsets.size() + rows_data.size());
  sats::bsatn::Writer w(wire);
  w.U8(1);
  w.U32(static_cast<uint32_t>(offsets.size()));
  for (uint64_t o : offsets) w.U64(o);
  w.ByteArray(rows_data);
  STDB_RETURN_IF_ERROR(Validate(wire));
  return BsatnRowList(std::make_shared<const Bytes>(std::move(wire)));
}

BsatnRowList BsatnRowList::FromRows(std::span<const ByteSpan> rows) {
  BsatnRowListBuilder b;
  for (ByteSpan row : rows) b.Append(row);
  return b.Finish();
}

// --- Builder ---------------------------------------------------------------------------------------------------

BsatnRowListBuilder::BsatnRowListBuilder() { Reset(); }

void BsatnRowListBuilder::Reset() {
  buf_.clear();
  buf_.resize(kHeaderReserve);
  state_ = State::kEmpty;
  fixed_size_ = 0;
  offsets_.clear();
  num_rows_ = 0;
  row_start_ = 0;
}

void BsatnRowListBuilder::Append(ByteSpan row) {
  size_t start = buf_.size();
  buf_.insert(buf_.end(), row.begin(), row.end());
  RowAdded(start);
}

Bytes& BsatnRowListBuilder::BeginRow() {
  row_start_ = buf_.size();
  return buf_;
}

void BsatnRowListBuilder::EndRow() {
  assert(buf_.size() >= row_start_);
  RowAdded(row_start_);
}

void BsatnRowListBuilder::RowAdded(size_t start) {
  const size_t len = buf_.size() - start;
  const uint64_t offset = start - kHeaderReserve;
  switch (state_) {
    case State::kEmpty:
      if (len == 0) {
        state_ = State::kOffsets;
        offsets_.push_back(offset);
      } else {
        state_ = State::kFixed;
        fixed_size_ = len;
      }
      break;
    case State::kFixed:
      if (len != fixed_size_) {
        // Switch to offsets: every row so far had the fixed size.
        state_ = State::kOffsets;
        offsets_.reserve(num_rows_ + 1);
        for (size_t i = 0; i < num_rows_; ++i) offsets_.push_back(uint64_t(i) * fixed_size_);
        offsets_.push_back(offset);
      }
      break;
    case State::kOffsets:
      offsets_.push_back(offset);
      break;
  }
  ++num_rows_;
}

BsatnRowList BsatnRowListBuilder::Finish() {
  const size_t data_len = buf_.size() - kHeaderReserve;
  assert(data_len <= UINT32_MAX);
  if (state_ == State::kEmpty) {
    Reset();
    return BsatnRowList();
  }
  if (state_ == State::kFixed && fixed_size_ > UINT16_MAX) {
    state_ = State::kOffsets;
    for (size_t i = 0; i < num_rows_; ++i) offsets_.push_back(uint64_t(i) * fixed_size_);
  }
  std::shared_ptr<const Bytes> wire;
  if (state_ == State::kFixed) {
    buf_[0] = 0;
    StoreU16(&buf_[1], static_cast<uint16_t>(fixed_size_));
    StoreU32(&buf_[3], static_cast<uint32_t>(data_len));
    wire = std::make_shared<const Bytes>(std::move(buf_));
  } else {
    Bytes out;
    out.resize(1 + 4 + 8 * offsets_.size() + 4 + data_len);
    uint8_t* p = out.data();
    *p++ = 1;
    StoreU32(p, static_cast<uint32_t>(offsets_.size()));
    p += 4;
    std::memcpy(p, offsets_.data(), 8 * offsets_.size());  // u64 LE, the host order
    p += 8 * offsets_.size();
    StoreU32(p, static_cast<uint32_t>(data_len));
    p += 4;
    if (data_len) std::memcpy(p, buf_.data() + kHeaderReserve, data_len);
    wire = std::make_shared<const Bytes>(std::move(out));
  }
  buf_ = Bytes();
  Reset();
  return BsatnRowList(std::move(wire));
}

}  // namespace stdb::server::protocol
