#include "sql/parser/lexer.h"

#include <algorithm>
#include <iterator>

#include "sats/utf8.h"

namespace stdb::sql::parser {

namespace {

// Sorted, so lookups can binary-search.
constexpr std::string_view kReservedWords[] = {
    "ALL",          "ANALYSE",      "ANALYZE",           "AND",          "ANY",          "ARRAY",
    "AS",           "ASC",          "ASYMMETRIC",        "AUTHORIZATION", "BINARY",      "BOTH",
    "CASE",         "CAST",         "CHECK",             "COLLATE",      "COLLATION",    "COLUMN",
    "CONCURRENTLY", "CONSTRAINT",   "CREATE",            "CROSS",        "CURRENT_CATALOG", "CURRENT_DATE",
    "CURRENT_ROLE", "CURRENT_SCHEMA", "CURRENT_TIME",    "CURRENT_TIMESTAMP", "CURRENT_USER", "DEFAULT",
    "DEFERRABLE",   "DESC",         "DISTINCT",          "DO",           "ELSE",         "END",
    "EXCEPT",       "FALSE",        "FETCH",             "FOR",          "FOREIGN",      "FREEZE",
    "FROM",         "FULL",         "GRANT",             "GROUP",        "HAVING",       "ILIKE",
    "IN",           "INITIALLY",    "INNER",             "INTERSECT",    "INTO",         "IS",
    "ISNULL",       "JOIN",         "LATERAL",           "LEADING",      "LEFT",         "LIKE",
    "LIMIT",        "LOCALTIME",    "LOCALTIMESTAMP",    "NATURAL",      "NOT",          "NOTNULL",
    "NULL",         "OFFSET",       "ON",                "ONLY",         "OR",           "ORDER",
    "OUTER",        "OVERLAPS",     "PLACING",           "PRIMARY",      "REFERENCES",   "RETURNING",
    "RIGHT",        "SELECT",       "SESSION_USER",      "SIMILAR",      "SOME",         "SYMMETRIC",
    "TABLE",        "TABLESAMPLE",  "THEN",              "TO",           "TRAILING",     "TRUE",
    "UNION",        "UNIQUE",       "USING",             "VARIADIC",     "VERBOSE",      "WHEN",
    "WHERE",        "WINDOW",       "WITH",
};

bool IsIdentStart(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; }
bool IsIdentPart(unsigned char c) { return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '$'; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      STDB_RETURN_IF_ERROR(SkipSpaceAndComments());
      Token token;
      token.pos = pos_;
      if (AtEnd()) {
        token.kind = TokenKind::kEnd;
        tokens.push_back(std::move(token));
        return tokens;
      }
      STDB_RETURN_IF_ERROR(Next(token));
      tokens.push_back(std::move(token));
    }
  }

 private:
  bool AtEnd() const { return i_ >= sql_.size(); }
  unsigned char Peek(size_t ahead = 0) const {
    return i_ + ahead < sql_.size() ? static_cast<unsigned char>(sql_[i_ + ahead]) : 0;
  }
  void Advance() {
    unsigned char c = Peek();
    ++i_;
    pos_.offset = uint32_t(i_);
    if (c == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      // Continuation bytes of a multi-byte character do not start a new column.
      ++pos_.column;
    }
  }
  Error ErrorAt(const SourcePosition& at, const std::string& message) const {
    return Error(ErrorCode::kInvalidArgument, message + " at " + at.ToString());
  }

