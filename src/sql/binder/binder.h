// Binder: the type checker. Resolves the names of a parsed statement against a SchemaSource and checks the types
// of every comparison and literal (spec/data-layer.md §4.2-4.3, §5.1), producing a BoundStatement: a
// LogicalQuery for SELECT and SHOW, or a DML statement with its target rows described by a LogicalQuery.
//
// Rules, as in the reference:
//   - tables by name or accessor alias; private tables are invisible to callers other than the owner;
//   - a relation is named by its alias (the table name when none); duplicate aliases are errors, so a self-join
//     needs aliases; ON conditions may only use relations joined so far;
//   - column-to-column comparisons need identical types; a literal takes the type of the other side; :sender is
//     an Identity (or bytes, next to a bytes column); comparisons only on comparable types (literal.h);
//   - SELECT * over a join is an error (use t.*); duplicate column aliases are errors;
//   - INSERT needs a column list with exactly as many names as the table has columns, and takes values in table
//     column order (the names are not used to reorder, a reference quirk kept for compatibility);
//   - SET row_limit = n becomes an insert into st_var; SHOW row_limit a select from it;
//   - DML is allowed on user tables and st_var only.
// With Language::kSubscription the statement must return whole rows of one table (SELECT * or t.*); unlike the
// reference, any number of joined tables is accepted.
//
// Errors name the problem and where it is in the text.
//
// Thread-safety: pure functions over a SchemaSource.
#pragma once

#include <memory>
#include <variant>
#include <vector>

#include "sats/algebraic_value.h"
#include "sats/result.h"
#include "sql/binder/schema_source.h"
#include "sql/parser/ast.h"
#include "sql/planner/logical_query.h"

namespace stdb::sql {

enum class Language {
  kSql,           // the /sql endpoint: queries and DML
  kSubscription,  // subscription queries: whole rows of one table
};

inline constexpr int kMaxTypeCheckDepth = 2500;

struct BindOptions {
  Language language = Language::kSql;
  bool caller_is_owner = true;  // the owner sees private tables
};

struct SelectStatement {
  LogicalQuery query;
};

struct InsertStatement {
  std::shared_ptr<const table::TableSchema> table;
  std::vector<sats::ProductValue> rows;  // values in table column order
};

struct UpdateStatement {
  std::shared_ptr<const table::TableSchema> table;
  std::vector<std::pair<table::ColId, sats::AlgebraicValue>> assignments;
  LogicalQuery target;  // whole rows of `table` matching the WHERE clause
};

struct DeleteStatement {
  std::shared_ptr<const table::TableSchema> table;
  LogicalQuery target;
};

using BoundStatement = std::variant<SelectStatement, InsertStatement, UpdateStatement, DeleteStatement>;

Result<BoundStatement> Bind(const parser::Statement& statement, const SchemaSource& schema,
                            const BindOptions& options);
Result<LogicalQuery> BindSelect(const parser::SelectStmt& select, const SchemaSource& schema,
                                const BindOptions& options);

}  // namespace stdb::sql
