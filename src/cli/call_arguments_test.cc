#include "cli/call_arguments.h"

#include <gtest/gtest.h>

namespace stdb::cli {
namespace {

using sats::AlgebraicType;

struct Fixture {
  sats::Typespace typespace;
  sats::ProductType params;
  CallSignature sig;
  Fixture() {
    typespace.types.push_back(sats::NamedProduct({{"x", AlgebraicType::I32()}, {"y", AlgebraicType::I32()}}));
    params = sats::ProductType({{std::string("name"), AlgebraicType::String()},
                                {std::string("age"), AlgebraicType::U8()},
                                {std::string("who"), AlgebraicType::Identity()},
                                {std::string("at"), AlgebraicType::Ref(0)},
                                {std::string("nick"), AlgebraicType::Option(AlgebraicType::String())}});
    sig = CallSignature{"reducer", "add", &params, &typespace};
  }
};

const std::string kHex = "c200000000000000000000000000000000000000000000000000000000000001";

TEST(CallArgumentsTest, TypedArgumentsAreCheckedAndNormalised) {
  Fixture f;
  auto json = BuildCallArgumentsJson({"alice", "42", kHex, "{\"x\": 1, \"y\": 2}", "null"}, &f.sig);
  ASSERT_TRUE(json.ok()) << json.error().message();
  EXPECT_EQ(*json, "[\"alice\", 42, [\"0x" + kHex + "\"], {\"x\": 1, \"y\": 2}, null]");
  // Quoted strings and 0x identities pass as they are.
  auto quoted = BuildCallArgumentsJson({"\"bob \\\"b\\\"\"", "7", "0x" + kHex, "[3, 4]", "{\"some\": \"b\"}"}, &f.sig);
  ASSERT_TRUE(quoted.ok()) << quoted.error().message();
  EXPECT_EQ(*quoted, "[\"bob \\\"b\\\"\", 7, [\"0x" + kHex + "\"], [3, 4], {\"some\": \"b\"}]");
  // Bare text with quotes inside is escaped properly.
  Fixture g;
  auto text = BuildCallArgumentsJson({"say \"hi\"", "1", kHex, "[0,0]", "null"}, &g.sig);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->substr(0, 13), "[\"say \\\"hi\\\"\"");
}

TEST(CallArgumentsTest, WrongCountNamesTheSignature) {
  Fixture f;
  auto err = BuildCallArgumentsJson({"alice"}, &f.sig);
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().message(),
            "the reducer `add` takes 5 arguments but 1 was given; its signature is add(name: String, age: U8, who: "
            "Identity, at: (x: I32, y: I32), nick: Option<String>) — pass one value per parameter");
}

TEST(CallArgumentsTest, BadValuesNameTheParameter) {
  Fixture f;
  auto overflow = BuildCallArgumentsJson({"alice", "300", kHex, "[1,2]", "null"}, &f.sig);
  ASSERT_FALSE(overflow.ok());
  EXPECT_NE(overflow.error().message().find("argument 2 (age: U8) of reducer `add` is not valid: '300'"),
            std::string::npos)
      << overflow.error().message();
  EXPECT_NE(overflow.error().message().find("give a JSON value of that type"), std::string::npos);
  auto not_json = BuildCallArgumentsJson({"alice", "1", kHex, "{x:1}", "null"}, &f.sig);
  ASSERT_FALSE(not_json.ok());
  EXPECT_NE(not_json.error().message().find("argument 4 (at: (x: I32, y: I32))"), std::string::npos)
      << not_json.error().message();
  EXPECT_NE(not_json.error().message().find("not valid JSON"), std::string::npos);
}

TEST(CallArgumentsTest, UntypedArgumentsPassThroughButMustBeJson) {
  auto json = BuildCallArgumentsJson({"\"x\"", "1", "{\"a\": [true]}"}, nullptr);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, "[\"x\", 1, {\"a\": [true]}]");
  EXPECT_EQ(*BuildCallArgumentsJson({}, nullptr), "[]");
  auto bad = BuildCallArgumentsJson({"alice"}, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("argument 1 'alice' is not valid JSON"), std::string::npos);
  EXPECT_NE(bad.error().message().find("quote strings as JSON"), std::string::npos);
}

TEST(CallArgumentsTest, ClosestName) {
  std::vector<std::string> names = {"send_message", "set_name", "add_player"};
  EXPECT_EQ(ClosestName("send_mesage", names), "send_message");
  EXPECT_EQ(ClosestName("SET_NAME", names), "set_name");
  EXPECT_EQ(ClosestName("frobnicate", names), "");
}

}  // namespace
}  // namespace stdb::cli
