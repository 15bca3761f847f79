// Reducer calls through the whole server (issue 7): an in-process ServerApp hosting the keynote-transfer example,
// driven over loopback by one client thread, which reports calls/s and the p50/p99 latency of a call (from the
// request leaving the client to its answer arriving):
//   ws_pipelined     one v2 WebSocket connection keeping 64 CallReducer messages in flight
//   ws_sequential    the same connection, one call at a time
//   http_sequential  POST /v1/database/<db>/call/transfer with JSON arguments on one keep-alive connection
//   http_pipelined   the same with 16 requests in flight (HTTP/1.1 pipelining)
// Each call is transfer(from, to, 1) between two of 10,000 accounts. The client is the simple blocking test client
// of src/server/testing, so the figures include its cost on the same two cores.
//
//   server_bench [seconds per run, default 3] [--durable]
// --durable puts the databases on disk (a temporary directory; the answer does not wait for fsync unless the
// client asks for confirmed reads, which the v2 default does and HTTP calls never do).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sats/algebraic_value.h"
#include "sats/bsatn.h"
#include "server/protocol/server_codecs.h"
#include "server/protocol/v2_client_message.h"
#include "server/protocol/v2_server_message.h"
#include "server/server_app.h"
#include "server/testing/test_client.h"

namespace {

using namespace stdb;
using namespace stdb::server;
namespace v2 = protocol::v2;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kAccounts = 10'000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "server_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.error().message());
  return std::move(*r);
}
void Check(const Status& s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.error().message());
}

// Call latencies of one run, and the figures printed from them.
class Run {
 public:
  explicit Run(std::string name) : name_(std::move(name)), start_(Clock::now()) {}
  void Record(Clock::time_point sent) {
    latencies_us_.push_back(std::chrono::duration<double, std::micro>(Clock::now() - sent).count());
  }
  void Report() {
    double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    std::sort(latencies_us_.begin(), latencies_us_.end());
    auto pct = [&](double p) { return latencies_us_[std::min(latencies_us_.size() - 1, size_t(p * latencies_us_.size()))]; };
    std::printf("%-16s %9zu calls %10.0f calls/s  p50 %8.1f us  p99 %8.1f us\n", name_.c_str(), latencies_us_.size(),
                latencies_us_.size() / seconds, pct(0.50), pct(0.99));
    std::printf("BENCH server_%s_calls_per_s %.0f calls/s\n", name_.c_str(), latencies_us_.size() / seconds);
    std::printf("BENCH server_%s_p50_us %.1f us\n", name_.c_str(), pct(0.50));
    std::printf("BENCH server_%s_p99_us %.1f us\n", name_.c_str(), pct(0.99));
  }

 private:
  std::string name_;
  Clock::time_point start_;
  std::vector<double> latencies_us_;
};

// The i-th call's accounts: a fixed pseudo-random walk over the accounts (never from == to).
std::pair<uint32_t, uint32_t> Pair(uint64_t i) {
  uint64_t x = (i + 1) * 0x9E3779B97F4A7C15ull;
  uint32_t from = uint32_t(x >> 40) % kAccounts;
  uint32_t to = (from + 1 + uint32_t(x >> 8) % (kAccounts - 1)) % kAccounts;
  return {from, to};
}

std::string Bytes(const sats::Bytes& b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

std::string TransferCall(uint32_t request_id) {
  auto [from, to] = Pair(request_id);
  sats::Bytes args = sats::bsatn::EncodeValue(sats::AlgebraicValue::Product(
      {sats::AlgebraicValue::U32(from), sats::AlgebraicValue::U32(to), sats::AlgebraicValue::I64(1)}));
  return Bytes(v2::EncodeClientMessage(v2::CallReducer{request_id, v2::CallFlags::kDefault, "transfer", std::move(args)}));
}

// One v2 WebSocket connection; `window` calls in flight.
void WebSocketCalls(uint16_t port, const std::string& db, size_t window, double seconds, const char* name) {
  testing::TestWebSocketClient::Options o;
  o.target = "/v1/database/" + db + "/subscribe?compression=None";
  o.subprotocols = {"v2.bsatn.spacetimedb"};
  auto client = Check(testing::TestWebSocketClient::Connect(port, o), "WebSocket connect");
  auto next = [&]() -> v2::ServerMessage {
    auto msg = Check(client->Receive(), "WebSocket read");
    sats::ByteSpan frame(reinterpret_cast<const uint8_t*>(msg.payload.data()), msg.payload.size());
    auto body = Check(protocol::ReadServerFrame(frame, protocol::ServerFrameDecompressor(1u << 30)), "frame");
    return Check(v2::DecodeServerMessage(sats::ByteSpan(body)), "decode");
  };
  if (!std::holds_alternative<v2::InitialConnection>(next())) Die("no InitialConnection");

  Run run(name);
  std::deque<Clock::time_point> in_flight;
  uint32_t sent = 0;
  uint32_t answered = 0;
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < end || !in_flight.empty()) {
    while (in_flight.size() < window && Clock::now() < end) {
      in_flight.push_back(Clock::now());
      Check(client->Send(TransferCall(sent++)), "WebSocket send");
    }
    auto m = next();
    const auto* result = std::get_if<v2::ReducerResult>(&m);
    if (!result) continue;  // nothing else is expected (no subscriptions), but tolerate it
    if (result->request_id != answered) Die("answers out of order");
    if (result->result.index() != 0) Die("a transfer failed");
    ++answered;
    run.Record(in_flight.front());
    in_flight.pop_front();
  }
  run.Report();
}

