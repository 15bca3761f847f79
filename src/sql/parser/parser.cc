#include "sql/parser/parser.h"

#include <algorithm>

#include "sql/parser/lexer.h"

namespace stdb::sql::parser {

namespace {

using ExprPtr = std::unique_ptr<Expr>;

Error SyntaxError(const SourcePosition& pos, const std::string& message) {
  return Error(ErrorCode::kInvalidArgument, message + " at " + pos.ToString());
}

Error Unsupported(const SourcePosition& pos, const std::string& what) {
  return Error(ErrorCode::kUnsupported, "Unsupported: " + what + " at " + pos.ToString());
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<Statement> ParseStatement() {
    const Token& first = Peek();
    if (first.kind == TokenKind::kEnd) return Error(ErrorCode::kInvalidArgument, "Empty SQL query");
    if (first.IsKeyword("SELECT")) return Finish<SelectStmt>(Select());
    if (first.IsKeyword("INSERT")) return Finish<InsertStmt>(Insert());
    if (first.IsKeyword("UPDATE")) return Finish<UpdateStmt>(Update());
    if (first.IsKeyword("DELETE")) return Finish<DeleteStmt>(Delete());
    if (first.IsKeyword("SET")) return Finish<SetStmt>(Set());
    if (first.IsKeyword("SHOW")) return Finish<ShowStmt>(Show());
    return UnsupportedStatement();
  }

  Result<SelectStmt> ParseSubscriptionQuery() {
    const Token& first = Peek();
    if (first.kind == TokenKind::kEnd) return Error(ErrorCode::kInvalidArgument, "Empty SQL query");
    if (first.IsKeyword("INSERT") || first.IsKeyword("UPDATE") || first.IsKeyword("DELETE") ||
        first.IsKeyword("SET") || first.IsKeyword("SHOW"))
      return Unsupported(first.pos, "non-SELECT statements in subscriptions");
    if (!first.IsKeyword("SELECT")) return UnsupportedStatement();
    STDB_ASSIGN_OR_RETURN(SelectStmt select, Select());
    if (select.limit) return Unsupported(select.limit->pos, "LIMIT in subscriptions");
    STDB_RETURN_IF_ERROR(End());
    return select;
  }

 private:
  template <typename T>
  Result<Statement> Finish(Result<T> parsed) {
    if (!parsed.ok()) return std::move(parsed).error();
    STDB_RETURN_IF_ERROR(End());
    return Statement(std::move(parsed).value());
  }

  // --- token helpers ---------------------------------------------------------------------------------------------
  const Token& Peek(size_t ahead = 0) const { return tokens_[std::min(i_ + ahead, tokens_.size() - 1)]; }
  const Token& Take() {
    const Token& t = tokens_[i_];
    if (i_ + 1 < tokens_.size()) ++i_;
    return t;
  }
  bool Is(TokenKind kind) const { return Peek().kind == kind; }
  bool IsKeyword(std::string_view kw) const { return Peek().IsKeyword(kw); }
  bool TakeKeyword(std::string_view kw) {
    if (!IsKeyword(kw)) return false;
    Take();
    return true;
  }
  bool TakeIf(TokenKind kind) {
    if (!Is(kind)) return false;
    Take();
    return true;
  }
  Error Expected(const std::string& what) const {
    return SyntaxError(Peek().pos, "SQL syntax error: expected " + what + " but found " + Peek().Describe());
  }
  Status ExpectKeyword(std::string_view kw) {
    if (TakeKeyword(kw)) return OkStatus();
    return Expected(std::string(kw));
  }
  Status Expect(TokenKind kind, const char* what) {
    if (TakeIf(kind)) return OkStatus();
    return Expected(what);
  }

  Error UnsupportedStatement() const {
    const Token& t = Peek();
    if (t.kind == TokenKind::kLeftParen) return Unsupported(t.pos, "parenthesized queries");
    if (t.kind == TokenKind::kWord) {
      std::string upper = t.text;
      for (char& c : upper)
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
      return Unsupported(t.pos, upper + " statements");
    }
    return Expected("a statement (SELECT, INSERT, UPDATE, DELETE, SET or SHOW)");
  }

  // After the statement: optional semicolons, then the end.
  Status End() {
    bool had_semicolon = false;
    while (TakeIf(TokenKind::kSemicolon)) had_semicolon = true;
    if (Is(TokenKind::kEnd)) return OkStatus();
    if (had_semicolon)
      return Error(ErrorCode::kUnsupported,
                   "Multiple SQL statements are not supported (second statement at " + Peek().pos.ToString() + ")");
    const Token& t = Peek();
    if (t.IsKeyword("ORDER")) return Unsupported(t.pos, "ORDER BY");
    if (t.IsKeyword("GROUP")) return Unsupported(t.pos, "GROUP BY");
    if (t.IsKeyword("HAVING")) return Unsupported(t.pos, "HAVING");
    if (t.IsKeyword("OFFSET")) return Unsupported(t.pos, "OFFSET");
    if (t.IsKeyword("FETCH")) return Unsupported(t.pos, "FETCH");
    if (t.IsKeyword("FOR")) return Unsupported(t.pos, "locking clauses (FOR ...)");
    if (t.IsKeyword("UNION") || t.IsKeyword("INTERSECT") || t.IsKeyword("EXCEPT"))
      return Unsupported(t.pos, "set operations (UNION, INTERSECT, EXCEPT)");
    if (t.IsKeyword("RETURNING")) return Unsupported(t.pos, "RETURNING");
    if (t.IsKeyword("LIMIT")) return Unsupported(t.pos, "LIMIT here");
    if (t.kind == TokenKind::kRightParen) return SyntaxError(t.pos, "SQL syntax error: unbalanced ')'");
    return SyntaxError(t.pos, "SQL syntax error: unexpected " + t.Describe() + " after the end of the statement");
  }

  // --- names -------------------------------------------------------------------------------------------------------
  bool AtIdentifier() const {
    const Token& t = Peek();
    return t.kind == TokenKind::kQuotedIdentifier || (t.kind == TokenKind::kWord && !IsReservedWord(t.text));
  }

  Result<Ident> Identifier(const char* what) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kQuotedIdentifier || (t.kind == TokenKind::kWord && !IsReservedWord(t.text))) {
      Take();
      return Ident{t.text, t.pos};
    }
    if (t.kind == TokenKind::kWord)
      return SyntaxError(t.pos, std::string("SQL syntax error: expected ") + what + " but found " + t.Describe() +
                                    " (reserved words must be quoted, e.g. \"" + t.text + "\")");
    return Expected(what);
  }

