#include "sql/testing/slt_runner.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "sql/testing/oracle.h"

namespace stdb::sql::testing {

namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> SplitTopLevel(const std::string& s) {
  std::vector<std::string> parts;
  int depth = 0;
  std::string cur;
  for (char c : s) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(Trim(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!Trim(cur).empty()) parts.push_back(Trim(cur));
  return parts;
}

std::optional<sats::AlgebraicType> ParseType(const std::string& name) {
  static const std::map<std::string, sats::AlgebraicType> kTypes = {
      {"bool", sats::AlgebraicType::Bool()}, {"i8", sats::AlgebraicType::I8()},     {"u8", sats::AlgebraicType::U8()},
      {"i16", sats::AlgebraicType::I16()},   {"u16", sats::AlgebraicType::U16()},   {"i32", sats::AlgebraicType::I32()},
      {"u32", sats::AlgebraicType::U32()},   {"i64", sats::AlgebraicType::I64()},   {"u64", sats::AlgebraicType::U64()},
      {"i128", sats::AlgebraicType::I128()}, {"u128", sats::AlgebraicType::U128()}, {"f32", sats::AlgebraicType::F32()},
      {"f64", sats::AlgebraicType::F64()},   {"string", sats::AlgebraicType::String()},
  };
  auto it = kTypes.find(name);
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

// "table t (cols...) index(a, b) hash(c)"
Result<TableSpec> ParseTable(const std::string& line) {
  auto fail = [&](const std::string& why) { return Error(ErrorCode::kInvalidArgument, why + ": " + line); };
  TableSpec spec;
  size_t open = line.find('(');
  if (open == std::string::npos) return fail("table needs a column list");
  spec.name = Trim(line.substr(5, open - 5));
  int depth = 0;
  size_t close = open;
  for (; close < line.size(); ++close) {
    if (line[close] == '(') ++depth;
    if (line[close] == ')' && --depth == 0) break;
  }
  if (close >= line.size()) return fail("unbalanced parentheses");
  std::map<std::string, table::ColId> positions;
  for (const std::string& col : SplitTopLevel(line.substr(open + 1, close - open - 1))) {
    std::istringstream words(col);
    std::string name, type, option;
    words >> name >> type;
    auto t = ParseType(type);
    if (!t) return fail("unknown type " + type);
    table::ColId pos = table::ColId(spec.columns.size());
    positions[name] = pos;
    spec.columns.push_back({name, *t});
    while (words >> option) {
      if (option == "pk" || option == "unique") spec.indexes.push_back(BTree({pos}, true));
      else if (option == "index") spec.indexes.push_back(BTree({pos}));
      else if (option == "hash") spec.indexes.push_back(Hash({pos}));
      else return fail("unknown column option " + option);
    }
  }
  std::string rest = line.substr(close + 1);
  while (!Trim(rest).empty()) {
    rest = Trim(rest);
    size_t p = rest.find('(');
    size_t q = rest.find(')');
    if (p == std::string::npos || q == std::string::npos) return fail("bad index clause");
    std::string kind = Trim(rest.substr(0, p));
    std::vector<table::ColId> cols;
    for (const std::string& c : SplitTopLevel(rest.substr(p + 1, q - p - 1))) {
      if (!positions.count(c)) return fail("unknown column " + c);
      cols.push_back(positions[c]);
    }
    if (kind == "index") spec.indexes.push_back(BTree(cols));
    else if (kind == "unique") spec.indexes.push_back(BTree(cols, true));
    else if (kind == "hash") spec.indexes.push_back(Hash(cols));
    else return fail("unknown index kind " + kind);
    rest = rest.substr(q + 1);
  }
  return spec;
}

struct Record {
  size_t line = 0;
  std::string header;
  std::string sql;
  std::optional<std::vector<std::string>> expected;
};

std::vector<Record> ReadRecords(std::istream& in) {
  std::vector<Record> records;
  std::string line;
  size_t number = 0;
  Record current;
  bool active = false;
  bool in_expected = false;
  auto flush = [&] {
    if (active) records.push_back(std::move(current));
    current = Record();
    active = false;
    in_expected = false;
  };
  while (std::getline(in, line)) {
    ++number;
    std::string t = Trim(line);
    if (t.empty()) {
      flush();
      continue;
    }
    if (t[0] == '#') continue;
    if (!active) {
      active = true;
      current.line = number;
      current.header = t;
      continue;
    }
    if (t == "----") {
      in_expected = true;
      current.expected.emplace();
      continue;
    }
    if (in_expected) {
      current.expected->push_back(t);
    } else {
      if (!current.sql.empty()) current.sql += "\n";
      current.sql += line;
    }
  }
  flush();
  return records;
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

SltOutcome RunSltFile(const std::string& path) {
  SltOutcome outcome;
  std::ifstream in(path);
  if (!in) {
    outcome.failures.push_back(path + ": cannot open");
    return outcome;
  }
  Oracle oracle;
  for (const Record& r : ReadRecords(in)) {
    auto fail = [&](const std::string& what) {
      outcome.failures.push_back(path + ":" + std::to_string(r.line) + ": " + what + "\n  SQL: " + r.sql);
    };
    if (StartsWith(r.header, "table ")) {
      if (!r.sql.empty()) {
        fail("a table record must be a single line followed by a blank line");
        continue;
      }
      auto spec = ParseTable(r.header);
      if (!spec.ok()) {
        fail(spec.error().message());
        continue;
      }
      Status s = oracle.CreateTable(*spec);
      if (!s.ok()) fail(s.error().message());
    } else if (r.header == "statement ok") {
      ++outcome.statements;
      Status s = oracle.Execute(r.sql);
      if (!s.ok()) fail("statement failed: " + s.error().message());
    } else if (StartsWith(r.header, "statement error") || StartsWith(r.header, "query error")) {
      ++(r.header[0] == 's' ? outcome.statements : outcome.queries);
      std::string want = Trim(r.header.substr(r.header.find("error") + 5));
      auto result = oracle.indexed().Run(r.sql);
      if (result.ok()) {
        fail("expected an error containing \"" + want + "\", but it succeeded");
      } else if (result.error().message().find(want) == std::string::npos) {
        fail("expected an error containing \"" + want + "\", got: " + result.error().message());
      }
    } else if (r.header == "query" || StartsWith(r.header, "plan ")) {
      ++outcome.queries;
      if (StartsWith(r.header, "plan ")) {
        std::string want = Trim(r.header.substr(5));
        std::string plan = oracle.Plan(r.sql);
        if (plan.find(want) == std::string::npos) fail("plan does not contain \"" + want + "\":\n" + plan);
      }
      if (r.expected) {
        std::vector<std::string> want = *r.expected;
        std::sort(want.begin(), want.end());
        for (bool indexed : {true, false}) {
          auto got = oracle.Ours(r.sql, indexed);
          if (!got.ok()) {
            fail("query failed: " + got.error().message());
            break;
          }
          if (*got != want) {
            std::string text;
            for (const auto& row : *got) text += "    " + row + "\n";
            fail(std::string(indexed ? "" : "(no indexes) ") + "rows differ from the expected ones; got:\n" + text);
          }
        }
      } else {
        std::string diff = oracle.Compare(r.sql);
        if (!diff.empty()) fail(diff);
      }
    } else {
      fail("unknown record: " + r.header);
    }
  }
  return outcome;
}

}  // namespace stdb::sql::testing
