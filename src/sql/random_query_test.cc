// Randomized differential test: random data, random WHERE clauses (AND/OR/NOT over comparisons of columns with
// literals and with each other) and random joins, each query run by our engine with indexes, without indexes, and
// by SQLite; all three must agree. The seed is fixed so failures reproduce.
#include <gtest/gtest.h>

#include <random>

#include "sql/testing/oracle.h"

namespace stdb::sql {
namespace {

using sats::AlgebraicType;
using testing::BTree;
using testing::Hash;
using testing::Oracle;
using testing::TableSpec;

enum class Kind { kInt, kString, kBool };

struct Column {
  std::string name;
  Kind kind;
  std::string type;  // the SATS type name, columns compare only with the same type
  int64_t lo, hi;    // domain of generated values (integers)
  int64_t type_lo, type_hi;  // the type's range, for edge literals
};

struct Table {
  std::string name;
  std::vector<Column> columns;
};

const std::vector<std::string> kStrings = {"", "a", "ab", "b", "ba", "c", "zz", "A", "é"};

class RandomQueries {
 public:
  explicit RandomQueries(uint32_t seed) : rng_(seed) {}

  std::string Int(const Column& c) {
    double r = Uniform();
    if (r < 0.05) return std::to_string(c.type_lo);
    if (r < 0.10) return std::to_string(c.type_hi);
    return std::to_string(std::uniform_int_distribution<int64_t>(c.lo, c.hi)(rng_));
  }
  std::string Str() { return "'" + kStrings[Below(kStrings.size())] + "'"; }
  std::string Literal(const Column& c) {
    switch (c.kind) {
      case Kind::kInt: return Int(c);
      case Kind::kString: return Str();
      case Kind::kBool: return Uniform() < 0.5 ? "true" : "false";
    }
    return "";
  }

  // A random condition over `scope` (alias, table).
  std::string Condition(const std::vector<std::pair<std::string, const Table*>>& scope, int depth) {
    double r = Uniform();
    if (depth <= 0 || r < 0.45) return Comparison(scope);
    if (r < 0.6) return "NOT (" + Condition(scope, depth - 1) + ")";
    std::string op = Uniform() < 0.5 ? " AND " : " OR ";
    std::string out = "(" + Condition(scope, depth - 1);
    size_t n = 1 + Below(2);
    for (size_t i = 0; i < n; ++i) out += op + Condition(scope, depth - 1);
    return out + ")";
  }

  std::string Comparison(const std::vector<std::pair<std::string, const Table*>>& scope) {
    static const char* kOps[] = {"=", "<>", "<", "<=", ">", ">=", "!="};
    const auto& [alias, table] = scope[Below(scope.size())];
    const Column& c = table->columns[Below(table->columns.size())];
    std::string col = alias + "." + c.name;
    if (c.kind == Kind::kBool && Uniform() < 0.3) return col;
    std::string op = kOps[Below(7)];
    if (Uniform() < 0.2) {
      // Column with column of the same type, anywhere in scope.
      std::vector<std::string> same;
      for (const auto& [a, t] : scope)
        for (const Column& other : t->columns)
          if (other.type == c.type) same.push_back(a + "." + other.name);
      return col + " " + op + " " + same[Below(same.size())];
    }
    std::string lit = Literal(c);
    return Uniform() < 0.8 ? col + " " + op + " " + lit : lit + " " + op + " " + col;
  }

  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

 private:
  std::mt19937 rng_;
};

Column IntCol(std::string name, std::string type, int64_t lo, int64_t hi, int64_t type_lo, int64_t type_hi) {
  return {std::move(name), Kind::kInt, std::move(type), lo, hi, type_lo, type_hi};
}

class RandomDifferentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    r_ = {"r",
          {IntCol("id", "u32", 0, 0, 0, 4294967295), IntCol("a", "u8", 0, 12, 0, 255),
           IntCol("b", "i16", -8, 8, -32768, 32767), IntCol("c", "i32", -20, 20, -2147483648LL, 2147483647),
           IntCol("d", "i64", -5, 5, INT64_MIN, INT64_MAX), IntCol("e", "u16", 0, 30, 0, 65535),
           {"s", Kind::kString, "string", 0, 0, 0, 0}, {"f", Kind::kBool, "bool", 0, 0, 0, 0}}};
    q_ = {"q",
          {IntCol("id", "u32", 0, 0, 0, 4294967295), IntCol("a", "u8", 0, 12, 0, 255),
           IntCol("b", "i16", -8, 8, -32768, 32767), IntCol("x", "u32", 0, 25, 0, 4294967295),
           {"s", Kind::kString, "string", 0, 0, 0, 0}}};
    p_ = {"p",
          {IntCol("id", "u64", 0, 0, 0, INT64_MAX), IntCol("x", "u32", 0, 25, 0, 4294967295),
           IntCol("y", "i64", -10, 10, INT64_MIN, INT64_MAX), {"s", Kind::kString, "string", 0, 0, 0, 0},
           {"g", Kind::kBool, "bool", 0, 0, 0, 0}}};
    ASSERT_TRUE(oracle_.CreateTable(Spec(r_, {BTree({1}), BTree({2, 3}), Hash({6}), BTree({7})})).ok());
    ASSERT_TRUE(oracle_.CreateTable(Spec(q_, {BTree({1, 2}), BTree({3}), BTree({4})})).ok());
    ASSERT_TRUE(oracle_.CreateTable(Spec(p_, {BTree({1}), Hash({3}), BTree({4, 2})})).ok());
    Fill(r_, 160);
    Fill(q_, 140);
    Fill(p_, 90);
  }

