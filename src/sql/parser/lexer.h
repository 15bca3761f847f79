// Lexer: splits SQL text into tokens for the parser (spec/data-layer.md §4.1).
//
// Recognised: words ([A-Za-z_] or any non-ASCII character, then letters, digits, '_' and '$'); "quoted
// identifiers" with "" as the escaped quote; 'strings' with '' as the escaped quote; numbers (12, 1.5, 1., .5,
// 1e3, 2.5E-7); hex literals 0xABCD and X'ABCD'; :parameters; the operators = != <> < <= > >= and the punctuation
// ( ) , . * ; + -. Comments (-- to end of line, /* */ nested as in PostgreSQL) and whitespace are skipped.
// Operators the dialect does not have (/, %, ||, ::, ...) become kOtherOperator tokens so the parser can name
// them. Input must be valid UTF-8.
//
// Errors (unterminated literals, stray characters, malformed numbers) name the problem and the line:column.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>
#include <vector>

#include "sats/result.h"
#include "sql/parser/token.h"

namespace stdb::sql::parser {

// The tokens of `sql`, ending with one kEnd token.
Result<std::vector<Token>> Tokenize(std::string_view sql);

}  // namespace stdb::sql::parser
