#include "host/case_conversion.h"

#include <gtest/gtest.h>

namespace stdb::host {
namespace {

struct CaseRow {
  const char* input;
  const char* snake;
  const char* camel;
  const char* pascal;
};

// Expected outputs follow convert_case 0.6's default boundaries (see case_conversion.h).
const CaseRow kRows[] = {
    {"person", "person", "person", "Person"},
    {"already_snake", "already_snake", "alreadySnake", "AlreadySnake"},
    {"countFresh", "count_fresh", "countFresh", "CountFresh"},
    {"Apple_name", "apple_name", "appleName", "AppleName"},
    {"GrannySmith", "granny_smith", "grannySmith", "GrannySmith"},
    // Acronyms: the boundary falls before the last capital of a run that is followed by a lowercase letter.
    {"HTTPServer", "http_server", "httpServer", "HttpServer"},
    {"IOStream", "io_stream", "ioStream", "IoStream"},
    {"PersonID", "person_id", "personId", "PersonId"},
    {"getHTTPResponseCode", "get_http_response_code", "getHttpResponseCode", "GetHttpResponseCode"},
    {"ABC", "abc", "abc", "Abc"},
    {"ABCd", "ab_cd", "abCd", "AbCd"},
    {"aB", "a_b", "aB", "AB"},
    // Digits are words of their own.
    {"v2Name", "v_2_name", "v2Name", "V2Name"},
    {"item2", "item_2", "item2", "Item2"},
    {"Version10", "version_10", "version10", "Version10"},
    {"10Version", "10_version", "10Version", "10Version"},
    {"A1B2", "a_1_b_2", "a1B2", "A1B2"},
    {"SuperMario64Game", "super_mario_64_game", "superMario64Game", "SuperMario64Game"},
    {"TCPSocket2D", "tcp_socket_2_d", "tcpSocket2D", "TcpSocket2D"},
    {"Scope1", "scope_1", "scope1", "Scope1"},
    // Delimiters are dropped, including leading, trailing and repeated ones.
    {"_leading", "leading", "leading", "Leading"},
    {"__double__under__", "double_under", "doubleUnder", "DoubleUnder"},
    {"snake-case with-dash", "snake_case_with_dash", "snakeCaseWithDash", "SnakeCaseWithDash"},
    {"___", "", "", ""},
    {"", "", "", ""},
    {"x", "x", "x", "X"},
    // Unicode letters use the full Unicode case mappings.
    {"Москва", "москва", "москва", "Москва"},
    {"МояТаблица", "моя_таблица", "мояТаблица", "МояТаблица"},
    {"ÉcoleNormale", "école_normale", "écoleNormale", "ÉcoleNormale"},
    {"straße", "straße", "straße", "Straße"},
    {"ßtraße", "ßtraße", "ßtraße", "SStraße"},  // ß uppercases to "SS"
    {"ΟΔΟΣ", "οδος", "οδος", "Οδος"},            // final sigma: the word ends in ς, not σ
    {"東京Tower", "東京tower", "東京tower", "東京tower"},  // uncased letters make no boundary
    // A combining mark belongs to the grapheme of its base letter, which decides the case boundary.
    {"e\u0301Value", "e\u0301_value", "e\u0301Value", "E\u0301Value"},
};

TEST(CaseConversion, MatchesConvertCaseDefaults) {
  for (const auto& row : kRows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(ToSnakeCase(row.input), row.snake);
    EXPECT_EQ(ToCamelCase(row.input), row.camel);
    EXPECT_EQ(ToPascalCase(row.input), row.pascal);
  }
}

TEST(CaseConversion, SplitsWordsAtEveryDefaultBoundary) {
  EXPECT_EQ(SplitIntoWords("getHTTPResponse_code-v2 x"),
            (std::vector<std::string>{"get", "HTTP", "Response", "code", "v", "2", "x"}));
  EXPECT_TRUE(SplitIntoWords("__").empty());
}

TEST(CaseConversion, SnakeCaseIsIdempotent) {
  for (const auto& row : kRows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(ToSnakeCase(row.snake), row.snake);
  }
}

}  // namespace
}  // namespace stdb::host
