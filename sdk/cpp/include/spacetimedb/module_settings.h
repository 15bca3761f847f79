// Module-wide settings: row-level security and the case-conversion policy.
//
//   SPACETIMEDB_CLIENT_VISIBILITY_FILTER(own_rows, "SELECT * FROM note WHERE owner = :sender")
//       a row-level-security rule (the RowLevelSecurity section); the host checks the SQL at publish
//   SPACETIMEDB_SETTING_CASE_CONVERSION(CaseConversionPolicy::None)
//       how the host derives canonical names from source names (default SnakeCase); at most once per module,
//       enforced by a fixed export name
#pragma once

#include "spacetimedb/internal/module_builder.h"
#include "spacetimedb/internal/preinit.h"

#define SPACETIMEDB_CLIENT_VISIBILITY_FILTER(filter_name, sql_text)                                          \
  SPACETIMEDB_PREINIT("__preinit__25_register_row_level_security_" #filter_name,                              \
                      _spacetimedb_preinit_row_level_security_##filter_name) {                                \
    ::SpacetimeDB::Internal::ModuleBuilder::instance().AddRowLevelSecurity(sql_text);                         \
  }

#define SPACETIMEDB_SETTING_CASE_CONVERSION(policy)                                                           \
  SPACETIMEDB_PREINIT("__preinit__18_module_settings_case_conversion_policy",                                 \
                      _spacetimedb_preinit_case_conversion_policy) {                                          \
    using namespace ::SpacetimeDB;                                                                            \
    ::SpacetimeDB::Internal::ModuleBuilder::instance().SetCaseConversionPolicy(policy);                       \
  }
