// AlgebraicType construction helpers and BSATN encoding (layout in bsatn/algebraic_type.h).
#include "spacetimedb/bsatn/algebraic_type.h"

namespace SpacetimeDB::bsatn {

namespace {

const std::vector<NamedType>& EmptyMembers() {
  static const std::vector<NamedType> empty;
  return empty;
}

void EncodeOptionalName(const std::optional<std::string>& name, Writer& w) {
  if (name) {
    w.write_u8(0);  // some
    w.write_string(*name);
  } else {
    w.write_u8(1);  // none
  }
}

void EncodeMembers(const std::vector<NamedType>& members, Writer& w) {
  w.write_u32_le(static_cast<uint32_t>(members.size()));
  for (const NamedType& member : members) {
    EncodeOptionalName(member.name, w);
    member.type->encode(w);
  }
}

}  // namespace

AlgebraicType AlgebraicType::option(AlgebraicType some) {
  return make_sum(NamedTypeListBuilder().add("some", std::move(some)).add("none", Unit()).build());
}

AlgebraicType AlgebraicType::result(AlgebraicType ok, AlgebraicType err) {
  return make_sum(NamedTypeListBuilder().add("ok", std::move(ok)).add("err", std::move(err)).build());
}

AlgebraicType AlgebraicType::special(const char* field_name, AlgebraicType field_type) {
  return make_product(NamedTypeListBuilder().add(field_name, std::move(field_type)).build());
}

const std::vector<NamedType>& AlgebraicType::members() const {
  if ((is_product() || is_sum()) && members_) return *members_;
  return EmptyMembers();
}

void AlgebraicType::encode(Writer& w) const {
  w.write_u8(static_cast<uint8_t>(tag_));
  switch (tag_) {
    case AlgebraicTypeTag::Ref:
      w.write_u32_le(ref_);
      break;
    case AlgebraicTypeTag::Sum:
    case AlgebraicTypeTag::Product:
      EncodeMembers(*members_, w);
      break;
    case AlgebraicTypeTag::Array:
      element().encode(w);
      break;
    default:  // primitives carry no payload
      break;
  }
}

bool AlgebraicType::operator==(const AlgebraicType& other) const {
  if (tag_ != other.tag_) return false;
  switch (tag_) {
    case AlgebraicTypeTag::Ref:
      return ref_ == other.ref_;
    case AlgebraicTypeTag::Sum:
    case AlgebraicTypeTag::Product:
    case AlgebraicTypeTag::Array: {
      const auto& a = *members_;
      const auto& b = *other.members_;
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name || !(*a[i].type == *b[i].type)) return false;
      return true;
    }
    default:
      return true;
  }
}

void encode_product_type(const std::vector<NamedType>& elements, Writer& w) { EncodeMembers(elements, w); }

}  // namespace SpacetimeDB::bsatn
