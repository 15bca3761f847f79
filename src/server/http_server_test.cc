#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "server/testing/test_client.h"

namespace stdb::server {
namespace {

using std::chrono::milliseconds;
using testing::ClientResponse;
using testing::TestHttpClient;

constexpr auto kWait = std::chrono::seconds(20);  // generous: only to avoid hanging a broken test

HttpServerOptions TestOptions() {
  HttpServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.io_threads = 2;
  return options;
}

std::unique_ptr<HttpServer> StartServer(HttpServerOptions options, RequestHandler handler) {
  auto server = HttpServer::Start(std::move(options), std::move(handler));
  EXPECT_TRUE(server.ok()) << server.error().message();
  return server.ok() ? std::move(server).value() : nullptr;
}

std::unique_ptr<TestHttpClient> Connect(const HttpServer& server) {
  auto client = TestHttpClient::Connect(server.port());
  EXPECT_TRUE(client.ok()) << client.error().message();
  return client.ok() ? std::move(client).value() : nullptr;
}

// Answers "<method> <path>" with the request body appended, at once.
void EchoHandler(HttpRequest request, Responder responder) {
  responder.Send(HttpResponse::Text(200, request.method + " " + request.path + " " + request.body));
}

// Threads that answer Responders later, joined at the end of the test.
class LaterAnswers {
 public:
  ~LaterAnswers() {
    for (auto& t : threads_) t.join();
  }
  void Answer(Responder responder, milliseconds after, HttpResponse response) {
    std::lock_guard lock(mu_);
    threads_.emplace_back(
        [responder = std::move(responder), after, response = std::move(response)]() mutable {
          std::this_thread::sleep_for(after);
          responder.Send(std::move(response));
        });
  }
  template <typename F>
  void Run(F f) {
    std::lock_guard lock(mu_);
    threads_.emplace_back(std::move(f));
  }

 private:
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

TEST(HttpServerTest, ListensOnAFreePortWhenAskedForPortZero) {
  auto server = StartServer(TestOptions(), EchoHandler);
  ASSERT_TRUE(server);
  EXPECT_NE(server->port(), 0);
  EXPECT_EQ(server->local_address(), "127.0.0.1:" + std::to_string(server->port()));
}

TEST(HttpServerTest, RefusesBadListenAddresses) {
  HttpServerOptions options = TestOptions();
  options.listen_address = "no-port-here";
  EXPECT_EQ(HttpServer::Start(options, EchoHandler).error().code(), ErrorCode::kInvalidArgument);

  auto first = StartServer(TestOptions(), EchoHandler);
  ASSERT_TRUE(first);
  options.listen_address = first->local_address();  // already taken
  auto second = HttpServer::Start(options, EchoHandler);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), ErrorCode::kIo);
}

TEST(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  auto server = StartServer(TestOptions(), EchoHandler);
  auto client = Connect(*server);
  ASSERT_TRUE(client);
  for (int i = 0; i < 5; ++i) {
    auto response = client->Request("POST", "/item/" + std::to_string(i), {}, "body" + std::to_string(i));
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->status, 200);
    EXPECT_TRUE(response->keep_alive);
    EXPECT_EQ(response->body, "POST /item/" + std::to_string(i) + " body" + std::to_string(i));
    EXPECT_EQ(response->headers.Get("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_TRUE(response->headers.Contains("Date"));
  }
  EXPECT_EQ(server->metrics().http_connections_accepted, 1u);
  EXPECT_EQ(server->metrics().http_requests, 5u);
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrderEvenWhenHandlersFinishOutOfOrder) {
  LaterAnswers later;
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    if (request.path == "/slow") {
      later.Answer(std::move(responder), milliseconds(100), HttpResponse::Text(200, "slow"));
    } else {
      responder.Send(HttpResponse::Text(200, request.path.substr(1)));
    }
  });
  auto client = Connect(*server);
  ASSERT_TRUE(client);
  std::string pipeline;
  for (std::string path : {"/slow", "/one", "/slow", "/two", "/three"})
    pipeline += "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(client->SendRaw(pipeline).ok());
  for (std::string expected : {"slow", "one", "slow", "two", "three"}) {
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->body, expected);
  }
}

