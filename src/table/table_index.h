// TableIndex: one index of a table — its schema, how keys are made from rows, and the ordered structure.
//
// Every algorithm (btree, hash, direct) is kept in a copy-on-write B-tree (cow_btree.h) over the key encodings of
// index_key.h; the algorithms differ in what they allow, exactly as the reference: hash indexes answer point
// lookups only (a range scan is refused with WrongIndexAlgorithm), direct indexes are unique over unsigned
// integer or simple-enum keys. Keeping one structure keeps snapshot reads uniform; the cost is that hash lookups
// are O(log n) instead of O(1).
//
// Ranges are expressed on encoded keys: an optional prefix (the first k key columns, equal) and lower/upper
// bounds on column k (included, excluded or unbounded), like the ABI's index range scans.
//
// Thread-safety: mutations on the writer thread; View scans from any thread while the view's snapshot is live.
#pragma once

#include <absl/container/flat_hash_set.h>

#include <memory>
#include <string>
#include <vector>

#include "sats/algebraic_value.h"
#include "sats/bsatn.h"
#include "table/cow_btree.h"
#include "table/index_key.h"
#include "table/row_layout.h"
#include "table/table_schema.h"

namespace stdb::table {

using U64Tree = CowBTree<U64KeyTraits>;
using BytesTree = CowBTree<BytesKeyTraits>;

// An encoded key: `u64` for the U64 shape, `bytes` for the Bytes shape.
struct IndexKey {
  uint64_t u64 = 0;
  std::string bytes;
};

struct KeyBound {
  enum class Kind { kUnbounded, kIncluded, kExcluded };
  Kind kind = Kind::kUnbounded;
  IndexKey key;  // for Bytes shape: encoding of the bounded column only
};

struct KeyRange {
  std::string prefix;  // Bytes shape: encoded equal prefix columns (may be empty)
  KeyBound lower;
  KeyBound upper;
};

class TableIndex {
 public:
  struct View {
    KeyShape shape = KeyShape::kU64;
    U64Tree::View u64;
    BytesTree::View bytes;
    size_t size() const { return shape == KeyShape::kU64 ? u64.size : bytes.size; }
  };

  // `rows` is the table's row store (used to find keys of rows in the writer's point-lookup set).
  TableIndex(IndexSchema schema, const RowLayout& layout, const class RowStore* rows, SnapshotEpochs* epochs);

  const IndexSchema& schema() const { return schema_; }
  KeyShape shape() const { return shape_; }
  bool unique() const { return schema_.unique; }
  bool supports_range() const { return schema_.algorithm != IndexAlgorithm::kHash; }
  // The types of the key columns, in index order.
  const std::vector<sats::AlgebraicType>& key_types() const { return key_types_; }

  // The key of a row of this table.
  IndexKey KeyOfRow(ByteSpan row) const;
  // The key from the BSATN of a full key value (point scans): concatenated column values.
  Result<IndexKey> KeyFromBsatn(ByteSpan key_bsatn) const;
  // The key from values of the key columns (SQL lookups).
  IndexKey KeyFromValues(const std::vector<sats::AlgebraicValue>& values) const;
  // A range from the ABI's encoding: `prefix_elems` equal columns given as concatenated BSATN, and two BSATN
  // Bound<V> values for the next column (tag 0 included, 1 excluded, 2 unbounded).
  Result<KeyRange> RangeFromBsatn(ByteSpan prefix, uint16_t prefix_elems, ByteSpan lower, ByteSpan upper) const;
  // Encodes one key column value (the column at position `key_col` of the index).
  void EncodeColumn(size_t key_col, const sats::AlgebraicValue& value, std::string& out) const;

  void Insert(ByteSpan row, RowId id);
  void Erase(ByteSpan row, RowId id);
  void Clear();

  View view() const;
  size_t size() const { return shape_ == KeyShape::kU64 ? u64_.size() : bytes_.size(); }
  size_t memory_bytes() const {
    return (shape_ == KeyShape::kU64 ? u64_.memory_bytes() : bytes_.memory_bytes()) +
           point_set_.capacity() * (sizeof(RowId) + 1);
  }

  // Scans: call fn(RowId) for each match in key order; fn returns false to stop early.
  template <typename Fn>
  static void ScanPoint(const View& v, const IndexKey& key, Fn&& fn);
  template <typename Fn>
  static void ScanRange(const View& v, const KeyRange& range, Fn&& fn);
  template <typename Fn>
  static void ScanAll(const View& v, Fn&& fn);
  // First row with this key, or kNoRow.
  static RowId FindFirst(const View& v, const IndexKey& key);
  // The writer's lookup of the first row with `key` in the current state. Unique indexes with U64 keys answer from
  // a hash set of row ids (about two cache misses instead of one per B-tree level), which only the writer uses.
  RowId Find(const IndexKey& key) const;

