#include "sql/execution/predicate.h"

namespace stdb::sql {

Result<Predicate> Predicate::Compile(const std::vector<BoundExprPtr>& conjuncts,
                                     const std::vector<std::shared_ptr<const table::RowLayout>>& layouts) {
  Predicate p;
  if (conjuncts.empty()) return p;
  BoundExprPtr all = MakeAnd(conjuncts);
  if (all->kind == BoundExpr::Kind::kConstant && all->constant) return p;
  STDB_ASSIGN_OR_RETURN(p.root_, p.Add(*all, layouts));
  return p;
}

Result<uint32_t> Predicate::Add(const BoundExpr& expr,
                                const std::vector<std::shared_ptr<const table::RowLayout>>& layouts) {
  Node node;
  node.kind = expr.kind;
  switch (expr.kind) {
    case BoundExpr::Kind::kConstant:
      node.constant = expr.constant;
      break;
    case BoundExpr::Kind::kCompare: {
      node.op = expr.op;
      auto kind = ScalarKindOf(expr.left.type);
      if (!kind) return Error(ErrorCode::kInternal, "comparison of a non-scalar type " + expr.left.type.ToString());
      node.scalar = *kind;
      auto value = [&](const Operand& o) -> Result<Value> {
        Value v;
        switch (o.kind) {
          case Operand::Kind::kColumn:
            if (o.relation >= layouts.size() || !layouts[o.relation])
              return Error(ErrorCode::kInternal, "condition refers to an unknown relation");
            v.source = Value::Source::kColumn;
            v.column = ColumnReader(o.relation, o.column, layouts[o.relation]);
            break;
          case Operand::Kind::kLiteral:
            v.source = Value::Source::kConstant;
            v.constant = sats::bsatn::EncodeValue(o.value);
            break;
          case Operand::Kind::kSender:
            v.source = o.type.IsBytes() ? Value::Source::kSenderBytes : Value::Source::kSender;
            break;
        }
        return v;
      };
      STDB_ASSIGN_OR_RETURN(node.left, value(expr.left));
      STDB_ASSIGN_OR_RETURN(node.right, value(expr.right));
      break;
    }
    default: {
      std::vector<uint32_t> kids;
      for (const auto& c : expr.children) {
        STDB_ASSIGN_OR_RETURN(uint32_t k, Add(*c, layouts));
        kids.push_back(k);
      }
      node.first_child = uint32_t(children_.size());
      node.child_count = uint32_t(kids.size());
      children_.insert(children_.end(), kids.begin(), kids.end());
      break;
    }
  }
  nodes_.push_back(std::move(node));
  return uint32_t(nodes_.size() - 1);
}

bool Predicate::Eval(uint32_t index, const Tuple& tuple, const QueryParameters& params) const {
  const Node& n = nodes_[index];
  switch (n.kind) {
    case BoundExpr::Kind::kConstant: return n.constant;
    case BoundExpr::Kind::kCompare: {
      sats::ByteSpan a = n.left.Read(tuple, params);
      sats::ByteSpan b = n.right.Read(tuple, params);
      switch (n.op) {
        case CompareOp::kEq: return EqualScalars(n.scalar, a, b);
        case CompareOp::kNe: return !EqualScalars(n.scalar, a, b);
        case CompareOp::kLt: return CompareScalars(n.scalar, a, b) < 0;
        case CompareOp::kLe: return CompareScalars(n.scalar, a, b) <= 0;
        case CompareOp::kGt: return CompareScalars(n.scalar, a, b) > 0;
        case CompareOp::kGe: return CompareScalars(n.scalar, a, b) >= 0;
      }
      return false;
    }
    case BoundExpr::Kind::kAnd:
      for (uint32_t i = 0; i < n.child_count; ++i)
        if (!Eval(children_[n.first_child + i], tuple, params)) return false;
      return true;
    case BoundExpr::Kind::kOr:
      for (uint32_t i = 0; i < n.child_count; ++i)
        if (Eval(children_[n.first_child + i], tuple, params)) return true;
      return false;
    case BoundExpr::Kind::kNot: return !Eval(children_[n.first_child], tuple, params);
  }
  return false;
}

}  // namespace stdb::sql
