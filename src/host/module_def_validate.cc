// Validation of RawModuleDef V9/V10 into ModuleDef: the rules and generated names of spec/module-abi.md §5.6,
// following the reference's crates/schema/src/def/validate/{v9,v10}.rs.
//
// The builder records every problem it finds and keeps going with whatever is still checkable, so that a module
// author sees all errors at once. A definition part whose basis is broken (a table whose row type is not a
// product, say) is skipped rather than producing a cascade of follow-on errors.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "host/case_conversion.h"
#include "host/identifier.h"
#include "host/module_def.h"
#include "sats/bsatn.h"

namespace stdb::host {

using sats::AlgebraicType;
using sats::ProductType;
using sats::TypeTag;

namespace {

// How deeply type references may be followed (Ref chains across the typespace) before a definition is refused.
constexpr int kMaxTypeDepth = 512;
// A column type with its Refs inlined may have at most this many nodes. Types shared through Refs (a diamond of
// references) stay shared in memory, but anything that walks the inlined type — encoding it into st_column,
// printing it — visits every path, which hostile input could make exponential.
constexpr uint64_t kMaxInlinedTypeNodes = 1 << 16;
// Submodule namespaces are at most this many bytes (the reference's limit).
constexpr size_t kMaxNamespaceBytes = 63;

std::string Q(std::string_view s) { return "`" + std::string(s) + "`"; }

std::string ColumnsText(const std::vector<uint16_t>& cols) {
  std::string out = "[";
  for (size_t i = 0; i < cols.size(); ++i) out += (i ? ", " : "") + std::to_string(cols[i]);
  return out + "]";
}

std::string I128Text(const std::optional<sats::i128>& v) { return v ? sats::ToDecimal(*v) : "none"; }

// Option, Result, ScheduleAt and the special products keep their field and variant names under case conversion and
// are written inline rather than declared.
bool IsSpecialType(const AlgebraicType& t) {
  return t.IsSpecial() || t.IsOption() || t.IsResult() || t.IsScheduleAt();
}

// Unlike AlgebraicType::IsSimpleEnum, the empty sum counts (as in the reference's is_simple_enum).
bool AllVariantsUnit(const AlgebraicType& t) {
  if (!t.IsSum()) return false;
  for (const auto& v : t.sum().variants)
    if (!v.type.IsUnit()) return false;
  return true;
}

enum class NameCase { kNone, kSnake, kCamel };

std::string Convert(std::string_view name, NameCase c) {
  switch (c) {
    case NameCase::kNone: return std::string(name);
    case NameCase::kSnake: return ToSnakeCase(name);
    case NameCase::kCamel: return ToCamelCase(name);
  }
  return std::string(name);
}

// Converts element and variant names throughout a type, leaving the special types untouched.
AlgebraicType ConvertTypeNames(const AlgebraicType& t, NameCase elements, NameCase variants) {
  if (IsSpecialType(t)) return t;
  switch (t.tag()) {
    case TypeTag::kProduct: {
      ProductType p;
      for (const auto& e : t.product().elements) {
        std::optional<std::string> name;
        if (e.name) name = Convert(*e.name, elements);
        p.elements.push_back({std::move(name), ConvertTypeNames(e.type, elements, variants)});
      }
      return AlgebraicType::Product(std::move(p));
    }
    case TypeTag::kSum: {
      sats::SumType s;
      for (const auto& v : t.sum().variants) {
        std::optional<std::string> name;
        if (v.name) name = Convert(*v.name, variants);
        s.variants.push_back({std::move(name), ConvertTypeNames(v.type, elements, variants)});
      }
      return AlgebraicType::Sum(std::move(s));
    }
    case TypeTag::kArray: return AlgebraicType::Array(ConvertTypeNames(t.element(), elements, variants));
    default: return t;
  }
}

// The reference's default element order: unnamed elements (by position) before named ones (by name, bytewise).
template <typename Elements>
bool HasDefaultOrdering(const Elements& elements) {
  for (size_t i = 1; i < elements.size(); ++i) {
    const auto& a = elements[i - 1].name;
    const auto& b = elements[i].name;
    if (a && !b) return false;
    if (a && b && *b < *a) return false;
  }
  return true;
}

// Returns (T, is_query) when `t` is Vec<Ref T>, Option<Ref T> or the query-builder product {__query__: Ref T}.
std::optional<std::pair<uint32_t, bool>> ViewReturnRowRef(const AlgebraicType& t) {
  if (t.IsProduct() && t.product().elements.size() == 1 && t.product().elements[0].name == "__query__" &&
      t.product().elements[0].type.IsRef())
    return std::pair(t.product().elements[0].type.ref(), true);
  if (t.IsOption() && t.sum().variants[0].type.IsRef()) return std::pair(t.sum().variants[0].type.ref(), false);
  if (t.IsArray() && t.element().IsRef()) return std::pair(t.element().ref(), false);
  return std::nullopt;
}

bool RouteCharacterAllowed(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~' || c == '/';
}

std::vector<uint16_t> SortedSet(std::vector<uint16_t> cols) {
  std::sort(cols.begin(), cols.end());
  cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
  return cols;
}

// What the C++ SDK's registration-error convention (spec/module-abi.md §7.2) means, by the kind in the name.
std::string SdkRegistrationErrorHint(std::string_view name) {
  struct Kind {
    const char* prefix;
    const char* meaning;
  };
  static const Kind kKinds[] = {
      {"ERROR_CIRCULAR_REFERENCE_", "a type refers to itself"},
      {"ERROR_MULTIPLE_PRIMARY_KEYS_", "a table declares more than one primary key"},
      {"ERROR_CONSTRAINT_REGISTRATION_", "a field constraint could not be registered"},
      {"ERROR_RECURSIVE_TYPE_", "a recursive type was registered"},
      {"ERROR_MISSING_TYPE_NAME_", "a struct or enum used by the module has no registered name"},
      {"ERROR_TYPE_REGISTRATION_FAILED", "type registration failed"},
  };
  for (const auto& k : kKinds)
    if (name.substr(0, std::string_view(k.prefix).size()) == k.prefix) return k.meaning;
  return "the SDK rejected the module's declarations";
}

}  // namespace

class ModuleDefBuilder {
 public:
  ModuleDefBuilder(RawModuleDefVersion version, CaseConversionPolicy policy, const sats::Typespace& typespace)
      : version_(version), original_ts_(typespace) {
    snake_ = policy == CaseConversionPolicy::kSnakeCase;
    for (const auto& t : typespace.types)
      converted_ts_.types.push_back(snake_ ? ConvertTypeNames(t, NameCase::kSnake, NameCase::kCamel) : t);
    def_.version_ = version;
  }

  Result<ModuleDef> FromV10(const RawModuleDefV10& raw, int depth);
  Result<ModuleDef> FromV9(const RawModuleDefV9& raw);

