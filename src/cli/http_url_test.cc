#include "cli/http_url.h"

#include <gtest/gtest.h>

namespace stdb::cli {
namespace {

TEST(HttpUrlTest, Parses) {
  auto url = HttpUrl::Parse("http://127.0.0.1:3000/v1/database/x/sql?confirmed=true");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 3000);
  EXPECT_EQ(url->target, "/v1/database/x/sql?confirmed=true");
  EXPECT_EQ(url->Origin(), "http://127.0.0.1:3000");
  auto https = HttpUrl::Parse("HTTPS://maincloud.spacetimedb.com");
  ASSERT_TRUE(https.ok());
  EXPECT_EQ(https->port, 443);
  EXPECT_EQ(https->Authority(), "maincloud.spacetimedb.com");
  EXPECT_EQ(https->target, "/");
  auto v6 = HttpUrl::Parse("ws://[::1]:4000?x=1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->Authority(), "[::1]:4000");
  EXPECT_EQ(v6->target, "/?x=1");
}

TEST(HttpUrlTest, Rejects) {
  for (const char* bad : {"127.0.0.1:3000", "ftp://x", "http://", "http://h:0", "http://h:99999", "http://h:",
                          "http://u@h"}) {
    auto url = HttpUrl::Parse(bad);
    EXPECT_FALSE(url.ok()) << bad;
    if (!url.ok()) {
      EXPECT_NE(url.error().message().find("expected e.g. http://127.0.0.1:3000"), std::string::npos);
    }
  }
}

TEST(HttpUrlTest, PercentEncode) {
  EXPECT_EQ(PercentEncode("quickstart-chat_1.x~"), "quickstart-chat_1.x~");
  EXPECT_EQ(PercentEncode("a b/c"), "a%20b%2Fc");
}

}  // namespace
}  // namespace stdb::cli