TEST(HttpServerTest, ARequestArrivingDuringTheReadAheadIsNotMixedWithEarlierOnes) {
  // The server reads ahead while a handler works. Here the read-ahead is pending while the last buffered request
  // is parsed, and completes only later, with a request sent after the first answer: it must be that request
  // that is dispatched, not bytes left from the earlier ones.
  LaterAnswers later;
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    later.Answer(std::move(responder), milliseconds(50), HttpResponse::Text(200, request.body));
  });
  auto client = Connect(*server);
  ASSERT_TRUE(client);
  auto post = [](const std::string& body) {
    return "POST /call HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  ASSERT_TRUE(client->SendRaw(post("[first]") + post("[secnd]")).ok());
  for (std::string expected : {"[first]", "[secnd]", "[third]", "[forth]"}) {
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->body, expected);
    if (expected == "[first]") {
      ASSERT_TRUE(client->SendRaw(post("[third]")).ok());
    } else if (expected == "[secnd]") {
      ASSERT_TRUE(client->SendRaw(post("[forth]")).ok());
    }
  }
}

TEST(HttpServerTest, ResponsesMayComeFromAnotherThread) {
  LaterAnswers later;
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    later.Answer(std::move(responder), milliseconds(50),
                 HttpResponse::Json(200, R"({"from":"database thread"})"));
  });
  auto client = Connect(*server);
  ASSERT_TRUE(client);
  for (int i = 0; i < 3; ++i) {
    auto response = client->Request("GET", "/v1/identity");
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->headers.Get("Content-Type"), "application/json");
    EXPECT_EQ(response->body, R"({"from":"database thread"})");
  }
}

TEST(HttpServerTest, ADroppedResponderAnswers500) {
  LaterAnswers later;
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    if (request.path == "/drop-now") return;  // the Responder dies with the handler
    if (request.path == "/throw") throw std::runtime_error("handler bug");
    later.Run([responder = std::move(responder)]() mutable {
      std::this_thread::sleep_for(milliseconds(20));
      Responder dropped = std::move(responder);  // destroyed on this thread without answering
    });
  });
  auto client = Connect(*server);
  ASSERT_TRUE(client);
  for (std::string path : {"/drop-now", "/drop-later", "/throw"}) {
    auto response = client->Request("GET", path);
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->status, 500) << path;
    EXPECT_NE(response->body.find("did not respond"), std::string::npos);
  }
}

TEST(HttpServerTest, ASecondAnswerIsIgnored) {
  auto server = StartServer(TestOptions(), [](HttpRequest request, Responder responder) {
    responder.Send(HttpResponse::Text(200, "first"));
    responder.Send(HttpResponse::Text(500, "second"));
    EXPECT_FALSE(responder.valid());
  });
  auto client = Connect(*server);
  auto first = client->Request("GET", "/");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->body, "first");
  auto next = client->Request("GET", "/");  // no stray second response in between
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->body, "first");
}

TEST(HttpServerTest, CopiesOfAResponderShareOneAnswer) {
  LaterAnswers later;
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    if (request.path == "/race") {
      // Copies fit in std::function; both race to answer and exactly one answer goes out.
      for (int i = 0; i < 2; ++i) {
        std::function<void()> task = [responder, i] {
          Responder copy = responder;
          copy.Send(HttpResponse::Text(200, "answer " + std::to_string(i)));
        };
        later.Run(std::move(task));
      }
    } else {
      // Two copies, both dropped without answering: one 500 when the last one goes.
      later.Run([responder] {});
      later.Run([responder] { std::this_thread::sleep_for(milliseconds(20)); });
    }
  });
  auto client = Connect(*server);
  for (int i = 0; i < 3; ++i) {
    auto response = client->Request("GET", "/race");
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->body.rfind("answer ", 0), 0u);
  }
  auto dropped = client->Request("GET", "/drop");
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->status, 500);
  auto after = client->Request("GET", "/race");  // no stray answer was left on the connection
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 200);
}

