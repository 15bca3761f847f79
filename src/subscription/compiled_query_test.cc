#include "subscription/compiled_query.h"

#include <gtest/gtest.h>

#include "subscription/test_util.h"

namespace stdb::subscription {
namespace {

using namespace testing;

class CompiledQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // t(id u32 unique, x u32 indexed, f f64, owner identity); s(id u32 unique, t_id u32 indexed, z u32);
    // u(id u32, t_id u32) with no indexes; secret private.
    t_ = db_.CreateTable("t",
                         {{"id", AlgebraicType::U32()},
                          {"x", AlgebraicType::U32()},
                          {"f", AlgebraicType::F64()},
                          {"owner", AlgebraicType::Identity()}},
                         {{{0}, true}, {{1}}});
    s_ = db_.CreateTable("s", {{"id", AlgebraicType::U32()}, {"t_id", AlgebraicType::U32()}, {"z", AlgebraicType::U32()}},
                         {{{0}, true}, {{1}}});
    u_ = db_.CreateTable("u", {{"id", AlgebraicType::U32()}, {"t_id", AlgebraicType::U32()}});
    db_.CreateTable("secret", {{"id", AlgebraicType::U32()}}, {}, /*is_public=*/false);
    db_.CreateTable("ev", {{"id", AlgebraicType::U32()}, {"t_id", AlgebraicType::U32()}}, {{{1}}}, true,
                    /*is_event=*/true);
  }

  Result<std::shared_ptr<const CompiledQuery>> Compile(const std::string& sql,
                                                       const sql::CallerContext& caller = User()) {
    auto view = db_.View();
    sql::DatabaseViewSchema schema(*view);
    return CompiledQuery::Compile(sql, caller, schema);
  }

  std::string ErrorOf(const std::string& sql, const sql::CallerContext& caller = User()) {
    auto q = Compile(sql, caller);
    if (q.ok()) return "compiled";
    return q.error().message();
  }

  TestDb db_;
  table::TableId t_ = 0, s_ = 0, u_ = 0;
};

TEST_F(CompiledQueryTest, RefusesWhatTheSubscriptionLanguageRefuses) {
  const std::string projection =
      "Column projections are not supported in subscriptions; Subscriptions must return a table type";
  // The reference's message (ours adds where in the text), then the query.
  for (std::string sql : {"SELECT id FROM t", "SELECT COUNT(*) AS n FROM t", "SELECT t.id, t.x FROM t"}) {
    std::string error = ErrorOf(sql);
    EXPECT_EQ(error.rfind(projection, 0), 0u) << error;
    EXPECT_NE(error.find(", executing: `" + sql + "`"), std::string::npos) << error;
  }
  EXPECT_EQ(ErrorOf("SELECT * FROM t LIMIT 5").rfind("Unsupported: LIMIT", 0), 0u) << ErrorOf("SELECT * FROM t LIMIT 5");
  EXPECT_EQ(ErrorOf("DELETE FROM t").rfind("Unsupported", 0), 0u) << ErrorOf("DELETE FROM t");
  EXPECT_NE(ErrorOf("SELECT * FROM t JOIN s ON t.id = s.t_id").find("SELECT * is not supported for joins"),
            std::string::npos);
  EXPECT_NE(ErrorOf("SELEC * FROM t").find(", executing: `SELEC * FROM t`"), std::string::npos);
  EXPECT_EQ(ErrorOf(""), "Empty string, executing: ``");
  EXPECT_EQ(ErrorOf("   "), "Empty string, executing: `   `");
}

TEST_F(CompiledQueryTest, UnknownAndPrivateTables) {
  EXPECT_NE(ErrorOf("SELECT * FROM nope").find("no such table: `nope`"), std::string::npos);
  // A private table does not exist for a client; the owner sees it.
  EXPECT_NE(ErrorOf("SELECT * FROM secret").find("no such table: `secret`"), std::string::npos);
  EXPECT_EQ(ErrorOf("SELECT * FROM secret", Owner()), "compiled");
}

