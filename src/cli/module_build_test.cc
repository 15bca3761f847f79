#include "cli/module_build.h"

#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/test_util.h"

namespace stdb::cli {
namespace {

using testing::TempDir;
using testing::WriteTextFile;

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

TEST(ModuleBuildTest, FlagsAreTheSdkReadmesDocumentedCommand) {
  std::string readme = testing::ReadTextFile(std::string(STDB_SOURCE_DIR) + "/sdk/cpp/README.md");
  size_t start = readme.find("<!-- build-command -->");
  size_t end = readme.find("<!-- /build-command -->");
  ASSERT_NE(start, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  std::string block = readme.substr(start, end - start);
  std::vector<std::string> words = Words(block.substr(block.find("clang++-19")));
  ASSERT_EQ(words[0], "clang++-19");
  std::vector<std::string> flags;
  size_t i = 1;
  for (; i < words.size() && words[i].rfind("-I", 0) != 0; ++i) flags.push_back(words[i]);
  EXPECT_EQ(flags, CppModuleFlags(false));
  ASSERT_LT(i + 4, words.size());
  EXPECT_EQ(words[i], "-I\"$SPACETIMEDB_CPP_SDK/include\"");
  EXPECT_EQ(words[i + 1], "src/*.cpp");
  EXPECT_EQ(words[i + 2], "\"$SPACETIMEDB_CPP_SDK/src/unity/spacetimedb_sdk.cpp\"");
  EXPECT_EQ(words[i + 3], "-o");
  EXPECT_EQ(words[i + 4], "build/lib.wasm");
  std::vector<std::string> debug = CppModuleFlags(true);
  EXPECT_EQ(std::count(debug.begin(), debug.end(), "-DNDEBUG"), 0);
  EXPECT_EQ(debug.size() + 1, flags.size());
}

TEST(ModuleBuildTest, PlanListsSourcesInOrder) {
  TempDir dir;
  WriteTextFile(dir / "mod/src/b.cpp", "");
  WriteTextFile(dir / "mod/src/a.cpp", "");
  WriteTextFile(dir / "mod/src/notes.txt", "");
  unsetenv("SPACETIMEDB_CLANGXX");
  auto plan = PlanCppModuleBuild(dir / "mod", "/sdk", false);
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  std::vector<std::string> expected = {"clang++-19"};
  for (auto& f : CppModuleFlags(false)) expected.push_back(f);
  for (const char* rest : {"-I/sdk/include", "src/a.cpp", "src/b.cpp", "/sdk/src/unity/spacetimedb_sdk.cpp", "-o",
                           "build/lib.wasm"})
    expected.push_back(rest);
  EXPECT_EQ(plan->argv, expected);
  EXPECT_EQ(plan->output, dir / "mod/build/lib.wasm");
}

TEST(ModuleBuildTest, PlanErrors) {
  TempDir dir;
  auto missing = PlanCppModuleBuild(dir / "nope", "/sdk", false);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("does not exist"), std::string::npos);
  EXPECT_NE(missing.error().message().find("spacetime init --lang cpp"), std::string::npos);
  WriteTextFile(dir / "empty/CMakeLists.txt", "");
  auto empty = PlanCppModuleBuild(dir / "empty", "/sdk", false);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message().find("no C++ sources in"), std::string::npos);
}

TEST(ModuleBuildTest, CompilerFailuresAndMissingCompiler) {
  TempDir dir;
  WriteTextFile(dir / "mod/src/lib.cpp", "");
  std::ostringstream out;
  setenv("SPACETIMEDB_CLANGXX", "false", 1);
  auto plan = PlanCppModuleBuild(dir / "mod", "/sdk", false);
  ASSERT_TRUE(plan.ok());
  auto failed = RunModuleBuild(*plan, out);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(),
            "the module did not compile (false exited with status 1); fix the errors shown above and build again");
  EXPECT_NE(out.str().find("SPACETIMEDB_CPP_SDK=/sdk false --target=wasm32-wasi"), std::string::npos) << out.str();
  setenv("SPACETIMEDB_CLANGXX", "clang++-does-not-exist", 1);
  auto plan2 = PlanCppModuleBuild(dir / "mod", "/sdk", false);
  auto missing = RunModuleBuild(*plan2, out);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("was not found in PATH; install the module toolchain"), std::string::npos);
  unsetenv("SPACETIMEDB_CLANGXX");
}

}  // namespace
}  // namespace stdb::cli
