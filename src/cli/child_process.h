// ChildProcess: runs a program to completion in a given directory with extra environment variables, its output
// going straight to this process's stdout and stderr (so compiler errors appear exactly as the compiler prints
// them). The program is looked up in PATH; no shell is involved.
//
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sats/result.h"

namespace stdb::cli {

struct ChildProcessSpec {
  std::vector<std::string> argv;  // argv[0] is the program
  std::string working_directory;  // empty: inherit
  std::vector<std::pair<std::string, std::string>> extra_environment;
};

// The exit status (0..255), or an error if the program could not be started or was killed by a signal.
Result<int> RunChildProcess(const ChildProcessSpec& spec);

// The absolute path of `program` in PATH, or empty.
std::string FindInPath(const std::string& program);

// The command as a shell would show it, quoting words that need it.
std::string ShellQuote(const std::vector<std::string>& argv);

}  // namespace stdb::cli
