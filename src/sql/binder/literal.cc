#include "sql/binder/literal.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "sats/special_types.h"
#include "sats/wide_int.h"

namespace stdb::sql {

namespace {

using sats::AlgebraicType;
using sats::AlgebraicValue;
using sats::TypeTag;
using sats::U256;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The magnitude and sign of an integer literal, or why it is not one.
struct IntegerText {
  bool negative = false;
  U256 magnitude;
};

Result<IntegerText> ParseIntegerMagnitude(std::string_view text) {
  auto fail = [&](const std::string& why) { return Error(ErrorCode::kInvalidArgument, why); };
  IntegerText out;
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    out.negative = text[i] == '-';
    ++i;
  }
  std::string_view body = text.substr(i);
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    auto mag = sats::ParseU256Magnitude(body);
    if (!mag) return fail("not a valid hexadecimal integer or too large");
    out.magnitude = *mag;
    return out;
  }
  std::string digits;
  size_t int_digits = 0, frac_digits = 0;
  while (i < text.size() && IsDigit(text[i])) {
    digits.push_back(text[i++]);
    ++int_digits;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) {
      digits.push_back(text[i++]);
      ++frac_digits;
    }
  }
  if (int_digits + frac_digits == 0) return fail("not a number");
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i >= text.size() || !IsDigit(text[i])) return fail("not a number (malformed exponent)");
    while (i < text.size() && IsDigit(text[i])) {
      // Saturate: any exponent this large already overflows (or underflows to a fraction).
      if (exponent < 1000000) exponent = exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return fail("not a number");
  // value = digits * 10^(exponent - frac_digits)
  int64_t scale = exponent - int64_t(frac_digits);
  size_t first_nonzero = digits.find_first_not_of('0');
  if (first_nonzero == std::string::npos) return out;  // zero, whatever the exponent
  digits.erase(0, first_nonzero);
  if (scale < 0) {
    size_t drop = size_t(-scale);
    if (drop >= digits.size()) return fail("not an integer");
    for (size_t k = digits.size() - drop; k < digits.size(); ++k)
      if (digits[k] != '0') return fail("not an integer");
    digits.resize(digits.size() - drop);
  } else if (scale > 0) {
    if (digits.size() + size_t(scale) > 80) return fail("too large");
    digits.append(size_t(scale), '0');
  }
  auto mag = sats::ParseU256Magnitude(digits);
  if (!mag) return fail("too large");
  out.magnitude = *mag;
  return out;
}

// 2^bits - 1 for bits <= 256, as U256.
U256 MaxUnsigned(int bits) {
  U256 v;
  for (int w = 0; w < 4; ++w) {
    int lo = w * 64;
    if (bits >= lo + 64) v.w[size_t(w)] = ~uint64_t{0};
    else if (bits > lo) v.w[size_t(w)] = (uint64_t{1} << (bits - lo)) - 1;
  }
  return v;
}

U256 PlusOne(U256 v) {
  for (auto& w : v.w)
    if (++w != 0) break;
  return v;
}

int BitsOf(TypeTag tag) {
  switch (tag) {
    case TypeTag::kI8: case TypeTag::kU8: return 8;
    case TypeTag::kI16: case TypeTag::kU16: return 16;
    case TypeTag::kI32: case TypeTag::kU32: return 32;
    case TypeTag::kI64: case TypeTag::kU64: return 64;
    case TypeTag::kI128: case TypeTag::kU128: return 128;
    default: return 256;
  }
}

bool IsSignedTag(TypeTag tag) {
  switch (tag) {
    case TypeTag::kI8: case TypeTag::kI16: case TypeTag::kI32: case TypeTag::kI64: case TypeTag::kI128:
    case TypeTag::kI256:
      return true;
    default:
      return false;
  }
}

// A number in the grammar of SQL numeric literals (sign, digits, fraction, exponent), for float parsing, which
// must not accept what strtod also would ("inf", "nan", hex floats).
bool IsDecimalText(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < text.size() && IsDigit(text[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == text.size();
}

std::string_view StripHexPrefix(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) return text.substr(2);
  return text;
}

Result<AlgebraicValue> ParseBytes(std::string_view text) {
  std::string_view digits = StripHexPrefix(text);
  if (digits.size() % 2 != 0) return Error(ErrorCode::kInvalidArgument, "an odd number of hex digits");
  std::vector<uint8_t> bytes(digits.size() / 2);
  if (!sats::ParseHexBytes(digits, bytes.data(), bytes.size()))
    return Error(ErrorCode::kInvalidArgument, "not a hex string");
  return AlgebraicValue::Bytes(std::move(bytes));
}

// The value of the literal text `text` as `type` (the Num/Str/Hex case of §4.3); the error says why not.
Result<AlgebraicValue> ParseText(const std::string& text, const AlgebraicType& type, bool is_hex) {
  auto fail = [](const std::string& why) { return Error(ErrorCode::kInvalidArgument, why); };
  if (type.IsInteger()) return ParseIntegerText(is_hex ? "0x" + text : text, type.tag());
  if (type.IsFloat()) {
    if (is_hex || !IsDecimalText(text)) return fail("not a decimal number");
    errno = 0;
    if (type.tag() == TypeTag::kF32) return AlgebraicValue::F32(std::strtof(text.c_str(), nullptr));
    return AlgebraicValue::F64(std::strtod(text.c_str(), nullptr));
  }
  if (type.IsString()) return AlgebraicValue::String(text);
  if (type.IsBool()) {
    if (text == "true") return AlgebraicValue::Bool(true);
    if (text == "false") return AlgebraicValue::Bool(false);
    return fail("not true or false");
  }
  if (type.IsBytes()) return ParseBytes(text);
  if (type.IsIdentity()) {
    auto id = sats::Identity::FromHex(text);
    if (!id) return fail("an Identity is 64 hex digits");
    return id->ToValue();
  }
  if (type.IsConnectionId()) {
    auto id = sats::ConnectionId::FromHex(text);
    if (!id) return fail("a ConnectionId is 32 hex digits");
    return id->ToValue();
  }
  if (type.IsTimestamp()) {
    auto ts = sats::Timestamp::ParseRfc3339(text);
    if (!ts) return fail("not an RFC 3339 timestamp");
    return ts->ToValue();
  }
  if (type.IsUuid()) {
    auto uuid = sats::Uuid::Parse(text);
    if (!uuid) return fail("not a UUID");
    return uuid->ToValue();
  }
  return Error(ErrorCode::kUnsupported, "Literal values for type " + type.ToString() + " are not supported");
}

}  // namespace