 private:
  // --- Errors and names ---------------------------------------------------------------------------------------
  void Fail(std::string message) {
    if (std::find(errors_.begin(), errors_.end(), message) == errors_.end()) errors_.push_back(std::move(message));
  }

  Result<ModuleDef> Finish();

  // Validates `name` as an identifier; `what` says where it comes from ("table", "reducer `x` parameter 0"...).
  std::optional<std::string> Ident(std::string_view name, const std::string& what) {
    Status s = ValidateIdentifier(name);
    if (!s.ok()) {
      Fail(what + ": " + s.error().message());
      return std::nullopt;
    }
    return std::string(name);
  }
  std::optional<std::string> WithCase(std::string_view raw, const std::string& what) {
    return Ident(Convert(raw, snake_ ? NameCase::kSnake : NameCase::kNone), what);
  }
  std::optional<std::string> Resolve(const std::unordered_map<std::string, std::string>& explicit_names,
                                     std::string_view raw, const std::string& what) {
    auto it = explicit_names.find(std::string(raw));
    if (it != explicit_names.end()) return Ident(it->second, what + " (explicit name)");
    return WithCase(raw, what);
  }
  std::optional<std::string> ResolveTable(std::string_view raw) {
    return Resolve(explicit_tables_, raw, "table " + Q(raw));
  }
  std::optional<std::string> ResolveFunction(std::string_view raw, const std::string& what) {
    return Resolve(explicit_functions_, raw, what);
  }
  std::optional<std::string> ResolveTypeName(std::string_view raw) {
    return Ident(snake_ ? ToPascalCase(raw) : std::string(raw), "type name " + Q(raw));
  }

  // Claims a name in the module's single namespace of tables, indexes, constraints, sequences and schedules.
  bool AddGlobal(const std::string& name) {
    if (global_names_.insert(name).second) return true;
    Fail("name " + Q(name) + " is used for more than one table, index, constraint, sequence or schedule");
    return false;
  }

  // --- Types --------------------------------------------------------------------------------------------------
  bool CheckTypeUse(const AlgebraicType& t, const std::string& where, int depth = 0);
  bool CheckRefUse(uint32_t ref, const std::string& where, int depth);
  void CheckTypeDefinition(uint32_t ref, const std::string& type_name);
  // `nodes` receives the number of nodes of the inlined type (shared subtrees counted once per use).
  Result<AlgebraicType> InlineRefs(const AlgebraicType& t, uint64_t* nodes, int depth = 0);
  void ValidateTypeDef(const RawTypeDef& raw);

  // --- Tables -------------------------------------------------------------------------------------------------
  struct TableInput {
    std::string raw_name;
    uint32_t product_type_ref;
    const ColList* primary_key;
    const std::vector<RawIndexDef>* indexes;
    const std::vector<RawConstraintDef>* constraints;
    const std::vector<RawSequenceDef>* sequences;
    TableType table_type;
    TableAccess table_access;
    bool is_event;
  };
  std::optional<TableDef> ValidateTable(const TableInput& in, const RawScheduleDefV9* v9_schedule);
  bool ColumnsExist(const TableDef& table, const std::vector<uint16_t>& cols, const std::string& def_name);
  std::optional<IndexAlgorithmKind> ValidateAlgorithm(const TableDef& table, const ProductType& row,
                                                      const RawIndexAlgorithm& a, const std::string& index_name);
  std::string GeneratedColumnNames(const ProductType& row, const std::vector<uint16_t>& cols) const;
  std::vector<ColumnDef> ValidateColumns(const std::string& owner_what, const std::string& owner_name,
                                         uint32_t product_type_ref, bool require_names);
  std::optional<ScheduleDef> ValidateSchedule(const TableDef& table, std::string name, std::string_view raw_function,
                                              uint16_t at_column);
  void SetDefaultValue(TableDef& table, uint16_t col_id, const std::vector<uint8_t>& bytes);

  // --- Functions ----------------------------------------------------------------------------------------------
  bool ValidateParams(const ProductType& params, const std::string& owner);
  void CheckFunctionNamesUnique();
  void AttachScheduleFunctions(bool force_private);
  void ValidateHttp(const RawModuleDefV10& raw);
  std::optional<ViewDef> ValidateView(std::string_view raw_name, uint32_t index, bool is_public, bool is_anonymous,
                                      const ProductType& params, const AlgebraicType& return_type);
  void AttachViewPrimaryKeys(const std::vector<RawViewPrimaryKeyDefV10>& keys);
  void RegisterLifecycle(Lifecycle lifecycle, uint32_t reducer_id);

