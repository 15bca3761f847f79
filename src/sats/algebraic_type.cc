#include "sats/algebraic_type.h"

#include <set>

namespace stdb::sats {

struct AlgebraicType::Node {
  ProductType product;
  SumType sum;
  AlgebraicType element;
};

namespace {


constexpr std::string_view kTagNames[kTypeTagCount] = {
    "Ref", "Sum", "Product", "Array", "String", "Bool", "I8",  "U8",   "I16",  "U16",
    "I32", "U32", "I64",     "U64",   "I128",   "U128", "I256", "U256", "F32", "F64"};

bool IsSingleFieldProduct(const AlgebraicType& t, std::string_view name, TypeTag inner) {
  if (!t.IsProduct()) return false;
  const auto& els = t.product().elements;
  return els.size() == 1 && els[0].name && *els[0].name == name && els[0].type.tag() == inner;
}

bool IsTwoVariantSum(const AlgebraicType& t, std::string_view first, std::string_view second) {
  if (!t.IsSum()) return false;
  const auto& vs = t.sum().variants;
  return vs.size() == 2 && vs[0].name && *vs[0].name == first && vs[1].name && *vs[1].name == second;
}

}  // namespace

std::string_view TypeTagName(TypeTag tag) {
  auto i = static_cast<uint8_t>(tag);
  return i < kTypeTagCount ? kTagNames[i] : std::string_view("?");
}

AlgebraicType::AlgebraicType() : tag_(TypeTag::kProduct) {}

AlgebraicType AlgebraicType::Primitive(TypeTag tag) {
  AlgebraicType t;
  t.tag_ = tag;
  return t;
}

AlgebraicType AlgebraicType::Ref(uint32_t index) {
  AlgebraicType t;
  t.tag_ = TypeTag::kRef;
  t.ref_ = index;
  return t;
}

AlgebraicType AlgebraicType::Array(AlgebraicType element) {
  auto node = std::make_shared<Node>();
  node->element = std::move(element);
  AlgebraicType t;
  t.tag_ = TypeTag::kArray;
  t.node_ = std::move(node);
  return t;
}

AlgebraicType AlgebraicType::Product(ProductType product) {
  AlgebraicType t;
  t.tag_ = TypeTag::kProduct;
  if (!product.elements.empty()) {
    auto node = std::make_shared<Node>();
    node->product = std::move(product);
    t.node_ = std::move(node);
  }
  return t;
}

AlgebraicType AlgebraicType::Sum(SumType sum) {
  auto node = std::make_shared<Node>();
  node->sum = std::move(sum);
  AlgebraicType t;
  t.tag_ = TypeTag::kSum;
  t.node_ = std::move(node);
  return t;
}

AlgebraicType AlgebraicType::Unit() { return AlgebraicType(); }
AlgebraicType AlgebraicType::Never() { return Sum(SumType()); }

AlgebraicType AlgebraicType::Option(AlgebraicType some) {
  return Sum(SumType({{"some", std::move(some)}, {"none", Unit()}}));
}

AlgebraicType AlgebraicType::Result(AlgebraicType ok, AlgebraicType err) {
  return Sum(SumType({{"ok", std::move(ok)}, {"err", std::move(err)}}));
}

AlgebraicType AlgebraicType::Identity() { return NamedProduct({{"__identity__", U256()}}); }
AlgebraicType AlgebraicType::ConnectionId() { return NamedProduct({{"__connection_id__", U128()}}); }
AlgebraicType AlgebraicType::Timestamp() {
  return NamedProduct({{"__timestamp_micros_since_unix_epoch__", I64()}});
}
AlgebraicType AlgebraicType::TimeDuration() { return NamedProduct({{"__time_duration_micros__", I64()}}); }
AlgebraicType AlgebraicType::Uuid() { return NamedProduct({{"__uuid__", U128()}}); }
AlgebraicType AlgebraicType::ScheduleAt() {
  return Sum(SumType({{"Interval", TimeDuration()}, {"Time", Timestamp()}}));
}

bool AlgebraicType::IsSignedInteger() const {
  switch (tag_) {
    case TypeTag::kI8: case TypeTag::kI16: case TypeTag::kI32: case TypeTag::kI64: case TypeTag::kI128:
    case TypeTag::kI256:
      return true;
    default:
      return false;
  }
}

const ProductType& AlgebraicType::product() const {
  static const ProductType kEmpty;
  return node_ ? node_->product : kEmpty;
}

const SumType& AlgebraicType::sum() const {
  static const SumType kEmpty;
  return node_ ? node_->sum : kEmpty;
}

const AlgebraicType& AlgebraicType::element() const {
  static const AlgebraicType kUnit;
  return node_ ? node_->element : kUnit;
}

bool AlgebraicType::IsUnit() const { return IsProduct() && product().elements.empty(); }
bool AlgebraicType::IsNever() const { return IsSum() && sum().variants.empty(); }

bool AlgebraicType::IsOption() const {
  return IsTwoVariantSum(*this, "some", "none") && sum().variants[1].type.IsUnit();
}
bool AlgebraicType::IsResult() const { return IsTwoVariantSum(*this, "ok", "err"); }
bool AlgebraicType::IsIdentity() const { return IsSingleFieldProduct(*this, "__identity__", TypeTag::kU256); }
bool AlgebraicType::IsConnectionId() const {
  return IsSingleFieldProduct(*this, "__connection_id__", TypeTag::kU128);
}
bool AlgebraicType::IsTimestamp() const {
  return IsSingleFieldProduct(*this, "__timestamp_micros_since_unix_epoch__", TypeTag::kI64);
}
bool AlgebraicType::IsTimeDuration() const {
  return IsSingleFieldProduct(*this, "__time_duration_micros__", TypeTag::kI64);
}
bool AlgebraicType::IsUuid() const { return IsSingleFieldProduct(*this, "__uuid__", TypeTag::kU128); }
bool AlgebraicType::IsScheduleAt() const {
  return IsTwoVariantSum(*this, "Interval", "Time") && sum().variants[0].type.IsTimeDuration() &&
         sum().variants[1].type.IsTimestamp();
}
bool AlgebraicType::IsSpecial() const {
  return IsIdentity() || IsConnectionId() || IsTimestamp() || IsTimeDuration() || IsUuid();
}
bool AlgebraicType::IsSimpleEnum() const {
  if (!IsSum() || sum().variants.empty()) return false;
  for (const auto& v : sum().variants)
    if (!v.type.IsUnit()) return false;
  return true;
}

std::optional<size_t> AlgebraicType::FixedBsatnSize() const {
  switch (tag_) {
    case TypeTag::kBool: case TypeTag::kI8: case TypeTag::kU8: return 1;
    case TypeTag::kI16: case TypeTag::kU16: return 2;
    case TypeTag::kI32: case TypeTag::kU32: case TypeTag::kF32: return 4;
    case TypeTag::kI64: case TypeTag::kU64: case TypeTag::kF64: return 8;
    case TypeTag::kI128: case TypeTag::kU128: return 16;
    case TypeTag::kI256: case TypeTag::kU256: return 32;
    case TypeTag::kProduct: {
      size_t total = 0;
      for (const auto& e : product().elements) {
        auto s = e.type.FixedBsatnSize();
        if (!s) return std::nullopt;
        total += *s;
      }
      return total;
    }
    case TypeTag::kSum: {
      if (sum().variants.empty()) return std::nullopt;
      std::optional<size_t> payload;
      for (const auto& v : sum().variants) {
        auto s = v.type.FixedBsatnSize();
        if (!s || (payload && *payload != *s)) return std::nullopt;
        payload = s;
      }
      return 1 + *payload;
    }
    default:
      return std::nullopt;
  }
}

std::string AlgebraicType::ToString() const {
  switch (tag_) {
    case TypeTag::kRef: return "Ref(" + std::to_string(ref_) + ")";
    case TypeTag::kArray: return "Array<" + element().ToString() + ">";
    case TypeTag::kProduct: {
      if (IsIdentity()) return "Identity";
      if (IsConnectionId()) return "ConnectionId";
      if (IsTimestamp()) return "Timestamp";
      if (IsTimeDuration()) return "TimeDuration";
      if (IsUuid()) return "Uuid";
      std::string s = "(";
      const auto& els = product().elements;
      for (size_t i = 0; i < els.size(); ++i) {
        if (i) s += ", ";
        s += (els[i].name ? *els[i].name : std::to_string(i)) + ": " + els[i].type.ToString();
      }
      return s + ")";
    }
    case TypeTag::kSum: {
      if (IsOption()) return "Option<" + sum().variants[0].type.ToString() + ">";
      if (IsScheduleAt()) return "ScheduleAt";
      std::string s = "(";
      const auto& vs = sum().variants;
      for (size_t i = 0; i < vs.size(); ++i) {
        if (i) s += " | ";
        s += (vs[i].name ? *vs[i].name : std::to_string(i));
        if (!vs[i].type.IsUnit()) s += ": " + vs[i].type.ToString();
      }
      return s + ")";
    }
    default:
      return std::string(TypeTagName(tag_));
  }
}

bool AlgebraicType::operator==(const AlgebraicType& other) const {
  if (tag_ != other.tag_) return false;
  switch (tag_) {
    case TypeTag::kRef: return ref_ == other.ref_;
    case TypeTag::kArray: return node_ == other.node_ || element() == other.element();
    case TypeTag::kProduct: return node_ == other.node_ || product() == other.product();
    case TypeTag::kSum: return node_ == other.node_ || sum() == other.sum();
    default: return true;
  }
}

std::optional<size_t> ProductType::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < elements.size(); ++i)
    if (elements[i].name && *elements[i].name == name) return i;
  return std::nullopt;
}

