// Index accessors: what `ctx.db[table_field]` returns for a column declared with a FIELD_* macro, and
// `ctx.db[table_index]` for FIELD_MultiColumnIndex.
//
//   ctx.db[user_identity].find(id)              -> std::optional<User>   (primary key / unique)
//   ctx.db[user_identity].update(user)          -> bool (false if no row has that key)
//   ctx.db[user_identity].delete_by_key(id)     -> bool
//   ctx.db[person_age].filter(30)               -> rows with age == 30
//   ctx.db[person_age].filter(range(18, 65))    -> rows with 18 <= age < 65, in index order
//   ctx.db[score_by_player_level].filter(std::make_tuple(player, level))   (every column, or a prefix)
//   ctx.db[score_by_player_level].filter(std::make_tuple(player, range_from(10)))
//
// Every index the SDK declares is a btree whose source name is "<table>_<col1>[_<col2>...]_idx_btree"; the
// accessor looks its id up under that name once (host_calls.h). Keys are converted to the column types before
// they are encoded, so filter(30) works on a uint64_t column. Wire forms (spec/module-abi.md §2.7): a point scan
// sends the BSATN of the whole key (column values back to back); a range scan sends the equal prefix columns
// plus a Bound for the next column (Included 0 / Excluded 1 / Unbounded 2).
//
// Thread-safety: none; a module instance is single-threaded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/internal/module_builder.h"
#include "spacetimedb/range_queries.h"
#include "spacetimedb/row_iterator.h"
#include "spacetimedb/table.h"

namespace SpacetimeDB {

// The tag FIELD_PrimaryKey/Unique/Index (and their AutoInc forms) define as `<table>_<field>`.
template <typename Row, typename Field, FieldConstraint Constraint, bool IsEventTable = false>
struct FieldTag {
  const char* table_name;
  const char* field_name;
  Field Row::*member_ptr;

  static constexpr FieldConstraint constraint = Constraint;
  using table_type = Row;
  using field_type = Field;

  constexpr FieldTag(const char* table, const char* field, Field Row::*member)
      : table_name(table), field_name(field), member_ptr(member) {}
};

template <typename Row, typename Field, bool IsEventTable = false>
using PrimaryKeyFieldTag = FieldTag<Row, Field, FieldConstraint::PrimaryKey, IsEventTable>;
template <typename Row, typename Field, bool IsEventTable = false>
using UniqueFieldTag = FieldTag<Row, Field, FieldConstraint::Unique, IsEventTable>;
template <typename Row, typename Field, bool IsEventTable = false>
using IndexedFieldTag = FieldTag<Row, Field, FieldConstraint::Indexed, IsEventTable>;

// The tag FIELD_MultiColumnIndex defines as `<table>_<accessor>`; Columns are the indexed columns' types.
template <typename Row, typename... Columns>
struct MultiColumnIndexTag {
  const char* table_name;
  const char* accessor_name;
  const char* column_list;  // "<col1>_<col2>..."

  constexpr MultiColumnIndexTag(const char* table, const char* accessor, const char* columns)
      : table_name(table), accessor_name(accessor), column_list(columns) {}
};

namespace Internal {

// The scans and deletes behind the accessors; byte arguments are already encoded.
RowIter ScanIndexPoint(IndexId index, const std::vector<uint8_t>& point);
RowIter ScanIndexRange(IndexId index, const std::vector<uint8_t>& prefix, uint32_t prefix_elems,
                       const std::vector<uint8_t>& start, const std::vector<uint8_t>& end);
uint32_t DeleteByIndexPoint(IndexId index, const std::vector<uint8_t>& point);
uint32_t DeleteByIndexRange(IndexId index, const std::vector<uint8_t>& prefix, uint32_t prefix_elems,
                            const std::vector<uint8_t>& start, const std::vector<uint8_t>& end);

enum class BoundTag : uint8_t { Included = 0, Excluded = 1, Unbounded = 2 };

template <typename Field>
std::vector<uint8_t> EncodeBound(BoundTag tag, const Field* value) {
  bsatn::Writer w;
  w.write_u8(static_cast<uint8_t>(tag));
  if (value) bsatn::serialize(w, *value);
  return w.take_buffer();
}

// The start and end Bounds of `range`, its values converted to Field.
template <typename Field, typename U>
std::pair<std::vector<uint8_t>, std::vector<uint8_t>> EncodeRange(const Range<U>& range) {
  std::optional<Field> start, end;
  if (range.start) start = static_cast<Field>(*range.start);
  if (range.end) end = static_cast<Field>(*range.end);
  std::vector<uint8_t> start_bound = start ? EncodeBound(BoundTag::Included, &*start)
                                           : EncodeBound<Field>(BoundTag::Unbounded, nullptr);
  const BoundTag end_tag = range.bound_type == RangeBound::Inclusive ? BoundTag::Included : BoundTag::Excluded;
  std::vector<uint8_t> end_bound = end ? EncodeBound(end_tag, &*end) : EncodeBound<Field>(BoundTag::Unbounded, nullptr);
  return {std::move(start_bound), std::move(end_bound)};
}

}  // namespace Internal

// Any single-column btree index.
template <typename Row, typename Field>
class FieldIndexAccessor : public TableAccessor<Row> {
 public:
  using table_type = Row;
  using field_type = Field;

