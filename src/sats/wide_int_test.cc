#include "sats/wide_int.h"

#include <gtest/gtest.h>

namespace stdb::sats {
namespace {

TEST(WideInt, DecimalOf128BitExtremes) {
  EXPECT_EQ(ToDecimal(~u128(0)), "340282366920938463463374607431768211455");
  i128 min = -i128(~u128(0) >> 1) - 1;
  EXPECT_EQ(ToDecimal(min), "-170141183460469231731687303715884105728");
  EXPECT_EQ(ToDecimal(u128(0)), "0");
}

TEST(WideInt, U256DecimalAndHex) {
  U256 max{{~0ULL, ~0ULL, ~0ULL, ~0ULL}};
  EXPECT_EQ(ToDecimal(max), "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  EXPECT_EQ(ToHex0x(max), "0x" + std::string(64, 'f'));
  EXPECT_EQ(ToHex0x(U256{}), "0x0");
  EXPECT_EQ(ToHex0x(U256::FromU128(42)), "0x2a");
}

TEST(WideInt, I256NegativeForms) {
  I256 minus_one = I256::FromI128(-1);
  EXPECT_TRUE(minus_one.IsNegative());
  EXPECT_EQ(ToDecimal(minus_one), "-1");
  EXPECT_EQ(ToHex0x(minus_one), "-0x1");
  EXPECT_LT(minus_one, I256::FromI128(0));
  EXPECT_LT(I256::FromI128(-5), I256::FromI128(-4));
}

TEST(WideInt, ParseMagnitude) {
  auto v = ParseU256Magnitude("0x2A");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, U256::FromU128(42));
  v = ParseU256Magnitude("115792089237316195423570985008687907853269984665640564039457584007913129639935");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->w[3], ~0ULL);
  EXPECT_FALSE(ParseU256Magnitude("115792089237316195423570985008687907853269984665640564039457584007913129639936"));
  EXPECT_FALSE(ParseU256Magnitude("12a"));
  EXPECT_FALSE(ParseU256Magnitude(""));
  EXPECT_FALSE(ParseU256Magnitude("0x" + std::string(65, '1')));
}

TEST(WideInt, Narrowing) {
  EXPECT_EQ(ToU128(U256::FromU128(7)).value(), u128(7));
  EXPECT_FALSE(ToU128(U256{{0, 0, 1, 0}}));
  EXPECT_EQ(ToI128(I256::FromI128(-9)).value(), i128(-9));
}

}  // namespace
}  // namespace stdb::sats
