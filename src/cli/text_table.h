// TextTable: a table rendered as text the way the reference CLI's `tabled` tables look.
//
//   Style::kPsql (spacetime sql, spacetime list):      Style::kBlank (spacetime server list):
//    a | b                                             DEFAULT  HOSTNAME        PROTOCOL  NICKNAME
//   ---+---                                                ***  127.0.0.1:3000  http      local
//    1 | 2
//
// Every cell has one space of padding on each side and is padded to its column's width (so lines may end in
// spaces, as tabled's do); columns are separated by '|' (psql) or nothing (blank); psql draws a '-'/'+' rule under
// the header. Cells containing newlines span several lines. Width counts Unicode code points.
//
// Thread-safety: a plain value.
#pragma once

#include <string>
#include <vector>

namespace stdb::cli {

class TextTable {
 public:
  enum class Style { kPsql, kBlank };
  enum class Align { kLeft, kRight };

  TextTable(std::vector<std::string> header, Style style = Style::kPsql);

  void SetAlign(size_t column, Align align);
  void AddRow(std::vector<std::string> cells);

  size_t columns() const { return header_.size(); }
  size_t rows() const { return rows_.size(); }
  // The table's lines joined with '\n', without a final newline.
  std::string Render() const;

 private:
  std::vector<std::string> header_;
  Style style_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

// Number of Unicode code points in UTF-8 text.
size_t DisplayWidth(const std::string& text);

}  // namespace stdb::cli
