#include "sql/binder/binder.h"

#include <gtest/gtest.h>

#include "sql/parser/parser.h"
#include "sql/testing/test_database.h"

namespace stdb::sql {
namespace {

using namespace testing;
using sats::AlgebraicType;

// The schema of crates/expr/src/check.rs tests.
class BinderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.CreateTable("t", {{"ts", AlgebraicType::Timestamp()}, {"i8", AlgebraicType::I8()}, {"u8", AlgebraicType::U8()},
                          {"i16", AlgebraicType::I16()}, {"u16", AlgebraicType::U16()}, {"i32", AlgebraicType::I32()},
                          {"u32", AlgebraicType::U32()}, {"i64", AlgebraicType::I64()}, {"u64", AlgebraicType::U64()},
                          {"int", AlgebraicType::U32()}, {"f32", AlgebraicType::F32()}, {"f64", AlgebraicType::F64()},
                          {"i128", AlgebraicType::I128()}, {"u128", AlgebraicType::U128()},
                          {"i256", AlgebraicType::I256()}, {"u256", AlgebraicType::U256()},
                          {"str", AlgebraicType::String()}, {"arr", AlgebraicType::Array(AlgebraicType::String())},
                          {"flag", AlgebraicType::Bool()}, {"cid", AlgebraicType::ConnectionId()},
                          {"uuid", AlgebraicType::Uuid()}, {"dur", AlgebraicType::TimeDuration()}});
    db_.CreateTable("s", {{"id", AlgebraicType::Identity()}, {"u32", AlgebraicType::U32()},
                          {"arr", AlgebraicType::Array(AlgebraicType::String())}, {"bytes", AlgebraicType::Bytes()}});
    snapshot_ = db_.datastore().TakeSnapshot();
    schema_ = std::make_unique<DatabaseViewSchema>(*snapshot_);
  }

  Result<LogicalQuery> Sub(const std::string& sql) {
    STDB_ASSIGN_OR_RETURN(parser::SelectStmt select, parser::ParseSubscription(sql));
    BindOptions options;
    options.language = Language::kSubscription;
    return BindSelect(select, *schema_, options);
  }

  Result<BoundStatement> Sql(const std::string& sql) {
    STDB_ASSIGN_OR_RETURN(parser::Statement stmt, parser::ParseSql(sql));
    return Bind(stmt, *schema_, BindOptions{});
  }

  std::string SqlError(const std::string& sql) {
    auto r = Sql(sql);
    EXPECT_FALSE(r.ok()) << sql;
    return r.ok() ? "" : r.error().message();
  }