  FieldIndexAccessor(const char* table_name, const char* field_name, Field Row::*member)
      : TableAccessor<Row>(table_name), field_name_(field_name), member_(member) {}

  std::string_view field_name() const { return field_name_; }
  auto member_pointer() const { return member_; }
  IndexId index_id() const { return Internal::ResolveIndexId(this->table_name_, field_name_); }

  // The rows whose column equals `value`.
  RowRange<Row> filter(const Field& value) const {
    return RowRange<Row>(Internal::ScanIndexPoint(index_id(), bsatn::to_bytes(value)),
                         Internal::kIndexScanBufferBytes);
  }
  // The rows whose column lies in `range`, in index order.
  template <typename U>
  RowRange<Row> filter(const Range<U>& range) const {
    auto [start, end] = Internal::EncodeRange<Field>(range);
    return RowRange<Row>(Internal::ScanIndexRange(index_id(), {}, 0, start, end), Internal::kTableScanBufferBytes);
  }
  // Deletes the rows whose column equals `value`; returns how many.
  uint32_t delete_all(const Field& value) const {
    return Internal::DeleteByIndexPoint(index_id(), bsatn::to_bytes(value));
  }
  uint32_t delete_by_value(const Field& value) const { return delete_all(value); }
  template <typename U>
  uint32_t delete_range(const Range<U>& range) const {
    auto [start, end] = Internal::EncodeRange<Field>(range);
    return Internal::DeleteByIndexRange(index_id(), {}, 0, start, end);
  }

 protected:
  const Field& key_of(const Row& row) const { return row.*member_; }

  std::string_view field_name_;
  Field Row::*member_;
};

// A unique column (FIELD_Unique, FIELD_UniqueAutoInc).
template <typename Row, typename Field>
class UniqueIndexAccessor : public FieldIndexAccessor<Row, Field> {
 public:
  using FieldIndexAccessor<Row, Field>::FieldIndexAccessor;

  std::optional<Row> find(const Field& key) const {
    RowRange<Row> rows = this->filter(key);
    auto it = rows.begin();
    if (it == rows.end()) return std::nullopt;
    return std::move(*it);
  }

  // Deletes the row with this key (an Included..Included range delete); false if there was none.
  bool delete_by_key(const Field& key) const {
    const std::vector<uint8_t> bound = Internal::EncodeBound(Internal::BoundTag::Included, &key);
    return Internal::DeleteByIndexRange(this->index_id(), {}, 0, bound, bound) > 0;
  }
  bool delete_by_value(const Field& key) const { return delete_by_key(key); }

  // Replaces the row that has `row`'s key with `row`; false if no row has that key.
  bool update(const Row& row) const { return this->get_table().update_by_index(this->index_id(), row).has_value(); }

