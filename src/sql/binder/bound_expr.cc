#include "sql/binder/bound_expr.h"

#include "sats/special_types.h"

namespace stdb::sql {

Operand Operand::Column(uint32_t relation, table::ColId column, sats::AlgebraicType type) {
  Operand o;
  o.kind = Kind::kColumn;
  o.relation = relation;
  o.column = column;
  o.type = std::move(type);
  return o;
}

Operand Operand::Literal(sats::AlgebraicValue value, sats::AlgebraicType type) {
  Operand o;
  o.kind = Kind::kLiteral;
  o.value = std::move(value);
  o.type = std::move(type);
  return o;
}

Operand Operand::Sender(sats::AlgebraicType type) {
  Operand o;
  o.kind = Kind::kSender;
  o.type = std::move(type);
  return o;
}

namespace {

RelationSet OperandRelations(const Operand& o) { return o.is_column() ? RelationBit(o.relation) : RelationSet(); }

using ColumnNamer = std::function<std::string(uint32_t, table::ColId)>;

std::string OperandToString(const Operand& o, const ColumnNamer& names) {
  switch (o.kind) {
    case Operand::Kind::kColumn: return names(o.relation, o.column);
    case Operand::Kind::kSender: return ":sender";
    case Operand::Kind::kLiteral:
      if (o.type.IsIdentity()) {
        auto id = sats::Identity::FromValue(o.value);
        if (id.ok()) return "0x" + id->ToHex();
      }
      if (o.value.is<std::string>()) return "'" + o.value.AsString() + "'";
      return o.value.ToString();
  }
  return "?";
}

}  // namespace

RelationSet BoundExpr::Relations() const {
  switch (kind) {
    case Kind::kConstant: return RelationSet();
    case Kind::kCompare: return OperandRelations(left) | OperandRelations(right);
    default: {
      RelationSet set;
      for (const auto& c : children) set |= c->Relations();
      return set;
    }
  }
}

bool BoundExpr::UsesSender() const {
  switch (kind) {
    case Kind::kConstant: return false;
    case Kind::kCompare: return left.kind == Operand::Kind::kSender || right.kind == Operand::Kind::kSender;
    default:
      for (const auto& c : children)
        if (c->UsesSender()) return true;
      return false;
  }
}

std::string BoundExpr::ToString(const ColumnNamer& names) const {
  switch (kind) {
    case Kind::kConstant: return constant ? "true" : "false";
    case Kind::kCompare:
      return "(" + OperandToString(left, names) + " " + parser::CompareOpSymbol(op) + " " +
             OperandToString(right, names) + ")";
    case Kind::kNot: return "(NOT " + children[0]->ToString(names) + ")";
    case Kind::kAnd:
    case Kind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i) out += kind == Kind::kAnd ? " AND " : " OR ";
        out += children[i]->ToString(names);
      }
      return out + ")";
    }
  }
  return "?";
}

BoundExprPtr MakeConstant(bool value) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExpr::Kind::kConstant;
  e->constant = value;
  return e;
}

BoundExprPtr MakeCompare(CompareOp op, Operand left, Operand right) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExpr::Kind::kCompare;
  e->op = op;
  e->left = std::move(left);
  e->right = std::move(right);
  return e;
}

namespace {

BoundExprPtr MakeJunction(BoundExpr::Kind kind, std::vector<BoundExprPtr> children) {
  bool neutral = kind == BoundExpr::Kind::kAnd;  // true for AND, false for OR
  std::vector<BoundExprPtr> flat;
  for (auto& c : children) {
    if (c->kind == kind) {
      flat.insert(flat.end(), c->children.begin(), c->children.end());
    } else if (c->kind == BoundExpr::Kind::kConstant) {
      // x AND false = false; x OR true = true.
      if (c->constant != neutral) return MakeConstant(!neutral);
    } else {
      flat.push_back(std::move(c));
    }
  }
  if (flat.empty()) return MakeConstant(neutral);
  if (flat.size() == 1) return flat[0];
  auto e = std::make_shared<BoundExpr>();
  e->kind = kind;
  e->children = std::move(flat);
  return e;
}

}  // namespace

BoundExprPtr MakeAnd(std::vector<BoundExprPtr> children) {
  return MakeJunction(BoundExpr::Kind::kAnd, std::move(children));
}

BoundExprPtr MakeOr(std::vector<BoundExprPtr> children) {
  return MakeJunction(BoundExpr::Kind::kOr, std::move(children));
}

BoundExprPtr MakeNot(BoundExprPtr child) {
  if (child->kind == BoundExpr::Kind::kConstant) return MakeConstant(!child->constant);
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExpr::Kind::kNot;
  e->children.push_back(std::move(child));
  return e;
}

std::vector<BoundExprPtr> SplitConjuncts(const BoundExprPtr& expr) {
  if (expr->kind == BoundExpr::Kind::kAnd) return expr->children;
  if (expr->kind == BoundExpr::Kind::kConstant && expr->constant) return {};
  return {expr};
}

BoundExprPtr RemapRelations(const BoundExprPtr& expr, const std::vector<uint32_t>& mapping) {
  switch (expr->kind) {
    case BoundExpr::Kind::kConstant: return expr;
    case BoundExpr::Kind::kCompare: {
      Operand l = expr->left, r = expr->right;
      if (l.is_column()) l.relation = mapping[l.relation];
      if (r.is_column()) r.relation = mapping[r.relation];
      return MakeCompare(expr->op, std::move(l), std::move(r));
    }
    default: {
      auto e = std::make_shared<BoundExpr>();
      e->kind = expr->kind;
      for (const auto& c : expr->children) e->children.push_back(RemapRelations(c, mapping));
      return e;
    }
  }
}

}  // namespace stdb::sql
