#include "server/websocket_upgrade.h"

#include <gtest/gtest.h>

#include <array>

namespace stdb::server {
namespace {

constexpr std::array<std::string_view, 4> kServerPreference = {"v3.bsatn.spacetimedb", "v2.bsatn.spacetimedb",
                                                               "v1.bsatn.spacetimedb", "v1.json.spacetimedb"};

HttpRequest UpgradeRequest() {
  HttpRequest request;
  request.method = "GET";
  request.headers.Add("Connection", "Upgrade");
  request.headers.Add("Upgrade", "websocket");
  request.headers.Add("Sec-WebSocket-Version", "13");
  request.headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
  return request;
}

TEST(WebSocketUpgradeTest, AcceptsAWellFormedRequest) {
  EXPECT_FALSE(CheckWebSocketUpgrade(UpgradeRequest()).has_value());
  HttpRequest listed = UpgradeRequest();
  listed.headers.Set("Connection", "keep-alive, Upgrade");
  listed.headers.Set("Upgrade", "WebSocket");
  EXPECT_FALSE(CheckWebSocketUpgrade(listed).has_value());
}

TEST(WebSocketUpgradeTest, NonGetIs405) {
  HttpRequest request = UpgradeRequest();
  request.method = "POST";
  auto response = CheckWebSocketUpgrade(request);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 405);
}

TEST(WebSocketUpgradeTest, MissingUpgradeHeadersIs426) {
  for (std::string_view missing : {"Connection", "Upgrade"}) {
    HttpRequest request = UpgradeRequest();
    request.headers.Remove(missing);
    auto response = CheckWebSocketUpgrade(request);
    ASSERT_TRUE(response.has_value()) << missing;
    EXPECT_EQ(response->status, 426);
    EXPECT_EQ(response->headers.Get("Connection"), "upgrade");
    EXPECT_EQ(response->headers.Get("Upgrade"), "websocket");
  }
  HttpRequest wrong = UpgradeRequest();
  wrong.headers.Set("Upgrade", "h2c");
  EXPECT_EQ(CheckWebSocketUpgrade(wrong)->status, 426);
}

TEST(WebSocketUpgradeTest, WrongVersionOrKeyIs400) {
  HttpRequest version = UpgradeRequest();
  version.headers.Set("Sec-WebSocket-Version", "8");
  EXPECT_EQ(CheckWebSocketUpgrade(version)->status, 400);
  HttpRequest no_version = UpgradeRequest();
  no_version.headers.Remove("Sec-WebSocket-Version");
  EXPECT_EQ(CheckWebSocketUpgrade(no_version)->status, 400);
  HttpRequest no_key = UpgradeRequest();
  no_key.headers.Remove("Sec-WebSocket-Key");
  EXPECT_EQ(CheckWebSocketUpgrade(no_key)->status, 400);
  HttpRequest bad_key = UpgradeRequest();
  bad_key.headers.Set("Sec-WebSocket-Key", "short");
  EXPECT_EQ(CheckWebSocketUpgrade(bad_key)->status, 400);
}

TEST(WebSocketUpgradeTest, TheServersPreferenceWins) {
  HttpHeaders headers;
  headers.Add("Sec-WebSocket-Protocol", "v1.json.spacetimedb, v2.bsatn.spacetimedb");
  EXPECT_EQ(SelectSubprotocol(headers, kServerPreference), "v2.bsatn.spacetimedb");
  headers.Add("Sec-WebSocket-Protocol", "v3.bsatn.spacetimedb");  // a repeated header counts too
  EXPECT_EQ(SelectSubprotocol(headers, kServerPreference), "v3.bsatn.spacetimedb");
}

TEST(WebSocketUpgradeTest, NothingInCommonSelectsNothing) {
  HttpHeaders none;
  EXPECT_FALSE(SelectSubprotocol(none, kServerPreference).has_value());
  HttpHeaders other;
  other.Add("Sec-WebSocket-Protocol", "graphql-ws,  v4.bsatn.spacetimedb ");
  EXPECT_FALSE(SelectSubprotocol(other, kServerPreference).has_value());
  auto offered = OfferedSubprotocols(other);
  ASSERT_EQ(offered.size(), 2u);
  EXPECT_EQ(offered[1], "v4.bsatn.spacetimedb");
  HttpResponse refusal = NoValidProtocolResponse();
  EXPECT_EQ(refusal.status, 400);
  EXPECT_EQ(refusal.body, "no valid protocol selected");
}

}  // namespace
}  // namespace stdb::server
