// SPACETIMEDB_STRUCT / SPACETIMEDB_ENUM / SPACETIMEDB_UNIT_* / SPACETIMEDB_NAMESPACE and the registration
// helpers: field reflection, the typespace they build (nested types first, Refs elsewhere), and their BSATN as
// the server's sats reads it with that typespace.
#include <gtest/gtest.h>

#include <spacetimedb.h>

#include "module_def_view.h"
#include "sats/bsatn.h"
#include "spacetimedb/internal/preinit.h"

struct Vec2 {
  float x;
  float y;
  bool operator==(const Vec2&) const = default;
};
SPACETIMEDB_STRUCT(Vec2, x, y);

struct Path {
  std::string name;
  std::vector<Vec2> points;
  std::optional<Vec2> start;
};
SPACETIMEDB_STRUCT(Path, name, points, start);

SPACETIMEDB_ENUM(Mood, Happy, Sad, Meh);

SPACETIMEDB_UNIT_TYPE(Nobody)
SPACETIMEDB_ENUM(Payload, (Number, int64_t), (Text, std::string), (Point, Vec2), (Empty, Nobody));
SPACETIMEDB_NAMESPACE(Payload, "Net.Wire");

SPACETIMEDB_UNIT_STRUCT(Marker);

// The official SDK's Unit and Vec spellings.
SPACETIMEDB_ENUM(Signal, (Go, SpacetimeDB::Unit), (Values, SpacetimeDB::Vec<int32_t>));

struct Tree {
  std::vector<Tree> children;
};
SPACETIMEDB_STRUCT(Tree, children);

