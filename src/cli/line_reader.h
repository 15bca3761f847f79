// LineReader: reads the lines typed at the `spacetime sql --interactive` prompt. On a terminal it uses libedit's
// readline interface (line editing, arrow-key history) and keeps the history in a file across sessions; otherwise (input
// piped in, tests) it reads plain lines from the given stream and echoes the prompt to the output stream.
//
// Thread-safety: one reader at a time per process (readline is process-global).
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>

namespace stdb::cli {

class LineReader {
 public:
  // `history_file` empty: no persistent history.
  LineReader(std::istream& in, std::ostream& out, bool terminal, std::string history_file);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its newline, or nullopt at end of input (Ctrl-D).
  std::optional<std::string> ReadLine(const std::string& prompt);
  void AddHistory(const std::string& line);
  void ClearScreen();

 private:
  std::istream& in_;
  std::ostream& out_;
  bool terminal_;
  std::string history_file_;
};

}  // namespace stdb::cli
