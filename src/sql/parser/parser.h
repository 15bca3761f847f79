// Parser: SQL text -> syntax tree, by recursive descent over the lexer's tokens (spec/data-layer.md §4.1-4.2,
// §5.1).
//
// Two entry points, one per language: ParseSql for the /sql endpoint (SELECT, INSERT, UPDATE, DELETE, SET, SHOW)
// and ParseSubscription for subscription queries (SELECT only, no LIMIT). Both accept exactly one statement
// (optionally followed by semicolons), at most kMaxSqlLength bytes of text and expressions nested at most
// kMaxExpressionDepth deep. Everything outside the dialect is rejected with an error that names the construct
// and its line:column: DISTINCT, GROUP BY, ORDER BY, OFFSET, set operations, sub-queries, implicit (comma) and
// outer joins, functions other than COUNT(*), arithmetic, IS/IN/LIKE/BETWEEN, NULL, other parameters than
// :sender. Beyond the reference, NOT is accepted in WHERE.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "sats/result.h"
#include "sql/parser/ast.h"

namespace stdb::sql::parser {

inline constexpr size_t kMaxSqlLength = 50000;
inline constexpr int kMaxExpressionDepth = 1600;

Result<Statement> ParseSql(std::string_view sql);
Result<SelectStmt> ParseSubscription(std::string_view sql);

}  // namespace stdb::sql::parser
