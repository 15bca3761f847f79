#include "cli/cli_config.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "cli/test_util.h"

namespace stdb::cli {
namespace {

using testing::ReadTextFile;
using testing::TempDir;
using testing::WriteTextFile;

TEST(CliConfigTest, MissingFileMeansLocalDefault) {
  TempDir dir;
  auto config = CliConfig::Load(dir / "none/cli.json");
  ASSERT_TRUE(config.ok()) << config.error().message();
  ASSERT_EQ(config->servers().size(), 1u);
  EXPECT_EQ(config->servers()[0].nickname, "local");
  EXPECT_EQ(config->servers()[0].Url(), "http://127.0.0.1:3000");
  EXPECT_EQ(config->default_server(), "local");
  EXPECT_FALSE(config->token());
  EXPECT_EQ(*config->ServerUrl(""), "http://127.0.0.1:3000");
  EXPECT_FALSE(std::filesystem::exists(dir / "none/cli.json"));  // reading writes nothing
}

TEST(CliConfigTest, SaveAndLoadRoundTripWithPrivateMode) {
  TempDir dir;
  CliConfig config = CliConfig::Defaults(dir / "spacetime/cli.json");
  ASSERT_TRUE(config.AddServer("https://db.example.com:8443/", std::string("prod"), std::string("PEM")).ok());
  ASSERT_TRUE(config.SetDefaultServer("prod").ok());
  config.SetToken("a.b.c");
  ASSERT_TRUE(config.Save().ok());
  struct stat st;
  ASSERT_EQ(::stat((dir / "spacetime/cli.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto loaded = CliConfig::Load(dir / "spacetime/cli.json");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  ASSERT_EQ(loaded->servers().size(), 2u);
  EXPECT_EQ(loaded->servers()[1].host, "db.example.com:8443");
  EXPECT_EQ(loaded->servers()[1].protocol, "https");
  EXPECT_EQ(loaded->servers()[1].ecdsa_public_key, "PEM");
  EXPECT_EQ(loaded->default_server(), "prod");
  EXPECT_EQ(loaded->token(), "a.b.c");
  EXPECT_EQ(*loaded->ServerUrl(""), "https://db.example.com:8443");
  EXPECT_EQ(*loaded->ServerUrl("local"), "http://127.0.0.1:3000");
}

TEST(CliConfigTest, FileFormatIsTheDocumentedJson) {
  TempDir dir;
  WriteTextFile(dir / "cli.json", R"({
    "default_server": "local",
    "server_configs": [ { "nickname": "local", "host": "127.0.0.1:3000", "protocol": "http" },
                        { "host": "10.0.0.5:3000", "protocol": "http" } ],
    "spacetimedb_token": "t.o.k",
    "listen_addr": "0.0.0.0:4000"
  })");
  auto config = CliConfig::Load(dir / "cli.json");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->servers().size(), 2u);
  EXPECT_FALSE(config->servers()[1].nickname);
  EXPECT_EQ(*config->ServerUrl("10.0.0.5:3000"), "http://10.0.0.5:3000");
  EXPECT_EQ(*config->ServerUrl("http://10.0.0.5:3000"), "http://10.0.0.5:3000");
  EXPECT_EQ(config->DisplayName("10.0.0.5:3000"), "10.0.0.5:3000");
  EXPECT_EQ(config->DisplayName(""), "local");
  ASSERT_TRUE(config->Save().ok());
  std::string saved = ReadTextFile(dir / "cli.json");
  EXPECT_NE(saved.find("\"listen_addr\": \"0.0.0.0:4000\""), std::string::npos) << saved;  // unknown keys kept
  EXPECT_NE(saved.find("\"spacetimedb_token\": \"t.o.k\""), std::string::npos) << saved;
}

TEST(CliConfigTest, MalformedFilesNameTheProblem) {
  TempDir dir;
  WriteTextFile(dir / "a.json", "{ not json");
  auto bad_json = CliConfig::Load(dir / "a.json");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_NE(bad_json.error().message().find("a.json is invalid: not valid JSON"), std::string::npos);
  EXPECT_NE(bad_json.error().message().find("fix or delete the file"), std::string::npos);
  WriteTextFile(dir / "b.json", R"({"server_configs": [{"nickname": "x", "protocol": "http"}]})");
  auto no_host = CliConfig::Load(dir / "b.json");
  ASSERT_FALSE(no_host.ok());
  EXPECT_NE(no_host.error().message().find("a server entry has no \"host\""), std::string::npos);
  WriteTextFile(dir / "c.json", R"({"server_configs": [{"host": "h", "protocol": "ftp"}]})");
  auto bad_protocol = CliConfig::Load(dir / "c.json");
  ASSERT_FALSE(bad_protocol.ok());
  EXPECT_NE(bad_protocol.error().message().find("must be \"http\" or \"https\""), std::string::npos);
}

TEST(CliConfigTest, ServerManagement) {
  CliConfig config = CliConfig::Defaults("/nonexistent/cli.json");
  EXPECT_TRUE(config.AddServer("http://127.0.0.1:4000", std::string("test"), std::nullopt).ok());
  auto clash = config.AddServer("http://127.0.0.1:5000", std::string("local"), std::nullopt);
  ASSERT_FALSE(clash.ok());
  EXPECT_NE(clash.error().message().find("server nickname local is already used by http://127.0.0.1:3000"),
            std::string::npos);
  auto same_host = config.AddServer("http://127.0.0.1:4000", std::string("other"), std::nullopt);
  ASSERT_FALSE(same_host.ok());
  EXPECT_NE(same_host.error().message().find("already saved for host 127.0.0.1:4000"), std::string::npos);
  auto no_scheme = config.AddServer("127.0.0.1:4000", std::string("x"), std::nullopt);
  ASSERT_FALSE(no_scheme.ok());
  EXPECT_NE(no_scheme.error().message().find("expected e.g. http://127.0.0.1:3000"), std::string::npos);

  EXPECT_TRUE(config.SetDefaultServer("127.0.0.1:4000").ok());
  EXPECT_EQ(config.default_server(), "test");
  auto unknown = config.SetDefaultServer("nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("no saved server named 'nope'"), std::string::npos);
  EXPECT_NE(unknown.error().message().find("spacetime server add nope --url <url>"), std::string::npos);

  EXPECT_TRUE(config.RemoveServer("http://127.0.0.1:4000").ok());
  EXPECT_FALSE(config.default_server());
  auto no_default = config.ServerUrl("");
  ASSERT_FALSE(no_default.ok());
  EXPECT_NE(no_default.error().message().find("spacetime server set-default"), std::string::npos);
  EXPECT_FALSE(config.RemoveServer("test").ok());
  EXPECT_TRUE(config.SetFingerprint("local", "KEY").ok());
  EXPECT_EQ(config.servers()[0].ecdsa_public_key, "KEY");
}

TEST(CliConfigTest, DefaultPathFollowsXdgConfigHome) {
  std::string old = getenv("XDG_CONFIG_HOME") ? getenv("XDG_CONFIG_HOME") : "";
  setenv("XDG_CONFIG_HOME", "/xdg", 1);
  EXPECT_EQ(CliConfig::DefaultPath(), "/xdg/spacetime/cli.json");
  unsetenv("XDG_CONFIG_HOME");
  EXPECT_EQ(CliConfig::DefaultPath(), std::string(getenv("HOME")) + "/.config/spacetime/cli.json");
  if (!old.empty()) setenv("XDG_CONFIG_HOME", old.c_str(), 1);
}

}  // namespace
}  // namespace stdb::cli
