#include "sql/testing/oracle.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>

namespace stdb::sql::testing {

namespace {

std::string RenderDouble(double d) {
  if (d == 0) d = 0;  // -0 and +0 are equal values; SQLite does not keep the sign
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

std::string RenderValue(const sats::AlgebraicValue& v) {
  using K = sats::AlgebraicValue::Kind;
  switch (v.kind()) {
    case K::kBool: return v.AsBool() ? "1" : "0";
    case K::kF32: return RenderDouble(double(v.as<float>()));
    case K::kF64: return RenderDouble(v.as<double>());
    case K::kString: return Quote(v.AsString());
    default: return v.ToString();
  }
}

const char* SqliteType(const sats::AlgebraicType& type) {
  if (type.IsFloat()) return "REAL";
  if (type.IsString()) return "TEXT";
  return "INTEGER";
}

// "... LIMIT 5" -> ("...", 5).
std::optional<std::pair<std::string, uint64_t>> SplitLimit(const std::string& sql) {
  static const std::regex kLimit(R"(^([\s\S]*\S)\s+limit\s+(\d+)\s*;?\s*$)", std::regex::icase);
  std::smatch m;
  if (!std::regex_match(sql, m, kLimit)) return std::nullopt;
  return std::make_pair(m[1].str(), uint64_t(std::stoull(m[2].str())));
}

std::string Join(const std::vector<std::string>& rows) {
  std::string out;
  for (size_t i = 0; i < rows.size() && i < 30; ++i) out += "    " + rows[i] + "\n";
  if (rows.size() > 30) out += "    ... (" + std::to_string(rows.size()) + " rows)\n";
  return out;
}

}  // namespace

std::string RenderRow(const sats::ProductValue& row) {
  std::string out;
  for (size_t i = 0; i < row.elements.size(); ++i) {
    if (i) out += ' ';
    out += RenderValue(row.elements[i]);
  }
  return out;
}

Oracle::Oracle() {
  if (sqlite3_open(":memory:", &sqlite_) != SQLITE_OK) sqlite_ = nullptr;
}

Oracle::~Oracle() {
  if (sqlite_) sqlite3_close(sqlite_);
}

Status Oracle::SqliteExec(const std::string& sql) {
  if (!sqlite_) return Error(ErrorCode::kInternal, "sqlite is not open");
  char* message = nullptr;
  if (sqlite3_exec(sqlite_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "sqlite error";
    sqlite3_free(message);
    return Error(ErrorCode::kInternal, "SQLite: " + text + " in: " + sql);
  }
  return OkStatus();
}

Status Oracle::CreateTable(const TableSpec& spec) {
  indexed_.CreateTable(spec.name, spec.columns, spec.indexes);
  plain_.CreateTable(spec.name, spec.columns, {});
  std::string ddl = "CREATE TABLE \"" + spec.name + "\" (";
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    if (i) ddl += ", ";
    ddl += "\"" + spec.columns[i].first + "\" " + SqliteType(spec.columns[i].second);
  }
  return SqliteExec(ddl + ")");
}

Status Oracle::Execute(const std::string& sql) {
  auto a = indexed_.Run(sql);
  if (!a.ok()) return std::move(a).error();
  auto b = plain_.Run(sql);
  if (!b.ok()) return std::move(b).error();
  return SqliteExec(sql);
}

Result<std::vector<std::string>> Oracle::Ours(const std::string& sql, bool indexed) {
  TestDatabase& db = indexed ? indexed_ : plain_;
  STDB_ASSIGN_OR_RETURN(std::vector<sats::ProductValue> rows, db.Rows(sql));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(RenderRow(r));
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> Oracle::Sqlite(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(sqlite_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    return Error(ErrorCode::kInternal, std::string("SQLite: ") + sqlite3_errmsg(sqlite_) + " in: " + sql);
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      if (c) row += ' ';
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER: row += std::to_string(sqlite3_column_int64(stmt, c)); break;
        case SQLITE_FLOAT: row += RenderDouble(sqlite3_column_double(stmt, c)); break;
        case SQLITE_TEXT: row += Quote(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c))); break;
        case SQLITE_NULL: row += "NULL"; break;
        default: row += "<blob>"; break;
      }
    }
    out.push_back(std::move(row));
  }
  std::string error = rc == SQLITE_DONE ? "" : sqlite3_errmsg(sqlite_);
  sqlite3_finalize(stmt);
  if (!error.empty()) return Error(ErrorCode::kInternal, "SQLite: " + error + " in: " + sql);
  std::sort(out.begin(), out.end());
  return out;
}

std::string Oracle::Compare(const std::string& sql) {
  auto indexed = Ours(sql, true);
  if (!indexed.ok()) return "our engine failed: " + indexed.error().message();
  auto plain = Ours(sql, false);
  if (!plain.ok()) return "our engine (no indexes) failed: " + plain.error().message();
  auto limit = SplitLimit(sql);
  if (!limit && *indexed != *plain)
    return "indexed and unindexed plans differ:\n  indexed:\n" + Join(*indexed) + "  unindexed:\n" + Join(*plain) +
           "  plan:\n" + Plan(sql);
  auto expected = Sqlite(limit ? limit->first : sql);
  if (!expected.ok()) return expected.error().message();
  if (limit) {
    // Different plans may keep different rows; each must keep min(n, total) rows of the full result.
    size_t want = std::min<size_t>(limit->second, expected->size());
    for (const auto* rows : {&*indexed, &*plain}) {
      const char* which = rows == &*indexed ? "" : " (no indexes)";
      if (rows->size() != want)
        return std::string("LIMIT ") + std::to_string(limit->second) + which + " returned " +
               std::to_string(rows->size()) + " rows, expected " + std::to_string(want);
      std::map<std::string, int> available;
      for (const auto& r : *expected) ++available[r];
      for (const auto& r : *rows)
        if (--available[r] < 0) return std::string("LIMIT") + which + " returned a row SQLite does not have: " + r;
    }
    return "";
  }
  if (*indexed != *expected)
    return "result differs from SQLite:\n  ours:\n" + Join(*indexed) + "  sqlite:\n" + Join(*expected) +
           "  plan:\n" + Plan(sql);
  return "";
}

std::string Oracle::Plan(const std::string& sql) { return indexed_.Explain(sql); }

}  // namespace stdb::sql::testing
