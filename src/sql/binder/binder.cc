#include "sql/binder/binder.h"

#include <set>

#include "datastore/system_tables.h"
#include "sql/binder/literal.h"

namespace stdb::sql {

namespace {

using parser::Expr;
using sats::AlgebraicType;
using sats::AlgebraicValue;

constexpr std::string_view kRowLimitVar = "row_limit";

Error BindError(const parser::SourcePosition& pos, const std::string& message) {
  return Error(ErrorCode::kInvalidArgument, message + " at " + pos.ToString());
}

class Binder {
 public:
  Binder(const SchemaSource& schema, const BindOptions& options) : schema_(schema), options_(options) {}

  Result<std::shared_ptr<const table::TableSchema>> ResolveTable(const parser::Ident& name) const {
    auto table = schema_.FindTable(name.name);
    if (!table || (!table->is_public && !options_.caller_is_owner))
      return BindError(name.pos, "no such table: `" + name.name + "`. If the table exists, it may be marked private.");
    return table;
  }

  Result<LogicalQuery> Select(const parser::SelectStmt& stmt) {
    STDB_RETURN_IF_ERROR(AddRelation(stmt.from));
    for (const auto& join : stmt.joins) {
      STDB_RETURN_IF_ERROR(AddRelation(join.table));
      if (join.on) {
        STDB_ASSIGN_OR_RETURN(BoundExprPtr on, Condition(*join.on, 0));
        fragment_.conjuncts.push_back(std::move(on));
      }
    }
    if (stmt.where) STDB_RETURN_IF_ERROR(Where(*stmt.where));

    LogicalQuery query;
    STDB_RETURN_IF_ERROR(Projection(stmt.projection, query.output));
    if (options_.language == Language::kSubscription && query.output.kind != QueryOutput::Kind::kRows)
      return BindError(stmt.projection.pos,
                       "Column projections are not supported in subscriptions; Subscriptions must return a table type");
    if (stmt.limit) {
      auto n = ParseIntegerText(stmt.limit->text, sats::TypeTag::kU64);
      if (!n.ok())
        return BindError(stmt.limit->pos, "LIMIT must be a non-negative integer, not " + stmt.limit->text + " (" +
                                              n.error().message() + ")");
      query.limit = n->as<uint64_t>();
    }
    return Finish(std::move(query));
  }

  Result<BoundStatement> Insert(const parser::InsertStmt& stmt) {
    STDB_ASSIGN_OR_RETURN(auto table, ResolveTable(stmt.table));
    STDB_RETURN_IF_ERROR(CheckDmlTarget(*table, stmt.table.pos));
    size_t ncols = table->columns.size();
    if (stmt.columns.size() != ncols)
      return BindError(stmt.table.pos, "The number of fields (" + std::to_string(stmt.columns.size()) +
                                           ") in the INSERT does not match the number of columns (" +
                                           std::to_string(ncols) + ") of the table `" + table->name + "`");
    InsertStatement insert;
    insert.table = table;
    for (const auto& row : stmt.rows) {
      if (row.size() != ncols)
        return BindError(row.empty() ? stmt.pos : row.front().pos,
                         "Inserting a row with " + std::to_string(row.size()) + " values into `" + table->name +
                             "` which has " + std::to_string(ncols) + " columns");
      sats::ProductValue value;
      for (size_t c = 0; c < ncols; ++c) {
        STDB_ASSIGN_OR_RETURN(AlgebraicValue v,
                              LiteralToValue(row[c], table->columns[c].type, LiteralContext::kAssignment));
        value.elements.push_back(std::move(v));
      }
      insert.rows.push_back(std::move(value));
    }
    return BoundStatement(std::move(insert));
  }

  Result<BoundStatement> Update(const parser::UpdateStmt& stmt) {
    STDB_ASSIGN_OR_RETURN(auto table, ResolveTable(stmt.table));
    STDB_RETURN_IF_ERROR(CheckDmlTarget(*table, stmt.table.pos));
    UpdateStatement update;
    update.table = table;
    std::set<table::ColId> assigned;
    for (const auto& a : stmt.assignments) {
      auto col = schema_.FindColumn(*table, a.column.name);
      if (!col) return BindError(a.column.pos, "`" + table->name + "` does not have a column `" + a.column.name + "`");
      if (!assigned.insert(*col).second)
        return BindError(a.column.pos, "Column `" + a.column.name + "` is assigned more than once");
      STDB_ASSIGN_OR_RETURN(AlgebraicValue v,
                            LiteralToValue(a.value, table->columns[*col].type, LiteralContext::kAssignment));
      update.assignments.emplace_back(*col, std::move(v));
    }
    STDB_ASSIGN_OR_RETURN(update.target, Target(table, stmt.table, stmt.where.get()));
    return BoundStatement(std::move(update));
  }

