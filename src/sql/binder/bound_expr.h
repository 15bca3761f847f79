// BoundExpr: a type-checked boolean condition over the relations of a query.
//
// Leaves are comparisons of two operands — a column of one of the query's relations (by relation index and column
// position), a literal already converted to the comparison's type, or the :sender parameter (bound at execution,
// so a plan can be shared by all callers) — plus boolean constants. Inner nodes are n-ary AND and OR (nested
// ANDs/ORs are flattened when built) and NOT. Both operands of a comparison have the same, comparable type.
//
// Nodes are immutable and shared (BoundExprPtr), so copies of queries (row-level-security expansion, delta plans
// of subscriptions) share their conditions; RemapRelations builds a renumbered copy.
//
// Thread-safety: immutable after construction; safe to share across threads.
#pragma once

#include <bitset>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/algebraic_value.h"
#include "sql/parser/ast.h"
#include "table/table_schema.h"

namespace stdb::sql {

using parser::CompareOp;

// The most relations one query may join (the reference has no limit; 1024 joins do not fit in 50,000 bytes of
// SQL anyway, but row-level security can add relations).
inline constexpr size_t kMaxRelations = 1024;
using RelationSet = std::bitset<kMaxRelations>;

struct Operand {
  enum class Kind : uint8_t { kColumn, kLiteral, kSender };
  Kind kind = Kind::kLiteral;
  uint32_t relation = 0;     // kColumn
  table::ColId column = 0;   // kColumn
  sats::AlgebraicValue value;  // kLiteral, already of `type`
  sats::AlgebraicType type;    // the operand's type (for kSender: Identity, or Array<U8> next to a bytes column)

  static Operand Column(uint32_t relation, table::ColId column, sats::AlgebraicType type);
  static Operand Literal(sats::AlgebraicValue value, sats::AlgebraicType type);
  static Operand Sender(sats::AlgebraicType type);
  bool is_column() const { return kind == Kind::kColumn; }
  // A value known before any row is read: a literal or :sender.
  bool is_constant() const { return kind != Kind::kColumn; }
};

struct BoundExpr;
using BoundExprPtr = std::shared_ptr<const BoundExpr>;

struct BoundExpr {
  enum class Kind : uint8_t { kConstant, kCompare, kAnd, kOr, kNot };
  Kind kind = Kind::kConstant;
  bool constant = false;            // kConstant
  CompareOp op = CompareOp::kEq;    // kCompare
  Operand left, right;              // kCompare
  std::vector<BoundExprPtr> children;  // kAnd, kOr (two or more), kNot (one)

  // The relations whose columns appear in the expression.
  RelationSet Relations() const;
  bool UsesSender() const;
  // Text for plans and messages, "((r.a = 5) AND (NOT (r.b < s.c)))"; `column_name` names a column.
  std::string ToString(const std::function<std::string(uint32_t relation, table::ColId column)>& column_name) const;
};

BoundExprPtr MakeConstant(bool value);
BoundExprPtr MakeCompare(CompareOp op, Operand left, Operand right);
// Flattens nested ANDs; drops `true`; an empty list is `true`, a single child is returned as is.
BoundExprPtr MakeAnd(std::vector<BoundExprPtr> children);
// Flattens nested ORs; drops `false`; an empty list is `false`, a single child is returned as is.
BoundExprPtr MakeOr(std::vector<BoundExprPtr> children);
BoundExprPtr MakeNot(BoundExprPtr child);

// The top-level AND terms of `expr` (itself when it is not an AND).
std::vector<BoundExprPtr> SplitConjuncts(const BoundExprPtr& expr);

// A copy in which relation i becomes mapping[i].
BoundExprPtr RemapRelations(const BoundExprPtr& expr, const std::vector<uint32_t>& mapping);

inline RelationSet RelationBit(uint32_t relation) { return RelationSet().set(relation); }

}  // namespace stdb::sql
