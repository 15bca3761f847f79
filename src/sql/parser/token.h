// Token: one lexical unit of SQL text, with the position where it starts.
//
// Words (identifiers and keywords alike) keep their spelling; keywords are recognised by the parser,
// case-insensitively, because the reference dialect (PostgreSQL's, through sqlparser) is case-sensitive for
// identifiers but not for keywords. Quoted identifiers and string literals hold their unescaped text; hex
// literals hold just their digits (`0xAB` and `X'AB'` both give "AB").
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stdb::sql::parser {

// Where a token or syntax node starts: byte offset and 1-based line and column (columns count characters).
struct SourcePosition {
  uint32_t offset = 0;
  uint32_t line = 1;
  uint32_t column = 1;
  // "line:column", the form used in error messages.
  std::string ToString() const { return std::to_string(line) + ":" + std::to_string(column); }
};

enum class TokenKind {
  kEnd,               // end of input
  kWord,              // identifier or keyword, as written
  kQuotedIdentifier,  // "..." (unescaped)
  kNumber,            // 12, 1.5, .5, 1e-3 (no sign)
  kString,            // '...' (unescaped)
  kHexString,         // 0xAB or X'AB' (digits only)
  kParameter,         // :name (name only)
  kLeftParen,
  kRightParen,
  kComma,
  kDot,
  kStar,
  kSemicolon,
  kPlus,
  kMinus,
  kEq,     // =
  kNotEq,  // != or <> (text keeps the spelling)
  kLt,
  kLe,
  kGt,
  kGe,
  kOtherOperator,  // an operator the dialect does not support (/, %, ||, ::, ...), kept for a clear error
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  SourcePosition pos;

  // True for a kWord equal to `upper_keyword` ignoring ASCII case.
  bool IsKeyword(std::string_view upper_keyword) const;
  // How the token reads in an error message: "end of input", "keyword FROM", "'abc'", "identifier x".
  std::string Describe() const;
};

// PostgreSQL's reserved words (those an unquoted identifier may not be), upper case. `USER` is left out because
// the reference accepts it as a table name.
bool IsReservedWord(std::string_view word);

}  // namespace stdb::sql::parser
