#include "sats/bsatn.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace stdb::sats::bsatn {
namespace {

using T = AlgebraicType;
using V = AlgebraicValue;

Bytes Hex(std::string_view hex) {
  Bytes out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(uint8_t(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

void ExpectRoundTrip(const T& type, const V& value) {
  Bytes b = EncodeValue(value);
  auto decoded = DecodeValue(type, b);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message() << " for " << value.ToString();
  EXPECT_EQ(*decoded, value);
  EXPECT_EQ(EncodeValue(*decoded), b);
  EXPECT_TRUE(ValidateValue(type, b).ok());
  EXPECT_TRUE(CheckValueType(type, value).ok()) << value.ToString() << " vs " << type.ToString();
}

TEST(Bsatn, PrimitiveLayoutIsLittleEndian) {
  EXPECT_EQ(EncodeValue(V::U32(0x01020304)), Hex("04030201"));
  EXPECT_EQ(EncodeValue(V::I16(-2)), Hex("feff"));
  EXPECT_EQ(EncodeValue(V::Bool(true)), Hex("01"));
  EXPECT_EQ(EncodeValue(V::String("ab")), Hex("020000006162"));
  EXPECT_EQ(EncodeValue(V::Bytes({0xde, 0xad})), Hex("02000000dead"));
  EXPECT_EQ(EncodeValue(V::Array({V::U16(1), V::U16(2)})), Hex("0200000001000200"));
  EXPECT_EQ(EncodeValue(V::OptionSome(V::U8(9))), Hex("0009"));
  EXPECT_EQ(EncodeValue(V::OptionNone()), Hex("01"));
  EXPECT_EQ(EncodeValue(V::F64(1.0)), Hex("000000000000f03f"));
  EXPECT_EQ(EncodeValue(V::U128(u128(1) << 64)), Hex("00000000000000000100000000000000"));
}

TEST(Bsatn, RoundTripsEdgeValuesOfEveryPrimitive) {
  ExpectRoundTrip(T::Bool(), V::Bool(false));
  ExpectRoundTrip(T::Bool(), V::Bool(true));
  ExpectRoundTrip(T::I8(), V::I8(INT8_MIN));
  ExpectRoundTrip(T::I8(), V::I8(INT8_MAX));
  ExpectRoundTrip(T::U8(), V::U8(UINT8_MAX));
  ExpectRoundTrip(T::I16(), V::I16(INT16_MIN));
  ExpectRoundTrip(T::U16(), V::U16(UINT16_MAX));
  ExpectRoundTrip(T::I32(), V::I32(INT32_MIN));
  ExpectRoundTrip(T::U32(), V::U32(UINT32_MAX));
  ExpectRoundTrip(T::I64(), V::I64(INT64_MIN));
  ExpectRoundTrip(T::U64(), V::U64(UINT64_MAX));
  ExpectRoundTrip(T::I128(), V::I128(-i128(~u128(0) >> 1) - 1));
  ExpectRoundTrip(T::I128(), V::I128(i128(~u128(0) >> 1)));
  ExpectRoundTrip(T::U128(), V::U128(~u128(0)));
  ExpectRoundTrip(T::U256(), V::U256(U256{{~0ULL, ~0ULL, ~0ULL, ~0ULL}}));
  ExpectRoundTrip(T::I256(), V::I256(I256{{0, 0, 0, 1ULL << 63}}));
  ExpectRoundTrip(T::F32(), V::F32(std::numeric_limits<float>::lowest()));
  ExpectRoundTrip(T::F32(), V::F32(std::numeric_limits<float>::denorm_min()));
  ExpectRoundTrip(T::F64(), V::F64(std::numeric_limits<double>::infinity()));
  ExpectRoundTrip(T::F64(), V::F64(std::numeric_limits<double>::quiet_NaN()));
  ExpectRoundTrip(T::F64(), V::F64(-0.0));
  ExpectRoundTrip(T::String(), V::String(""));
  ExpectRoundTrip(T::String(), V::String("h\xc3\xa9llo \xf0\x9f\x8c\x8d"));
  ExpectRoundTrip(T::Bytes(), V::Bytes({}));
  ExpectRoundTrip(T::Array(T::String()), V::Array({}));
  ExpectRoundTrip(T::Unit(), V::Unit());
}

TEST(Bsatn, RoundTripsNestedValues) {
  T inner = NamedProduct({{"a", T::Option(T::String())}, {"b", T::Array(T::I32())}});
  T outer = NamedProduct({{"id", T::U64()},
                          {"inner", inner},
                          {"choice", NamedSum({{"none", T::Unit()}, {"one", inner}, {"many", T::Array(inner)}})},
                          {"ids", T::Array(T::Identity())}});
  V in1 = V::Product({V::OptionSome(V::String("x")), V::Array({V::I32(1), V::I32(-1)})});
  V in2 = V::Product({V::OptionNone(), V::Array({})});
  ExpectRoundTrip(outer, V::Product({V::U64(5), in1, V::Sum(2, V::Array({in1, in2})),
                                     V::Array({V::Product({V::U256(U256::FromU128(3))})})}));
  ExpectRoundTrip(outer, V::Product({V::U64(0), in2, V::Sum(0, V::Unit()), V::Array({})}));
}

TEST(Bsatn, DecodesRefsThroughTheTypespace) {
  Typespace ts;
  // A recursive list: List = Option<(head: U32, tail: List)>
  ts.types.push_back(T::Option(NamedProduct({{"head", T::U32()}, {"tail", T::Ref(0)}})));
  V list = V::OptionSome(V::Product({V::U32(1), V::OptionSome(V::Product({V::U32(2), V::OptionNone()}))}));
  Bytes b = EncodeValue(list);
  auto decoded = DecodeValue(T::Ref(0), b, &ts);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(*decoded, list);
  EXPECT_FALSE(DecodeValue(T::Ref(0), b).ok());  // no typespace
  EXPECT_FALSE(DecodeValue(T::Ref(3), b, &ts).ok());
}

TEST(Bsatn, RejectsEveryTruncation) {
  T type = NamedProduct({{"a", T::U32()}, {"s", T::String()}, {"o", T::Option(T::I64())}, {"v", T::Array(T::U16())}});
  V value = V::Product({V::U32(1), V::String("hello"), V::OptionSome(V::I64(-7)), V::Array({V::U16(1), V::U16(2)})});
  Bytes b = EncodeValue(value);
  for (size_t n = 0; n < b.size(); ++n) {
    Bytes prefix(b.begin(), b.begin() + long(n));
    auto r = DecodeValue(type, prefix);
    EXPECT_FALSE(r.ok()) << "prefix of " << n << " bytes decoded";
    EXPECT_FALSE(ValidateValue(type, prefix).ok());
  }
}

TEST(Bsatn, RejectsTrailingBytes) {
  Bytes b = EncodeValue(V::U32(1));
  b.push_back(0);
  auto r = DecodeValue(T::U32(), b);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("trailing"), std::string::npos);
  EXPECT_FALSE(ValidateValue(T::U32(), b).ok());
}

TEST(Bsatn, ValidateProductChecksEachElementAndTheEnd) {
  T type = NamedProduct({{"from", T::U32()}, {"to", T::U32()}, {"memo", T::String()}});
  const ProductType& params = type.product();
  Bytes b = EncodeValue(V::Product({V::U32(1), V::U32(2), V::String("rent")}));
  EXPECT_TRUE(ValidateProduct(params, b).ok());
  for (size_t n = 0; n < b.size(); ++n)
    EXPECT_FALSE(ValidateProduct(params, Bytes(b.begin(), b.begin() + long(n))).ok()) << "prefix of " << n << " bytes";
  Bytes longer = b;
  longer.push_back(0);
  Status trailing = ValidateProduct(params, longer);
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.error().message().find("trailing"), std::string::npos);
  Bytes bad_utf8 = EncodeValue(V::Product({V::U32(1), V::U32(2), V::String("ab")}));
  bad_utf8.back() = 0xff;
  EXPECT_FALSE(ValidateProduct(params, bad_utf8).ok());
  EXPECT_TRUE(ValidateProduct(ProductType(), Bytes()).ok());  // no parameters, no bytes
}

TEST(Bsatn, RejectsInvalidBoolTagAndUtf8) {
  auto r = DecodeValue(T::Bool(), Hex("02"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("bool"), std::string::npos);

  r = DecodeValue(T::Option(T::U8()), Hex("0201"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("tag"), std::string::npos);

  for (auto bad : {"02000000c328", "03000000eda080", "02000000c0af", "04000000f4908080"}) {
    r = DecodeValue(T::String(), Hex(bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message().find("UTF-8"), std::string::npos);
    EXPECT_FALSE(ValidateValue(T::String(), Hex(bad)).ok());
  }
}

TEST(Bsatn, RejectsLengthsPastTheEndWithoutAllocating) {
  // A string claiming 4 GiB.
  EXPECT_FALSE(DecodeValue(T::String(), Hex("ffffffff41")).ok());
  // An array of u64 claiming 2^32-1 elements.
  auto r = DecodeValue(T::Array(T::U64()), Hex("ffffffff0000000000000000"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("elements"), std::string::npos);
  // An array of units claiming more than the zero-size cap.
  EXPECT_FALSE(DecodeValue(T::Array(T::Unit()), Hex("ffffffff")).ok());
  auto small = DecodeValue(T::Array(T::Unit()), Hex("03000000"));
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->AsArray().elements.size(), 3u);
}

TEST(Bsatn, LimitsNestingDepth) {
  Typespace ts;
  ts.types.push_back(T::Option(T::Ref(0)));  // Option<Option<Option<...>>>
  Bytes deep(kMaxDepth * 2, 0x00);          // some(some(some(...)))
  deep.push_back(0x01);
  auto r = DecodeValue(T::Ref(0), deep, &ts);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("nesting"), std::string::npos);
  Bytes shallow(10, 0x00);
  shallow.push_back(0x01);
  EXPECT_TRUE(DecodeValue(T::Ref(0), shallow, &ts).ok());
}

TEST(Bsatn, TypeEncodingMatchesTheSpecExamples) {
  // spec/data-layer.md §1.1: the Identity type and Option<String>.
  EXPECT_EQ(EncodeType(T::Identity()), Hex("02010000000" "00c0000005f5f6964656e746974795f5f11"));
  EXPECT_EQ(EncodeType(T::Option(T::String())),
            Hex("0102000000" "0004000000736f6d6504" "0004000000" "6e6f6e65" "0200000000"));
  EXPECT_EQ(EncodeType(T::Array(T::U8())), Hex("0307"));
  EXPECT_EQ(EncodeType(T::Ref(5)), Hex("0005000000"));
}

// --- Random values and types ---------------------------------------------------------------------------------

T RandomType(std::mt19937& rng, int depth) {
  int pick = int(rng() % (depth > 3 ? 16 : 20));
  if (pick < 16) {
    static const TypeTag kPrims[] = {TypeTag::kBool, TypeTag::kI8,   TypeTag::kU8,   TypeTag::kI16,
                                     TypeTag::kU16,  TypeTag::kI32,  TypeTag::kU32,  TypeTag::kI64,
                                     TypeTag::kU64,  TypeTag::kI128, TypeTag::kU128, TypeTag::kI256,
                                     TypeTag::kU256, TypeTag::kF32,  TypeTag::kF64,  TypeTag::kString};
    return T::Primitive(kPrims[pick]);
  }
  if (pick == 16) return T::Array(RandomType(rng, depth + 1));
  if (pick == 17) return T::Bytes();
  if (pick == 18) {
    ProductType p;
    int n = int(rng() % 4);
    for (int i = 0; i < n; ++i) p.elements.push_back({"f" + std::to_string(i), RandomType(rng, depth + 1)});
    return T::Product(p);
  }
  SumType s;
  int n = 1 + int(rng() % 3);
  for (int i = 0; i < n; ++i) s.variants.push_back({"v" + std::to_string(i), RandomType(rng, depth + 1)});
  return T::Sum(s);
}

V RandomValue(const T& t, std::mt19937& rng) {
  auto u64 = [&]() { return (uint64_t(rng()) << 32) | rng(); };
  switch (t.tag()) {
    case TypeTag::kBool: return V::Bool(rng() & 1);
    case TypeTag::kI8: return V::I8(int8_t(rng()));
    case TypeTag::kU8: return V::U8(uint8_t(rng()));
    case TypeTag::kI16: return V::I16(int16_t(rng()));
    case TypeTag::kU16: return V::U16(uint16_t(rng()));
    case TypeTag::kI32: return V::I32(int32_t(rng()));
    case TypeTag::kU32: return V::U32(uint32_t(rng()));
    case TypeTag::kI64: return V::I64(int64_t(u64()));
    case TypeTag::kU64: return V::U64(u64());
    case TypeTag::kI128: return V::I128(i128((u128(u64()) << 64) | u64()));
    case TypeTag::kU128: return V::U128((u128(u64()) << 64) | u64());
    case TypeTag::kI256: return V::I256(I256{{u64(), u64(), u64(), u64()}});
    case TypeTag::kU256: return V::U256(U256{{u64(), u64(), u64(), u64()}});
    case TypeTag::kF32: return V::F32(float(int32_t(rng())) / 7.0f);
    case TypeTag::kF64: return V::F64(double(int64_t(u64())) / 3.0);
    case TypeTag::kString: {
      std::string s(rng() % 12, 'a');
      for (auto& c : s) c = char('a' + rng() % 26);
      return V::String(s);
    }
    case TypeTag::kArray: {
      size_t n = rng() % 4;
      if (t.element().tag() == TypeTag::kU8) {
        Bytes b(n);
        for (auto& x : b) x = uint8_t(rng());
        return V::Bytes(b);
      }
      std::vector<V> els;
      for (size_t i = 0; i < n; ++i) els.push_back(RandomValue(t.element(), rng));
      return V::Array(els);
    }
    case TypeTag::kProduct: {
      std::vector<V> els;
      for (const auto& e : t.product().elements) els.push_back(RandomValue(e.type, rng));
      return V::Product(els);
    }
    case TypeTag::kSum: {
      uint8_t tag = uint8_t(rng() % t.sum().variants.size());
      return V::Sum(tag, RandomValue(t.sum().variants[tag].type, rng));
    }
    case TypeTag::kRef: break;
  }
  return V();
}

TEST(Bsatn, RandomTypesAndValuesRoundTrip) {
  std::mt19937 rng(12345);
  for (int i = 0; i < 2000; ++i) {
    T type = RandomType(rng, 0);
    Bytes tb = EncodeType(type);
    auto decoded_type = DecodeType(tb);
    ASSERT_TRUE(decoded_type.ok()) << decoded_type.error().message();
    ASSERT_EQ(*decoded_type, type) << type.ToString();
    V value = RandomValue(type, rng);
    ExpectRoundTrip(type, value);
    // Every strict prefix of a non-empty encoding fails, or (for fixed-size prefixes) decodes with trailing checks.
    Bytes vb = EncodeValue(value);
    for (size_t n = 0; n < vb.size(); ++n)
      EXPECT_FALSE(ValidateValue(type, ByteSpan(vb.data(), n)).ok());
  }
}

TEST(Bsatn, CheckValueTypeRejectsMismatches) {
  T type = NamedProduct({{"id", T::U32()}, {"name", T::String()}});
  EXPECT_TRUE(CheckValueType(type, V::Product({V::U32(1), V::String("a")})).ok());
  EXPECT_FALSE(CheckValueType(type, V::Product({V::U64(1), V::String("a")})).ok());
  EXPECT_FALSE(CheckValueType(type, V::Product({V::U32(1)})).ok());
  EXPECT_FALSE(CheckValueType(T::Option(T::U8()), V::Sum(2, V::Unit())).ok());
}

TEST(Bsatn, TypeDecoderRejectsBadInput) {
  EXPECT_FALSE(DecodeType(Hex("14")).ok());              // tag 20
  EXPECT_FALSE(DecodeType(Hex("02ffffffff")).ok());      // product with 4G elements
  EXPECT_FALSE(DecodeType(Hex("020100000002")).ok());    // bad option tag for the name
  EXPECT_FALSE(DecodeType(Hex("0b00")).ok());            // trailing byte
  Bytes deep(kMaxDepth + 10, 0x03);                      // Array<Array<...>>
  deep.push_back(0x04);
  EXPECT_FALSE(DecodeType(deep).ok());
}

}  // namespace
}  // namespace stdb::sats::bsatn
