#include "cli/satn_format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "sats/special_types.h"

namespace stdb::cli {

using sats::AlgebraicType;
using sats::AlgebraicValue;
using sats::ProductType;
using sats::ProductTypeElement;
using sats::TypeTag;

namespace {

enum class PrintFmt { kHex, kTimestamp, kDuration, kUuid, kSatn };

bool IsSpecialProduct(const ProductType& p, std::string_view name, TypeTag tag) {
  return p.elements.size() == 1 && p.elements[0].name && *p.elements[0].name == name &&
         p.elements[0].type.tag() == tag;
}
bool IsIdentity(const ProductType& p) { return IsSpecialProduct(p, "__identity__", TypeTag::kU256); }
bool IsConnectionId(const ProductType& p) { return IsSpecialProduct(p, "__connection_id__", TypeTag::kU128); }
bool IsTimestamp(const ProductType& p) {
  return IsSpecialProduct(p, "__timestamp_micros_since_unix_epoch__", TypeTag::kI64);
}
bool IsDuration(const ProductType& p) { return IsSpecialProduct(p, "__time_duration_micros__", TypeTag::kI64); }
bool IsUuid(const ProductType& p) { return IsSpecialProduct(p, "__uuid__", TypeTag::kU128); }

// The reference's PsqlPrintFmt::use_fmt: the enclosing product or the field's own type decides.
PrintFmt UseFmt(const ProductType& tuple, const ProductTypeElement& field) {
  const AlgebraicType& t = field.type;
  if (IsIdentity(tuple) || IsConnectionId(tuple) || t.IsIdentity() || t.IsConnectionId()) return PrintFmt::kHex;
  if (IsTimestamp(tuple) || t.IsTimestamp()) return PrintFmt::kTimestamp;
  if (IsDuration(tuple) || t.IsTimeDuration()) return PrintFmt::kDuration;
  if (IsUuid(tuple) || t.IsUuid()) return PrintFmt::kUuid;
  return PrintFmt::kSatn;
}

void AppendHex(std::string& out, const uint8_t* bytes, size_t n) { out += sats::ToHexLower(bytes, n); }

struct Context {
  const ProductType* tuple;
  const ProductTypeElement* field;
};

void Write(std::string& out, const AlgebraicType& type, const AlgebraicValue& value, Context ctx);

void WriteRecordField(std::string& out, const std::string& name, const AlgebraicType& type,
                      const AlgebraicValue& value, Context ctx) {
  out += name;
  out += " = ";
  Write(out, type, value, ctx);
}

void Write(std::string& out, const AlgebraicType& type, const AlgebraicValue& value, Context ctx) {
  switch (value.kind()) {
    case AlgebraicValue::Kind::kBool:
      out += value.AsBool() ? "true" : "false";
      return;
    case AlgebraicValue::Kind::kI8: out += std::to_string(value.as<int8_t>()); return;
    case AlgebraicValue::Kind::kU8: out += std::to_string(value.as<uint8_t>()); return;
    case AlgebraicValue::Kind::kI16: out += std::to_string(value.as<int16_t>()); return;
    case AlgebraicValue::Kind::kU16: out += std::to_string(value.as<uint16_t>()); return;
    case AlgebraicValue::Kind::kI32: out += std::to_string(value.as<int32_t>()); return;
    case AlgebraicValue::Kind::kU32: out += std::to_string(value.as<uint32_t>()); return;
    case AlgebraicValue::Kind::kU64: out += std::to_string(value.as<uint64_t>()); return;
    case AlgebraicValue::Kind::kI64: {
      int64_t v = value.as<int64_t>();
      switch (UseFmt(*ctx.tuple, *ctx.field)) {
        case PrintFmt::kDuration: out += sats::TimeDuration(v).ToString(); return;
        case PrintFmt::kTimestamp: out += sats::Timestamp(v).ToRfc3339(); return;
        default: out += std::to_string(v); return;
      }
    }
    case AlgebraicValue::Kind::kI128: out += sats::ToDecimal(value.as<sats::i128>()); return;
    case AlgebraicValue::Kind::kU128: {
      sats::u128 v = value.as<sats::u128>();
      switch (UseFmt(*ctx.tuple, *ctx.field)) {
        case PrintFmt::kHex: out += "0x" + sats::ConnectionId(v).ToHex(); return;
        case PrintFmt::kUuid: out += "\"" + sats::Uuid(v).ToString() + "\""; return;
        default: out += sats::ToDecimal(v); return;
      }
    }
    case AlgebraicValue::Kind::kI256: out += sats::ToDecimal(value.as<sats::I256>()); return;
    case AlgebraicValue::Kind::kU256: {
      const sats::U256& v = value.as<sats::U256>();
      if (UseFmt(*ctx.tuple, *ctx.field) == PrintFmt::kHex) {
        out += "0x" + sats::Identity::FromU256(v).ToHex();
      } else {
        out += sats::ToDecimal(v);
      }
      return;
    }
    case AlgebraicValue::Kind::kF32: out += FormatRustFloat(value.as<float>()); return;
    case AlgebraicValue::Kind::kF64: out += FormatRustFloat(value.as<double>()); return;
    case AlgebraicValue::Kind::kString:
      out += '"';
      out += value.AsString();
      out += '"';
      return;
    case AlgebraicValue::Kind::kBytes: {
      const auto& bytes = value.AsBytes();
      out += "0x";
      AppendHex(out, bytes.data(), bytes.size());
      return;
    }
    case AlgebraicValue::Kind::kArray: {
      const AlgebraicType& element = type.IsArray() ? type.element() : type;
      out += '[';
      bool first = true;
      for (const auto& item : value.AsArray().elements) {
        if (!first) out += ", ";
        first = false;
        Write(out, element, item, ctx);
      }
      out += ']';
      return;
    }
    case AlgebraicValue::Kind::kProduct: {
      const auto& fields = value.AsProduct().elements;
      if (!type.IsProduct()) {
        out += value.ToString();
        return;
      }
      const ProductType& product = type.product();
      if (UseFmt(*ctx.tuple, *ctx.field) != PrintFmt::kSatn) {
        // A special type: print its one field with the special format.
        Context inner = ctx;
        if (ctx.field->type.IsProduct() && !ctx.field->type.product().elements.empty())
          inner = Context{&ctx.field->type.product(), &ctx.field->type.product().elements[0]};
        for (size_t i = 0; i < fields.size() && i < product.elements.size(); ++i)
          Write(out, product.elements[i].type, fields[i], inner);
        return;
      }
      out += '(';
      for (size_t i = 0; i < fields.size() && i < product.elements.size(); ++i) {
        if (i > 0) out += ", ";
        const ProductTypeElement& element = product.elements[i];
        WriteRecordField(out, element.name ? *element.name : "col_" + std::to_string(i), element.type, fields[i],
                         Context{&product, &element});
      }
      out += ')';
      return;
    }
    case AlgebraicValue::Kind::kSum: {
      const auto& sum_value = value.AsSum();
      if (!type.IsSum() || sum_value.tag >= type.sum().variants.size()) {
        out += value.ToString();
        return;
      }
      const auto& variant = type.sum().variants[sum_value.tag];
      // The reference formats the payload as the only field of a one-column tuple holding the sum type.
      ProductType holder({ProductTypeElement{std::nullopt, type}});
      out += '(';
      WriteRecordField(out, variant.name ? *variant.name : "col_" + std::to_string(sum_value.tag), variant.type,
                       *sum_value.payload, Context{&holder, &holder.elements[0]});
      out += ')';
      return;
    }
  }
}

// Lays out the shortest round-trip digits of a finite number in plain decimal notation, as Rust's Display does.
std::string PlainDecimal(const char* scientific) {
  // scientific: [-]d[.ddd]e[+-]XX
  std::string_view s(scientific);
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  size_t e = s.find('e');
  std::string digits;
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  int exponent = std::atoi(std::string(s.substr(e + 1)).c_str());
  // value = 0.digits * 10^(exponent + 1)
  int point = exponent + 1;
  std::string out;
  if (point <= 0) {
    out = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(point)) + "." + digits.substr(static_cast<size_t>(point));
  }
  return negative ? "-" + out : out;
}

template <typename F>
std::string FloatDisplay(F value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf) - 1, value, std::chars_format::scientific);
  *end = '\0';
  return PlainDecimal(buf);
}

}  // namespace