// One keep-alive HTTP connection; `window` requests in flight.
void HttpCalls(uint16_t port, const std::string& db, const std::string& token, size_t window, double seconds,
               const char* name) {
  auto client = Check(testing::TestHttpClient::Connect(port), "HTTP connect");
  HttpHeaders headers;
  headers.Set("Content-Type", "application/json");
  headers.Set("Authorization", "Bearer " + token);
  const std::string target = "/v1/database/" + db + "/call/transfer";
  Run run(name);
  std::deque<Clock::time_point> in_flight;
  uint64_t sent = 0;
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < end || !in_flight.empty()) {
    while (in_flight.size() < window && Clock::now() < end) {
      auto [from, to] = Pair(sent++);
      in_flight.push_back(Clock::now());
      Check(client->Send("POST", target, headers, "[" + std::to_string(from) + "," + std::to_string(to) + ",1]"),
            "HTTP send");
    }
    auto response = Check(client->ReadResponse(), "HTTP read");
    if (response.status != 200)
      Die("call " + std::to_string(sent - in_flight.size()) + " answered " + std::to_string(response.status) + ": " + response.body);
    run.Record(in_flight.front());
    in_flight.pop_front();
  }
  run.Report();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + path + " (build the wasm_keynote-transfer target)");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  bool durable = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--durable") durable = true;
    else if (a.rfind("--", 0) == 0) std::fprintf(stderr, "server_bench: ignoring %s\n", a.c_str());  // BENCH_ARGS
    else seconds = std::atof(argv[i]);
  }
  if (seconds <= 0) Die("usage: server_bench [seconds per run] [--durable]");

  std::string dir = (std::filesystem::temp_directory_path() / ("stdb_server_bench_" + std::to_string(::getpid()))).string();
  ServerOptions o;
  o.listen_address = "127.0.0.1:0";
  o.in_memory = !durable;
  o.data_dir = dir;
  o.jwt_key_dir = dir + "/keys";
  o.log = [](const std::string&) {};
  auto app = Check(ServerApp::Start(o), "start the server");
  const uint16_t port = app->port();
  std::printf("server_bench: %s databases, %.0f s per run, transfer over %u accounts\n",
              durable ? "durable" : "in-memory", seconds, kAccounts);

  auto http = Check(testing::TestHttpClient::Connect(port), "HTTP connect");
  auto published = Check(http->Request("PUT", "/v1/database/bench", {}, ReadFile(STDB_MODULES_DIR "/keynote-transfer.wasm")),
                         "publish");
  if (published.status != 200) Die("publish answered " + std::to_string(published.status) + ": " + published.body);
  auto token = published.headers.Get("spacetime-identity-token");
  if (!token) Die("publish returned no token");
  HttpHeaders headers;
  headers.Set("Content-Type", "application/json");
  headers.Set("Authorization", "Bearer " + std::string(*token));
  http = Check(testing::TestHttpClient::Connect(port), "HTTP connect");  // the publish may outlast the idle timeout
  auto seeded = Check(http->Request("POST", "/v1/database/bench/call/seed", headers,
                                    "[" + std::to_string(kAccounts) + ",1000000]"),
                      "seed");
  if (seeded.status != 200) Die("seed answered " + std::to_string(seeded.status) + ": " + seeded.body);

  WebSocketCalls(port, "bench", 64, seconds, "ws_pipelined");
  WebSocketCalls(port, "bench", 1, seconds, "ws_sequential");
  HttpCalls(port, "bench", std::string(*token), 1, seconds, "http_sequential");
  HttpCalls(port, "bench", std::string(*token), 16, seconds, "http_pipelined");

  http.reset();
  app.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
