// The `spacetime` executable: parses the command line and runs the command (command_line.h).
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "cli/sdk_locator.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  stdb::cli::ParseResult parsed = stdb::cli::ParseCommandLine(args);
  if (!parsed.command_line) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.output;
    return parsed.exit_code;
  }
  stdb::cli::CommandContext ctx;
  ctx.stdin_is_tty = ::isatty(STDIN_FILENO) != 0;
  ctx.stdout_is_tty = ::isatty(STDOUT_FILENO) != 0;
  ctx.executable_path = stdb::cli::CurrentExecutablePath(argv[0]);
  return stdb::cli::RunCommandLine(*parsed.command_line, ctx);
}
