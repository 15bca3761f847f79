// Helpers for the CLI's tests: a temporary directory that removes itself, and a CommandContext writing to string
// streams with its own config file.
//
// Thread-safety: test-thread only; every test makes its own.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "cli/cli_config.h"
#include "cli/command_context.h"

namespace stdb::cli::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "stdb-cli-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void WriteTextFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A context whose output is captured and whose config lives in a temporary directory, pointing the default
// server at `server_url` (when given).
struct TestContext {
  TempDir dir;
  CliConfig config = CliConfig::Defaults(dir / "cli.json");
  std::ostringstream out, err;
  std::istringstream in;
  CommandContext ctx;

  explicit TestContext(const std::string& server_url = "", const std::string& input = "") : in(input) {
    if (!server_url.empty()) {
      (void)config.AddServer(server_url, std::string("test"), std::nullopt);
      (void)config.SetDefaultServer("test");
    }
    ctx.config = &config;
    ctx.out = &out;
    ctx.err = &err;
    ctx.in = &in;
  }
};

// A JWT with the given payload (unsigned; the CLI does not verify signatures).
std::string FakeToken(const std::string& payload_json);

}  // namespace stdb::cli::testing
