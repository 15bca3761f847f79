#include "sats/bsatn.h"

#include "sats/utf8.h"

namespace stdb::sats::bsatn {

// --- Reader ----------------------------------------------------------------------------------------------------

void Reader::Fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  p_ = end_;  // stop all further reads
}

void Reader::TakePastEnd(void* out, size_t n, const char* what) {
  if (ok())
    Fail(std::string("unexpected end of input reading ") + what + " at offset " + std::to_string(offset()) +
         " (need " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left)");
  std::memset(out, 0, n);
}

bool Reader::Bool() {
  size_t at = offset();
  uint8_t b = U8();
  if (b > 1) Fail("invalid bool byte " + std::to_string(b) + " at offset " + std::to_string(at));
  return b == 1;
}

ByteSpan Reader::RawPastEnd(size_t n, const char* what) {
  if (ok())
    Fail(std::string("length of ") + what + " at offset " + std::to_string(offset()) + " is " + std::to_string(n) +
         " but only " + std::to_string(remaining()) + " bytes remain");
  return {};
}

std::string_view Reader::StringView() {
  size_t at = offset();
  uint32_t n = U32();
  ByteSpan b = Raw(n, "string");
  if (!ok()) return {};
  if (!IsValidUtf8(b.data(), b.size())) {
    Fail("invalid UTF-8 in string at offset " + std::to_string(at));
    return {};
  }
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

ByteSpan Reader::ByteArray() {
  uint32_t n = U32();
  return Raw(n, "byte array");
}

uint32_t Reader::ArrayLength(size_t min_element_size, const char* what) {
  size_t at = offset();
  uint32_t n = U32();
  if (!ok()) return 0;
  if (min_element_size == 0) {
    if (n > kMaxZeroSizeElements)
      Fail(std::string(what) + " at offset " + std::to_string(at) + " claims " + std::to_string(n) +
           " zero-size elements (limit " + std::to_string(kMaxZeroSizeElements) + ")");
  } else if (uint64_t(n) * min_element_size > remaining()) {
    Fail(std::string(what) + " at offset " + std::to_string(at) + " claims " + std::to_string(n) +
         " elements but only " + std::to_string(remaining()) + " bytes remain");
  }
  return ok() ? n : 0;
}

// --- Values ----------------------------------------------------------------------------------------------------

namespace {

const AlgebraicType* ResolveOrFail(const AlgebraicType& type, const Typespace* ts, Reader& r) {
  if (!type.IsRef()) return &type;
  if (!ts) {
    r.Fail("type reference " + std::to_string(type.ref()) + " cannot be resolved without a typespace");
    return nullptr;
  }
  auto resolved = ts->Resolve(type);
  if (!resolved.ok()) {
    r.Fail(resolved.error().message());
    return nullptr;
  }
  return *resolved;
}

// A lower bound of the encoded size of any value of `type`, used to reject impossible array lengths early.
size_t MinSize(const AlgebraicType& type, const Typespace* ts, int depth) {
  if (depth > 8) return 0;
  switch (type.tag()) {
    case TypeTag::kRef: {
      if (!ts) return 0;
      auto resolved = ts->Resolve(type);
      return resolved.ok() ? MinSize(**resolved, ts, depth + 1) : 0;
    }
    case TypeTag::kString: case TypeTag::kArray: return 4;
    case TypeTag::kProduct: {
      size_t total = 0;
      for (const auto& e : type.product().elements) total += MinSize(e.type, ts, depth + 1);
      return total;
    }
    case TypeTag::kSum: {
      if (type.sum().variants.empty()) return 1;
      size_t best = SIZE_MAX;
      for (const auto& v : type.sum().variants) best = std::min(best, MinSize(v.type, ts, depth + 1));
      return 1 + best;
    }
    default: return *type.FixedBsatnSize();
  }
}

void CheckDepth(int depth, Reader& r) {
  if (depth > kMaxDepth) r.Fail("value nesting deeper than " + std::to_string(kMaxDepth) + " levels");
}

uint8_t ReadSumTag(const SumType& sum, Reader& r) {
  size_t at = r.offset();
  uint8_t tag = r.U8();
  if (r.ok() && tag >= sum.variants.size())
    r.Fail("invalid sum tag " + std::to_string(tag) + " at offset " + std::to_string(at) + " (type has " +
           std::to_string(sum.variants.size()) + " variants)");
  return tag;
}

// Decodes into `out` in place (a default-constructed value): elements are built where they finally live instead of
// being returned and then moved into their parent.
void DecodeRec(const AlgebraicType& declared, const Typespace* ts, Reader& r, int depth, AlgebraicValue& out) {
  const AlgebraicType* type = ResolveOrFail(declared, ts, r);
  if (!type || !r.ok()) return;
  AlgebraicValue::Storage& v = out.storage();
  switch (type->tag()) {
    case TypeTag::kBool: v.emplace<bool>(r.Bool()); return;
    case TypeTag::kI8: v.emplace<int8_t>(r.I8()); return;
    case TypeTag::kU8: v.emplace<uint8_t>(r.U8()); return;
    case TypeTag::kI16: v.emplace<int16_t>(r.I16()); return;
    case TypeTag::kU16: v.emplace<uint16_t>(r.U16()); return;
    case TypeTag::kI32: v.emplace<int32_t>(r.I32()); return;
    case TypeTag::kU32: v.emplace<uint32_t>(r.U32()); return;
    case TypeTag::kI64: v.emplace<int64_t>(r.I64()); return;
    case TypeTag::kU64: v.emplace<uint64_t>(r.U64()); return;
    case TypeTag::kI128: v.emplace<i128>(r.I128()); return;
    case TypeTag::kU128: v.emplace<u128>(r.U128()); return;
    case TypeTag::kI256: v.emplace<I256>(r.I256()); return;
    case TypeTag::kU256: v.emplace<U256>(r.U256()); return;
    case TypeTag::kF32: v.emplace<float>(r.F32()); return;
    case TypeTag::kF64: v.emplace<double>(r.F64()); return;
    case TypeTag::kString: v.emplace<std::string>(r.StringView()); return;
    case TypeTag::kArray: {
      const AlgebraicType& elem = type->element();
      if (elem.tag() == TypeTag::kU8) {
        ByteSpan b = r.ByteArray();
        v.emplace<BytesValue>(BytesValue{Bytes(b.begin(), b.end())});
        return;
      }
      CheckDepth(depth + 1, r);
      uint32_t n = r.ArrayLength(MinSize(elem, ts, 0), "array");
      auto& elems = v.emplace<ArrayValue>().elements;
      elems.reserve(n);
      for (uint32_t i = 0; i < n && r.ok(); ++i) DecodeRec(elem, ts, r, depth + 1, elems.emplace_back());
      return;
    }
    case TypeTag::kProduct: {
      const auto& els = type->product().elements;
      CheckDepth(depth + 1, r);
      auto& fields = v.emplace<ProductValue>().elements;
      fields.reserve(els.size());
      for (const auto& e : els) {
        if (!r.ok()) break;
        DecodeRec(e.type, ts, r, depth + 1, fields.emplace_back());
      }
      return;
    }
    case TypeTag::kSum: {
      const SumType& sum = type->sum();
      CheckDepth(depth + 1, r);
      uint8_t tag = ReadSumTag(sum, r);
      if (!r.ok()) return;
      SumValue& s = v.emplace<SumValue>(tag, AlgebraicValue());
      DecodeRec(sum.variants[tag].type, ts, r, depth + 1, *s.payload);
      return;
    }
    case TypeTag::kRef: break;
  }
  r.Fail("unresolvable type");
}

void SkipRec(const AlgebraicType& declared, const Typespace* ts, Reader& r, int depth) {
  const AlgebraicType* type = ResolveOrFail(declared, ts, r);
  if (!type || !r.ok()) return;
  switch (type->tag()) {
    case TypeTag::kBool: r.Bool(); return;
    case TypeTag::kString: r.StringView(); return;
    case TypeTag::kArray: {
      const AlgebraicType& elem = type->element();
      if (auto fixed = elem.FixedBsatnSize(); fixed && !elem.IsBool() && elem.tag() != TypeTag::kSum &&
                                              elem.tag() != TypeTag::kProduct) {
        uint32_t n = r.ArrayLength(*fixed, "array");
        r.Raw(size_t(n) * *fixed, "array");
        return;
      }
      CheckDepth(depth + 1, r);
      uint32_t n = r.ArrayLength(MinSize(elem, ts, 0), "array");
      for (uint32_t i = 0; i < n && r.ok(); ++i) SkipRec(elem, ts, r, depth + 1);
      return;
    }
    case TypeTag::kProduct:
      CheckDepth(depth + 1, r);
      for (const auto& e : type->product().elements) {
        if (!r.ok()) return;
        SkipRec(e.type, ts, r, depth + 1);
      }
      return;
    case TypeTag::kSum: {
      CheckDepth(depth + 1, r);
      uint8_t tag = ReadSumTag(type->sum(), r);
      if (r.ok()) SkipRec(type->sum().variants[tag].type, ts, r, depth + 1);
      return;
    }
    case TypeTag::kRef: r.Fail("unresolvable type"); return;
    default: r.Raw(*type->FixedBsatnSize(), TypeTagName(type->tag()).data()); return;
  }
}

Status TrailingBytes(const Reader& r) {
  return Error(ErrorCode::kDecode, "BSATN: " + std::to_string(r.remaining()) + " trailing bytes after the value at offset " +
                                       std::to_string(r.offset()));
}

}  // namespace

void EncodeValue(const AlgebraicValue& value, Writer& w) {
  using K = AlgebraicValue::Kind;
  switch (value.kind()) {
    case K::kBool: w.Bool(value.as<bool>()); return;
    case K::kI8: w.I8(value.as<int8_t>()); return;
    case K::kU8: w.U8(value.as<uint8_t>()); return;
    case K::kI16: w.I16(value.as<int16_t>()); return;
    case K::kU16: w.U16(value.as<uint16_t>()); return;
    case K::kI32: w.I32(value.as<int32_t>()); return;
    case K::kU32: w.U32(value.as<uint32_t>()); return;
    case K::kI64: w.I64(value.as<int64_t>()); return;
    case K::kU64: w.U64(value.as<uint64_t>()); return;
    case K::kI128: w.I128(value.as<i128>()); return;
    case K::kU128: w.U128(value.as<u128>()); return;
    case K::kI256: w.I256(value.as<I256>()); return;
    case K::kU256: w.U256(value.as<U256>()); return;
    case K::kF32: w.F32(value.as<float>()); return;
    case K::kF64: w.F64(value.as<double>()); return;
    case K::kString: w.String(value.AsString()); return;
    case K::kBytes: w.ByteArray(value.AsBytes()); return;
    case K::kArray:
      w.U32(static_cast<uint32_t>(value.AsArray().elements.size()));
      for (const auto& e : value.AsArray().elements) EncodeValue(e, w);
      return;
    case K::kProduct:
      for (const auto& e : value.AsProduct().elements) EncodeValue(e, w);
      return;
    case K::kSum:
      w.U8(value.AsSum().tag);
      if (value.AsSum().payload) EncodeValue(*value.AsSum().payload, w);
      return;
  }
}

Bytes EncodeValue(const AlgebraicValue& value) {
  Bytes out;
  Writer w(out);
  EncodeValue(value, w);
  return out;
}

Result<AlgebraicValue> DecodeValue(const AlgebraicType& type, const Typespace* typespace, Reader& r) {
  AlgebraicValue v;
  DecodeRec(type, typespace, r, 0, v);
  if (!r.ok()) return r.error();
  return v;
}

Result<AlgebraicValue> DecodeValue(const AlgebraicType& type, ByteSpan bytes, const Typespace* typespace) {
  Reader r(bytes);
  AlgebraicValue v;
  DecodeRec(type, typespace, r, 0, v);
  if (!r.ok()) return r.error();
  if (!r.at_end()) return TrailingBytes(r).error();
  return v;
}

Status SkipValue(const AlgebraicType& type, const Typespace* typespace, Reader& r) {
  SkipRec(type, typespace, r, 0);
  if (!r.ok()) return r.error();
  return OkStatus();
}

Status ValidateValue(const AlgebraicType& type, ByteSpan bytes, const Typespace* typespace) {
  Reader r(bytes);
  SkipRec(type, typespace, r, 0);
  if (!r.ok()) return r.error();
  if (!r.at_end()) return TrailingBytes(r);
  return OkStatus();
}

Status ValidateProduct(const ProductType& type, ByteSpan bytes, const Typespace* typespace) {
  Reader r(bytes);
  for (const auto& element : type.elements) {
    SkipRec(element.type, typespace, r, 1);
    if (!r.ok()) return r.error();
  }
  if (!r.at_end()) return TrailingBytes(r);
  return OkStatus();
}

namespace {

Status CheckRec(const AlgebraicType& declared, const AlgebraicValue& v, const Typespace* ts, int depth,
                const std::string& path) {
  using K = AlgebraicValue::Kind;
  if (depth > kMaxDepth) return Error(ErrorCode::kInvalidArgument, "value nested too deeply");
  const AlgebraicType* type = &declared;
  if (declared.IsRef()) {
    if (!ts) return Error(ErrorCode::kInvalidArgument, "type reference without a typespace");
    STDB_ASSIGN_OR_RETURN(type, ts->Resolve(declared));
  }
  auto mismatch = [&]() {
    return Error(ErrorCode::kInvalidArgument,
                 "value " + v.ToString() + (path.empty() ? "" : " at " + path) + " does not have type " +
                     type->ToString());
  };
  static constexpr K kPrimitiveKind[] = {K::kString, K::kBool, K::kI8,   K::kU8,   K::kI16,  K::kU16, K::kI32,
                                         K::kU32,    K::kI64,  K::kU64,  K::kI128, K::kU128, K::kI256, K::kU256,
                                         K::kF32,    K::kF64};
  switch (type->tag()) {
    case TypeTag::kProduct: {
      if (!v.is<ProductValue>()) return mismatch();
      const auto& els = type->product().elements;
      const auto& vals = v.AsProduct().elements;
      if (els.size() != vals.size()) return mismatch();
      for (size_t i = 0; i < els.size(); ++i)
        STDB_RETURN_IF_ERROR(CheckRec(els[i].type, vals[i], ts, depth + 1,
                                      path + "." + (els[i].name ? *els[i].name : std::to_string(i))));
      return OkStatus();
    }
    case TypeTag::kSum: {
      if (!v.is<SumValue>()) return mismatch();
      const auto& s = v.AsSum();
      if (s.tag >= type->sum().variants.size() || !s.payload) return mismatch();
      return CheckRec(type->sum().variants[s.tag].type, *s.payload, ts, depth + 1, path);
    }
    case TypeTag::kArray: {
      if (v.is<BytesValue>()) return type->element().tag() == TypeTag::kU8 ? OkStatus() : mismatch();
      if (!v.is<ArrayValue>()) return mismatch();
      for (const auto& e : v.AsArray().elements)
        STDB_RETURN_IF_ERROR(CheckRec(type->element(), e, ts, depth + 1, path + "[]"));
      return OkStatus();
    }
    case TypeTag::kRef: return mismatch();
    default:
      if (v.kind() != kPrimitiveKind[static_cast<int>(type->tag()) - static_cast<int>(TypeTag::kString)])
        return mismatch();
      return OkStatus();
  }
}

}  // namespace

Status CheckValueType(const AlgebraicType& type, const AlgebraicValue& value, const Typespace* typespace) {
  return CheckRec(type, value, typespace, 0, "");
}

// --- Types -----------------------------------------------------------------------------------------------------

namespace {

void EncodeOptionalName(const std::optional<std::string>& name, Writer& w) {
  if (name) {
    w.U8(0);
    w.String(*name);
  } else {
    w.U8(1);
  }
}

AlgebraicType DecodeTypeRec(Reader& r, int depth);

std::optional<std::string> DecodeOptionalName(Reader& r) {
  size_t at = r.offset();
  uint8_t tag = r.U8();
  if (tag == 0) return r.String();
  if (tag != 1 && r.ok()) r.Fail("invalid Option tag " + std::to_string(tag) + " at offset " + std::to_string(at));
  return std::nullopt;
}

ProductType DecodeProductRec(Reader& r, int depth) {
  ProductType p;
  // Each element is at least 2 bytes (option tag + type tag).
  uint32_t n = r.ArrayLength(2, "product type elements");
  p.elements.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    auto name = DecodeOptionalName(r);
    auto type = DecodeTypeRec(r, depth + 1);
    p.elements.push_back({std::move(name), std::move(type)});
  }
  return p;
}

SumType DecodeSumRec(Reader& r, int depth) {
  SumType s;
  uint32_t n = r.ArrayLength(2, "sum type variants");
  if (n > 256 && r.ok()) r.Fail("sum type with " + std::to_string(n) + " variants (at most 256 allowed)");
  s.variants.reserve(r.ok() ? n : 0);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    auto name = DecodeOptionalName(r);
    auto type = DecodeTypeRec(r, depth + 1);
    s.variants.push_back({std::move(name), std::move(type)});
  }
  return s;
}

