#include "sats/algebraic_type.h"

#include <gtest/gtest.h>

namespace stdb::sats {
namespace {

TEST(AlgebraicType, TagsMatchTheReference) {
  EXPECT_EQ(static_cast<int>(TypeTag::kRef), 0);
  EXPECT_EQ(static_cast<int>(TypeTag::kString), 4);
  EXPECT_EQ(static_cast<int>(TypeTag::kU32), 11);
  EXPECT_EQ(static_cast<int>(TypeTag::kF64), 19);
  EXPECT_EQ(TypeTagName(TypeTag::kU256), "U256");
}

TEST(AlgebraicType, RecognisesSpecialTypesStructurally) {
  EXPECT_TRUE(AlgebraicType::Identity().IsIdentity());
  EXPECT_TRUE(AlgebraicType::ConnectionId().IsConnectionId());
  EXPECT_TRUE(AlgebraicType::Timestamp().IsTimestamp());
  EXPECT_TRUE(AlgebraicType::TimeDuration().IsTimeDuration());
  EXPECT_TRUE(AlgebraicType::Uuid().IsUuid());
  EXPECT_TRUE(AlgebraicType::ScheduleAt().IsScheduleAt());
  EXPECT_TRUE(AlgebraicType::Option(AlgebraicType::U8()).IsOption());
  EXPECT_TRUE(AlgebraicType::Result(AlgebraicType::Unit(), AlgebraicType::String()).IsResult());
  EXPECT_FALSE(NamedProduct({{"__identity__", AlgebraicType::U128()}}).IsIdentity());
  EXPECT_FALSE(NamedProduct({{"identity", AlgebraicType::U256()}}).IsIdentity());
  EXPECT_TRUE(NamedSum({{"a", AlgebraicType::Unit()}, {"b", AlgebraicType::Unit()}}).IsSimpleEnum());
  EXPECT_FALSE(AlgebraicType::Never().IsSimpleEnum());
  EXPECT_TRUE(AlgebraicType::Unit().IsUnit());
  EXPECT_TRUE(AlgebraicType().IsUnit());
}

TEST(AlgebraicType, StructuralEquality) {
  auto a = NamedProduct({{"x", AlgebraicType::U32()}, {"y", AlgebraicType::Array(AlgebraicType::String())}});
  auto b = NamedProduct({{"x", AlgebraicType::U32()}, {"y", AlgebraicType::Array(AlgebraicType::String())}});
  auto c = NamedProduct({{"x", AlgebraicType::U32()}, {"z", AlgebraicType::Array(AlgebraicType::String())}});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(AlgebraicType::Ref(1), AlgebraicType::Ref(2));
}

TEST(AlgebraicType, FixedSize) {
  EXPECT_EQ(NamedProduct({{"a", AlgebraicType::U32()}, {"b", AlgebraicType::I64()}}).FixedBsatnSize(), 12u);
  EXPECT_EQ(AlgebraicType::Identity().FixedBsatnSize(), 32u);
  EXPECT_EQ(AlgebraicType::ScheduleAt().FixedBsatnSize(), 9u);
  EXPECT_FALSE(AlgebraicType::String().FixedBsatnSize());
  EXPECT_FALSE(AlgebraicType::Option(AlgebraicType::U8()).FixedBsatnSize());
}

TEST(Typespace, ResolveAndInline) {
  Typespace ts;
  ts.types.push_back(NamedProduct({{"id", AlgebraicType::U32()}, {"next", AlgebraicType::Ref(1)}}));
  ts.types.push_back(AlgebraicType::String());
  auto inlined = ts.Inline(AlgebraicType::Ref(0));
  ASSERT_TRUE(inlined.ok());
  EXPECT_EQ(*inlined, NamedProduct({{"id", AlgebraicType::U32()}, {"next", AlgebraicType::String()}}));

  Typespace recursive;
  recursive.types.push_back(AlgebraicType::Option(AlgebraicType::Ref(0)));
  auto r = recursive.Inline(AlgebraicType::Ref(0));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("recursive"), std::string::npos);
  EXPECT_FALSE(ts.Resolve(AlgebraicType::Ref(7)).ok());

  Typespace cycle;
  cycle.types.push_back(AlgebraicType::Ref(1));
  cycle.types.push_back(AlgebraicType::Ref(0));
  EXPECT_FALSE(cycle.Resolve(AlgebraicType::Ref(0)).ok());
}

TEST(AlgebraicType, ToStringIsReadable) {
  EXPECT_EQ(AlgebraicType::Array(AlgebraicType::U8()).ToString(), "Array<U8>");
  EXPECT_EQ(AlgebraicType::Option(AlgebraicType::String()).ToString(), "Option<String>");
  EXPECT_EQ(AlgebraicType::Identity().ToString(), "Identity");
  EXPECT_EQ(NamedProduct({{"id", AlgebraicType::U32()}}).ToString(), "(id: U32)");
}

}  // namespace
}  // namespace stdb::sats
