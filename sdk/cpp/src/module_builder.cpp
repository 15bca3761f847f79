// ModuleBuilder: registration state and its RawModuleDef (see internal/module_builder.h).
#include "spacetimedb/internal/module_builder.h"

#include <algorithm>
#include <cctype>

#include "spacetimedb/enum_macros.h"
#include "spacetimedb/index_accessors.h"
#include "spacetimedb/logger.h"
#include "spacetimedb/table_macros.h"

namespace SpacetimeDB::Internal {

namespace {

// The typespace index the error definition points at; no module has that many types.
constexpr uint32_t kMissingTypeRef = 999999;

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

bool IsIdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool IsScheduleAt(const bsatn::AlgebraicType& type) {
  const auto& variants = type.members();
  return type.is_sum() && variants.size() == 2 && variants[0].name == "Interval" && variants[1].name == "Time";
}

}  // namespace

ModuleBuilder& ModuleBuilder::instance() {
  static ModuleBuilder builder;
  return builder;
}

void ModuleBuilder::Clear() { *this = ModuleBuilder(); }

// --- types ---------------------------------------------------------------------------------------------------

bsatn::AlgebraicType ModuleBuilder::RegisterNamedType(const void* key, std::string_view name,
                                                      bsatn::AlgebraicType (*build)()) {
  for (const TypeEntry& entry : type_entries_) {
    if (entry.key == key) {
      if (entry.index) return bsatn::AlgebraicType::make_ref(*entry.index);
      Fail("RECURSIVE_TYPE", name);
      return bsatn::AlgebraicType::make_ref(kMissingTypeRef);
    }
    if (entry.name == name) {
      Fail("DUPLICATE_TYPE_NAME", name);
      return bsatn::AlgebraicType::make_ref(kMissingTypeRef);
    }
  }
  // Building may register the types this one contains, so keep a position rather than a reference.
  const size_t slot = type_entries_.size();
  type_entries_.push_back(TypeEntry{key, std::string(name), std::nullopt});
  bsatn::AlgebraicType structure = build();

  const auto index = static_cast<uint32_t>(typespace_.size());
  typespace_.push_back(std::move(structure));
  type_entries_[slot].index = index;

  RawTypeDef def;
  if (auto scope = type_scopes_.find(name); scope != type_scopes_.end()) def.scope = scope->second;
  def.source_name = std::string(name);
  def.ty = index;
  def.custom_ordering = true;
  type_defs_.push_back(std::move(def));
  return bsatn::AlgebraicType::make_ref(index);
}

void ModuleBuilder::SetTypeScope(std::string type_name, std::vector<std::string> scope) {
  type_scopes_[std::move(type_name)] = std::move(scope);
}

// --- tables --------------------------------------------------------------------------------------------------

ModuleBuilder::TableEntry* ModuleBuilder::FindTable(std::string_view name) {
  for (TableEntry& table : tables_)
    if (table.def.source_name == name) return &table;
  return nullptr;
}

const ModuleBuilder::TableEntry* ModuleBuilder::FindTable(std::string_view name) const {
  for (const TableEntry& table : tables_)
    if (table.def.source_name == name) return &table;
  return nullptr;
}

std::optional<uint16_t> ModuleBuilder::ColumnOf(const TableEntry& table, std::string_view field_name) const {
  for (size_t i = 0; i < table.columns.size(); ++i)
    if (table.columns[i] == field_name) return static_cast<uint16_t>(i);
  return std::nullopt;
}

void ModuleBuilder::RegisterTable(std::string table_name, const bsatn::AlgebraicType& row_type,
                                  std::vector<std::string> columns, bool is_public, bool is_event) {
  if (!row_type.is_ref()) {
    Fail("TABLE_TYPE_NOT_NAMED", table_name);
    return;
  }
  if (FindTable(table_name)) {
    Fail("DUPLICATE_TABLE", table_name);
    return;
  }
  TableEntry table;
  table.def.source_name = std::move(table_name);
  table.def.product_type_ref = row_type.ref();
  table.def.is_public = is_public;
  table.def.is_event = is_event;
  table.columns = std::move(columns);
  tables_.push_back(std::move(table));
}

void ModuleBuilder::AddFieldConstraint(std::string_view table_name, std::string_view field_name,
                                       FieldConstraint constraint) {
  TableEntry* table = FindTable(table_name);
  if (!table) {
    Fail("TABLE_NOT_FOUND", std::string(table_name) + "." + std::string(field_name));
    return;
  }
  const std::optional<uint16_t> column = ColumnOf(*table, field_name);
  if (!column) {
    Fail("FIELD_NOT_FOUND", std::string(table_name) + "." + std::string(field_name));
    return;
  }
  RawTableDef& def = table->def;
  const bool primary_key = has_constraint(constraint, FieldConstraint::PrimaryKey);
  const bool unique = has_constraint(constraint, FieldConstraint::Unique);
  const bool indexed = has_constraint(constraint, FieldConstraint::Indexed);
  if (primary_key) {
    if (!def.primary_key.empty()) {
      Fail("MULTIPLE_PRIMARY_KEYS", table_name);
      return;
    }
    def.primary_key.push_back(*column);
  }
  if (unique) def.constraints.push_back(RawUniqueConstraintDef{{*column}});
  if (indexed) def.indexes.push_back(RawIndexDef{IndexSourceName(table_name, field_name), std::string(field_name), {*column}});
  if (has_constraint(constraint, FieldConstraint::AutoInc)) {
    if (std::find(table->sequence_columns.begin(), table->sequence_columns.end(), *column) !=
        table->sequence_columns.end()) {
      Fail("DUPLICATE_SEQUENCE", std::string(table_name) + "." + std::string(field_name));
      return;
    }
    def.sequences.push_back(RawSequenceDef{*column, 1});
    table->sequence_columns.insert(
        std::upper_bound(table->sequence_columns.begin(), table->sequence_columns.end(), *column), *column);
  }
}

void ModuleBuilder::AddMultiColumnIndex(std::string_view table_name, std::string_view accessor_name,
                                        const std::vector<std::string>& field_names) {
  TableEntry* table = FindTable(table_name);
  if (!table) {
    Fail("TABLE_NOT_FOUND", std::string(table_name) + "." + std::string(accessor_name));
    return;
  }
  std::vector<uint16_t> columns;
  for (const std::string& field : field_names) {
    const std::optional<uint16_t> column = ColumnOf(*table, field);
    if (!column) {
      Fail("FIELD_NOT_FOUND", std::string(table_name) + "." + field);
      return;
    }
    columns.push_back(*column);
  }
  table->def.indexes.push_back(
      RawIndexDef{IndexSourceName(table_name, Join(field_names, "_")), std::string(accessor_name), std::move(columns)});
}

void ModuleBuilder::AddColumnDefault(std::string_view table_name, std::string_view field_name,
                                     std::vector<uint8_t> value) {
  TableEntry* table = FindTable(table_name);
  if (!table) {
    Fail("TABLE_NOT_FOUND", std::string(table_name) + "." + std::string(field_name));
    return;
  }
  const std::optional<uint16_t> column = ColumnOf(*table, field_name);
  if (!column) {
    Fail("FIELD_NOT_FOUND", std::string(table_name) + "." + std::string(field_name));
    return;
  }
  const RawTableDef& def = table->def;
  const bool in_primary_key = std::find(def.primary_key.begin(), def.primary_key.end(), *column) != def.primary_key.end();
  const bool unique = std::any_of(def.constraints.begin(), def.constraints.end(), [&](const auto& c) {
    return c.columns == std::vector<uint16_t>{*column};
  });
  const bool sequence = std::find(table->sequence_columns.begin(), table->sequence_columns.end(), *column) !=
                        table->sequence_columns.end();
  if (in_primary_key || unique || sequence) {
    Fail("DEFAULT_ON_CONSTRAINED_COLUMN", std::string(table_name) + "." + std::string(field_name));
    return;
  }
  table->def.default_values.push_back(RawColumnDefault{*column, std::move(value)});
}

void ModuleBuilder::RegisterSchedule(std::string table_name, uint16_t schedule_at_column, std::string function_name) {
  RawScheduleDef schedule{table_name + "_sched", table_name, schedule_at_column, std::move(function_name)};
  for (RawScheduleDef& existing : schedules_) {
    if (existing.table_name == table_name) {
      existing = std::move(schedule);
      return;
    }
  }
  schedules_.push_back(std::move(schedule));
}

// --- reducers ------------------------------------------------------------------------------------------------

bool ModuleBuilder::IsFunctionRegistered(std::string_view name) const {
  return std::any_of(reducers_.begin(), reducers_.end(), [&](const auto& r) { return r.def.source_name == name; });
}

void ModuleBuilder::RegisterReducer(std::string name, std::vector<bsatn::NamedType> params, ReducerHandler handler) {
  if (IsFunctionRegistered(name)) {
    Fail("DUPLICATE_REDUCER", name);
    return;
  }
  reducers_.push_back(ReducerEntry{RawReducerDef{std::move(name), std::move(params), true}, std::move(handler)});
}

void ModuleBuilder::RegisterLifecycleReducer(Lifecycle lifecycle, std::string name, ReducerHandler handler) {
  for (const RawLifecycleDef& existing : lifecycle_) {
    if (existing.lifecycle == lifecycle) {
      Fail("DUPLICATE_LIFECYCLE", name);
      return;
    }
  }
  if (IsFunctionRegistered(name)) {
    Fail("DUPLICATE_REDUCER", name);
    return;
  }
  lifecycle_.push_back(RawLifecycleDef{lifecycle, name});
  reducers_.push_back(ReducerEntry{RawReducerDef{std::move(name), {}, false}, std::move(handler)});
}

const ReducerHandler* ModuleBuilder::reducer_handler(uint32_t id) const {
  return id < reducers_.size() ? &reducers_[id].handler : nullptr;
}

const std::vector<uint16_t>& ModuleBuilder::SequenceColumns(std::string_view table_name) const {
  static const std::vector<uint16_t> none;
  const TableEntry* table = FindTable(table_name);
  return table ? table->sequence_columns : none;
}

// --- settings ------------------------------------------------------------------------------------------------

void ModuleBuilder::RegisterExplicitName(ExplicitNameKind kind, std::string source_name, std::string canonical_name) {
  explicit_names_.push_back(RawExplicitName{kind, std::move(source_name), std::move(canonical_name)});
}

void ModuleBuilder::SetCaseConversionPolicy(CaseConversionPolicy policy) { case_conversion_policy_ = policy; }

void ModuleBuilder::AddRowLevelSecurity(std::string sql) { row_level_security_.push_back(std::move(sql)); }

// --- errors and validation -----------------------------------------------------------------------------------

void ModuleBuilder::Fail(std::string_view kind, std::string_view detail) {
  log_error("module registration error " + std::string(kind) + ": " + std::string(detail));
  if (!error_) error_ = Error{std::string(kind), std::string(detail)};
}

std::string ModuleBuilder::error_type_name() const {
  if (!error_) return {};
  std::string name = "ERROR_" + error_->kind + "_" + error_->detail;
  for (char& c : name)
    if (!IsIdentifierChar(c)) c = '_';
  return name;
}

void ModuleBuilder::Validate() {
  for (const RawScheduleDef& schedule : schedules_) {
    const TableEntry* table = FindTable(schedule.table_name);
    if (!table) {
      Fail("SCHEDULE_TABLE_NOT_FOUND", schedule.table_name);
      return;
    }
    const auto& columns = typespace_.at(table->def.product_type_ref).members();
    if (schedule.schedule_at_column >= columns.size() || !IsScheduleAt(*columns[schedule.schedule_at_column].type)) {
      Fail("SCHEDULE_COLUMN_NOT_SCHEDULE_AT", schedule.table_name);
      return;
    }
    auto reducer = std::find_if(reducers_.begin(), reducers_.end(),
                                [&](const auto& r) { return r.def.source_name == schedule.function_name; });
    if (reducer == reducers_.end()) {
      Fail("SCHEDULE_FUNCTION_NOT_FOUND", schedule.function_name);
      return;
    }
    const auto& params = reducer->def.params;
    if (params.size() != 1 || !params[0].type->is_ref() || params[0].type->ref() != table->def.product_type_ref) {
      Fail("SCHEDULE_FUNCTION_SIGNATURE", schedule.function_name);
      return;
    }
  }
}

// --- output --------------------------------------------------------------------------------------------------

RawModuleDef ModuleBuilder::Build() const {
  RawModuleDef def;
  def.typespace = typespace_;
  def.types = type_defs_;
  for (const TableEntry& table : tables_) def.tables.push_back(table.def);
  for (const ReducerEntry& reducer : reducers_) {
    RawReducerDef r = reducer.def;
    const bool scheduled = std::any_of(schedules_.begin(), schedules_.end(),
                                       [&](const auto& s) { return s.function_name == r.source_name; });
    if (scheduled) r.client_callable = false;
    def.reducers.push_back(std::move(r));
  }
  def.schedules = schedules_;
  def.lifecycle_reducers = lifecycle_;
  def.case_conversion_policy = case_conversion_policy_;
  def.explicit_names = explicit_names_;
  def.row_level_security = row_level_security_;
  return def;
}

std::vector<uint8_t> ModuleBuilder::Describe() const {
  if (!error_) return EncodeModuleDef(Build());
  RawModuleDef error_def;
  error_def.types.push_back(RawTypeDef{{}, error_type_name(), kMissingTypeRef, false});
  return EncodeModuleDef(error_def);
}

// --- macro helpers -------------------------------------------------------------------------------------------

std::vector<std::string> ParseParameterNames(std::string_view parameter_list) {
  std::vector<std::string> names;
  auto take_name = [&](std::string_view declaration) {
    // A default value ("int x = 5") is not part of the name.
    int depth = 0;
    for (size_t i = 0; i < declaration.size(); ++i) {
      const char c = declaration[i];
      if (c == '<' || c == '(' || c == '[' || c == '{') ++depth;
      if (c == '>' || c == ')' || c == ']' || c == '}') --depth;
      if (c == '=' && depth == 0) {
        declaration = declaration.substr(0, i);
        break;
      }
    }
    size_t end = declaration.size();
    while (end > 0 && !IsIdentifierChar(declaration[end - 1])) --end;
    size_t begin = end;
    while (begin > 0 && IsIdentifierChar(declaration[begin - 1])) --begin;
    if (begin < end) names.emplace_back(declaration.substr(begin, end - begin));
  };
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < parameter_list.size(); ++i) {
    const char c = parameter_list[i];
    if (c == '<' || c == '(' || c == '[' || c == '{') ++depth;
    if (c == '>' || c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      take_name(parameter_list.substr(start, i - start));
      start = i + 1;
    }
  }
  if (start < parameter_list.size()) take_name(parameter_list.substr(start));
  return names;
}

std::vector<std::string> SplitScope(std::string_view dotted) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= dotted.size()) {
    const size_t dot = dotted.find('.', start);
    const size_t end = dot == std::string_view::npos ? dotted.size() : dot;
    if (end > start) parts.emplace_back(dotted.substr(start, end - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::string IndexSourceName(std::string_view table, std::string_view columns) {
  return std::string(table) + "_" + std::string(columns) + "_idx_btree";
}

void RegisterTableOptions(const char* table_name, const TableOptions& options) {
  if (options.canonical_name)
    ModuleBuilder::instance().RegisterExplicitName(ExplicitNameKind::Table, table_name, options.canonical_name);
}

}  // namespace SpacetimeDB::Internal