TEST_F(CompiledQueryTest, JoinsNeedIndexesOnEveryJoinColumn) {
  const std::string needs = "Subscriptions require indexes on join columns";
  EXPECT_EQ(ErrorOf("SELECT t.* FROM t JOIN s ON t.id = s.t_id"), "compiled");
  EXPECT_EQ(ErrorOf("SELECT s.* FROM t JOIN s ON t.id = s.t_id WHERE t.x = 3"), "compiled");
  // u.t_id has no index: the delta of t could not reach u through an index.
  EXPECT_EQ(ErrorOf("SELECT t.* FROM t JOIN u ON t.id = u.t_id"),
            needs + ", executing: `SELECT t.* FROM t JOIN u ON t.id = u.t_id`");
  // s.z has no index, although t.id does (the reference would accept this; its deltas would scan s).
  EXPECT_EQ(ErrorOf("SELECT t.* FROM t JOIN s ON t.id = s.z").rfind(needs, 0), 0u);
  // A cross join has no join column at all.
  EXPECT_EQ(ErrorOf("SELECT t.* FROM t CROSS JOIN s").rfind(needs, 0), 0u);
  EXPECT_EQ(ErrorOf("SELECT t.* FROM t CROSS JOIN s WHERE t.x < s.id").rfind(needs, 0), 0u);
  // Three and four tables, and a self-join, all through indexes.
  EXPECT_EQ(ErrorOf("SELECT t.* FROM t JOIN s ON t.id = s.t_id JOIN t AS t2 ON s.id = t2.x"), "compiled");
  EXPECT_EQ(ErrorOf("SELECT a.* FROM t AS a JOIN t AS b ON a.x = b.id"), "compiled");
}

TEST_F(CompiledQueryTest, LimitsTheNumberOfTables) {
  std::string sql = "SELECT t0.* FROM t AS t0";
  for (int i = 1; i <= 8; ++i)
    sql += " JOIN t AS t" + std::to_string(i) + " ON t" + std::to_string(i - 1) + ".x = t" + std::to_string(i) + ".id";
  EXPECT_EQ(ErrorOf(sql), "Invalid number of tables in subscription: 9, executing: `" + sql + "`");
  // Eight tables are fine.
  std::string eight = "SELECT t0.* FROM t AS t0";
  for (int i = 1; i < 8; ++i)
    eight += " JOIN t AS t" + std::to_string(i) + " ON t" + std::to_string(i - 1) + ".x = t" + std::to_string(i) + ".id";
  EXPECT_EQ(ErrorOf(eight), "compiled");
}

TEST_F(CompiledQueryTest, EventTablesOnlyAsTheReturnedTable) {
  EXPECT_EQ(ErrorOf("SELECT * FROM ev"), "compiled");
  EXPECT_EQ(ErrorOf("SELECT ev.* FROM ev JOIN t ON ev.t_id = t.id"), "compiled");
  EXPECT_EQ(ErrorOf("SELECT t.* FROM t JOIN ev ON ev.t_id = t.id").rfind(
                "Event tables cannot be used as the lookup table in subscription joins", 0),
            0u);
}

TEST_F(CompiledQueryTest, KeysAreSharedUnlessTheQueryDependsOnTheCaller) {
  auto shared = Compile("SELECT * FROM t WHERE x = 1");
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ((*shared)->key(), QueryKey::Shared("SELECT * FROM t WHERE x = 1"));
  EXPECT_FALSE((*shared)->compiled_for_owner());

  auto sender = Compile("SELECT * FROM t WHERE owner = :sender", User(7));
  ASSERT_TRUE(sender.ok());
  EXPECT_EQ((*sender)->key(), QueryKey::ForCaller("SELECT * FROM t WHERE owner = :sender", IdentityOf(7), false));
  EXPECT_EQ((*sender)->params().sender(), IdentityOf(7));

  auto owner = Compile("SELECT * FROM t WHERE x = 1", Owner());
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ((*owner)->key(), QueryKey::ForCaller("SELECT * FROM t WHERE x = 1", Owner().identity, true));
  EXPECT_TRUE((*owner)->compiled_for_owner());

  // A row-level-security rule reading :sender makes every client's query its own; the owner bypasses it.
  db_.AddRlsRule(t_, "SELECT * FROM t WHERE owner = :sender");
  auto rls = Compile("SELECT * FROM t");
  ASSERT_TRUE(rls.ok());
  EXPECT_TRUE((*rls)->key().per_caller);
  EXPECT_TRUE((*rls)->query().rls_applied);
  auto owner_rls = Compile("SELECT * FROM t", Owner());
  ASSERT_TRUE(owner_rls.ok());
  EXPECT_FALSE((*owner_rls)->query().rls_applied);
}