TEST(HttpServerTest, DecodesPathAndQuery) {
  std::promise<HttpRequest> seen;
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    seen.set_value(request);
    responder.Send(HttpResponse::Empty(204));
  });
  auto client = Connect(*server);
  HttpHeaders headers;
  headers.Add("X-Custom", "Value");
  auto response = client->Request("GET", "/a%20b/c%2Fd?x=1+2&token=a%2Bb&flag", headers);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 204);
  HttpRequest request = seen.get_future().get();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/a%20b/c%2Fd?x=1+2&token=a%2Bb&flag");
  EXPECT_EQ(request.raw_path, "/a%20b/c%2Fd");
  EXPECT_EQ(request.path, "/a b/c/d");
  EXPECT_EQ(request.QueryParam("x"), "1 2");
  EXPECT_EQ(request.QueryParam("token"), "a+b");
  EXPECT_EQ(request.QueryParam("flag"), "");
  EXPECT_EQ(request.Header("x-custom"), "Value");
  EXPECT_EQ(request.remote_address.rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(request.version_minor, 1);
}

TEST(HttpServerTest, TargetsThatDoNotDecodeToUtf8Are400) {
  std::atomic<int> handled{0};
  auto server = StartServer(TestOptions(), [&](HttpRequest, Responder responder) {
    ++handled;
    responder.Send(HttpResponse::Empty(200));
  });
  auto client = Connect(*server);
  auto bad_path = client->Request("GET", "/%FF");
  ASSERT_TRUE(bad_path.ok());
  EXPECT_EQ(bad_path->status, 400);
  auto bad_query = client->Request("GET", "/ok?a=%C0%AF");
  ASSERT_TRUE(bad_query.ok());
  EXPECT_EQ(bad_query->status, 400);
  auto good = client->Request("GET", "/ok");  // the connection is still usable
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->status, 200);
  EXPECT_EQ(handled.load(), 1);
}

TEST(HttpServerTest, BodyOverTheLimitIs413AndClosesTheConnection) {
  HttpServerOptions options = TestOptions();
  options.max_body_bytes = 1000;
  std::atomic<int> handled{0};
  auto server = StartServer(options, [&](HttpRequest request, Responder responder) {
    ++handled;
    responder.Send(HttpResponse::Text(200, std::to_string(request.body.size())));
  });
  {
    auto client = Connect(*server);
    auto exact = client->Request("POST", "/upload", {}, std::string(1000, 'x'));
    ASSERT_TRUE(exact.ok());
    EXPECT_EQ(exact->status, 200);
    EXPECT_EQ(exact->body, "1000");
  }
  {
    // Content-Length says too much: refused before the body is read.
    auto client = Connect(*server);
    ASSERT_TRUE(client->SendRaw("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n").ok());
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->status, 413);
    EXPECT_FALSE(response->keep_alive);
    EXPECT_TRUE(client->WaitForServerClose());
  }
  {
    // Chunked: no length up front, refused once the body passes the limit.
    auto client = Connect(*server);
    std::string request = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) request += "1f4\r\n" + std::string(500, 'y') + "\r\n";
    request += "0\r\n\r\n";
    ASSERT_TRUE(client->SendRaw(request).ok());
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->status, 413);
    EXPECT_TRUE(client->WaitForServerClose());
  }
  EXPECT_EQ(handled.load(), 1);
  EXPECT_GE(server->metrics().http_bad_requests, 2u);
}

TEST(HttpServerTest, LargeBodiesArrive) {
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    size_t sum = 0;
    for (unsigned char c : request.body) sum += c;
    responder.Send(HttpResponse::Text(200, std::to_string(request.body.size()) + " " + std::to_string(sum)));
  });
  auto client = Connect(*server);
  std::string body(20 * 1024 * 1024, '\0');
  size_t sum = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    body[i] = static_cast<char>(i * 7);
    sum += static_cast<unsigned char>(body[i]);
  }
  auto response = client->Request("PUT", "/v1/database/big", {}, body);
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->body, std::to_string(body.size()) + " " + std::to_string(sum));
}

TEST(HttpServerTest, ExpectContinueGetsAnInterimResponse) {
  auto server = StartServer(TestOptions(), EchoHandler);
  auto client = Connect(*server);
  ASSERT_TRUE(
      client->SendRaw("POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
          .ok());
  auto interim = client->ReadResponse();
  ASSERT_TRUE(interim.ok()) << interim.error().message();
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client->SendRaw("hello").ok());
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /up hello");

  // Too large: 413 at once, without asking for the body.
  HttpServerOptions small = TestOptions();
  small.max_body_bytes = 10;
  auto strict = StartServer(small, EchoHandler);
  auto strict_client = Connect(*strict);
  ASSERT_TRUE(
      strict_client
          ->SendRaw("POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n")
          .ok());
  auto refused = strict_client->ReadResponse();
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 413);
}