  Result<BoundStatement> Delete(const parser::DeleteStmt& stmt) {
    STDB_ASSIGN_OR_RETURN(auto table, ResolveTable(stmt.table));
    STDB_RETURN_IF_ERROR(CheckDmlTarget(*table, stmt.table.pos));
    DeleteStatement del;
    del.table = table;
    STDB_ASSIGN_OR_RETURN(del.target, Target(table, stmt.table, stmt.where.get()));
    return BoundStatement(std::move(del));
  }

  // SET var = n  ->  INSERT INTO st_var (name, value) VALUES ('var', U64(n))
  Result<BoundStatement> Set(const parser::SetStmt& stmt) {
    STDB_RETURN_IF_ERROR(CheckVariable(stmt.variable));
    const parser::Literal& lit = stmt.value;
    if (lit.kind != parser::Literal::Kind::kNumber) {
      const char* inferred = lit.kind == parser::Literal::Kind::kBool     ? "Bool"
                             : lit.kind == parser::Literal::Kind::kString ? "String"
                                                                          : "Array<U8>";
      return BindError(lit.pos, std::string("Unexpected type: (expected) U64 != ") + inferred + " (inferred) for " +
                                    stmt.variable.name);
    }
    auto n = ParseIntegerText(lit.text, sats::TypeTag::kU64);
    if (!n.ok())
      return BindError(lit.pos, "The literal " + lit.text + " cannot be parsed as type U64: " + n.error().message());
    STDB_ASSIGN_OR_RETURN(auto st_var, StVar(stmt.variable.pos));
    static const uint8_t kU64Tag = uint8_t(*datastore::StVarValueType().sum().IndexOf("U64"));
    InsertStatement insert;
    insert.table = st_var;
    insert.rows.push_back(sats::ProductValue{
        {AlgebraicValue::String(stmt.variable.name), AlgebraicValue::Sum(kU64Tag, std::move(*n))}});
    return BoundStatement(std::move(insert));
  }

  // SHOW var  ->  SELECT value FROM st_var WHERE name = 'var'
  Result<BoundStatement> Show(const parser::ShowStmt& stmt) {
    STDB_RETURN_IF_ERROR(CheckVariable(stmt.variable));
    STDB_ASSIGN_OR_RETURN(auto st_var, StVar(stmt.variable.pos));
    fragment_.relations.push_back({st_var, st_var->name});
    fragment_.conjuncts.push_back(MakeCompare(CompareOp::kEq, Operand::Column(0, 0, st_var->columns[0].type),
                                              Operand::Literal(AlgebraicValue::String(stmt.variable.name),
                                                               AlgebraicType::String())));
    LogicalQuery query;
    query.output.kind = QueryOutput::Kind::kColumns;
    query.output.columns.push_back({0, 1, st_var->columns[1].name, st_var->columns[1].type});
    STDB_ASSIGN_OR_RETURN(query, Finish(std::move(query)));
    return BoundStatement(SelectStatement{std::move(query)});
  }

 private:
  Status AddRelation(const parser::TableRef& ref) {
    STDB_ASSIGN_OR_RETURN(auto table, ResolveTable(ref.name));
    for (const auto& r : fragment_.relations)
      if (r.alias == ref.alias.name)
        return BindError(ref.alias.pos, "Duplicate name `" + ref.alias.name + "` (a self-join needs aliases)");
    if (fragment_.relations.size() >= kMaxRelations)
      return BindError(ref.name.pos, "Too many tables in one query (at most " + std::to_string(kMaxRelations) + ")");
    fragment_.relations.push_back({std::move(table), ref.alias.name});
    return OkStatus();
  }

  Status Where(const Expr& where) {
    STDB_ASSIGN_OR_RETURN(BoundExprPtr cond, Condition(where, 0));
    for (auto& c : SplitConjuncts(cond)) fragment_.conjuncts.push_back(std::move(c));
    return OkStatus();
  }

  Result<LogicalQuery> Target(std::shared_ptr<const table::TableSchema> table, const parser::Ident& name,
                              const Expr* where) {
    fragment_.relations.push_back({std::move(table), name.name});
    if (where) STDB_RETURN_IF_ERROR(Where(*where));
    LogicalQuery query;
    query.output.kind = QueryOutput::Kind::kRows;
    query.output.relation = 0;
    return Finish(std::move(query));
  }

  Result<LogicalQuery> Finish(LogicalQuery query) {
    for (const auto& c : fragment_.conjuncts) query.uses_sender |= c->UsesSender();
    query.fragments.push_back(std::move(fragment_));
    return query;
  }

  Status CheckDmlTarget(const table::TableSchema& table, const parser::SourcePosition& pos) const {
    if (table.is_system && table.table_id != datastore::kStVar)
      return BindError(pos, "DML on the system table `" + table.name + "` is not supported");
    return OkStatus();
  }

