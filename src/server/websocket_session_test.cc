#include "server/websocket_session.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "server/http_server.h"
#include "server/testing/test_client.h"
#include "server/websocket_upgrade.h"

namespace stdb::server {
namespace {

using std::chrono::milliseconds;
using testing::TestHttpClient;
using testing::TestWebSocketClient;

constexpr auto kWait = std::chrono::seconds(20);  // generous: only to avoid hanging a broken test
constexpr std::array<std::string_view, 4> kProtocols = {"v3.bsatn.spacetimedb", "v2.bsatn.spacetimedb",
                                                        "v1.bsatn.spacetimedb", "v1.json.spacetimedb"};

// What one session's handler saw, observable from the test thread.
struct SessionLog {
  std::mutex mu;
  std::condition_variable changed;
  std::shared_ptr<WebSocketSession> session;
  std::vector<std::pair<std::string, bool>> messages;
  bool opened = false;
  int close_calls = 0;
  uint16_t close_code = 0;
  std::string close_reason;

  template <typename Predicate>
  bool WaitFor(Predicate predicate) {
    std::unique_lock lock(mu);
    return changed.wait_for(lock, kWait, [&] { return predicate(*this); });
  }
  bool WaitClosed() {
    return WaitFor([](SessionLog& log) { return log.close_calls > 0; });
  }
  size_t message_count() {
    std::lock_guard lock(mu);
    return messages.size();
  }
};

class RecordingHandler : public WebSocketHandler {
 public:
  RecordingHandler(std::shared_ptr<SessionLog> log, bool echo) : log_(std::move(log)), echo_(echo) {}
  void OnOpen(const std::shared_ptr<WebSocketSession>& session) override {
    std::lock_guard lock(log_->mu);
    log_->opened = true;
    log_->changed.notify_all();
  }
  void OnMessage(std::string payload, bool is_text) override {
    std::shared_ptr<WebSocketSession> session;
    {
      std::lock_guard lock(log_->mu);
      log_->messages.emplace_back(payload, is_text);
      session = log_->session;
      log_->changed.notify_all();
    }
    if (echo_ && session) session->Send(std::move(payload), /*is_binary=*/!is_text);
  }
  void OnClose(uint16_t code, std::string reason) override {
    std::lock_guard lock(log_->mu);
    ++log_->close_calls;
    log_->close_code = code;
    log_->close_reason = std::move(reason);
    log_->changed.notify_all();
  }

 private:
  std::shared_ptr<SessionLog> log_;
  bool echo_;
};

// A server whose /subscribe route negotiates like the reference and records every session.
class WebSocketTest : public ::testing::Test {
 protected:
  void Serve(WebSocketOptions websocket = {}, bool echo = true) {
    HttpServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.io_threads = 2;
    options.websocket = websocket;
    auto server = HttpServer::Start(options, [this, echo](HttpRequest request, Responder responder) {
      if (auto refusal = CheckWebSocketUpgrade(request)) {
        responder.Send(std::move(*refusal));
        return;
      }
      auto protocol = SelectSubprotocol(request.headers, kProtocols);
      if (!protocol) {
        responder.Send(NoValidProtocolResponse());
        return;
      }
      auto log = std::make_shared<SessionLog>();
      WebSocketAccept accept;
      accept.subprotocol = *protocol;
      accept.headers.Add("spacetime-identity", "c200aaaa");
      accept.headers.Add("spacetime-identity-token", "token-123");
      accept.handler = std::make_shared<RecordingHandler>(log, echo);
      {
        std::lock_guard lock(log->mu);
        std::shared_ptr<WebSocketSession> session = responder.AcceptWebSocket(std::move(accept));
        log->session = session;
        session->Send(std::string("hello ") + *protocol, /*is_binary=*/false);  // before the 101 is written
      }
      std::lock_guard lock(mu_);
      logs_.push_back(log);
      logs_changed_.notify_all();
    });
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(server).value();
  }