AlgebraicType DecodeTypeRec(Reader& r, int depth) {
  if (depth > kMaxDepth) {
    r.Fail("type nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    return AlgebraicType();
  }
  size_t at = r.offset();
  uint8_t tag = r.U8();
  if (!r.ok()) return AlgebraicType();
  if (tag >= kTypeTagCount) {
    r.Fail("invalid AlgebraicType tag " + std::to_string(tag) + " at offset " + std::to_string(at));
    return AlgebraicType();
  }
  switch (static_cast<TypeTag>(tag)) {
    case TypeTag::kRef: return AlgebraicType::Ref(r.U32());
    case TypeTag::kSum: return AlgebraicType::Sum(DecodeSumRec(r, depth));
    case TypeTag::kProduct: return AlgebraicType::Product(DecodeProductRec(r, depth));
    case TypeTag::kArray: return AlgebraicType::Array(DecodeTypeRec(r, depth + 1));
    default: return AlgebraicType::Primitive(static_cast<TypeTag>(tag));
  }
}

}  // namespace

void EncodeProductType(const ProductType& type, Writer& w) {
  w.U32(static_cast<uint32_t>(type.elements.size()));
  for (const auto& e : type.elements) {
    EncodeOptionalName(e.name, w);
    EncodeType(e.type, w);
  }
}

