// SltRunner: runs a sqllogictest-style script against the Oracle (our engine with and without indexes, and
// SQLite). The format (src/sql/testdata/*.slt), records separated by blank lines, `#` starts a comment line:
//
//   table t (id u32 pk, a u8 index, b i16, s string hash, f bool) index(a, b) hash(s, b) unique(b, f)
//       creates t in all three databases; column options: pk/unique (unique B-tree), index (B-tree), hash;
//       trailing index(...)/hash(...)/unique(...) add multi-column indexes. Types: bool, i8..i128, u8..u128,
//       f32, f64, string.
//   statement ok            the SQL on the following lines runs in all three databases and must succeed
//   statement error <text>  our engine must fail with a message containing <text>
//   query                   our rows (indexed and not) must equal SQLite's; or, when a line `----` follows the
//                           SQL, equal the rows listed after it (rendered as Oracle renders them)
//   query error <text>      our engine must fail with a message containing <text>
//   plan <text>             as `query`, and the indexed plan must contain <text>
//
// Thread-safety: single-threaded test helper.
#pragma once

#include <string>
#include <vector>

namespace stdb::sql::testing {

struct SltOutcome {
  std::vector<std::string> failures;  // "file:line: what went wrong"
  size_t statements = 0;
  size_t queries = 0;
};

SltOutcome RunSltFile(const std::string& path);

}  // namespace stdb::sql::testing
