// CommandContext: what a `spacetime` command runs against — the CLI config, the output streams, the terminal
// situation and where the executable lives — so that commands can be run and observed in tests without a process.
//
// Thread-safety: not shared; one command runs at a time.
#pragma once

#include <iostream>
#include <string>

#include "cli/cli_config.h"

namespace stdb::cli {

struct CommandContext {
  CliConfig* config = nullptr;
  std::ostream* out = &std::cout;  // command output (tables, JSON lines, progress)
  std::ostream* err = &std::cerr;  // warnings and errors
  std::istream* in = &std::cin;    // answers to prompts, REPL input
  bool stdin_is_tty = false;       // prompts and the line editor are interactive
  bool stdout_is_tty = false;      // colours on
  std::string executable_path;     // the running `spacetime`, for locating the C++ SDK next to it
};

}  // namespace stdb::cli