std::optional<size_t> SumType::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < variants.size(); ++i)
    if (variants[i].name && *variants[i].name == name) return i;
  return std::nullopt;
}

AlgebraicType NamedProduct(std::vector<std::pair<std::string, AlgebraicType>> fields) {
  ProductType p;
  for (auto& [name, type] : fields) p.elements.push_back({std::move(name), std::move(type)});
  return AlgebraicType::Product(std::move(p));
}

AlgebraicType NamedSum(std::vector<std::pair<std::string, AlgebraicType>> variants) {
  SumType s;
  for (auto& [name, type] : variants) s.variants.push_back({std::move(name), std::move(type)});
  return AlgebraicType::Sum(std::move(s));
}

Result<const AlgebraicType*> Typespace::Resolve(const AlgebraicType& type) const {
  const AlgebraicType* t = &type;
  for (size_t hops = 0; t->IsRef(); ++hops) {
    if (t->ref() >= types.size())
      return Error(ErrorCode::kInvalidArgument,
                   "type reference " + std::to_string(t->ref()) + " is outside the typespace of " +
                       std::to_string(types.size()) + " types");
    if (hops > types.size()) return Error(ErrorCode::kInvalidArgument, "cycle of type references in the typespace");
    t = &types[t->ref()];
  }
  return t;
}

