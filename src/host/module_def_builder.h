// V10Builder: builds RawModuleDefV10 values in tests the way the C++ SDK lays them out (sections in its order,
// empty ones left out), and validates them through their bytes as the host receives them.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/module_def.h"
#include "host/raw_module_def.h"

namespace stdb::host::testing {

using T = sats::AlgebraicType;
using sats::ProductType;
using S = RawModuleDefV10Section;

struct V10Builder {
  sats::Typespace typespace;
  std::vector<RawTypeDef> types;
  std::vector<RawTableDefV10> tables;
  std::vector<RawReducerDefV10> reducers;
  std::vector<RawProcedureDefV10> procedures;
  std::vector<RawViewDefV10> views;
  std::vector<RawScheduleDefV10> schedules;
  std::vector<RawLifecycleReducerDefV10> lifecycles;
  std::optional<CaseConversionPolicy> policy;
  ExplicitNames explicit_names;
  std::vector<RawHttpHandlerDefV10> handlers;
  std::vector<RawHttpRouteDefV10> routes;
  std::vector<RawViewPrimaryKeyDefV10> view_keys;
  std::vector<RawRowLevelSecurityDef> rls;
  std::vector<RawSubmoduleV10> submodules;

  // Adds a type to the typespace, named by a type definition when `name` is given.
  uint32_t AddType(T type, std::string name = "", bool custom_ordering = true) {
    typespace.types.push_back(std::move(type));
    uint32_t ref = uint32_t(typespace.types.size() - 1);
    if (!name.empty()) types.push_back({{}, std::move(name), ref, custom_ordering});
    return ref;
  }
  RawTableDefV10& AddTable(std::string name, uint32_t ref) {
    RawTableDefV10 t;
    t.source_name = std::move(name);
    t.product_type_ref = ref;
    tables.push_back(std::move(t));
    return tables.back();
  }
  // FIELD_PrimaryKeyAutoInc as the SDK emits it.
  static void PrimaryKeyAutoInc(RawTableDefV10& t, uint16_t col, const std::string& field) {
    t.primary_key = {col};
    t.indexes.push_back({t.source_name + "_" + field + "_idx_btree", field, RawIndexAlgorithm::BTree({col})});
    t.constraints.push_back({std::nullopt, {col}});
    t.sequences.push_back({std::nullopt, col, std::nullopt, std::nullopt, std::nullopt, 1});
  }
  RawReducerDefV10& AddReducer(std::string name, ProductType params = {},
                               FunctionVisibility vis = FunctionVisibility::kClientCallable) {
    reducers.push_back({std::move(name), std::move(params), vis, T::Unit(), T::String()});
    return reducers.back();
  }

  RawModuleDefV10 Build() const {
    RawModuleDefV10 def;
    def.sections.push_back({S::Payload(std::in_place_index<0>, typespace)});
    auto add = [&](auto index, const auto& v) {
      if (!v.empty()) def.sections.push_back({S::Payload(std::in_place_index<decltype(index)::value>, v)});
    };
    add(std::integral_constant<size_t, 1>(), types);
    add(std::integral_constant<size_t, 2>(), tables);
    add(std::integral_constant<size_t, 3>(), reducers);
    add(std::integral_constant<size_t, 4>(), procedures);
    add(std::integral_constant<size_t, 5>(), views);
    add(std::integral_constant<size_t, 6>(), schedules);
    add(std::integral_constant<size_t, 7>(), lifecycles);
    if (policy) def.sections.push_back({S::Payload(std::in_place_index<9>, *policy)});
    if (!explicit_names.entries.empty()) def.sections.push_back({S::Payload(std::in_place_index<10>, explicit_names)});
    add(std::integral_constant<size_t, 11>(), handlers);
    add(std::integral_constant<size_t, 12>(), routes);
    add(std::integral_constant<size_t, 13>(), view_keys);
    add(std::integral_constant<size_t, 14>(), submodules);
    add(std::integral_constant<size_t, 8>(), rls);
    return def;
  }

  Result<ModuleDef> Validate() const {
    // Through the bytes, as the host receives it.
    return ModuleDef::FromBsatn(EncodeRawModuleDef(RawModuleDef(std::in_place_index<1>, Build())));
  }
};

}  // namespace stdb::host::testing
