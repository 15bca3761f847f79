// SqlOutput: the /sql response (spec/data-layer.md §4.5) and how `spacetime sql` prints it, as the reference CLI
// does (crates/cli/src/subcommands/sql.rs):
//
//    a | b
//   ---+---
//    1 | 2
//   (1 row) [inserted: 1, server: 1.00ms]        <- statistics lines only in the interactive REPL
//   Roundtrip time: 1.00ms
//
// A statement result with no columns (DML) prints no table. Several statement results are separated by a blank
// line. Rows arrive as untyped SATS-JSON arrays and are read with the statement's schema.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/algebraic_value.h"
#include "sats/result.h"

namespace stdb::cli {

struct SqlStatementResult {
  sats::ProductType schema;
  std::vector<sats::AlgebraicValue> rows;  // products
  uint64_t total_duration_micros = 0;
  uint64_t rows_inserted = 0;
  uint64_t rows_deleted = 0;
  uint64_t rows_updated = 0;
};

// Parses the JSON body of a successful /sql response.
Result<std::vector<SqlStatementResult>> ParseSqlResponse(std::string_view json);

// The text printed for a response (without the final newline). With `roundtrip_micros`, adds the statistics lines.
std::string FormatSqlResults(const std::vector<SqlStatementResult>& results,
                             std::optional<uint64_t> roundtrip_micros);

// The psql table of one result ("" when it has no columns).
std::string FormatSqlTable(const SqlStatementResult& result);

}  // namespace stdb::cli