  std::unique_ptr<TestWebSocketClient> ConnectClient(TestWebSocketClient::Options options = {}) {
    if (options.subprotocols.empty()) options.subprotocols = {"v2.bsatn.spacetimedb"};
    options.target = "/v1/database/test/subscribe";
    auto client = TestWebSocketClient::Connect(server_->port(), options);
    EXPECT_TRUE(client.ok()) << client.error().message();
    if (!client.ok()) return nullptr;
    auto hello = (*client)->Receive();
    EXPECT_TRUE(hello.ok());
    return std::move(client).value();
  }

  // The log of the n-th accepted session (0-based), once it exists.
  std::shared_ptr<SessionLog> Log(size_t n) {
    std::unique_lock lock(mu_);
    logs_changed_.wait_for(lock, kWait, [&] { return logs_.size() > n; });
    return logs_.size() > n ? logs_[n] : nullptr;
  }

  void TearDown() override { server_.reset(); }

  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::condition_variable logs_changed_;
  std::vector<std::shared_ptr<SessionLog>> logs_;
};

std::string UpgradeRequest(const std::string& method, const std::string& extra_headers) {
  return method + " /v1/database/test/subscribe HTTP/1.1\r\nHost: x\r\n" + extra_headers + "\r\n";
}

constexpr const char* kGoodUpgradeHeaders =
    "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

TEST_F(WebSocketTest, NegotiationFailuresGetTheReferenceStatusCodes) {
  Serve();
  struct Case {
    std::string request;
    int status;
  };
  std::vector<Case> cases = {
      {UpgradeRequest("POST",
                      std::string(kGoodUpgradeHeaders) + "Sec-WebSocket-Protocol: v2.bsatn.spacetimedb\r\n"),
       405},
      {UpgradeRequest("GET", "Sec-WebSocket-Protocol: v2.bsatn.spacetimedb\r\n"), 426},
      {UpgradeRequest("GET",
                      "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 8\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"),
       400},
      {UpgradeRequest("GET", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"),
       400},
      {UpgradeRequest("GET",
                      std::string(kGoodUpgradeHeaders) + "Sec-WebSocket-Protocol: v9.bsatn.spacetimedb\r\n"),
       400},
      {UpgradeRequest("GET", kGoodUpgradeHeaders), 400},
  };
  for (const Case& c : cases) {
    auto client = TestHttpClient::Connect(server_->port());
    ASSERT_TRUE(client.ok());
    ASSERT_TRUE((*client)->SendRaw(c.request).ok());
    auto response = (*client)->ReadResponse();
    ASSERT_TRUE(response.ok()) << response.error().message();
    EXPECT_EQ(response->status, c.status) << c.request;
    if (c.status == 426) {
      EXPECT_EQ(response->headers.Get("Connection"), "upgrade");
      EXPECT_EQ(response->headers.Get("Upgrade"), "websocket");
    }
  }
  auto client = TestHttpClient::Connect(server_->port());
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->SendRaw(UpgradeRequest("GET", kGoodUpgradeHeaders)).ok());
  auto response = (*client)->ReadResponse();
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->body, "no valid protocol selected");
  // A refused upgrade leaves an ordinary keep-alive connection.
  auto again = (*client)->Request("POST", "/v1/database/test/subscribe");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 405);
}

TEST_F(WebSocketTest, TheServersPreferenceDecidesTheSubprotocol) {
  Serve();
  TestWebSocketClient::Options options;
  options.subprotocols = {"v1.json.spacetimedb", "v2.bsatn.spacetimedb"};
  auto client = TestWebSocketClient::Connect(server_->port(), [&] {
    options.target = "/v1/database/test/subscribe";
    return options;
  }());
  ASSERT_TRUE(client.ok()) << client.error().message();
  const HttpHeaders& headers = (*client)->handshake_headers();
  EXPECT_EQ(headers.Get("Sec-WebSocket-Protocol"), "v2.bsatn.spacetimedb");
  EXPECT_EQ(headers.Get("spacetime-identity"), "c200aaaa");
  EXPECT_EQ(headers.Get("spacetime-identity-token"), "token-123");
  EXPECT_EQ(headers.Get("Server"), "spacetimedb-cpp");  // not Beast's name and version
  // The message sent right after AcceptWebSocket is the first thing the client receives.
  auto hello = (*client)->Receive();
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(hello->payload, "hello v2.bsatn.spacetimedb");
  EXPECT_TRUE(hello->is_text);
  auto log = Log(0);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->session->subprotocol(), "v2.bsatn.spacetimedb");
  EXPECT_EQ(log->session->remote_address().rfind("127.0.0.1:", 0), 0u);
}

