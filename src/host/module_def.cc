#include "host/module_def.h"

namespace stdb::host {

const char* IndexAlgorithmName(IndexAlgorithmKind kind) {
  switch (kind) {
    case IndexAlgorithmKind::kBTree: return "btree";
    case IndexAlgorithmKind::kHash: return "hash";
    case IndexAlgorithmKind::kDirect: return "direct";
  }
  return "?";
}

sats::ProductType TableDef::RowType() const {
  sats::ProductType row;
  for (const auto& c : columns) row.elements.push_back({c.name, c.type});
  return row;
}

const ColumnDef* TableDef::FindColumn(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  for (const auto& c : columns)
    if (c.accessor_name == name) return &c;
  return nullptr;
}

std::string TypeDef::QualifiedName() const {
  std::string out;
  for (const auto& s : scope) out += s + "::";
  return out + name;
}

Result<ModuleDef> ModuleDef::FromBsatn(sats::ByteSpan bytes) {
  STDB_ASSIGN_OR_RETURN(RawModuleDef raw, DecodeRawModuleDef(bytes));
  return FromRaw(raw);
}

Result<ModuleDef> ModuleDef::FromRaw(const RawModuleDef& raw) {
  if (const auto* v9 = std::get_if<RawModuleDefV9>(&raw)) return FromRaw(*v9);
  return FromRaw(std::get<RawModuleDefV10>(raw));
}

void ModuleDef::BuildLookups() {
  // Canonical names are inserted first so that an alias never shadows another object's canonical name.
  for (uint32_t t = 0; t < tables_.size(); ++t) {
    table_by_name_.emplace(tables_[t].name, t);
    for (uint32_t i = 0; i < tables_[t].indexes.size(); ++i) index_by_name_.emplace(tables_[t].indexes[i].name, std::pair(t, i));
  }
  for (uint32_t t = 0; t < tables_.size(); ++t) {
    table_by_name_.emplace(tables_[t].accessor_name, t);
    for (uint32_t i = 0; i < tables_[t].indexes.size(); ++i)
      index_by_name_.emplace(tables_[t].indexes[i].source_name, std::pair(t, i));
  }
  auto index_functions = [](const auto& defs, std::unordered_map<std::string, uint32_t>& map) {
    for (uint32_t i = 0; i < defs.size(); ++i) map.emplace(defs[i].name, i);
    for (uint32_t i = 0; i < defs.size(); ++i) map.emplace(defs[i].accessor_name, i);
  };
  index_functions(reducers_, reducer_by_name_);
  index_functions(procedures_, procedure_by_name_);
  index_functions(views_, view_by_name_);
  index_functions(http_handlers_, handler_by_name_);
  for (uint32_t i = 0; i < types_.size(); ++i) type_by_ref_.emplace(types_[i].ty, i);
}

const TableDef* ModuleDef::FindTable(std::string_view name) const {
  auto it = table_by_name_.find(std::string(name));
  return it == table_by_name_.end() ? nullptr : &tables_[it->second];
}

std::optional<ModuleDef::IndexRef> ModuleDef::FindIndex(std::string_view name) const {
  auto it = index_by_name_.find(std::string(name));
  if (it == index_by_name_.end()) return std::nullopt;
  const TableDef& table = tables_[it->second.first];
  return IndexRef{&table, &table.indexes[it->second.second]};
}

namespace {
std::optional<uint32_t> Lookup(const std::unordered_map<std::string, uint32_t>& map, std::string_view name) {
  auto it = map.find(std::string(name));
  if (it == map.end()) return std::nullopt;
  return it->second;
}
}  // namespace

std::optional<uint32_t> ModuleDef::FindReducer(std::string_view name) const { return Lookup(reducer_by_name_, name); }
std::optional<uint32_t> ModuleDef::FindProcedure(std::string_view name) const {
  return Lookup(procedure_by_name_, name);
}
std::optional<uint32_t> ModuleDef::FindView(std::string_view name) const { return Lookup(view_by_name_, name); }
std::optional<uint32_t> ModuleDef::FindHttpHandler(std::string_view name) const {
  return Lookup(handler_by_name_, name);
}

const TypeDef* ModuleDef::FindTypeDef(uint32_t ref) const {
  auto it = type_by_ref_.find(ref);
  return it == type_by_ref_.end() ? nullptr : &types_[it->second];
}

}  // namespace stdb::host
