#include "sql/parser/parser.h"

#include <gtest/gtest.h>

namespace stdb::sql::parser {
namespace {

std::string ErrorOf(std::string_view sql) {
  auto stmt = ParseSql(sql);
  EXPECT_FALSE(stmt.ok()) << sql;
  return stmt.ok() ? "" : stmt.error().message();
}

const SelectStmt& AsSelect(const Result<Statement>& r) { return std::get<SelectStmt>(*r); }

// crates/sql-parser/src/parser/sql.rs: `supported` and `signed_numeric_literals_are_supported_across_sql_api`.
TEST(Parser, ReferenceSupported) {
  for (const char* sql : {
           "select a from t",
           "select a from s.t",
           "select a from s.t where s.t.a = 1",
           "select s.t.a from s.t",
           "select a from x.s.t where x.s.t.a = 1",
           R"(SELECT * FROM "s"."t" WHERE "s"."t"."a" = 1)",
           "select a from t where x = :sender",
           "select count(*) as n from t",
           "select count(*) as n from t join s on t.id = s.id where s.x = 1",
           "insert into t values (1, 2)",
           "delete from t",
           "delete from t where a = 1",
           "delete from t where x = :sender",
           "update t set a = 1, b = 2",
           "update t set a = 1, b = 2 where c = 3",
           "update t set a = 1, b = 2 where x = :sender",
           "select a from t where b = -1",
           "delete from t where a = +1",
           "insert into t values (-1, +2.5)",
           "update t set a = -1, b = +2 where c = -3",
           "set x = -1",
           "set y to +2.5",
       }) {
    auto r = ParseSql(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().message();
  }
}

// crates/sql-parser/src/parser/sql.rs: `unsupported` and `invalid`.
TEST(Parser, ReferenceRejected) {
  for (const char* sql : {
           "select 1",
           "select * from t where a = B'1010'",
           "select a.*, b, c from t",
           "select * from t order by a limit b",
           "select a, count(*) from t group by a",
           "update t as a join s as b on a.id = b.id set c = 1",
           "update t set a = 1 from s where t.id = s.id and s.b = 2",
           "select a.* from t as a, s as b where a.id = b.id and b.c = 1",
           "select t.* from t join s on int = u32",
           "select from t",
           "select a from where b = 1",
           "select a from t where",
           "select a, count(*) from t group by",
           "select count(*) from t",
           "",
           " ",
       }) {
    EXPECT_FALSE(ParseSql(sql).ok()) << sql;
  }
}

// crates/sql-parser/src/parser/sub.rs.
TEST(Parser, ReferenceSubscriptions) {
  for (const char* sql : {
           "select * from t",
           "select * from t where a = 1",
           "select * from t where a <> 1",
           "select * from t where a = 1 or a = 2",
           "select t.* from t join s",
           "select t.* from t join s on t.c = s.d",
           "select a.* from t as a join s as b on a.c = b.d",
           "select * from t where x = :sender",
           "select * from ns.t where ns.t.a = 1",
           R"(SELECT ns.t.* FROM "ns"."s" JOIN "ns"."t" ON "ns"."s"."a" = "ns"."t"."a")",
       }) {
    auto r = ParseSubscription(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().message();
  }
  for (const char* sql : {
           "delete from t",
           " ",
           "",
           "select distinct a from t",
           "select * from (select * from t) join (select * from s) on a = b",
           "select * from t limit 5",
       }) {
    EXPECT_FALSE(ParseSubscription(sql).ok()) << sql;
  }
}

TEST(Parser, SelectShape) {
  auto r = ParseSql("SELECT a.x AS one, b.y two FROM t AS a JOIN s b ON a.id = b.id CROSS JOIN u WHERE a.x > 3 LIMIT 7");
  ASSERT_TRUE(r.ok()) << r.error().message();
  const SelectStmt& s = AsSelect(r);
  ASSERT_EQ(s.projection.kind, Projection::Kind::kColumns);
  ASSERT_EQ(s.projection.columns.size(), 2u);
  EXPECT_EQ(s.projection.columns[0].alias.name, "one");
  EXPECT_EQ(s.projection.columns[1].alias.name, "two");
  EXPECT_EQ(s.projection.columns[1].column->table->name, "b");
  EXPECT_EQ(s.from.name.name, "t");
  EXPECT_EQ(s.from.alias.name, "a");
  ASSERT_EQ(s.joins.size(), 2u);
  EXPECT_EQ(s.joins[0].table.alias.name, "b");
  EXPECT_EQ(s.joins[0].on->ToSql(), "(a.id = b.id)");
  EXPECT_EQ(s.joins[1].on, nullptr);
  EXPECT_EQ(s.where->ToSql(), "(a.x > 3)");
  ASSERT_TRUE(s.limit.has_value());
  EXPECT_EQ(s.limit->text, "7");
}

TEST(Parser, UnqualifiedNamesTakeTheOnlyTable) {
  auto r = ParseSql("select a, b as c from t as r where a = 1 and (b <> 'x' or not c >= 0x10)");
  ASSERT_TRUE(r.ok()) << r.error().message();
  const SelectStmt& s = AsSelect(r);
  EXPECT_EQ(s.projection.columns[0].column->ToSql(), "r.a");
  EXPECT_EQ(s.where->ToSql(), "((r.a = 1) AND ((r.b <> 'x') OR (NOT (r.c >= 0x10))))");
  auto d = ParseSql("delete from t where a = :sender");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(std::get<DeleteStmt>(*d).where->ToSql(), "(t.a = :sender)");
}

TEST(Parser, PrecedenceAndAssociativity) {
  auto r = ParseSql("select * from t where a = 1 or b = 2 and not c = 3 or d = 4");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(AsSelect(r).where->ToSql(), "(((t.a = 1) OR ((t.b = 2) AND (NOT (t.c = 3)))) OR (t.d = 4))");
  auto p = ParseSql("select * from t where ((a = 1))");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(AsSelect(p).where->ToSql(), "(t.a = 1)");
  auto lit = ParseSql("select * from t where 5 < a and true and flag");
  ASSERT_TRUE(lit.ok());
  EXPECT_EQ(AsSelect(lit).where->ToSql(), "(((5 < t.a) AND true) AND t.flag)");
}

TEST(Parser, Literals) {
  auto r = ParseSql("select * from t where a = -1.5e3 and b = 'it''s' and c = X'ab' and d = +7 and e = FALSE");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(AsSelect(r).where->ToSql(),
            "(((((t.a = -1.5e3) AND (t.b = 'it''s')) AND (t.c = 0xab)) AND (t.d = +7)) AND (t.e = false))");
}

TEST(Parser, DmlShapes) {
  auto ins = ParseSql("INSERT INTO t (a, \"B\") VALUES (1, 'x'), (-2, 0xff)");
  ASSERT_TRUE(ins.ok()) << ins.error().message();
  const InsertStmt& i = std::get<InsertStmt>(*ins);
  ASSERT_EQ(i.columns.size(), 2u);
  EXPECT_EQ(i.columns[1].name, "B");
  ASSERT_EQ(i.rows.size(), 2u);
  EXPECT_EQ(i.rows[1][0].text, "-2");
  EXPECT_EQ(i.rows[1][1].kind, Literal::Kind::kHex);

  auto up = ParseSql("update t set a = 1, b = 'q' where c = 3");
  ASSERT_TRUE(up.ok());
  const UpdateStmt& u = std::get<UpdateStmt>(*up);
  ASSERT_EQ(u.assignments.size(), 2u);
  EXPECT_EQ(u.assignments[1].value.text, "q");
  EXPECT_EQ(u.where->ToSql(), "(t.c = 3)");

  auto set = ParseSql("SET row_limit TO 100;");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(std::get<SetStmt>(*set).variable.name, "row_limit");
  auto show = ParseSql("show row_limit");
  ASSERT_TRUE(show.ok());
  EXPECT_EQ(std::get<ShowStmt>(*show).variable.name, "row_limit");
}

TEST(Parser, ReservedWordsMustBeQuoted) {
  EXPECT_EQ(ErrorOf("select * from order"),
            "SQL syntax error: expected a table name but found keyword ORDER (reserved words must be quoted, e.g. "
            "\"order\") at 1:15");
  EXPECT_TRUE(ParseSql("select * from \"order\"").ok());
  EXPECT_TRUE(ParseSql("select * from user where identity = :sender").ok());
  // Identifiers are case-sensitive and keep their spelling.
  auto r = ParseSql("select * from MyTable");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(AsSelect(r).from.name.name, "MyTable");
}

TEST(Parser, StatementCountAndLength) {
  EXPECT_EQ(ErrorOf(""), "Empty SQL query");
  EXPECT_EQ(ErrorOf(" -- nothing\n"), "Empty SQL query");
  EXPECT_TRUE(ParseSql("select * from t;").ok());
  EXPECT_TRUE(ParseSql("select * from t;;  ").ok());
  EXPECT_EQ(ErrorOf("select * from t; select * from s"),
            "Multiple SQL statements are not supported (second statement at 1:18)");
  std::string long_sql = "select * from t where a = '" + std::string(kMaxSqlLength, 'x') + "'";
  EXPECT_NE(ErrorOf(long_sql).find("exceeds the maximum length of 50000 bytes"), std::string::npos);
}

TEST(Parser, ClearErrors) {
  EXPECT_EQ(ErrorOf("select * from t order by a"), "Unsupported: ORDER BY at 1:17");
  EXPECT_EQ(ErrorOf("select distinct a from t"), "Unsupported: DISTINCT at 1:8");
  EXPECT_EQ(ErrorOf("select * from t where a is null"), "Unsupported: IS [NOT] NULL / IS [NOT] TRUE at 1:25");
  EXPECT_EQ(ErrorOf("select * from t where a in (1, 2)"), "Unsupported: IN at 1:25");
  EXPECT_EQ(ErrorOf("select * from t where a like 'x'"), "Unsupported: LIKE at 1:25");
  EXPECT_EQ(ErrorOf("select * from t where a between 1 and 2"), "Unsupported: BETWEEN at 1:25");
  EXPECT_EQ(ErrorOf("select * from t where a + 1 = 2"),
            "Unsupported binary operator: + at 1:25 (no arithmetic in SQL)");
  EXPECT_EQ(ErrorOf("select * from t where a = 1 = 2"), "Comparisons cannot be chained (a = b = c) at 1:29; use AND");
  EXPECT_EQ(ErrorOf("select * from t where a = :other"), "Unsupported parameter :other at 1:27 (only :sender exists)");
  EXPECT_EQ(ErrorOf("select * from t where a = null"), "Unsupported: NULL at 1:27");
  EXPECT_EQ(ErrorOf("select * from t left join s on t.a = s.a"), "Non-inner joins are not supported at 1:17");
  EXPECT_EQ(ErrorOf("select * from t, s"), "Implicit joins are not supported (use JOIN instead of a comma) at 1:16");
  EXPECT_EQ(ErrorOf("select t.* from t join s on t.a > s.a"),
            "Unsupported join condition (t.a > s.a) at 1:26: ON must be an equality of two columns (a.x = b.y)");
  EXPECT_EQ(ErrorOf("select t.* from t join s on t.a = 1"),
            "Unsupported join condition (t.a = 1) at 1:26: ON must be an equality of two columns (a.x = b.y)");
  EXPECT_EQ(ErrorOf("select t.* from t join s on a = s.a"), "Names must be qualified when using joins: `a` at 1:29");
  EXPECT_EQ(ErrorOf("select a from t join s"), "Names must be qualified when using joins: `a` at 1:8");
  EXPECT_EQ(ErrorOf("select t.* from t join s where x = 1"),
            "Names must be qualified when using joins: `x` at 1:32");
  EXPECT_EQ(ErrorOf("select count(*) from t"),
            "Aggregate expressions must have column aliases (COUNT(*) AS name) at 1:8");
  EXPECT_EQ(ErrorOf("select sum(a) as s from t"),
            "Unsupported aggregate function: sum(a) at 1:8 (only COUNT(*) AS alias is supported)");
  EXPECT_EQ(ErrorOf("select * from t limit '5'"),
            "Unsupported LIMIT expression: LIMIT takes a non-negative integer, found string '5' at 1:23");
  EXPECT_EQ(ErrorOf("select * from t limit -1"),
            "Unsupported LIMIT expression: LIMIT takes a non-negative integer, found '-' at 1:23");
  EXPECT_EQ(ErrorOf("select * from t where"), "SQL syntax error: expected a condition after WHERE but found end of input at 1:22");
  EXPECT_EQ(ErrorOf("select * from t where (a = 1"), "SQL syntax error: expected ')' but found end of input at 1:29");
  EXPECT_EQ(ErrorOf("select * from t where a = 1)"), "SQL syntax error: unbalanced ')' at 1:28");
  EXPECT_EQ(ErrorOf("select * from t x y"),
            "SQL syntax error: unexpected identifier `y` after the end of the statement at 1:19");
  EXPECT_EQ(ErrorOf("create table t (a int)"), "Unsupported: CREATE statements at 1:1");
  EXPECT_EQ(ErrorOf("begin"), "Unsupported: BEGIN statements at 1:1");
  EXPECT_EQ(ErrorOf("select * from t union select * from s"),
            "Unsupported: set operations (UNION, INTERSECT, EXCEPT) at 1:17");
  EXPECT_EQ(ErrorOf("select * from t where a = (select 1)"), "Unsupported: sub-queries at 1:28");
  EXPECT_EQ(ErrorOf("select * from t where f(a) = 1"), "Unsupported: function calls (f(...)) at 1:24");
  EXPECT_EQ(ErrorOf("insert into t (a) select * from s"), "Unsupported: INSERT ... SELECT (only VALUES) at 1:19");
  EXPECT_EQ(ErrorOf("insert into t (a) values (:sender)"),
            "Unsupported INSERT value parameter :sender at 1:27 (only literals are allowed)");
  EXPECT_EQ(ErrorOf("delete from t, s"), "Multi-table DELETE is not supported at 1:14");
  EXPECT_EQ(ErrorOf("select * from t where a = 0x1Z"), "invalid character in hex literal at 1:27");
  EXPECT_EQ(ErrorOf("select * from t where a = 0xZZ"), "hex literal 0x needs at least one hex digit at 1:27");
}

TEST(Parser, RecursionLimit) {
  auto nested = [](int depth) {
    return "select * from t where " + std::string(size_t(depth), '(') + "a = 1" + std::string(size_t(depth), ')');
  };
  EXPECT_TRUE(ParseSql(nested(1000)).ok());
  EXPECT_NE(ErrorOf(nested(kMaxExpressionDepth + 5)).find("Recursion limit exceeded"), std::string::npos);
  std::string chain = "select * from t where a = 1";
  for (int i = 0; i < 2000; ++i) chain += " and a = 1";
  EXPECT_NE(ErrorOf(chain).find("Recursion limit exceeded"), std::string::npos);
  std::string nots = "select * from t where " ;
  for (int i = 0; i < 2000; ++i) nots += "not ";
  nots += "a = 1";
  EXPECT_NE(ErrorOf(nots).find("Recursion limit exceeded"), std::string::npos);
}

}  // namespace
}  // namespace stdb::sql::parser
