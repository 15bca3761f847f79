// Fuzzes the SQL front end: the input is SQL text, parsed as a /sql statement and as a subscription query, type
// checked against a fixed schema (for the owner and for a client, so row-level security is expanded too),
// planned, and — when the plan's estimated cost is small — executed against a few rows (DML in a transaction that
// is rolled back, so every input sees the same database). Any crash, sanitizer report or hang is a bug: bad SQL
// must end in an error.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "datastore/datastore.h"
#include "datastore/mut_tx.h"
#include "sql/execution/query_executor.h"
#include "sql/parser/parser.h"
#include "sql/sql_engine.h"

using namespace stdb;
using sats::AlgebraicType;
using sats::AlgebraicValue;

namespace {

struct Fixture {
  std::unique_ptr<datastore::Datastore> ds = datastore::Datastore::Create();

  Fixture() {
    auto tx = *ds->BeginMutTx();
    auto table = [&](std::string name, std::vector<table::ColumnSchema> columns,
                     std::vector<table::IndexSchema> indexes, bool is_public = true) {
      table::TableSchema s;
      s.name = std::move(name);
      s.columns = std::move(columns);
      s.indexes = std::move(indexes);
      s.is_public = is_public;
      return *tx->CreateTable(s);
    };
    auto t = table("t",
                   {{"a", AlgebraicType::U8()}, {"b", AlgebraicType::I64()}, {"s", AlgebraicType::String()},
                    {"f", AlgebraicType::Bool()}, {"x", AlgebraicType::F64()}, {"id", AlgebraicType::Identity()},
                    {"ts", AlgebraicType::Timestamp()}, {"u", AlgebraicType::U256()}, {"bytes", AlgebraicType::Bytes()}},
                   {{0, "t_a_b", table::IndexAlgorithm::kBTree, {0, 1}, false},
                    {0, "t_s", table::IndexAlgorithm::kHash, {2}, false}});
    auto s = table("s", {{"a", AlgebraicType::U8()}, {"b", AlgebraicType::I64()}, {"name", AlgebraicType::String()}},
                   {{0, "s_a", table::IndexAlgorithm::kBTree, {0}, true}});
    table("secret", {{"a", AlgebraicType::U8()}}, {}, /*is_public=*/false);
    for (uint8_t i = 0; i < 6; ++i) {
      (void)tx->Insert(t, sats::bsatn::EncodeValue(AlgebraicValue::Product(
                              {AlgebraicValue::U8(i), AlgebraicValue::I64(int64_t(i) - 3),
                               AlgebraicValue::String(std::string(i, 'x')), AlgebraicValue::Bool(i % 2),
                               AlgebraicValue::F64(i * 0.5), sats::Identity().ToValue(),
                               sats::Timestamp(i).ToValue(), AlgebraicValue::U256(sats::U256::FromU128(i)),
                               AlgebraicValue::Bytes({i})})));
      (void)tx->Insert(s, sats::bsatn::EncodeValue(AlgebraicValue::Product(
                              {AlgebraicValue::U8(i), AlgebraicValue::I64(i), AlgebraicValue::String("n")})));
    }
    (void)tx->Insert(datastore::kStRowLevelSecurity,
                     datastore::StRowLevelSecurityRow{s, "select s.* from s join t on s.a = t.a where t.f"}.Encode());
    tx->Commit();
  }
};

// Executes a compiled statement if its estimated cost is small (a fuzzer must not spend seconds per input).
void Run(Fixture& fx, const sql::Statement& stmt, const sql::CallerContext& caller) {
  constexpr uint64_t kBudget = 20000;
  if (stmt.is_query()) {
    auto snapshot = fx.ds->TakeSnapshot();
    if (!sql::CheckRowLimit(stmt.plan(), *snapshot, kBudget).ok()) return;
    auto result = sql::ExecuteQuery(stmt, *snapshot, caller);
    if (result.ok() && !result->Values().ok()) std::abort();  // our own rows must decode
    return;
  }
  if (stmt.kind() != sql::Statement::Kind::kInsert) {
    auto snapshot = fx.ds->TakeSnapshot();
    if (!sql::CheckRowLimit(stmt.plan(), *snapshot, kBudget).ok()) return;
  }
  auto tx = *fx.ds->BeginMutTx();
  (void)sql::ExecuteDml(stmt, *tx, caller);
  tx->Rollback();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fx = new Fixture();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)sql::parser::ParseSql(text);
  (void)sql::parser::ParseSubscription(text);
  auto snapshot = fx->ds->TakeSnapshot();
  sql::DatabaseViewSchema schema(*snapshot);
  for (bool owner : {true, false}) {
    sql::CallerContext caller{sats::Identity(), owner};
    for (sql::Language language : {sql::Language::kSql, sql::Language::kSubscription}) {
      auto stmt = sql::Compile(text, schema, {language, caller});
      if (!stmt.ok()) {
        if (stmt.error().message().empty()) std::abort();  // every error must say something
        continue;
      }
      (void)stmt->Explain();
      Run(*fx, *stmt, caller);
    }
  }
  return 0;
}
