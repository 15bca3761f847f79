#include "cli/http_client.h"

#include <gtest/gtest.h>

#include "cli/fake_server_test_util.h"
#include "cli/websocket_client.h"

namespace stdb::cli {
namespace {

using testing::FakeRequest;
using testing::FakeResponse;
using testing::FakeServer;

TEST(HttpClientTest, SendsAndReceives) {
  FakeServer server([](const FakeRequest& r) {
    FakeResponse response = testing::JsonResponse("{\"echo\":\"" + r.body + "\"}", 201);
    return response;
  });
  HttpRequest request;
  request.method = "POST";
  request.url = server.url() + "/v1/x?y=1";
  request.headers = {{"Authorization", "Bearer t"}};
  request.body = "hello";
  auto response = SendHttpRequest(request);
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 201);
  EXPECT_FALSE(response->ok() && response->status != 201);
  EXPECT_EQ(response->body, "{\"echo\":\"hello\"}");
  EXPECT_EQ(response->Header("content-type"), "application/json");
  FakeRequest seen = server.requests().at(0);
  EXPECT_EQ(seen.target, "/v1/x?y=1");
  EXPECT_EQ(seen.headers["authorization"], "Bearer t");
  EXPECT_EQ(seen.headers["user-agent"], CliUserAgent());
  EXPECT_EQ(seen.headers["content-length"], "5");
}

TEST(HttpClientTest, StreamsChunksAndStops) {
  FakeServer server([](const FakeRequest&) {
    FakeResponse response;
    response.chunks = {"a", "b", "c"};
    return response;
  });
  std::string got;
  HttpRequest request;
  request.url = server.url() + "/stream";
  auto response = StreamHttpRequest(request, [&](std::string_view chunk) {
    got += chunk;
    return got.size() < 2;
  });
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(got, "ab");
  EXPECT_TRUE(response->body.empty());
}

TEST(HttpClientTest, ConnectionFailures) {
  unsigned short port = testing::UnusedPort();
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/ping";
  auto refused = SendHttpRequest(request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(), "could not connect to http://127.0.0.1:" + std::to_string(port) +
                                           ": connection refused — is `spacetime start` running?");
  request.url = "http://no-such-host.invalid/v1/ping";
  auto unresolved = SendHttpRequest(request);
  ASSERT_FALSE(unresolved.ok());
  EXPECT_NE(unresolved.error().message().find("could not resolve host 'no-such-host.invalid'"), std::string::npos);
  EXPECT_NE(unresolved.error().message().find("spacetime server list"), std::string::npos);
}

TEST(HttpClientTest, HttpsToAPlainServerFailsInTheHandshake) {
  FakeServer server([](const FakeRequest&) { return testing::TextResponse(200, ""); });
  HttpRequest request;
  request.url = "https://127.0.0.1:" + server.url().substr(server.url().rfind(':') + 1) + "/v1/ping";
  auto response = SendHttpRequest(request);
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message().find("TLS handshake"), std::string::npos) << response.error().message();
}

TEST(WebSocketClientTest, DeclinedUpgradeCarriesTheServersAnswer) {
  FakeServer server([](const FakeRequest&) { return testing::TextResponse(404, "`chat` not found"); });
  auto ws = WebSocketClient::Connect({server.url() + "/v1/database/chat/subscribe", {"v3.bsatn.spacetimedb"}, {}});
  ASSERT_FALSE(ws.ok());
  EXPECT_EQ(ws.error().message(), "the server refused the WebSocket connection to ws://127.0.0.1:" +
                                      server.url().substr(server.url().rfind(':') + 1) +
                                      "/v1/database/chat/subscribe: 404 Not Found: `chat` not found");
}

}  // namespace
}  // namespace stdb::cli
