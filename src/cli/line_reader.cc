#include "cli/line_reader.h"

#include <cstdio>
#include <cstdlib>

#include <editline/readline.h>

namespace stdb::cli {

LineReader::LineReader(std::istream& in, std::ostream& out, bool terminal, std::string history_file)
    : in_(in), out_(out), terminal_(terminal), history_file_(std::move(history_file)) {
  if (terminal_) {
    using_history();
    if (!history_file_.empty() && read_history(history_file_.c_str()) != 0) out_ << "No previous history.\n";
  }
}

LineReader::~LineReader() {
  if (terminal_ && !history_file_.empty()) write_history(history_file_.c_str());
}

std::optional<std::string> LineReader::ReadLine(const std::string& prompt) {
  if (terminal_) {
    out_.flush();
    char* line = readline(prompt.c_str());
    if (!line) return std::nullopt;
    std::string text(line);
    std::free(line);
    return text;
  }
  out_ << prompt << std::flush;
  std::string text;
  if (!std::getline(in_, text)) return std::nullopt;
  out_ << "\n";
  return text;
}

void LineReader::AddHistory(const std::string& line) {
  if (terminal_ && !line.empty()) add_history(line.c_str());
}

void LineReader::ClearScreen() {
  if (terminal_) {
    out_ << "\x1b[2J\x1b[H" << std::flush;
  }
}

}  // namespace stdb::cli