  RawModuleDefVersion version_;
  bool snake_ = false;
  const sats::Typespace& original_ts_;  // names as the module wrote them (codegen checks, accessor names)
  sats::Typespace converted_ts_;        // names after case conversion (canonical)
  std::unordered_map<std::string, std::string> explicit_tables_, explicit_functions_, explicit_indexes_;
  std::unordered_set<std::string> global_names_;
  std::set<uint32_t> declared_types_;  // refs named by a type definition
  // CheckRefUse: refs known to be valid / invalid uses (memoised both ways so that a diamond of references is not
  // walked exponentially often), and refs being checked (cycle detection).
  std::set<uint32_t> valid_uses_, touching_;
  std::map<uint32_t, std::string> invalid_uses_;  // ref -> the place whose error reported it
  std::map<uint32_t, std::pair<AlgebraicType, uint64_t>> inlined_;  // InlineRefs: memo of inlined refs and sizes
  std::set<uint32_t> inlining_;                // InlineRefs: refs being inlined (cycle detection)
  std::set<std::vector<std::string>> type_names_;
  std::vector<std::string> errors_;
  bool tables_ok_ = true;
  ModuleDef def_;
};

// --- Types ------------------------------------------------------------------------------------------------------

bool ModuleDefBuilder::CheckTypeUse(const AlgebraicType& t, const std::string& where, int depth) {
  if (depth > kMaxTypeDepth) {
    Fail(where + ": type nested more than " + std::to_string(kMaxTypeDepth) + " levels deep");
    return false;
  }
  if (t.IsSpecial() || t.IsUnit() || t.IsNever() || t.IsScheduleAt()) return true;
  if (t.IsOption()) return CheckTypeUse(t.sum().variants[0].type, where, depth + 1);
  if (t.IsResult()) {
    bool ok = CheckTypeUse(t.sum().variants[0].type, where, depth + 1);
    return CheckTypeUse(t.sum().variants[1].type, where, depth + 1) && ok;
  }
  switch (t.tag()) {
    case TypeTag::kRef: return CheckRefUse(t.ref(), where, depth + 1);
    case TypeTag::kArray: return CheckTypeUse(t.element(), where, depth + 1);
    case TypeTag::kProduct:
    case TypeTag::kSum:
      Fail(where + ": the type " + t.ToString() +
           " is a user-defined " + (t.IsProduct() ? "product" : "sum") +
           " written inline; it must be declared in the typespace, referred to by Ref and named by a type "
           "definition");
      return false;
    default: return true;
  }
}

bool ModuleDefBuilder::CheckRefUse(uint32_t ref, const std::string& where, int depth) {
  if (declared_types_.count(ref) || valid_uses_.count(ref)) return true;
  if (auto it = invalid_uses_.find(ref); it != invalid_uses_.end()) {
    if (it->second != where) Fail(where + ": type reference " + std::to_string(ref) + " is not a valid type (see " +
                                  it->second + ")");
    return false;
  }
  if (ref >= original_ts_.types.size()) {
    Fail(where + ": type reference " + std::to_string(ref) + " is outside the typespace (" +
         std::to_string(original_ts_.types.size()) + " types)");
    return false;
  }
  const AlgebraicType& target = original_ts_.types[ref];
  if ((target.IsRef() && target.ref() == ref) || touching_.count(ref)) {
    Fail(where + ": type reference " + std::to_string(ref) +
         " refers back to itself without a type definition naming it");
    return false;
  }
  touching_.insert(ref);
  bool ok = CheckTypeUse(target, where, depth + 1);
  touching_.erase(ref);
  if (ok)
    valid_uses_.insert(ref);
  else
    invalid_uses_.emplace(ref, where);
  return ok;
}

void ModuleDefBuilder::CheckTypeDefinition(uint32_t ref, const std::string& type_name) {
  const AlgebraicType& t = original_ts_.types[ref];
  std::string where = "type " + Q(type_name);
  auto check_element = [&](const std::optional<std::string>& name, const AlgebraicType& type, size_t i) {
    if (!name) {
      Fail(where + ": element " + std::to_string(i) + " has no name; every field and variant of a named type needs one");
    } else {
      Ident(*name, where + " element " + std::to_string(i));
    }
    CheckTypeUse(type, where + " element " + (name ? Q(*name) : std::to_string(i)));
  };
  if (t.IsProduct()) {
    for (size_t i = 0; i < t.product().elements.size(); ++i)
      check_element(t.product().elements[i].name, t.product().elements[i].type, i);
  } else if (t.IsSum()) {
    for (size_t i = 0; i < t.sum().variants.size(); ++i)
      check_element(t.sum().variants[i].name, t.sum().variants[i].type, i);
  } else {
    Fail(where + " names typespace entry " + std::to_string(ref) + " of type " + t.ToString() +
         ", but only products and sums can be named types");
  }
}

Result<AlgebraicType> ModuleDefBuilder::InlineRefs(const AlgebraicType& t, uint64_t* nodes, int depth) {
  if (depth > kMaxTypeDepth)
    return Error(ErrorCode::kInvalidArgument, "type nested more than " + std::to_string(kMaxTypeDepth) + " levels deep");
  auto too_large = [] {
    return Error(ErrorCode::kInvalidArgument, "the type has more than " + std::to_string(kMaxInlinedTypeNodes) +
                                                  " nodes once its type references are inlined");
  };
  *nodes = 1;
  switch (t.tag()) {
    case TypeTag::kRef: {
      uint32_t r = t.ref();
      if (auto it = inlined_.find(r); it != inlined_.end()) {
        *nodes = it->second.second;
        return it->second.first;
      }
      if (r >= converted_ts_.types.size())
        return Error(ErrorCode::kInvalidArgument, "type reference " + std::to_string(r) + " is outside the typespace");
      if (!inlining_.insert(r).second)
        return Error(ErrorCode::kInvalidArgument,
                     "the type is recursive (reference " + std::to_string(r) + " contains itself), which a table "
                     "column cannot store");
      auto inner = InlineRefs(converted_ts_.types[r], nodes, depth + 1);
      inlining_.erase(r);
      if (inner.ok()) inlined_.emplace(r, std::pair(*inner, *nodes));  // memoised: shared subtrees stay shared
      return inner;
    }
    case TypeTag::kArray: {
      uint64_t n = 0;
      STDB_ASSIGN_OR_RETURN(auto e, InlineRefs(t.element(), &n, depth + 1));
      *nodes += n;
      if (*nodes > kMaxInlinedTypeNodes) return too_large();
      return AlgebraicType::Array(std::move(e));
    }
    case TypeTag::kProduct: {
      ProductType p;
      for (const auto& e : t.product().elements) {
        uint64_t n = 0;
        STDB_ASSIGN_OR_RETURN(auto et, InlineRefs(e.type, &n, depth + 1));
        *nodes += n;
        if (*nodes > kMaxInlinedTypeNodes) return too_large();
        p.elements.push_back({e.name, std::move(et)});
      }
      return AlgebraicType::Product(std::move(p));
    }
    case TypeTag::kSum: {
      sats::SumType s;
      for (const auto& v : t.sum().variants) {
        uint64_t n = 0;
        STDB_ASSIGN_OR_RETURN(auto vt, InlineRefs(v.type, &n, depth + 1));
        *nodes += n;
        if (*nodes > kMaxInlinedTypeNodes) return too_large();
        s.variants.push_back({v.name, std::move(vt)});
      }
      return AlgebraicType::Sum(std::move(s));
    }
    default: return t;
  }
}

void ModuleDefBuilder::ValidateTypeDef(const RawTypeDef& raw) {
  std::string qualified;
  for (const auto& s : raw.scope) qualified += s + "::";
  qualified += raw.name;
  if (raw.ty >= original_ts_.types.size()) {
    if (raw.name.rfind("ERROR_", 0) == 0 && raw.scope.empty()) {
      Fail("the module's SDK reported a registration error: " + raw.name + " (" + SdkRegistrationErrorHint(raw.name) +
           "); fix the declaration it names and rebuild the module");
    } else {
      Fail("type " + Q(qualified) + " refers to typespace entry " + std::to_string(raw.ty) +
           ", which does not exist (the typespace has " + std::to_string(original_ts_.types.size()) + " types)");
    }
    return;
  }
  const AlgebraicType& converted = converted_ts_.types[raw.ty];
  if (!raw.custom_ordering) {
    bool ordered = converted.IsProduct() ? HasDefaultOrdering(converted.product().elements)
                   : converted.IsSum()   ? HasDefaultOrdering(converted.sum().variants)
                                         : true;
    if (!ordered)
      Fail("type " + Q(qualified) + " is not marked as having a custom ordering, but its elements are not in the "
           "default (sorted by name) order: " + converted.ToString());
  }
  CheckTypeDefinition(raw.ty, qualified);

  TypeDef def;
  def.source_name = raw.name;
  def.ty = raw.ty;
  def.custom_ordering = raw.custom_ordering;
  bool names_ok = true;
  for (const auto& s : raw.scope) {
    auto c = ResolveTypeName(s);
    names_ok = names_ok && c.has_value();
    if (c) def.scope.push_back(*c);
  }
  auto name = ResolveTypeName(raw.name);
  if (!name || !names_ok) return;
  def.name = *name;
  std::vector<std::string> key = def.scope;
  key.push_back(def.name);
  if (!type_names_.insert(key).second) {
    Fail("type name " + Q(def.QualifiedName()) + " is used for more than one type");
    return;
  }
  def_.types_.push_back(std::move(def));
}

// --- Tables -----------------------------------------------------------------------------------------------------

std::string ModuleDefBuilder::GeneratedColumnNames(const ProductType& row, const std::vector<uint16_t>& cols) const {
  std::string out;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) out += '_';
    const auto* e = cols[i] < row.elements.size() ? &row.elements[cols[i]] : nullptr;
    out += (e && e->name) ? *e->name : "col_" + std::to_string(cols[i]);
  }
  return out;
}

