// Predicate: a condition compiled for evaluation against tuples.
//
// Compiled from the bound conditions of a query (binder/bound_expr.h) once, when the plan is made: each
// comparison reads its column's bytes through a ColumnReader, literals are encoded to BSATN once, and :sender is
// taken from the execution's parameters. Nodes live in one flat array. An empty predicate is `true`.
//
// Thread-safety: immutable after Compile; Evaluate may run on many threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sats/result.h"
#include "sql/binder/bound_expr.h"
#include "sql/execution/execution_context.h"
#include "sql/execution/scalar.h"
#include "sql/execution/tuple.h"
#include "table/row_layout.h"

namespace stdb::sql {

class Predicate {
 public:
  Predicate() = default;
  // The conjunction of `conjuncts`; `layouts[r]` is the row layout of relation r.
  static Result<Predicate> Compile(const std::vector<BoundExprPtr>& conjuncts,
                                   const std::vector<std::shared_ptr<const table::RowLayout>>& layouts);

  bool always_true() const { return nodes_.empty(); }
  bool Evaluate(const Tuple& tuple, const QueryParameters& params) const {
    return nodes_.empty() || Eval(root_, tuple, params);
  }

 private:
  struct Value {
    enum class Source : uint8_t { kColumn, kConstant, kSender, kSenderBytes };
    Source source = Source::kConstant;
    ColumnReader column;
    sats::Bytes constant;
    sats::ByteSpan Read(const Tuple& tuple, const QueryParameters& params) const {
      switch (source) {
        case Source::kColumn: return column.Read(tuple);
        case Source::kConstant: return constant;
        case Source::kSender: return params.SenderBsatn(false);
        case Source::kSenderBytes: return params.SenderBsatn(true);
      }
      return {};
    }
  };
  struct Node {
    BoundExpr::Kind kind = BoundExpr::Kind::kConstant;
    bool constant = false;
    CompareOp op = CompareOp::kEq;
    ScalarKind scalar = ScalarKind::kBool;
    Value left, right;
    uint32_t first_child = 0;
    uint32_t child_count = 0;
  };

  Result<uint32_t> Add(const BoundExpr& expr, const std::vector<std::shared_ptr<const table::RowLayout>>& layouts);
  bool Eval(uint32_t node, const Tuple& tuple, const QueryParameters& params) const;

  std::vector<Node> nodes_;
  std::vector<uint32_t> children_;
  uint32_t root_ = 0;
};

}  // namespace stdb::sql