  // ident { '.' ident } joined with dots (namespaced table names), stopping before ". *".
  Result<Ident> DottedName(const char* what) {
    STDB_ASSIGN_OR_RETURN(Ident name, Identifier(what));
    while (Is(TokenKind::kDot) && Peek(1).kind != TokenKind::kStar) {
      Take();
      STDB_ASSIGN_OR_RETURN(Ident part, Identifier(what));
      name.name += "." + part.name;
    }
    return name;
  }

  // Optional `[AS] alias`; an implicit alias is any non-reserved word.
  Result<std::optional<Ident>> OptionalAlias() {
    if (TakeKeyword("AS")) {
      STDB_ASSIGN_OR_RETURN(Ident alias, Identifier("an alias after AS"));
      return std::optional<Ident>(std::move(alias));
    }
    if (AtIdentifier()) {
      STDB_ASSIGN_OR_RETURN(Ident alias, Identifier("an alias"));
      return std::optional<Ident>(std::move(alias));
    }
    return std::optional<Ident>();
  }

  Result<TableRef> TableReference() {
    if (Is(TokenKind::kLeftParen)) return Unsupported(Peek().pos, "sub-queries in FROM");
    STDB_ASSIGN_OR_RETURN(Ident name, DottedName("a table name"));
    if (Is(TokenKind::kLeftParen)) return Unsupported(Peek().pos, "table functions");
    STDB_ASSIGN_OR_RETURN(std::optional<Ident> alias, OptionalAlias());
    if (alias && Is(TokenKind::kLeftParen)) return Unsupported(Peek().pos, "column aliases in FROM");
    TableRef ref;
    ref.alias = alias ? *alias : name;
    ref.name = std::move(name);
    return ref;
  }