TEST_F(WebSocketTest, EchoesBinaryAndTextMessages) {
  WebSocketOptions options;
  options.write_fragment_bytes = 4096;  // the reference's framing
  Serve(options);
  auto client = ConnectClient();
  ASSERT_TRUE(client);
  std::string binary("\x00\x01\xff\xfe binary", 11);
  ASSERT_TRUE(client->Send(binary, /*binary=*/true).ok());
  auto echoed = client->Receive();
  ASSERT_TRUE(echoed.ok()) << echoed.error().message();
  EXPECT_EQ(echoed->payload, binary);
  EXPECT_FALSE(echoed->is_text);

  ASSERT_TRUE(client->Send(R"({"CallReducer":{"reducer":"add"}})", /*binary=*/false).ok());
  auto text = client->Receive();
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->payload, R"({"CallReducer":{"reducer":"add"}})");
  EXPECT_TRUE(text->is_text);

  std::string large(300'000, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 31);
  ASSERT_TRUE(client->Send(large).ok());
  auto large_echo = client->Receive();
  ASSERT_TRUE(large_echo.ok());
  EXPECT_EQ(large_echo->payload, large);

  ASSERT_TRUE(client->Send("").ok());
  auto empty = client->Receive();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->payload, "");

  auto log = Log(0);
  ASSERT_TRUE(log);
  {
    std::lock_guard lock(log->mu);
    ASSERT_EQ(log->messages.size(), 4u);
    EXPECT_FALSE(log->messages[0].second);
    EXPECT_TRUE(log->messages[1].second);
  }
  // The last write completes on the server just after the client has read it.
  for (int i = 0; i < 2000 && server_->metrics().websocket_messages_out < 5; ++i)
    std::this_thread::sleep_for(milliseconds(5));
  auto metrics = server_->metrics();
  EXPECT_EQ(metrics.websocket_sessions_open, 1u);
  EXPECT_EQ(metrics.websocket_messages_in, 4u);
  EXPECT_EQ(metrics.websocket_messages_out, 5u);  // the hello and four echoes
  EXPECT_EQ(metrics.websocket_bytes_in, binary.size() + text->payload.size() + large.size());
}

TEST_F(WebSocketTest, ClientCloseReachesTheHandlerOnce) {
  Serve();
  auto client = ConnectClient();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Close(kCloseNormal, "done").ok());
  auto log = Log(0);
  ASSERT_TRUE(log->WaitClosed());
  std::lock_guard lock(log->mu);
  EXPECT_EQ(log->close_calls, 1);
  EXPECT_EQ(log->close_code, kCloseNormal);
  EXPECT_EQ(log->close_reason, "done");
  EXPECT_EQ(log->session->state(), WebSocketSession::State::kClosed);
  EXPECT_FALSE(log->session->Send("too late"));
}

TEST_F(WebSocketTest, ServerCloseSendsQueuedMessagesFirst) {
  Serve({}, /*echo=*/false);
  auto client = ConnectClient();
  ASSERT_TRUE(client);
  auto log = Log(0);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log->session->Send("m" + std::to_string(i)));
  log->session->Close(kCloseGoingAway, "module exited");
  EXPECT_FALSE(log->session->Send("after close"));
  for (int i = 0; i < 10; ++i) {
    auto message = client->Receive();
    ASSERT_TRUE(message.ok()) << message.error().message();
    EXPECT_EQ(message->payload, "m" + std::to_string(i));
  }
  EXPECT_FALSE(client->Receive().ok());
  ASSERT_TRUE(client->close_info().has_value());
  EXPECT_EQ(client->close_info()->code, kCloseGoingAway);
  EXPECT_EQ(client->close_info()->reason, "module exited");
  ASSERT_TRUE(log->WaitClosed());
  EXPECT_EQ(log->close_code, kCloseGoingAway);
}

