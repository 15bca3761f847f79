// The SDK's BSATN and SATS types checked against the server's implementation (src/sats): for every SATS type,
// what the SDK writes decodes with sats at the type the SDK declares (and that type is the one the spec gives),
// and what sats writes the SDK reads back to the same C++ value.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <spacetimedb.h>

#include "sats/bsatn.h"
#include "sats/special_types.h"

namespace {

namespace sdk = SpacetimeDB;
using sats_t = stdb::sats::AlgebraicType;
using sats_v = stdb::sats::AlgebraicValue;

template <typename T>
stdb::sats::Bytes SdkBytes(const T& value) {
  return sdk::bsatn::to_bytes(value);
}

stdb::sats::Bytes Encoded(const sdk::bsatn::AlgebraicType& type) {
  sdk::bsatn::Writer w;
  type.encode(w);
  return w.take_buffer();
}

// The SDK's declared type of T, as the server reads it.
template <typename T>
sats_t SdkType() {
  auto decoded = stdb::sats::bsatn::DecodeType(Encoded(sdk::bsatn::algebraic_type_of<T>()));
  EXPECT_TRUE(decoded.ok()) << decoded.error().message();
  return decoded.ok() ? *decoded : sats_t();
}

// SDK value -> BSATN -> sats value at the SDK's declared type, which must be `expected_type`; then the same
// bytes back through the SDK.
template <typename T>
void ExpectAgreement(const T& value, const sats_t& expected_type, const sats_v& expected_value) {
  const sats_t declared = SdkType<T>();
  EXPECT_EQ(declared, expected_type) << declared.ToString() << " vs " << expected_type.ToString();
  const stdb::sats::Bytes bytes = SdkBytes(value);
  auto decoded = stdb::sats::bsatn::DecodeValue(declared, bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(*decoded, expected_value) << decoded->ToString() << " vs " << expected_value.ToString();
  EXPECT_EQ(stdb::sats::bsatn::EncodeValue(expected_value), bytes);
  const std::optional<T> back = sdk::bsatn::from_bytes<T>(stdb::sats::bsatn::EncodeValue(expected_value));
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(*back == value);
}

TEST(SdkBsatn, Bool) {
  ExpectAgreement(true, sats_t::Bool(), sats_v::Bool(true));
  ExpectAgreement(false, sats_t::Bool(), sats_v::Bool(false));
  EXPECT_FALSE(sdk::bsatn::from_bytes<bool>(std::vector<uint8_t>{2}).has_value());
}

TEST(SdkBsatn, FixedWidthIntegers) {
  ExpectAgreement<uint8_t>(0xfe, sats_t::U8(), sats_v::U8(0xfe));
  ExpectAgreement<int8_t>(-128, sats_t::I8(), sats_v::I8(-128));
  ExpectAgreement<uint16_t>(0xbeef, sats_t::U16(), sats_v::U16(0xbeef));
  ExpectAgreement<int16_t>(-12345, sats_t::I16(), sats_v::I16(-12345));
  ExpectAgreement<uint32_t>(0xdeadbeef, sats_t::U32(), sats_v::U32(0xdeadbeef));
  ExpectAgreement<int32_t>(std::numeric_limits<int32_t>::min(), sats_t::I32(), sats_v::I32(std::numeric_limits<int32_t>::min()));
  ExpectAgreement<uint64_t>(0x0123456789abcdefULL, sats_t::U64(), sats_v::U64(0x0123456789abcdefULL));
  ExpectAgreement<int64_t>(-1, sats_t::I64(), sats_v::I64(-1));
  // Every integer type maps by width and signedness.
  EXPECT_EQ(SdkType<char32_t>(), sats_t::U32());
  EXPECT_EQ(SdkType<long long>(), sats_t::I64());
  EXPECT_EQ(SdkType<unsigned short>(), sats_t::U16());
}

TEST(SdkBsatn, WideIntegers) {
  const sdk::u128 u(0x0102030405060708ULL, 0x090a0b0c0d0e0f10ULL);
  ExpectAgreement(u, sats_t::U128(), sats_v::U128((stdb::sats::u128(0x0102030405060708ULL) << 64) | 0x090a0b0c0d0e0f10ULL));
  const sdk::i128 i(-5);
  ExpectAgreement(i, sats_t::I128(), sats_v::I128(-5));
  ExpectAgreement(sdk::i128(std::numeric_limits<int64_t>::min(), 0), sats_t::I128(),
                  sats_v::I128(std::numeric_limits<stdb::sats::i128>::min()));

  const sdk::u256 big(0xffffffffffffffffULL, 2, 3, 4);
  stdb::sats::U256 expected_big;
  expected_big.w = {4, 3, 2, 0xffffffffffffffffULL};
  ExpectAgreement(big, sats_t::U256(), sats_v::U256(expected_big));
  ExpectAgreement(sdk::i256::from_i64(-2), sats_t::I256(), sats_v::I256(stdb::sats::I256::FromI128(-2)));
}

TEST(SdkBsatn, Floats) {
  ExpectAgreement(1.5f, sats_t::F32(), sats_v::F32(1.5f));
  ExpectAgreement(-0.1, sats_t::F64(), sats_v::F64(-0.1));
  const auto nan_bytes = SdkBytes(std::numeric_limits<double>::quiet_NaN());
  auto decoded = stdb::sats::bsatn::DecodeValue(sats_t::F64(), nan_bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(std::isnan(decoded->as<double>()));
}

TEST(SdkBsatn, Strings) {
  ExpectAgreement(std::string(""), sats_t::String(), sats_v::String(""));
  ExpectAgreement(std::string("h\xc3\xa9llo, w\xc3\xb6rld"), sats_t::String(), sats_v::String("h\xc3\xa9llo, w\xc3\xb6rld"));
  // Length prefix larger than the data.
  EXPECT_FALSE(sdk::bsatn::from_bytes<std::string>(std::vector<uint8_t>{9, 0, 0, 0, 'a'}).has_value());
}

TEST(SdkBsatn, Arrays) {
  ExpectAgreement(std::vector<uint8_t>{1, 2, 3}, sats_t::Bytes(), sats_v::Bytes({1, 2, 3}));
  ExpectAgreement(std::vector<std::string>{"a", "bc"}, sats_t::Array(sats_t::String()),
                  sats_v::Array({sats_v::String("a"), sats_v::String("bc")}));
  ExpectAgreement(std::vector<std::vector<int16_t>>{{1}, {}, {-2, 3}}, sats_t::Array(sats_t::Array(sats_t::I16())),
                  sats_v::Array({sats_v::Array({sats_v::I16(1)}), sats_v::Array({}),
                                 sats_v::Array({sats_v::I16(-2), sats_v::I16(3)})}));
  EXPECT_FALSE(sdk::bsatn::from_bytes<std::vector<uint32_t>>(std::vector<uint8_t>{2, 0, 0, 0, 1, 0, 0, 0}).has_value());
}

TEST(SdkBsatn, OptionsAreSomeZeroNoneOne) {
  ExpectAgreement(std::optional<int32_t>(7), sats_t::Option(sats_t::I32()), sats_v::OptionSome(sats_v::I32(7)));
  ExpectAgreement(std::optional<int32_t>(), sats_t::Option(sats_t::I32()), sats_v::OptionNone());
  ExpectAgreement(std::optional<std::vector<std::string>>(std::vector<std::string>{"x"}),
                  sats_t::Option(sats_t::Array(sats_t::String())),
                  sats_v::OptionSome(sats_v::Array({sats_v::String("x")})));
  EXPECT_FALSE(sdk::bsatn::from_bytes<std::optional<int8_t>>(std::vector<uint8_t>{2}).has_value());
}

TEST(SdkBsatn, ResultIsOkZeroErrOne) {
  using R = sdk::Result<uint32_t, std::string>;
  const sats_t type = sats_t::Result(sats_t::U32(), sats_t::String());
  ExpectAgreement(R::ok(9), type, sats_v::Sum(0, sats_v::U32(9)));
  ExpectAgreement(R::err("bad"), type, sats_v::Sum(1, sats_v::String("bad")));
}

TEST(SdkBsatn, Unit) { ExpectAgreement(std::monostate{}, sats_t::Unit(), sats_v::Unit()); }

TEST(SdkBsatn, IdentityIs32LittleEndianBytes) {
  sdk::Identity::ByteArray bytes{};
  for (int i = 0; i < 32; ++i) bytes[i] = static_cast<uint8_t>(i * 7);
  const sdk::Identity id(bytes);
  ExpectAgreement(id, sats_t::Identity(), stdb::sats::Identity::FromLittleEndian(bytes.data()).ToValue());
  EXPECT_EQ(id.to_hex_string(), stdb::sats::Identity::FromLittleEndian(bytes.data()).ToHex());
}

TEST(SdkBsatn, ConnectionId) {
  const sdk::ConnectionId id(sdk::u128(0xaabbccddeeff0011ULL, 0x2233445566778899ULL));
  const stdb::sats::ConnectionId expected((stdb::sats::u128(0xaabbccddeeff0011ULL) << 64) | 0x2233445566778899ULL);
  ExpectAgreement(id, sats_t::ConnectionId(), expected.ToValue());
  EXPECT_EQ(id.to_hex_string(), expected.ToHex());
}

TEST(SdkBsatn, TimestampAndTimeDuration) {
  ExpectAgreement(sdk::Timestamp(1700000000123456), sats_t::Timestamp(),
                  stdb::sats::Timestamp(1700000000123456).ToValue());
  ExpectAgreement(sdk::TimeDuration::from_millis(-1500), sats_t::TimeDuration(),
                  stdb::sats::TimeDuration(-1500000).ToValue());
}

TEST(SdkBsatn, Uuid) {
  const auto parsed = sdk::Uuid::parse_str("0189fb4e-7c1a-7d4c-8e2f-112233445566");
  ASSERT_TRUE(parsed.has_value());
  auto expected = stdb::sats::Uuid::Parse("0189fb4e-7c1a-7d4c-8e2f-112233445566");
  ASSERT_TRUE(expected.has_value());
  ExpectAgreement(*parsed, sats_t::Uuid(), expected->ToValue());
  EXPECT_EQ(parsed->to_string(), "0189fb4e-7c1a-7d4c-8e2f-112233445566");
}

TEST(SdkBsatn, ScheduleAtIsIntervalZeroTimeOne) {
  ExpectAgreement(sdk::ScheduleAt(sdk::TimeDuration::from_seconds(5)), sats_t::ScheduleAt(),
                  sats_v::Sum(0, stdb::sats::TimeDuration(5000000).ToValue()));
  ExpectAgreement(sdk::ScheduleAt(sdk::Timestamp(42)), sats_t::ScheduleAt(),
                  sats_v::Sum(1, stdb::sats::Timestamp(42).ToValue()));
}

// Product and sum types are described structurally exactly as the spec's meta-type encodes them.
TEST(SdkBsatn, TypeEncodingMatchesSats) {
  const sats_t sats_type = sats_t::Product(stdb::sats::ProductType(
      {{"a", sats_t::Array(sats_t::Option(sats_t::U8()))}, {std::nullopt, sats_t::Ref(3)}}));
  const auto sdk_type = sdk::bsatn::AlgebraicType::make_product(
      sdk::bsatn::NamedTypeListBuilder()
          .add("a", sdk::bsatn::AlgebraicType::make_array(sdk::bsatn::AlgebraicType::option(sdk::bsatn::AlgebraicType::U8())))
          .add(std::nullopt, sdk::bsatn::AlgebraicType::make_ref(3))
          .build());
  EXPECT_EQ(Encoded(sdk_type), stdb::sats::bsatn::EncodeType(sats_type));
}

}  // namespace