 private:
  IndexSchema schema_;
  KeyShape shape_;
  std::vector<sats::AlgebraicType> key_types_;
  const RowLayout* layout_;
  U64Tree u64_;
  BytesTree bytes_;

  // Writer-only point lookups for unique U64 indexes: a set of row ids hashed and compared by their key.
  struct U64Probe {
    uint64_t key;
  };
  struct PointHash {
    using is_transparent = void;
    const TableIndex* index;
    size_t operator()(RowId id) const;
    size_t operator()(U64Probe p) const;
  };
  struct PointEq {
    using is_transparent = void;
    const TableIndex* index;
    bool operator()(RowId a, RowId b) const { return a == b; }
    bool operator()(RowId a, U64Probe b) const;
    bool operator()(U64Probe a, RowId b) const { return (*this)(b, a); }
  };
  uint64_t U64KeyOfStoredRow(RowId id) const;
  const RowStore* rows_;
  bool use_point_set_;
  absl::flat_hash_set<RowId, PointHash, PointEq> point_set_;
};

// --- scans -------------------------------------------------------------------------------------------------------

namespace internal {

inline bool HasPrefix(const std::string& key, const std::string& prefix) {
  return key.size() >= prefix.size() && std::memcmp(key.data(), prefix.data(), prefix.size()) == 0;
}

}  // namespace internal

inline RowId TableIndex::FindFirst(const View& v, const IndexKey& key) {
  return v.shape == KeyShape::kU64 ? U64Tree::FindFirst(v.u64, key.u64) : BytesTree::FindFirst(v.bytes, key.bytes);
}

template <typename Fn>
void TableIndex::ScanPoint(const View& v, const IndexKey& key, Fn&& fn) {
  if (v.shape == KeyShape::kU64) {
    for (auto c = U64Tree::LowerBound(v.u64, [&](uint64_t k) { return U64KeyTraits::Compare(k, key.u64); });
         c.Valid() && c.key() == key.u64; c.Next())
      if (!fn(c.row())) return;
  } else {
    for (auto c = BytesTree::LowerBound(v.bytes, [&](const std::string& k) { return BytesKeyTraits::Compare(k, key.bytes); });
         c.Valid() && c.key() == key.bytes; c.Next())
      if (!fn(c.row())) return;
  }
}

template <typename Fn>
void TableIndex::ScanAll(const View& v, Fn&& fn) {
  if (v.shape == KeyShape::kU64) {
    for (auto c = U64Tree::Begin(v.u64); c.Valid(); c.Next())
      if (!fn(c.row())) return;
  } else {
    for (auto c = BytesTree::Begin(v.bytes); c.Valid(); c.Next())
      if (!fn(c.row())) return;
  }
}

template <typename Fn>
void TableIndex::ScanRange(const View& v, const KeyRange& r, Fn&& fn) {
  using K = KeyBound::Kind;
  if (v.shape == KeyShape::kU64) {
    uint64_t lo = r.lower.key.u64, hi = r.upper.key.u64;
    if (r.lower.kind == K::kExcluded) {
      if (lo == UINT64_MAX) return;
      ++lo;
    } else if (r.lower.kind == K::kUnbounded) {
      lo = 0;
    }
    auto c = U64Tree::LowerBound(v.u64, [&](uint64_t k) { return U64KeyTraits::Compare(k, lo); });
    for (; c.Valid(); c.Next()) {
      uint64_t k = c.key();
      if (r.upper.kind == K::kIncluded && k > hi) return;
      if (r.upper.kind == K::kExcluded && k >= hi) return;
      if (!fn(c.row())) return;
    }
    return;
  }
  std::string lower = r.prefix + r.lower.key.bytes;
  std::string upper = r.prefix + r.upper.key.bytes;
  auto probe = [&](const std::string& k) {
    if (r.lower.kind == K::kExcluded && internal::HasPrefix(k, lower)) return -1;
    return BytesKeyTraits::Compare(k, r.lower.kind == K::kUnbounded ? r.prefix : lower);
  };
  for (auto c = BytesTree::LowerBound(v.bytes, probe); c.Valid(); c.Next()) {
    const std::string& k = c.key();
    switch (r.upper.kind) {
      case K::kUnbounded:
        if (!internal::HasPrefix(k, r.prefix)) return;
        break;
      case K::kIncluded:
        if (BytesKeyTraits::Compare(k, upper) > 0 && !internal::HasPrefix(k, upper)) return;
        break;
      case K::kExcluded:
        if (BytesKeyTraits::Compare(k, upper) >= 0) return;
        break;
    }
    if (!fn(c.row())) return;
  }
}

}  // namespace stdb::table