namespace {

Result<AlgebraicType> InlineRec(const Typespace& ts, const AlgebraicType& type, std::set<uint32_t>& active) {
  switch (type.tag()) {
    case TypeTag::kRef: {
      uint32_t r = type.ref();
      if (r >= ts.types.size())
        return Error(ErrorCode::kInvalidArgument, "type reference " + std::to_string(r) + " is outside the typespace");
      if (!active.insert(r).second)
        return Error(ErrorCode::kInvalidArgument,
                     "recursive type (reference " + std::to_string(r) + " contains itself) cannot be used here");
      auto inner = InlineRec(ts, ts.types[r], active);
      active.erase(r);
      return inner;
    }
    case TypeTag::kArray: {
      STDB_ASSIGN_OR_RETURN(auto elem, InlineRec(ts, type.element(), active));
      return AlgebraicType::Array(std::move(elem));
    }
    case TypeTag::kProduct: {
      ProductType p;
      for (const auto& e : type.product().elements) {
        STDB_ASSIGN_OR_RETURN(auto t, InlineRec(ts, e.type, active));
        p.elements.push_back({e.name, std::move(t)});
      }
      return AlgebraicType::Product(std::move(p));
    }
    case TypeTag::kSum: {
      SumType s;
      for (const auto& v : type.sum().variants) {
        STDB_ASSIGN_OR_RETURN(auto t, InlineRec(ts, v.type, active));
        s.variants.push_back({v.name, std::move(t)});
      }
      return AlgebraicType::Sum(std::move(s));
    }
    default:
      return type;
  }
}

}  // namespace

Result<AlgebraicType> Typespace::Inline(const AlgebraicType& type) const {
  std::set<uint32_t> active;
  return InlineRec(*this, type, active);
}

}  // namespace stdb::sats