TEST(HttpServerTest, HeadersOverTheLimitAre431) {
  HttpServerOptions options = TestOptions();
  options.max_header_bytes = 2048;
  auto server = StartServer(options, EchoHandler);
  auto client = Connect(*server);
  HttpHeaders headers;
  headers.Add("X-Big", std::string(4096, 'a'));
  ASSERT_TRUE(client->Send("GET", "/", headers).ok());
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(client->WaitForServerClose());
}

TEST(HttpServerTest, MalformedRequestsGet400AndTheServerKeepsServing) {
  auto server = StartServer(TestOptions(), EchoHandler);
  for (std::string garbage : {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
                              std::string("GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"),
                              std::string("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
                              std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
                              std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)}) {
    auto client = Connect(*server);
    ASSERT_TRUE(client->SendRaw(garbage).ok());
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->status, 400) << garbage;
    EXPECT_FALSE(response->keep_alive);
    EXPECT_TRUE(client->WaitForServerClose());
  }
  auto client = Connect(*server);
  auto response = client->Request("GET", "/still-here");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
}

TEST(HttpServerTest, SlowLorisGets408) {
  HttpServerOptions options = TestOptions();
  options.header_timeout = milliseconds(200);
  auto server = StartServer(options, EchoHandler);
  auto client = Connect(*server);
  ASSERT_TRUE(client->SendRaw("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").ok());
  auto response = client->ReadResponse();  // the server gives up on the header
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 408);
  EXPECT_TRUE(client->WaitForServerClose());

  // A body that stops arriving is cut off too.
  options.body_idle_timeout = milliseconds(200);
  auto body_server = StartServer(options, EchoHandler);
  auto body_client = Connect(*body_server);
  ASSERT_TRUE(
      body_client->SendRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part").ok());
  auto body_response = body_client->ReadResponse();
  ASSERT_TRUE(body_response.ok()) << body_response.error().message();
  EXPECT_EQ(body_response->status, 408);
}

TEST(HttpServerTest, IdleKeepAliveConnectionsAreClosed) {
  HttpServerOptions options = TestOptions();
  options.keep_alive_timeout = milliseconds(200);
  auto server = StartServer(options, EchoHandler);
  auto client = Connect(*server);
  auto response = client->Request("GET", "/");
  ASSERT_TRUE(response.ok());
  EXPECT_TRUE(client->WaitForServerClose());
}

TEST(HttpServerTest, Http10AndConnectionCloseEndTheConnection) {
  auto server = StartServer(TestOptions(), EchoHandler);
  {
    auto client = Connect(*server);
    ASSERT_TRUE(client->SendRaw("GET /old HTTP/1.0\r\n\r\n").ok());
    auto raw = client->ReadRawUntilClose();
    ASSERT_TRUE(raw.ok()) << raw.error().message();
    EXPECT_EQ(raw->rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
    EXPECT_NE(raw->find("Connection: close\r\n"), std::string::npos);
    EXPECT_NE(raw->find("\r\n\r\nGET /old "), std::string::npos);
  }
  {
    auto client = Connect(*server);
    HttpHeaders headers;
    headers.Add("Connection", "close");
    auto response = client->Request("GET", "/", headers);
    ASSERT_TRUE(response.ok());
    EXPECT_FALSE(response->keep_alive);
    EXPECT_TRUE(client->WaitForServerClose());
  }
  {
    auto client = Connect(*server);
    ASSERT_TRUE(client->SendRaw("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").ok());
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->headers.Get("Connection"), "keep-alive");
    auto again = client->Request("GET", "/b");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->body, "GET /b ");
  }
}