namespace {

namespace sdk = SpacetimeDB;
namespace sats = stdb::sats;
using sdk::Internal::ModuleBuilder;
using sats_t = stdb::sats::AlgebraicType;
using sats_v = stdb::sats::AlgebraicValue;

// A fresh module state, as a new instance has.
void ResetModule() { sdk::Internal::RunPreinitsInHostOrder(); }

stdb::sdk_test::ModuleDefView Described() {
  auto view = stdb::sdk_test::DecodeModuleDef(ModuleBuilder::instance().Describe());
  EXPECT_TRUE(view.ok()) << view.error().message();
  return view.ok() ? *view : stdb::sdk_test::ModuleDefView{};
}

TEST(SdkMacros, ParameterNamesComeFromTheDeclarations) {
  using sdk::Internal::ParseParameterNames;
  EXPECT_EQ(ParseParameterNames("uint32_t id, std::string name"), (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(ParseParameterNames("std::map<int, int> m, const std::string& s, int x = 5"),
            (std::vector<std::string>{"m", "s", "x"}));
  EXPECT_EQ(ParseParameterNames("std::tuple<int, std::vector<int>> t, Vec2* p"), (std::vector<std::string>{"t", "p"}));
  EXPECT_TRUE(ParseParameterNames("").empty());
}

TEST(SdkMacros, ScopesSplitOnDots) {
  EXPECT_EQ(sdk::Internal::SplitScope("Net.Wire"), (std::vector<std::string>{"Net", "Wire"}));
  EXPECT_EQ(sdk::Internal::SplitScope("Auth"), (std::vector<std::string>{"Auth"}));
}

TEST(SdkMacros, StructFieldsListTheColumnsInOrder) {
  using Fields = sdk::Internal::StructFields<Path>;
  EXPECT_EQ(Fields::count, 3u);
  EXPECT_STREQ(Fields::names[1], "points");
  static_assert(sdk::Internal::ColumnIndexOf<Path>("start") == 2);
  static_assert(sdk::Internal::ColumnIndexOf<Path>("missing") == -1);
  Path p{"p", {{1, 2}}, std::nullopt};
  std::vector<size_t> visited;
  Fields::for_each(p, [&](size_t column, auto&) { visited.push_back(column); });
  EXPECT_EQ(visited, (std::vector<size_t>{0, 1, 2}));
}

TEST(SdkMacros, NestedStructsAreRegisteredFirstAndReferencedByRef) {
  ResetModule();
  const auto path_type = sdk::bsatn::algebraic_type_of<Path>();
  ASSERT_TRUE(path_type.is_ref());
  EXPECT_EQ(path_type.ref(), 1u);  // Vec2 took index 0 while Path was being built
  EXPECT_EQ(sdk::bsatn::algebraic_type_of<Vec2>().ref(), 0u);

  const auto view = Described();
  ASSERT_EQ(view.typespace.types.size(), 2u);
  EXPECT_EQ(view.typespace.types[0], sats::NamedProduct({{"x", sats_t::F32()}, {"y", sats_t::F32()}}));
  EXPECT_EQ(view.typespace.types[1],
            sats::NamedProduct({{"name", sats_t::String()},
                                {"points", sats_t::Array(sats_t::Ref(0))},
                                {"start", sats_t::Option(sats_t::Ref(0))}}));
  ASSERT_EQ(view.types.size(), 2u);
  EXPECT_EQ(view.types[0].name, "Vec2");
  EXPECT_EQ(view.types[1].name, "Path");
  EXPECT_EQ(view.types[1].ty, 1u);
  EXPECT_TRUE(view.types[1].custom_ordering);

  // A value written by the SDK decodes with the typespace it described.
  const Path path{"route", {{1.5f, -2}, {0, 0}}, Vec2{3, 4}};
  auto decoded = stdb::sats::bsatn::DecodeValue(sats_t::Ref(1), sdk::bsatn::to_bytes(path), &view.typespace);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(decoded->AsProduct().elements[0].AsString(), "route");
  EXPECT_EQ(decoded->AsProduct().elements[1].AsArray().elements.size(), 2u);
  const auto round_trip = sdk::bsatn::from_bytes<Path>(stdb::sats::bsatn::EncodeValue(*decoded));
  ASSERT_TRUE(round_trip.has_value());
  EXPECT_EQ(round_trip->points, path.points);
  EXPECT_EQ(round_trip->start, path.start);
}

TEST(SdkMacros, SimpleEnumIsASumOfUnitVariants) {
  ResetModule();
  EXPECT_EQ(static_cast<int>(Mood::Meh), 2);
  ASSERT_TRUE(sdk::bsatn::algebraic_type_of<Mood>().is_ref());
  const auto view = Described();
  ASSERT_EQ(view.typespace.types.size(), 1u);
  EXPECT_EQ(view.typespace.types[0],
            sats::NamedSum({{"Happy", sats_t::Unit()}, {"Sad", sats_t::Unit()}, {"Meh", sats_t::Unit()}}));
  EXPECT_EQ(sdk::bsatn::to_bytes(Mood::Sad), (std::vector<uint8_t>{1}));
  EXPECT_EQ(sdk::bsatn::from_bytes<Mood>(std::vector<uint8_t>{2}), Mood::Meh);
  EXPECT_FALSE(sdk::bsatn::from_bytes<Mood>(std::vector<uint8_t>{3}).has_value());
}

TEST(SdkMacros, TaggedEnumIsATaggedUnionWithItsScope) {
  ResetModule();  // runs the SPACETIMEDB_NAMESPACE preinit
  const auto type = sdk::bsatn::algebraic_type_of<Payload>();
  const auto view = Described();
  ASSERT_TRUE(type.is_ref());
  const stdb::sdk_test::TypeDefView* def = view.type("Payload");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->scope, (std::vector<std::string>{"Net", "Wire"}));
  const auto vec2 = view.type("Vec2");
  ASSERT_NE(vec2, nullptr);
  EXPECT_EQ(view.typespace.types.at(def->ty),
            sats::NamedSum({{"Number", sats_t::I64()},
                            {"Text", sats_t::String()},
                            {"Point", sats_t::Ref(vec2->ty)},
                            {"Empty", sats_t::Unit()}}));

  const Payload text = std::string("hi");
  EXPECT_EQ(text.index(), 1u);
  EXPECT_STREQ(text.variant_name(), "Text");
  auto decoded = stdb::sats::bsatn::DecodeValue(sats_t::Ref(def->ty), sdk::bsatn::to_bytes(text), &view.typespace);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(*decoded, sats_v::Sum(1, sats_v::String("hi")));

  const auto point = sdk::bsatn::from_bytes<Payload>(
      stdb::sats::bsatn::EncodeValue(sats_v::Sum(2, sats_v::Product({sats_v::F32(1), sats_v::F32(2)}))));
  ASSERT_TRUE(point.has_value());
  EXPECT_EQ(std::get<Vec2>(point->value), (Vec2{1, 2}));
  const auto empty = sdk::bsatn::from_bytes<Payload>(std::vector<uint8_t>{3});
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->index(), 3u);
  EXPECT_FALSE(sdk::bsatn::from_bytes<Payload>(std::vector<uint8_t>{4}).has_value());
}

TEST(SdkMacros, UnitAndVecAliases) {
  ResetModule();
  (void)sdk::bsatn::algebraic_type_of<Signal>();
  const auto view = Described();
  ASSERT_EQ(view.typespace.types.size(), 1u);
  EXPECT_EQ(view.typespace.types[0], sats::NamedSum({{"Go", sats_t::Unit()}, {"Values", sats_t::Array(sats_t::I32())}}));
  const Signal values = std::vector<int32_t>{1, 2};
  EXPECT_EQ(sdk::bsatn::to_bytes(values), (std::vector<uint8_t>{1, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0}));
}

TEST(SdkMacros, UnitStructIsANamedEmptyProduct) {
  ResetModule();
  ASSERT_TRUE(sdk::bsatn::algebraic_type_of<Marker>().is_ref());
  EXPECT_TRUE(sdk::bsatn::algebraic_type_of<Nobody>().is_unit());
  const auto view = Described();
  ASSERT_EQ(view.types.size(), 1u);
  EXPECT_EQ(view.types[0].name, "Marker");
  EXPECT_TRUE(view.typespace.types[0].IsUnit());
  EXPECT_TRUE(sdk::bsatn::to_bytes(Marker{}).empty());
}

TEST(SdkMacros, RecursiveTypeTurnsTheDefinitionIntoANamedError) {
  ResetModule();
  (void)sdk::bsatn::algebraic_type_of<Tree>();
  EXPECT_TRUE(ModuleBuilder::instance().has_error());
  const auto view = Described();
  EXPECT_TRUE(view.tables.empty());
  ASSERT_EQ(view.types.size(), 1u);
  EXPECT_EQ(view.types[0].name, "ERROR_RECURSIVE_TYPE_Tree");
  EXPECT_EQ(view.types[0].ty, 999999u);
  ResetModule();
  EXPECT_FALSE(ModuleBuilder::instance().has_error());
}

}  // namespace
