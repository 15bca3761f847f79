#include "server/http_wire.h"

#include <gtest/gtest.h>

namespace stdb::server {
namespace {

// The head without its Date line, which changes every second.
std::string WithoutDate(std::string head) {
  size_t date = head.find("Date: ");
  if (date == std::string::npos) return head;
  size_t end = head.find("\r\n", date);
  return head.erase(date, end + 2 - date);
}

TEST(HttpWireTest, SerializesAContentLengthResponse) {
  HttpResponse response = HttpResponse::Json(200, R"({"a":1})");
  auto head = SerializeResponseHead(response, ResponseFraming{});
  ASSERT_TRUE(head.ok()) << head.error().message();
  EXPECT_EQ(WithoutDate(*head),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n");
  EXPECT_NE(head->find("Date: "), std::string::npos);
}

TEST(HttpWireTest, ReplacesFramingFieldsSetByTheHandler) {
  HttpResponse response = HttpResponse::Text(200, "hello");
  response.headers.Add("Content-Length", "999");
  response.headers.Add("Transfer-Encoding", "gzip");
  response.headers.Add("connection", "keep-alive");
  ResponseFraming framing;
  framing.keep_alive = false;
  auto head = SerializeResponseHead(response, framing);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(WithoutDate(*head),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
            "Connection: close\r\n\r\n");
}

TEST(HttpWireTest, KeepsOtherConnectionOptions) {
  HttpResponse refusal = HttpResponse::Text(426, "upgrade");
  refusal.headers.Add("Connection", "upgrade");
  refusal.headers.Add("Upgrade", "websocket");
  auto kept = SerializeResponseHead(refusal, ResponseFraming{});
  ASSERT_TRUE(kept.ok());
  EXPECT_NE(kept->find("\r\nConnection: upgrade\r\n"), std::string::npos);
  ResponseFraming closing;
  closing.keep_alive = false;
  auto closed = SerializeResponseHead(refusal, closing);
  ASSERT_TRUE(closed.ok());
  EXPECT_NE(closed->find("\r\nConnection: upgrade, close\r\n"), std::string::npos);
}

TEST(HttpWireTest, ChunkedAndUntilCloseFraming) {
  HttpResponse response = HttpResponse::Empty(200);
  response.headers.Add("Content-Type", "application/x-ndjson");
  ResponseFraming chunked;
  chunked.body = BodyFraming::kChunked;
  EXPECT_EQ(WithoutDate(*SerializeResponseHead(response, chunked)),
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n");
  ResponseFraming until_close;
  until_close.body = BodyFraming::kUntilClose;
  until_close.version_minor = 0;
  EXPECT_EQ(WithoutDate(*SerializeResponseHead(response, until_close)),
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n\r\n");
}

TEST(HttpWireTest, Http10KeepAliveIsExplicit) {
  ResponseFraming framing;
  framing.version_minor = 0;
  EXPECT_EQ(WithoutDate(*SerializeResponseHead(HttpResponse::Empty(200), framing)),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
}

TEST(HttpWireTest, StatusesWithoutBodyGetNoContentLength) {
  EXPECT_EQ(WithoutDate(*SerializeResponseHead(HttpResponse::Empty(204), ResponseFraming{})),
            "HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_EQ(WithoutDate(*SerializeResponseHead(HttpResponse::Empty(304), ResponseFraming{})),
            "HTTP/1.1 304 Not Modified\r\n\r\n");
}

TEST(HttpWireTest, NonStandardStatusHasAnEmptyReason) {
  auto head = SerializeResponseHead(HttpResponse::Text(530, "reducer failed"), ResponseFraming{});
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->rfind("HTTP/1.1 530 \r\n", 0), 0u);
}

TEST(HttpWireTest, RefusesHeaderInjection) {
  HttpResponse response = HttpResponse::Empty(200);
  response.headers.Add("X-Evil", "a\r\nSet-Cookie: b");
  EXPECT_FALSE(SerializeResponseHead(response, ResponseFraming{}).ok());
  HttpResponse bad_name = HttpResponse::Empty(200);
  bad_name.headers.Add("Bad Name", "x");
  EXPECT_FALSE(SerializeResponseHead(bad_name, ResponseFraming{}).ok());
  HttpResponse bad_status = HttpResponse::Empty(42);
  EXPECT_FALSE(SerializeResponseHead(bad_status, ResponseFraming{}).ok());
}

TEST(HttpWireTest, KeepsAHandlerDate) {
  HttpResponse response = HttpResponse::Empty(200);
  response.headers.Add("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
  auto head = SerializeResponseHead(response, ResponseFraming{});
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n");
}

TEST(HttpWireTest, EncodesChunks) {
  EXPECT_EQ(EncodeChunk("hello"), "5\r\nhello\r\n");
  EXPECT_EQ(EncodeChunk(std::string(300, 'x')).substr(0, 5), "12c\r\n");
  EXPECT_EQ(EncodeChunk(""), "");
  EXPECT_EQ(kLastChunk, "0\r\n\r\n");
}

TEST(HttpWireTest, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
}

}  // namespace
}  // namespace stdb::server