  // --- SELECT ------------------------------------------------------------------------------------------------------
  Result<SelectStmt> Select() {
    SelectStmt stmt;
    stmt.pos = Take().pos;  // SELECT
    if (IsKeyword("DISTINCT")) return Unsupported(Peek().pos, "DISTINCT");
    if (IsKeyword("ALL")) return Unsupported(Peek().pos, "SELECT ALL");
    STDB_ASSIGN_OR_RETURN(stmt.projection, ProjectionList());
    if (Is(TokenKind::kEnd) || IsKeyword("WHERE") || IsKeyword("LIMIT"))
      return SyntaxError(Peek().pos, "A FROM clause is required");
    if (Is(TokenKind::kLeftParen)) return Unsupported(Peek().pos, "sub-queries");
    STDB_RETURN_IF_ERROR(ExpectKeyword("FROM"));
    STDB_ASSIGN_OR_RETURN(stmt.from, TableReference());
    STDB_RETURN_IF_ERROR(Joins(stmt.joins));
    if (TakeKeyword("WHERE")) {
      if (Is(TokenKind::kEnd)) return Expected("a condition after WHERE");
      STDB_ASSIGN_OR_RETURN(stmt.where, Or(0));
    }
    if (IsKeyword("GROUP")) return Unsupported(Peek().pos, "GROUP BY");
    if (IsKeyword("HAVING")) return Unsupported(Peek().pos, "HAVING");
    if (IsKeyword("ORDER")) return Unsupported(Peek().pos, "ORDER BY");
    if (IsKeyword("WINDOW")) return Unsupported(Peek().pos, "WINDOW");
    if (TakeKeyword("LIMIT")) {
      const Token& n = Peek();
      if (n.kind != TokenKind::kNumber)
        return Error(ErrorCode::kUnsupported,
                     "Unsupported LIMIT expression: LIMIT takes a non-negative integer, found " + n.Describe() +
                         " at " + n.pos.ToString());
      Take();
      stmt.limit = Literal{Literal::Kind::kNumber, false, n.text, n.pos};
    }
    if (IsKeyword("OFFSET")) return Unsupported(Peek().pos, "OFFSET");
    STDB_RETURN_IF_ERROR(QualifySelect(stmt));
    return stmt;
  }

  Result<Projection> ProjectionList() {
    Projection proj;
    proj.pos = Peek().pos;
    if (IsKeyword("FROM")) return SyntaxError(Peek().pos, "SQL syntax error: empty SELECT list");
    bool first = true;
    bool saw_star = false;
    do {
      SourcePosition item_pos = Peek().pos;
      // *
      if (Is(TokenKind::kStar)) {
        Take();
        if (!first || Is(TokenKind::kComma))
          return Error(ErrorCode::kUnsupported,
                       "Mixed wildcard projections are not supported at " + item_pos.ToString());
        proj.kind = Projection::Kind::kStar;
        saw_star = true;
        first = false;
        continue;
      }
      // COUNT(*) [AS] alias, other functions
      if ((Peek().kind == TokenKind::kWord) && Peek(1).kind == TokenKind::kLeftParen) {
        STDB_RETURN_IF_ERROR(Aggregate(proj, first));
        first = false;
        if (Is(TokenKind::kComma))
          return Error(ErrorCode::kUnsupported,
                       "COUNT(*) must be the only item of the SELECT list at " + item_pos.ToString());
        continue;
      }
      if (!AtIdentifier()) {
        const Token& t = Peek();
        if (t.kind == TokenKind::kNumber || t.kind == TokenKind::kString || t.kind == TokenKind::kHexString ||
            t.IsKeyword("TRUE") || t.IsKeyword("FALSE") || t.IsKeyword("NULL") || t.kind == TokenKind::kParameter)
          return Unsupported(t.pos, "projection expression " + t.Describe() + " (only columns, *, t.* and COUNT(*))");
        return Expected("a column, * or COUNT(*)");
      }
      STDB_ASSIGN_OR_RETURN(Ident name, Identifier("a column"));
      std::vector<Ident> parts{name};
      while (Is(TokenKind::kDot)) {
        Take();
        if (Is(TokenKind::kStar)) {
          // t.*
          Take();
          if (!first || Is(TokenKind::kComma))
            return Error(ErrorCode::kUnsupported,
                         "Mixed wildcard projections are not supported at " + item_pos.ToString());
          proj.kind = Projection::Kind::kQualifiedStar;
          proj.qualifier = JoinParts(parts, 0, parts.size());
          saw_star = true;
          break;
        }
        STDB_ASSIGN_OR_RETURN(Ident part, Identifier("a column"));
        parts.push_back(std::move(part));
      }
      first = false;
      if (saw_star) continue;
      if (Is(TokenKind::kLeftParen)) return Unsupported(Peek().pos, "function calls");
      STDB_RETURN_IF_ERROR(RejectOperatorAfterOperand());
      ProjectionItem item;
      item.column = ColumnRef(parts);
      STDB_ASSIGN_OR_RETURN(std::optional<Ident> alias, OptionalAlias());
      item.alias = alias ? *alias : parts.back();
      proj.kind = Projection::Kind::kColumns;
      proj.columns.push_back(std::move(item));
    } while (TakeIf(TokenKind::kComma));
    if (saw_star && !proj.columns.empty())
      return Error(ErrorCode::kUnsupported, "Mixed wildcard projections are not supported at " + proj.pos.ToString());
    return proj;
  }

