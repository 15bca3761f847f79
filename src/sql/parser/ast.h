// The syntax tree of one SQL statement, as the parser produces it (spec/data-layer.md §4.1-4.2).
//
// The tree mirrors the reference dialect, nothing more: SELECT with a projection (*, t.*, a column list or one
// COUNT(*) AS alias), FROM with inner joins, WHERE, LIMIT; INSERT, UPDATE, DELETE, SET and SHOW. Names are kept as
// written (case-sensitive); a multi-part table name is joined with dots ("ns.t"). Every column reference is
// qualified by the time the parser returns: in a single-table statement unqualified names get the table's
// alias, and with joins an unqualified name is an error. Every node records where it starts in the text so the
// type checker can point at the problem.
//
// Thread-safety: plain values.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sql/parser/token.h"

namespace stdb::sql::parser {

struct Ident {
  std::string name;
  SourcePosition pos;
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };
// "=", "<>", "<", "<=", ">", ">=".
const char* CompareOpSymbol(CompareOp op);
// a op b  <=>  b Mirror(op) a.
CompareOp MirrorCompareOp(CompareOp op);

struct Literal {
  enum class Kind { kBool, kNumber, kString, kHex };
  Kind kind = Kind::kBool;
  bool bool_value = false;
  std::string text;  // number as written with its sign ("-1.5e3"), string unescaped, hex digits without 0x
  SourcePosition pos;
  // The literal as it would be written in SQL: -1.5e3, 'it''s', 0xAB, true.
  std::string ToSql() const;
};

struct Expr {
  enum class Kind {
    kLiteral,
    kSender,   // the :sender parameter
    kColumn,   // table.column
    kCompare,  // left op right
    kAnd,      // left AND right
    kOr,       // left OR right
    kNot,      // NOT left
  };
  Kind kind = Kind::kLiteral;
  SourcePosition pos;
  Literal literal;                 // kLiteral
  std::optional<Ident> table;      // kColumn: qualifier (table name or alias); always set after parsing
  Ident column;                    // kColumn
  CompareOp op = CompareOp::kEq;   // kCompare
  std::unique_ptr<Expr> left;      // kCompare, kAnd, kOr, kNot
  std::unique_ptr<Expr> right;     // kCompare, kAnd, kOr
  int depth = 1;                   // height of the tree rooted here

  // The expression in SQL form, fully parenthesised, for messages and tests.
  std::string ToSql() const;
};

// `name [AS] alias`; alias equals name when none was written.
struct TableRef {
  Ident name;
  Ident alias;
};

struct JoinClause {
  TableRef table;
  std::unique_ptr<Expr> on;  // an equality of two columns, or null (cross join)
  SourcePosition pos;
};

struct ProjectionItem {
  std::unique_ptr<Expr> column;  // a kColumn expression
  Ident alias;                   // the column name when no alias was written
};

struct Projection {
  enum class Kind { kStar, kQualifiedStar, kColumns, kCount };
  Kind kind = Kind::kStar;
  Ident qualifier;                      // kQualifiedStar: the `t` of `t.*`
  std::vector<ProjectionItem> columns;  // kColumns
  Ident count_alias;                    // kCount
  SourcePosition pos;
};

struct SelectStmt {
  Projection projection;
  TableRef from;
  std::vector<JoinClause> joins;
  std::unique_ptr<Expr> where;
  std::optional<Literal> limit;  // a kNumber literal
  SourcePosition pos;
};

struct InsertStmt {
  Ident table;
  std::vector<Ident> columns;
  std::vector<std::vector<Literal>> rows;
  SourcePosition pos;
};

struct Assignment {
  Ident column;
  Literal value;
};

struct UpdateStmt {
  Ident table;
  std::vector<Assignment> assignments;
  std::unique_ptr<Expr> where;
  SourcePosition pos;
};

struct DeleteStmt {
  Ident table;
  std::unique_ptr<Expr> where;
  SourcePosition pos;
};

// SET var = literal | SET var TO literal
struct SetStmt {
  Ident variable;
  Literal value;
  SourcePosition pos;
};

struct ShowStmt {
  Ident variable;
  SourcePosition pos;
};

using Statement = std::variant<SelectStmt, InsertStmt, UpdateStmt, DeleteStmt, SetStmt, ShowStmt>;

}  // namespace stdb::sql::parser
