#include "cli/json_pretty.h"

#include <gtest/gtest.h>

namespace stdb::cli {
namespace {

TEST(JsonPrettyTest, LikeSerdeJsonToStringPretty) {
  auto json = sats::Json::Parse(R"({"a":1,"b":[true,{"c":null}],"d":{},"e":[],"big":340282366920938463463374607431768211455})");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(PrettyJson(*json), R"({
  "a": 1,
  "b": [
    true,
    {
      "c": null
    }
  ],
  "d": {},
  "e": [],
  "big": 340282366920938463463374607431768211455
})");
  EXPECT_EQ(PrettyJson(sats::Json::String("x\"y")), "\"x\\\"y\"");
}

}  // namespace
}  // namespace stdb::cli
