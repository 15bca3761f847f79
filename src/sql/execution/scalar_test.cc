#include "sql/execution/scalar.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sats/special_types.h"

namespace stdb::sql {
namespace {

using sats::AlgebraicType;
using sats::AlgebraicValue;

int Cmp(const AlgebraicType& type, const AlgebraicValue& a, const AlgebraicValue& b) {
  auto kind = ScalarKindOf(type);
  EXPECT_TRUE(kind.has_value()) << type.ToString();
  return CompareScalars(*kind, sats::bsatn::EncodeValue(a), sats::bsatn::EncodeValue(b));
}

// The BSATN comparison must agree with the SATS order of AlgebraicValue (spec/data-layer.md §1.4).
void ExpectSameOrder(const AlgebraicType& type, const std::vector<AlgebraicValue>& values) {
  for (const auto& a : values)
    for (const auto& b : values) {
      auto expected = sats::Compare(a, b);
      int want = expected < 0 ? -1 : (expected > 0 ? 1 : 0);
      EXPECT_EQ(Cmp(type, a, b), want) << type.ToString() << ": " << a.ToString() << " vs " << b.ToString();
    }
}

TEST(Scalar, IntegersOfEveryWidth) {
  ExpectSameOrder(AlgebraicType::I8(), {AlgebraicValue::I8(-128), AlgebraicValue::I8(-1), AlgebraicValue::I8(0),
                                        AlgebraicValue::I8(127)});
  ExpectSameOrder(AlgebraicType::U16(), {AlgebraicValue::U16(0), AlgebraicValue::U16(255), AlgebraicValue::U16(256),
                                         AlgebraicValue::U16(65535)});
  ExpectSameOrder(AlgebraicType::I64(), {AlgebraicValue::I64(INT64_MIN), AlgebraicValue::I64(-1),
                                         AlgebraicValue::I64(1), AlgebraicValue::I64(INT64_MAX)});
  sats::i128 big = sats::i128(1) << 100;
  ExpectSameOrder(AlgebraicType::I128(), {AlgebraicValue::I128(-big), AlgebraicValue::I128(-1),
                                          AlgebraicValue::I128(0), AlgebraicValue::I128(big)});
  ExpectSameOrder(AlgebraicType::U128(), {AlgebraicValue::U128(0), AlgebraicValue::U128(sats::u128(1) << 64),
                                          AlgebraicValue::U128(~sats::u128(0))});
  sats::U256 hi;
  hi.w[3] = 1;
  ExpectSameOrder(AlgebraicType::U256(), {AlgebraicValue::U256(sats::U256{}), AlgebraicValue::U256(sats::U256::FromU128(~sats::u128(0))),
                                          AlgebraicValue::U256(hi)});
  ExpectSameOrder(AlgebraicType::I256(), {AlgebraicValue::I256(sats::I256::FromI128(-5)), AlgebraicValue::I256(sats::I256::FromI128(0)),
                                          AlgebraicValue::I256(sats::I256::FromI128(5)), AlgebraicValue::I256(sats::I256{hi.w})});
}

TEST(Scalar, StringsBytesAndBools) {
  ExpectSameOrder(AlgebraicType::String(), {AlgebraicValue::String(""), AlgebraicValue::String("A"),
                                            AlgebraicValue::String("a"), AlgebraicValue::String("ab"),
                                            AlgebraicValue::String("b"), AlgebraicValue::String("é")});
  ExpectSameOrder(AlgebraicType::Bytes(), {AlgebraicValue::Bytes({}), AlgebraicValue::Bytes({0}),
                                           AlgebraicValue::Bytes({0, 0}), AlgebraicValue::Bytes({1})});
  ExpectSameOrder(AlgebraicType::Bool(), {AlgebraicValue::Bool(false), AlgebraicValue::Bool(true)});
}

TEST(Scalar, FloatsUseTheTotalOrder) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  ExpectSameOrder(AlgebraicType::F64(), {AlgebraicValue::F64(-INFINITY), AlgebraicValue::F64(-1.5),
                                         AlgebraicValue::F64(-0.0), AlgebraicValue::F64(0.0),
                                         AlgebraicValue::F64(2.0), AlgebraicValue::F64(INFINITY),
                                         AlgebraicValue::F64(nan)});
  auto kind = *ScalarKindOf(AlgebraicType::F32());
  EXPECT_TRUE(EqualScalars(kind, sats::bsatn::EncodeValue(AlgebraicValue::F32(-0.0f)),
                           sats::bsatn::EncodeValue(AlgebraicValue::F32(0.0f))));
  std::string a, b;
  AppendHashKey(kind, sats::bsatn::EncodeValue(AlgebraicValue::F32(-0.0f)), a);
  AppendHashKey(kind, sats::bsatn::EncodeValue(AlgebraicValue::F32(0.0f)), b);
  EXPECT_EQ(a, b);
}

TEST(Scalar, SpecialTypesCompareAsTheirField) {
  EXPECT_EQ(ScalarKindOf(AlgebraicType::Identity()), ScalarKind::kU256);
  EXPECT_EQ(ScalarKindOf(AlgebraicType::ConnectionId()), ScalarKind::kU128);
  EXPECT_EQ(ScalarKindOf(AlgebraicType::Timestamp()), ScalarKind::kI64);
  EXPECT_EQ(ScalarKindOf(AlgebraicType::Uuid()), ScalarKind::kU128);
  EXPECT_FALSE(ScalarKindOf(AlgebraicType::Array(AlgebraicType::String())).has_value());
  EXPECT_EQ(Cmp(AlgebraicType::Timestamp(), sats::Timestamp(-5).ToValue(), sats::Timestamp(3).ToValue()), -1);
}

}  // namespace
}  // namespace stdb::sql
