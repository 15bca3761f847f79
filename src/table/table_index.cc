#include "table/table_index.h"

#include "table/row_store.h"

namespace stdb::table {

namespace {

std::vector<sats::AlgebraicType> KeyTypes(const IndexSchema& schema, const RowLayout& layout) {
  std::vector<sats::AlgebraicType> types;
  for (ColId c : schema.columns) types.push_back(layout.column_type(c));
  return types;
}

}  // namespace

TableIndex::TableIndex(IndexSchema schema, const RowLayout& layout, const RowStore* rows, SnapshotEpochs* epochs)
    : schema_(std::move(schema)),
      shape_(KeyShapeFor(KeyTypes(schema_, layout))),
      key_types_(KeyTypes(schema_, layout)),
      layout_(&layout),
      u64_(epochs),
      bytes_(epochs),
      rows_(rows),
      use_point_set_(rows != nullptr && schema_.unique && shape_ == KeyShape::kU64),
      point_set_(0, PointHash{this}, PointEq{this}) {}

namespace {

uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

uint64_t TableIndex::U64KeyOfStoredRow(RowId id) const {
  return U64Key(key_types_[0], layout_->Column(rows_->Get(id), schema_.columns[0]).data());
}

size_t TableIndex::PointHash::operator()(RowId id) const { return Mix64(index->U64KeyOfStoredRow(id)); }
size_t TableIndex::PointHash::operator()(U64Probe p) const { return Mix64(p.key); }
bool TableIndex::PointEq::operator()(RowId a, U64Probe b) const { return index->U64KeyOfStoredRow(a) == b.key; }

RowId TableIndex::Find(const IndexKey& key) const {
  if (use_point_set_) {
    auto it = point_set_.find(U64Probe{key.u64});
    return it == point_set_.end() ? kNoRow : *it;
  }
  return FindFirst(view(), key);
}

IndexKey TableIndex::KeyOfRow(ByteSpan row) const {
  IndexKey key;
  if (shape_ == KeyShape::kU64) {
    key.u64 = U64Key(key_types_[0], layout_->Column(row, schema_.columns[0]).data());
    return key;
  }
  for (size_t i = 0; i < schema_.columns.size(); ++i) {
    ByteSpan col = layout_->Column(row, schema_.columns[i]);
    sats::bsatn::Reader r(col);
    AppendBytesKey(key_types_[i], r, key.bytes);
  }
  return key;
}

Result<IndexKey> TableIndex::KeyFromBsatn(ByteSpan key_bsatn) const {
  sats::bsatn::Reader r(key_bsatn);
  IndexKey key;
  for (size_t i = 0; i < key_types_.size(); ++i) {
    size_t start = r.offset();
    STDB_RETURN_IF_ERROR(sats::bsatn::SkipValue(key_types_[i], nullptr, r));
    ByteSpan col = key_bsatn.subspan(start, r.offset() - start);
    if (shape_ == KeyShape::kU64) {
      key.u64 = U64Key(key_types_[0], col.data());
    } else {
      sats::bsatn::Reader cr(col);
      AppendBytesKey(key_types_[i], cr, key.bytes);
    }
  }
  if (!r.at_end())
    return Error(ErrorCode::kDecode, "index key for '" + schema_.name + "' has " + std::to_string(r.remaining()) +
                                         " trailing bytes");
  return key;
}

IndexKey TableIndex::KeyFromValues(const std::vector<sats::AlgebraicValue>& values) const {
  IndexKey key;
  for (size_t i = 0; i < values.size() && i < key_types_.size(); ++i) {
    if (shape_ == KeyShape::kU64) {
      sats::Bytes b = sats::bsatn::EncodeValue(values[i]);
      key.u64 = U64Key(key_types_[0], b.data());
    } else {
      AppendBytesKey(key_types_[i], values[i], key.bytes);
    }
  }
  return key;
}

void TableIndex::EncodeColumn(size_t key_col, const sats::AlgebraicValue& value, std::string& out) const {
  AppendBytesKey(key_types_[key_col], value, out);
}

Result<KeyRange> TableIndex::RangeFromBsatn(ByteSpan prefix, uint16_t prefix_elems, ByteSpan lower,
                                            ByteSpan upper) const {
  if (prefix_elems >= key_types_.size())
    return Error(ErrorCode::kDecode, "index '" + schema_.name + "' has " + std::to_string(key_types_.size()) +
                                         " key columns; a range prefix of " + std::to_string(prefix_elems) +
                                         " leaves no column for the bounds");
  KeyRange range;
  sats::bsatn::Reader pr(prefix);
  for (uint16_t i = 0; i < prefix_elems; ++i) {
    size_t start = pr.offset();
    STDB_RETURN_IF_ERROR(sats::bsatn::SkipValue(key_types_[i], nullptr, pr));
    sats::bsatn::Reader cr(prefix.subspan(start, pr.offset() - start));
    AppendBytesKey(key_types_[i], cr, range.prefix);
  }
  if (!pr.at_end()) return Error(ErrorCode::kDecode, "index range prefix has trailing bytes");
  const sats::AlgebraicType& bound_type = key_types_[prefix_elems];
  auto decode_bound = [&](ByteSpan bytes, KeyBound* out) -> Status {
    sats::bsatn::Reader r(bytes);
    uint8_t tag = r.U8();
    if (!r.ok()) return r.error();
    if (tag == 2) {
      out->kind = KeyBound::Kind::kUnbounded;
    } else if (tag <= 1) {
      out->kind = tag == 0 ? KeyBound::Kind::kIncluded : KeyBound::Kind::kExcluded;
      size_t start = r.offset();
      STDB_RETURN_IF_ERROR(sats::bsatn::SkipValue(bound_type, nullptr, r));
      ByteSpan v = bytes.subspan(start, r.offset() - start);
      if (shape_ == KeyShape::kU64) {
        out->key.u64 = U64Key(bound_type, v.data());
      } else {
        sats::bsatn::Reader vr(v);
        AppendBytesKey(bound_type, vr, out->key.bytes);
      }
    } else {
      return Error(ErrorCode::kDecode, "invalid Bound tag " + std::to_string(tag));
    }
    if (!r.at_end()) return Error(ErrorCode::kDecode, "index range bound has trailing bytes");
    return OkStatus();
  };
  STDB_RETURN_IF_ERROR(decode_bound(lower, &range.lower));
  STDB_RETURN_IF_ERROR(decode_bound(upper, &range.upper));
  return range;
}

void TableIndex::Insert(ByteSpan row, RowId id) {
  IndexKey key = KeyOfRow(row);
  if (shape_ == KeyShape::kU64) u64_.Insert(key.u64, id);
  else bytes_.Insert(key.bytes, id);
  // The row is already stored under `id`, so the set can read its key.
  if (use_point_set_) point_set_.insert(id);
}

void TableIndex::Erase(ByteSpan row, RowId id) {
  IndexKey key = KeyOfRow(row);
  if (shape_ == KeyShape::kU64) u64_.Erase(key.u64, id);
  else bytes_.Erase(key.bytes, id);
  // Called while the stored row still has its old bytes.
  if (use_point_set_) point_set_.erase(id);
}

void TableIndex::Clear() {
  u64_.Clear();
  bytes_.Clear();
  point_set_.clear();
}

TableIndex::View TableIndex::view() const {
  View v;
  v.shape = shape_;
  v.u64 = u64_.view();
  v.bytes = bytes_.view();
  return v;
}

}  // namespace stdb::table