  Status SkipSpaceAndComments() {
    while (!AtEnd()) {
      unsigned char c = Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        Advance();
      } else if (c == '-' && Peek(1) == '-') {
        while (!AtEnd() && Peek() != '\n') Advance();
      } else if (c == '/' && Peek(1) == '*') {
        SourcePosition start = pos_;
        Advance();
        Advance();
        int depth = 1;
        while (depth > 0) {
          if (AtEnd()) return ErrorAt(start, "unterminated /* comment */ starting");
          if (Peek() == '*' && Peek(1) == '/') {
            Advance();
            Advance();
            --depth;
          } else if (Peek() == '/' && Peek(1) == '*') {
            Advance();
            Advance();
            ++depth;
          } else {
            Advance();
          }
        }
      } else {
        return OkStatus();
      }
    }
    return OkStatus();
  }

  // Reads a quoted run closed by `quote`, where a doubled quote stands for one.
  Result<std::string> Quoted(char quote, const SourcePosition& start, const char* what) {
    Advance();  // opening quote
    std::string text;
    while (true) {
      if (AtEnd()) return ErrorAt(start, std::string("unterminated ") + what + " starting");
      char c = char(Peek());
      Advance();
      if (c == quote) {
        if (Peek() == static_cast<unsigned char>(quote)) {
          text.push_back(quote);
          Advance();
          continue;
        }
        return text;
      }
      text.push_back(c);
    }
  }

  Status Next(Token& token) {
    unsigned char c = Peek();
    SourcePosition start = pos_;
    auto single = [&](TokenKind kind, size_t length) {
      token.kind = kind;
      token.text = std::string(sql_.substr(i_, length));
      for (size_t k = 0; k < length; ++k) Advance();
      return OkStatus();
    };

    // X'..' hex strings and B'..' bit strings start like words.
    if ((c == 'x' || c == 'X') && Peek(1) == '\'') {
      Advance();
      STDB_ASSIGN_OR_RETURN(std::string digits, Quoted('\'', start, "hex string literal"));
      for (char d : digits)
        if (!IsHexDigit(static_cast<unsigned char>(d)))
          return ErrorAt(start, "invalid hex string literal X'" + digits + "': only hex digits are allowed");
      token.kind = TokenKind::kHexString;
      token.text = std::move(digits);
      return OkStatus();
    }
    if ((c == 'b' || c == 'B') && Peek(1) == '\'') {
      return ErrorAt(start, "bit-string literals (B'...') are not supported");
    }
    if (IsIdentStart(c)) {
      size_t begin = i_;
      while (!AtEnd() && IsIdentPart(Peek())) Advance();
      token.kind = TokenKind::kWord;
      token.text = std::string(sql_.substr(begin, i_ - begin));
      return OkStatus();
    }
    if (c == '"') {
      STDB_ASSIGN_OR_RETURN(std::string name, Quoted('"', start, "quoted identifier"));
      if (name.empty()) return ErrorAt(start, "zero-length quoted identifier");
      token.kind = TokenKind::kQuotedIdentifier;
      token.text = std::move(name);
      return OkStatus();
    }
    if (c == '\'') {
      STDB_ASSIGN_OR_RETURN(std::string text, Quoted('\'', start, "string literal"));
      token.kind = TokenKind::kString;
      token.text = std::move(text);
      return OkStatus();
    }
    if (c == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      Advance();
      Advance();
      size_t begin = i_;
      while (!AtEnd() && IsHexDigit(Peek())) Advance();
      if (i_ == begin) return ErrorAt(start, "hex literal 0x needs at least one hex digit");
      if (!AtEnd() && IsIdentPart(Peek())) return ErrorAt(start, "invalid character in hex literal");
      token.kind = TokenKind::kHexString;
      token.text = std::string(sql_.substr(begin, i_ - begin));
      return OkStatus();
    }
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return Number(token, start);
    if (c == ':') {
      if (Peek(1) == ':') return single(TokenKind::kOtherOperator, 2);
      Advance();
      size_t begin = i_;
      while (!AtEnd() && IsIdentPart(Peek())) Advance();
      if (i_ == begin) return ErrorAt(start, "expected a parameter name after ':'");
      token.kind = TokenKind::kParameter;
      token.text = std::string(sql_.substr(begin, i_ - begin));
      return OkStatus();
    }
    switch (c) {
      case '(': return single(TokenKind::kLeftParen, 1);
      case ')': return single(TokenKind::kRightParen, 1);
      case ',': return single(TokenKind::kComma, 1);
      case '.': return single(TokenKind::kDot, 1);
      case '*': return single(TokenKind::kStar, 1);
      case ';': return single(TokenKind::kSemicolon, 1);
      case '+': return single(TokenKind::kPlus, 1);
      case '-': return single(TokenKind::kMinus, 1);
      case '=': return single(Peek(1) == '=' ? TokenKind::kOtherOperator : TokenKind::kEq, Peek(1) == '=' ? 2 : 1);
      case '!':
        if (Peek(1) == '=') return single(TokenKind::kNotEq, 2);
        return single(TokenKind::kOtherOperator, 1);
      case '<':
        if (Peek(1) == '>') return single(TokenKind::kNotEq, 2);
        if (Peek(1) == '=') return single(TokenKind::kLe, 2);
        if (Peek(1) == '<') return single(TokenKind::kOtherOperator, 2);
        return single(TokenKind::kLt, 1);
      case '>':
        if (Peek(1) == '=') return single(TokenKind::kGe, 2);
        if (Peek(1) == '>') return single(TokenKind::kOtherOperator, 2);
        return single(TokenKind::kGt, 1);
      case '|':
        return single(TokenKind::kOtherOperator, Peek(1) == '|' ? 2 : 1);
      case '/': case '%': case '^': case '&': case '~': case '@': case '#': case '?':
        return single(TokenKind::kOtherOperator, 1);
      default:
        break;
    }
    std::string shown = c >= 0x20 && c < 0x7F ? std::string(1, char(c)) : "\\x" + [&] {
      static const char* hex = "0123456789abcdef";
      return std::string{hex[c >> 4], hex[c & 15]};
    }();
    return ErrorAt(start, "unexpected character '" + shown + "'");
  }

  Status Number(Token& token, const SourcePosition& start) {
    size_t begin = i_;
    while (IsDigit(Peek())) Advance();
    if (Peek() == '.') {
      Advance();
      while (IsDigit(Peek())) Advance();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      size_t sign = (Peek(1) == '+' || Peek(1) == '-') ? 1 : 0;
      if (IsDigit(Peek(1 + sign))) {
        Advance();
        if (sign) Advance();
        while (IsDigit(Peek())) Advance();
      }
    }
    if (!AtEnd() && (IsIdentPart(Peek()) || Peek() == '.'))
      return ErrorAt(start, "invalid numeric literal '" + std::string(sql_.substr(begin, i_ - begin + 1)) + "'");
    token.kind = TokenKind::kNumber;
    token.text = std::string(sql_.substr(begin, i_ - begin));
    return OkStatus();
  }

  std::string_view sql_;
  size_t i_ = 0;
  SourcePosition pos_;
};

}  // namespace

