// Generic decoding of RawModuleDef V10 into ModuleDefView (see module_def_view.h).
#include "module_def_view.h"

namespace stdb::sdk_test {

namespace {

using T = sats::AlgebraicType;
using V = sats::AlgebraicValue;

T ColList() { return T::Array(T::U16()); }
T OptString() { return T::Option(T::String()); }

const V& Field(const V& product, size_t i) { return product.AsProduct().elements.at(i); }
const V& Payload(const V& sum) { return *sum.AsSum().payload; }
uint8_t Tag(const V& sum) { return sum.AsSum().tag; }

std::optional<std::string> OptionalString(const V& option) {
  if (Tag(option) == 1) return std::nullopt;
  return Payload(option).AsString();
}

std::optional<sats::i128> OptionalI128(const V& option) {
  if (Tag(option) == 1) return std::nullopt;
  return Payload(option).as<sats::i128>();
}

std::vector<uint16_t> Columns(const V& array) {
  std::vector<uint16_t> out;
  for (const V& c : array.AsArray().elements) out.push_back(c.as<uint16_t>());
  return out;
}

std::vector<std::string> Strings(const V& array) {
  std::vector<std::string> out;
  for (const V& s : array.AsArray().elements) out.push_back(s.AsString());
  return out;
}

// A value of the meta type AlgebraicType (or ProductType) back to the type it describes, through its BSATN.
Result<T> ToType(const V& value) { return sats::bsatn::DecodeType(sats::bsatn::EncodeValue(value)); }
Result<sats::ProductType> ToProductType(const V& value) {
  sats::Bytes bytes = sats::bsatn::EncodeValue(value);
  sats::bsatn::Reader reader(bytes);
  auto product = sats::bsatn::DecodeProductType(reader);
  if (product.ok() && !reader.at_end()) return Error(ErrorCode::kDecode, "trailing bytes after ProductType");
  return product;
}

}  // namespace

sats::Typespace RawModuleDefMetaTypespace() {
  sats::Typespace ts;
  T element = sats::NamedProduct({{"name", OptString()}, {"algebraic_type", T::Ref(0)}});
  std::vector<std::pair<std::string, T>> variants = {
      {"Ref", T::U32()}, {"Sum", T::Ref(1)}, {"Product", T::Ref(2)}, {"Array", T::Ref(0)}};
  for (const char* primitive : {"String", "Bool", "I8", "U8", "I16", "U16", "I32", "U32", "I64", "U64", "I128",
                                "U128", "I256", "U256", "F32", "F64"})
    variants.emplace_back(primitive, T::Unit());
  ts.types.push_back(sats::NamedSum(variants));                                    // 0: AlgebraicType
  ts.types.push_back(sats::NamedProduct({{"variants", T::Array(element)}}));       // 1: SumType
  ts.types.push_back(sats::NamedProduct({{"elements", T::Array(element)}}));       // 2: ProductType
  return ts;
}

sats::AlgebraicType RawModuleDefType() {
  T type_def = sats::NamedProduct(
      {{"source_name", sats::NamedProduct({{"scope", T::Array(T::String())}, {"source_name", T::String()}})},
       {"ty", T::U32()},
       {"custom_ordering", T::Bool()}});
  T index_algorithm = sats::NamedSum({{"BTree", sats::NamedProduct({{"columns", ColList()}})},
                                      {"Hash", sats::NamedProduct({{"columns", ColList()}})},
                                      {"Direct", sats::NamedProduct({{"column", T::U16()}})}});
  T index = sats::NamedProduct(
      {{"source_name", OptString()}, {"accessor_name", OptString()}, {"algorithm", index_algorithm}});
  T constraint = sats::NamedProduct(
      {{"source_name", OptString()},
       {"data", sats::NamedSum({{"Unique", sats::NamedProduct({{"columns", ColList()}})}})}});
  T opt_i128 = T::Option(T::I128());
  T sequence = sats::NamedProduct({{"source_name", OptString()},
                                   {"column", T::U16()},
                                   {"start", opt_i128},
                                   {"min_value", opt_i128},
                                   {"max_value", opt_i128},
                                   {"increment", T::I128()}});
  T table = sats::NamedProduct(
      {{"source_name", T::String()},
       {"product_type_ref", T::U32()},
       {"primary_key", ColList()},
       {"indexes", T::Array(index)},
       {"constraints", T::Array(constraint)},
       {"sequences", T::Array(sequence)},
       {"table_type", sats::NamedSum({{"System", T::Unit()}, {"User", T::Unit()}})},
       {"table_access", sats::NamedSum({{"Public", T::Unit()}, {"Private", T::Unit()}})},
       {"default_values", T::Array(sats::NamedProduct({{"col_id", T::U16()}, {"value", T::Bytes()}}))},
       {"is_event", T::Bool()}});
  T reducer = sats::NamedProduct(
      {{"source_name", T::String()},
       {"params", T::Ref(2)},
       {"visibility", sats::NamedSum({{"Private", T::Unit()}, {"ClientCallable", T::Unit()}})},
       {"ok_return_type", T::Ref(0)},
       {"err_return_type", T::Ref(0)}});
  T schedule = sats::NamedProduct({{"source_name", OptString()},
                                   {"table_name", T::String()},
                                   {"schedule_at_col", T::U16()},
                                   {"function_name", T::String()}});
  T lifecycle = sats::NamedProduct(
      {{"lifecycle_spec", sats::NamedSum({{"Init", T::Unit()}, {"OnConnect", T::Unit()}, {"OnDisconnect", T::Unit()}})},
       {"function_name", T::String()}});
  T name_mapping = sats::NamedProduct({{"source_name", T::String()}, {"canonical_name", T::String()}});
  T explicit_names = sats::NamedProduct(
      {{"entries", T::Array(sats::NamedSum({{"Table", name_mapping}, {"Function", name_mapping}, {"Index", name_mapping}}))}});
  T section = sats::NamedSum({{"Typespace", sats::NamedProduct({{"types", T::Array(T::Ref(0))}})},
                              {"Types", T::Array(type_def)},
                              {"Tables", T::Array(table)},
                              {"Reducers", T::Array(reducer)},
                              {"Procedures", T::Never()},
                              {"Views", T::Never()},
                              {"Schedules", T::Array(schedule)},
                              {"LifeCycleReducers", T::Array(lifecycle)},
                              {"RowLevelSecurity", T::Array(sats::NamedProduct({{"sql", T::String()}}))},
                              {"CaseConversionPolicy", sats::NamedSum({{"None", T::Unit()}, {"SnakeCase", T::Unit()}})},
                              {"ExplicitNames", explicit_names},
                              {"HttpHandlers", T::Never()},
                              {"HttpRoutes", T::Never()},
                              {"ViewPrimaryKeys", T::Never()},
                              {"Submodules", T::Never()}});
  T v10 = sats::NamedProduct({{"sections", T::Array(section)}});
  return sats::NamedSum({{"V8BackCompat", T::Never()}, {"V9", T::Never()}, {"V10", v10}});
}

Result<ModuleDefView> DecodeModuleDef(sats::ByteSpan bytes) {
  const sats::Typespace meta = RawModuleDefMetaTypespace();
  auto decoded = sats::bsatn::DecodeValue(RawModuleDefType(), bytes, &meta);
  if (!decoded.ok()) return decoded.error();
  if (Tag(*decoded) != 2) return Error(ErrorCode::kDecode, "not a V10 module definition");

  ModuleDefView view;
  for (const V& section : Field(Payload(*decoded), 0).AsArray().elements) {
    const uint8_t tag = Tag(section);
    view.section_tags.push_back(tag);
    const V& body = Payload(section);
    switch (tag) {
      case 0:
        for (const V& t : Field(body, 0).AsArray().elements) {
          auto type = ToType(t);
          if (!type.ok()) return type.error();
          view.typespace.types.push_back(*type);
        }
        break;
      case 1:
        for (const V& t : body.AsArray().elements)
          view.types.push_back(TypeDefView{Strings(Field(Field(t, 0), 0)), Field(Field(t, 0), 1).AsString(),
                                           Field(t, 1).as<uint32_t>(), Field(t, 2).AsBool()});
        break;
      case 2:
        for (const V& t : body.AsArray().elements) {
          TableView table;
          table.name = Field(t, 0).AsString();
          table.type_ref = Field(t, 1).as<uint32_t>();
          table.primary_key = Columns(Field(t, 2));
          for (const V& i : Field(t, 3).AsArray().elements) {
            const V& algorithm = Field(i, 2);
            IndexView index{OptionalString(Field(i, 0)), OptionalString(Field(i, 1)), Tag(algorithm), {}};
            if (Tag(algorithm) == 2)
              index.columns = {Field(Payload(algorithm), 0).as<uint16_t>()};
            else
              index.columns = Columns(Field(Payload(algorithm), 0));
            table.indexes.push_back(std::move(index));
          }
          for (const V& c : Field(t, 4).AsArray().elements)
            table.constraints.push_back(
                ConstraintView{OptionalString(Field(c, 0)), Columns(Field(Payload(Field(c, 1)), 0))});
          for (const V& s : Field(t, 5).AsArray().elements)
            table.sequences.push_back(SequenceView{OptionalString(Field(s, 0)), Field(s, 1).as<uint16_t>(),
                                                   OptionalI128(Field(s, 2)), OptionalI128(Field(s, 3)),
                                                   OptionalI128(Field(s, 4)), Field(s, 5).as<sats::i128>()});
          table.table_type = Tag(Field(t, 6));
          table.table_access = Tag(Field(t, 7));
          for (const V& d : Field(t, 8).AsArray().elements)
            table.defaults.push_back(ColumnDefaultView{Field(d, 0).as<uint16_t>(), Field(d, 1).AsBytes()});
          table.is_event = Field(t, 9).AsBool();
          view.tables.push_back(std::move(table));
        }
        break;
      case 3:
        for (const V& r : body.AsArray().elements) {
          auto params = ToProductType(Field(r, 1));
          if (!params.ok()) return params.error();
          auto ok_type = ToType(Field(r, 3));
          if (!ok_type.ok()) return ok_type.error();
          auto err_type = ToType(Field(r, 4));
          if (!err_type.ok()) return err_type.error();
          view.reducers.push_back(
              ReducerView{Field(r, 0).AsString(), *params, Tag(Field(r, 2)), *ok_type, *err_type});
        }
        break;
      case 6:
        for (const V& s : body.AsArray().elements)
          view.schedules.push_back(ScheduleView{OptionalString(Field(s, 0)), Field(s, 1).AsString(),
                                                Field(s, 2).as<uint16_t>(), Field(s, 3).AsString()});
        break;
      case 7:
        for (const V& l : body.AsArray().elements)
          view.lifecycle.push_back(LifecycleView{Tag(Field(l, 0)), Field(l, 1).AsString()});
        break;
      case 8:
        for (const V& rule : body.AsArray().elements) view.row_level_security.push_back(Field(rule, 0).AsString());
        break;
      case 9:
        view.case_conversion_policy = Tag(body);
        break;
      case 10:
        for (const V& entry : Field(body, 0).AsArray().elements)
          view.explicit_names.push_back(ExplicitNameView{Tag(entry), Field(Payload(entry), 0).AsString(),
                                                         Field(Payload(entry), 1).AsString()});
        break;
      default:
        return Error(ErrorCode::kDecode, "unexpected section " + std::to_string(tag));
    }
  }
  return view;
}

const TableView* ModuleDefView::table(std::string_view name) const {
  for (const TableView& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

const ReducerView* ModuleDefView::reducer(std::string_view name) const {
  for (const ReducerView& r : reducers)
    if (r.name == name) return &r;
  return nullptr;
}

int ModuleDefView::reducer_id(std::string_view name) const {
  for (size_t i = 0; i < reducers.size(); ++i)
    if (reducers[i].name == name) return static_cast<int>(i);
  return -1;
}

const TypeDefView* ModuleDefView::type(std::string_view name) const {
  for (const TypeDefView& t : types)
    if (t.name == name) return &t;
  return nullptr;
}

const sats::ProductType& ModuleDefView::row_type(const TableView& table) const {
  return typespace.types.at(table.type_ref).product();
}

std::vector<std::string> ModuleDefView::table_names() const {
  std::vector<std::string> names;
  for (const TableView& t : tables) names.push_back(t.name);
  return names;
}

std::vector<std::string> ModuleDefView::reducer_names() const {
  std::vector<std::string> names;
  for (const ReducerView& r : reducers) names.push_back(r.name);
  return names;
}

std::vector<std::string> ModuleDefView::column_names(const TableView& table) const {
  std::vector<std::string> names;
  for (const auto& element : row_type(table).elements) names.push_back(element.name.value_or(""));
  return names;
}

}  // namespace stdb::sdk_test
