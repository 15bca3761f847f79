#include "server/router.h"

#include <gtest/gtest.h>

#include <thread>

#include "server/http_server.h"
#include "server/testing/test_client.h"

namespace stdb::server {
namespace {

using testing::TestHttpClient;

// Answers with the route's name and its parameters: "call noi=quickstart reducer=add".
RouteHandler Named(std::string name) {
  return [name](HttpRequest request, Responder responder) {
    std::string body = name;
    for (const auto& [key, value] : request.path_params) body += " " + key + "=" + value;
    responder.Send(HttpResponse::Text(200, body));
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void Serve() {
    HttpServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto server = HttpServer::Start(options, [this](HttpRequest request, Responder responder) {
      router_.Handle(std::move(request), std::move(responder));
    });
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(server).value();
    auto client = TestHttpClient::Connect(server_->port());
    ASSERT_TRUE(client.ok()) << client.error().message();
    client_ = std::move(client).value();
  }

  testing::ClientResponse Get(const std::string& method, const std::string& target,
                              const HttpHeaders& headers = {}) {
    auto response = client_->Request(method, target, headers);
    EXPECT_TRUE(response.ok()) << response.error().message();
    return response.ok() ? std::move(response).value() : testing::ClientResponse{};
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
  }

  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<TestHttpClient> client_;
};

TEST_F(RouterTest, MatchesLiteralsParametersAndWildcards) {
  ASSERT_TRUE(router_.Add("GET", "/v1/ping", Named("ping")).ok());
  ASSERT_TRUE(router_.Add("POST", "/v1/database/:name_or_identity/call/:reducer", Named("call")).ok());
  ASSERT_TRUE(router_.Add("GET", "/v1/database/:name_or_identity/route/*path", Named("route")).ok());
  ASSERT_TRUE(router_.Add("GET", "/", Named("root")).ok());
  Serve();
  EXPECT_EQ(Get("GET", "/v1/ping").body, "ping");
  EXPECT_EQ(Get("GET", "/").body, "root");
  EXPECT_EQ(Get("POST", "/v1/database/quickstart/call/add").body,
            "call name_or_identity=quickstart reducer=add");
  EXPECT_EQ(Get("GET", "/v1/database/db/route/a/b/c").body, "route name_or_identity=db path=a/b/c");
  EXPECT_EQ(Get("GET", "/v1/database/db/route/").body, "route name_or_identity=db path=");
  EXPECT_EQ(Get("GET", "/v1/database/db/route").body, "route name_or_identity=db path=");
}

TEST_F(RouterTest, ParametersAreDecodedAfterSplitting) {
  ASSERT_TRUE(router_.Add("POST", "/v1/database/:noi/call/:reducer", Named("call")).ok());
  Serve();
  EXPECT_EQ(Get("POST", "/v1/database/my%20db/call/a%2Fb").body, "call noi=my db reducer=a/b");
  EXPECT_EQ(Get("POST", "/v1/database/%FF/call/x").status, 400);
}

TEST_F(RouterTest, LiteralsBeatParametersWhichBeatWildcards) {
  ASSERT_TRUE(router_.Add("GET", "/v1/identity/public-key", Named("public-key")).ok());
  ASSERT_TRUE(router_.Add("GET", "/v1/identity/:identity", Named("identity")).ok());
  ASSERT_TRUE(router_.Add("GET", "/v1/identity/*rest", Named("rest")).ok());
  Serve();
  EXPECT_EQ(Get("GET", "/v1/identity/public-key").body, "public-key");
  EXPECT_EQ(Get("GET", "/v1/identity/c200").body, "identity identity=c200");
  EXPECT_EQ(Get("GET", "/v1/identity/c200/verify").body, "rest rest=c200/verify");
}

TEST_F(RouterTest, AnotherPatternWinsWhenTheBestMatchLacksTheMethod) {
  ASSERT_TRUE(router_.Add("GET", "/v1/database/:noi/names", Named("get-names")).ok());
  ASSERT_TRUE(router_.Add("POST", "/v1/database/:noi/:action", Named("action")).ok());
  Serve();
  EXPECT_EQ(Get("GET", "/v1/database/x/names").body, "get-names noi=x");
  EXPECT_EQ(Get("POST", "/v1/database/x/names").body, "action noi=x action=names");
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodIs405) {
  ASSERT_TRUE(router_.Add("GET", "/v1/database/:noi/logs", Named("logs")).ok());
  ASSERT_TRUE(router_.Add("POST", "/v1/database/:noi/sql", Named("sql")).ok());
  ASSERT_TRUE(router_.Add("PUT", "/v1/database/:noi/sql", Named("sql-put")).ok());
  Serve();
  auto missing = Get("GET", "/v1/nothing/here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers.Get("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Get("GET", "/v1/database/x/logs/extra").status, 404);
  EXPECT_EQ(Get("GET", "/v1/database//logs").status, 404);  // a parameter never matches an empty segment
  auto wrong = Get("DELETE", "/v1/database/x/sql");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers.Get("Allow"), "POST, PUT");
  EXPECT_EQ(Get("POST", "/v1/database/x/logs").headers.Get("Allow"), "GET, HEAD");
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  ASSERT_TRUE(router_.Add("GET", "/v1/database/:noi/identity", Named("identity")).ok());
  Serve();
  auto head = Get("HEAD", "/v1/database/x/identity");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers.Get("Content-Length"), std::to_string(std::string("identity noi=x").size()));
  EXPECT_TRUE(head.body.empty());
}

TEST_F(RouterTest, CorsPreflightIsAnsweredForV1) {
  ASSERT_TRUE(router_.Add("POST", "/v1/database/:noi/call/:reducer", Named("call")).ok());
  Serve();
  HttpHeaders headers;
  headers.Add("Origin", "http://localhost:5173");
  headers.Add("Access-Control-Request-Method", "POST");
  headers.Add("Access-Control-Request-Headers", "authorization, content-type");
  auto preflight = Get("OPTIONS", "/v1/database/x/call/add", headers);
  EXPECT_EQ(preflight.status, 200);
  EXPECT_EQ(preflight.headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(preflight.headers.Get("Access-Control-Allow-Methods"), "*");
  EXPECT_EQ(preflight.headers.Get("Access-Control-Allow-Headers"), "authorization,accept,content-type");
  EXPECT_TRUE(preflight.body.empty());
  // Any path under /v1, routed or not.
  EXPECT_EQ(Get("OPTIONS", "/v1/unknown", headers).status, 200);
  // Outside /v1 there is no CORS layer.
  EXPECT_EQ(Get("OPTIONS", "/metrics", headers).status, 404);
  EXPECT_EQ(Get("OPTIONS", "/v10", headers).status, 404);
}

TEST_F(RouterTest, V1ResponsesCarryTheAllowOriginHeaderEvenWhenAnsweredLater) {
  std::vector<std::thread> threads;
  ASSERT_TRUE(router_.Add("GET", "/v1/ping", Named("ping")).ok());
  ASSERT_TRUE(router_
                  .Add("GET", "/v1/slow",
                       [&](HttpRequest, Responder responder) {
                         threads.emplace_back([responder = std::move(responder)]() mutable {
                           responder.Send(HttpResponse::Json(200, "{}"));
                         });
                       })
                  .ok());
  ASSERT_TRUE(router_.Add("GET", "/health", Named("health")).ok());
  Serve();
  EXPECT_EQ(Get("GET", "/v1/ping").headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(Get("GET", "/v1/slow").headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(Get("GET", "/v1/missing").headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_FALSE(Get("GET", "/health").headers.Contains("Access-Control-Allow-Origin"));
  for (auto& t : threads) t.join();
}

TEST(RouterAddTest, RefusesBadPatterns) {
  Router router;
  auto handler = Named("x");
  EXPECT_TRUE(router.Add("GET", "/v1/database/:noi", handler).ok());
  EXPECT_FALSE(router.Add("GET", "/v1/database/:noi", handler).ok());      // twice
  EXPECT_TRUE(router.Add("DELETE", "/v1/database/:noi", handler).ok());    // another method is fine
  EXPECT_FALSE(router.Add("GET", "/v1/database/:other/x", handler).ok());  // conflicting parameter name
  EXPECT_FALSE(router.Add("GET", "/v1/*rest/more", handler).ok());         // wildcard not last
  EXPECT_FALSE(router.Add("GET", "v1/no-slash", handler).ok());
  EXPECT_FALSE(router.Add("GET", "/v1//empty", handler).ok());
  EXPECT_FALSE(router.Add("GET", "/v1/:", handler).ok());
  EXPECT_FALSE(router.Add("GET", "/v1/:bad-name", handler).ok());
  EXPECT_FALSE(router.Add("", "/v1/x", handler).ok());
  EXPECT_FALSE(router.Add("GET", "/v1/x", RouteHandler()).ok());
}

}  // namespace
}  // namespace stdb::server