bool Token::IsKeyword(std::string_view upper_keyword) const {
  if (kind != TokenKind::kWord || text.size() != upper_keyword.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    if (c != upper_keyword[i]) return false;
  }
  return true;
}

std::string Token::Describe() const {
  switch (kind) {
    case TokenKind::kEnd: return "end of input";
    case TokenKind::kWord:
      if (IsReservedWord(ToUpper(text))) return "keyword " + ToUpper(text);
      return "identifier `" + text + "`";
    case TokenKind::kQuotedIdentifier: return "identifier \"" + text + "\"";
    case TokenKind::kNumber: return "number " + text;
    case TokenKind::kString: return "string '" + text + "'";
    case TokenKind::kHexString: return "hex literal 0x" + text;
    case TokenKind::kParameter: return "parameter :" + text;
    default: return "'" + text + "'";
  }
}

bool IsReservedWord(std::string_view word) {
  std::string upper = ToUpper(word);
  return std::binary_search(std::begin(kReservedWords), std::end(kReservedWords), std::string_view(upper));
}

Result<std::vector<Token>> Tokenize(std::string_view sql) {
  if (!sats::IsValidUtf8(sql)) return Error(ErrorCode::kInvalidArgument, "SQL text is not valid UTF-8");
  return Lexer(sql).Run();
}

}  // namespace stdb::sql::parser
