// StructFields<T>: the field list of a SPACETIMEDB_STRUCT type, for code that works column by column.
//
// SPACETIMEDB_STRUCT specialises it with the field names in declaration (= BSATN = column) order and a visitor
// over the fields. Tables use it to map FIELD_* macro names to column ids and to patch auto-increment values the
// host generated back into an inserted row.
//
//   template <> struct StructFields<Row> {
//     static constexpr const char* names[] = {"id", "name"};
//     static constexpr size_t count = 2;
//     template <typename F> static void for_each(Row& row, F&& f);        // f(column_index, field&)
//     template <typename F> static void for_each(const Row& row, F&& f);  // f(column_index, const field&)
//   };
//
// Thread-safety: stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "spacetimedb/types/wide_int.h"

namespace SpacetimeDB::Internal {

template <typename T>
struct StructFields;  // specialised by SPACETIMEDB_STRUCT

template <typename T>
concept HasStructFields = requires { StructFields<T>::count; StructFields<T>::names[0]; };

// The column index of `field_name` in T, or -1.
template <HasStructFields T>
constexpr int ColumnIndexOf(std::string_view field_name) {
  for (size_t i = 0; i < StructFields<T>::count; ++i)
    if (std::string_view(StructFields<T>::names[i]) == field_name) return static_cast<int>(i);
  return -1;
}

}  // namespace SpacetimeDB::Internal

namespace SpacetimeDB {

// Column types that may carry a sequence (FIELD_*AutoInc).
template <typename T>
concept AutoIncrementable =
    (std::is_integral_v<T> && !std::is_same_v<T, bool>) || std::is_same_v<T, u128> || std::is_same_v<T, i128> ||
    std::is_same_v<T, u256> || std::is_same_v<T, i256>;

namespace Internal {
// Whether an auto-increment column holds the sequence trigger 0 (the host replaces it with the next value).
template <typename T>
bool IsSequenceTrigger(const T& value) {
  if constexpr (std::is_integral_v<T>) {
    return value == 0;
  } else if constexpr (AutoIncrementable<T>) {
    return value.is_zero();
  } else {
    return false;
  }
}
}  // namespace Internal

}  // namespace SpacetimeDB
