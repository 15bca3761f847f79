#include "datastore/system_tables.h"

namespace stdb::datastore {

namespace {

using sats::AlgebraicType;
using table::ColumnSchema;
using table::ConstraintSchema;
using table::IndexAlgorithm;
using table::IndexSchema;
using table::SequenceSchema;
namespace bsatn = sats::bsatn;

AlgebraicType ColList() { return AlgebraicType::Array(AlgebraicType::U16()); }

AlgebraicType IndexAlgorithmType() {
  return sats::NamedSum({{"Unused", AlgebraicType::U128()},
                         {"BTree", sats::NamedProduct({{"columns", ColList()}})},
                         {"Direct", sats::NamedProduct({{"column", AlgebraicType::U16()}})},
                         {"Hash", sats::NamedProduct({{"columns", ColList()}})}});
}

AlgebraicType ConstraintDataType() {
  return sats::NamedSum(
      {{"Unused", AlgebraicType::U128()}, {"Unique", sats::NamedProduct({{"columns", ColList()}})}});
}

// Builds one system table schema. Indexes are (id, columns, unique-constraint id or 0); the names follow the
// reference's generated-name rules.
struct SysIndex {
  IndexId id;
  std::vector<ColId> columns;
  ConstraintId unique_constraint;  // 0 = not unique
};

std::shared_ptr<const TableSchema> Make(TableId id, const char* name, std::vector<ColumnSchema> columns,
                                        std::vector<SysIndex> indexes, std::optional<ColId> pk,
                                        std::optional<std::pair<SequenceId, ColId>> seq, bool is_public = true) {
  auto s = std::make_shared<TableSchema>();
  s->table_id = id;
  s->name = name;
  s->is_system = true;
  s->is_public = is_public;
  s->primary_key = pk;
  s->columns = std::move(columns);
  for (const auto& ix : indexes) {
    std::string cols;
    for (ColId c : ix.columns) cols += "_" + s->columns[c].name;
    s->indexes.push_back({ix.id, std::string(name) + cols + "_idx_btree", IndexAlgorithm::kBTree, ix.columns,
                          ix.unique_constraint != 0});
    if (ix.unique_constraint) s->constraints.push_back({ix.unique_constraint, std::string(name) + cols + "_key", ix.columns});
  }
  if (seq) {
    SequenceSchema q;
    q.sequence_id = seq->first;
    q.column = seq->second;
    q.name = std::string(name) + "_" + s->columns[seq->second].name + "_seq";
    q.start = kFirstUserId + 1;  // the reference's ST_RESERVED_SEQUENCE_RANGE + 1
    s->sequences.push_back(q);
  }
  return s;
}

std::vector<std::shared_ptr<const TableSchema>> BuildSystemSchemas() {
  auto U8 = AlgebraicType::U8(), U16 = AlgebraicType::U16(), U32 = AlgebraicType::U32(), U64 = AlgebraicType::U64(),
       I64 = AlgebraicType::I64(), I128 = AlgebraicType::I128(), U128 = AlgebraicType::U128(),
       U256 = AlgebraicType::U256(), Str = AlgebraicType::String(), Bool = AlgebraicType::Bool(),
       Bytes = AlgebraicType::Bytes();
  std::vector<std::shared_ptr<const TableSchema>> v;
  v.push_back(Make(kStTable, "st_table",
                   {{"table_id", U32}, {"table_name", Str}, {"table_type", Str}, {"table_access", Str},
                    {"table_primary_key", AlgebraicType::Option(ColList())}},
                   {{1, {0}, 1}, {2, {1}, 2}}, 0, std::pair{kStTableIdSeq, ColId(0)}));
  v.push_back(Make(kStColumn, "st_column",
                   {{"table_id", U32}, {"col_pos", U16}, {"col_name", Str}, {"col_type", Bytes}},
                   {{3, {0, 1}, 3}}, std::nullopt, std::nullopt));
  v.push_back(Make(kStSequence, "st_sequence",
                   {{"sequence_id", U32}, {"sequence_name", Str}, {"table_id", U32}, {"col_pos", U16},
                    {"increment", I128}, {"start", I128}, {"min_value", I128}, {"max_value", I128},
                    {"allocated", I128}},
                   {{4, {0}, 4}}, 0, std::pair{kStSequenceIdSeq, ColId(0)}));
  v.push_back(Make(kStIndex, "st_index",
                   {{"index_id", U32}, {"table_id", U32}, {"index_name", Str}, {"index_algorithm", IndexAlgorithmType()}},
                   {{5, {0}, 5}}, 0, std::pair{kStIndexIdSeq, ColId(0)}));
  v.push_back(Make(kStConstraint, "st_constraint",
                   {{"constraint_id", U32}, {"constraint_name", Str}, {"table_id", U32},
                    {"constraint_data", ConstraintDataType()}},
                   {{6, {0}, 6}}, 0, std::pair{kStConstraintIdSeq, ColId(0)}));
  v.push_back(Make(kStModule, "st_module",
                   {{"database_identity", U256}, {"owner_identity", U256}, {"program_kind", U8},
                    {"program_hash", U256}, {"program_bytes", Bytes}, {"module_version", Str}},
                   {}, std::nullopt, std::nullopt));
  v.push_back(Make(kStClient, "st_client", {{"identity", U256}, {"connection_id", U128}}, {{7, {0, 1}, 7}},
                   std::nullopt, std::nullopt));
  v.push_back(Make(kStVar, "st_var", {{"name", Str}, {"value", StVarValueType()}}, {{8, {0}, 8}}, 0, std::nullopt));
  v.push_back(Make(kStScheduled, "st_scheduled",
                   {{"schedule_id", U32}, {"table_id", U32}, {"reducer_name", Str}, {"schedule_name", Str},
                    {"at_column", U16}},
                   {{9, {0}, 9}, {10, {1}, 10}}, 0, std::pair{kStScheduledIdSeq, ColId(0)}));
  v.push_back(Make(kStRowLevelSecurity, "st_row_level_security", {{"table_id", U32}, {"sql", Str}},
                   {{11, {0}, 0}, {12, {1}, 11}}, 1, std::nullopt));
  v.push_back(Make(kStConnectionCredentials, "st_connection_credentials",
                   {{"connection_id", U128}, {"jwt_payload", Str}}, {{13, {0}, 12}}, 0, std::nullopt,
                   /*is_public=*/false));
  v.push_back(Make(kStView, "st_view",
                   {{"view_id", U32}, {"view_name", Str}, {"table_id", AlgebraicType::Option(U32)},
                    {"is_public", Bool}, {"is_anonymous", Bool}},
                   {{14, {0}, 13}, {15, {1}, 14}}, 0, std::pair{kStViewIdSeq, ColId(0)}));
  v.push_back(Make(kStViewParam, "st_view_param",
                   {{"view_id", U32}, {"param_pos", U16}, {"param_name", Str}, {"param_type", Bytes}},
                   {{16, {0, 1}, 15}}, std::nullopt, std::nullopt));
  v.push_back(Make(kStViewColumn, "st_view_column",
                   {{"view_id", U32}, {"col_pos", U16}, {"col_name", Str}, {"col_type", Bytes}},
                   {{17, {0, 1}, 16}}, std::nullopt, std::nullopt));
  v.push_back(Make(kStViewSub, "st_view_sub",
                   {{"view_id", U32}, {"arg_id", U64}, {"identity", U256}, {"num_subscribers", U64},
                    {"has_subscribers", Bool}, {"last_called", I64}},
                   {{18, {2}, 0}, {19, {4}, 0}, {20, {0, 1, 2}, 0}}, std::nullopt, std::nullopt));
  v.push_back(Make(kStViewArg, "st_view_arg", {{"id", U64}, {"bytes", Bytes}}, {{21, {0}, 17}, {22, {1}, 18}}, 0,
                   std::pair{kStViewArgIdSeq, ColId(0)}));
  v.push_back(Make(kStEventTable, "st_event_table", {{"table_id", U32}}, {{23, {0}, 19}}, 0, std::nullopt));
  v.push_back(Make(kStTableAccessor, "st_table_accessor", {{"table_name", Str}, {"accessor_name", Str}},
                   {{24, {0}, 20}, {25, {1}, 21}}, std::nullopt, std::nullopt));
  v.push_back(Make(kStIndexAccessor, "st_index_accessor", {{"index_name", Str}, {"accessor_name", Str}},
                   {{26, {0}, 22}, {27, {1}, 23}}, std::nullopt, std::nullopt));
  v.push_back(Make(kStColumnAccessor, "st_column_accessor",
                   {{"table_name", Str}, {"col_name", Str}, {"accessor_name", Str}},
                   {{28, {0, 1}, 24}, {29, {0, 2}, 25}}, std::nullopt, std::nullopt));
  return v;
}

void WriteColList(bsatn::Writer& w, const std::vector<ColId>& cols) {
  w.U32(uint32_t(cols.size()));
  for (ColId c : cols) w.U16(c);
}

std::vector<ColId> ReadColList(bsatn::Reader& r) {
  uint32_t n = r.ArrayLength(2, "column list");
  std::vector<ColId> cols;
  cols.reserve(n);
  for (uint32_t i = 0; i < n; ++i) cols.push_back(r.U16());
  return cols;
}

// Finishes a decode: the reader must be ok and exhausted.
template <typename T>
Result<T> Finish(bsatn::Reader& r, T value, const char* table) {
  if (!r.ok()) return std::move(r.error().Prefix(std::string("decoding a ") + table + " row"));
  if (!r.at_end()) return Error(ErrorCode::kDecode, std::string("trailing bytes in a ") + table + " row");
  return value;
}

}  // namespace

const std::vector<std::shared_ptr<const TableSchema>>& SystemTableSchemas() {
  static const auto* schemas = new std::vector<std::shared_ptr<const TableSchema>>(BuildSystemSchemas());
  return *schemas;
}

const TableSchema& SystemTableSchema(TableId id) { return *SystemTableSchemas().at(id - 1); }

const AlgebraicType& StVarValueType() {
  static const AlgebraicType* type = new AlgebraicType(sats::NamedSum(
      {{"Bool", AlgebraicType::Bool()}, {"I8", AlgebraicType::I8()}, {"U8", AlgebraicType::U8()},
       {"I16", AlgebraicType::I16()}, {"U16", AlgebraicType::U16()}, {"I32", AlgebraicType::I32()},
       {"U32", AlgebraicType::U32()}, {"I64", AlgebraicType::I64()}, {"U64", AlgebraicType::U64()},
       {"I128", AlgebraicType::I128()}, {"U128", AlgebraicType::U128()}, {"F32", AlgebraicType::F32()},
       {"F64", AlgebraicType::F64()}, {"String", AlgebraicType::String()}}));
  return *type;
}

sats::Bytes StTableRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U32(table_id);
  w.String(table_name);
  w.String(table_type);
  w.String(table_access);
  if (primary_key) {
    w.U8(0);
    WriteColList(w, *primary_key);
  } else {
    w.U8(1);
  }
  return out;
}

