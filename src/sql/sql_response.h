// SqlResponse: the body of the /sql HTTP route (spec/data-layer.md §4.5, crates/client-api-messages http.rs).
//
// The body is a JSON array with one element per statement (we run exactly one):
//   [{"schema": <ProductType as SATS-JSON>,            e.g. {"elements":[{"name":{"some":"id"},"algebraic_type":{"U32":[]}}]}
//     "rows": [<row>, ...],                           each row an untyped ProductValue: a JSON array, sums as [tag, v]
//     "total_duration_micros": <u64>,
//     "stats": {"rows_inserted": n, "rows_deleted": n, "rows_updated": n}}]
// DML returns an empty schema ({"elements":[]}) and no rows.
//
// Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/algebraic_value.h"
#include "sql/execution/dml_executor.h"

namespace stdb::sql {

struct SqlResponse {
  sats::ProductType schema;
  std::vector<sats::ProductValue> rows;
  uint64_t total_duration_micros = 0;
  DmlStats stats;

  // The JSON body described above.
  std::string ToJson() const;
};

}  // namespace stdb::sql
