#include "sql/planner/access_path.h"

#include <tuple>

namespace stdb::sql {

std::optional<SargableTerm> AsSargable(const BoundExpr& expr, uint32_t relation, size_t conjunct) {
  if (expr.kind != BoundExpr::Kind::kCompare || expr.op == CompareOp::kNe) return std::nullopt;
  const Operand* column = nullptr;
  const Operand* value = nullptr;
  CompareOp op = expr.op;
  if (expr.left.is_column() && expr.right.is_constant()) {
    column = &expr.left;
    value = &expr.right;
  } else if (expr.right.is_column() && expr.left.is_constant()) {
    column = &expr.right;
    value = &expr.left;
    op = parser::MirrorCompareOp(op);
  } else {
    return std::nullopt;
  }
  if (column->relation != relation) return std::nullopt;
  return SargableTerm{conjunct, column->column, op, *value};
}

namespace {

const SargableTerm* FindEquality(const std::vector<SargableTerm>& terms, table::ColId column) {
  for (const auto& t : terms)
    if (t.column == column && t.op == CompareOp::kEq) return &t;
  return nullptr;
}

bool IsLower(CompareOp op) { return op == CompareOp::kGt || op == CompareOp::kGe; }
bool IsUpper(CompareOp op) { return op == CompareOp::kLt || op == CompareOp::kLe; }

// Does bound (value, inclusive) restrict more than the current one? For lower bounds a larger value is tighter,
// for upper bounds a smaller one; at equal values an exclusive bound is tighter.
bool Tighter(const Operand& value, bool inclusive, const Operand& current, bool current_inclusive, bool lower) {
  auto c = sats::Compare(value.value, current.value);
  if (c == 0) return !inclusive && current_inclusive;
  return lower ? c > 0 : c < 0;
}

}  // namespace

AccessPath ChooseAccessPath(const table::TableSchema& table, const std::vector<SargableTerm>& terms) {
  AccessPath best;
  // (unique point, fixed columns, bounds) — larger is better.
  std::tuple<bool, size_t, int> best_score{false, 0, 0};
  for (const table::IndexSchema& index : table.indexes) {
    AccessPath path;
    path.index = &index;
    size_t k = 0;
    for (; k < index.columns.size(); ++k) {
      const SargableTerm* eq = FindEquality(terms, index.columns[k]);
      if (!eq) break;
      path.equal.push_back(eq->value);
      path.consumed.push_back(eq->conjunct);
    }
    bool hash = index.algorithm == table::IndexAlgorithm::kHash;
    if (hash && k < index.columns.size()) continue;
    int bounds = 0;
    if (!hash && k < index.columns.size()) {
      for (const auto& t : terms) {
        // :sender has no order worth bounding a range by; such terms stay filters.
        if (t.column != index.columns[k] || t.value.kind != Operand::Kind::kLiteral) continue;
        bool inclusive = t.op == CompareOp::kGe || t.op == CompareOp::kLe;
        if (IsLower(t.op)) {
          if (!path.lower || Tighter(t.value, inclusive, *path.lower, path.lower_inclusive, true)) {
            path.lower = t.value;
            path.lower_inclusive = inclusive;
          }
        } else if (IsUpper(t.op)) {
          if (!path.upper || Tighter(t.value, inclusive, *path.upper, path.upper_inclusive, false)) {
            path.upper = t.value;
            path.upper_inclusive = inclusive;
          }
        } else {
          continue;
        }
        // Looser bounds are implied by the tightest, so every bound on this column is enforced by the scan.
        path.consumed.push_back(t.conjunct);
      }
      bounds = (path.lower ? 1 : 0) + (path.upper ? 1 : 0);
    }
    if (k == 0 && bounds == 0) continue;
    std::tuple<bool, size_t, int> score{path.is_unique_point(), k, bounds};
    if (!best.index || score > best_score) {
      best = std::move(path);
      best_score = score;
    }
  }
  return best;
}

std::optional<JoinProbe> IndexForJoin(const table::TableSchema& table, table::ColId join_column,
                                      const std::vector<SargableTerm>& terms) {
  std::optional<JoinProbe> best;
  for (const table::IndexSchema& index : table.indexes) {
    JoinProbe probe;
    probe.index = &index;
    bool usable = false;
    for (size_t k = 0; k < index.columns.size(); ++k) {
      if (index.columns[k] == join_column) {
        usable = true;
        break;
      }
      const SargableTerm* eq = FindEquality(terms, index.columns[k]);
      if (!eq) break;
      probe.constant_prefix.push_back(eq->value);
      probe.consumed.push_back(eq->conjunct);
    }
    if (!usable) continue;
    if (index.algorithm == table::IndexAlgorithm::kHash && !probe.is_point()) continue;
    auto score = [](const JoinProbe& p) { return std::make_tuple(p.is_unique(), p.is_point(), p.constant_prefix.size()); };
    if (!best || score(probe) > score(*best)) best = std::move(probe);
  }
  return best;
}

}  // namespace stdb::sql
