#include "sql/parser/lexer.h"

#include <gtest/gtest.h>

namespace stdb::sql::parser {
namespace {

std::vector<Token> Lex(std::string_view sql) {
  auto tokens = Tokenize(sql);
  EXPECT_TRUE(tokens.ok()) << tokens.error().message();
  return tokens.ok() ? *tokens : std::vector<Token>{};
}

std::string ErrorOf(std::string_view sql) {
  auto tokens = Tokenize(sql);
  EXPECT_FALSE(tokens.ok()) << sql;
  return tokens.ok() ? "" : tokens.error().message();
}

TEST(Lexer, WordsNumbersAndPunctuation) {
  auto t = Lex("SELECT a.b, \"Q\"\"x\" FROM t WHERE x >= -1.5e3;");
  ASSERT_EQ(t.size(), 15u);
  EXPECT_TRUE(t[0].IsKeyword("SELECT"));
  EXPECT_EQ(t[1].text, "a");
  EXPECT_EQ(t[2].kind, TokenKind::kDot);
  EXPECT_EQ(t[4].kind, TokenKind::kComma);
  EXPECT_EQ(t[5].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(t[5].text, "Q\"x");
  EXPECT_EQ(t[10].kind, TokenKind::kGe);
  EXPECT_EQ(t[11].kind, TokenKind::kMinus);
  EXPECT_EQ(t[12].kind, TokenKind::kNumber);
  EXPECT_EQ(t[12].text, "1.5e3");
  EXPECT_EQ(t[13].kind, TokenKind::kSemicolon);
  EXPECT_EQ(t[14].kind, TokenKind::kEnd);
}

TEST(Lexer, NumberForms) {
  for (std::string_view n : {"0", "12", "1.5", "1.", ".5", "1e3", "1E3", "2.5e-7", "1e+2"}) {
    auto t = Lex(n);
    ASSERT_EQ(t.size(), 2u) << n;
    EXPECT_EQ(t[0].kind, TokenKind::kNumber) << n;
    EXPECT_EQ(t[0].text, n);
  }
  EXPECT_NE(ErrorOf("12abc").find("invalid numeric literal"), std::string::npos);
  EXPECT_NE(ErrorOf("1.2.3").find("invalid numeric literal"), std::string::npos);
}

TEST(Lexer, StringsAndHex) {
  auto t = Lex("'it''s' 0xABcd X'0f' x''");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].kind, TokenKind::kString);
  EXPECT_EQ(t[0].text, "it's");
  EXPECT_EQ(t[1].kind, TokenKind::kHexString);
  EXPECT_EQ(t[1].text, "ABcd");
  EXPECT_EQ(t[2].kind, TokenKind::kHexString);
  EXPECT_EQ(t[2].text, "0f");
  EXPECT_EQ(t[3].text, "");
  EXPECT_NE(ErrorOf("X'zz'").find("invalid hex string"), std::string::npos);
  EXPECT_NE(ErrorOf("0x").find("at least one hex digit"), std::string::npos);
  EXPECT_NE(ErrorOf("B'1010'").find("bit-string"), std::string::npos);
}

TEST(Lexer, OperatorsAndParameters) {
  auto t = Lex("= != <> < <= > >= :sender :: / ||");
  std::vector<TokenKind> kinds;
  for (auto& tok : t) kinds.push_back(tok.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{TokenKind::kEq, TokenKind::kNotEq, TokenKind::kNotEq, TokenKind::kLt,
                                           TokenKind::kLe, TokenKind::kGt, TokenKind::kGe, TokenKind::kParameter,
                                           TokenKind::kOtherOperator, TokenKind::kOtherOperator,
                                           TokenKind::kOtherOperator, TokenKind::kEnd}));
  EXPECT_EQ(t[2].text, "<>");
  EXPECT_EQ(t[7].text, "sender");
}

TEST(Lexer, CommentsAndPositions) {
  auto t = Lex("-- line comment\n  /* block /* nested */ */ sélect\n\tx");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "sélect");
  EXPECT_EQ(t[0].pos.line, 2u);
  EXPECT_EQ(t[0].pos.column, 28u);
  EXPECT_EQ(t[1].pos.line, 3u);
  EXPECT_EQ(t[1].pos.column, 2u);
  // Columns count characters, not bytes: é is two bytes.
  auto u = Lex("'é' x");
  EXPECT_EQ(u[1].pos.column, 5u);
  EXPECT_EQ(u[1].pos.offset, 5u);
}

TEST(Lexer, ErrorsNamePosition) {
  EXPECT_EQ(ErrorOf("select 'abc"), "unterminated string literal starting at 1:8");
  EXPECT_EQ(ErrorOf("select \"abc"), "unterminated quoted identifier starting at 1:8");
  EXPECT_EQ(ErrorOf("select\n /* x"), "unterminated /* comment */ starting at 2:2");
  EXPECT_EQ(ErrorOf("select `a`"), "unexpected character '`' at 1:8");
  EXPECT_EQ(ErrorOf("select \"\""), "zero-length quoted identifier at 1:8");
  EXPECT_EQ(ErrorOf(std::string_view("select '\xff'", 10)), "SQL text is not valid UTF-8");
}

TEST(Lexer, ReservedWords) {
  EXPECT_TRUE(IsReservedWord("select"));
  EXPECT_TRUE(IsReservedWord("Order"));
  EXPECT_TRUE(IsReservedWord("JOIN"));
  EXPECT_FALSE(IsReservedWord("user"));  // the reference accepts `user` as a table name
  EXPECT_FALSE(IsReservedWord("count"));
  EXPECT_FALSE(IsReservedWord("identity"));
}

}  // namespace
}  // namespace stdb::sql::parser