  static TableSpec Spec(const Table& t, std::vector<testing::IndexSpec> indexes) {
    static const std::map<std::string, AlgebraicType> kTypes = {
        {"u8", AlgebraicType::U8()},   {"u16", AlgebraicType::U16()}, {"u32", AlgebraicType::U32()},
        {"u64", AlgebraicType::U64()}, {"i16", AlgebraicType::I16()}, {"i32", AlgebraicType::I32()},
        {"i64", AlgebraicType::I64()}, {"string", AlgebraicType::String()}, {"bool", AlgebraicType::Bool()}};
    TableSpec spec{t.name, {}, std::move(indexes)};
    spec.indexes.push_back(BTree({0}, true));
    for (const Column& c : t.columns) spec.columns.push_back({c.name, kTypes.at(c.type)});
    return spec;
  }

  void Fill(const Table& t, int rows) {
    for (int start = 1; start <= rows; start += 40) {
      std::string sql = "INSERT INTO " + t.name + " (";
      for (size_t i = 0; i < t.columns.size(); ++i) sql += (i ? ", " : "") + t.columns[i].name;
      sql += ") VALUES ";
      for (int id = start; id < start + 40 && id <= rows; ++id) {
        sql += id == start ? "(" : ", (";
        for (size_t i = 0; i < t.columns.size(); ++i) {
          if (i) sql += ", ";
          sql += i == 0 ? std::to_string(id) : gen_.Literal(t.columns[i]);
        }
        sql += ")";
      }
      Status s = oracle_.Execute(sql);
      ASSERT_TRUE(s.ok()) << s.error().message();
    }
  }

  void Check(const std::string& sql) {
    ++queries_;
    std::string plan = oracle_.Plan(sql);
    if (plan.find("IndexRangeScan") != std::string::npos || plan.find("IndexPointScan") != std::string::npos)
      ++index_scans_;
    if (plan.find("IndexJoin") != std::string::npos) ++index_joins_;
    if (plan.find("HashJoin") != std::string::npos) ++hash_joins_;
    std::string diff = oracle_.Compare(sql);
    if (!diff.empty() && ++failures_ <= 10) ADD_FAILURE() << sql << "\n" << diff;
  }

  Oracle oracle_;
  RandomQueries gen_{20240611};
  Table r_, q_, p_;
  size_t queries_ = 0, failures_ = 0;
  size_t index_scans_ = 0, index_joins_ = 0, hash_joins_ = 0;  // how many plans used each, to know they were tested
};

TEST_F(RandomDifferentialTest, SingleTableFilters) {
  for (int i = 0; i < 1500; ++i) {
    const Table* t = i % 3 == 0 ? &r_ : (i % 3 == 1 ? &q_ : &p_);
    std::string where = gen_.Condition({{t->name, t}}, 3);
    switch (i % 4) {
      case 0: Check("SELECT * FROM " + t->name + " WHERE " + where); break;
      case 1: Check("SELECT id, " + t->columns[1].name + " FROM " + t->name + " WHERE " + where); break;
      case 2: Check("SELECT count(*) AS n FROM " + t->name + " WHERE " + where); break;
      case 3: Check("SELECT " + t->name + ".* FROM " + t->name + " WHERE " + where + " LIMIT " + std::to_string(i % 9)); break;
    }
  }
  EXPECT_EQ(failures_, 0u) << "of " << queries_ << " queries";
  EXPECT_GT(index_scans_, queries_ / 10);
}

TEST_F(RandomDifferentialTest, Joins) {
  struct JoinShape {
    std::string from;
    std::vector<std::pair<std::string, const Table*>> scope;
  };
  std::vector<JoinShape> shapes = {
      {"r JOIN q ON r.a = q.a", {{"r", &r_}, {"q", &q_}}},
      {"q JOIN r ON r.b = q.b", {{"q", &q_}, {"r", &r_}}},
      {"r JOIN p ON r.s = p.s", {{"r", &r_}, {"p", &p_}}},
      {"q JOIN p ON q.x = p.x", {{"q", &q_}, {"p", &p_}}},
      {"p JOIN q ON q.s = p.s", {{"p", &p_}, {"q", &q_}}},
      {"r JOIN q ON r.a = q.a JOIN p ON q.x = p.x", {{"r", &r_}, {"q", &q_}, {"p", &p_}}},
      {"p JOIN q ON p.x = q.x JOIN r ON r.s = q.s", {{"p", &p_}, {"q", &q_}, {"r", &r_}}},
      {"r AS r1 JOIN r AS r2 ON r1.c = r2.c", {{"r1", &r_}, {"r2", &r_}}},
      {"q JOIN p ON q.x = p.x JOIN r ON r.id = q.id JOIN q AS q2 ON q2.id = r.id", {{"q", &q_}, {"p", &p_}, {"r", &r_}, {"q2", &q_}}},
      {"r JOIN p", {{"r", &r_}, {"p", &p_}}},
  };
  for (int i = 0; i < 700; ++i) {
    const JoinShape& shape = shapes[size_t(i) % shapes.size()];
    std::string where = gen_.Condition(shape.scope, 2);
    const auto& [alias, table] = shape.scope[size_t(i / 3) % shape.scope.size()];
    switch (i % 3) {
      case 0: Check("SELECT " + alias + ".* FROM " + shape.from + " WHERE " + where); break;
      case 1: Check("SELECT count(*) AS n FROM " + shape.from + " WHERE " + where); break;
      case 2: Check("SELECT " + alias + ".id, " + shape.scope[0].first + "." + shape.scope[0].second->columns[1].name +
                    " AS c1 FROM " + shape.from + " WHERE " + where);
        break;
    }
  }
  EXPECT_EQ(failures_, 0u) << "of " << queries_ << " queries";
  EXPECT_GT(index_joins_, queries_ / 4);
  EXPECT_GT(hash_joins_, queries_ / 20);
}

}  // namespace
}  // namespace stdb::sql
