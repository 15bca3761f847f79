#include "host/raw_module_def.h"

#include <utility>

namespace stdb::host {

using sats::AlgebraicType;
using sats::ProductType;
using sats::bsatn::Reader;
using sats::bsatn::Writer;

const char* LifecycleName(Lifecycle lifecycle) {
  switch (lifecycle) {
    case Lifecycle::kInit: return "Init";
    case Lifecycle::kOnConnect: return "OnConnect";
    case Lifecycle::kOnDisconnect: return "OnDisconnect";
  }
  return "?";
}

std::string HttpMethod::ToString() const {
  static const char* const kNames[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  if (kind == Kind::kExtension) return extension;
  return kNames[static_cast<uint8_t>(kind)];
}

// --- Section lookup -------------------------------------------------------------------------------------------

namespace {

template <RawModuleDefV10::SectionKind kKind>
const auto* FirstSection(const std::vector<RawModuleDefV10Section>& sections) {
  constexpr size_t kIndex = static_cast<size_t>(kKind);
  using Payload = std::variant_alternative_t<kIndex, RawModuleDefV10Section::Payload>;
  for (const auto& s : sections)
    if (s.payload.index() == kIndex) return &std::get<kIndex>(s.payload);
  return static_cast<const Payload*>(nullptr);
}

}  // namespace

using Kind = RawModuleDefV10::SectionKind;
const sats::Typespace* RawModuleDefV10::typespace() const { return FirstSection<Kind::kTypespace>(sections); }
const std::vector<RawTypeDef>* RawModuleDefV10::types() const { return FirstSection<Kind::kTypes>(sections); }
const std::vector<RawTableDefV10>* RawModuleDefV10::tables() const { return FirstSection<Kind::kTables>(sections); }
const std::vector<RawReducerDefV10>* RawModuleDefV10::reducers() const {
  return FirstSection<Kind::kReducers>(sections);
}
const std::vector<RawProcedureDefV10>* RawModuleDefV10::procedures() const {
  return FirstSection<Kind::kProcedures>(sections);
}
const std::vector<RawViewDefV10>* RawModuleDefV10::views() const { return FirstSection<Kind::kViews>(sections); }
const std::vector<RawScheduleDefV10>* RawModuleDefV10::schedules() const {
  return FirstSection<Kind::kSchedules>(sections);
}
const std::vector<RawLifecycleReducerDefV10>* RawModuleDefV10::lifecycle_reducers() const {
  return FirstSection<Kind::kLifecycleReducers>(sections);
}
const std::vector<RawRowLevelSecurityDef>* RawModuleDefV10::row_level_security() const {
  return FirstSection<Kind::kRowLevelSecurity>(sections);
}
std::optional<CaseConversionPolicy> RawModuleDefV10::case_conversion_policy() const {
  const CaseConversionPolicy* p = FirstSection<Kind::kCaseConversionPolicy>(sections);
  if (!p) return std::nullopt;
  return *p;
}
const ExplicitNames* RawModuleDefV10::explicit_names() const { return FirstSection<Kind::kExplicitNames>(sections); }
const std::vector<RawHttpHandlerDefV10>* RawModuleDefV10::http_handlers() const {
  return FirstSection<Kind::kHttpHandlers>(sections);
}
const std::vector<RawHttpRouteDefV10>* RawModuleDefV10::http_routes() const {
  return FirstSection<Kind::kHttpRoutes>(sections);
}
const std::vector<RawViewPrimaryKeyDefV10>* RawModuleDefV10::view_primary_keys() const {
  return FirstSection<Kind::kViewPrimaryKeys>(sections);
}
const std::vector<RawSubmoduleV10>* RawModuleDefV10::submodules() const {
  return FirstSection<Kind::kSubmodules>(sections);
}

bool RawModuleDefV10::operator==(const RawModuleDefV10& other) const { return sections == other.sections; }
bool RawSubmoduleV10::operator==(const RawSubmoduleV10& other) const {
  return namespace_name == other.namespace_name && module == other.module;
}
bool RawModuleDefV10Section::operator==(const RawModuleDefV10Section& other) const {
  return payload == other.payload;
}

// --- Decoding -------------------------------------------------------------------------------------------------

namespace {

// Reads a sum tag and fails the reader if it is not below `count`.
uint8_t Tag(Reader& r, uint8_t count, const char* what) {
  size_t at = r.offset();
  uint8_t tag = r.U8();
  if (r.ok() && tag >= count) {
    r.Fail("invalid tag " + std::to_string(tag) + " for " + what + " at offset " + std::to_string(at) +
           " (expected 0.." + std::to_string(count - 1) + ")");
    return 0;
  }
  return tag;
}

template <typename F>
auto ReadOption(Reader& r, const char* what, F&& read_some) -> std::optional<decltype(read_some())> {
  uint8_t tag = Tag(r, 2, what);
  if (!r.ok() || tag == 1) return std::nullopt;
  return read_some();
}

// Vec<T>: u32 count, then the elements. The count is checked against the bytes left before anything is reserved.
template <typename F>
auto ReadVec(Reader& r, size_t min_element_size, const char* what, F&& read_one)
    -> std::vector<decltype(read_one())> {
  uint32_t n = r.ArrayLength(min_element_size, what);
  std::vector<decltype(read_one())> out;
  out.reserve(std::min<uint32_t>(n, 64));
  for (uint32_t i = 0; i < n && r.ok(); ++i) out.push_back(read_one());
  return out;
}

std::string ReadString(Reader& r) { return r.String(); }
std::optional<std::string> ReadOptionalString(Reader& r, const char* what) {
  return ReadOption(r, what, [&] { return r.String(); });
}
ColList ReadColList(Reader& r, const char* what) {
  return ReadVec(r, 2, what, [&] { return r.U16(); });
}
std::vector<uint8_t> ReadBytes(Reader& r) {
  sats::ByteSpan b = r.ByteArray();
  return std::vector<uint8_t>(b.begin(), b.end());
}

AlgebraicType ReadType(Reader& r) {
  if (!r.ok()) return AlgebraicType();
  auto t = sats::bsatn::DecodeType(r);  // fails the reader itself on error
  return t.ok() ? std::move(t).value() : AlgebraicType();
}
ProductType ReadProductType(Reader& r) {
  if (!r.ok()) return ProductType();
  auto t = sats::bsatn::DecodeProductType(r);
  return t.ok() ? std::move(t).value() : ProductType();
}
sats::Typespace ReadTypespace(Reader& r) {
  if (!r.ok()) return sats::Typespace();
  auto t = sats::bsatn::DecodeTypespace(r);
  return t.ok() ? std::move(t).value() : sats::Typespace();
}

RawIndexAlgorithm ReadIndexAlgorithm(Reader& r) {
  RawIndexAlgorithm a;
  a.kind = static_cast<RawIndexAlgorithm::Kind>(Tag(r, 3, "RawIndexAlgorithm"));
  if (a.kind == RawIndexAlgorithm::Kind::kDirect)
    a.columns = {r.U16()};
  else
    a.columns = ReadColList(r, "index columns");
  return a;
}

RawIndexDef ReadIndexDef(Reader& r) {
  RawIndexDef d;
  d.name = ReadOptionalString(r, "Option<index name>");
  d.accessor_name = ReadOptionalString(r, "Option<index accessor name>");
  d.algorithm = ReadIndexAlgorithm(r);
  return d;
}

RawConstraintDef ReadConstraintDef(Reader& r) {
  RawConstraintDef d;
  d.name = ReadOptionalString(r, "Option<constraint name>");
  Tag(r, 1, "RawConstraintData");
  d.unique_columns = ReadColList(r, "unique constraint columns");
  return d;
}

std::optional<i128> ReadOptionalI128(Reader& r, const char* what) {
  return ReadOption(r, what, [&] { return r.I128(); });
}

RawSequenceDef ReadSequenceDef(Reader& r) {
  RawSequenceDef d;
  d.name = ReadOptionalString(r, "Option<sequence name>");
  d.column = r.U16();
  d.start = ReadOptionalI128(r, "Option<sequence start>");
  d.min_value = ReadOptionalI128(r, "Option<sequence min_value>");
  d.max_value = ReadOptionalI128(r, "Option<sequence max_value>");
  d.increment = r.I128();
  return d;
}

RawTypeDef ReadTypeDef(Reader& r) {
  RawTypeDef d;
  d.scope = ReadVec(r, 4, "type scope", [&] { return ReadString(r); });
  d.name = r.String();
  d.ty = r.U32();
  d.custom_ordering = r.Bool();
  return d;
}

RawRowLevelSecurityDef ReadRls(Reader& r) { return {r.String()}; }

TableType ReadTableType(Reader& r) { return static_cast<TableType>(Tag(r, 2, "TableType")); }
TableAccess ReadTableAccess(Reader& r) { return static_cast<TableAccess>(Tag(r, 2, "TableAccess")); }
FunctionVisibility ReadVisibility(Reader& r) {
  return static_cast<FunctionVisibility>(Tag(r, 2, "FunctionVisibility"));
}
Lifecycle ReadLifecycle(Reader& r) { return static_cast<Lifecycle>(Tag(r, kLifecycleCount, "Lifecycle")); }

RawTableDefV10 ReadTableV10(Reader& r) {
  RawTableDefV10 t;
  t.source_name = r.String();
  t.product_type_ref = r.U32();
  t.primary_key = ReadColList(r, "primary key");
  t.indexes = ReadVec(r, 3, "indexes", [&] { return ReadIndexDef(r); });
  t.constraints = ReadVec(r, 6, "constraints", [&] { return ReadConstraintDef(r); });
  t.sequences = ReadVec(r, 21, "sequences", [&] { return ReadSequenceDef(r); });
  t.table_type = ReadTableType(r);
  t.table_access = ReadTableAccess(r);
  t.default_values = ReadVec(r, 6, "default values", [&] {
    RawColumnDefaultValueV10 v;
    v.col_id = r.U16();
    v.value = ReadBytes(r);
    return v;
  });
  t.is_event = r.Bool();
  return t;
}

RawReducerDefV10 ReadReducerV10(Reader& r) {
  RawReducerDefV10 d;
  d.source_name = r.String();
  d.params = ReadProductType(r);
  d.visibility = ReadVisibility(r);
  d.ok_return_type = ReadType(r);
  d.err_return_type = ReadType(r);
  return d;
}

RawProcedureDefV10 ReadProcedureV10(Reader& r) {
  RawProcedureDefV10 d;
  d.source_name = r.String();
  d.params = ReadProductType(r);
  d.return_type = ReadType(r);
  d.visibility = ReadVisibility(r);
  return d;
}

RawViewDefV10 ReadViewV10(Reader& r) {
  RawViewDefV10 d;
  d.source_name = r.String();
  d.index = r.U32();
  d.is_public = r.Bool();
  d.is_anonymous = r.Bool();
  d.params = ReadProductType(r);
  d.return_type = ReadType(r);
  return d;
}

RawScheduleDefV10 ReadScheduleV10(Reader& r) {
  RawScheduleDefV10 d;
  d.source_name = ReadOptionalString(r, "Option<schedule name>");
  d.table_name = r.String();
  d.schedule_at_col = r.U16();
  d.function_name = r.String();
  return d;
}

HttpMethod ReadHttpMethod(Reader& r) {
  HttpMethod m;
  m.kind = static_cast<HttpMethod::Kind>(Tag(r, 10, "HttpMethod"));
  if (m.kind == HttpMethod::Kind::kExtension) m.extension = r.String();
  return m;
}

RawHttpRouteDefV10 ReadHttpRoute(Reader& r) {
  RawHttpRouteDefV10 d;
  d.handler_function = r.String();
  if (Tag(r, 2, "MethodOrAny") == 1) d.method = ReadHttpMethod(r);
  d.path = r.String();
  return d;
}

RawModuleDefV10 ReadModuleV10(Reader& r, int depth);

RawModuleDefV10Section ReadSection(Reader& r, int depth) {
  using P = RawModuleDefV10Section::Payload;
  uint8_t tag = Tag(r, std::variant_size_v<P>, "RawModuleDefV10Section");
  if (!r.ok()) return {P(std::in_place_index<static_cast<size_t>(Kind::kTypespace)>)};
  switch (static_cast<Kind>(tag)) {
    case Kind::kTypespace:
      return {P(std::in_place_index<0>, ReadTypespace(r))};
    case Kind::kTypes:
      return {P(std::in_place_index<1>, ReadVec(r, 13, "types", [&] { return ReadTypeDef(r); }))};
    case Kind::kTables:
      return {P(std::in_place_index<2>, ReadVec(r, 30, "tables", [&] { return ReadTableV10(r); }))};
    case Kind::kReducers:
      return {P(std::in_place_index<3>, ReadVec(r, 11, "reducers", [&] { return ReadReducerV10(r); }))};
    case Kind::kProcedures:
      return {P(std::in_place_index<4>, ReadVec(r, 10, "procedures", [&] { return ReadProcedureV10(r); }))};
    case Kind::kViews:
      return {P(std::in_place_index<5>, ReadVec(r, 15, "views", [&] { return ReadViewV10(r); }))};
    case Kind::kSchedules:
      return {P(std::in_place_index<6>, ReadVec(r, 11, "schedules", [&] { return ReadScheduleV10(r); }))};
    case Kind::kLifecycleReducers:
      return {P(std::in_place_index<7>, ReadVec(r, 5, "lifecycle reducers", [&] {
                  RawLifecycleReducerDefV10 d;
                  d.lifecycle = ReadLifecycle(r);
                  d.function_name = r.String();
                  return d;
                }))};
    case Kind::kRowLevelSecurity:
      return {P(std::in_place_index<8>, ReadVec(r, 4, "row-level security rules", [&] { return ReadRls(r); }))};
    case Kind::kCaseConversionPolicy:
      return {P(std::in_place_index<9>, static_cast<CaseConversionPolicy>(Tag(r, 2, "CaseConversionPolicy")))};
    case Kind::kExplicitNames: {
      ExplicitNames names;
      names.entries = ReadVec(r, 9, "explicit names", [&] {
        ExplicitNameEntry e;
        e.kind = static_cast<ExplicitNameEntry::Kind>(Tag(r, 3, "ExplicitNameEntry"));
        e.mapping.source_name = r.String();
        e.mapping.canonical_name = r.String();
        return e;
      });
      return {P(std::in_place_index<10>, std::move(names))};
    }
    case Kind::kHttpHandlers:
      return {P(std::in_place_index<11>,
                ReadVec(r, 4, "HTTP handlers", [&] { return RawHttpHandlerDefV10{r.String()}; }))};
    case Kind::kHttpRoutes:
      return {P(std::in_place_index<12>, ReadVec(r, 9, "HTTP routes", [&] { return ReadHttpRoute(r); }))};
    case Kind::kViewPrimaryKeys:
      return {P(std::in_place_index<13>, ReadVec(r, 8, "view primary keys", [&] {
                  RawViewPrimaryKeyDefV10 d;
                  d.view_source_name = r.String();
                  d.columns = ReadVec(r, 4, "view primary key columns", [&] { return ReadString(r); });
                  return d;
                }))};
    case Kind::kSubmodules:
      if (depth >= kMaxSubmoduleDepth) {
        r.Fail("submodules nested deeper than " + std::to_string(kMaxSubmoduleDepth) + " levels at offset " +
               std::to_string(r.offset()));
        return {P(std::in_place_index<14>)};
      }
      return {P(std::in_place_index<14>, ReadVec(r, 8, "submodules", [&] {
                  RawSubmoduleV10 s;
                  s.namespace_name = r.String();
                  s.module = ReadModuleV10(r, depth + 1);
                  return s;
                }))};
  }
  return {P(std::in_place_index<0>)};
}

RawModuleDefV10 ReadModuleV10(Reader& r, int depth) {
  RawModuleDefV10 def;
  def.sections = ReadVec(r, 1, "sections", [&] { return ReadSection(r, depth); });
  return def;
}

RawTableDefV9 ReadTableV9(Reader& r) {
  RawTableDefV9 t;
  t.name = r.String();
  t.product_type_ref = r.U32();
  t.primary_key = ReadColList(r, "primary key");
  t.indexes = ReadVec(r, 3, "indexes", [&] { return ReadIndexDef(r); });
  t.constraints = ReadVec(r, 6, "constraints", [&] { return ReadConstraintDef(r); });
  t.sequences = ReadVec(r, 21, "sequences", [&] { return ReadSequenceDef(r); });
  t.schedule = ReadOption(r, "Option<RawScheduleDefV9>", [&] {
    RawScheduleDefV9 s;
    s.name = ReadOptionalString(r, "Option<schedule name>");
    s.reducer_name = r.String();
    s.scheduled_at_column = r.U16();
    return s;
  });
  t.table_type = ReadTableType(r);
  t.table_access = ReadTableAccess(r);
  return t;
}

RawMiscModuleExportV9 ReadMiscExport(Reader& r) {
  switch (Tag(r, 3, "RawMiscModuleExportV9")) {
    case 0: {
      RawColumnDefaultValueV9 d;
      d.table = r.String();
      d.col_id = r.U16();
      d.value = ReadBytes(r);
      return d;
    }
    case 1: {
      RawProcedureDefV9 d;
      d.name = r.String();
      d.params = ReadProductType(r);
      d.return_type = ReadType(r);
      return d;
    }
    default: {
      RawViewDefV9 d;
      d.name = r.String();
      d.index = r.U32();
      d.is_public = r.Bool();
      d.is_anonymous = r.Bool();
      d.params = ReadProductType(r);
      d.return_type = ReadType(r);
      return d;
    }
  }
}

RawModuleDefV9 ReadModuleV9(Reader& r) {
  RawModuleDefV9 def;
  def.typespace = ReadTypespace(r);
  def.tables = ReadVec(r, 27, "tables", [&] { return ReadTableV9(r); });
  def.reducers = ReadVec(r, 9, "reducers", [&] {
    RawReducerDefV9 d;
    d.name = r.String();
    d.params = ReadProductType(r);
    d.lifecycle = ReadOption(r, "Option<Lifecycle>", [&] { return ReadLifecycle(r); });
    return d;
  });
  def.types = ReadVec(r, 13, "types", [&] { return ReadTypeDef(r); });
  def.misc_exports = ReadVec(r, 1, "misc exports", [&] { return ReadMiscExport(r); });
  def.row_level_security = ReadVec(r, 4, "row-level security rules", [&] { return ReadRls(r); });
  return def;
}

template <typename T>
Result<T> Finish(Reader& r, T value, const char* what) {
  if (!r.ok()) return Error(ErrorCode::kDecode, std::string("decoding ") + what + ": " + r.error_message());
  if (!r.at_end())
    return Error(ErrorCode::kDecode, std::string("decoding ") + what + ": " + std::to_string(r.remaining()) +
                                         " trailing bytes after the definition at offset " +
                                         std::to_string(r.offset()));
  return value;
}

}  // namespace

Result<RawModuleDefV10> DecodeRawModuleDefV10(sats::ByteSpan bytes) {
  Reader r(bytes);
  RawModuleDefV10 def = ReadModuleV10(r, 0);
  return Finish(r, std::move(def), "RawModuleDefV10");
}

Result<RawModuleDefV9> DecodeRawModuleDefV9(sats::ByteSpan bytes) {
  Reader r(bytes);
  RawModuleDefV9 def = ReadModuleV9(r);
  return Finish(r, std::move(def), "RawModuleDefV9");
}

Result<RawModuleDef> DecodeRawModuleDef(sats::ByteSpan bytes) {
  Reader r(bytes);
  uint8_t tag = Tag(r, 3, "RawModuleDef version");
  if (!r.ok()) return Error(ErrorCode::kDecode, "decoding RawModuleDef: " + r.error_message());
  if (tag == 0)
    return Error(ErrorCode::kUnsupported,
                 "module definition version V8 (RawModuleDefV8, from SDKs before 1.0) is not supported; "
                 "rebuild the module with a current SDK");
  if (tag == 1) {
    RawModuleDefV9 def = ReadModuleV9(r);
    STDB_ASSIGN_OR_RETURN(def, Finish(r, std::move(def), "RawModuleDefV9"));
    return RawModuleDef(std::in_place_index<0>, std::move(def));
  }
  RawModuleDefV10 def = ReadModuleV10(r, 0);
  STDB_ASSIGN_OR_RETURN(def, Finish(r, std::move(def), "RawModuleDefV10"));
  return RawModuleDef(std::in_place_index<1>, std::move(def));
}

// --- Encoding -------------------------------------------------------------------------------------------------

namespace {

template <typename T, typename F>
void WriteVec(Writer& w, const std::vector<T>& v, F&& write_one) {
  w.U32(static_cast<uint32_t>(v.size()));
  for (const auto& e : v) write_one(e);
}

template <typename T, typename F>
void WriteOption(Writer& w, const std::optional<T>& v, F&& write_some) {
  if (v) {
    w.U8(0);
    write_some(*v);
  } else {
    w.U8(1);
  }
}

void WriteOptionalString(Writer& w, const std::optional<std::string>& s) {
  WriteOption(w, s, [&](const std::string& v) { w.String(v); });
}
void WriteOptionalI128(Writer& w, const std::optional<i128>& v) {
  WriteOption(w, v, [&](i128 x) { w.I128(x); });
}
void WriteColList(Writer& w, const ColList& cols) {
  WriteVec(w, cols, [&](uint16_t c) { w.U16(c); });
}
void WriteStrings(Writer& w, const std::vector<std::string>& v) {
  WriteVec(w, v, [&](const std::string& s) { w.String(s); });
}

void WriteIndexDef(Writer& w, const RawIndexDef& d) {
  WriteOptionalString(w, d.name);
  WriteOptionalString(w, d.accessor_name);
  w.U8(static_cast<uint8_t>(d.algorithm.kind));
  if (d.algorithm.kind == RawIndexAlgorithm::Kind::kDirect)
    w.U16(d.algorithm.columns.empty() ? 0 : d.algorithm.columns[0]);
  else
    WriteColList(w, d.algorithm.columns);
}

void WriteConstraintDef(Writer& w, const RawConstraintDef& d) {
  WriteOptionalString(w, d.name);
  w.U8(0);  // Unique
  WriteColList(w, d.unique_columns);
}

void WriteSequenceDef(Writer& w, const RawSequenceDef& d) {
  WriteOptionalString(w, d.name);
  w.U16(d.column);
  WriteOptionalI128(w, d.start);
  WriteOptionalI128(w, d.min_value);
  WriteOptionalI128(w, d.max_value);
  w.I128(d.increment);
}

void WriteTypeDef(Writer& w, const RawTypeDef& d) {
  WriteStrings(w, d.scope);
  w.String(d.name);
  w.U32(d.ty);
  w.Bool(d.custom_ordering);
}

void WriteRls(Writer& w, const RawRowLevelSecurityDef& d) { w.String(d.sql); }

void WriteTableV10(Writer& w, const RawTableDefV10& t) {
  w.String(t.source_name);
  w.U32(t.product_type_ref);
  WriteColList(w, t.primary_key);
  WriteVec(w, t.indexes, [&](const RawIndexDef& d) { WriteIndexDef(w, d); });
  WriteVec(w, t.constraints, [&](const RawConstraintDef& d) { WriteConstraintDef(w, d); });
  WriteVec(w, t.sequences, [&](const RawSequenceDef& d) { WriteSequenceDef(w, d); });
  w.U8(static_cast<uint8_t>(t.table_type));
  w.U8(static_cast<uint8_t>(t.table_access));
  WriteVec(w, t.default_values, [&](const RawColumnDefaultValueV10& d) {
    w.U16(d.col_id);
    w.ByteArray(d.value);
  });
  w.Bool(t.is_event);
}

void WriteHttpMethod(Writer& w, const HttpMethod& m) {
  w.U8(static_cast<uint8_t>(m.kind));
  if (m.kind == HttpMethod::Kind::kExtension) w.String(m.extension);
}

void WriteSection(Writer& w, const RawModuleDefV10Section& s) {
  w.U8(static_cast<uint8_t>(s.payload.index()));
  std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, sats::Typespace>) {
          sats::bsatn::EncodeTypespace(p, w);
        } else if constexpr (std::is_same_v<P, std::vector<RawTypeDef>>) {
          WriteVec(w, p, [&](const RawTypeDef& d) { WriteTypeDef(w, d); });
        } else if constexpr (std::is_same_v<P, std::vector<RawTableDefV10>>) {
          WriteVec(w, p, [&](const RawTableDefV10& d) { WriteTableV10(w, d); });
        } else if constexpr (std::is_same_v<P, std::vector<RawReducerDefV10>>) {
          WriteVec(w, p, [&](const RawReducerDefV10& d) {
            w.String(d.source_name);
            sats::bsatn::EncodeProductType(d.params, w);
            w.U8(static_cast<uint8_t>(d.visibility));
            sats::bsatn::EncodeType(d.ok_return_type, w);
            sats::bsatn::EncodeType(d.err_return_type, w);
          });
        } else if constexpr (std::is_same_v<P, std::vector<RawProcedureDefV10>>) {
          WriteVec(w, p, [&](const RawProcedureDefV10& d) {
            w.String(d.source_name);
            sats::bsatn::EncodeProductType(d.params, w);
            sats::bsatn::EncodeType(d.return_type, w);
            w.U8(static_cast<uint8_t>(d.visibility));
          });
        } else if constexpr (std::is_same_v<P, std::vector<RawViewDefV10>>) {
          WriteVec(w, p, [&](const RawViewDefV10& d) {
            w.String(d.source_name);
            w.U32(d.index);
            w.Bool(d.is_public);
            w.Bool(d.is_anonymous);
            sats::bsatn::EncodeProductType(d.params, w);
            sats::bsatn::EncodeType(d.return_type, w);
          });
        } else if constexpr (std::is_same_v<P, std::vector<RawScheduleDefV10>>) {
          WriteVec(w, p, [&](const RawScheduleDefV10& d) {
            WriteOptionalString(w, d.source_name);
            w.String(d.table_name);
            w.U16(d.schedule_at_col);
            w.String(d.function_name);
          });
        } else if constexpr (std::is_same_v<P, std::vector<RawLifecycleReducerDefV10>>) {
          WriteVec(w, p, [&](const RawLifecycleReducerDefV10& d) {
            w.U8(static_cast<uint8_t>(d.lifecycle));
            w.String(d.function_name);
          });
        } else if constexpr (std::is_same_v<P, std::vector<RawRowLevelSecurityDef>>) {
          WriteVec(w, p, [&](const RawRowLevelSecurityDef& d) { WriteRls(w, d); });
        } else if constexpr (std::is_same_v<P, CaseConversionPolicy>) {
          w.U8(static_cast<uint8_t>(p));
        } else if constexpr (std::is_same_v<P, ExplicitNames>) {
          WriteVec(w, p.entries, [&](const ExplicitNameEntry& e) {
            w.U8(static_cast<uint8_t>(e.kind));
            w.String(e.mapping.source_name);
            w.String(e.mapping.canonical_name);
          });
        } else if constexpr (std::is_same_v<P, std::vector<RawHttpHandlerDefV10>>) {
          WriteVec(w, p, [&](const RawHttpHandlerDefV10& d) { w.String(d.source_name); });
        } else if constexpr (std::is_same_v<P, std::vector<RawHttpRouteDefV10>>) {
          WriteVec(w, p, [&](const RawHttpRouteDefV10& d) {
            w.String(d.handler_function);
            if (d.method) {
              w.U8(1);
              WriteHttpMethod(w, *d.method);
            } else {
              w.U8(0);
            }
            w.String(d.path);
          });
        } else if constexpr (std::is_same_v<P, std::vector<RawViewPrimaryKeyDefV10>>) {
          WriteVec(w, p, [&](const RawViewPrimaryKeyDefV10& d) {
            w.String(d.view_source_name);
            WriteStrings(w, d.columns);
          });
        } else {
          static_assert(std::is_same_v<P, std::vector<RawSubmoduleV10>>);
          WriteVec(w, p, [&](const RawSubmoduleV10& d) {
            w.String(d.namespace_name);
            EncodeRawModuleDefV10(d.module, w);
          });
        }
      },
      s.payload);
}

