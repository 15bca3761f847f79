// Golden output of `spacetime sql`, from the reference's own tests (crates/cli/src/subcommands/sql.rs and
// crates/smoketests/tests/cluster/sql.rs). Lines are compared with trailing spaces trimmed, as those tests do.
#include "cli/sql_output.h"

#include <gtest/gtest.h>

#include "sats/special_types.h"

namespace stdb::cli {
namespace {

using sats::AlgebraicType;
using sats::AlgebraicValue;

std::string TrimLines(const std::string& text) {
  std::string out, line;
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

SqlStatementResult AB(std::vector<AlgebraicValue> rows, uint64_t ins, uint64_t del, uint64_t upd) {
  SqlStatementResult r;
  r.schema = sats::ProductType({{std::string("a"), AlgebraicType::I32()}, {std::string("b"), AlgebraicType::I64()}});
  r.rows = std::move(rows);
  r.total_duration_micros = 1000;
  r.rows_inserted = ins;
  r.rows_deleted = del;
  r.rows_updated = upd;
  return r;
}

AlgebraicValue Row12() { return AlgebraicValue::Product({AlgebraicValue::I32(1), AlgebraicValue::I64(2)}); }

TEST(SqlOutputTest, ReferenceOutputTests) {
  EXPECT_EQ(TrimLines(FormatSqlResults({AB({Row12()}, 1, 1, 1)}, std::nullopt)), " a | b\n---+---\n 1 | 2");
  EXPECT_EQ(TrimLines(FormatSqlResults({AB({Row12()}, 1, 1, 1)}, 1000)),
            " a | b\n---+---\n 1 | 2\n(1 row) [inserted: 1, deleted: 1, updated: 1, server: 1.00ms]\nRoundtrip time: 1.00ms");
  EXPECT_EQ(TrimLines(FormatSqlResults({AB({Row12()}, 0, 0, 0)}, 1000)),
            " a | b\n---+---\n 1 | 2\n(1 row) [server: 1.00ms]\nRoundtrip time: 1.00ms");
  EXPECT_EQ(TrimLines(FormatSqlResults({AB({}, 0, 0, 0)}, 1000)),
            " a | b\n---+---\n(0 rows) [server: 1.00ms]\nRoundtrip time: 1.00ms");
  EXPECT_EQ(TrimLines(FormatSqlResults({AB({}, 1, 0, 0)}, 1000)),
            " a | b\n---+---\n(0 rows) [inserted: 1, server: 1.00ms]\nRoundtrip time: 1.00ms");
  EXPECT_EQ(TrimLines(FormatSqlResults({AB({}, 0, 1, 0)}, 1000)),
            " a | b\n---+---\n(0 rows) [deleted: 1, server: 1.00ms]\nRoundtrip time: 1.00ms");
  EXPECT_EQ(TrimLines(FormatSqlResults({AB({}, 0, 0, 1)}, 1000)),
            " a | b\n---+---\n(0 rows) [updated: 1, server: 1.00ms]\nRoundtrip time: 1.00ms");
}

TEST(SqlOutputTest, MultipleStatements) {
  EXPECT_EQ(TrimLines(FormatSqlResults({AB({Row12()}, 1, 1, 1), AB({Row12()}, 1, 1, 1)}, 1000)),
            " a | b\n---+---\n 1 | 2\n(1 row) [inserted: 1, deleted: 1, updated: 1, server: 1.00ms]\n\n"
            " a | b\n---+---\n 1 | 2\n(1 row) [inserted: 1, deleted: 1, updated: 1, server: 1.00ms]\n"
            "Roundtrip time: 1.00ms");
}

TEST(SqlOutputTest, PaddingIsKeptLikeTabled) {
  // The reference prints every cell padded to its column's width, trailing spaces included.
  EXPECT_EQ(FormatSqlTable(AB({Row12()}, 0, 0, 0)), " a | b \n---+---\n 1 | 2 ");
}

TEST(SqlOutputTest, DmlPrintsNoTable) {
  SqlStatementResult dml;
  dml.rows_inserted = 1;
  EXPECT_EQ(FormatSqlResults({dml}, std::nullopt), "");
  EXPECT_EQ(TrimLines(FormatSqlResults({dml}, 1000)), "(0 rows) [inserted: 1, server: 0.00ns]\nRoundtrip time: 1.00ms");
}

// The reference's output_special_types test: unnamed columns of every special type.
TEST(SqlOutputTest, SpecialTypesInUnnamedColumns) {
  SqlStatementResult r;
  r.schema = sats::ProductType({{std::nullopt, AlgebraicType::String()},
                                {std::nullopt, AlgebraicType::U256()},
                                {std::nullopt, AlgebraicType::Identity()},
                                {std::nullopt, AlgebraicType::ConnectionId()},
                                {std::nullopt, AlgebraicType::Timestamp()},
                                {std::nullopt, AlgebraicType::TimeDuration()},
                                {std::nullopt, AlgebraicType::Uuid()}});
  r.rows.push_back(AlgebraicValue::Product({AlgebraicValue::String("a"), AlgebraicValue::U256(sats::U256{}),
                                            sats::Identity().ToValue(), sats::ConnectionId(0).ToValue(),
                                            sats::Timestamp(0).ToValue(), sats::TimeDuration(0).ToValue(),
                                            sats::Uuid(0).ToValue()}));
  EXPECT_EQ(TrimLines(FormatSqlTable(r)),
            R"( column 0 | column 1 | column 2                                                           | column 3                           | column 4                  | column 5  | column 6
----------+----------+--------------------------------------------------------------------+------------------------------------+---------------------------+-----------+----------------------------------------
 "a"      | 0        | 0x0000000000000000000000000000000000000000000000000000000000000000 | 0x00000000000000000000000000000000 | 1970-01-01T00:00:00+00:00 | +0.000000 | "00000000-0000-0000-0000-000000000000")");
}

sats::ProductType KindStruct() {
  return sats::ProductType({{std::string("bool"), AlgebraicType::Bool()},
                            {std::string("str"), AlgebraicType::String()},
                            {std::string("bytes"), AlgebraicType::Bytes()},
                            {std::string("identity"), AlgebraicType::Identity()},
                            {std::string("connection_id"), AlgebraicType::ConnectionId()},
                            {std::string("timestamp"), AlgebraicType::Timestamp()},
                            {std::string("duration"), AlgebraicType::TimeDuration()},
                            {std::string("uuid"), AlgebraicType::Uuid()}});
}

AlgebraicValue KindValue() {
  return AlgebraicValue::Product({AlgebraicValue::Bool(true), AlgebraicValue::String("This is spacetimedb"),
                                  AlgebraicValue::Bytes({1, 2, 3, 4, 5, 6, 7}), sats::Identity().ToValue(),
                                  sats::ConnectionId(0).ToValue(), sats::Timestamp(0).ToValue(),
                                  sats::TimeDuration(0).ToValue(), sats::Uuid(0).ToValue()});
}

TEST(SqlOutputTest, SpecialTypesInNamedAndNestedColumns) {
  SqlStatementResult flat;
  flat.schema = KindStruct();
  flat.rows.push_back(KindValue());
  EXPECT_EQ(TrimLines(FormatSqlTable(flat)),
            R"( bool | str                   | bytes            | identity                                                           | connection_id                      | timestamp                 | duration  | uuid
------+-----------------------+------------------+--------------------------------------------------------------------+------------------------------------+---------------------------+-----------+----------------------------------------
 true | "This is spacetimedb" | 0x01020304050607 | 0x0000000000000000000000000000000000000000000000000000000000000000 | 0x00000000000000000000000000000000 | 1970-01-01T00:00:00+00:00 | +0.000000 | "00000000-0000-0000-0000-000000000000")");

  const std::string record =
      R"((bool = true, str = "This is spacetimedb", bytes = 0x01020304050607, identity = 0x0000000000000000000000000000000000000000000000000000000000000000, connection_id = 0x00000000000000000000000000000000, timestamp = 1970-01-01T00:00:00+00:00, duration = +0.000000, uuid = "00000000-0000-0000-0000-000000000000"))";
  SqlStatementResult nested;
  nested.schema = sats::ProductType({{std::nullopt, AlgebraicType::Product(KindStruct())}});
  nested.rows.push_back(AlgebraicValue::Product({KindValue()}));
  EXPECT_EQ(TrimLines(FormatSqlTable(nested)), " column 0\n" + std::string(record.size() + 2, '-') + "\n " + record);

  SqlStatementResult tuple;
  sats::ProductType inner({{std::nullopt, AlgebraicType::Product(KindStruct())}});
  tuple.schema = sats::ProductType({{std::string("tuple"), AlgebraicType::Product(inner)}});
  tuple.rows.push_back(AlgebraicValue::Product({AlgebraicValue::Product({KindValue()})}));
  std::string tuple_record = "(col_0 = " + record + ")";
  EXPECT_EQ(TrimLines(FormatSqlTable(tuple)), " tuple\n" + std::string(tuple_record.size() + 2, '-') + "\n " + tuple_record);
}

// crates/smoketests/tests/cluster/sql.rs test_sql_format, from the JSON the server sends.
TEST(SqlOutputTest, SmoketestSqlFormatFromServerJson) {
  auto ints = ParseSqlResponse(
      R"([{"schema":{"elements":[{"name":{"some":"i_8"},"algebraic_type":{"I8":[]}},{"name":{"some":"i_16"},"algebraic_type":{"I16":[]}},{"name":{"some":"i_32"},"algebraic_type":{"I32":[]}},{"name":{"some":"i_64"},"algebraic_type":{"I64":[]}},{"name":{"some":"i_128"},"algebraic_type":{"I128":[]}},{"name":{"some":"i_256"},"algebraic_type":{"I256":[]}}]},"rows":[[-25,-3224,-23443,-2344353,-234434897853,"-0x369568a7bd"]],"total_duration_micros":100,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}])");
  ASSERT_TRUE(ints.ok()) << ints.error().message();
  EXPECT_EQ(TrimLines(FormatSqlResults(*ints, std::nullopt)),
            R"( i_8 | i_16  | i_32   | i_64     | i_128         | i_256
-----+-------+--------+----------+---------------+---------------
 -25 | -3224 | -23443 | -2344353 | -234434897853 | -234434897853)");

  auto others = ParseSqlResponse(
      R"([{"schema":{"elements":[{"name":{"some":"bool"},"algebraic_type":{"Bool":[]}},{"name":{"some":"f_32"},"algebraic_type":{"F32":[]}},{"name":{"some":"f_64"},"algebraic_type":{"F64":[]}},{"name":{"some":"identity"},"algebraic_type":{"Product":{"elements":[{"name":{"some":"__identity__"},"algebraic_type":{"U256":[]}}]}}}]},"rows":[[true,594806.56,-3454353.345389043,["0x1"]]],"total_duration_micros":100,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}])");
  ASSERT_TRUE(others.ok()) << others.error().message();
  EXPECT_EQ(TrimLines(FormatSqlResults(*others, std::nullopt)),
            R"( bool | f_32      | f_64               | identity
------+-----------+--------------------+--------------------------------------------------------------------
 true | 594806.56 | -3454353.345389043 | 0x0000000000000000000000000000000000000000000000000000000000000001)");

  auto enums = ParseSqlResponse(
      R"([{"schema":{"elements":[{"name":{"some":"bool_opt"},"algebraic_type":{"Sum":{"variants":[{"name":{"some":"some"},"algebraic_type":{"Bool":[]}},{"name":{"some":"none"},"algebraic_type":{"Product":{"elements":[]}}}]}}},{"name":{"some":"bool_result"},"algebraic_type":{"Sum":{"variants":[{"name":{"some":"ok"},"algebraic_type":{"Bool":[]}},{"name":{"some":"err"},"algebraic_type":{"String":[]}}]}}},{"name":{"some":"action"},"algebraic_type":{"Sum":{"variants":[{"name":{"some":"inactive"},"algebraic_type":{"Product":{"elements":[]}}},{"name":{"some":"active"},"algebraic_type":{"Product":{"elements":[]}}}]}}}]},"rows":[[[0,true],[0,false],[1,[]]]],"total_duration_micros":100,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}])");
  ASSERT_TRUE(enums.ok()) << enums.error().message();
  EXPECT_EQ(TrimLines(FormatSqlResults(*enums, std::nullopt)),
            R"( bool_opt      | bool_result  | action
---------------+--------------+---------------
 (some = true) | (ok = false) | (active = ()))");
}

TEST(SqlOutputTest, MalformedResponsesAreErrors) {
  EXPECT_FALSE(ParseSqlResponse("not json").ok());
  EXPECT_FALSE(ParseSqlResponse("{}").ok());
  auto mismatch = ParseSqlResponse(
      R"([{"schema":{"elements":[{"name":{"some":"a"},"algebraic_type":{"U8":[]}}]},"rows":[["x"]]}])");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message().find("does not match the schema"), std::string::npos);
}

}  // namespace
}  // namespace stdb::cli