bool ModuleDefBuilder::ColumnsExist(const TableDef& table, const std::vector<uint16_t>& cols,
                                    const std::string& def_name) {
  bool ok = true;
  for (uint16_t c : cols) {
    if (c >= table.columns.size()) {
      Fail(def_name + " refers to column " + std::to_string(c) + " of table " + Q(table.accessor_name) +
           ", which has only " + std::to_string(table.columns.size()) + " columns");
      ok = false;
    }
  }
  if (SortedSet(cols).size() != cols.size()) {
    Fail(def_name + " lists a column more than once: " + ColumnsText(cols));
    ok = false;
  }
  return ok;
}

std::optional<IndexAlgorithmKind> ModuleDefBuilder::ValidateAlgorithm(const TableDef& table, const ProductType& row,
                                                                      const RawIndexAlgorithm& a,
                                                                      const std::string& index_name) {
  std::string what = "index " + Q(index_name);
  if (!ColumnsExist(table, a.columns, what)) return std::nullopt;
  switch (a.kind) {
    case RawIndexAlgorithm::Kind::kBTree: return IndexAlgorithmKind::kBTree;
    case RawIndexAlgorithm::Kind::kHash: return IndexAlgorithmKind::kHash;
    case RawIndexAlgorithm::Kind::kDirect: {
      const auto& element = row.elements[a.columns[0]];
      const AlgebraicType& t = element.type;
      bool ok = false;
      switch (t.tag()) {
        case TypeTag::kU8: case TypeTag::kU16: case TypeTag::kU32: case TypeTag::kU64: ok = true; break;
        case TypeTag::kRef: ok = t.ref() < converted_ts_.types.size() && AllVariantsUnit(converted_ts_.types[t.ref()]); break;
        case TypeTag::kSum: ok = AllVariantsUnit(t); break;
        default: break;
      }
      if (!ok) {
        Fail("direct " + what + " on column " + Q(element.name.value_or(std::to_string(a.columns[0]))) +
             " of table " + Q(table.accessor_name) + ": a direct index needs a u8, u16, u32 or u64 column or a "
             "simple enum, not " + t.ToString());
        return std::nullopt;
      }
      return IndexAlgorithmKind::kDirect;
    }
  }
  return std::nullopt;
}

std::vector<ColumnDef> ModuleDefBuilder::ValidateColumns(const std::string& owner_what, const std::string& owner_name,
                                                         uint32_t product_type_ref, bool require_names) {
  std::vector<ColumnDef> columns;
  const ProductType& original = original_ts_.types[product_type_ref].product();
  const ProductType& converted = converted_ts_.types[product_type_ref].product();
  for (size_t i = 0; i < original.elements.size(); ++i) {
    const auto& e = original.elements[i];
    ColumnDef c;
    c.position = static_cast<uint16_t>(i);
    std::string where = owner_what + " " + Q(owner_name) + " column " + (e.name ? Q(*e.name) : std::to_string(i));
    if (!e.name) {
      if (require_names) Fail(owner_what + " " + Q(owner_name) + " has an unnamed column " + std::to_string(i) + ", which is not allowed");
      continue;
    }
    CheckTypeUse(e.type, where);
    auto accessor = Ident(*e.name, where);
    auto name = WithCase(*e.name, where);
    if (!accessor || !name) continue;
    c.accessor_name = *accessor;
    c.name = *name;
    c.declared_type = converted.elements[i].type;
    uint64_t nodes = 0;
    auto inlined = InlineRefs(c.declared_type, &nodes);
    if (!inlined.ok()) {
      Fail(where + ": " + inlined.error().message());
      continue;
    }
    c.type = std::move(inlined).value();
    columns.push_back(std::move(c));
  }
  return columns;
}