void WriteTableV9(Writer& w, const RawTableDefV9& t) {
  w.String(t.name);
  w.U32(t.product_type_ref);
  WriteColList(w, t.primary_key);
  WriteVec(w, t.indexes, [&](const RawIndexDef& d) { WriteIndexDef(w, d); });
  WriteVec(w, t.constraints, [&](const RawConstraintDef& d) { WriteConstraintDef(w, d); });
  WriteVec(w, t.sequences, [&](const RawSequenceDef& d) { WriteSequenceDef(w, d); });
  WriteOption(w, t.schedule, [&](const RawScheduleDefV9& s) {
    WriteOptionalString(w, s.name);
    w.String(s.reducer_name);
    w.U16(s.scheduled_at_column);
  });
  w.U8(static_cast<uint8_t>(t.table_type));
  w.U8(static_cast<uint8_t>(t.table_access));
}

void WriteMiscExport(Writer& w, const RawMiscModuleExportV9& e) {
  w.U8(static_cast<uint8_t>(e.index()));
  if (const auto* d = std::get_if<RawColumnDefaultValueV9>(&e)) {
    w.String(d->table);
    w.U16(d->col_id);
    w.ByteArray(d->value);
  } else if (const auto* p = std::get_if<RawProcedureDefV9>(&e)) {
    w.String(p->name);
    sats::bsatn::EncodeProductType(p->params, w);
    sats::bsatn::EncodeType(p->return_type, w);
  } else {
    const auto& v = std::get<RawViewDefV9>(e);
    w.String(v.name);
    w.U32(v.index);
    w.Bool(v.is_public);
    w.Bool(v.is_anonymous);
    sats::bsatn::EncodeProductType(v.params, w);
    sats::bsatn::EncodeType(v.return_type, w);
  }
}

}  // namespace