TEST_F(WebSocketTest, OversizedMessageIsClosedWith1009AndOthersAreStillServed) {
  WebSocketOptions options;
  options.max_incoming_message_bytes = 1024 * 1024;
  options.close_handshake_timeout = milliseconds(10'000);  // the close waits while the rest is drained
  Serve(options);
  auto big_sender = ConnectClient();
  auto bystander = ConnectClient();
  ASSERT_TRUE(big_sender && bystander);

  std::string at_limit(options.max_incoming_message_bytes, 'a');
  ASSERT_TRUE(big_sender->Send(at_limit).ok());
  auto echoed = big_sender->Receive();
  ASSERT_TRUE(echoed.ok());
  EXPECT_EQ(echoed->payload.size(), at_limit.size());

  ASSERT_TRUE(
      big_sender->SendWhileAwaitingClose(std::string(3 * options.max_incoming_message_bytes, 'b')).ok());
  ASSERT_TRUE(big_sender->close_info().has_value());
  EXPECT_EQ(big_sender->close_info()->code, kCloseMessageTooBig);
  EXPECT_EQ(big_sender->close_info()->reason, "message too big");
  auto log = Log(0);
  ASSERT_TRUE(log->WaitClosed());
  EXPECT_EQ(log->close_code, kCloseMessageTooBig);
  EXPECT_EQ(log->message_count(), 1u);  // the oversized message was never delivered

  ASSERT_TRUE(bystander->Send("still there?").ok());
  auto reply = bystander->Receive();
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->payload, "still there?");
  EXPECT_TRUE(ConnectClient() != nullptr);
}

// A frame that breaks RFC 6455 (here: not masked by the client) is answered with close 1002, and only that
// client is affected.
TEST_F(WebSocketTest, MalformedFramesCloseThatConnectionOnly) {
  Serve();
  auto bystander = ConnectClient();
  ASSERT_TRUE(bystander);
  auto raw = TestHttpClient::Connect(server_->port());
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE((*raw)
                  ->SendRaw(UpgradeRequest("GET", std::string(kGoodUpgradeHeaders) +
                                                      "Sec-WebSocket-Protocol: v2.bsatn.spacetimedb\r\n"))
                  .ok());
  auto switching = (*raw)->ReadResponse();
  ASSERT_TRUE(switching.ok()) << switching.error().message();
  ASSERT_EQ(switching->status, 101);
  ASSERT_TRUE((*raw)
                  ->SendRaw(std::string("\x82\x03"
                                        "abc",
                                        5))
                  .ok());  // FIN + binary, no mask bit
  auto rest = (*raw)->ReadRawUntilClose();
  ASSERT_TRUE(rest.ok()) << rest.error().message();
  // The server's first message ("hello ...") and then a close frame with code 1002.
  EXPECT_NE(rest->find(std::string("\x88\x02\x03\xea", 4)), std::string::npos);
  (*raw)->Close();  // the server's teardown waits for the client's end of the TCP connection
  auto log = Log(1);
  ASSERT_TRUE(log->WaitClosed());
  EXPECT_EQ(log->message_count(), 0u);

  ASSERT_TRUE(bystander->Send("unaffected").ok());
  auto echo = bystander->Receive();
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(echo->payload, "unaffected");
}

