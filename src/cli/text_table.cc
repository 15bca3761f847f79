#include "cli/text_table.h"

#include <algorithm>

namespace stdb::cli {

namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
}

}  // namespace

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++width;
  return width;
}

TextTable::TextTable(std::vector<std::string> header, Style style)
    : header_(std::move(header)), style_(style), align_(header_.size(), Align::kLeft) {}

void TextTable::SetAlign(size_t column, Align align) {
  if (column < align_.size()) align_[column] = align;
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::Render() const {
  size_t n = header_.size();
  std::vector<size_t> width(n, 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < n; ++c)
      for (const auto& line : SplitLines(row[c])) width[c] = std::max(width[c], DisplayWidth(line));
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);

  std::vector<std::string> out_lines;
  auto render_row = [&](const std::vector<std::string>& row) {
    std::vector<std::vector<std::string>> cells(n);
    size_t height = 1;
    for (size_t c = 0; c < n; ++c) {
      cells[c] = SplitLines(row[c]);
      height = std::max(height, cells[c].size());
    }
    for (size_t l = 0; l < height; ++l) {
      std::string line;
      for (size_t c = 0; c < n; ++c) {
        if (c > 0 && style_ == Style::kPsql) line += '|';
        std::string text = l < cells[c].size() ? cells[c][l] : std::string();
        std::string pad(width[c] - DisplayWidth(text), ' ');
        line += ' ';
        line += align_[c] == Align::kRight ? pad + text : text + pad;
        line += ' ';
      }
      out_lines.push_back(std::move(line));
    }
  };
  render_row(header_);
  if (style_ == Style::kPsql) {
    std::string rule;
    for (size_t c = 0; c < n; ++c) {
      if (c > 0) rule += '+';
      rule += std::string(width[c] + 2, '-');
    }
    out_lines.push_back(std::move(rule));
  }
  for (const auto& row : rows_) render_row(row);

  std::string out;
  for (size_t i = 0; i < out_lines.size(); ++i) {
    if (i > 0) out += '\n';
    out += out_lines[i];
  }
  return out;
}

}  // namespace stdb::cli