Result<StTableRow> StTableRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StTableRow t;
  t.table_id = r.U32();
  t.table_name = r.String();
  t.table_type = r.String();
  t.table_access = r.String();
  uint8_t tag = r.U8();
  if (tag == 0) t.primary_key = ReadColList(r);
  else if (tag != 1) r.Fail("invalid option tag");
  return Finish(r, std::move(t), "st_table");
}

sats::Bytes StColumnRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U32(table_id);
  w.U16(col_pos);
  w.String(col_name);
  w.ByteArray(bsatn::EncodeType(col_type));
  return out;
}

Result<StColumnRow> StColumnRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StColumnRow c;
  c.table_id = r.U32();
  c.col_pos = r.U16();
  c.col_name = r.String();
  sats::ByteSpan type_bytes = r.ByteArray();
  if (r.ok()) {
    auto type = bsatn::DecodeType(type_bytes);
    if (!type.ok()) return std::move(type).error().Prefix("st_column.col_type");
    c.col_type = std::move(*type);
  }
  return Finish(r, std::move(c), "st_column");
}

sats::Bytes StSequenceRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U32(sequence_id);
  w.String(sequence_name);
  w.U32(table_id);
  w.U16(col_pos);
  w.I128(increment);
  w.I128(start);
  w.I128(min_value);
  w.I128(max_value);
  w.I128(allocated);
  return out;
}

