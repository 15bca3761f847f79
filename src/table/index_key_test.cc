#include "table/index_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace stdb::table {
namespace {

using T = sats::AlgebraicType;
using V = sats::AlgebraicValue;

std::string BytesKey(const T& t, const V& v) {
  std::string out;
  AppendBytesKey(t, v, out);
  return out;
}

uint64_t U64(const T& t, const V& v) { return U64Key(t, sats::bsatn::EncodeValue(v).data()); }

int Sign(std::strong_ordering o) { return o < 0 ? -1 : (o > 0 ? 1 : 0); }
int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

void ExpectOrderPreserved(const T& type, const std::vector<V>& values) {
  for (const auto& a : values) {
    for (const auto& b : values) {
      int want = Sign(sats::Compare(a, b));
      EXPECT_EQ(Sign(BytesKey(type, a).compare(BytesKey(type, b))), want) << a.ToString() << " vs " << b.ToString();
      if (FitsU64Key(type)) {
        uint64_t ka = U64(type, a), kb = U64(type, b);
        EXPECT_EQ(ka < kb ? -1 : (ka > kb ? 1 : 0), want) << a.ToString() << " vs " << b.ToString();
      }
    }
  }
}

TEST(IndexKey, IntegersKeepTheirOrder) {
  ExpectOrderPreserved(T::I32(), {V::I32(INT32_MIN), V::I32(-1), V::I32(0), V::I32(1), V::I32(INT32_MAX)});
  ExpectOrderPreserved(T::U64(), {V::U64(0), V::U64(1), V::U64(1ULL << 40), V::U64(UINT64_MAX)});
  ExpectOrderPreserved(T::I8(), {V::I8(-128), V::I8(-1), V::I8(0), V::I8(127)});
  ExpectOrderPreserved(T::I128(), {V::I128(-(sats::i128(1) << 100)), V::I128(-1), V::I128(0), V::I128(sats::i128(1) << 90)});
  ExpectOrderPreserved(T::U256(), {V::U256(sats::U256{}), V::U256(sats::U256::FromU128(5)), V::U256(sats::U256{{0, 0, 0, 1}})});
  ExpectOrderPreserved(T::I256(), {V::I256(sats::I256::FromI128(-5)), V::I256(sats::I256::FromI128(0)), V::I256(sats::I256::FromI128(7))});
}

TEST(IndexKey, FloatsUseTheTotalOrder) {
  double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  ExpectOrderPreserved(T::F64(), {V::F64(-inf), V::F64(-2.5), V::F64(-0.0), V::F64(0.0), V::F64(1e-300), V::F64(3), V::F64(inf), V::F64(nan)});
  ExpectOrderPreserved(T::F32(), {V::F32(-1.5f), V::F32(0.0f), V::F32(2.0f), V::F32(std::numeric_limits<float>::quiet_NaN())});
}

TEST(IndexKey, StringsBytesAndArrays) {
  ExpectOrderPreserved(T::String(), {V::String(""), V::String("a"), V::String(std::string("a\0", 2)),
                                     V::String("ab"), V::String("b"), V::String("\xc3\xa9")});
  ExpectOrderPreserved(T::Bytes(), {V::Bytes({}), V::Bytes({0}), V::Bytes({0, 0}), V::Bytes({0, 1}), V::Bytes({1}), V::Bytes({0xff})});
  ExpectOrderPreserved(T::Array(T::U16()), {V::Array({}), V::Array({V::U16(0)}), V::Array({V::U16(0), V::U16(0)}),
                                            V::Array({V::U16(1)}), V::Array({V::U16(256)})});
}

TEST(IndexKey, ProductsAndSumsAreLexicographic) {
  T pair = sats::NamedProduct({{"a", T::String()}, {"b", T::I32()}});
  ExpectOrderPreserved(pair, {V::Product({V::String("a"), V::I32(5)}), V::Product({V::String("a"), V::I32(6)}),
                              V::Product({V::String("ab"), V::I32(-9)}), V::Product({V::String("b"), V::I32(0)})});
  T opt = T::Option(T::U32());
  ExpectOrderPreserved(opt, {V::OptionSome(V::U32(0)), V::OptionSome(V::U32(9)), V::OptionNone()});
  T color = sats::NamedSum({{"red", T::Unit()}, {"green", T::Unit()}, {"blue", T::Unit()}});
  ExpectOrderPreserved(color, {V::Sum(0, V::Unit()), V::Sum(1, V::Unit()), V::Sum(2, V::Unit())});
  EXPECT_TRUE(FitsU64Key(color));
  EXPECT_TRUE(FitsU64Key(T::Timestamp()));
  EXPECT_FALSE(FitsU64Key(T::Identity()));
}

TEST(IndexKey, RandomValuesKeepOrder) {
  std::mt19937 rng(5);
  T type = sats::NamedProduct({{"s", T::String()}, {"n", T::I64()}});
  std::vector<V> values;
  for (int i = 0; i < 200; ++i) {
    std::string s(rng() % 4, 'x');
    for (auto& c : s) c = char(rng() % 3);  // includes NUL bytes
    values.push_back(V::Product({V::String(s), V::I64(int64_t(rng() % 7) - 3)}));
  }
  ExpectOrderPreserved(type, values);
}

}  // namespace
}  // namespace stdb::table
