#include "sql/binder/literal.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sats/special_types.h"

namespace stdb::sql {
namespace {

using sats::AlgebraicType;
using sats::AlgebraicValue;
using sats::TypeTag;

parser::Literal Num(std::string text) { return {parser::Literal::Kind::kNumber, false, std::move(text), {}}; }
parser::Literal Str(std::string text) { return {parser::Literal::Kind::kString, false, std::move(text), {}}; }
parser::Literal Hex(std::string text) { return {parser::Literal::Kind::kHex, false, std::move(text), {}}; }

Result<AlgebraicValue> In(const parser::Literal& lit, const AlgebraicType& type,
                          LiteralContext ctx = LiteralContext::kComparison) {
  return LiteralToValue(lit, type, ctx);
}

TEST(Literal, IntegerRangesOfEveryWidth) {
  struct Case {
    TypeTag tag;
    const char* min;
    const char* max;
    const char* below;
    const char* above;
  };
  for (const Case& c : std::vector<Case>{
           {TypeTag::kU8, "0", "255", "-1", "256"},
           {TypeTag::kI8, "-128", "127", "-129", "128"},
           {TypeTag::kU16, "0", "65535", "-1", "65536"},
           {TypeTag::kI16, "-32768", "32767", "-32769", "32768"},
           {TypeTag::kU32, "0", "4294967295", "-1", "4294967296"},
           {TypeTag::kI32, "-2147483648", "2147483647", "-2147483649", "2147483648"},
           {TypeTag::kU64, "0", "18446744073709551615", "-1", "18446744073709551616"},
           {TypeTag::kI64, "-9223372036854775808", "9223372036854775807", "-9223372036854775809",
            "9223372036854775808"},
           {TypeTag::kU128, "0", "340282366920938463463374607431768211455", "-1",
            "340282366920938463463374607431768211456"},
           {TypeTag::kI128, "-170141183460469231731687303715884105728", "170141183460469231731687303715884105727",
            "-170141183460469231731687303715884105729", "170141183460469231731687303715884105728"},
           {TypeTag::kU256, "0",
            "115792089237316195423570985008687907853269984665640564039457584007913129639935", "-1",
            "115792089237316195423570985008687907853269984665640564039457584007913129639936"},
           {TypeTag::kI256, "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
            "57896044618658097711785492504343953926634992332820282019728792003956564819967",
            "-57896044618658097711785492504343953926634992332820282019728792003956564819969",
            "57896044618658097711785492504343953926634992332820282019728792003956564819968"},
       }) {
    AlgebraicType type = AlgebraicType::Primitive(c.tag);
    auto min = In(Num(c.min), type);
    auto max = In(Num(c.max), type);
    ASSERT_TRUE(min.ok()) << type.ToString() << " " << c.min << ": " << min.error().message();
    ASSERT_TRUE(max.ok()) << type.ToString() << " " << c.max << ": " << max.error().message();
    EXPECT_EQ(min->ToString(), c.min) << type.ToString();
    EXPECT_EQ(max->ToString(), c.max) << type.ToString();
    EXPECT_FALSE(In(Num(c.below), type).ok()) << type.ToString() << " " << c.below;
    EXPECT_FALSE(In(Num(c.above), type).ok()) << type.ToString() << " " << c.above;
  }
}

TEST(Literal, IntegerForms) {
  auto u32 = AlgebraicType::U32();
  EXPECT_EQ(In(Num("1e3"), u32)->ToString(), "1000");
  EXPECT_EQ(In(Num("1E3"), u32)->ToString(), "1000");
  EXPECT_EQ(In(Num("+7"), u32)->ToString(), "7");
  EXPECT_EQ(In(Num("-0"), u32)->ToString(), "0");
  EXPECT_EQ(In(Num("10.0"), u32)->ToString(), "10");
  EXPECT_EQ(In(Num("1.5e1"), u32)->ToString(), "15");
  EXPECT_EQ(In(Num("1500e-2"), u32)->ToString(), "15");
  EXPECT_EQ(In(Num("0e999999999999"), u32)->ToString(), "0");
  EXPECT_EQ(In(Hex("ff"), u32)->ToString(), "255");
  EXPECT_EQ(In(Str("42"), u32)->ToString(), "42");
  EXPECT_EQ(In(Hex("80"), AlgebraicType::I8()).error().message(),
            "The literal 0x80 cannot be parsed as type I8: out of range for I8 at 1:1");
  EXPECT_EQ(In(Num("1e-3"), u32).error().message(),
            "The literal 1e-3 cannot be parsed as type U32: not an integer at 1:1");
  EXPECT_EQ(In(Num("1.25"), u32).error().message(),
            "The literal 1.25 cannot be parsed as type U32: not an integer at 1:1");
  EXPECT_EQ(In(Num("1e99999999999"), u32).error().message(),
            "The literal 1e99999999999 cannot be parsed as type U32: too large at 1:1");
  EXPECT_FALSE(In(Str(""), u32).ok());
  EXPECT_FALSE(In(Str("1e"), u32).ok());
  EXPECT_FALSE(In(Str("12 "), u32).ok());
  EXPECT_EQ(In(Num("1e40"), AlgebraicType::U256())->ToString(), "10000000000000000000000000000000000000000");
}

TEST(Literal, Floats) {
  auto f32 = In(Num("1e40"), AlgebraicType::F32());
  ASSERT_TRUE(f32.ok());
  EXPECT_TRUE(std::isinf(f32->as<float>()));
  EXPECT_EQ(In(Num(".5"), AlgebraicType::F64())->as<double>(), 0.5);
  EXPECT_EQ(In(Num("-2.5e-1"), AlgebraicType::F64())->as<double>(), -0.25);
  EXPECT_EQ(In(Str("3"), AlgebraicType::F64())->as<double>(), 3.0);
  EXPECT_FALSE(In(Str("inf"), AlgebraicType::F64()).ok());
  EXPECT_FALSE(In(Str("nan"), AlgebraicType::F64()).ok());
  EXPECT_FALSE(In(Str("0x1p3"), AlgebraicType::F64()).ok());
}

TEST(Literal, SpecialTypes) {
  std::string hex64(64, '0');
  hex64.back() = '1';
  auto id = In(Hex(hex64), AlgebraicType::Identity());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(sats::Identity::FromValue(*id)->ToHex(), hex64);
  EXPECT_TRUE(In(Str("0x" + hex64), AlgebraicType::Identity()).ok());
  EXPECT_EQ(In(Hex("01"), AlgebraicType::Identity()).error().message(),
            "The literal 0x01 cannot be parsed as type Identity: an Identity is 64 hex digits at 1:1");
  EXPECT_TRUE(In(Hex(std::string(32, 'a')), AlgebraicType::ConnectionId()).ok());
  EXPECT_FALSE(In(Hex(std::string(30, 'a')), AlgebraicType::ConnectionId()).ok());
  auto ts = In(Str("2025-02-10T15:45:30.123Z"), AlgebraicType::Timestamp());
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ(sats::Timestamp::FromValue(*ts)->micros_since_epoch(), 1739202330123000);
  auto tz = In(Str("2025-02-10 15:45:30+02:00"), AlgebraicType::Timestamp());
  ASSERT_TRUE(tz.ok());
  EXPECT_EQ(sats::Timestamp::FromValue(*tz)->micros_since_epoch(), 1739195130000000);
  EXPECT_FALSE(In(Str("yesterday"), AlgebraicType::Timestamp()).ok());
  auto uuid = In(Str("0195101b-6a47-7d3e-8c61-2d5f8a3b9c0e"), AlgebraicType::Uuid());
  ASSERT_TRUE(uuid.ok());
  EXPECT_EQ(sats::Uuid::FromValue(*uuid)->ToString(), "0195101b-6a47-7d3e-8c61-2d5f8a3b9c0e");
  EXPECT_EQ(In(Hex("abCD"), AlgebraicType::Bytes())->AsBytes(), (std::vector<uint8_t>{0xab, 0xcd}));
  EXPECT_EQ(In(Str("0xabcd"), AlgebraicType::Bytes())->AsBytes(), (std::vector<uint8_t>{0xab, 0xcd}));
  EXPECT_FALSE(In(Hex("abc"), AlgebraicType::Bytes()).ok());
  EXPECT_EQ(In(Num("1"), AlgebraicType::TimeDuration()).error().message(),
            "Literal values for type TimeDuration are not supported (1 at 1:1)");
}

TEST(Literal, AssignmentContextIsStricter) {
  auto u32 = AlgebraicType::U32();
  EXPECT_TRUE(In(Str("5"), u32, LiteralContext::kComparison).ok());
  EXPECT_EQ(In(Str("5"), u32, LiteralContext::kAssignment).error().message(),
            "Unexpected type: a String literal cannot be used as U32 ('5' at 1:1)");
  parser::Literal t{parser::Literal::Kind::kBool, true, "true", {}};
  EXPECT_TRUE(In(t, AlgebraicType::Bool(), LiteralContext::kAssignment).ok());
  EXPECT_FALSE(In(t, u32, LiteralContext::kAssignment).ok());
  EXPECT_EQ(In(Num("12"), AlgebraicType::String(), LiteralContext::kAssignment)->AsString(), "12");
}

TEST(Literal, ComparableTypes) {
  EXPECT_TRUE(IsComparableType(AlgebraicType::U8()));
  EXPECT_TRUE(IsComparableType(AlgebraicType::Identity()));
  EXPECT_TRUE(IsComparableType(AlgebraicType::Bytes()));
  EXPECT_TRUE(IsComparableType(AlgebraicType::Timestamp()));
  EXPECT_FALSE(IsComparableType(AlgebraicType::TimeDuration()));
  EXPECT_FALSE(IsComparableType(AlgebraicType::Array(AlgebraicType::String())));
  EXPECT_FALSE(IsComparableType(AlgebraicType::Option(AlgebraicType::U8())));
}

}  // namespace
}  // namespace stdb::sql