TEST_F(CompiledQueryTest, TriggersFromEqualityConstants) {
  auto eq = Compile("SELECT * FROM t WHERE x = 5 AND id > 2");
  ASSERT_TRUE(eq.ok());
  ASSERT_EQ((*eq)->triggers().size(), 1u);
  const TableTrigger& t = (*eq)->triggers()[0];
  EXPECT_EQ(t.table_id, t_);
  EXPECT_FALSE(t.any_row);
  ASSERT_EQ(t.equalities.size(), 1u);
  EXPECT_EQ(t.equalities[0].first, 1);
  EXPECT_EQ(t.equalities[0].second, sats::bsatn::EncodeValue(AlgebraicValue::U32(5)));

  auto range = Compile("SELECT * FROM t WHERE x > 5");
  ASSERT_TRUE(range.ok());
  EXPECT_TRUE((*range)->triggers()[0].any_row);

  // Floats compare by value, not bytes (0.0 = -0.0): never used for pruning.
  auto flt = Compile("SELECT * FROM t WHERE f = 0.0");
  ASSERT_TRUE(flt.ok());
  EXPECT_TRUE((*flt)->triggers()[0].any_row);

  auto sender = Compile("SELECT * FROM t WHERE owner = :sender", User(3));
  ASSERT_TRUE(sender.ok());
  ASSERT_FALSE((*sender)->triggers()[0].any_row);
  const sats::Identity id3 = IdentityOf(3);
  const auto& le = id3.le_bytes();
  EXPECT_EQ((*sender)->triggers()[0].equalities[0].second, sats::Bytes(le.begin(), le.end()));

  // A join: t is filtered by a constant; s only through the join, so a changed row of s matters only if the t row
  // it joins (found through t's unique index on id) has x = 4.
  auto join = Compile("SELECT s.* FROM t JOIN s ON t.id = s.t_id WHERE t.x = 4");
  ASSERT_TRUE(join.ok());
  ASSERT_EQ((*join)->triggers().size(), 2u);
  for (const TableTrigger& trig : (*join)->triggers()) {
    EXPECT_FALSE(trig.any_row);
    if (trig.table_id == t_) {
      ASSERT_EQ(trig.equalities.size(), 1u);
      EXPECT_EQ(trig.equalities[0].first, 1);
      EXPECT_TRUE(trig.joins.empty());
    } else {
      EXPECT_EQ(trig.table_id, s_);
      EXPECT_TRUE(trig.equalities.empty());
      ASSERT_EQ(trig.joins.size(), 1u);
      const JoinTrigger& j = trig.joins[0];
      EXPECT_EQ(j.column, 1);  // s.t_id
      EXPECT_EQ(j.other_table, t_);
      EXPECT_EQ(j.other_index.columns, std::vector<table::ColId>{0});
      EXPECT_EQ(j.other_column, 1);  // t.x
      EXPECT_EQ(j.value, sats::bsatn::EncodeValue(AlgebraicValue::U32(4)));
    }
  }
  EXPECT_EQ((*join)->table_id(), s_);
  EXPECT_EQ((*join)->table_name(), "s");

  // Without a constant on either side, any change of either table matters.
  auto plain = Compile("SELECT s.* FROM t JOIN s ON t.id = s.t_id");
  ASSERT_TRUE(plain.ok());
  for (const TableTrigger& trig : (*plain)->triggers()) EXPECT_TRUE(trig.any_row);

  // A self-join: the constrained occurrence of t gives an equality, the other a join trigger through it.
  auto self = Compile("SELECT a.* FROM t AS a JOIN t AS b ON a.x = b.id WHERE a.x = 1");
  ASSERT_TRUE(self.ok());
  ASSERT_EQ((*self)->triggers().size(), 1u);
  EXPECT_FALSE((*self)->triggers()[0].any_row);
  EXPECT_EQ((*self)->triggers()[0].equalities.size(), 1u);
  EXPECT_EQ((*self)->triggers()[0].joins.size(), 1u);
  // One occurrence constrained by nothing at all: any change matters.
  auto loose = Compile("SELECT a.* FROM t AS a JOIN t AS b ON a.x = b.id WHERE a.f > 1.0");
  ASSERT_TRUE(loose.ok());
  EXPECT_TRUE((*loose)->triggers()[0].any_row);
}

}  // namespace
}  // namespace stdb::subscription
