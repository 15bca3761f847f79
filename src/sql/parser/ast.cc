#include "sql/parser/ast.h"

namespace stdb::sql::parser {

const char* CompareOpSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "<>";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

CompareOp MirrorCompareOp(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return CompareOp::kGt;
    case CompareOp::kLe: return CompareOp::kGe;
    case CompareOp::kGt: return CompareOp::kLt;
    case CompareOp::kGe: return CompareOp::kLe;
    default: return op;
  }
}

std::string Literal::ToSql() const {
  switch (kind) {
    case Kind::kBool: return bool_value ? "true" : "false";
    case Kind::kNumber: return text;
    case Kind::kHex: return "0x" + text;
    case Kind::kString: {
      std::string out = "'";
      for (char c : text) {
        out.push_back(c);
        if (c == '\'') out.push_back('\'');
      }
      return out + "'";
    }
  }
  return text;
}

std::string Expr::ToSql() const {
  switch (kind) {
    case Kind::kLiteral: return literal.ToSql();
    case Kind::kSender: return ":sender";
    case Kind::kColumn: return (table ? table->name + "." : std::string()) + column.name;
    case Kind::kCompare: return "(" + left->ToSql() + " " + CompareOpSymbol(op) + " " + right->ToSql() + ")";
    case Kind::kAnd: return "(" + left->ToSql() + " AND " + right->ToSql() + ")";
    case Kind::kOr: return "(" + left->ToSql() + " OR " + right->ToSql() + ")";
    case Kind::kNot: return "(NOT " + left->ToSql() + ")";
  }
  return "?";
}

}  // namespace stdb::sql::parser
