#include "sats/sats_json.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "sats/bsatn.h"
#include "sats/special_types.h"

namespace stdb::sats::sats_json {

namespace {

constexpr int kMaxDepth = bsatn::kMaxDepth;

template <typename F>
void AppendFloat(std::string& out, F v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  std::string_view s(buf, size_t(res.ptr - buf));
  out += s;
  if (s.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

void AppendHex(std::string& out, const std::vector<uint8_t>& bytes) {
  out.push_back('"');
  out += ToHexLower(bytes.data(), bytes.size());
  out.push_back('"');
}

// Appends the JSON for scalar kinds shared by both modes; returns false for composite kinds.
bool WriteScalar(const AlgebraicValue& v, std::string& out) {
  using K = AlgebraicValue::Kind;
  switch (v.kind()) {
    case K::kBool: out += v.as<bool>() ? "true" : "false"; return true;
    case K::kI8: out += std::to_string(v.as<int8_t>()); return true;
    case K::kU8: out += std::to_string(v.as<uint8_t>()); return true;
    case K::kI16: out += std::to_string(v.as<int16_t>()); return true;
    case K::kU16: out += std::to_string(v.as<uint16_t>()); return true;
    case K::kI32: out += std::to_string(v.as<int32_t>()); return true;
    case K::kU32: out += std::to_string(v.as<uint32_t>()); return true;
    case K::kI64: out += std::to_string(v.as<int64_t>()); return true;
    case K::kU64: out += std::to_string(v.as<uint64_t>()); return true;
    case K::kI128: out += ToDecimal(v.as<i128>()); return true;
    case K::kU128: out += ToDecimal(v.as<u128>()); return true;
    case K::kI256: out += "\"" + ToHex0x(v.as<I256>()) + "\""; return true;
    case K::kU256: out += "\"" + ToHex0x(v.as<U256>()) + "\""; return true;
    case K::kF32: AppendFloat(out, v.as<float>()); return true;
    case K::kF64: AppendFloat(out, v.as<double>()); return true;
    case K::kString: AppendJsonString(out, v.AsString()); return true;
    case K::kBytes: AppendHex(out, v.AsBytes()); return true;
    default: return false;
  }
}

void WriteTypedRec(const AlgebraicType& declared, const AlgebraicValue& v, std::string& out, const Typespace* ts,
                   int depth) {
  const AlgebraicType* type = &declared;
  if (declared.IsRef() && ts) {
    auto r = ts->Resolve(declared);
    if (r.ok()) type = *r;
  }
  if (depth > kMaxDepth || type->IsRef()) {
    WriteUntyped(v, out);
    return;
  }
  if (WriteScalar(v, out)) return;
  using K = AlgebraicValue::Kind;
  switch (v.kind()) {
    case K::kArray: {
      const auto& els = v.AsArray().elements;
      const AlgebraicType& elem = type->IsArray() ? type->element() : AlgebraicType();
      out.push_back('[');
      for (size_t i = 0; i < els.size(); ++i) {
        if (i) out.push_back(',');
        if (type->IsArray()) WriteTypedRec(elem, els[i], out, ts, depth + 1);
        else WriteUntyped(els[i], out);
      }
      out.push_back(']');
      return;
    }
    case K::kProduct: {
      const auto& vals = v.AsProduct().elements;
      const auto* pt = type->IsProduct() ? &type->product() : nullptr;
      bool named = pt && pt->elements.size() == vals.size();
      if (named)
        for (const auto& e : pt->elements) named = named && e.name.has_value();
      if (!named) {
        WriteUntyped(v, out);
        return;
      }
      out.push_back('{');
      for (size_t i = 0; i < vals.size(); ++i) {
        if (i) out.push_back(',');
        AppendJsonString(out, *pt->elements[i].name);
        out.push_back(':');
        WriteTypedRec(pt->elements[i].type, vals[i], out, ts, depth + 1);
      }
      out.push_back('}');
      return;
    }
    case K::kSum: {
      const auto& s = v.AsSum();
      const auto* st = type->IsSum() ? &type->sum() : nullptr;
      if (!st || s.tag >= st->variants.size() || !st->variants[s.tag].name || !s.payload) {
        WriteUntyped(v, out);
        return;
      }
      out.push_back('{');
      AppendJsonString(out, *st->variants[s.tag].name);
      out.push_back(':');
      WriteTypedRec(st->variants[s.tag].type, *s.payload, out, ts, depth + 1);
      out.push_back('}');
      return;
    }
    default: WriteUntyped(v, out); return;
  }
}

// --- Reading ---------------------------------------------------------------------------------------------------

Error Bad(const std::string& what, const Json& j) {
  std::string shown = j.Dump();
  if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
  return Error(ErrorCode::kInvalidArgument, "expected " + what + ", got JSON " + std::string(j.KindName()) + " " + shown);
}

// Parses an integer JSON number text exactly into [min, max] given as i128 bounds (u128 handled separately).
bool ParseIntText(const std::string& t, bool* negative, u128* magnitude) {
  size_t i = 0;
  *negative = false;
  if (i < t.size() && t[i] == '-') {
    *negative = true;
    ++i;
  }
  if (i >= t.size()) return false;
  u128 mag = 0;
  const u128 kMax = ~u128(0);
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (c < '0' || c > '9') return false;  // fractions and exponents are not integers
    unsigned d = unsigned(c - '0');
    if (mag > (kMax - d) / 10) return false;
    mag = mag * 10 + d;
  }
  *magnitude = mag;
  return true;
}

Result<AlgebraicValue> ReadInteger(TypeTag tag, const Json& j) {
  if (!j.is_number()) return Bad("an integer (" + std::string(TypeTagName(tag)) + ")", j);
  bool neg;
  u128 mag;
  if (!ParseIntText(j.text(), &neg, &mag)) return Bad("an integer (" + std::string(TypeTagName(tag)) + ")", j);
  auto out_of_range = [&]() {
    return Error(ErrorCode::kInvalidArgument, "integer " + j.text() + " is out of range for " +
                                                  std::string(TypeTagName(tag)));
  };
  auto signed_fit = [&](i128 lo, i128 hi, i128* out) {
    if (neg) {
      if (mag > u128(-(lo + 1)) + 1) return false;
      *out = mag == 0 ? 0 : -i128(mag - 1) - 1;
    } else {
      if (mag > u128(hi)) return false;
      *out = i128(mag);
    }
    return true;
  };
  auto unsigned_fit = [&](u128 hi) { return !(neg && mag != 0) && mag <= hi; };
  i128 s;
  switch (tag) {
    case TypeTag::kI8: if (!signed_fit(INT8_MIN, INT8_MAX, &s)) return out_of_range(); return AlgebraicValue::I8(int8_t(s));
    case TypeTag::kI16: if (!signed_fit(INT16_MIN, INT16_MAX, &s)) return out_of_range(); return AlgebraicValue::I16(int16_t(s));
    case TypeTag::kI32: if (!signed_fit(INT32_MIN, INT32_MAX, &s)) return out_of_range(); return AlgebraicValue::I32(int32_t(s));
    case TypeTag::kI64: if (!signed_fit(INT64_MIN, INT64_MAX, &s)) return out_of_range(); return AlgebraicValue::I64(int64_t(s));
    case TypeTag::kI128: {
      const i128 kMax = i128(~u128(0) >> 1);
      if (!signed_fit(-kMax - 1, kMax, &s)) return out_of_range();
      return AlgebraicValue::I128(s);
    }
    case TypeTag::kU8: if (!unsigned_fit(UINT8_MAX)) return out_of_range(); return AlgebraicValue::U8(uint8_t(mag));
    case TypeTag::kU16: if (!unsigned_fit(UINT16_MAX)) return out_of_range(); return AlgebraicValue::U16(uint16_t(mag));
    case TypeTag::kU32: if (!unsigned_fit(UINT32_MAX)) return out_of_range(); return AlgebraicValue::U32(uint32_t(mag));
    case TypeTag::kU64: if (!unsigned_fit(UINT64_MAX)) return out_of_range(); return AlgebraicValue::U64(uint64_t(mag));
    case TypeTag::kU128: if (!unsigned_fit(~u128(0))) return out_of_range(); return AlgebraicValue::U128(mag);
    case TypeTag::kU256: if (neg && mag) return out_of_range(); return AlgebraicValue::U256(U256::FromU128(mag));
    case TypeTag::kI256: {
      I256 v{U256::FromU128(mag).w};
      return AlgebraicValue::I256(neg ? Negate(v) : v);
    }
    default: return Bad("an integer", j);
  }
}

Result<AlgebraicValue> ReadWide(TypeTag tag, const Json& j) {
  if (j.is_number()) return ReadInteger(tag, j);
  if (!j.is_string()) return Bad("a 0x-prefixed hex string (" + std::string(TypeTagName(tag)) + ")", j);
  std::string_view t = j.text();
  bool neg = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.size() < 3 || t[0] != '0' || (t[1] != 'x' && t[1] != 'X'))
    return Bad("a 0x-prefixed hex string (" + std::string(TypeTagName(tag)) + ")", j);
  auto mag = ParseU256Magnitude(t);
  if (!mag) return Bad("a 256-bit hex integer", j);
  if (tag == TypeTag::kU256) {
    if (neg && !mag->IsZero()) return Error(ErrorCode::kInvalidArgument, "negative value for U256");
    return AlgebraicValue::U256(*mag);
  }
  I256 v{mag->w};
  if (!neg && v.IsNegative()) return Error(ErrorCode::kInvalidArgument, "value out of range for I256");
  if (neg) {
    v = Negate(v);
    if (!v.IsNegative() && !mag->IsZero()) return Error(ErrorCode::kInvalidArgument, "value out of range for I256");
  }
  return AlgebraicValue::I256(v);
}

Result<AlgebraicValue> ReadFloat(TypeTag tag, const Json& j) {
  if (!j.is_number()) return Bad(tag == TypeTag::kF32 ? "a number (F32)" : "a number (F64)", j);
  const char* begin = j.text().c_str();
  char* end = nullptr;
  double d = std::strtod(begin, &end);
  if (tag == TypeTag::kF32) return AlgebraicValue::F32(static_cast<float>(d));
  return AlgebraicValue::F64(d);
}

Result<std::vector<uint8_t>> ReadBytes(const Json& j) {
  if (j.is_string()) {
    std::string_view t = j.text();
    if (t.size() >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) t.remove_prefix(2);
    if (t.size() % 2) return Bad("a hex string of whole bytes", j);
    std::vector<uint8_t> out(t.size() / 2);
    if (!ParseHexBytes(t, out.data(), out.size())) return Bad("a hex string", j);
    return out;
  }
  if (j.is_array()) {
    std::vector<uint8_t> out;
    out.reserve(j.items().size());
    for (const auto& item : j.items()) {
      STDB_ASSIGN_OR_RETURN(auto b, ReadInteger(TypeTag::kU8, item));
      out.push_back(b.as<uint8_t>());
    }
    return out;
  }
  return Bad("bytes (a hex string or an array of numbers)", j);
}

Result<AlgebraicValue> ReadRec(const AlgebraicType& declared, const Json& j, const Typespace* ts, int depth);

// Identity/ConnectionId/Timestamp/etc. given in their text forms.
std::optional<Result<AlgebraicValue>> ReadSpecialShorthand(const AlgebraicType& type, const Json& j) {
  if (!j.is_string()) return std::nullopt;
  if (type.IsIdentity()) {
    auto id = Identity::FromHex(j.text());
    if (!id) return Result<AlgebraicValue>(Bad("an Identity (64 hex digits)", j));
    return Result<AlgebraicValue>(id->ToValue());
  }
  if (type.IsConnectionId()) {
    auto c = ConnectionId::FromHex(j.text());
    if (!c) return Result<AlgebraicValue>(Bad("a ConnectionId (32 hex digits)", j));
    return Result<AlgebraicValue>(c->ToValue());
  }
  if (type.IsTimestamp()) {
    auto t = Timestamp::ParseRfc3339(j.text());
    if (!t) return Result<AlgebraicValue>(Bad("a Timestamp (RFC 3339)", j));
    return Result<AlgebraicValue>(t->ToValue());
  }
  if (type.IsUuid()) {
    auto u = Uuid::Parse(j.text());
    if (!u) return Result<AlgebraicValue>(Bad("a Uuid", j));
    return Result<AlgebraicValue>(u->ToValue());
  }
  return std::nullopt;
}

Result<AlgebraicValue> ReadProduct(const ProductType& pt, const Json& j, const Typespace* ts, int depth) {
  const auto& els = pt.elements;
  std::vector<AlgebraicValue> vals;
  vals.reserve(els.size());
  if (j.is_array()) {
    if (j.items().size() != els.size())
      return Error(ErrorCode::kInvalidArgument, "expected " + std::to_string(els.size()) + " elements, got " +
                                                    std::to_string(j.items().size()));
    for (size_t i = 0; i < els.size(); ++i) {
      auto v = ReadRec(els[i].type, j.items()[i], ts, depth + 1);
      if (!v.ok()) return std::move(v).error().Prefix("element " + std::to_string(i));
      vals.push_back(std::move(*v));
    }
    return AlgebraicValue::Product(std::move(vals));
  }
  if (j.is_object()) {
    std::vector<const Json*> found(els.size(), nullptr);
    for (const auto& [key, value] : j.members()) {
      auto idx = pt.IndexOf(key);
      if (!idx) return Error(ErrorCode::kInvalidArgument, "unknown field '" + key + "'");
      if (found[*idx]) return Error(ErrorCode::kInvalidArgument, "duplicate field '" + key + "'");
      found[*idx] = &value;
    }
    for (size_t i = 0; i < els.size(); ++i) {
      std::string name = els[i].name ? *els[i].name : std::to_string(i);
      if (!found[i]) return Error(ErrorCode::kInvalidArgument, "missing field '" + name + "'");
      auto v = ReadRec(els[i].type, *found[i], ts, depth + 1);
      if (!v.ok()) return std::move(v).error().Prefix("field '" + name + "'");
      vals.push_back(std::move(*v));
    }
    return AlgebraicValue::Product(std::move(vals));
  }
  return Bad("an array or object (product)", j);
}

std::optional<size_t> VariantIndex(const SumType& st, const Json& key) {
  std::string_view text;
  if (key.is_number() || key.is_string()) text = key.text();
  else return std::nullopt;
  if (key.is_string()) {
    if (auto idx = st.IndexOf(text)) return idx;
  }
  if (!text.empty() && text.size() <= 3 && text.find_first_not_of("0123456789") == std::string_view::npos) {
    size_t tag = std::stoul(std::string(text));
    if (tag < st.variants.size()) return tag;
  }
  return std::nullopt;
}

Result<AlgebraicValue> ReadSum(const AlgebraicType& type, const Json& j, const Typespace* ts, int depth) {
  const SumType& st = type.sum();
  if (j.is_null() && type.IsOption()) return AlgebraicValue::OptionNone();
  const Json* key_json = nullptr;
  const Json* payload = nullptr;
  Json key_holder;
  if (j.is_object() && j.members().size() == 1) {
    key_holder = Json::String(j.members()[0].first);
    key_json = &key_holder;
    payload = &j.members()[0].second;
  } else if (j.is_array() && j.items().size() == 2) {
    key_json = &j.items()[0];
    payload = &j.items()[1];
  } else if (j.is_string() && type.IsSimpleEnum()) {
    // A bare variant name for an all-unit enum.
    key_json = &j;
  } else {
    return Bad("a sum ({\"variant\": value} or [tag, value])", j);
  }
  auto idx = VariantIndex(st, *key_json);
  if (!idx) return Error(ErrorCode::kInvalidArgument, "unknown variant " + key_json->Dump() + " for " + type.ToString());
  const AlgebraicType& vt = st.variants[*idx].type;
  if (!payload) return AlgebraicValue::Sum(uint8_t(*idx), AlgebraicValue::Unit());
  auto v = ReadRec(vt, *payload, ts, depth + 1);
  if (!v.ok()) {
    std::string name = st.variants[*idx].name ? *st.variants[*idx].name : std::to_string(*idx);
    return std::move(v).error().Prefix("variant '" + name + "'");
  }
  return AlgebraicValue::Sum(uint8_t(*idx), std::move(*v));
}

Result<AlgebraicValue> ReadRec(const AlgebraicType& declared, const Json& j, const Typespace* ts, int depth) {
  if (depth > kMaxDepth) return Error(ErrorCode::kInvalidArgument, "JSON value nested too deeply");
  const AlgebraicType* type = &declared;
  if (declared.IsRef()) {
    if (!ts) return Error(ErrorCode::kInvalidArgument, "type reference without a typespace");
    STDB_ASSIGN_OR_RETURN(type, ts->Resolve(declared));
  }
  switch (type->tag()) {
    case TypeTag::kBool:
      if (!j.is_bool()) return Bad("a bool", j);
      return AlgebraicValue::Bool(j.as_bool());
    case TypeTag::kString:
      if (!j.is_string()) return Bad("a string", j);
      return AlgebraicValue::String(j.text());
    case TypeTag::kI8: case TypeTag::kU8: case TypeTag::kI16: case TypeTag::kU16: case TypeTag::kI32:
    case TypeTag::kU32: case TypeTag::kI64: case TypeTag::kU64: case TypeTag::kI128: case TypeTag::kU128:
      return ReadInteger(type->tag(), j);
    case TypeTag::kI256: case TypeTag::kU256: return ReadWide(type->tag(), j);
    case TypeTag::kF32: case TypeTag::kF64: return ReadFloat(type->tag(), j);
    case TypeTag::kArray: {
      if (type->element().tag() == TypeTag::kU8) {
        STDB_ASSIGN_OR_RETURN(auto b, ReadBytes(j));
        return AlgebraicValue::Bytes(std::move(b));
      }
      if (!j.is_array()) return Bad("an array", j);
      std::vector<AlgebraicValue> elems;
      elems.reserve(j.items().size());
      for (size_t i = 0; i < j.items().size(); ++i) {
        auto v = ReadRec(type->element(), j.items()[i], ts, depth + 1);
        if (!v.ok()) return std::move(v).error().Prefix("array element " + std::to_string(i));
        elems.push_back(std::move(*v));
      }
      return AlgebraicValue::Array(std::move(elems));
    }
    case TypeTag::kProduct: {
      if (auto special = ReadSpecialShorthand(*type, j)) return std::move(*special);
      // A one-field special type may also be given as its bare inner value (e.g. a Timestamp as micros).
      if (type->IsSpecial() && (j.is_number() || j.is_string())) {
        STDB_ASSIGN_OR_RETURN(auto inner, ReadRec(type->product().elements[0].type, j, ts, depth + 1));
        return AlgebraicValue::Product({std::move(inner)});
      }
      if (type->IsUnit() && (j.is_null() || (j.is_object() && j.members().empty())))
        return AlgebraicValue::Unit();
      return ReadProduct(type->product(), j, ts, depth);
    }
    case TypeTag::kSum: return ReadSum(*type, j, ts, depth);
    case TypeTag::kRef: break;
  }
  return Error(ErrorCode::kInvalidArgument, "unresolvable type");
}

}  // namespace

void WriteTyped(const AlgebraicType& type, const AlgebraicValue& value, std::string& out, const Typespace* ts) {
  WriteTypedRec(type, value, out, ts, 0);
}

std::string ToTypedJson(const AlgebraicType& type, const AlgebraicValue& value, const Typespace* ts) {
  std::string out;
  WriteTyped(type, value, out, ts);
  return out;
}

void WriteUntyped(const AlgebraicValue& v, std::string& out) {
  if (WriteScalar(v, out)) return;
  using K = AlgebraicValue::Kind;
  switch (v.kind()) {
    case K::kArray: case K::kProduct: {
      const auto& els = v.kind() == K::kArray ? v.AsArray().elements : v.AsProduct().elements;
      out.push_back('[');
      for (size_t i = 0; i < els.size(); ++i) {
        if (i) out.push_back(',');
        WriteUntyped(els[i], out);
      }
      out.push_back(']');
      return;
    }
    case K::kSum:
      out.push_back('[');
      out += std::to_string(v.AsSum().tag);
      out.push_back(',');
      if (v.AsSum().payload) WriteUntyped(*v.AsSum().payload, out);
      else out += "[]";
      out.push_back(']');
      return;
    default: return;
  }
}

std::string ToUntypedJson(const AlgebraicValue& value) {
  std::string out;
  WriteUntyped(value, out);
  return out;
}

Result<AlgebraicValue> Read(const AlgebraicType& type, const Json& json, const Typespace* ts) {
  return ReadRec(type, json, ts, 0);
}

Result<AlgebraicValue> Read(const AlgebraicType& type, std::string_view text, const Typespace* ts) {
  STDB_ASSIGN_OR_RETURN(auto j, Json::Parse(text));
  return ReadRec(type, j, ts, 0);
}

// --- Types -----------------------------------------------------------------------------------------------------

namespace {

void WriteElements(const char* list_key, const std::vector<std::pair<const std::optional<std::string>*,
                                                                     const AlgebraicType*>>& items,
                   std::string& out) {
  out += "{\"";
  out += list_key;
  out += "\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    out += "{\"name\":";
    if (*items[i].first) {
      out += "{\"some\":";
      AppendJsonString(out, **items[i].first);
      out += "}";
    } else {
      out += "{\"none\":[]}";
    }
    out += ",\"algebraic_type\":";
    WriteType(*items[i].second, out);
    out.push_back('}');
  }
  out += "]}";
}

}  // namespace

void WriteProductType(const ProductType& type, std::string& out) {
  std::vector<std::pair<const std::optional<std::string>*, const AlgebraicType*>> items;
  for (const auto& e : type.elements) items.emplace_back(&e.name, &e.type);
  WriteElements("elements", items, out);
}

void WriteType(const AlgebraicType& type, std::string& out) {
  out += "{\"";
  out += TypeTagName(type.tag());
  out += "\":";
  switch (type.tag()) {
    case TypeTag::kRef: out += std::to_string(type.ref()); break;
    case TypeTag::kArray: WriteType(type.element(), out); break;
    case TypeTag::kProduct: WriteProductType(type.product(), out); break;
    case TypeTag::kSum: {
      std::vector<std::pair<const std::optional<std::string>*, const AlgebraicType*>> items;
      for (const auto& v : type.sum().variants) items.emplace_back(&v.name, &v.type);
      WriteElements("variants", items, out);
      break;
    }
    default: out += "[]"; break;
  }
  out.push_back('}');
}

std::string TypeToJson(const AlgebraicType& type) {
  std::string out;
  WriteType(type, out);
  return out;
}

void WriteTypespace(const Typespace& typespace, std::string& out) {
  out += "{\"types\":[";
  for (size_t i = 0; i < typespace.types.size(); ++i) {
    if (i) out.push_back(',');
    WriteType(typespace.types[i], out);
  }
  out += "]}";
}

namespace {

Result<AlgebraicType> ReadTypeRec(const Json& j, int depth);

Result<std::vector<std::pair<std::optional<std::string>, AlgebraicType>>> ReadElementList(const Json& j,
                                                                                            const char* key,
                                                                                            int depth) {
  const Json* list = j.is_object() ? j.Find(key) : nullptr;
  if (!list || !list->is_array()) return Bad(std::string("an object with \"") + key + "\"", j);
  std::vector<std::pair<std::optional<std::string>, AlgebraicType>> out;
  for (const auto& item : list->items()) {
    const Json* name = item.is_object() ? item.Find("name") : nullptr;
    const Json* ty = item.is_object() ? item.Find("algebraic_type") : nullptr;
    if (!ty) return Bad("an element with \"algebraic_type\"", item);
    std::optional<std::string> n;
    if (name && !name->is_null()) {
      static const AlgebraicType kOptString = AlgebraicType::Option(AlgebraicType::String());
      STDB_ASSIGN_OR_RETURN(auto nv, Read(kOptString, *name));
      if (nv.AsSum().tag == 0) n = nv.AsSum().payload->AsString();
    }
    STDB_ASSIGN_OR_RETURN(auto t, ReadTypeRec(*ty, depth + 1));
    out.emplace_back(std::move(n), std::move(t));
  }
  return out;
}

Result<AlgebraicType> ReadTypeRec(const Json& j, int depth) {
  if (depth > kMaxDepth) return Error(ErrorCode::kInvalidArgument, "type nested too deeply");
  if (!j.is_object() || j.members().size() != 1) return Bad("a type object like {\"U32\":[]}", j);
  const auto& [name, payload] = j.members()[0];
  for (uint8_t t = 0; t < kTypeTagCount; ++t) {
    auto tag = static_cast<TypeTag>(t);
    if (TypeTagName(tag) != name) continue;
    switch (tag) {
      case TypeTag::kRef: {
        STDB_ASSIGN_OR_RETURN(auto r, ReadInteger(TypeTag::kU32, payload));
        return AlgebraicType::Ref(r.as<uint32_t>());
      }
      case TypeTag::kArray: {
        STDB_ASSIGN_OR_RETURN(auto e, ReadTypeRec(payload, depth + 1));
        return AlgebraicType::Array(std::move(e));
      }
      case TypeTag::kProduct: {
        STDB_ASSIGN_OR_RETURN(auto els, ReadElementList(payload, "elements", depth));
        ProductType p;
        for (auto& [n, ty] : els) p.elements.push_back({std::move(n), std::move(ty)});
        return AlgebraicType::Product(std::move(p));
      }
      case TypeTag::kSum: {
        STDB_ASSIGN_OR_RETURN(auto vs, ReadElementList(payload, "variants", depth));
        SumType s;
        for (auto& [n, ty] : vs) s.variants.push_back({std::move(n), std::move(ty)});
        return AlgebraicType::Sum(std::move(s));
      }
      default: return AlgebraicType::Primitive(tag);
    }
  }
  return Error(ErrorCode::kInvalidArgument, "unknown type name '" + name + "'");
}

}  // namespace

Result<AlgebraicType> ReadType(const Json& json) { return ReadTypeRec(json, 0); }

void AppendF64(std::string& out, double v) { AppendFloat(out, v); }
void AppendF32(std::string& out, float v) { AppendFloat(out, v); }

}  // namespace stdb::sats::sats_json
