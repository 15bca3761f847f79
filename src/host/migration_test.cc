#include "host/migration.h"

#include <gtest/gtest.h>

#include "host/module_def_builder.h"
#include "host/module_schema.h"

namespace stdb::host {
namespace {

using testing::T;
using testing::V10Builder;
using V = sats::AlgebraicValue;
using table::TableId;

// A module with table person(id u32 pk auto-inc, name string) and an index on name.
V10Builder Base() {
  V10Builder b;
  uint32_t person = b.AddType(sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}}), "Person");
  auto& t = b.AddTable("person", person);
  V10Builder::PrimaryKeyAutoInc(t, 0, "id");
  t.indexes.push_back({"person_name_idx_btree", "name", RawIndexAlgorithm::BTree({1})});
  b.AddReducer("add", sats::ProductType({{"name", T::String()}}));
  return b;
}

ModuleDef Def(const V10Builder& b) {
  auto d = b.Validate();
  EXPECT_TRUE(d.ok()) << d.error().message();
  return std::move(*d);
}

std::unique_ptr<datastore::Datastore> Published(const ModuleDef& def) {
  auto ds = datastore::Datastore::Create();
  auto tx = *ds->BeginMutTx();
  EXPECT_TRUE(CreateModuleTables(def, *tx).ok());
  tx->Commit();
  return ds;
}

TEST(Migration, IdenticalModulesNeedNothing) {
  auto plan = PlanAutoMigration(Def(Base()), Def(Base()));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());
  EXPECT_FALSE(plan->breaks_clients);
}

TEST(Migration, AddTableIndexAndColumnWithDefault) {
  ModuleDef old_def = Def(Base());
  V10Builder b;
  uint32_t person = b.AddType(sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}, {"age", T::U8()}}), "Person");
  auto& t = b.AddTable("person", person);
  V10Builder::PrimaryKeyAutoInc(t, 0, "id");
  t.indexes.push_back({"person_age_idx_btree", "age", RawIndexAlgorithm::BTree({2})});  // name index removed, age added
  t.default_values.push_back({2, sats::bsatn::EncodeValue(V::U8(18))});
  uint32_t pet = b.AddType(sats::NamedProduct({{"name", T::String()}}), "Pet");
  b.AddTable("pet", pet);
  b.AddReducer("add", sats::ProductType({{"name", T::String()}}));
  ModuleDef new_def = Def(b);

  auto plan = PlanAutoMigration(old_def, new_def);
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  EXPECT_TRUE(plan->breaks_clients);  // a new column
  std::string described = plan->Describe();
  EXPECT_NE(described.find("add table pet"), std::string::npos);
  EXPECT_NE(described.find("add columns to person: age"), std::string::npos);
  EXPECT_NE(described.find("remove index person_name_idx_btree"), std::string::npos);

  auto ds = Published(old_def);
  {
    auto tx = *ds->BeginMutTx();
    TableId id = *tx->TableIdFromName("person");
    ASSERT_TRUE(tx->Insert(id, sats::bsatn::EncodeValue(V::Product({V::U32(0), V::String("ann")}))).ok());
    tx->Commit();
  }
  auto tx = *ds->BeginMutTx();
  Status s = ApplyAutoMigration(*plan, old_def, new_def, *tx);
  ASSERT_TRUE(s.ok()) << s.error().message();
  tx->Commit();
  TableId person_id = *ds->TableIdByName("person");
  const auto& schema = ds->GetTable(person_id)->schema();
  ASSERT_EQ(schema.columns.size(), 3u);
  EXPECT_EQ(schema.FindIndexByName("person_name_idx_btree"), nullptr);
  EXPECT_NE(schema.FindIndexByName("person_age_idx_btree"), nullptr);
  EXPECT_TRUE(ds->TableIdByName("pet").has_value());
  // The existing row got the default, and the sequence continues.
  std::vector<sats::Bytes> rows;
  ds->GetTable(person_id)->rows().view().ForEach([&](table::RowId, sats::ByteSpan r) { rows.emplace_back(r.begin(), r.end()); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], sats::bsatn::EncodeValue(V::Product({V::U32(1), V::String("ann"), V::U8(18)})));
  auto tx2 = *ds->BeginMutTx();
  auto r = tx2->Insert(person_id, sats::bsatn::EncodeValue(V::Product({V::U32(0), V::String("bo"), V::U8(1)})));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->generated, sats::bsatn::EncodeValue(V::U32(2)));
}

TEST(Migration, IncompatibleChangesAreAllReported) {
  ModuleDef old_def = Def(Base());
  V10Builder b;
  uint32_t person = b.AddType(sats::NamedProduct({{"id", T::U64()}, {"extra", T::String()}}), "Person");
  V10Builder::PrimaryKeyAutoInc(b.AddTable("person", person), 0, "id");
  auto plan = PlanAutoMigration(old_def, Def(b));
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message().find("changing the type of column id"), std::string::npos);
  EXPECT_NE(plan.error().message().find("column 1 changed from name to extra"), std::string::npos);
}

TEST(Migration, NewColumnWithoutDefaultNeedsManualMigration) {
  V10Builder b;
  uint32_t person = b.AddType(sats::NamedProduct({{"id", T::U32()}, {"name", T::String()}, {"age", T::U8()}}), "Person");
  V10Builder::PrimaryKeyAutoInc(b.AddTable("person", person), 0, "id");
  auto plan = PlanAutoMigration(Def(Base()), Def(b));
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message().find("new column age has no default"), std::string::npos);
}

TEST(Migration, RemovingANonEmptyTableFailsAtApply) {
  ModuleDef old_def = Def(Base());
  V10Builder b;
  b.AddReducer("add", sats::ProductType({{"name", T::String()}}));
  ModuleDef new_def = Def(b);
  auto plan = PlanAutoMigration(old_def, new_def);
  ASSERT_TRUE(plan.ok());
  auto ds = Published(old_def);
  {
    auto tx = *ds->BeginMutTx();
    ASSERT_TRUE(tx->Insert(*tx->TableIdFromName("person"), sats::bsatn::EncodeValue(V::Product({V::U32(0), V::String("x")}))).ok());
    tx->Commit();
  }
  auto tx = *ds->BeginMutTx();
  Status s = ApplyAutoMigration(*plan, old_def, new_def, *tx);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("non-empty"), std::string::npos);
  tx->Rollback();
  EXPECT_TRUE(ds->TableIdByName("person").has_value());
}

TEST(Migration, AddingAUniqueConstraintThatDataViolatesFails) {
  ModuleDef old_def = Def(Base());
  V10Builder b = Base();
  b.tables[0].indexes.back() = {"person_name_idx_btree", "name", RawIndexAlgorithm::BTree({1})};
  b.tables[0].constraints.push_back({std::nullopt, {1}});
  ModuleDef new_def = Def(b);
  auto plan = PlanAutoMigration(old_def, new_def);
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  auto ds = Published(old_def);
  {
    auto tx = *ds->BeginMutTx();
    TableId id = *tx->TableIdFromName("person");
    ASSERT_TRUE(tx->Insert(id, sats::bsatn::EncodeValue(V::Product({V::U32(0), V::String("same")}))).ok());
    ASSERT_TRUE(tx->Insert(id, sats::bsatn::EncodeValue(V::Product({V::U32(0), V::String("same")}))).ok());
    tx->Commit();
  }
  auto tx = *ds->BeginMutTx();
  Status s = ApplyAutoMigration(*plan, old_def, new_def, *tx);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kConstraint);
}

}  // namespace
}  // namespace stdb::host