std::optional<TableDef> ModuleDefBuilder::ValidateTable(const TableInput& in, const RawScheduleDefV9* v9_schedule) {
  const std::string& raw_name = in.raw_name;
  std::string table_what = "table " + Q(raw_name);
  if (in.product_type_ref >= converted_ts_.types.size() || !converted_ts_.types[in.product_type_ref].IsProduct()) {
    Fail(table_what + " has row type reference " + std::to_string(in.product_type_ref) +
         ", which is not a product type in the typespace");
    return std::nullopt;
  }
  auto canonical = ResolveTable(raw_name);
  if (!canonical) return std::nullopt;
  const ProductType& row = converted_ts_.types[in.product_type_ref].product();

  TableDef table;
  table.name = *canonical;
  table.accessor_name = raw_name;
  table.product_type_ref = in.product_type_ref;
  table.table_type = in.table_type;
  table.table_access = in.table_access;
  table.is_event = in.is_event;
  size_t errors_before = errors_.size();
  table.columns = ValidateColumns("table", raw_name, in.product_type_ref, /*require_names=*/true);
  if (table.columns.size() != row.elements.size()) return std::nullopt;  // column errors already reported

  // Indexes.
  for (size_t i = 0; i < in.indexes->size(); ++i) {
    const RawIndexDef& raw = (*in.indexes)[i];
    IndexDef index;
    const auto generated = table.name + "_" + GeneratedColumnNames(row, raw.algorithm.columns) + "_idx_" +
                           IndexAlgorithmName(static_cast<IndexAlgorithmKind>(raw.algorithm.kind));
    if (version_ == RawModuleDefVersion::kV10) {
      if (!raw.name) {
        Fail(table_what + ": index " + std::to_string(i) + " has no source name, which V10 definitions require");
        continue;
      }
      if (!AddGlobal(*raw.name)) continue;
      index.source_name = *raw.name;
      if (explicit_indexes_.count(*raw.name)) {
        auto n = Resolve(explicit_indexes_, *raw.name, "index " + Q(*raw.name));
        if (!n) continue;
        index.name = *n;
      } else {
        auto n = Ident(generated, "generated index name");
        if (!n) continue;
        index.name = *n;
      }
      if (index.name != index.source_name && !AddGlobal(index.name)) continue;
      if (raw.accessor_name) {
        auto a = Ident(*raw.accessor_name, "index " + Q(index.name) + " accessor");
        if (!a) continue;
        index.accessor_name = *a;
      }
    } else {
      index.name = raw.name.value_or(generated);
      if (!AddGlobal(index.name)) continue;
      index.source_name = index.name;
      if (raw.accessor_name) {
        auto a = WithCase(*raw.accessor_name, "index " + Q(index.name) + " accessor");
        if (!a) continue;
        index.accessor_name = *a;
      }
    }
    auto algorithm = ValidateAlgorithm(table, row, raw.algorithm, index.name);
    if (!algorithm) continue;
    index.algorithm = *algorithm;
    index.columns = raw.algorithm.columns;
    table.indexes.push_back(std::move(index));
  }
  size_t valid_indexes = table.indexes.size();
  bool indexes_ok = valid_indexes == in.indexes->size();

  // Unique constraints. V10 always generates the name; V9 takes the module's when given.
  bool constraints_ok = true;
  for (const RawConstraintDef& raw : *in.constraints) {
    std::string name = table.name + "_" + GeneratedColumnNames(row, raw.unique_columns) + "_key";
    if (version_ == RawModuleDefVersion::kV9OrEarlier && raw.name) name = *raw.name;
    bool cols_ok = ColumnsExist(table, raw.unique_columns, "unique constraint " + Q(name));
    bool name_ok = AddGlobal(name);
    if (!cols_ok || !name_ok) {
      constraints_ok = false;
      continue;
    }
    table.constraints.push_back({name, SortedSet(raw.unique_columns)});
  }

  // Primary key: at most one column, backed by a unique constraint on exactly that column.
  if (in.primary_key->size() > 1) {
    Fail(table_what + " declares more than one primary key column: " + ColumnsText(*in.primary_key));
  } else if (in.primary_key->size() == 1) {
    uint16_t pk = (*in.primary_key)[0];
    if (pk >= table.columns.size()) {
      Fail(table_what + ": primary key column " + std::to_string(pk) + " does not exist (the table has " +
           std::to_string(table.columns.size()) + " columns)");
    } else if (!std::any_of(table.constraints.begin(), table.constraints.end(),
                            [&](const UniqueConstraintDef& c) { return c.columns == std::vector<uint16_t>{pk}; })) {
      if (constraints_ok)
        Fail(table_what + " column " + Q(table.columns[pk].accessor_name) +
             " is the primary key but has no unique constraint on exactly that column");
    } else {
      table.primary_key = pk;
    }
  }

  // Every unique constraint must be enforced by an index on the same set of columns.
  if (indexes_ok && constraints_ok) {
    for (const auto& c : table.constraints) {
      bool backed = std::any_of(table.indexes.begin(), table.indexes.end(),
                                [&](const IndexDef& i) { return SortedSet(i.columns) == c.columns; });
      if (!backed)
        Fail("unique constraint " + Q(c.name) + " on columns " + ColumnsText(c.columns) + " of table " +
             Q(raw_name) + " has no index on the same columns to enforce it");
    }
  }
  for (auto& index : table.indexes)
    index.is_unique = std::any_of(table.constraints.begin(), table.constraints.end(),
                                  [&](const UniqueConstraintDef& c) { return c.columns == SortedSet(index.columns); });

  // Sequences: integer columns only, one per column, min <= start <= max where given.
  std::set<uint16_t> sequenced;
  for (const RawSequenceDef& raw : *in.sequences) {
    std::string name = raw.name.value_or(table.name + "_" + GeneratedColumnNames(row, {raw.column}) + "_seq");
    std::string what = "sequence " + Q(name);
    bool ok = true;
    if (raw.column >= table.columns.size()) {
      Fail(what + " refers to column " + std::to_string(raw.column) + " of table " + Q(raw_name) + ", which has only " +
           std::to_string(table.columns.size()) + " columns");
      ok = false;
    } else if (!row.elements[raw.column].type.IsInteger()) {
      Fail(what + " is on table " + Q(raw_name) + " column " + Q(table.columns[raw.column].accessor_name) +
           " of type " + row.elements[raw.column].type.ToString() + ", but sequences need an integer column");
      ok = false;
    } else if (!sequenced.insert(raw.column).second) {
      Fail("table " + Q(raw_name) + " column " + Q(table.columns[raw.column].accessor_name) +
           " has more than one sequence (auto-increment)");
      ok = false;
    }
    auto le = [](const std::optional<sats::i128>& a, const std::optional<sats::i128>& b) { return !a || !b || *a <= *b; };
    if (!(le(raw.min_value, raw.start) && le(raw.start, raw.max_value) && le(raw.min_value, raw.max_value))) {
      Fail(what + " has an invalid range: expected min " + I128Text(raw.min_value) + " <= start " +
           I128Text(raw.start) + " <= max " + I128Text(raw.max_value));
      ok = false;
    }
    if (!AddGlobal(name) || !ok) continue;
    table.sequences.push_back({name, raw.column, raw.start, raw.min_value, raw.max_value, raw.increment});
  }

  // V9 keeps the schedule inside the table.
  if (v9_schedule) {
    std::string name = v9_schedule->name.value_or(table.name + "_sched");
    table.schedule = ValidateSchedule(table, name, v9_schedule->reducer_name, v9_schedule->scheduled_at_column);
  }

  // The table's names: V10 claims the source name (an alias) and, when different, the canonical name.
  if (!AddGlobal(raw_name)) return std::nullopt;
  if (in.table_type != TableType::kSystem && table.name.rfind("st_", 0) == 0)
    Fail("table name " + Q(table.name) + " is reserved for system tables (user tables may not start with `st_`)");
  else if (table.name != raw_name)
    AddGlobal(table.name);

  if (errors_.size() != errors_before) return std::nullopt;
  return table;
}

std::optional<ScheduleDef> ModuleDefBuilder::ValidateSchedule(const TableDef& table, std::string name,
                                                              std::string_view raw_function, uint16_t at_column) {
  const ProductType& row = converted_ts_.types[table.product_type_ref].product();
  bool at_ok = at_column < row.elements.size() && row.elements[at_column].type.IsScheduleAt();
  bool id_ok = table.primary_key && row.elements[*table.primary_key].type.tag() == TypeTag::kU64;
  bool ok = true;
  if (!at_ok || !id_ok) {
    std::string problem = !at_ok ? "column " + std::to_string(at_column) + " is not of type ScheduleAt"
                                 : "its primary key is not a single u64 column";
    if (!at_ok && !id_ok) problem += ", and its primary key is not a single u64 column";
    Fail("schedule " + Q(name) + " on table " + Q(table.accessor_name) +
         ": a scheduled table needs a u64 primary key (scheduled_id) and a ScheduleAt column, but " + problem);
    ok = false;
  }
  ok = AddGlobal(name) && ok;
  auto function = ResolveFunction(raw_function, "schedule " + Q(name) + " function " + Q(raw_function));
  auto ident = Ident(name, "schedule name");
  if (!ok || !function || !ident) return std::nullopt;
  ScheduleDef s;
  s.name = name;
  s.at_column = at_column;
  s.id_column = *table.primary_key;
  s.function_name = *function;
  return s;
}

