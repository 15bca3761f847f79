// Golden strings of the reference's psql value formatting (crates/sats/src/satn.rs, crates/cli sql tests,
// crates/smoketests/tests/cluster/sql.rs).
#include "cli/satn_format.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "sats/special_types.h"

namespace stdb::cli {
namespace {

using sats::AlgebraicType;
using sats::AlgebraicValue;
using sats::ProductType;

std::string Cell(const AlgebraicType& type, const AlgebraicValue& value) {
  ProductType row({sats::ProductTypeElement{std::string("c"), type}});
  return FormatPsqlCell(row, 0, value);
}

TEST(SatnFormatTest, Integers) {
  EXPECT_EQ(Cell(AlgebraicType::I8(), AlgebraicValue::I8(-25)), "-25");
  EXPECT_EQ(Cell(AlgebraicType::U16(), AlgebraicValue::U16(1050)), "1050");
  EXPECT_EQ(Cell(AlgebraicType::I64(), AlgebraicValue::I64(-2344353)), "-2344353");
  EXPECT_EQ(Cell(AlgebraicType::U64(), AlgebraicValue::U64(18446744073709551615ull)), "18446744073709551615");
  EXPECT_EQ(Cell(AlgebraicType::I128(), AlgebraicValue::I128(-234434897853)), "-234434897853");
  EXPECT_EQ(Cell(AlgebraicType::U128(), AlgebraicValue::U128(4378528978889)), "4378528978889");
  EXPECT_EQ(Cell(AlgebraicType::I256(), AlgebraicValue::I256(sats::I256::FromI128(-234434897853))), "-234434897853");
  EXPECT_EQ(Cell(AlgebraicType::U256(), AlgebraicValue::U256(sats::U256::FromU128(0))), "0");
  EXPECT_EQ(Cell(AlgebraicType::Bool(), AlgebraicValue::Bool(true)), "true");
}

TEST(SatnFormatTest, FloatsLikeRustDisplay) {
  EXPECT_EQ(FormatRustFloat(594806.56f), "594806.56");
  EXPECT_EQ(FormatRustFloat(-3454353.345389043), "-3454353.345389043");
  EXPECT_EQ(FormatRustFloat(1.0), "1");
  EXPECT_EQ(FormatRustFloat(-0.0), "-0");
  EXPECT_EQ(FormatRustFloat(0.1), "0.1");
  EXPECT_EQ(FormatRustFloat(1e21), "1000000000000000000000");
  EXPECT_EQ(FormatRustFloat(1.5e-7), "0.00000015");
  EXPECT_EQ(FormatRustFloat(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatRustFloat(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(FormatRustFloat(0.3f), "0.3");
  EXPECT_EQ(Cell(AlgebraicType::F32(), AlgebraicValue::F32(594806.56f)), "594806.56");
}

TEST(SatnFormatTest, StringsAndBytes) {
  EXPECT_EQ(Cell(AlgebraicType::String(), AlgebraicValue::String("This is spacetimedb")), "\"This is spacetimedb\"");
  EXPECT_EQ(Cell(AlgebraicType::Bytes(), AlgebraicValue::Bytes({1, 2, 3, 4, 5, 6, 7})), "0x01020304050607");
}

TEST(SatnFormatTest, SpecialTypes) {
  uint8_t one[32] = {};
  one[31] = 1;
  EXPECT_EQ(Cell(AlgebraicType::Identity(), sats::Identity::FromBigEndian(one).ToValue()),
            "0x0000000000000000000000000000000000000000000000000000000000000001");
  EXPECT_EQ(Cell(AlgebraicType::ConnectionId(), sats::ConnectionId(0).ToValue()), "0x00000000000000000000000000000000");
  EXPECT_EQ(Cell(AlgebraicType::Timestamp(), sats::Timestamp(0).ToValue()), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(Cell(AlgebraicType::TimeDuration(), sats::TimeDuration(0).ToValue()), "+0.000000");
  EXPECT_EQ(Cell(AlgebraicType::TimeDuration(), sats::TimeDuration(-1500000).ToValue()), "-1.500000");
  EXPECT_EQ(Cell(AlgebraicType::Uuid(), sats::Uuid(0).ToValue()), "\"00000000-0000-0000-0000-000000000000\"");
}

TEST(SatnFormatTest, SumsAndProducts) {
  EXPECT_EQ(Cell(AlgebraicType::Option(AlgebraicType::Bool()), AlgebraicValue::OptionSome(AlgebraicValue::Bool(true))),
            "(some = true)");
  EXPECT_EQ(Cell(AlgebraicType::Option(AlgebraicType::Bool()), AlgebraicValue::OptionNone()), "(none = ())");
  EXPECT_EQ(Cell(AlgebraicType::Result(AlgebraicType::Bool(), AlgebraicType::String()),
                 AlgebraicValue::Sum(0, AlgebraicValue::Bool(false))),
            "(ok = false)");
  AlgebraicType action = sats::NamedSum({{"inactive", AlgebraicType::Unit()}, {"active", AlgebraicType::Unit()}});
  EXPECT_EQ(Cell(action, AlgebraicValue::Sum(1, AlgebraicValue::Unit())), "(active = ())");
  AlgebraicType unnamed_sum = AlgebraicType::Sum(sats::SumType({{std::nullopt, AlgebraicType::U8()}}));
  EXPECT_EQ(Cell(unnamed_sum, AlgebraicValue::Sum(0, AlgebraicValue::U8(7))), "(col_0 = 7)");
  AlgebraicType point = sats::NamedProduct({{"x", AlgebraicType::I32()}, {"y", AlgebraicType::I32()}});
  EXPECT_EQ(Cell(point, AlgebraicValue::Product({AlgebraicValue::I32(1), AlgebraicValue::I32(-2)})), "(x = 1, y = -2)");
  // Special types nested in a sum keep their field name but format the value specially.
  EXPECT_EQ(Cell(AlgebraicType::Option(AlgebraicType::Timestamp()),
                 AlgebraicValue::OptionSome(sats::Timestamp(0).ToValue())),
            "(some = (__timestamp_micros_since_unix_epoch__ = 1970-01-01T00:00:00+00:00))");
}

TEST(SatnFormatTest, ArraysAreListed) {
  EXPECT_EQ(Cell(AlgebraicType::Array(AlgebraicType::U32()),
                 AlgebraicValue::Array({AlgebraicValue::U32(1), AlgebraicValue::U32(2)})),
            "[1, 2]");
  EXPECT_EQ(Cell(AlgebraicType::Array(AlgebraicType::String()), AlgebraicValue::Array({})), "[]");
}

TEST(SatnFormatTest, DurationsLikeRustDebugWithTwoDecimals) {
  EXPECT_EQ(FormatDurationDebug(1000), "1.00ms");
  EXPECT_EQ(FormatDurationDebug(0), "0.00ns");
  EXPECT_EQ(FormatDurationDebug(12), "12.00\xC2\xB5s");
  EXPECT_EQ(FormatDurationDebug(1500000), "1.50s");
  EXPECT_EQ(FormatDurationDebug(1234), "1.23ms");
  EXPECT_EQ(FormatDurationDebug(1235), "1.24ms");  // the next digit rounds half up
  EXPECT_EQ(FormatDurationDebug(999999), "1000.00ms");
}

}  // namespace
}  // namespace stdb::cli