  static Status CheckVariable(const parser::Ident& var) {
    if (var.name != kRowLimitVar) return BindError(var.pos, var.name + " is not a valid system variable");
    return OkStatus();
  }

  Result<std::shared_ptr<const table::TableSchema>> StVar(const parser::SourcePosition& pos) const {
    auto table = schema_.FindTable("st_var");
    if (!table) return BindError(pos, "no such table: `st_var`");
    return table;
  }

  Status Projection(const parser::Projection& proj, QueryOutput& out) {
    switch (proj.kind) {
      case parser::Projection::Kind::kStar:
        if (fragment_.relations.size() > 1)
          return BindError(proj.pos, "SELECT * is not supported for joins; select the rows of one table with t.*");
        out.kind = QueryOutput::Kind::kRows;
        out.relation = 0;
        return OkStatus();
      case parser::Projection::Kind::kQualifiedStar: {
        STDB_ASSIGN_OR_RETURN(out.relation, ResolveRelation(proj.qualifier));
        out.kind = QueryOutput::Kind::kRows;
        return OkStatus();
      }
      case parser::Projection::Kind::kCount:
        out.kind = QueryOutput::Kind::kCount;
        out.count_alias = proj.count_alias.name;
        return OkStatus();
      case parser::Projection::Kind::kColumns: {
        out.kind = QueryOutput::Kind::kColumns;
        std::set<std::string> names;
        for (const auto& item : proj.columns) {
          if (!names.insert(item.alias.name).second)
            return BindError(item.alias.pos, "Duplicate name `" + item.alias.name + "` in the SELECT list");
          STDB_ASSIGN_OR_RETURN(sql::Operand col, Column(*item.column));
          out.columns.push_back({col.relation, col.column, item.alias.name, col.type});
        }
        return OkStatus();
      }
    }
    return OkStatus();
  }

  Result<uint32_t> ResolveRelation(const parser::Ident& qualifier) const {
    for (uint32_t i = 0; i < fragment_.relations.size(); ++i)
      if (fragment_.relations[i].alias == qualifier.name) return i;
    return BindError(qualifier.pos, "`" + qualifier.name + "` is not in scope");
  }

  Result<sql::Operand> Column(const Expr& e) const {
    STDB_ASSIGN_OR_RETURN(uint32_t rel, ResolveRelation(*e.table));
    const table::TableSchema& schema = *fragment_.relations[rel].schema;
    auto col = schema_.FindColumn(schema, e.column.name);
    if (!col) {
      std::string which = e.table->name == schema.name ? "`" + schema.name + "`"
                                                       : "`" + e.table->name + "` (table `" + schema.name + "`)";
      return BindError(e.column.pos, which + " does not have a column `" + e.column.name + "`");
    }
    return sql::Operand::Column(rel, *col, schema.columns[*col].type);
  }

  Result<BoundExprPtr> Condition(const Expr& e, int depth) {
    if (depth > kMaxTypeCheckDepth)
      return BindError(e.pos, "Recursion limit exceeded: condition nested more than " +
                                  std::to_string(kMaxTypeCheckDepth) + " levels deep");
    switch (e.kind) {
      case Expr::Kind::kLiteral:
        if (e.literal.kind == parser::Literal::Kind::kBool) return MakeConstant(e.literal.bool_value);
        return BindError(e.pos, "Expected a boolean condition but found the literal " + e.literal.ToSql());
      case Expr::Kind::kSender:
        return BindError(e.pos, "Expected a boolean condition but found :sender");
      case Expr::Kind::kColumn: {
        STDB_ASSIGN_OR_RETURN(sql::Operand col, Column(e));
        if (!col.type.IsBool())
          return BindError(e.pos, "`" + e.ToSql() + "` of type " + col.type.ToString() +
                                      " is not a boolean condition");
        return MakeCompare(CompareOp::kEq, std::move(col), sql::Operand::Literal(AlgebraicValue::Bool(true),
                                                                            AlgebraicType::Bool()));
      }
      case Expr::Kind::kCompare: return Comparison(e);
      case Expr::Kind::kAnd:
      case Expr::Kind::kOr: {
        STDB_ASSIGN_OR_RETURN(BoundExprPtr l, Condition(*e.left, depth + 1));
        STDB_ASSIGN_OR_RETURN(BoundExprPtr r, Condition(*e.right, depth + 1));
        std::vector<BoundExprPtr> both{std::move(l), std::move(r)};
        return e.kind == Expr::Kind::kAnd ? MakeAnd(std::move(both)) : MakeOr(std::move(both));
      }
      case Expr::Kind::kNot: {
        STDB_ASSIGN_OR_RETURN(BoundExprPtr inner, Condition(*e.left, depth + 1));
        return MakeNot(std::move(inner));
      }
    }
    return BindError(e.pos, "unexpected expression");
  }

