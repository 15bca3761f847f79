// Oracle: runs the same SQL in three databases and compares their answers — our engine over tables with
// indexes, our engine over the same tables without any index (so every index plan is checked against a plain
// scan), and an in-memory SQLite database holding the same rows (the reference answer).
//
// Results are compared as multisets of rows rendered as text: integers in decimal, bools as 1/0 (SQLite has no
// bool), floats with 17 significant digits, strings quoted. A query ending in LIMIT n is compared by checking
// that our rows are a sub-multiset of SQLite's rows without the LIMIT, of size min(n, total): which rows a LIMIT
// keeps is unspecified.
//
// The data must suit both engines: every table needs a unique column (our tables are sets, SQLite's are bags),
// integers must fit in an i64, and f32 values should be exactly representable.
//
// Thread-safety: single-threaded test helper.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sats/result.h"
#include "sql/testing/test_database.h"

struct sqlite3;

namespace stdb::sql::testing {

struct TableSpec {
  std::string name;
  std::vector<std::pair<std::string, sats::AlgebraicType>> columns;
  std::vector<IndexSpec> indexes;
};

class Oracle {
 public:
  Oracle();
  ~Oracle();
  Oracle(const Oracle&) = delete;
  Oracle& operator=(const Oracle&) = delete;

  Status CreateTable(const TableSpec& spec);
  // Runs a DML statement in all three databases; fails if any of them fails.
  Status Execute(const std::string& sql);
  // Our rows (sorted, rendered), from the indexed or the unindexed database.
  Result<std::vector<std::string>> Ours(const std::string& sql, bool indexed = true);
  Result<std::vector<std::string>> Sqlite(const std::string& sql);
  // "" when all three agree, else what differs.
  std::string Compare(const std::string& sql);
  // The indexed database's plan.
  std::string Plan(const std::string& sql);

  TestDatabase& indexed() { return indexed_; }

 private:
  Status SqliteExec(const std::string& sql);

  TestDatabase indexed_;
  TestDatabase plain_;
  sqlite3* sqlite_ = nullptr;
};

// Renders a decoded row the way Oracle compares rows.
std::string RenderRow(const sats::ProductValue& row);

}  // namespace stdb::sql::testing