Result<StSequenceRow> StSequenceRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StSequenceRow s;
  s.sequence_id = r.U32();
  s.sequence_name = r.String();
  s.table_id = r.U32();
  s.col_pos = r.U16();
  s.increment = r.I128();
  s.start = r.I128();
  s.min_value = r.I128();
  s.max_value = r.I128();
  s.allocated = r.I128();
  return Finish(r, std::move(s), "st_sequence");
}

sats::Bytes StIndexRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U32(index_id);
  w.U32(table_id);
  w.String(index_name);
  switch (algorithm) {
    case IndexAlgorithm::kBTree: w.U8(1); WriteColList(w, columns); break;
    case IndexAlgorithm::kDirect: w.U8(2); w.U16(columns.empty() ? 0 : columns[0]); break;
    case IndexAlgorithm::kHash: w.U8(3); WriteColList(w, columns); break;
  }
  return out;
}

Result<StIndexRow> StIndexRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StIndexRow i;
  i.index_id = r.U32();
  i.table_id = r.U32();
  i.index_name = r.String();
  uint8_t tag = r.U8();
  switch (tag) {
    case 1: i.algorithm = IndexAlgorithm::kBTree; i.columns = ReadColList(r); break;
    case 2: i.algorithm = IndexAlgorithm::kDirect; i.columns = {r.U16()}; break;
    case 3: i.algorithm = IndexAlgorithm::kHash; i.columns = ReadColList(r); break;
    default: r.Fail("unsupported index algorithm tag " + std::to_string(tag));
  }
  return Finish(r, std::move(i), "st_index");
}