  static bool IsScalar(const Expr& e) {
    return e.kind == Expr::Kind::kLiteral || e.kind == Expr::Kind::kSender || e.kind == Expr::Kind::kColumn;
  }
  static bool IsUntyped(const Expr& e) { return e.kind == Expr::Kind::kLiteral || e.kind == Expr::Kind::kSender; }

  Result<BoundExprPtr> Comparison(const Expr& e) {
    const Expr& l = *e.left;
    const Expr& r = *e.right;
    for (const Expr* side : {&l, &r})
      if (!IsScalar(*side))
        return BindError(side->pos, "Comparison operands must be columns, literals or :sender, not " + side->ToSql());
    // Type the side that has a type of its own first; the other side (a literal) takes it.
    bool right_first = IsUntyped(l) && !IsUntyped(r);
    const Expr& first = right_first ? r : l;
    const Expr& second = right_first ? l : r;
    STDB_ASSIGN_OR_RETURN(sql::Operand a, TypeOperand(first, nullptr, second));
    if (!IsComparableType(a.type))
      return BindError(e.pos, std::string("Invalid binary operator `") + parser::CompareOpSymbol(e.op) +
                                  "` for type `" + a.type.ToString() + "`");
    STDB_ASSIGN_OR_RETURN(sql::Operand b, TypeOperand(second, &a.type, first));
    if (right_first) return MakeCompare(e.op, std::move(b), std::move(a));
    return MakeCompare(e.op, std::move(a), std::move(b));
  }

  // Types an operand; `expected` is the type of the other side when already known.
  Result<sql::Operand> TypeOperand(const Expr& e, const AlgebraicType* expected, const Expr& other) const {
    switch (e.kind) {
      case Expr::Kind::kColumn: {
        STDB_ASSIGN_OR_RETURN(sql::Operand col, Column(e));
        if (expected && !(col.type == *expected))
          return BindError(e.pos, "Cannot compare `" + other.ToSql() + "` of type " + expected->ToString() + " with `" +
                                      e.ToSql() + "` of type " + col.type.ToString() +
                                      ": column types must be identical");
        return col;
      }
      case Expr::Kind::kLiteral: {
        if (!expected) {
          if (e.literal.kind == parser::Literal::Kind::kBool)
            return sql::Operand::Literal(AlgebraicValue::Bool(e.literal.bool_value), AlgebraicType::Bool());
          return BindError(e.pos, "Cannot resolve type for literal expression " + e.literal.ToSql() +
                                      " (compare it with a column)");
        }
        STDB_ASSIGN_OR_RETURN(AlgebraicValue v, LiteralToValue(e.literal, *expected, LiteralContext::kComparison));
        return sql::Operand::Literal(std::move(v), *expected);
      }
      case Expr::Kind::kSender: {
        if (!expected) return sql::Operand::Sender(AlgebraicType::Identity());
        if (expected->IsIdentity() || expected->IsBytes()) return sql::Operand::Sender(*expected);
        return BindError(e.pos, ":sender is an Identity and cannot be compared with `" + other.ToSql() +
                                    "` of type " + expected->ToString());
      }
      default:
        return BindError(e.pos, "Comparison operands must be columns, literals or :sender");
    }
  }

  const SchemaSource& schema_;
  const BindOptions& options_;
  QueryFragment fragment_;
};

}  // namespace

Result<LogicalQuery> BindSelect(const parser::SelectStmt& select, const SchemaSource& schema,
                                const BindOptions& options) {
  return Binder(schema, options).Select(select);
}

Result<BoundStatement> Bind(const parser::Statement& statement, const SchemaSource& schema,
                            const BindOptions& options) {
  Binder binder(schema, options);
  if (options.language == Language::kSubscription && !std::holds_alternative<parser::SelectStmt>(statement))
    return Error(ErrorCode::kUnsupported, "Unsupported: non-SELECT statements in subscriptions");
  return std::visit(
      [&](const auto& stmt) -> Result<BoundStatement> {
        using T = std::decay_t<decltype(stmt)>;
        if constexpr (std::is_same_v<T, parser::SelectStmt>) {
          STDB_ASSIGN_OR_RETURN(LogicalQuery q, binder.Select(stmt));
          return BoundStatement(SelectStatement{std::move(q)});
        } else if constexpr (std::is_same_v<T, parser::InsertStmt>) {
          return binder.Insert(stmt);
        } else if constexpr (std::is_same_v<T, parser::UpdateStmt>) {
          return binder.Update(stmt);
        } else if constexpr (std::is_same_v<T, parser::DeleteStmt>) {
          return binder.Delete(stmt);
        } else if constexpr (std::is_same_v<T, parser::SetStmt>) {
          return binder.Set(stmt);
        } else {
          return binder.Show(stmt);
        }
      },
      statement);
}

}  // namespace stdb::sql