void ModuleDefBuilder::SetDefaultValue(TableDef& table, uint16_t col_id, const std::vector<uint8_t>& bytes) {
  std::string what = "default value for table " + Q(table.accessor_name) + " column " + std::to_string(col_id);
  if (col_id >= table.columns.size()) {
    Fail(what + ": the table has only " + std::to_string(table.columns.size()) + " columns");
    return;
  }
  ColumnDef& column = table.columns[col_id];
  if (column.default_value) {
    Fail("table " + Q(table.accessor_name) + " column " + Q(column.accessor_name) + " has more than one default value");
    return;
  }
  auto value = sats::bsatn::DecodeValue(column.declared_type, bytes, &converted_ts_);
  if (!value.ok()) {
    Fail(what + " (" + Q(column.accessor_name) + ") is not a valid " + column.type.ToString() + ": " +
         value.error().message());
    return;
  }
  column.default_value = std::move(value).value();
}

// --- Functions ----------------------------------------------------------------------------------------------------

bool ModuleDefBuilder::ValidateParams(const ProductType& params, const std::string& owner) {
  bool ok = true;
  for (size_t i = 0; i < params.elements.size(); ++i) {
    const auto& p = params.elements[i];
    std::string where = owner + " parameter " + std::to_string(i) + (p.name ? " (" + Q(*p.name) + ")" : "");
    if (!p.name) {
      Fail(where + " has no name; every parameter needs one");
      ok = false;
    } else if (!WithCase(*p.name, where)) {
      ok = false;
    }
    ok = CheckTypeUse(p.type, where) && ok;
  }
  return ok;
}

void ModuleDefBuilder::CheckFunctionNamesUnique() {
  std::unordered_set<std::string> seen;
  auto check = [&](const std::string& name) {
    if (!seen.insert(name).second) Fail("name " + Q(name) + " is used by more than one reducer, procedure or view");
  };
  for (const auto& r : def_.reducers_) check(r.name);
  for (const auto& p : def_.procedures_) check(p.name);
  for (const auto& v : def_.views_) check(v.name);
  std::unordered_set<std::string> handlers;
  for (const auto& h : def_.http_handlers_)
    if (!handlers.insert(h.name).second) Fail("name " + Q(h.name) + " is used by more than one HTTP handler");
}

void ModuleDefBuilder::AttachScheduleFunctions(bool force_private) {
  for (auto& table : def_.tables_) {
    if (!table.schedule) continue;
    ScheduleDef& s = *table.schedule;
    const ProductType* params = nullptr;
    FunctionVisibility* visibility = nullptr;
    for (auto& r : def_.reducers_)
      if (r.name == s.function_name) {
        s.function_kind = FunctionKind::kReducer;
        params = &r.params;
        visibility = &r.visibility;
        break;
      }
    if (!params)
      for (auto& p : def_.procedures_)
        if (p.name == s.function_name) {
          s.function_kind = FunctionKind::kProcedure;
          params = &p.params;
          visibility = &p.visibility;
          break;
        }
    if (!params) {
      Fail("schedule " + Q(s.name) + " calls " + Q(s.function_name) + ", which is neither a reducer nor a procedure");
      continue;
    }
    if (params->elements.size() != 1 || !(params->elements[0].type == AlgebraicType::Ref(table.product_type_ref))) {
      Fail(std::string("scheduled ") + (s.function_kind == FunctionKind::kReducer ? "reducer " : "procedure ") +
           Q(s.function_name) + " must take exactly one parameter of the row type of table " +
           Q(table.accessor_name) + " (Ref " + std::to_string(table.product_type_ref) + "), but takes " +
           AlgebraicType::Product(*params).ToString());
      continue;
    }
    if (force_private) *visibility = FunctionVisibility::kPrivate;
  }
}

void ModuleDefBuilder::RegisterLifecycle(Lifecycle lifecycle, uint32_t reducer_id) {
  auto& slot = def_.lifecycle_reducers_[static_cast<size_t>(lifecycle)];
  ReducerDef& reducer = def_.reducers_[reducer_id];
  if (slot || reducer.lifecycle) {
    Fail(std::string("more than one reducer is registered for lifecycle event ") + LifecycleName(lifecycle) +
         (reducer.lifecycle && !slot ? " (reducer " + Q(reducer.name) + " already handles " +
                                           LifecycleName(*reducer.lifecycle) + ")"
                                     : ""));
    return;
  }
  slot = reducer_id;
  reducer.lifecycle = lifecycle;
}

std::optional<ViewDef> ModuleDefBuilder::ValidateView(std::string_view raw_name, uint32_t index, bool is_public,
                                                      bool is_anonymous, const ProductType& params,
                                                      const AlgebraicType& return_type) {
  std::string what = "view " + Q(raw_name);
  auto row_ref = ViewReturnRowRef(return_type);
  if (!row_ref || row_ref->first >= converted_ts_.types.size() || !converted_ts_.types[row_ref->first].IsProduct()) {
    Fail(what + " returns " + return_type.ToString() +
         ", but a view must return Vec<T>, Option<T> or Query<T> of a product type T in the typespace");
    return std::nullopt;
  }
  auto name = ResolveFunction(raw_name, what);
  auto accessor = Ident(raw_name, what);
  if (!name || !accessor) return std::nullopt;
  size_t errors_before = errors_.size();
  ValidateParams(params, what);
  CheckTypeUse(row_ref->second ? AlgebraicType::Array(AlgebraicType::Ref(row_ref->first)) : return_type,
               what + " return type");
  ViewDef view;
  view.name = *name;
  view.accessor_name = *accessor;
  view.index = index;
  view.is_public = is_public;
  view.is_anonymous = is_anonymous;
  view.params = params;
  view.return_type = return_type;
  view.product_type_ref = row_ref->first;
  view.is_query = row_ref->second;
  // Views are table-shaped: their (canonical) name lives in the global namespace too.
  AddGlobal(version_ == RawModuleDefVersion::kV10 ? view.name : std::string(raw_name));
  view.columns = ValidateColumns("view", std::string(raw_name), row_ref->first, /*require_names=*/true);
  if (errors_.size() != errors_before) return std::nullopt;
  return view;
}