  // Updates the row with `row`'s key, or inserts `row` if there is none; returns the stored row.
  Row try_insert_or_update(const Row& row) const {
    if (auto updated = this->get_table().update_by_index(this->index_id(), row)) return *updated;
    return this->insert(row);
  }
};

// The primary key (FIELD_PrimaryKey, FIELD_PrimaryKeyAutoInc): a unique column that is also the row's identity.
template <typename Row, typename Field>
class PrimaryKeyAccessor : public UniqueIndexAccessor<Row, Field> {
 public:
  using UniqueIndexAccessor<Row, Field>::UniqueIndexAccessor;
};

// Names used by the official SDK.
template <typename Row, typename Field>
using TypedPrimaryKeyAccessor = PrimaryKeyAccessor<Row, Field>;
template <typename Row, typename Field>
using TypedUniqueAccessor = UniqueIndexAccessor<Row, Field>;
template <typename Row, typename Field>
using TypedIndexedAccessor = FieldIndexAccessor<Row, Field>;

template <typename T>
struct is_tuple : std::false_type {};
template <typename... Ts>
struct is_tuple<std::tuple<Ts...>> : std::true_type {};
template <typename T>
inline constexpr bool is_tuple_v = is_tuple<std::remove_cvref_t<T>>::value;

// A btree index over several columns.
template <typename Row, typename... Columns>
class MultiColumnIndexAccessor : public TableAccessor<Row> {
  static_assert(sizeof...(Columns) >= 1);
  using ColumnTuple = std::tuple<Columns...>;

 public:
  MultiColumnIndexAccessor(const char* table_name, const char* accessor_name, const char* column_list)
      : TableAccessor<Row>(table_name), accessor_name_(accessor_name), column_list_(column_list) {}

  IndexId index_id() const { return Internal::ResolveIndexId(this->table_name_, column_list_); }

  // Rows matching a prefix of the columns: (v1), (v1, v2), ... each equal, or with a Range as the last element.
  template <typename... Values>
    requires(sizeof...(Values) >= 1 && sizeof...(Values) <= sizeof...(Columns))
  RowRange<Row> filter(const std::tuple<Values...>& values) const {
    constexpr size_t n = sizeof...(Values);
    using Last = std::remove_cvref_t<std::tuple_element_t<n - 1, std::tuple<Values...>>>;
    std::vector<uint8_t> prefix = EncodePrefix<n - 1>(values);
    if constexpr (is_range_v<Last>) {
      using LastColumn = std::tuple_element_t<n - 1, ColumnTuple>;
      auto [start, end] = Internal::EncodeRange<LastColumn>(std::get<n - 1>(values));
      return RowRange<Row>(Internal::ScanIndexRange(index_id(), prefix, n - 1, start, end),
                           Internal::kTableScanBufferBytes);
    } else if constexpr (n == sizeof...(Columns)) {
      bsatn::Writer point(prefix);
      bsatn::serialize(point, static_cast<std::tuple_element_t<n - 1, ColumnTuple>>(std::get<n - 1>(values)));
      return RowRange<Row>(Internal::ScanIndexPoint(index_id(), prefix), Internal::kIndexScanBufferBytes);
    } else {
      const auto last = static_cast<std::tuple_element_t<n - 1, ColumnTuple>>(std::get<n - 1>(values));
      const std::vector<uint8_t> bound = Internal::EncodeBound(Internal::BoundTag::Included, &last);
      return RowRange<Row>(Internal::ScanIndexRange(index_id(), prefix, n - 1, bound, bound),
                           Internal::kTableScanBufferBytes);
    }
  }
  // Rows whose first column equals `value`.
  template <typename Value>
    requires(!is_tuple_v<Value> && !is_range_v<Value>)
  RowRange<Row> filter(const Value& value) const {
    return filter(std::make_tuple(value));
  }
  // Rows whose first column lies in `range`.
  template <typename U>
  RowRange<Row> filter(const Range<U>& range) const {
    return filter(std::make_tuple(range));
  }

 private:
  // The BSATN of the first N values, each converted to its column's type.
  template <size_t N, typename... Values>
  static std::vector<uint8_t> EncodePrefix(const std::tuple<Values...>& values) {
    bsatn::Writer w;
    [&]<size_t... I>(std::index_sequence<I...>) {
      (bsatn::serialize(w, static_cast<std::tuple_element_t<I, ColumnTuple>>(std::get<I>(values))), ...);
    }(std::make_index_sequence<N>{});
    return w.take_buffer();
  }

  std::string_view accessor_name_;
  std::string_view column_list_;
};

template <typename Row, typename... Columns>
using TypedMultiColumnIndexAccessor = MultiColumnIndexAccessor<Row, Columns...>;

}  // namespace SpacetimeDB
