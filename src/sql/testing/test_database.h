// TestDatabase: a datastore with helpers to create tables and fill them, for the SQL engine's tests.
//
// Thread-safety: single-threaded test helper.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "datastore/datastore.h"
#include "datastore/mut_tx.h"
#include "sql/sql_engine.h"

namespace stdb::sql::testing {

using sats::AlgebraicType;
using sats::AlgebraicValue;

struct IndexSpec {
  std::vector<table::ColId> columns;
  table::IndexAlgorithm algorithm = table::IndexAlgorithm::kBTree;
  bool unique = false;
};

inline IndexSpec BTree(std::vector<table::ColId> cols, bool unique = false) {
  return {std::move(cols), table::IndexAlgorithm::kBTree, unique};
}
inline IndexSpec Hash(std::vector<table::ColId> cols, bool unique = false) {
  return {std::move(cols), table::IndexAlgorithm::kHash, unique};
}

class TestDatabase {
 public:
  TestDatabase() : ds_(datastore::Datastore::Create()) {}

  datastore::Datastore& datastore() { return *ds_; }

  table::TableId CreateTable(const std::string& name, std::vector<std::pair<std::string, AlgebraicType>> columns,
                             std::vector<IndexSpec> indexes = {}, bool is_public = true,
                             std::optional<table::ColId> auto_inc = std::nullopt) {
    table::TableSchema s;
    s.name = name;
    s.is_public = is_public;
    for (auto& [col, type] : columns) s.columns.push_back({col, type});
    for (const IndexSpec& ix : indexes) {
      std::string ixname = name;
      for (auto c : ix.columns) ixname += "_" + s.columns[c].name;
      ixname += ix.algorithm == table::IndexAlgorithm::kHash ? "_idx_hash" : "_idx_btree";
      s.indexes.push_back({0, ixname, ix.algorithm, ix.columns, ix.unique});
    }
    if (auto_inc) {
      table::SequenceSchema seq;
      seq.name = name + "_seq";
      seq.column = *auto_inc;
      s.sequences.push_back(seq);
    }
    auto tx = *ds_->BeginMutTx();
    auto id = tx->CreateTable(s);
    EXPECT_TRUE(id.ok()) << id.error().message();
    tx->Commit();
    return id.ok() ? *id : 0;
  }

  void Insert(table::TableId table, const std::vector<std::vector<AlgebraicValue>>& rows) {
    auto tx = *ds_->BeginMutTx();
    for (const auto& row : rows) {
      auto r = tx->Insert(table, sats::bsatn::EncodeValue(AlgebraicValue::Product(row)));
      EXPECT_TRUE(r.ok()) << r.error().message();
    }
    tx->Commit();
  }

  void AddRlsRule(table::TableId table, const std::string& sql) {
    auto tx = *ds_->BeginMutTx();
    auto r = tx->Insert(datastore::kStRowLevelSecurity, datastore::StRowLevelSecurityRow{table, sql}.Encode());
    EXPECT_TRUE(r.ok()) << r.error().message();
    tx->Commit();
  }

  // Compiles and runs a query on a snapshot.
  Result<QueryResult> Query(const std::string& sql, const CallerContext& caller = Owner(),
                            Language language = Language::kSql) {
    auto snapshot = ds_->TakeSnapshot();
    DatabaseViewSchema schema(*snapshot);
    CompileOptions options;
    options.caller = caller;
    options.language = language;
    STDB_ASSIGN_OR_RETURN(Statement stmt, Compile(sql, schema, options));
    return ExecuteQuery(stmt, *snapshot, caller);
  }

  Result<std::vector<sats::ProductValue>> Rows(const std::string& sql, const CallerContext& caller = Owner()) {
    STDB_ASSIGN_OR_RETURN(QueryResult r, Query(sql, caller));
    return r.Values();
  }

  Result<Statement> CompileSql(const std::string& sql, const CallerContext& caller = Owner(),
                               Language language = Language::kSql) {
    auto snapshot = ds_->TakeSnapshot();
    DatabaseViewSchema schema(*snapshot);
    CompileOptions options;
    options.caller = caller;
    options.language = language;
    return Compile(sql, schema, options);
  }

  std::string Explain(const std::string& sql) {
    auto stmt = CompileSql(sql);
    if (!stmt.ok()) return "error: " + stmt.error().message();
    return stmt->plan().Explain();
  }

  Result<SqlOutcome> Run(const std::string& sql, const CallerContext& caller = Owner()) {
    return RunSql(sql, *ds_, caller);
  }

  static CallerContext Owner() { return CallerContext::Owner(OwnerIdentity()); }
  static sats::Identity OwnerIdentity() {
    uint8_t be[32] = {};
    be[31] = 0x99;
    return sats::Identity::FromBigEndian(be);
  }
  static sats::Identity IdentityOf(uint8_t byte) {
    uint8_t be[32];
    std::fill(std::begin(be), std::end(be), byte);
    return sats::Identity::FromBigEndian(be);
  }

 private:
  std::unique_ptr<datastore::Datastore> ds_;
};

// Sorted string forms of rows, for order-insensitive comparisons.
inline std::vector<std::string> Sorted(const std::vector<sats::ProductValue>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(AlgebraicValue(r).ToString());
  std::sort(out.begin(), out.end());
  return out;
}

inline sats::ProductValue Row(std::vector<AlgebraicValue> values) { return sats::ProductValue{std::move(values)}; }

}  // namespace stdb::sql::testing