  std::string Where(const std::string& sql) {
    auto r = Sql(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << (r.ok() ? "" : r.error().message());
    if (!r.ok()) return "";
    return std::get<SelectStatement>(*r).query.fragments[0].ConditionToString();
  }

  TestDatabase db_;
  std::shared_ptr<const datastore::DatabaseView> snapshot_;
  std::unique_ptr<DatabaseViewSchema> schema_;
};

// check.rs valid_literals and valid_literals_for_type.
TEST_F(BinderTest, ReferenceValidLiterals) {
  for (const char* sql : {
           "select * from t where i32 = -1", "select * from t where u32 = +1", "select * from t where u32 = 1e3",
           "select * from t where u32 = 1E3", "select * from t where f32 = 1e3", "select * from t where f32 = 1e-3",
           "select * from t where f32 = 0.1", "select * from t where f32 = .1", "select * from t where f32 = 1e40",
           "select * from t where u256 = 1e40", "select * from t where ts = '2025-02-10T15:45:30Z'",
           "select * from t where ts = '2025-02-10T15:45:30.123Z'",
           "select * from t where ts = '2025-02-10T15:45:30.123456789Z'",
           "select * from t where ts = '2025-02-10 15:45:30+02:00'",
           "select * from t where ts = '2025-02-10 15:45:30.123+02:00'",
       }) {
    auto r = Sub(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().message();
  }
  for (const char* ty : {"i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64", "i128", "u128", "i256",
                         "u256"}) {
    std::string sql = std::string("select * from t where ") + ty + " = 127";
    auto r = Sub(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().message();
  }
}

// check.rs invalid_literals.
TEST_F(BinderTest, ReferenceInvalidLiterals) {
  for (const char* sql : {"select * from t where u8 = -1", "select * from t where u8 = 1e3",
                          "select * from t where u8 = 0.1", "select * from t where u32 = 1e-3",
                          "select * from t where i32 = 1e-3"}) {
    EXPECT_FALSE(Sub(sql).ok()) << sql;
  }
}

// check.rs valid / invalid (subscriptions).
TEST_F(BinderTest, ReferenceSubscriptionQueries) {
  for (const char* sql : {
           "select * from t", "select * from t where true", "select * from t where t.u32 = 1",
           "select * from t where u32 = 1", "select * from s where id = :sender", "select * from s where bytes = :sender",
           "select * from t where t.u32 = 1 or t.str = ''",
           "select * from s where s.bytes = 0xABCD or bytes = X'ABCD'",
           "select * from s as r where r.bytes = 0xABCD or bytes = X'ABCD'", "select t.* from t join s",
           "select t.* from t join s join s as r where t.u32 = s.u32 and s.u32 = r.u32",
           "select t.* from t join s on t.u32 = s.u32 where t.f32 = 0.1",
       }) {
    auto r = Sub(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().message();
  }
  for (const char* sql : {
           "select * from r", "select * from t where arr = :sender", "select * from t where t.a = 1",
           "select * from t as r where r.a = 1", "select * from t where u32 = 'str'",
           "select * from t where t.u32 = 1.3", "select * from t as r where t.u32 = 5", "select u32 from t",
           "select * from t join s", "select t.* from t join t", "select t.* from t join s on t.arr = s.arr",
           "select t.* from t join s on t.u32 = r.u32 join s as r", "select * from t limit 5",
           "select t.* from t join s on t.u32 = s.u32 where bytes = 0xABCD",
       }) {
    EXPECT_FALSE(Sub(sql).ok()) << sql;
  }
}

// statement.rs valid / invalid (the /sql language).
TEST_F(BinderTest, ReferenceSqlStatements) {
  for (const char* sql : {"select str from t", "select str, arr from t", "select t.str, arr from t",
                          "select * from t limit 5"}) {
    auto r = Sql(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().message();
  }
  for (const char* sql : {"select id, str from s join t", "select * from t limit '5'",
                          "select t.* from t join s on t.u32 = s.u32 where bytes = 0xABCD"}) {
    EXPECT_FALSE(Sql(sql).ok()) << sql;
  }
}

TEST_F(BinderTest, ErrorMessagesNameTheProblem) {
  EXPECT_EQ(SqlError("select * from r"), "no such table: `r`. If the table exists, it may be marked private. at 1:15");
  EXPECT_EQ(SqlError("select * from t where t.a = 1"), "`t` does not have a column `a` at 1:25");
  EXPECT_EQ(SqlError("select * from t as r where r.a = 1"), "`r` (table `t`) does not have a column `a` at 1:30");
  EXPECT_EQ(SqlError("select * from t as r where t.u32 = 5"), "`t` is not in scope at 1:28");
  EXPECT_EQ(SqlError("select * from t where u8 = 256"),
            "The literal 256 cannot be parsed as type U8: out of range for U8 at 1:28");
  EXPECT_EQ(SqlError("select * from t where u32 = 'str'"),
            "The literal 'str' cannot be parsed as type U32: not a number at 1:29");
  EXPECT_EQ(SqlError("select * from t where u32 = 1.3"),
            "The literal 1.3 cannot be parsed as type U32: not an integer at 1:29");
  EXPECT_EQ(SqlError("select * from t where f32 = 0x10"),
            "The literal 0x10 cannot be parsed as type F32: not a decimal number at 1:29");
  EXPECT_EQ(SqlError("select * from t where flag = 1"),
            "The literal 1 cannot be parsed as type Bool: not true or false at 1:30");
  EXPECT_EQ(SqlError("select * from t where u32 = true"),
            "Unexpected type: a Bool literal cannot be used as U32 (true at 1:29)");
  EXPECT_EQ(SqlError("select * from t where arr = :sender"),
            "Invalid binary operator `=` for type `Array<String>` at 1:23");
  EXPECT_EQ(SqlError("select * from t where u32 = :sender"),
            ":sender is an Identity and cannot be compared with `t.u32` of type U32 at 1:29");
  EXPECT_EQ(SqlError("select t.* from t join s on t.u32 = s.id"),
            "Cannot compare `t.u32` of type U32 with `s.id` of type Identity: column types must be identical at 1:37");
  EXPECT_EQ(SqlError("select t.* from t join s on t.arr = s.arr"),
            "Invalid binary operator `=` for type `Array<String>` at 1:29");
  EXPECT_EQ(SqlError("select * from t where dur = 5"), "Invalid binary operator `=` for type `TimeDuration` at 1:23");
  EXPECT_EQ(SqlError("select * from t where 1 = 1"),
            "Cannot resolve type for literal expression 1 (compare it with a column) at 1:23");
  EXPECT_EQ(SqlError("select * from t where u32"), "`t.u32` of type U32 is not a boolean condition at 1:23");
  EXPECT_EQ(SqlError("select * from t where 5"), "Expected a boolean condition but found the literal 5 at 1:23");
  EXPECT_EQ(SqlError("select * from t where (u32 = 1) = true"),
            "Comparison operands must be columns, literals or :sender, not (t.u32 = 1) at 1:24");
  EXPECT_EQ(SqlError("select t.* from t join t"), "Duplicate name `t` (a self-join needs aliases) at 1:24");
  EXPECT_EQ(SqlError("select u32, int as u32 from t"), "Duplicate name `u32` in the SELECT list at 1:20");
  EXPECT_EQ(SqlError("select * from t join s"),
            "SELECT * is not supported for joins; select the rows of one table with t.* at 1:8");
  EXPECT_EQ(SqlError("select x.* from t"), "`x` is not in scope at 1:8");
  EXPECT_EQ(SqlError("select * from t limit 1.5"),
            "LIMIT must be a non-negative integer, not 1.5 (not an integer) at 1:23");
  EXPECT_EQ(SqlError("update t set nope = 1"), "`t` does not have a column `nope` at 1:14");
  EXPECT_EQ(SqlError("update t set u32 = 1, u32 = 2"), "Column `u32` is assigned more than once at 1:23");
  EXPECT_EQ(SqlError("update t set u32 = 'x'"), "Unexpected type: a String literal cannot be used as U32 ('x' at 1:20)");
  EXPECT_TRUE(Sql("update t set str = 5").ok());  // a number's text is a valid String, as in the reference
}

TEST_F(BinderTest, LiteralsTakeTheColumnType) {
  EXPECT_EQ(Where("select * from t where u32 = '5'"), "(t.u32 = 5)");
  EXPECT_EQ(Where("select * from t where 5 < u32"), "(5 < t.u32)");
  EXPECT_EQ(Where("select * from t where u32 = 0x10"), "(t.u32 = 16)");
  EXPECT_EQ(Where("select * from t where i64 = -15e0"), "(t.i64 = -15)");
  EXPECT_EQ(Where("select * from t where i64 = -9223372036854775808"), "(t.i64 = -9223372036854775808)");
  EXPECT_EQ(Where("select * from t where str = 5"), "(t.str = '5')");
  EXPECT_EQ(Where("select * from t where flag"), "(t.flag = true)");
  EXPECT_EQ(Where("select * from t where not flag and u8 = 1"), "(NOT (t.flag = true)) AND (t.u8 = 1)");
  EXPECT_EQ(Where("select * from t where ts = '1970-01-01T00:00:01Z'"), "(t.ts = (1000000))");
  EXPECT_EQ(Where("select * from t where true and false or u8 = 1"), "(t.u8 = 1)");
  EXPECT_EQ(Where("select * from t where i256 = -1e70"),
            "(t.i256 = -10000000000000000000000000000000000000000000000000000000000000000000000)");
  EXPECT_EQ(Where("select * from s where id = :sender"), "(s.id = :sender)");
}

TEST_F(BinderTest, ShowAndSetRewrites) {
  auto show = Sql("show row_limit");
  ASSERT_TRUE(show.ok());
  const LogicalQuery& q = std::get<SelectStatement>(*show).query;
  EXPECT_EQ(q.ToString(), "SELECT st_var.value AS value FROM st_var AS st_var WHERE (st_var.name = 'row_limit')");
  auto set = Sql("set row_limit = 1e2");
  ASSERT_TRUE(set.ok());
  const InsertStatement& ins = std::get<InsertStatement>(*set);
  EXPECT_EQ(ins.table->name, "st_var");
  ASSERT_EQ(ins.rows.size(), 1u);
  EXPECT_EQ(sats::AlgebraicValue(ins.rows[0]).ToString(), R"(("row_limit", (tag 8: 100)))");
}

TEST_F(BinderTest, AccessorAliasesResolve) {
  {
    auto tx = *db_.datastore().BeginMutTx();
    ASSERT_TRUE(tx->AddTableAlias("t", "Things").ok());
    ASSERT_TRUE(tx->Insert(datastore::kStColumnAccessor, datastore::StColumnAccessorRow{"t", "u32", "count32"}.Encode()).ok());
    tx->Commit();
  }
  snapshot_ = db_.datastore().TakeSnapshot();
  schema_ = std::make_unique<DatabaseViewSchema>(*snapshot_);
  EXPECT_EQ(Where("select * from Things where count32 = 3"), "(Things.u32 = 3)");
}

TEST_F(BinderTest, TypeCheckRecursionLimit) {
  // Built directly, since the parser already stops at 1,600 levels.
  auto literal = [] {
    auto e = std::make_unique<parser::Expr>();
    e->kind = parser::Expr::Kind::kLiteral;
    e->literal.kind = parser::Literal::Kind::kBool;
    e->literal.bool_value = true;
    return e;
  };
  auto build = [&](int depth) {
    std::unique_ptr<parser::Expr> e = literal();
    for (int i = 1; i < depth; ++i) {
      auto n = std::make_unique<parser::Expr>();
      n->kind = parser::Expr::Kind::kNot;
      n->left = std::move(e);
      e = std::move(n);
    }
    parser::SelectStmt s;
    s.from.name.name = s.from.alias.name = "t";
    s.where = std::move(e);
    return s;
  };
  EXPECT_TRUE(BindSelect(build(kMaxTypeCheckDepth), *schema_, {}).ok());
  auto deep = BindSelect(build(kMaxTypeCheckDepth + 2), *schema_, {});
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().message().find("Recursion limit exceeded"), std::string::npos);
}

}  // namespace
}  // namespace stdb::sql
