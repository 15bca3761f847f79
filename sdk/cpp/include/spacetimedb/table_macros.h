// SPACETIMEDB_TABLE, the FIELD_* column macros and SPACETIMEDB_SCHEDULE.
//
//   SPACETIMEDB_TABLE(Person, person, Public)         a table `person` of rows of type Person (a
//                                                     SPACETIMEDB_STRUCT); defines the tag `person` for ctx.db[person]
//   SPACETIMEDB_TABLE(Person, person, Private, true)  ... an event table; a trailing "name" sets the canonical name
//   FIELD_PrimaryKey(person, id)                      primary key: pk [col], unique constraint, btree index
//                                                     "person_id_idx_btree" (accessor "id"), tag person_id
//   FIELD_PrimaryKeyAutoInc(person, id)               ... plus a sequence (increment 1; 0 on insert = next value)
//   FIELD_Unique / FIELD_UniqueAutoInc(person, email) unique constraint + btree index (+ sequence)
//   FIELD_Index / FIELD_IndexAutoInc(person, age)     btree index (+ sequence)
//   FIELD_AutoInc(person, serial)                     sequence only (no tag)
//   FIELD_MultiColumnIndex(score, by_player_level, player, level)
//                                                     btree "score_player_level_idx_btree" (accessor
//                                                     "by_player_level"), tag score_by_player_level
//   FIELD_Default(person, nickname, std::string("?")) the value existing rows get when the column is added later;
//                                                     not allowed on primary-key, unique or auto-increment columns
//   FIELD_<...>_NAMED(table, field, "canonical")      also gives the index an explicit canonical name
//   SPACETIMEDB_SCHEDULE(tick_schedule, 1, tick)      rows of tick_schedule schedule reducer `tick`; column 1 is
//                                                     the ScheduleAt, the table's primary key a u64
//
// Each macro expands to a `__preinit__NN_*` export (internal/preinit.h): tables register at 20, in byte order of
// "<Type>_line_<N>", and the field macros at 21, after every table exists.
#pragma once

#include <type_traits>

#include "spacetimedb/database.h"
#include "spacetimedb/internal/for_each.h"
#include "spacetimedb/internal/module_builder.h"
#include "spacetimedb/internal/preinit.h"

namespace SpacetimeDB {

namespace Internal {
enum class TableAccess : uint8_t { Public = 0, Private = 1 };

struct TableOptions {
  bool is_event = false;
  const char* canonical_name = nullptr;
};
constexpr TableOptions MakeTableOptions() { return {}; }
constexpr TableOptions MakeTableOptions(bool is_event) { return {is_event, nullptr}; }
constexpr TableOptions MakeTableOptions(const char* canonical_name) { return {false, canonical_name}; }
constexpr TableOptions MakeTableOptions(bool is_event, const char* canonical_name) { return {is_event, canonical_name}; }

void RegisterTableOptions(const char* table_name, const TableOptions& options);
}  // namespace Internal

inline constexpr Internal::TableAccess Public = Internal::TableAccess::Public;
inline constexpr Internal::TableAccess Private = Internal::TableAccess::Private;

}  // namespace SpacetimeDB

// The row type of a table tag.
#define SPACETIMEDB_ROW_OF(table_name) std::remove_cv_t<decltype(table_name)>::type

