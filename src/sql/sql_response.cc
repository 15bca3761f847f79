#include "sql/sql_response.h"

#include "sats/sats_json.h"

namespace stdb::sql {

std::string SqlResponse::ToJson() const {
  std::string out = "[{\"schema\":";
  sats::sats_json::WriteProductType(schema, out);
  out += ",\"rows\":[";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i) out += ',';
    sats::sats_json::WriteUntyped(sats::AlgebraicValue(rows[i]), out);
  }
  out += "],\"total_duration_micros\":" + std::to_string(total_duration_micros);
  out += ",\"stats\":{\"rows_inserted\":" + std::to_string(stats.rows_inserted) +
         ",\"rows_deleted\":" + std::to_string(stats.rows_deleted) +
         ",\"rows_updated\":" + std::to_string(stats.rows_updated) + "}}]";
  return out;
}

}  // namespace stdb::sql