TEST(HttpServerTest, HeadResponsesHaveNoBody) {
  auto server = StartServer(TestOptions(), [](HttpRequest request, Responder responder) {
    responder.Send(HttpResponse::Text(200, "hello"));
  });
  auto client = Connect(*server);
  auto head = client->Request("HEAD", "/");
  ASSERT_TRUE(head.ok()) << head.error().message();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.Get("Content-Length"), "5");
  EXPECT_TRUE(head->body.empty());
  auto get = client->Request("GET", "/");  // would read "hello" as garbage if HEAD had sent it
  ASSERT_TRUE(get.ok()) << get.error().message();
  EXPECT_EQ(get->body, "hello");
}

TEST(HttpServerTest, InvalidResponseHeadersBecome500) {
  auto server = StartServer(TestOptions(), [](HttpRequest request, Responder responder) {
    responder.Send(HttpResponse::Text(200, "x").WithHeader("X-Split", "a\r\nSet-Cookie: evil=1"));
  });
  auto client = Connect(*server);
  auto response = client->Request("GET", "/");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 500);
  EXPECT_FALSE(response->headers.Contains("Set-Cookie"));
}

TEST(HttpServerTest, StreamsChunksOverTime) {
  LaterAnswers later;
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    if (request.path != "/logs") {
      responder.Send(HttpResponse::Text(200, "plain"));
      return;
    }
    HttpResponse head;
    head.headers.Add("Content-Type", "application/x-ndjson");
    head.headers.Add("Cache-Control", "no-cache");
    head.body = "{\"n\":0}\n";
    ResponseStream stream = responder.StartStream(std::move(head));
    std::function<void()> producer = [stream]() mutable {  // a copy; the body ends when the last copy goes
      for (int i = 1; i <= 3; ++i) {
        std::this_thread::sleep_for(milliseconds(30));
        EXPECT_TRUE(stream.Write("{\"n\":" + std::to_string(i) + "}\n"));
      }
    };
    later.Run(std::move(producer));
  });
  auto client = Connect(*server);
  ASSERT_TRUE(client->Send("GET", "/logs").ok());
  auto head = client->ReadResponseHead();
  ASSERT_TRUE(head.ok()) << head.error().message();
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->chunked);
  EXPECT_EQ(head->headers.Get("Content-Type"), "application/x-ndjson");
  std::string body;
  int pieces = 0;
  for (;;) {
    auto piece = client->ReadBodyPiece();
    ASSERT_TRUE(piece.ok()) << piece.error().message();
    if (!piece->has_value()) break;
    body += **piece;
    ++pieces;
  }
  EXPECT_EQ(body, "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
  EXPECT_GE(pieces, 2);                          // the body did arrive over time, not at the end
  auto next = client->Request("GET", "/plain");  // the connection serves on after the stream
  ASSERT_TRUE(next.ok()) << next.error().message();
  EXPECT_EQ(next->body, "plain");
}

TEST(HttpServerTest, NothingIsWrittenAfterAStreamFinishes) {
  auto server = StartServer(TestOptions(), [](HttpRequest request, Responder responder) {
    ResponseStream stream = responder.StartStream(HttpResponse::Empty(200));
    EXPECT_TRUE(stream.Write("only this"));
    stream.Finish();
    EXPECT_FALSE(stream.Write(" and not this"));
    EXPECT_FALSE(ResponseStream().Write("a default stream is closed"));
  });
  auto client = Connect(*server);
  auto response = client->Request("GET", "/");
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_TRUE(response->chunked);
  EXPECT_EQ(response->body, "only this");
}

TEST(HttpServerTest, StreamsNoticeTheClientLeaving) {
  std::promise<void> closed;
  std::promise<ResponseStream> stream_out;
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    HttpResponse head;
    head.headers.Add("Content-Type", "application/x-ndjson");
    ResponseStream stream = responder.StartStream(std::move(head), [&] { closed.set_value(); });
    stream.Write("first\n");
    stream_out.set_value(std::move(stream));
  });
  auto client = Connect(*server);
  ASSERT_TRUE(client->Send("GET", "/v1/database/x/logs?follow=true").ok());
  ASSERT_TRUE(client->ReadResponseHead().ok());
  auto piece = client->ReadBodyPiece();
  ASSERT_TRUE(piece.ok());
  EXPECT_EQ(**piece, "first\n");
  ResponseStream stream = stream_out.get_future().get();
  client->Close();
  ASSERT_EQ(closed.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_TRUE(stream.closed());
  EXPECT_FALSE(stream.Write("nobody is listening\n"));
}

