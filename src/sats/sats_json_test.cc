#include "sats/sats_json.h"

#include <gtest/gtest.h>

#include <limits>

#include "sats/special_types.h"

namespace stdb::sats::sats_json {
namespace {

using T = AlgebraicType;
using V = AlgebraicValue;

TEST(SatsJson, TypedAndUntypedForms) {
  T type = NamedProduct({{"id", T::U32()},
                         {"name", T::Option(T::String())},
                         {"owner", T::Identity()},
                         {"blob", T::Bytes()},
                         {"big", T::U128()},
                         {"huge", T::I256()},
                         {"f", T::F64()},
                         {"nothing", T::Unit()}});
  V value = V::Product({V::U32(7), V::OptionNone(), V::Product({V::U256(U256::FromU128(0x2a))}), V::Bytes({0xab, 0x01}),
                        V::U128(~u128(0)), V::I256(I256::FromI128(-255)), V::F64(1.0), V::Unit()});
  EXPECT_EQ(ToTypedJson(type, value),
            R"({"id":7,"name":{"none":{}},"owner":{"__identity__":"0x2a"},"blob":"ab01",)"
            R"("big":340282366920938463463374607431768211455,"huge":"-0xff","f":1.0,"nothing":{}})");
  EXPECT_EQ(ToUntypedJson(value),
            R"([7,[1,[]],["0x2a"],"ab01",340282366920938463463374607431768211455,"-0xff",1.0,[]])");
}

TEST(SatsJson, NonFiniteFloatsAreNull) {
  EXPECT_EQ(ToUntypedJson(V::F64(std::numeric_limits<double>::quiet_NaN())), "null");
  EXPECT_EQ(ToUntypedJson(V::F32(-std::numeric_limits<float>::infinity())), "null");
  EXPECT_EQ(ToUntypedJson(V::F64(0.1)), "0.1");
}

TEST(SatsJson, ReadsEveryAcceptedForm) {
  T type = NamedProduct({{"id", T::U32()}, {"name", T::String()}});
  for (const char* text : {R"([1,"a"])", R"({"id":1,"name":"a"})", R"({"name":"a","id":1})"}) {
    auto v = Read(type, text);
    ASSERT_TRUE(v.ok()) << text << ": " << v.error().message();
    EXPECT_EQ(*v, V::Product({V::U32(1), V::String("a")}));
  }
  T opt = T::Option(T::I64());
  for (const char* text : {R"({"some":-5})", R"({"0":-5})", R"([0,-5])", R"(["some",-5])", R"(["0",-5])"}) {
    auto v = Read(opt, text);
    ASSERT_TRUE(v.ok()) << text << ": " << v.error().message();
    EXPECT_EQ(*v, V::OptionSome(V::I64(-5)));
  }
  for (const char* text : {"null", R"({"none":[]})", R"({"none":{}})", "[1,[]]"}) {
    auto v = Read(opt, text);
    ASSERT_TRUE(v.ok()) << text << ": " << v.error().message();
    EXPECT_EQ(*v, V::OptionNone());
  }
  auto bytes = Read(T::Bytes(), R"("0aff")");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, V::Bytes({0x0a, 0xff}));
  bytes = Read(T::Bytes(), "[10,255]");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, V::Bytes({0x0a, 0xff}));
}

TEST(SatsJson, IdentityArgumentFormsFromTheReferenceSmoketest) {
  std::string hex = "c200" + std::string(59, '0') + "1";
  auto expected = Identity::FromHex(hex)->ToValue();
  for (std::string text : {"\"" + hex + "\"", "\"0x" + hex + "\"", "[\"0x" + hex + "\"]",
                           "{\"__identity__\":\"0x" + hex + "\"}"}) {
    auto v = Read(T::Identity(), text);
    ASSERT_TRUE(v.ok()) << text << ": " << v.error().message();
    EXPECT_EQ(*v, expected) << text;
  }
}

TEST(SatsJson, ExactIntegersAndRanges) {
  auto v = Read(T::U128(), "340282366920938463463374607431768211455");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->as<u128>(), ~u128(0));
  v = Read(T::I128(), "-170141183460469231731687303715884105728");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(Read(T::I8(), "-128").ok());
  EXPECT_FALSE(Read(T::I8(), "128").ok());
  EXPECT_FALSE(Read(T::U8(), "-1").ok());
  EXPECT_FALSE(Read(T::U32(), "1.5").ok());
  EXPECT_FALSE(Read(T::U32(), "\"1\"").ok());
  EXPECT_FALSE(Read(T::U128(), "340282366920938463463374607431768211456").ok());
  v = Read(T::U256(), "\"0xff\"");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->as<U256>(), U256::FromU128(255));
  v = Read(T::I256(), "\"-0x1\"");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->as<I256>(), I256::FromI128(-1));
}

TEST(SatsJson, ErrorsNameTheProblem) {
  T type = NamedProduct({{"id", T::U32()}, {"name", T::String()}});
  auto r = Read(type, R"({"id":1})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("missing field 'name'"), std::string::npos);
  r = Read(type, R"({"id":1,"name":"a","x":2})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("unknown field 'x'"), std::string::npos);
  r = Read(type, R"({"id":"one","name":"a"})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("field 'id'"), std::string::npos);
  r = Read(type, R"([1])");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(Read(T::Option(T::U8()), R"({"maybe":1})").ok());
}

TEST(SatsJson, TypesRoundTrip) {
  T type = NamedProduct({{"x", T::U32()}, {"arr", T::Array(T::U8())}, {"r", T::Ref(5)}});
  std::string json = TypeToJson(type);
  EXPECT_EQ(json,
            R"({"Product":{"elements":[{"name":{"some":"x"},"algebraic_type":{"U32":[]}},)"
            R"({"name":{"some":"arr"},"algebraic_type":{"Array":{"U8":[]}}},)"
            R"({"name":{"some":"r"},"algebraic_type":{"Ref":5}}]}})");
  auto parsed = Json::Parse(json);
  ASSERT_TRUE(parsed.ok());
  auto back = ReadType(*parsed);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(*back, type);
  T sum = T::ScheduleAt();
  parsed = Json::Parse(TypeToJson(sum));
  ASSERT_TRUE(parsed.ok());
  back = ReadType(*parsed);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, sum);
}

TEST(SatsJson, TypedRoundTripThroughReader) {
  T type = NamedProduct({{"at", T::ScheduleAt()}, {"when", T::Timestamp()}, {"list", T::Array(T::String())}});
  V value = V::Product({V::Sum(0, V::Product({V::I64(5000)})), V::Product({V::I64(-1)}),
                        V::Array({V::String("a"), V::String("b")})});
  auto back = Read(type, ToTypedJson(type, value));
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(*back, value);
  back = Read(type, ToUntypedJson(value));
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(*back, value);
}

}  // namespace
}  // namespace stdb::sats::sats_json