std::string FormatPsqlCell(const ProductType& row_type, size_t column, const AlgebraicValue& value) {
  std::string out;
  if (column >= row_type.elements.size()) return value.ToString();
  Write(out, row_type.elements[column].type, value, Context{&row_type, &row_type.elements[column]});
  return out;
}

std::string FormatRustFloat(double value) { return FloatDisplay(value); }
std::string FormatRustFloat(float value) { return FloatDisplay(value); }

std::string FormatDurationDebug(uint64_t micros) {
  constexpr uint64_t kNanosPerSec = 1'000'000'000, kNanosPerMilli = 1'000'000, kNanosPerMicro = 1'000;
  uint64_t secs = micros / 1'000'000;
  uint64_t nanos = (micros % 1'000'000) * 1000;
  uint64_t integer;
  uint64_t fraction;
  uint64_t unit;
  const char* suffix;
  if (secs > 0) {
    integer = secs;
    fraction = nanos;
    unit = kNanosPerSec;
    suffix = "s";
  } else if (nanos >= kNanosPerMilli) {
    integer = nanos / kNanosPerMilli;
    fraction = nanos % kNanosPerMilli;
    unit = kNanosPerMilli;
    suffix = "ms";
  } else if (nanos >= kNanosPerMicro) {
    integer = nanos / kNanosPerMicro;
    fraction = nanos % kNanosPerMicro;
    unit = kNanosPerMicro;
    suffix = "\xC2\xB5s";  // µs
  } else {
    integer = nanos;
    fraction = 0;
    unit = 1;
    suffix = "ns";
  }
  // Two digits, rounded half up on the next digit, as core::fmt does for Duration.
  uint64_t hundredths = fraction * 100 / unit;
  uint64_t next_digit = (fraction * 1000 / unit) % 10;
  if (next_digit >= 5) ++hundredths;
  if (hundredths >= 100) {
    ++integer;
    hundredths -= 100;
  }
  std::string out = std::to_string(integer) + ".";
  if (hundredths < 10) out += '0';
  out += std::to_string(hundredths);
  return out + suffix;
}

}  // namespace stdb::cli