TEST(HttpServerTest, AStreamThatOutgrowsItsBufferDropsTheClient) {
  HttpServerOptions options = TestOptions();
  options.max_stream_buffer_bytes = 64 * 1024;
  std::promise<void> closed;
  std::promise<ResponseStream> stream_out;
  auto server = StartServer(options, [&](HttpRequest request, Responder responder) {
    stream_out.set_value(responder.StartStream(HttpResponse::Empty(200), [&] { closed.set_value(); }));
  });
  auto client = testing::TestHttpClient::Connect(server->port());
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->Send("GET", "/logs").ok());
  ResponseStream stream = stream_out.get_future().get();
  // The client reads nothing: kernel buffers fill, then the stream's own buffer, then the client is dropped.
  std::string chunk(16 * 1024, 'z');
  bool refused = false;
  for (int i = 0; i < 100'000 && !refused; ++i) refused = !stream.Write(chunk);
  EXPECT_TRUE(refused);
  ASSERT_EQ(closed.get_future().wait_for(kWait), std::future_status::ready);
}

TEST(HttpServerTest, StopLetsInFlightResponsesFinish) {
  LaterAnswers later;
  std::promise<void> handling;
  auto server = StartServer(TestOptions(), [&](HttpRequest request, Responder responder) {
    handling.set_value();
    later.Answer(std::move(responder), milliseconds(200), HttpResponse::Text(200, "finished"));
  });
  auto idle = Connect(*server);
  auto busy = Connect(*server);
  ASSERT_TRUE(busy->Send("GET", "/slow").ok());
  handling.get_future().wait();
  server->Stop();
  auto response = busy->ReadResponse();
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->body, "finished");
  EXPECT_TRUE(busy->WaitForServerClose());
  EXPECT_TRUE(idle->WaitForServerClose());
  EXPECT_FALSE(TestHttpClient::Connect(server->port(), milliseconds(2000)).ok());  // no longer listening
}

TEST(HttpServerTest, StopAbortsWhatOutlivesTheGracePeriod) {
  std::promise<Responder> kept;
  auto server = StartServer(
      TestOptions(), [&](HttpRequest request, Responder responder) { kept.set_value(std::move(responder)); });
  auto client = Connect(*server);
  ASSERT_TRUE(client->Send("GET", "/never").ok());
  Responder responder = kept.get_future().get();
  server->Stop("bye", milliseconds(100));
  EXPECT_TRUE(client->WaitForServerClose());
  responder.Send(HttpResponse::Text(200, "too late"));  // harmless after the connection is gone
  server.reset();
}

TEST(HttpServerTest, RefusesConnectionsOverTheLimit) {
  HttpServerOptions options = TestOptions();
  options.max_connections = 2;
  auto server = StartServer(options, EchoHandler);
  auto a = Connect(*server);
  ASSERT_TRUE(a->Request("GET", "/a").ok());
  auto b = Connect(*server);
  ASSERT_TRUE(b->Request("GET", "/b").ok());
  auto c = Connect(*server);
  EXPECT_TRUE(c->WaitForServerClose());
  EXPECT_EQ(server->metrics().http_connections_refused, 1u);
  a.reset();
  // Once a connection is gone there is room again.
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto d = TestHttpClient::Connect(server->port());
    ASSERT_TRUE(d.ok());
    if ((*d)->Request("GET", "/d").ok()) return;
    std::this_thread::sleep_for(milliseconds(20));
  }
  FAIL() << "no room after a connection closed";
}

TEST(HttpServerTest, ManyClientsAtOnce) {
  auto server = StartServer(TestOptions(), EchoHandler);
  constexpr int kClients = 32;
  constexpr int kRequests = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto client = TestHttpClient::Connect(server->port());
      if (!client.ok()) return;
      for (int r = 0; r < kRequests; ++r) {
        std::string path = "/c" + std::to_string(c) + "/r" + std::to_string(r);
        auto response = (*client)->Request("GET", path);
        if (response.ok() && response->body == "GET " + path + " ") ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
}

}  // namespace
}  // namespace stdb::server