Result<AlgebraicValue> ParseIntegerText(const std::string& text, TypeTag tag) {
  auto parsed = ParseIntegerMagnitude(text);
  if (!parsed.ok()) return std::move(parsed).error();
  const IntegerText& n = *parsed;
  int bits = BitsOf(tag);
  bool is_signed = IsSignedTag(tag);
  auto out_of_range = [&] {
    return Error(ErrorCode::kInvalidArgument, "out of range for " + AlgebraicType::Primitive(tag).ToString());
  };
  if (n.negative && n.magnitude.IsZero()) return ParseIntegerText("0", tag);
  if (!is_signed) {
    if (n.negative) return out_of_range();
    if (n.magnitude > MaxUnsigned(bits)) return out_of_range();
  } else {
    U256 max_positive = MaxUnsigned(bits - 1);
    if (n.negative ? n.magnitude > PlusOne(max_positive) : n.magnitude > max_positive) return out_of_range();
  }
  if (bits == 256) {
    if (!is_signed) return AlgebraicValue::U256(n.magnitude);
    sats::I256 v{n.magnitude.w};
    return AlgebraicValue::I256(n.negative ? sats::Negate(v) : v);
  }
  sats::u128 mag = *sats::ToU128(n.magnitude);
  // Two's complement of the magnitude gives the negative value, including the minimum.
  sats::u128 bits_value = n.negative ? ~mag + 1 : mag;
  switch (tag) {
    case TypeTag::kU8: return AlgebraicValue::U8(uint8_t(mag));
    case TypeTag::kU16: return AlgebraicValue::U16(uint16_t(mag));
    case TypeTag::kU32: return AlgebraicValue::U32(uint32_t(mag));
    case TypeTag::kU64: return AlgebraicValue::U64(uint64_t(mag));
    case TypeTag::kU128: return AlgebraicValue::U128(mag);
    case TypeTag::kI8: return AlgebraicValue::I8(int8_t(uint8_t(bits_value)));
    case TypeTag::kI16: return AlgebraicValue::I16(int16_t(uint16_t(bits_value)));
    case TypeTag::kI32: return AlgebraicValue::I32(int32_t(uint32_t(bits_value)));
    case TypeTag::kI64: return AlgebraicValue::I64(int64_t(uint64_t(bits_value)));
    case TypeTag::kI128: return AlgebraicValue::I128(sats::i128(bits_value));
    default: return Error(ErrorCode::kInternal, "not an integer type");
  }
}

bool IsComparableType(const AlgebraicType& type) {
  return type.IsBool() || type.IsInteger() || type.IsFloat() || type.IsString() || type.IsBytes() ||
         type.IsIdentity() || type.IsConnectionId() || type.IsTimestamp() || type.IsUuid();
}

Result<AlgebraicValue> LiteralToValue(const parser::Literal& literal, const AlgebraicType& type,
                                      LiteralContext context) {
  using Kind = parser::Literal::Kind;
  auto mismatch = [&](const char* literal_type) {
    return Error(ErrorCode::kInvalidArgument, std::string("Unexpected type: a ") + literal_type +
                                                  " literal cannot be used as " + type.ToString() + " (" +
                                                  literal.ToSql() + " at " + literal.pos.ToString() + ")");
  };
  if (literal.kind == Kind::kBool) {
    if (!type.IsBool()) return mismatch("Bool");
    return AlgebraicValue::Bool(literal.bool_value);
  }
  if (context == LiteralContext::kAssignment && literal.kind == Kind::kString && !type.IsString())
    return mismatch("String");
  auto value = ParseText(literal.text, type, literal.kind == Kind::kHex);
  if (!value.ok()) {
    if (value.error().code() == ErrorCode::kUnsupported)
      return Error(ErrorCode::kUnsupported, value.error().message() + " (" + literal.ToSql() + " at " +
                                                literal.pos.ToString() + ")");
    return Error(ErrorCode::kInvalidArgument, "The literal " + literal.ToSql() + " cannot be parsed as type " +
                                                  type.ToString() + ": " + value.error().message() + " at " +
                                                  literal.pos.ToString());
  }
  return value;
}

}  // namespace stdb::sql