  Status Aggregate(Projection& proj, bool first) {
    const Token& fn = Take();
    SourcePosition pos = fn.pos;
    Take();  // (
    bool is_count = fn.IsKeyword("COUNT");
    if (!is_count || !Is(TokenKind::kStar) || Peek(1).kind != TokenKind::kRightParen) {
      // Describe what was written, up to the closing parenthesis.
      std::string text = fn.text + "(";
      int depth = 1;
      while (!Is(TokenKind::kEnd)) {
        const Token& t = Take();
        if (t.kind == TokenKind::kLeftParen) ++depth;
        if (t.kind == TokenKind::kRightParen && --depth == 0) break;
        if (text.back() != '(') text += " ";
        text += t.kind == TokenKind::kString ? "'" + t.text + "'" : t.text;
      }
      return Error(ErrorCode::kUnsupported,
                   "Unsupported aggregate function: " + text + ") at " + pos.ToString() +
                       " (only COUNT(*) AS alias is supported)");
    }
    Take();  // *
    Take();  // )
    if (!first)
      return Error(ErrorCode::kUnsupported, "COUNT(*) must be the only item of the SELECT list at " + pos.ToString());
    STDB_ASSIGN_OR_RETURN(std::optional<Ident> alias, OptionalAlias());
    if (!alias)
      return Error(ErrorCode::kInvalidArgument,
                   "Aggregate expressions must have column aliases (COUNT(*) AS name) at " + pos.ToString());
    proj.kind = Projection::Kind::kCount;
    proj.count_alias = *alias;
    return OkStatus();
  }

  Status Joins(std::vector<JoinClause>& joins) {
    while (true) {
      const Token& t = Peek();
      if (t.kind == TokenKind::kComma)
        return Error(ErrorCode::kUnsupported,
                     "Implicit joins are not supported (use JOIN instead of a comma) at " + t.pos.ToString());
      if (t.IsKeyword("LEFT") || t.IsKeyword("RIGHT") || t.IsKeyword("FULL") || t.IsKeyword("NATURAL") ||
          t.IsKeyword("OUTER"))
        return Error(ErrorCode::kUnsupported, "Non-inner joins are not supported at " + t.pos.ToString());
      bool cross = false;
      if (t.IsKeyword("CROSS")) {
        Take();
        cross = true;
        STDB_RETURN_IF_ERROR(ExpectKeyword("JOIN"));
      } else if (t.IsKeyword("INNER")) {
        Take();
        STDB_RETURN_IF_ERROR(ExpectKeyword("JOIN"));
      } else if (t.IsKeyword("JOIN")) {
        Take();
      } else {
        return OkStatus();
      }
      JoinClause join;
      join.pos = t.pos;
      STDB_ASSIGN_OR_RETURN(join.table, TableReference());
      if (IsKeyword("USING")) return Unsupported(Peek().pos, "JOIN ... USING");
      if (IsKeyword("ON")) {
        SourcePosition on_pos = Take().pos;
        if (cross) return SyntaxError(on_pos, "SQL syntax error: CROSS JOIN cannot have an ON condition");
        STDB_ASSIGN_OR_RETURN(join.on, Or(0));
        const Expr& on = *join.on;
        if (on.kind != Expr::Kind::kCompare || on.op != CompareOp::kEq || on.left->kind != Expr::Kind::kColumn ||
            on.right->kind != Expr::Kind::kColumn)
          return Error(ErrorCode::kUnsupported,
                       "Unsupported join condition " + on.ToSql() + " at " + on_pos.ToString() +
                           ": ON must be an equality of two columns (a.x = b.y)");
      }
      joins.push_back(std::move(join));
    }
  }

  // --- expressions -------------------------------------------------------------------------------------------------
  Status CheckDepth(int depth, const SourcePosition& pos) const {
    if (depth > kMaxExpressionDepth)
      return Error(ErrorCode::kResourceExhausted, "Recursion limit exceeded: expression nested more than " +
                                                      std::to_string(kMaxExpressionDepth) + " levels deep at " +
                                                      pos.ToString());
    return OkStatus();
  }

