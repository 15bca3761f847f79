#include "cli/start_command.h"

#include <cstdlib>

namespace stdb::cli {

std::string DefaultDataDir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/spacetime/data";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.local/share/spacetime/data";
  return "";
}

std::string DefaultJwtKeyDir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/spacetime";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/spacetime";
  return "";
}

}  // namespace stdb::cli