void EncodeRawModuleDefV10(const RawModuleDefV10& def, Writer& w) {
  WriteVec(w, def.sections, [&](const RawModuleDefV10Section& s) { WriteSection(w, s); });
}

void EncodeRawModuleDefV9(const RawModuleDefV9& def, Writer& w) {
  sats::bsatn::EncodeTypespace(def.typespace, w);
  WriteVec(w, def.tables, [&](const RawTableDefV9& t) { WriteTableV9(w, t); });
  WriteVec(w, def.reducers, [&](const RawReducerDefV9& d) {
    w.String(d.name);
    sats::bsatn::EncodeProductType(d.params, w);
    WriteOption(w, d.lifecycle, [&](Lifecycle l) { w.U8(static_cast<uint8_t>(l)); });
  });
  WriteVec(w, def.types, [&](const RawTypeDef& d) { WriteTypeDef(w, d); });
  WriteVec(w, def.misc_exports, [&](const RawMiscModuleExportV9& e) { WriteMiscExport(w, e); });
  WriteVec(w, def.row_level_security, [&](const RawRowLevelSecurityDef& d) { WriteRls(w, d); });
}

sats::Bytes EncodeRawModuleDef(const RawModuleDef& def) {
  sats::Bytes out;
  Writer w(out);
  if (const auto* v9 = std::get_if<RawModuleDefV9>(&def)) {
    w.U8(1);
    EncodeRawModuleDefV9(*v9, w);
  } else {
    w.U8(2);
    EncodeRawModuleDefV10(std::get<RawModuleDefV10>(def), w);
  }
  return out;
}

}  // namespace stdb::host
