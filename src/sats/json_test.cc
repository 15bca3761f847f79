#include "sats/json.h"

#include <gtest/gtest.h>

namespace stdb::sats {
namespace {

TEST(Json, ParsesAndKeepsNumberText) {
  auto j = Json::Parse(R"({"a": [1, -2.5e3, 340282366920938463463374607431768211455], "b": "x\u00e9\ud83c\udf0d", "c": null, "d": true})");
  ASSERT_TRUE(j.ok()) << j.error().message();
  const Json* a = j->Find("a");
  ASSERT_TRUE(a && a->is_array());
  EXPECT_EQ(a->items()[2].text(), "340282366920938463463374607431768211455");
  EXPECT_EQ(a->items()[1].text(), "-2.5e3");
  EXPECT_EQ(j->Find("b")->text(), "x\xc3\xa9\xf0\x9f\x8c\x8d");
  EXPECT_TRUE(j->Find("c")->is_null());
  EXPECT_TRUE(j->Find("d")->as_bool());
}

TEST(Json, DumpRoundTrips) {
  std::string text = R"({"k":["a\"b\\c\n",1,{"x":false}],"e":{}})";
  auto j = Json::Parse(text);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->Dump(), text);
  std::string s;
  AppendJsonString(s, std::string("\x01", 1));
  EXPECT_EQ(s, "\"\\u0001\"");
}

TEST(Json, RejectsMalformedInput) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"abc", "tru", "[1] x", "\"\\ud800\"",
                          "\"\\x\"", "{\"a\":1,}", "\"\x01\"", "\"\xff\""}) {
    EXPECT_FALSE(Json::Parse(bad).ok()) << bad;
  }
}

TEST(Json, LimitsDepth) {
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  auto r = Json::Parse(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("nesting"), std::string::npos);
  EXPECT_TRUE(Json::Parse(std::string(100, '[') + std::string(100, ']')).ok());
}

}  // namespace
}  // namespace stdb::sats
