#include "cli/sql_output.h"

#include <charconv>

#include "cli/satn_format.h"
#include "cli/text_table.h"
#include "sats/json.h"
#include "sats/sats_json.h"

namespace stdb::cli {

namespace {

Error Malformed(const std::string& why) {
  return Error(ErrorCode::kDecode, "malformed SQL response from the server (" + why +
                                       "); is the server a SpacetimeDB server of a compatible version?");
}

Result<uint64_t> ReadU64(const sats::Json* json, const char* name) {
  if (!json) return uint64_t{0};
  if (!json->is_number()) return Malformed(std::string("\"") + name + "\" is not a number");
  uint64_t v = 0;
  const std::string& t = json->text();
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size()) return Malformed(std::string("\"") + name + "\" is not a u64");
  return v;
}

}  // namespace

Result<std::vector<SqlStatementResult>> ParseSqlResponse(std::string_view text) {
  auto json = sats::Json::Parse(text);
  if (!json.ok()) return Malformed(json.error().message());
  if (!json->is_array()) return Malformed("not a JSON array");
  std::vector<SqlStatementResult> results;
  for (const auto& statement : json->items()) {
    if (!statement.is_object()) return Malformed("a statement result is not an object");
    SqlStatementResult result;
    const sats::Json* schema = statement.Find("schema");
    if (!schema) return Malformed("no \"schema\"");
    sats::Json wrapped = sats::Json::Object({{"Product", *schema}});
    auto type = sats::sats_json::ReadType(wrapped);
    if (!type.ok() || !type->IsProduct()) return Malformed("bad schema: " + (type.ok() ? "not a product" : type.error().message()));
    result.schema = type->product();
    sats::AlgebraicType row_type = sats::AlgebraicType::Product(result.schema);
    if (const sats::Json* rows = statement.Find("rows")) {
      if (!rows->is_array()) return Malformed("\"rows\" is not an array");
      for (const auto& row : rows->items()) {
        auto value = sats::sats_json::Read(row_type, row);
        if (!value.ok()) return Malformed("a row does not match the schema: " + value.error().message());
        result.rows.push_back(std::move(*value));
      }
    }
    STDB_ASSIGN_OR_RETURN(result.total_duration_micros,
                          ReadU64(statement.Find("total_duration_micros"), "total_duration_micros"));
    if (const sats::Json* stats = statement.Find("stats")) {
      STDB_ASSIGN_OR_RETURN(result.rows_inserted, ReadU64(stats->Find("rows_inserted"), "rows_inserted"));
      STDB_ASSIGN_OR_RETURN(result.rows_deleted, ReadU64(stats->Find("rows_deleted"), "rows_deleted"));
      STDB_ASSIGN_OR_RETURN(result.rows_updated, ReadU64(stats->Find("rows_updated"), "rows_updated"));
    }
    results.push_back(std::move(result));
  }
  return results;
}

std::string FormatSqlTable(const SqlStatementResult& result) {
  const auto& elements = result.schema.elements;
  if (elements.empty()) return "";
  std::vector<std::string> header;
  for (size_t i = 0; i < elements.size(); ++i)
    header.push_back(elements[i].name ? *elements[i].name : "column " + std::to_string(i));
  TextTable table(std::move(header));
  for (const auto& row : result.rows) {
    std::vector<std::string> cells;
    const auto& fields = row.AsProduct().elements;
    for (size_t i = 0; i < elements.size() && i < fields.size(); ++i)
      cells.push_back(FormatPsqlCell(result.schema, i, fields[i]));
    table.AddRow(std::move(cells));
  }
  return table.Render();
}

std::string FormatSqlResults(const std::vector<SqlStatementResult>& results,
                             std::optional<uint64_t> roundtrip_micros) {
  std::string out;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& result = results[i];
    std::string table = FormatSqlTable(result);
    out += table;
    if (roundtrip_micros) {
      if (!table.empty()) out += '\n';
      size_t n = result.rows.size();
      out += "(" + std::to_string(n) + (n == 1 ? " row)" : " rows)");
      std::string info;
      auto add = [&](const std::string& item) { info += (info.empty() ? "" : ", ") + item; };
      if (result.rows_inserted) add("inserted: " + std::to_string(result.rows_inserted));
      if (result.rows_deleted) add("deleted: " + std::to_string(result.rows_deleted));
      if (result.rows_updated) add("updated: " + std::to_string(result.rows_updated));
      add("server: " + FormatDurationDebug(result.total_duration_micros));
      out += " [" + info + "]";
    }
    if (i + 1 < results.size()) out += "\n\n";
  }
  if (roundtrip_micros) out += "\nRoundtrip time: " + FormatDurationDebug(*roundtrip_micros) + "\n";
  return out;
}

}  // namespace stdb::cli