  Result<ExprPtr> Binary(Expr::Kind kind, ExprPtr left, ExprPtr right, const SourcePosition& pos) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->pos = left->pos;
    e->depth = 1 + std::max(left->depth, right->depth);
    STDB_RETURN_IF_ERROR(CheckDepth(e->depth, pos));
    e->left = std::move(left);
    e->right = std::move(right);
    return e;
  }

  Result<ExprPtr> Or(int depth) {
    STDB_RETURN_IF_ERROR(CheckDepth(depth, Peek().pos));
    STDB_ASSIGN_OR_RETURN(ExprPtr left, And(depth));
    while (IsKeyword("OR")) {
      SourcePosition pos = Take().pos;
      STDB_ASSIGN_OR_RETURN(ExprPtr right, And(depth));
      STDB_ASSIGN_OR_RETURN(left, Binary(Expr::Kind::kOr, std::move(left), std::move(right), pos));
    }
    return left;
  }

  Result<ExprPtr> And(int depth) {
    STDB_ASSIGN_OR_RETURN(ExprPtr left, Not(depth));
    while (IsKeyword("AND")) {
      SourcePosition pos = Take().pos;
      STDB_ASSIGN_OR_RETURN(ExprPtr right, Not(depth));
      STDB_ASSIGN_OR_RETURN(left, Binary(Expr::Kind::kAnd, std::move(left), std::move(right), pos));
    }
    return left;
  }

  Result<ExprPtr> Not(int depth) {
    if (IsKeyword("NOT")) {
      SourcePosition pos = Take().pos;
      STDB_RETURN_IF_ERROR(CheckDepth(depth + 1, pos));
      STDB_ASSIGN_OR_RETURN(ExprPtr operand, Not(depth + 1));
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kNot;
      e->pos = pos;
      e->depth = operand->depth + 1;
      STDB_RETURN_IF_ERROR(CheckDepth(e->depth, pos));
      e->left = std::move(operand);
      return e;
    }
    return Comparison(depth);
  }

  static std::optional<CompareOp> CompareOpOf(const Token& t) {
    switch (t.kind) {
      case TokenKind::kEq: return CompareOp::kEq;
      case TokenKind::kNotEq: return CompareOp::kNe;
      case TokenKind::kLt: return CompareOp::kLt;
      case TokenKind::kLe: return CompareOp::kLe;
      case TokenKind::kGt: return CompareOp::kGt;
      case TokenKind::kGe: return CompareOp::kGe;
      default: return std::nullopt;
    }
  }

  // Names the constructs that may follow an operand but are outside the dialect.
  Status RejectOperatorAfterOperand() const {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kPlus: case TokenKind::kMinus: case TokenKind::kStar: case TokenKind::kOtherOperator:
        return Error(ErrorCode::kUnsupported,
                     "Unsupported binary operator: " + t.text + " at " + t.pos.ToString() + " (no arithmetic in SQL)");
      default: break;
    }
    if (t.IsKeyword("IS")) return Unsupported(t.pos, "IS [NOT] NULL / IS [NOT] TRUE");
    if (t.IsKeyword("IN")) return Unsupported(t.pos, "IN");
    if (t.IsKeyword("LIKE") || t.IsKeyword("ILIKE")) return Unsupported(t.pos, "LIKE");
    if (t.IsKeyword("SIMILAR")) return Unsupported(t.pos, "SIMILAR TO");
    if (t.IsKeyword("BETWEEN")) return Unsupported(t.pos, "BETWEEN");
    if (t.IsKeyword("ISNULL") || t.IsKeyword("NOTNULL")) return Unsupported(t.pos, t.text);
    if (t.IsKeyword("NOT")) return Unsupported(t.pos, "NOT IN / NOT LIKE / NOT BETWEEN");
    if (t.IsKeyword("COLLATE")) return Unsupported(t.pos, "COLLATE");
    return OkStatus();
  }

  Result<ExprPtr> Comparison(int depth) {
    STDB_ASSIGN_OR_RETURN(ExprPtr left, Operand(depth));
    STDB_RETURN_IF_ERROR(RejectOperatorAfterOperand());
    std::optional<CompareOp> op = CompareOpOf(Peek());
    if (!op) return left;
    SourcePosition pos = Take().pos;
    STDB_ASSIGN_OR_RETURN(ExprPtr right, Operand(depth));
    STDB_RETURN_IF_ERROR(RejectOperatorAfterOperand());
    if (CompareOpOf(Peek()))
      return Error(ErrorCode::kUnsupported,
                   "Comparisons cannot be chained (a = b = c) at " + Peek().pos.ToString() + "; use AND");
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kCompare;
    e->op = *op;
    e->pos = left->pos;
    e->depth = 1 + std::max(left->depth, right->depth);
    STDB_RETURN_IF_ERROR(CheckDepth(e->depth, pos));
    e->left = std::move(left);
    e->right = std::move(right);
    return e;
  }

  static ExprPtr LiteralExpr(Literal lit) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kLiteral;
    e->pos = lit.pos;
    e->literal = std::move(lit);
    return e;
  }

  static Ident JoinParts(const std::vector<Ident>& parts, size_t begin, size_t end) {
    Ident joined = parts[begin];
    for (size_t i = begin + 1; i < end; ++i) joined.name += "." + parts[i].name;
    return joined;
  }

  // The last part is the column; the ones before it, joined with dots, the table (or alias).
  static ExprPtr ColumnRef(const std::vector<Ident>& parts) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kColumn;
    e->pos = parts.front().pos;
    e->column = parts.back();
    if (parts.size() > 1) e->table = JoinParts(parts, 0, parts.size() - 1);
    return e;
  }

  // A literal with an optional sign (INSERT values, SET, UPDATE assignments, comparison operands).
  Result<std::optional<Literal>> OptionalLiteral() {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kNumber: Take(); return std::optional<Literal>(Literal{Literal::Kind::kNumber, false, t.text, t.pos});
      case TokenKind::kString: Take(); return std::optional<Literal>(Literal{Literal::Kind::kString, false, t.text, t.pos});
      case TokenKind::kHexString: Take(); return std::optional<Literal>(Literal{Literal::Kind::kHex, false, t.text, t.pos});
      case TokenKind::kPlus:
      case TokenKind::kMinus:
        if (Peek(1).kind == TokenKind::kNumber) {
          Take();
          const Token& n = Take();
          return std::optional<Literal>(
              Literal{Literal::Kind::kNumber, false, (t.kind == TokenKind::kMinus ? "-" : "+") + n.text, t.pos});
        }
        return std::optional<Literal>();
      default: break;
    }
    if (t.IsKeyword("TRUE") || t.IsKeyword("FALSE")) {
      Take();
      return std::optional<Literal>(Literal{Literal::Kind::kBool, t.IsKeyword("TRUE"), t.text, t.pos});
    }
    return std::optional<Literal>();
  }

  Result<ExprPtr> Operand(int depth) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kLeftParen) {
      Take();
      if (IsKeyword("SELECT")) return Unsupported(Peek().pos, "sub-queries");
      STDB_RETURN_IF_ERROR(CheckDepth(depth + 1, t.pos));
      STDB_ASSIGN_OR_RETURN(ExprPtr inner, Or(depth + 1));
      if (Is(TokenKind::kComma)) return Unsupported(Peek().pos, "row values / tuples");
      STDB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')'"));
      return inner;
    }
    STDB_ASSIGN_OR_RETURN(std::optional<Literal> lit, OptionalLiteral());
    if (lit) return LiteralExpr(std::move(*lit));
    if (t.kind == TokenKind::kPlus || t.kind == TokenKind::kMinus)
      return Error(ErrorCode::kUnsupported,
                   "Unsupported expression: unary " + t.text + " applies only to number literals at " +
                       t.pos.ToString());
    if (t.kind == TokenKind::kParameter) {
      Take();
      if (t.text != "sender")
        return Error(ErrorCode::kUnsupported,
                     "Unsupported parameter :" + t.text + " at " + t.pos.ToString() + " (only :sender exists)");
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kSender;
      e->pos = t.pos;
      return e;
    }
    if (t.IsKeyword("NULL")) return Unsupported(t.pos, "NULL");
    if (t.IsKeyword("SELECT")) return Unsupported(t.pos, "sub-queries");
    if (t.IsKeyword("CASE") || t.IsKeyword("CAST") || t.IsKeyword("ARRAY") || t.IsKeyword("CURRENT_TIMESTAMP") ||
        t.IsKeyword("CURRENT_DATE") || t.IsKeyword("CURRENT_TIME") || t.IsKeyword("CURRENT_USER"))
      return Unsupported(t.pos, "expression " + t.text);
    if (t.IsKeyword("EXISTS")) return Unsupported(t.pos, "EXISTS");
    if (AtIdentifier()) {
      std::vector<Ident> parts;
      STDB_ASSIGN_OR_RETURN(Ident first, Identifier("a column"));
      parts.push_back(std::move(first));
      while (Is(TokenKind::kDot)) {
        Take();
        STDB_ASSIGN_OR_RETURN(Ident part, Identifier("a column name after '.'"));
        parts.push_back(std::move(part));
      }
      if (Is(TokenKind::kLeftParen))
        return Unsupported(Peek().pos, "function calls (" + parts.back().name + "(...))");
      return ColumnRef(parts);
    }
    if (t.kind == TokenKind::kEnd) return Expected("an expression");
    return Expected("a column, a literal or :sender");
  }

  // --- INSERT / UPDATE / DELETE / SET / SHOW -----------------------------------------------------------------------
  Result<Literal> Value(const char* context) {
    STDB_ASSIGN_OR_RETURN(std::optional<Literal> lit, OptionalLiteral());
    if (lit) return std::move(*lit);
    const Token& t = Peek();
    if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kRightParen || t.kind == TokenKind::kComma)
      return Expected(std::string("a literal value in ") + context);
    return Error(ErrorCode::kUnsupported, std::string("Unsupported ") + context + " value " + t.Describe() + " at " +
                                              t.pos.ToString() + " (only literals are allowed)");
  }

  Result<InsertStmt> Insert() {
    InsertStmt stmt;
    stmt.pos = Take().pos;
    STDB_RETURN_IF_ERROR(ExpectKeyword("INTO"));
    STDB_ASSIGN_OR_RETURN(stmt.table, DottedName("a table name"));
    if (IsKeyword("AS") || AtIdentifier()) {
      if (!IsKeyword("VALUES") && !IsKeyword("DEFAULT") && !IsKeyword("SELECT"))
        return Unsupported(Peek().pos, "INSERT with a table alias");
    }
    if (TakeIf(TokenKind::kLeftParen)) {
      do {
        STDB_ASSIGN_OR_RETURN(Ident col, Identifier("a column name"));
        stmt.columns.push_back(std::move(col));
      } while (TakeIf(TokenKind::kComma));
      STDB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' after the column list"));
    }
    if (IsKeyword("SELECT") || Is(TokenKind::kLeftParen))
      return Unsupported(Peek().pos, "INSERT ... SELECT (only VALUES)");
    if (IsKeyword("DEFAULT")) return Unsupported(Peek().pos, "DEFAULT VALUES");
    STDB_RETURN_IF_ERROR(ExpectKeyword("VALUES"));
    do {
      STDB_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen, "'(' to start a row of VALUES"));
      std::vector<Literal> row;
      do {
        STDB_ASSIGN_OR_RETURN(Literal value, Value("INSERT"));
        row.push_back(std::move(value));
      } while (TakeIf(TokenKind::kComma));
      STDB_RETURN_IF_ERROR(Expect(TokenKind::kRightParen, "')' to end a row of VALUES"));
      stmt.rows.push_back(std::move(row));
    } while (TakeIf(TokenKind::kComma));
    if (IsKeyword("ON")) return Unsupported(Peek().pos, "ON CONFLICT");
    return stmt;
  }

  Result<UpdateStmt> Update() {
    UpdateStmt stmt;
    stmt.pos = Take().pos;
    STDB_ASSIGN_OR_RETURN(stmt.table, DottedName("a table name"));
    if (!IsKeyword("SET")) {
      if (IsKeyword("AS") || AtIdentifier() || IsKeyword("JOIN") || IsKeyword("INNER") || Is(TokenKind::kComma))
        return Unsupported(Peek().pos, "UPDATE with a table alias or a join");
    }
    STDB_RETURN_IF_ERROR(ExpectKeyword("SET"));
    if (Is(TokenKind::kLeftParen)) return Unsupported(Peek().pos, "multi-column assignment");
    do {
      Assignment a;
      STDB_ASSIGN_OR_RETURN(a.column, DottedName("a column name"));
      STDB_RETURN_IF_ERROR(Expect(TokenKind::kEq, "'=' in the assignment"));
      STDB_ASSIGN_OR_RETURN(a.value, Value("UPDATE assignment"));
      stmt.assignments.push_back(std::move(a));
    } while (TakeIf(TokenKind::kComma));
    if (IsKeyword("FROM")) return Unsupported(Peek().pos, "UPDATE ... FROM");
    if (TakeKeyword("WHERE")) {
      STDB_ASSIGN_OR_RETURN(stmt.where, Or(0));
      STDB_RETURN_IF_ERROR(Qualify(stmt.where.get(), stmt.table));
    }
    return stmt;
  }

  Result<DeleteStmt> Delete() {
    DeleteStmt stmt;
    stmt.pos = Take().pos;
    STDB_RETURN_IF_ERROR(ExpectKeyword("FROM"));
    STDB_ASSIGN_OR_RETURN(stmt.table, DottedName("a table name"));
    if (Is(TokenKind::kComma))
      return Error(ErrorCode::kUnsupported, "Multi-table DELETE is not supported at " + Peek().pos.ToString());
    if (IsKeyword("AS") || AtIdentifier() || IsKeyword("JOIN") || IsKeyword("INNER"))
      return Unsupported(Peek().pos, "DELETE with a table alias or a join");
    if (IsKeyword("USING")) return Unsupported(Peek().pos, "DELETE ... USING");
    if (TakeKeyword("WHERE")) {
      STDB_ASSIGN_OR_RETURN(stmt.where, Or(0));
      STDB_RETURN_IF_ERROR(Qualify(stmt.where.get(), stmt.table));
    }
    return stmt;
  }

  Result<SetStmt> Set() {
    SetStmt stmt;
    stmt.pos = Take().pos;
    if (IsKeyword("LOCAL") || IsKeyword("SESSION")) return Unsupported(Peek().pos, "SET " + Peek().text);
    STDB_ASSIGN_OR_RETURN(stmt.variable, DottedName("a variable name"));
    if (!TakeIf(TokenKind::kEq) && !TakeKeyword("TO")) return Expected("'=' or TO");
    STDB_ASSIGN_OR_RETURN(stmt.value, Value("SET"));
    if (Is(TokenKind::kComma)) return Unsupported(Peek().pos, "SET with a list of values");
    return stmt;
  }

  Result<ShowStmt> Show() {
    ShowStmt stmt;
    stmt.pos = Take().pos;
    STDB_ASSIGN_OR_RETURN(stmt.variable, DottedName("a variable name"));
    return stmt;
  }

  // --- qualification of column references ---------------------------------------------------------------------
  // Gives unqualified column references the qualifier `with`, or rejects them when `with` is null (joins).
  static Status Qualify(Expr* e, const std::optional<Ident>& with) {
    if (!e) return OkStatus();
    switch (e->kind) {
      case Expr::Kind::kColumn:
        if (!e->table) {
          if (!with)
            return Error(ErrorCode::kInvalidArgument, "Names must be qualified when using joins: `" + e->column.name +
                                                          "` at " + e->pos.ToString());
          e->table = *with;
        }
        return OkStatus();
      case Expr::Kind::kCompare: case Expr::Kind::kAnd: case Expr::Kind::kOr:
        STDB_RETURN_IF_ERROR(Qualify(e->left.get(), with));
        return Qualify(e->right.get(), with);
      case Expr::Kind::kNot: return Qualify(e->left.get(), with);
      default: return OkStatus();
    }
  }

  static Status QualifySelect(SelectStmt& s) {
    std::optional<Ident> with;
    if (s.joins.empty()) with = s.from.alias;
    for (auto& j : s.joins) STDB_RETURN_IF_ERROR(Qualify(j.on.get(), with));
    for (auto& item : s.projection.columns) STDB_RETURN_IF_ERROR(Qualify(item.column.get(), with));
    return Qualify(s.where.get(), with);
  }

  std::vector<Token> tokens_;
  size_t i_ = 0;
};

Result<std::vector<Token>> Lex(std::string_view sql) {
  if (sql.size() > kMaxSqlLength)
    return Error(ErrorCode::kResourceExhausted, "SQL query of " + std::to_string(sql.size()) +
                                                    " bytes exceeds the maximum length of " +
                                                    std::to_string(kMaxSqlLength) + " bytes");
  return Tokenize(sql);
}

}  // namespace

Result<Statement> ParseSql(std::string_view sql) {
  STDB_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(sql));
  return Parser(std::move(tokens)).ParseStatement();
}

Result<SelectStmt> ParseSubscription(std::string_view sql) {
  STDB_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(sql));
  return Parser(std::move(tokens)).ParseSubscriptionQuery();
}

}  // namespace stdb::sql::parser
