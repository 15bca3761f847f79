#include "cli/sdk_locator.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace stdb::cli {

namespace fs = std::filesystem;

namespace {

bool IsSdk(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "include" / "spacetimedb.h", ec);
}

}  // namespace

Result<std::string> FindCppSdk(const std::string& executable_path) {
  std::vector<std::string> looked;
  if (const char* env = std::getenv("SPACETIMEDB_CPP_SDK"); env && *env) {
    fs::path dir(env);
    if (IsSdk(dir)) return fs::absolute(dir).lexically_normal().string();
    return Error(ErrorCode::kNotFound, std::string("SPACETIMEDB_CPP_SDK is set to ") + env +
                                           ", which is not the C++ module SDK (it has no include/spacetimedb.h); "
                                           "point it at the sdk/cpp directory of the SpacetimeDB C++ sources or unset it");
  }
  looked.push_back("$SPACETIMEDB_CPP_SDK (not set)");
  std::error_code ec;
  fs::path exe = fs::weakly_canonical(fs::path(executable_path), ec);
  if (ec) exe = fs::absolute(fs::path(executable_path));
  fs::path bin_dir = exe.parent_path();
  fs::path installed = (bin_dir / ".." / "share" / "spacetimedb" / "sdk" / "cpp").lexically_normal();
  if (IsSdk(installed)) return installed.lexically_normal().string();
  looked.push_back(installed.lexically_normal().string());
  for (fs::path dir = bin_dir; !dir.empty(); dir = dir.parent_path()) {
    fs::path candidate = dir / "sdk" / "cpp";
    if (IsSdk(candidate)) return candidate.lexically_normal().string();
    looked.push_back(candidate.string());
    if (dir == dir.parent_path()) break;
  }
  std::string list;
  for (const auto& l : looked) list += "\n  " + l;
  return Error(ErrorCode::kNotFound,
               "cannot find the SpacetimeDB C++ module SDK; looked in:" + list +
                   "\nSet SPACETIMEDB_CPP_SDK to the sdk/cpp directory of the SpacetimeDB C++ sources, or install "
                   "the SDK under <prefix>/share/spacetimedb/sdk/cpp next to <prefix>/bin/spacetime");
}

std::string CurrentExecutablePath(const std::string& fallback) {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fallback;
  return exe.string();
}

}  // namespace stdb::cli