#define SPACETIMEDB_TABLE_IMPL(Type, table_name, access, options)                                             \
  SPACETIMEDB_PREINIT("__preinit__20_register_table_" #Type "_line_" SPACETIMEDB_STRINGIFY(__LINE__),         \
                      SPACETIMEDB_CONCAT(_spacetimedb_preinit_table_##table_name##_line_, __LINE__)) {       \
    /* Public/Private resolve even without `using namespace SpacetimeDB`. */                                  \
    const bool is_public = [] {                                                                               \
      using namespace ::SpacetimeDB;                                                                          \
      return (access) == ::SpacetimeDB::Internal::TableAccess::Public;                                        \
    }();                                                                                                      \
    constexpr ::SpacetimeDB::Internal::TableOptions table_options = options;                                  \
    ::SpacetimeDB::Internal::RegisterTable<Type>(#table_name, is_public, table_options.is_event);             \
    ::SpacetimeDB::Internal::RegisterTableOptions(#table_name, table_options);                                \
  }                                                                                                           \
  struct table_name##_tag_type : ::SpacetimeDB::TableTag<Type> {                                             \
    static constexpr const char* __table_name_internal = #table_name;                                         \
    static constexpr bool __is_event_internal = (options).is_event;                                           \
  };                                                                                                          \
  inline constexpr table_name##_tag_type table_name{};

#define SPACETIMEDB_TABLE_3(Type, table_name, access) \
  SPACETIMEDB_TABLE_IMPL(Type, table_name, access, ::SpacetimeDB::Internal::MakeTableOptions())
#define SPACETIMEDB_TABLE_4(Type, table_name, access, a4) \
  SPACETIMEDB_TABLE_IMPL(Type, table_name, access, ::SpacetimeDB::Internal::MakeTableOptions(a4))
#define SPACETIMEDB_TABLE_5(Type, table_name, access, a4, a5) \
  SPACETIMEDB_TABLE_IMPL(Type, table_name, access, ::SpacetimeDB::Internal::MakeTableOptions(a4, a5))
#define SPACETIMEDB_TABLE_PICK(_1, _2, _3, _4, _5, NAME, ...) NAME
#define SPACETIMEDB_TABLE(...) \
  SPACETIMEDB_TABLE_PICK(__VA_ARGS__, SPACETIMEDB_TABLE_5, SPACETIMEDB_TABLE_4, SPACETIMEDB_TABLE_3, )(__VA_ARGS__)

// --- single-column constraints ------------------------------------------------------------------------------

#define SPACETIMEDB_FIELD_TAG(table_name, field_name, constraint)                                            \
  inline constexpr ::SpacetimeDB::FieldTag<SPACETIMEDB_ROW_OF(table_name),                                    \
                                           decltype(SPACETIMEDB_ROW_OF(table_name)::field_name), constraint,   \
                                           table_name##_tag_type::__is_event_internal>                        \
      table_name##_##field_name{#table_name, #field_name, &SPACETIMEDB_ROW_OF(table_name)::field_name};

#define SPACETIMEDB_FIELD_CONSTRAINT(table_name, field_name, constraint)                                      \
  SPACETIMEDB_PREINIT("__preinit__21_field_constraint_" #table_name "_" #field_name                          \
                      "_line_" SPACETIMEDB_STRINGIFY(__LINE__),                                               \
                      SPACETIMEDB_CONCAT(_spacetimedb_preinit_field_##table_name##_##field_name##_line_,      \
                                         __LINE__)) {                                                         \
    ::SpacetimeDB::Internal::ModuleBuilder::instance().AddFieldConstraint(#table_name, #field_name, constraint); \
  }

#define SPACETIMEDB_ASSERT_AUTO_INCREMENTABLE(table_name, field_name)                                         \
  static_assert(::SpacetimeDB::AutoIncrementable<decltype(SPACETIMEDB_ROW_OF(table_name)::field_name)>,       \
                "auto-increment column " #table_name "." #field_name " must have an integer type");

#define FIELD_PrimaryKey(table_name, field_name)                                                              \
  SPACETIMEDB_FIELD_TAG(table_name, field_name, ::SpacetimeDB::FieldConstraint::PrimaryKey)                   \
  SPACETIMEDB_FIELD_CONSTRAINT(table_name, field_name, ::SpacetimeDB::FieldConstraint::PrimaryKey)

#define FIELD_PrimaryKeyAutoInc(table_name, field_name)                                                       \
  SPACETIMEDB_ASSERT_AUTO_INCREMENTABLE(table_name, field_name)                                               \
  SPACETIMEDB_FIELD_TAG(table_name, field_name, ::SpacetimeDB::FieldConstraint::PrimaryKey)                   \
  SPACETIMEDB_FIELD_CONSTRAINT(table_name, field_name, ::SpacetimeDB::FieldConstraint::PrimaryKeyAuto)

#define FIELD_Unique(table_name, field_name)                                                                  \
  SPACETIMEDB_FIELD_TAG(table_name, field_name, ::SpacetimeDB::FieldConstraint::Unique)                       \
  SPACETIMEDB_FIELD_CONSTRAINT(table_name, field_name, ::SpacetimeDB::FieldConstraint::Unique)

#define FIELD_UniqueAutoInc(table_name, field_name)                                                           \
  SPACETIMEDB_ASSERT_AUTO_INCREMENTABLE(table_name, field_name)                                               \
  SPACETIMEDB_FIELD_TAG(table_name, field_name, ::SpacetimeDB::FieldConstraint::Unique)                       \
  SPACETIMEDB_FIELD_CONSTRAINT(table_name, field_name,                                                        \
                               ::SpacetimeDB::FieldConstraint::Unique | ::SpacetimeDB::FieldConstraint::AutoInc)

#define FIELD_Index(table_name, field_name)                                                                   \
  SPACETIMEDB_FIELD_TAG(table_name, field_name, ::SpacetimeDB::FieldConstraint::Indexed)                      \
  SPACETIMEDB_FIELD_CONSTRAINT(table_name, field_name, ::SpacetimeDB::FieldConstraint::Indexed)

#define FIELD_IndexAutoInc(table_name, field_name)                                                            \
  SPACETIMEDB_ASSERT_AUTO_INCREMENTABLE(table_name, field_name)                                               \
  SPACETIMEDB_FIELD_TAG(table_name, field_name, ::SpacetimeDB::FieldConstraint::Indexed)                      \
  SPACETIMEDB_FIELD_CONSTRAINT(table_name, field_name,                                                        \
                               ::SpacetimeDB::FieldConstraint::Indexed | ::SpacetimeDB::FieldConstraint::AutoInc)

#define FIELD_AutoInc(table_name, field_name)                                                                 \
  SPACETIMEDB_ASSERT_AUTO_INCREMENTABLE(table_name, field_name)                                               \
  SPACETIMEDB_FIELD_CONSTRAINT(table_name, field_name, ::SpacetimeDB::FieldConstraint::AutoInc)

// --- explicit canonical index names ---------------------------------------------------------------------------

#define SPACETIMEDB_EXPLICIT_INDEX_NAME(table_name, columns, canonical_name)                                 \
  SPACETIMEDB_PREINIT("__preinit__18_explicit_index_name_" #table_name "_line_" SPACETIMEDB_STRINGIFY(__LINE__), \
                      SPACETIMEDB_CONCAT(_spacetimedb_preinit_index_name_##table_name##_line_, __LINE__)) {   \
    ::SpacetimeDB::Internal::ModuleBuilder::instance().RegisterExplicitName(                                  \
        ::SpacetimeDB::Internal::ExplicitNameKind::Index,                                                     \
        ::SpacetimeDB::Internal::IndexSourceName(#table_name, (columns)), (canonical_name));                   \
  }

#define FIELD_PrimaryKey_NAMED(table_name, field_name, canonical_name) \
  FIELD_PrimaryKey(table_name, field_name) SPACETIMEDB_EXPLICIT_INDEX_NAME(table_name, #field_name, canonical_name)
#define FIELD_PrimaryKeyAutoInc_NAMED(table_name, field_name, canonical_name) \
  FIELD_PrimaryKeyAutoInc(table_name, field_name)                            \
  SPACETIMEDB_EXPLICIT_INDEX_NAME(table_name, #field_name, canonical_name)
#define FIELD_Unique_NAMED(table_name, field_name, canonical_name) \
  FIELD_Unique(table_name, field_name) SPACETIMEDB_EXPLICIT_INDEX_NAME(table_name, #field_name, canonical_name)
#define FIELD_UniqueAutoInc_NAMED(table_name, field_name, canonical_name) \
  FIELD_UniqueAutoInc(table_name, field_name) SPACETIMEDB_EXPLICIT_INDEX_NAME(table_name, #field_name, canonical_name)
#define FIELD_Index_NAMED(table_name, field_name, canonical_name) \
  FIELD_Index(table_name, field_name) SPACETIMEDB_EXPLICIT_INDEX_NAME(table_name, #field_name, canonical_name)
#define FIELD_IndexAutoInc_NAMED(table_name, field_name, canonical_name) \
  FIELD_IndexAutoInc(table_name, field_name) SPACETIMEDB_EXPLICIT_INDEX_NAME(table_name, #field_name, canonical_name)

// --- multi-column indexes ---------------------------------------------------------------------------------

#define SPACETIMEDB_COLUMN_TYPE(table_name, field) decltype(SPACETIMEDB_ROW_OF(table_name)::field)
#define SPACETIMEDB_COLUMN_NAME(table_name, field) #field
#define SPACETIMEDB_COLUMN_JOIN(table_name, field) "_" #field
// "<f1>_<f2>..." (the leading "_" of the first element skipped).
#define SPACETIMEDB_JOIN_COLUMNS(table_name, ...) \
  (&(SPACETIMEDB_FOR_EACH(SPACETIMEDB_COLUMN_JOIN, table_name, __VA_ARGS__))[1])

#define FIELD_MultiColumnIndex(table_name, index_name, ...)                                                   \
  inline constexpr ::SpacetimeDB::MultiColumnIndexTag<                                                        \
      SPACETIMEDB_ROW_OF(table_name), SPACETIMEDB_FOR_EACH_SEP(SPACETIMEDB_COLUMN_TYPE, table_name, __VA_ARGS__)> \
      table_name##_##index_name{#table_name, #index_name, SPACETIMEDB_JOIN_COLUMNS(table_name, __VA_ARGS__)};     \
  SPACETIMEDB_PREINIT("__preinit__21_field_multi_index_" #table_name "_" #index_name                         \
                      "_line_" SPACETIMEDB_STRINGIFY(__LINE__),                                               \
                      SPACETIMEDB_CONCAT(_spacetimedb_preinit_multi_index_##table_name##_##index_name##_line_, \
                                         __LINE__)) {                                                         \
    ::SpacetimeDB::Internal::ModuleBuilder::instance().AddMultiColumnIndex(                                   \
        #table_name, #index_name, {SPACETIMEDB_FOR_EACH_SEP(SPACETIMEDB_COLUMN_NAME, table_name, __VA_ARGS__)}); \
  }

#define FIELD_NamedMultiColumnIndex(table_name, index_name, ...) \
  FIELD_MultiColumnIndex(table_name, index_name, __VA_ARGS__)

#define FIELD_MultiColumnIndex_NAMED(table_name, index_name, canonical_name, ...) \
  FIELD_MultiColumnIndex(table_name, index_name, __VA_ARGS__)                     \
  SPACETIMEDB_EXPLICIT_INDEX_NAME(table_name, SPACETIMEDB_JOIN_COLUMNS(table_name, __VA_ARGS__), canonical_name)

// --- defaults -----------------------------------------------------------------------------------------------

#define FIELD_Default(table_name, field_name, default_value)                                                  \
  SPACETIMEDB_PREINIT("__preinit__21_field_default_" #table_name "_" #field_name                             \
                      "_line_" SPACETIMEDB_STRINGIFY(__LINE__),                                               \
                      SPACETIMEDB_CONCAT(_spacetimedb_preinit_default_##table_name##_##field_name##_line_,    \
                                         __LINE__)) {                                                         \
    using FieldType = decltype(SPACETIMEDB_ROW_OF(table_name)::field_name);                                   \
    ::SpacetimeDB::Internal::ModuleBuilder::instance().AddColumnDefault(                                      \
        #table_name, #field_name, ::SpacetimeDB::bsatn::to_bytes(static_cast<FieldType>(default_value)));    \
  }

// --- scheduling ---------------------------------------------------------------------------------------------

#define SPACETIMEDB_SCHEDULE(table_name, scheduled_at_column_index, function_name)                           \
  SPACETIMEDB_PREINIT("__preinit__19_schedule_" #table_name "_line_" SPACETIMEDB_STRINGIFY(__LINE__),         \
                      SPACETIMEDB_CONCAT(_spacetimedb_preinit_schedule_##table_name##_line_, __LINE__)) {     \
    ::SpacetimeDB::Internal::ModuleBuilder::instance().RegisterSchedule(#table_name, (scheduled_at_column_index), \
                                                                        #function_name);                      \
  }