void ModuleDefBuilder::AttachViewPrimaryKeys(const std::vector<RawViewPrimaryKeyDefV10>& keys) {
  std::set<std::string> seen;
  for (const auto& key : keys) {
    std::string what = "primary key of view " + Q(key.view_source_name);
    if (!seen.insert(key.view_source_name).second) {
      Fail(what + " is declared more than once");
      continue;
    }
    if (key.columns.size() > 1) {
      Fail(what + " names " + std::to_string(key.columns.size()) + " columns; only one is supported");
      continue;
    }
    if (key.columns.empty()) continue;
    auto view = std::find_if(def_.views_.begin(), def_.views_.end(),
                             [&](const ViewDef& v) { return v.accessor_name == key.view_source_name; });
    if (view == def_.views_.end()) {
      Fail(what + ": no such view");
      continue;
    }
    auto column = std::find_if(view->columns.begin(), view->columns.end(),
                               [&](const ColumnDef& c) { return c.accessor_name == key.columns[0]; });
    if (column == view->columns.end()) {
      Fail(what + ": the view has no column " + Q(key.columns[0]));
      continue;
    }
    view->primary_key = column->position;
  }
  // A query-builder view without a declared key inherits the primary key of the tables sharing its row type, when
  // they agree.
  for (auto& view : def_.views_) {
    if (!view.is_query || view.primary_key) continue;
    std::optional<uint16_t> pk;
    bool ambiguous = false;
    for (const auto& t : def_.tables_) {
      if (t.product_type_ref != view.product_type_ref || !t.primary_key) continue;
      if (pk && *pk != *t.primary_key) ambiguous = true;
      pk = t.primary_key;
    }
    if (!ambiguous) view.primary_key = pk;
  }
}

void ModuleDefBuilder::ValidateHttp(const RawModuleDefV10& raw) {
  if (const auto* handlers = raw.http_handlers()) {
    for (const auto& h : *handlers) {
      std::string what = "HTTP handler " + Q(h.source_name);
      auto name = ResolveFunction(h.source_name, what);
      auto accessor = Ident(h.source_name, what);
      if (name && accessor) def_.http_handlers_.push_back({*name, *accessor});
    }
  }
  const auto* routes = raw.http_routes();
  if (!routes) return;
  for (const auto& r : *routes) {
    std::string what = "HTTP route " + Q(r.path);
    if ((!r.path.empty() && r.path[0] != '/') || !std::all_of(r.path.begin(), r.path.end(), RouteCharacterAllowed)) {
      Fail(what + " is invalid: a route path is empty or starts with `/`, and uses only lowercase ASCII letters, "
           "digits and `-_~/`");
      continue;
    }
    auto handler = ResolveFunction(r.handler_function, what + " handler");
    if (!handler) continue;
    if (std::none_of(def_.http_handlers_.begin(), def_.http_handlers_.end(),
                     [&](const HttpHandlerDef& h) { return h.name == *handler; })) {
      Fail(what + " refers to HTTP handler " + Q(r.handler_function) + ", which does not exist");
      continue;
    }
    bool overlaps = std::any_of(def_.http_routes_.begin(), def_.http_routes_.end(), [&](const HttpRouteDef& o) {
      return o.path == r.path && (!o.method || !r.method || *o.method == *r.method);
    });
    if (overlaps) {
      Fail(what + " is declared twice for " + (r.method ? "method " + r.method->ToString() : std::string("any method")) +
           " (routes may not share a path with overlapping methods)");
      continue;
    }
    def_.http_routes_.push_back({*handler, r.method, r.path});
  }
}

Result<ModuleDef> ModuleDefBuilder::Finish() {
  if (!errors_.empty()) {
    std::string message = "invalid module definition (" + std::to_string(errors_.size()) +
                          (errors_.size() == 1 ? " problem):" : " problems):");
    for (const auto& e : errors_) message += "\n  - " + e;
    return Error(ErrorCode::kInvalidArgument, std::move(message));
  }
  def_.typespace_ = std::move(converted_ts_);
  def_.BuildLookups();
  return std::move(def_);
}

// --- V10 --------------------------------------------------------------------------------------------------------

Result<ModuleDef> ModuleDefBuilder::FromV10(const RawModuleDefV10& raw, int depth) {
  if (const auto* names = raw.explicit_names()) {
    for (const auto& e : names->entries) {
      auto& map = e.kind == ExplicitNameEntry::Kind::kTable      ? explicit_tables_
                  : e.kind == ExplicitNameEntry::Kind::kFunction ? explicit_functions_
                                                                 : explicit_indexes_;
      map[e.mapping.source_name] = e.mapping.canonical_name;  // a later entry wins, as in the reference
    }
  }
  if (const auto* types = raw.types())
    for (const auto& t : *types) declared_types_.insert(t.ty);

  if (const auto* reducers = raw.reducers()) {
    for (const auto& r : *reducers) {
      std::string what = "reducer " + Q(r.source_name);
      auto accessor = Ident(r.source_name, what);
      auto name = ResolveFunction(r.source_name, what);
      ValidateParams(r.params, what);
      bool returns_ok = r.ok_return_type.IsUnit() && r.err_return_type.IsString();
      if (!returns_ok)
        Fail(what + " must return Result<(), String>, but returns Result<" + r.ok_return_type.ToString() + ", " +
             r.err_return_type.ToString() + ">");
      // A reducer that fails validation still takes its position so that later ids are not shifted.
      def_.reducers_.push_back({name.value_or(r.source_name), accessor.value_or(r.source_name), r.params,
                                r.visibility, std::nullopt});
    }
  }
  if (const auto* procedures = raw.procedures()) {
    for (const auto& p : *procedures) {
      std::string what = "procedure " + Q(p.source_name);
      auto accessor = Ident(p.source_name, what);
      auto name = ResolveFunction(p.source_name, what);
      ValidateParams(p.params, what);
      CheckTypeUse(p.return_type, what + " return type");
      def_.procedures_.push_back(
          {name.value_or(p.source_name), accessor.value_or(p.source_name), p.params, p.return_type, p.visibility});
    }
  }
  ValidateHttp(raw);
  if (const auto* views = raw.views()) {
    for (const auto& v : *views)
      if (auto view = ValidateView(v.source_name, v.index, v.is_public, v.is_anonymous, v.params, v.return_type))
        def_.views_.push_back(std::move(*view));
  }
  if (const auto* tables = raw.tables()) {
    for (const auto& t : *tables) {
      TableInput in{t.source_name, t.product_type_ref, &t.primary_key, &t.indexes, &t.constraints, &t.sequences,
                    t.table_type, t.table_access, t.is_event};
      auto table = ValidateTable(in, nullptr);
      if (!table) {
        tables_ok_ = false;
        continue;
      }
      for (const auto& d : t.default_values) SetDefaultValue(*table, d.col_id, d.value);
      def_.tables_.push_back(std::move(*table));
    }
  }
  if (const auto* types = raw.types())
    for (const auto& t : *types) ValidateTypeDef(t);

  // Schedules refer to tables; when a table failed, its schedule would only produce follow-on errors.
  if (const auto* schedules = raw.schedules(); schedules && tables_ok_) {
    for (const auto& s : *schedules) {
      auto table_name = ResolveTable(s.table_name);
      if (!table_name) continue;
      auto table = std::find_if(def_.tables_.begin(), def_.tables_.end(),
                                [&](const TableDef& t) { return t.name == *table_name; });
      if (table == def_.tables_.end()) {
        Fail("schedule for table " + Q(s.table_name) + ": no such table");
        continue;
      }
      if (table->schedule) {
        Fail("table " + Q(table->accessor_name) + " has more than one schedule");
        continue;
      }
      table->schedule = ValidateSchedule(*table, table->name + "_sched", s.function_name, s.schedule_at_col);
    }
  }
  if (const auto* lifecycles = raw.lifecycle_reducers()) {
    for (const auto& l : *lifecycles) {
      auto name = ResolveFunction(l.function_name, std::string("lifecycle ") + LifecycleName(l.lifecycle) +
                                                       " reducer " + Q(l.function_name));
      if (!name) continue;
      auto it = std::find_if(def_.reducers_.begin(), def_.reducers_.end(),
                             [&](const ReducerDef& r) { return r.name == *name; });
      if (it == def_.reducers_.end()) {
        Fail(std::string("lifecycle event ") + LifecycleName(l.lifecycle) + " names reducer " + Q(l.function_name) +
             ", which does not exist");
        continue;
      }
      RegisterLifecycle(l.lifecycle, uint32_t(it - def_.reducers_.begin()));
    }
  }
  CheckFunctionNamesUnique();
  AttachScheduleFunctions(/*force_private=*/true);
  for (auto& r : def_.reducers_)
    if (r.lifecycle) r.visibility = FunctionVisibility::kPrivate;
  if (const auto* keys = raw.view_primary_keys()) AttachViewPrimaryKeys(*keys);
  else AttachViewPrimaryKeys({});

  if (const auto* rls = raw.row_level_security())
    for (const auto& r : *rls)
      if (std::find(def_.row_level_security_.begin(), def_.row_level_security_.end(), r.sql) ==
          def_.row_level_security_.end())
        def_.row_level_security_.push_back(r.sql);

  if (const auto* submodules = raw.submodules()) {
    std::set<std::string> namespaces;
    for (const auto& s : *submodules) {
      std::string what = "submodule " + Q(s.namespace_name);
      if (s.namespace_name.size() > kMaxNamespaceBytes)
        Fail(what + ": the namespace is " + std::to_string(s.namespace_name.size()) + " bytes, more than the " +
             std::to_string(kMaxNamespaceBytes) + "-byte limit");
      if (!Ident(s.namespace_name, what)) continue;
      if (!namespaces.insert(s.namespace_name).second) {
        Fail(what + " is declared more than once");
        continue;
      }
      if (depth >= kMaxSubmoduleDepth) {
        Fail(what + " is nested too deeply");
        continue;
      }
      const sats::Typespace empty;
      const sats::Typespace* ts = s.module.typespace();
      ModuleDefBuilder nested(RawModuleDefVersion::kV10,
                              s.module.case_conversion_policy().value_or(CaseConversionPolicy::kSnakeCase),
                              ts ? *ts : empty);
      auto sub = nested.FromV10(s.module, depth + 1);
      if (!sub.ok()) {
        Fail(what + ": " + sub.error().message());
        continue;
      }
      for (int l = 0; l < kLifecycleCount; ++l)
        if (sub->LifecycleReducer(static_cast<Lifecycle>(l)))
          Fail(what + " declares a lifecycle reducer for " + LifecycleName(static_cast<Lifecycle>(l)) +
               "; lifecycle reducers are only allowed in the root module");
      def_.submodules_.push_back({s.namespace_name, std::move(sub).value()});
    }
  }
  return Finish();
}

