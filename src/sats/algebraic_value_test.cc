#include "sats/algebraic_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace stdb::sats {
namespace {

using V = AlgebraicValue;

TEST(AlgebraicValue, IntegerOrderIsNumeric) {
  EXPECT_LT(V::I32(-5), V::I32(3));
  EXPECT_LT(V::U64(3), V::U64(~0ULL));
  EXPECT_LT(V::I128(-1), V::I128(0));
  EXPECT_LT(V::U256(U256::FromU128(1)), V::U256(U256{{0, 0, 0, 1}}));
  EXPECT_LT(V::I256(I256::FromI128(-1)), V::I256(I256::FromI128(1)));
  EXPECT_LT(V::Bool(false), V::Bool(true));
}

TEST(AlgebraicValue, FloatTotalOrder) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(V::F64(nan), V::F64(nan));
  EXPECT_GT(V::F64(nan), V::F64(inf));
  EXPECT_EQ(V::F64(-0.0), V::F64(0.0));
  EXPECT_EQ(Hash(V::F64(-0.0)), Hash(V::F64(0.0)));
  EXPECT_EQ(Hash(V::F64(nan)), Hash(V::F64(-nan)));
  EXPECT_LT(V::F32(-inf), V::F32(-1.0f));
}

TEST(AlgebraicValue, StringsCompareBytewise) {
  EXPECT_LT(V::String("B"), V::String("a"));
  EXPECT_LT(V::String("ab"), V::String("abc"));
  EXPECT_LT(V::String(""), V::String("a"));
  EXPECT_LT(V::String("\x7f"), V::String("\xc3\xa9"));
}

TEST(AlgebraicValue, ProductsSumsArraysAreLexicographic) {
  EXPECT_LT(V::Product({V::U32(1), V::String("z")}), V::Product({V::U32(2), V::String("a")}));
  EXPECT_LT(V::Product({V::U32(1), V::String("a")}), V::Product({V::U32(1), V::String("b")}));
  EXPECT_LT(V::Sum(0, V::U32(100)), V::Sum(1, V::U32(0)));
  EXPECT_LT(V::Sum(1, V::U32(1)), V::Sum(1, V::U32(2)));
  EXPECT_LT(V::Array({V::U8(1)}), V::Array({V::U8(1), V::U8(0)}));
  EXPECT_LT(V::Bytes({1, 2}), V::Bytes({1, 3}));
  EXPECT_LT(V::Bytes({1}), V::Bytes({1, 0}));
}

TEST(AlgebraicValue, BytesEqualArrayOfU8) {
  V bytes = V::Bytes({1, 2, 3});
  V array = V::Array({V::U8(1), V::U8(2), V::U8(3)});
  EXPECT_EQ(bytes, array);
  EXPECT_EQ(Hash(bytes), Hash(array));
  EXPECT_LT(V::Bytes({1, 2}), array);
}

TEST(AlgebraicValue, CopiesAreDeep) {
  V s = V::Sum(0, V::Product({V::String("x")}));
  V copy = s;
  copy.as<SumValue>().payload->AsProduct().elements[0] = V::String("y");
  EXPECT_EQ(s.AsSum().payload->AsProduct().elements[0].AsString(), "x");
  EXPECT_NE(s, copy);
}

TEST(AlgebraicValue, HashIsConsistentWithEquality) {
  V a = V::Product({V::U32(7), V::String("abc"), V::OptionSome(V::I64(-1))});
  V b = V::Product({V::U32(7), V::String("abc"), V::OptionSome(V::I64(-1))});
  EXPECT_EQ(a, b);
  EXPECT_EQ(Hash(a), Hash(b));
  EXPECT_NE(Hash(a), Hash(V::Product({V::U32(8), V::String("abc"), V::OptionSome(V::I64(-1))})));
}

}  // namespace
}  // namespace stdb::sats
