#include "cli/sdk_locator.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "cli/init_command.h"
#include "cli/test_util.h"

namespace stdb::cli {
namespace {

using testing::TempDir;
using testing::WriteTextFile;

const std::string kSource = STDB_SOURCE_DIR;

TEST(SdkLocatorTest, FindsTheSourceTreeAboveTheExecutable) {
  unsetenv("SPACETIMEDB_CPP_SDK");
  auto sdk = FindCppSdk(kSource + "/build/bin/spacetime");
  ASSERT_TRUE(sdk.ok()) << sdk.error().message();
  EXPECT_EQ(*sdk, kSource + "/sdk/cpp");
}

TEST(SdkLocatorTest, FindsAnInstallPrefix) {
  unsetenv("SPACETIMEDB_CPP_SDK");
  TempDir dir;
  WriteTextFile(dir / "prefix/share/spacetimedb/sdk/cpp/include/spacetimedb.h", "");
  auto sdk = FindCppSdk(dir / "prefix/bin/spacetime");
  ASSERT_TRUE(sdk.ok()) << sdk.error().message();
  EXPECT_EQ(*sdk, dir / "prefix/share/spacetimedb/sdk/cpp");
}

TEST(SdkLocatorTest, EnvironmentOverrideAndClearFailures) {
  TempDir dir;
  setenv("SPACETIMEDB_CPP_SDK", (dir / "nothing").c_str(), 1);
  auto bad_env = FindCppSdk(kSource + "/build/bin/spacetime");
  ASSERT_FALSE(bad_env.ok());
  EXPECT_NE(bad_env.error().message().find("is not the C++ module SDK"), std::string::npos);
  setenv("SPACETIMEDB_CPP_SDK", (kSource + "/sdk/cpp").c_str(), 1);
  EXPECT_EQ(*FindCppSdk("/nowhere/bin/spacetime"), kSource + "/sdk/cpp");
  unsetenv("SPACETIMEDB_CPP_SDK");
  auto none = FindCppSdk(dir / "bin/spacetime");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message().find("cannot find the SpacetimeDB C++ module SDK; looked in:"), std::string::npos);
  EXPECT_NE(none.error().message().find("share/spacetimedb/sdk/cpp"), std::string::npos);
  EXPECT_NE(none.error().message().find("Set SPACETIMEDB_CPP_SDK"), std::string::npos);
}

TEST(InitCommandTest, CopiesTheTemplate) {
  unsetenv("SPACETIMEDB_CPP_SDK");
  testing::TestContext t;
  t.ctx.executable_path = kSource + "/build/bin/spacetime";
  InitOptions options;
  options.lang = "cpp";
  options.project_name = t.dir / "my-module";
  Status s = RunInit(options, t.ctx);
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(testing::ReadTextFile(t.dir / "my-module/src/lib.cpp"),
            testing::ReadTextFile(kSource + "/sdk/cpp/template/src/lib.cpp"));
  EXPECT_EQ(testing::ReadTextFile(t.dir / "my-module/CMakeLists.txt"),
            testing::ReadTextFile(kSource + "/sdk/cpp/template/CMakeLists.txt"));
  EXPECT_NE(t.out.str().find("Project successfully created at path: " + (t.dir / "my-module")), std::string::npos);

  Status again = RunInit(options, t.ctx);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message().find("is not empty; choose a new directory"), std::string::npos);
  options.lang = "rust";
  Status rust = RunInit(options, t.ctx);
  ASSERT_FALSE(rust.ok());
  EXPECT_NE(rust.error().message().find("it creates C++ modules (--lang cpp)"), std::string::npos);
  InitOptions nowhere;
  nowhere.lang = "cpp";
  nowhere.project_name = t.dir / "other";
  t.ctx.executable_path = t.dir / "bin/spacetime";
  Status no_sdk = RunInit(nowhere, t.ctx);
  ASSERT_FALSE(no_sdk.ok());
  EXPECT_NE(no_sdk.error().message().find("cannot find the SpacetimeDB C++ module SDK"), std::string::npos);
}

}  // namespace
}  // namespace stdb::cli