// A client that sends its close frame but keeps the TCP connection open is let go after the close handshake
// timeout, not the idle timeout.
TEST_F(WebSocketTest, AClientThatClosesButLingersIsLetGo) {
  WebSocketOptions options;
  options.idle_timeout = milliseconds(60'000);
  options.close_handshake_timeout = milliseconds(100);
  Serve(options);
  auto raw = TestHttpClient::Connect(server_->port());
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE((*raw)
                  ->SendRaw(UpgradeRequest("GET", std::string(kGoodUpgradeHeaders) +
                                                      "Sec-WebSocket-Protocol: v2.bsatn.spacetimedb\r\n"))
                  .ok());
  auto switching = (*raw)->ReadResponse();
  ASSERT_TRUE(switching.ok());
  ASSERT_EQ(switching->status, 101);
  // FIN + close, masked with a zero key: code 1000, reason "bye".
  ASSERT_TRUE((*raw)
                  ->SendRaw(std::string("\x88\x85\x00\x00\x00\x00\x03\xe8"
                                        "bye",
                                        11))
                  .ok());
  auto log = Log(0);
  ASSERT_TRUE(log->WaitClosed());  // while the raw socket stays open
  EXPECT_EQ(log->close_code, kCloseNormal);
  EXPECT_EQ(log->close_reason, "bye");
}

TEST_F(WebSocketTest, DefaultIncomingCapIs32MiB) {
  EXPECT_EQ(WebSocketOptions{}.max_incoming_message_bytes, 32u * 1024 * 1024);
  EXPECT_EQ(WebSocketOptions{}.ping_interval, milliseconds(15'000));
  EXPECT_EQ(WebSocketOptions{}.idle_timeout, milliseconds(30'000));
}

// A client that stops reading fills its socket and then its session's queue; it is dropped, while a client
// sharing the same server (and sender thread) gets every message.
TEST_F(WebSocketTest, AClientThatDoesNotReadIsDroppedWithoutHoldingUpOthers) {
  WebSocketOptions options;
  options.max_outgoing_bytes = 4 * 1024 * 1024;
  options.max_outgoing_messages = 1000;
  Serve(options, /*echo=*/false);
  TestWebSocketClient::Options small_window;
  small_window.receive_buffer_bytes = 4096;
  auto stalled = ConnectClient(small_window);
  auto reader = ConnectClient();
  ASSERT_TRUE(stalled && reader);
  auto stalled_log = Log(0);
  auto reader_log = Log(1);

  std::atomic<int> received{0};
  std::promise<bool> reader_done;
  std::thread reader_thread([&] {
    for (;;) {
      auto message = reader->Receive();
      if (!message.ok()) {
        reader_done.set_value(false);
        return;
      }
      if (message->payload == "end") {
        reader_done.set_value(true);
        return;
      }
      if (message->payload.size() != 16 * 1024) {
        reader_done.set_value(false);
        return;
      }
      ++received;
    }
  });

  std::string payload(16 * 1024, 'p');
  int sent = 0;
  int sent_after_drop = -1;
  bool reader_refused = false;
  for (int i = 0; i < 20'000; ++i) {
    if (!reader_log->session->Send(payload)) {
      reader_refused = true;
      break;
    }
    ++sent;
    if (sent_after_drop < 0) {
      if (!stalled_log->session->Send(payload)) sent_after_drop = 0;
    } else if (++sent_after_drop == 200) {
      break;
    }
    if (i % 2 == 0) std::this_thread::sleep_for(milliseconds(1));  // a producer, not a flood
  }
  EXPECT_FALSE(reader_refused) << "the reading client was dropped";
  EXPECT_GE(sent_after_drop, 0) << "the stalled client was never dropped";
  reader_log->session->Send("end");
  auto done = reader_done.get_future();
  bool finished = done.wait_for(kWait) == std::future_status::ready;
  if (!finished) reader_log->session->Close(kCloseNormal, "test gives up");
  reader_thread.join();
  ASSERT_TRUE(finished);
  EXPECT_TRUE(done.get());
  EXPECT_EQ(received.load(), sent);

  ASSERT_TRUE(stalled_log->WaitClosed());
  EXPECT_EQ(stalled_log->close_code, kCloseAbnormal);
  EXPECT_NE(stalled_log->close_reason.find("outgoing queue full"), std::string::npos);
  EXPECT_GE(server_->metrics().websocket_slow_clients_dropped, 1u);
  // The stalled client finds its connection cut without a close frame.
  for (;;) {
    auto message = stalled->Receive();
    if (!message.ok()) break;
  }
  EXPECT_FALSE(stalled->close_info().has_value());
}

// A client that reads, but too slowly: its queue overflows, what was queued is dropped, and once the write in
// progress is done it gets a 1013 close frame after the messages that were already on their way.
TEST_F(WebSocketTest, ASlowClientThatStillReadsGetsA1013CloseFrame) {
  WebSocketOptions options;
  options.max_outgoing_messages = 8;
  options.close_handshake_timeout = milliseconds(10'000);  // the write in progress may take that long
  Serve(options, /*echo=*/false);
  TestWebSocketClient::Options small_window;
  small_window.receive_buffer_bytes = 4096;
  auto slow = ConnectClient(small_window);
  ASSERT_TRUE(slow);
  auto log = Log(0);
  const std::string payload(64 * 1024, 's');
  int accepted = 0;
  while (log->session->Send(payload)) ASSERT_LT(++accepted, 100'000) << "the queue never overflowed";
  EXPECT_FALSE(log->session->Send("after the overflow"));

  int received = 0;
  for (;;) {
    auto message = slow->Receive();
    if (!message.ok()) break;
    EXPECT_EQ(message->payload, payload);
    ++received;
  }
  EXPECT_LE(received, accepted);
  ASSERT_TRUE(slow->close_info().has_value()) << "no close frame";
  EXPECT_EQ(slow->close_info()->code, kCloseTryAgainLater);
  EXPECT_NE(slow->close_info()->reason.find("too many messages queued"), std::string::npos);
  ASSERT_TRUE(log->WaitClosed());
  EXPECT_EQ(log->close_code, kCloseTryAgainLater);
  EXPECT_GE(server_->metrics().websocket_slow_clients_dropped, 1u);
}

TEST_F(WebSocketTest, PingsKeepAResponsiveClientAlive) {
  WebSocketOptions options;
  options.ping_interval = milliseconds(100);
  options.idle_timeout = milliseconds(1000);
  Serve(options, /*echo=*/false);
  auto client = ConnectClient();
  ASSERT_TRUE(client);
  auto log = Log(0);
  std::thread late_sender([&] {
    std::this_thread::sleep_for(milliseconds(2500));  // well past the idle timeout
    log->session->Send("still connected");
  });
  auto message = client->Receive();  // answers pings while it waits
  late_sender.join();
  ASSERT_TRUE(message.ok()) << message.error().message();
  EXPECT_EQ(message->payload, "still connected");
  EXPECT_GE(client->pings_received(), 2u);
  EXPECT_EQ(log->close_calls, 0);
}

TEST_F(WebSocketTest, TheClientsPingsAreAnswered) {
  Serve();
  auto client = ConnectClient();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Ping().ok());
  ASSERT_TRUE(client->Send("after the ping").ok());
  auto echo = client->Receive();  // the server read the ping first, so its pong arrives first
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(echo->payload, "after the ping");
  EXPECT_EQ(client->pongs_received(), 1u);
}

TEST_F(WebSocketTest, ASilentClientIsDroppedAfterTheIdleTimeoutAndPingedOnlyOnce) {
  WebSocketOptions options;
  options.ping_interval = milliseconds(50);
  options.idle_timeout = milliseconds(500);
  Serve(options, /*echo=*/false);
  auto client = ConnectClient();  // then never reads, so never answers a ping
  ASSERT_TRUE(client);
  auto log = Log(0);
  ASSERT_TRUE(log->WaitClosed());
  EXPECT_EQ(log->close_code, kCloseAbnormal);
  EXPECT_EQ(log->close_reason, "idle timeout");
  EXPECT_EQ(server_->metrics().websocket_idle_timeouts, 1u);
  EXPECT_FALSE(client->Receive().ok());
  EXPECT_FALSE(client->close_info().has_value());  // dropped, no close frame
  EXPECT_EQ(client->pings_received(), 1u);         // later pings were skipped: no pong since the first
}

TEST_F(WebSocketTest, StopClosesSessionsWith1001) {
  Serve();
  auto first = ConnectClient();
  auto second = ConnectClient();
  ASSERT_TRUE(first && second);
  std::thread stopper([&] { server_->Stop("server shutting down"); });
  for (auto* client : {first.get(), second.get()}) {
    EXPECT_FALSE(client->Receive().ok());
    ASSERT_TRUE(client->close_info().has_value());
    EXPECT_EQ(client->close_info()->code, kCloseGoingAway);
    EXPECT_EQ(client->close_info()->reason, "server shutting down");
  }
  stopper.join();
  for (size_t i = 0; i < 2; ++i) {
    auto log = Log(i);
    ASSERT_TRUE(log->WaitClosed());
    EXPECT_EQ(log->close_code, kCloseGoingAway);
    EXPECT_FALSE(log->session->Send("after stop"));
  }
  EXPECT_EQ(server_->metrics().websocket_sessions_open, 0u);
}

TEST_F(WebSocketTest, PausesReadingUntilMessagesAreAcknowledged) {
  WebSocketOptions options;
  options.max_unacknowledged_incoming = 2;
  options.incoming_overflow = IncomingOverflow::kPauseReading;
  options.idle_timeout = milliseconds(60'000);
  Serve(options, /*echo=*/false);
  auto client = ConnectClient();
  ASSERT_TRUE(client);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->Send("m" + std::to_string(i)).ok());
  auto log = Log(0);
  ASSERT_TRUE(log->WaitFor([](SessionLog& l) { return l.messages.size() >= 2; }));
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(log->message_count(), 2u);  // paused: nothing more is read
  log->session->AcknowledgeIncoming(2);
  ASSERT_TRUE(log->WaitFor([](SessionLog& l) { return l.messages.size() >= 4; }));
  log->session->AcknowledgeIncoming(2);
  ASSERT_TRUE(log->WaitFor([](SessionLog& l) { return l.messages.size() >= 5; }));
  std::lock_guard lock(log->mu);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(log->messages[i].first, "m" + std::to_string(i));
  EXPECT_EQ(log->close_calls, 0);
}

TEST_F(WebSocketTest, IncomingOverflowClosesWith1013) {
  WebSocketOptions options;
  options.max_unacknowledged_incoming = 2;
  options.incoming_overflow = IncomingOverflow::kClose;
  Serve(options, /*echo=*/false);
  auto client = ConnectClient();
  ASSERT_TRUE(client);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client->Send("m" + std::to_string(i)).ok());
  EXPECT_FALSE(client->Receive().ok());
  ASSERT_TRUE(client->close_info().has_value());
  EXPECT_EQ(client->close_info()->code, kCloseTryAgainLater);
  EXPECT_EQ(client->close_info()->reason, "too many requests");
  auto log = Log(0);
  ASSERT_TRUE(log->WaitClosed());
  EXPECT_EQ(log->message_count(), 2u);
}

TEST_F(WebSocketTest, SharedPayloadsAreSentToManySessions) {
  Serve({}, /*echo=*/false);
  auto a = ConnectClient();
  auto b = ConnectClient();
  ASSERT_TRUE(a && b);
  auto shared = std::make_shared<const std::string>("one encoding, many clients");
  ASSERT_TRUE(Log(0)->session->Send(shared));
  ASSERT_TRUE(Log(1)->session->Send(shared));
  EXPECT_EQ(a->Receive()->payload, *shared);
  EXPECT_EQ(b->Receive()->payload, *shared);
}

// The route accepts only after the client has gone: the handler still hears OnClose exactly once.
TEST(WebSocketAcceptTest, AcceptingAfterTheClientLeftClosesTheSession) {
  std::promise<Responder> held;
  HttpServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto server = HttpServer::Start(
      options, [&](HttpRequest, Responder responder) { held.set_value(std::move(responder)); });
  ASSERT_TRUE(server.ok());
  auto client = TestHttpClient::Connect((*server)->port());
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->SendRaw(UpgradeRequest("GET", kGoodUpgradeHeaders)).ok());
  Responder responder = held.get_future().get();
  (*client)->Close();
  std::this_thread::sleep_for(milliseconds(50));
  auto log = std::make_shared<SessionLog>();
  WebSocketAccept accept;
  accept.handler = std::make_shared<RecordingHandler>(log, false);
  auto session = responder.AcceptWebSocket(std::move(accept));
  ASSERT_TRUE(session);
  ASSERT_TRUE(log->WaitClosed());
  std::this_thread::sleep_for(milliseconds(50));
  std::lock_guard lock(log->mu);
  EXPECT_EQ(log->close_calls, 1);
  EXPECT_EQ(log->close_code, kCloseAbnormal);
}

}  // namespace
}  // namespace stdb::server
