// BSATN encoding of RawModuleDef::V10 (layout in internal/module_def.h, spec/module-abi.md §5.3).
#include "spacetimedb/internal/module_def.h"

#include "spacetimedb/bsatn/writer.h"

namespace SpacetimeDB::Internal {

namespace {

using bsatn::Writer;

// RawModuleDefV10Section tags.
enum class Section : uint8_t {
  Typespace = 0,
  Types = 1,
  Tables = 2,
  Reducers = 3,
  Schedules = 6,
  LifeCycleReducers = 7,
  RowLevelSecurity = 8,
  CaseConversionPolicy = 9,
  ExplicitNames = 10,
};

constexpr uint8_t kRawModuleDefV10 = 2;
constexpr uint8_t kSome = 0;
constexpr uint8_t kNone = 1;
constexpr uint8_t kTableTypeUser = 1;
constexpr uint8_t kIndexAlgorithmBTree = 0;
constexpr uint8_t kConstraintUnique = 0;
constexpr uint8_t kVisibilityPrivate = 0;
constexpr uint8_t kVisibilityClientCallable = 1;

void Length(Writer& w, size_t n) { w.write_u32_le(static_cast<uint32_t>(n)); }

void ColList(Writer& w, const std::vector<uint16_t>& columns) {
  Length(w, columns.size());
  for (uint16_t c : columns) w.write_u16_le(c);
}

void SomeString(Writer& w, const std::string& s) {
  w.write_u8(kSome);
  w.write_string(s);
}

// i128 from a 64-bit value, sign-extended.
void I128(Writer& w, int64_t v) {
  w.write_i64_le(v);
  w.write_i64_le(v < 0 ? -1 : 0);
}

void TypeDef(Writer& w, const RawTypeDef& t) {
  Length(w, t.scope.size());
  for (const std::string& s : t.scope) w.write_string(s);
  w.write_string(t.source_name);
  w.write_u32_le(t.ty);
  w.write_bool(t.custom_ordering);
}

void TableDef(Writer& w, const RawTableDef& t) {
  w.write_string(t.source_name);
  w.write_u32_le(t.product_type_ref);
  ColList(w, t.primary_key);
  Length(w, t.indexes.size());
  for (const RawIndexDef& index : t.indexes) {
    SomeString(w, index.source_name);
    SomeString(w, index.accessor_name);
    w.write_u8(kIndexAlgorithmBTree);
    ColList(w, index.columns);
  }
  Length(w, t.constraints.size());
  for (const RawUniqueConstraintDef& constraint : t.constraints) {
    w.write_u8(kNone);  // the host generates "<table>_<cols>_key"
    w.write_u8(kConstraintUnique);
    ColList(w, constraint.columns);
  }
  Length(w, t.sequences.size());
  for (const RawSequenceDef& sequence : t.sequences) {
    w.write_u8(kNone);  // the host generates "<table>_<col>_seq"
    w.write_u16_le(sequence.column);
    w.write_u8(kNone);  // start
    w.write_u8(kNone);  // min_value
    w.write_u8(kNone);  // max_value
    I128(w, sequence.increment);
  }
  w.write_u8(kTableTypeUser);
  w.write_u8(t.is_public ? 0 : 1);
  Length(w, t.default_values.size());
  for (const RawColumnDefault& d : t.default_values) {
    w.write_u16_le(d.column);
    Length(w, d.value.size());
    w.write_bytes(d.value.data(), d.value.size());
  }
  w.write_bool(t.is_event);
}

void ReducerDef(Writer& w, const RawReducerDef& r) {
  w.write_string(r.source_name);
  bsatn::encode_product_type(r.params, w);
  w.write_u8(r.client_callable ? kVisibilityClientCallable : kVisibilityPrivate);
  bsatn::AlgebraicType::Unit().encode(w);    // ok_return_type
  bsatn::AlgebraicType::String().encode(w);  // err_return_type
}

template <typename T, typename EncodeOne>
void SectionOf(Writer& w, Section section, const std::vector<T>& items, EncodeOne encode_one) {
  w.write_u8(static_cast<uint8_t>(section));
  Length(w, items.size());
  for (const T& item : items) encode_one(w, item);
}

}  // namespace

std::vector<uint8_t> EncodeModuleDef(const RawModuleDef& def) {
  Writer w;
  w.write_u8(kRawModuleDefV10);

  const size_t section_count = 1 + !def.types.empty() + !def.tables.empty() + !def.reducers.empty() +
                               !def.schedules.empty() + !def.lifecycle_reducers.empty() +
                               def.case_conversion_policy.has_value() + !def.explicit_names.empty() +
                               !def.row_level_security.empty();
  Length(w, section_count);

  // Typespace is always present, even when empty.
  w.write_u8(static_cast<uint8_t>(Section::Typespace));
  Length(w, def.typespace.size());
  for (const bsatn::AlgebraicType& t : def.typespace) t.encode(w);

  if (!def.types.empty()) SectionOf(w, Section::Types, def.types, TypeDef);
  if (!def.tables.empty()) SectionOf(w, Section::Tables, def.tables, TableDef);
  if (!def.reducers.empty()) SectionOf(w, Section::Reducers, def.reducers, ReducerDef);
  if (!def.schedules.empty()) {
    SectionOf(w, Section::Schedules, def.schedules, [](Writer& out, const RawScheduleDef& s) {
      SomeString(out, s.source_name);
      out.write_string(s.table_name);
      out.write_u16_le(s.schedule_at_column);
      out.write_string(s.function_name);
    });
  }
  if (!def.lifecycle_reducers.empty()) {
    SectionOf(w, Section::LifeCycleReducers, def.lifecycle_reducers, [](Writer& out, const RawLifecycleDef& l) {
      out.write_u8(static_cast<uint8_t>(l.lifecycle));
      out.write_string(l.function_name);
    });
  }
  if (def.case_conversion_policy) {
    w.write_u8(static_cast<uint8_t>(Section::CaseConversionPolicy));
    w.write_u8(static_cast<uint8_t>(*def.case_conversion_policy));
  }
  if (!def.explicit_names.empty()) {
    // ExplicitNames is a product {entries}, so its vector follows the section tag directly.
    SectionOf(w, Section::ExplicitNames, def.explicit_names, [](Writer& out, const RawExplicitName& n) {
      out.write_u8(static_cast<uint8_t>(n.kind));
      out.write_string(n.source_name);
      out.write_string(n.canonical_name);
    });
  }
  if (!def.row_level_security.empty()) {
    SectionOf(w, Section::RowLevelSecurity, def.row_level_security,
              [](Writer& out, const std::string& sql) { out.write_string(sql); });
  }
  return w.take_buffer();
}

}  // namespace SpacetimeDB::Internal
