// DatabaseContext: `ctx.db`, the module's view of its tables inside the current transaction.
//
// ctx.db[tag] picks the accessor from the tag's type: the table tag of SPACETIMEDB_TABLE gives a TableAccessor,
// the `<table>_<field>` tag of a FIELD_* macro gives the primary-key, unique or plain index accessor, and a
// FIELD_MultiColumnIndex tag the multi-column one. Accessors are small values that look ids up lazily, so
// creating one per use costs nothing.
//
// Thread-safety: none; a module instance is single-threaded.
#pragma once

#include <string>
#include <string_view>

#include "spacetimedb/index_accessors.h"
#include "spacetimedb/table.h"

namespace SpacetimeDB {

template <typename Tag>
concept TableTagType = requires {
  typename Tag::type;
  { Tag::__table_name_internal } -> std::convertible_to<const char*>;
};

class DatabaseContext {
 public:
  template <TableTagType Tag>
  TableAccessor<typename Tag::type> operator[](const Tag&) const {
    return TableAccessor<typename Tag::type>(Tag::__table_name_internal);
  }

  template <typename Row, typename Field, bool IsEvent>
  PrimaryKeyAccessor<Row, Field> operator[](const FieldTag<Row, Field, FieldConstraint::PrimaryKey, IsEvent>& tag) const {
    return PrimaryKeyAccessor<Row, Field>(tag.table_name, tag.field_name, tag.member_ptr);
  }

  template <typename Row, typename Field, bool IsEvent>
  UniqueIndexAccessor<Row, Field> operator[](const FieldTag<Row, Field, FieldConstraint::Unique, IsEvent>& tag) const {
    return UniqueIndexAccessor<Row, Field>(tag.table_name, tag.field_name, tag.member_ptr);
  }

  template <typename Row, typename Field, bool IsEvent>
  FieldIndexAccessor<Row, Field> operator[](const FieldTag<Row, Field, FieldConstraint::Indexed, IsEvent>& tag) const {
    return FieldIndexAccessor<Row, Field>(tag.table_name, tag.field_name, tag.member_ptr);
  }

  template <typename Row, typename... Columns>
  MultiColumnIndexAccessor<Row, Columns...> operator[](const MultiColumnIndexTag<Row, Columns...>& tag) const {
    return MultiColumnIndexAccessor<Row, Columns...>(tag.table_name, tag.accessor_name, tag.column_list);
  }
};

}  // namespace SpacetimeDB
