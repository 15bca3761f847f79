#include "server/http_types.h"

#include <gtest/gtest.h>

namespace stdb::server {
namespace {

TEST(HttpHeadersTest, NamesAreCaseInsensitive) {
  HttpHeaders headers;
  headers.Add("Content-Type", "application/json");
  EXPECT_EQ(headers.Get("content-type"), "application/json");
  EXPECT_EQ(headers.Get("CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(headers.Get("Content-Length").has_value());
  EXPECT_TRUE(headers.Contains("content-TYPE"));
}

TEST(HttpHeadersTest, RepeatedFieldsKeepTheirOrder) {
  HttpHeaders headers;
  headers.Add("Sec-WebSocket-Protocol", "v2.bsatn.spacetimedb");
  headers.Add("X-Other", "1");
  headers.Add("sec-websocket-protocol", "v1.json.spacetimedb, v1.bsatn.spacetimedb");
  auto all = headers.GetAll("Sec-WebSocket-Protocol");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], "v2.bsatn.spacetimedb");
  EXPECT_EQ(all[1], "v1.json.spacetimedb, v1.bsatn.spacetimedb");
  EXPECT_EQ(headers.Get("Sec-WebSocket-Protocol"), "v2.bsatn.spacetimedb");
}

TEST(HttpHeadersTest, SetReplacesAndRemoveRemovesEveryOccurrence) {
  HttpHeaders headers;
  headers.Add("Vary", "a");
  headers.Add("vary", "b");
  headers.Set("VARY", "c");
  EXPECT_EQ(headers.GetAll("vary").size(), 1u);
  EXPECT_EQ(headers.Get("vary"), "c");
  headers.Remove("Vary");
  EXPECT_TRUE(headers.empty());
}

TEST(HttpHeadersTest, HasTokenLooksInsideCommaSeparatedLists) {
  HttpHeaders headers;
  headers.Add("Connection", "keep-alive, Upgrade");
  headers.Add("Upgrade", "websocket");
  EXPECT_TRUE(headers.HasToken("connection", "upgrade"));
  EXPECT_TRUE(headers.HasToken("Connection", "KEEP-ALIVE"));
  EXPECT_FALSE(headers.HasToken("Connection", "close"));
  EXPECT_FALSE(headers.HasToken("Connection", "upgrad"));
  EXPECT_TRUE(headers.HasToken("Upgrade", "WebSocket"));
}

TEST(HttpHeadersTest, SplitHeaderListTrimsAndSkipsEmptyElements) {
  auto elements = SplitHeaderList(" a ,b,, \tc\t,");
  ASSERT_EQ(elements.size(), 3u);
  EXPECT_EQ(elements[0], "a");
  EXPECT_EQ(elements[1], "b");
  EXPECT_EQ(elements[2], "c");
  EXPECT_TRUE(SplitHeaderList("").empty());
}

TEST(HttpRequestTest, LooksUpQueryAndPathParameters) {
  HttpRequest request;
  request.query = {{"a", "1"}, {"b", ""}, {"a", "2"}};
  request.path_params = {{"name_or_identity", "quickstart"}};
  EXPECT_EQ(request.QueryParam("a"), "1");
  EXPECT_EQ(request.QueryParam("b"), "");
  EXPECT_FALSE(request.QueryParam("c").has_value());
  EXPECT_EQ(request.PathParam("name_or_identity"), "quickstart");
  EXPECT_FALSE(request.PathParam("reducer").has_value());
}

TEST(HttpResponseTest, HelpersSetTheContentTypesTheApiUses) {
  HttpResponse json = HttpResponse::Json(200, R"({"token":"x"})");
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(json.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(json.body, R"({"token":"x"})");
  HttpResponse text = HttpResponse::Text(404, "No such database.");
  EXPECT_EQ(text.headers.Get("content-type"), "text/plain; charset=utf-8");
  HttpResponse empty = HttpResponse::Empty(204);
  EXPECT_TRUE(empty.headers.empty());
  EXPECT_TRUE(empty.body.empty());
  HttpResponse with = HttpResponse::Empty(200).WithHeader("spacetime-identity", "c200");
  EXPECT_EQ(with.headers.Get("Spacetime-Identity"), "c200");
}

TEST(HttpResponseTest, StatusReasons) {
  EXPECT_EQ(StatusReason(200), "OK");
  EXPECT_EQ(StatusReason(413), "Payload Too Large");
  EXPECT_EQ(StatusReason(426), "Upgrade Required");
  EXPECT_EQ(StatusReason(530), "");
}

}  // namespace
}  // namespace stdb::server