sats::Bytes StConstraintRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U32(constraint_id);
  w.String(constraint_name);
  w.U32(table_id);
  w.U8(1);  // Unique
  WriteColList(w, columns);
  return out;
}

Result<StConstraintRow> StConstraintRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StConstraintRow c;
  c.constraint_id = r.U32();
  c.constraint_name = r.String();
  c.table_id = r.U32();
  uint8_t tag = r.U8();
  if (tag == 1) c.columns = ReadColList(r);
  else r.Fail("unsupported constraint tag " + std::to_string(tag));
  return Finish(r, std::move(c), "st_constraint");
}

sats::Bytes StScheduledRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U32(schedule_id);
  w.U32(table_id);
  w.String(reducer_name);
  w.String(schedule_name);
  w.U16(at_column);
  return out;
}

Result<StScheduledRow> StScheduledRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StScheduledRow s;
  s.schedule_id = r.U32();
  s.table_id = r.U32();
  s.reducer_name = r.String();
  s.schedule_name = r.String();
  s.at_column = r.U16();
  return Finish(r, std::move(s), "st_scheduled");
}

sats::Bytes StModuleRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U256(database_identity);
  w.U256(owner_identity);
  w.U8(program_kind);
  w.U256(program_hash);
  w.ByteArray(program_bytes);
  w.String(module_version);
  return out;
}

Result<StModuleRow> StModuleRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StModuleRow m;
  m.database_identity = r.U256();
  m.owner_identity = r.U256();
  m.program_kind = r.U8();
  m.program_hash = r.U256();
  auto bytes = r.ByteArray();
  m.program_bytes.assign(bytes.begin(), bytes.end());
  m.module_version = r.String();
  return Finish(r, std::move(m), "st_module");
}

sats::Bytes StClientRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U256(identity);
  w.U128(connection_id);
  return out;
}

Result<StClientRow> StClientRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StClientRow c;
  c.identity = r.U256();
  c.connection_id = r.U128();
  return Finish(r, std::move(c), "st_client");
}

sats::Bytes StVarRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.String(name);
  bsatn::EncodeValue(value, w);
  return out;
}

Result<StVarRow> StVarRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StVarRow v;
  v.name = r.String();
  auto value = bsatn::DecodeValue(StVarValueType(), nullptr, r);
  if (!value.ok()) return std::move(value).error();
  v.value = std::move(*value);
  return Finish(r, std::move(v), "st_var");
}

sats::Bytes StRowLevelSecurityRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U32(table_id);
  w.String(sql);
  return out;
}

Result<StRowLevelSecurityRow> StRowLevelSecurityRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StRowLevelSecurityRow s;
  s.table_id = r.U32();
  s.sql = r.String();
  return Finish(r, std::move(s), "st_row_level_security");
}

sats::Bytes StConnectionCredentialsRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U128(connection_id);
  w.String(jwt_payload);
  return out;
}

Result<StConnectionCredentialsRow> StConnectionCredentialsRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StConnectionCredentialsRow c;
  c.connection_id = r.U128();
  c.jwt_payload = r.String();
  return Finish(r, std::move(c), "st_connection_credentials");
}

sats::Bytes StTableAccessorRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.String(table_name);
  w.String(accessor_name);
  return out;
}

Result<StTableAccessorRow> StTableAccessorRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StTableAccessorRow a;
  a.table_name = r.String();
  a.accessor_name = r.String();
  return Finish(r, std::move(a), "st_table_accessor");
}

sats::Bytes StIndexAccessorRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.String(index_name);
  w.String(accessor_name);
  return out;
}

Result<StIndexAccessorRow> StIndexAccessorRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StIndexAccessorRow a;
  a.index_name = r.String();
  a.accessor_name = r.String();
  return Finish(r, std::move(a), "st_index_accessor");
}

sats::Bytes StColumnAccessorRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.String(table_name);
  w.String(col_name);
  w.String(accessor_name);
  return out;
}

Result<StColumnAccessorRow> StColumnAccessorRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StColumnAccessorRow a;
  a.table_name = r.String();
  a.col_name = r.String();
  a.accessor_name = r.String();
  return Finish(r, std::move(a), "st_column_accessor");
}

sats::Bytes StEventTableRow::Encode() const {
  sats::Bytes out;
  bsatn::Writer w(out);
  w.U32(table_id);
  return out;
}

Result<StEventTableRow> StEventTableRow::Decode(sats::ByteSpan row) {
  bsatn::Reader r(row);
  StEventTableRow e;
  e.table_id = r.U32();
  return Finish(r, std::move(e), "st_event_table");
}

}  // namespace stdb::datastore