void EncodeSumType(const SumType& type, Writer& w) {
  w.U32(static_cast<uint32_t>(type.variants.size()));
  for (const auto& v : type.variants) {
    EncodeOptionalName(v.name, w);
    EncodeType(v.type, w);
  }
}

void EncodeType(const AlgebraicType& type, Writer& w) {
  w.U8(static_cast<uint8_t>(type.tag()));
  switch (type.tag()) {
    case TypeTag::kRef: w.U32(type.ref()); return;
    case TypeTag::kSum: EncodeSumType(type.sum(), w); return;
    case TypeTag::kProduct: EncodeProductType(type.product(), w); return;
    case TypeTag::kArray: EncodeType(type.element(), w); return;
    default: return;
  }
}

Bytes EncodeType(const AlgebraicType& type) {
  Bytes out;
  Writer w(out);
  EncodeType(type, w);
  return out;
}

void EncodeTypespace(const Typespace& ts, Writer& w) {
  w.U32(static_cast<uint32_t>(ts.types.size()));
  for (const auto& t : ts.types) EncodeType(t, w);
}

Result<AlgebraicType> DecodeType(Reader& r) {
  AlgebraicType t = DecodeTypeRec(r, 0);
  if (!r.ok()) return r.error();
  return t;
}

Result<AlgebraicType> DecodeType(ByteSpan bytes) {
  Reader r(bytes);
  AlgebraicType t = DecodeTypeRec(r, 0);
  if (!r.ok()) return r.error();
  if (!r.at_end()) return TrailingBytes(r).error();
  return t;
}

Result<ProductType> DecodeProductType(Reader& r) {
  ProductType p = DecodeProductRec(r, 0);
  if (!r.ok()) return r.error();
  return p;
}

Result<SumType> DecodeSumType(Reader& r) {
  SumType s = DecodeSumRec(r, 0);
  if (!r.ok()) return r.error();
  return s;
}

Result<Typespace> DecodeTypespace(Reader& r) {
  Typespace ts;
  uint32_t n = r.ArrayLength(1, "typespace");
  ts.types.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) ts.types.push_back(DecodeTypeRec(r, 0));
  if (!r.ok()) return r.error();
  return ts;
}

}  // namespace stdb::sats::bsatn