// --- V9 ---------------------------------------------------------------------------------------------------------

Result<ModuleDef> ModuleDefBuilder::FromV9(const RawModuleDefV9& raw) {
  for (const auto& t : raw.types) declared_types_.insert(t.ty);

  for (const auto& r : raw.reducers) {
    std::string what = "reducer " + Q(r.name);
    auto name = Ident(r.name, what);
    ValidateParams(r.params, what);
    def_.reducers_.push_back(
        {name.value_or(r.name), name.value_or(r.name), r.params, FunctionVisibility::kClientCallable, std::nullopt});
    if (r.lifecycle) RegisterLifecycle(*r.lifecycle, uint32_t(def_.reducers_.size() - 1));
  }
  for (const auto& e : raw.misc_exports) {
    if (const auto* p = std::get_if<RawProcedureDefV9>(&e)) {
      std::string what = "procedure " + Q(p->name);
      auto name = Ident(p->name, what);
      ValidateParams(p->params, what);
      CheckTypeUse(p->return_type, what + " return type");
      def_.procedures_.push_back(
          {name.value_or(p->name), name.value_or(p->name), p->params, p->return_type, FunctionVisibility::kClientCallable});
    } else if (const auto* v = std::get_if<RawViewDefV9>(&e)) {
      if (auto view = ValidateView(v->name, v->index, v->is_public, v->is_anonymous, v->params, v->return_type))
        def_.views_.push_back(std::move(*view));
    }
  }
  for (const auto& t : raw.tables) {
    TableInput in{t.name, t.product_type_ref, &t.primary_key, &t.indexes, &t.constraints, &t.sequences,
                  t.table_type, t.table_access, false};
    auto table = ValidateTable(in, t.schedule ? &*t.schedule : nullptr);
    if (!table) {
      tables_ok_ = false;
      continue;
    }
    def_.tables_.push_back(std::move(*table));
  }
  for (const auto& t : raw.types) ValidateTypeDef(t);

  CheckFunctionNamesUnique();
  if (tables_ok_) AttachScheduleFunctions(/*force_private=*/false);
  for (const auto& e : raw.misc_exports) {
    const auto* d = std::get_if<RawColumnDefaultValueV9>(&e);
    if (!d) continue;
    auto it = std::find_if(def_.tables_.begin(), def_.tables_.end(), [&](const TableDef& t) { return t.name == d->table; });
    if (it == def_.tables_.end()) {
      if (tables_ok_) Fail("default value for table " + Q(d->table) + ": no such table");
      continue;
    }
    SetDefaultValue(*it, d->col_id, d->value);
  }
  for (const auto& r : raw.row_level_security)
    if (std::find(def_.row_level_security_.begin(), def_.row_level_security_.end(), r.sql) ==
        def_.row_level_security_.end())
      def_.row_level_security_.push_back(r.sql);
  return Finish();
}

// --- Entry points -------------------------------------------------------------------------------------------------

Result<ModuleDef> ModuleDef::FromRaw(const RawModuleDefV10& raw) {
  const sats::Typespace empty;
  const sats::Typespace* ts = raw.typespace();
  ModuleDefBuilder builder(RawModuleDefVersion::kV10,
                           raw.case_conversion_policy().value_or(CaseConversionPolicy::kSnakeCase), ts ? *ts : empty);
  return builder.FromV10(raw, 0);
}

Result<ModuleDef> ModuleDef::FromRaw(const RawModuleDefV9& raw) {
  ModuleDefBuilder builder(RawModuleDefVersion::kV9OrEarlier, CaseConversionPolicy::kNone, raw.typespace);
  return builder.FromV9(raw);
}

}  // namespace stdb::host
