// Row-level security: rewriting a query so a caller who is not the owner sees only the rows the rules of
// st_row_level_security allow (spec/data-layer.md §5.8).
//
// A rule is a subscription query returning rows of its table; it may use :sender and join other tables, whose
// own rules apply to it in turn (a table is never expanded inside its own rules; a cycle across tables is an
// error). Every relation of the query whose table has rules is replaced by the rules, OR-ed: rules that only
// filter the table become one condition `(rule1) OR (rule2) ...` on the relation; each rule that joins other
// tables becomes an alternative fragment in which the rule's extra relations are appended and its conditions
// added. The result is the union of all combinations, so a row is still returned once per way it is visible
// through a joining rule, as in the reference.
//
// Thread-safety: pure function over a SchemaSource.
#pragma once

#include "sats/result.h"
#include "sql/binder/binder.h"
#include "sql/binder/schema_source.h"
#include "sql/planner/logical_query.h"

namespace stdb::sql {

// The most fragments an expansion may produce.
inline constexpr size_t kMaxRowLevelSecurityFragments = 256;

// Expands the rules into every fragment of `query` (which must come from a caller who is not the owner).
Result<LogicalQuery> ApplyRowLevelSecurity(LogicalQuery query, const SchemaSource& schema);

}  // namespace stdb::sql
