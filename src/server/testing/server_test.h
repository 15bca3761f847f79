// ServerTest: the fixture of the server's end-to-end tests — a real ServerApp on a temporary data directory,
// listening on an ephemeral port of 127.0.0.1, driven over real sockets with the blocking clients of
// test_client.h, publishing real modules:
//   TestModule("person_module")      hand-written modules of src/host/testdata (person, gatekeeper, ...)
//   ExampleModule("keynote-transfer") the examples/ modules built with the C++ SDK
// (their directories come from the compile definitions STDB_WASM_TESTDATA_DIR and STDB_MODULES_DIR).
//
// WsClient is a v3/v2 client of /v1/database/:noi/subscribe: it sends v2 ClientMessages (one per WebSocket
// message) and hands back the server's messages one by one, decompressing frames and splitting v3 bodies.
//
// Test-only and header-only (it uses gtest assertions). Thread-safety: one test thread; a WsClient belongs to
// one thread at a time.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sats/algebraic_value.h"
#include "sats/bsatn.h"
#include "sats/json.h"
#include "server/protocol/server_codecs.h"
#include "server/protocol/v2_client_message.h"
#include "server/protocol/v2_server_message.h"
#include "server/protocol/v3_framing.h"
#include "server/server_app.h"
#include "server/testing/test_client.h"

namespace stdb::server::testing {

namespace v2 = protocol::v2;

inline constexpr const char* kV3Protocol = "v3.bsatn.spacetimedb";
inline constexpr const char* kV2Protocol = "v2.bsatn.spacetimedb";

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A module file the build produced; a missing one fails the test with the target that builds it.
inline std::string ReadModuleFile(const std::string& path, const std::string& target) {
  std::string bytes = ReadFileBytes(path);
  if (bytes.empty()) ADD_FAILURE() << "missing module " << path << " (build target " << target << ")";
  return bytes;
}

// src/host/testdata/<name>.wat, compiled.
inline std::string TestModule(const std::string& name) {
  return ReadModuleFile(std::string(STDB_WASM_TESTDATA_DIR) + "/" + name + ".wasm", "host_module_testdata");
}
// examples/<name>, compiled with the C++ SDK.
inline std::string ExampleModule(const std::string& name) {
  return ReadModuleFile(std::string(STDB_MODULES_DIR) + "/" + name + ".wasm", "wasm_" + name);
}
inline std::string PersonModule() { return TestModule("person_module"); }

inline HttpHeaders Bearer(const std::string& token) {
  HttpHeaders h;
  h.Set("Authorization", "Bearer " + token);
  return h;
}
inline HttpHeaders JsonContent(HttpHeaders h = {}) {
  h.Set("Content-Type", "application/json");
  return h;
}

// Parses a JSON body; a parse failure fails the test (and yields null).
inline sats::Json ParseJson(const std::string& text) {
  auto j = sats::Json::Parse(text);
  EXPECT_TRUE(j.ok()) << "not JSON: " << text;
  return j.ok() ? std::move(*j) : sats::Json::Null();
}

// BSATN of a reducer's argument product.
inline sats::Bytes Args(std::vector<sats::AlgebraicValue> values) {
  return sats::bsatn::EncodeValue(sats::AlgebraicValue::Product(std::move(values)));
}
inline sats::Bytes NameArg(const std::string& name) { return Args({sats::AlgebraicValue::String(name)}); }

// Rows inserted into `table` by an update (all query sets).
inline size_t RowsIn(const v2::TransactionUpdate& u, const std::string& table) {
  size_t n = 0;
  for (const auto& set : u.query_sets)
    for (const auto& t : set.tables) {
      const auto& tu = std::get<v2::TableUpdate>(t);
      if (tu.table_name != table) continue;
      for (const auto& rows : tu.rows) n += std::get<v2::PersistentTableRows>(rows).inserts.size();
    }
  return n;
}

class WsClient {
 public:
  // Connects to `db` offering `protocol`; `token` empty: anonymous; `query` is the URL's query string.
  WsClient(uint16_t port, const std::string& db, const std::string& protocol, const std::string& token = "",
           const std::string& query = "compression=None", size_t receive_buffer_bytes = 0) {
    TestWebSocketClient::Options o;
    o.target = "/v1/database/" + db + "/subscribe" + (query.empty() ? "" : "?" + query);
    o.subprotocols = {protocol};
    o.receive_buffer_bytes = receive_buffer_bytes;
    if (!token.empty()) o.headers.Set("Authorization", "Bearer " + token);
    auto c = TestWebSocketClient::Connect(port, o);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message());
    if (c.ok()) client = std::move(*c);
    v3 = protocol == kV3Protocol;
  }

  void Send(const v2::ClientMessage& m) {
    sats::Bytes bytes = v2::EncodeClientMessage(m);
    ASSERT_TRUE(client->Send(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size())).ok());
  }
  // Sends a reducer call and returns its result.
  v2::ReducerResult Call(uint32_t request_id, const std::string& reducer, sats::Bytes args) {
    Send(v2::CallReducer{request_id, v2::CallFlags::kDefault, reducer, std::move(args)});
    return NextAs<v2::ReducerResult>();
  }

  // The next server message, or an error once the connection ended.
  Result<v2::ServerMessage> TryNext() {
    while (pending.empty()) {
      STDB_ASSIGN_OR_RETURN(auto msg, client->Receive());
      if (msg.is_text) return Error(ErrorCode::kDecode, "a text frame on a binary protocol");
      sats::ByteSpan frame(reinterpret_cast<const uint8_t*>(msg.payload.data()), msg.payload.size());
      STDB_ASSIGN_OR_RETURN(auto body, protocol::ReadServerFrame(frame, protocol::ServerFrameDecompressor(1u << 30)));
      if (!frame.empty() && frame[0] != 0) compressed_frames++;
      if (v3) {
        STDB_ASSIGN_OR_RETURN(auto all, protocol::v3::SplitServerBody(body));
        for (auto& m : all) pending.push_back(std::move(m));
      } else {
        STDB_ASSIGN_OR_RETURN(auto one, v2::DecodeServerMessage(sats::ByteSpan(body)));
        pending.push_back(std::move(one));
      }
    }
    auto m = std::move(pending.front());
    pending.pop_front();
    return m;
  }
  v2::ServerMessage Next() {
    auto m = TryNext();
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message());
    return m.ok() ? std::move(*m) : v2::ServerMessage{};
  }
  // The next message, which must be a T.
  template <typename T>
  T NextAs() {
    auto m = Next();
    const T* t = std::get_if<T>(&m);
    EXPECT_TRUE(t) << "expected another message than " << v2::ServerMessageName(m);
    return t ? *t : T{};
  }
  // Reads until the connection ends, discarding messages. The close frame's code, or nullopt when the
  // connection ended without one.
  // Runs `action` (which ends the connection: a delete, a restart) on another thread while reading until the
  // end, as a real client does; a server that waits for the close handshake is then answered in time.
  std::optional<uint16_t> WaitForEndWhile(const std::function<void()>& action) {
    std::thread acting(action);
    auto code = WaitForEnd();
    acting.join();
    return code;
  }

  std::optional<uint16_t> WaitForEnd() {
    for (;;) {
      auto msg = client->Receive();
      if (msg.ok()) continue;
      auto info = client->close_info();
      return info ? std::optional<uint16_t>(info->code) : std::nullopt;
    }
  }

  std::unique_ptr<TestWebSocketClient> client;
  std::deque<v2::ServerMessage> pending;
  bool v3 = false;
  size_t compressed_frames = 0;
};

// An identity minted by POST /v1/identity.
struct MintedIdentity {
  std::string identity;  // 64 hex digits
  std::string token;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    data_dir_ = ::testing::TempDir() + "/stdb_server_test_" + std::to_string(::getpid()) + "_" +
                std::to_string(counter++);
    std::filesystem::remove_all(data_dir_);
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  void StartServer(bool in_memory = true) {
    ServerOptions o;
    o.listen_address = "127.0.0.1:0";
    o.in_memory = in_memory;
    o.data_dir = data_dir_;
    o.jwt_key_dir = data_dir_ + "/keys";
    o.log = [](const std::string&) {};
    auto app = ServerApp::Start(o);
    ASSERT_TRUE(app.ok()) << app.error().message();
    app_ = std::move(*app);
  }
  // Stops the server and starts another on the same data directory (and keys).
  void RestartServer() {
    app_.reset();
    StartServer(/*in_memory=*/false);
  }
  uint16_t port() const { return app_->port(); }

  // One request on a new connection, with the owner's token (token_) unless `headers` carry credentials.
  ClientResponse Http(std::string_view method, std::string_view target, std::string_view body = {},
                      HttpHeaders headers = {}) {
    if (!token_.empty() && !headers.Get("authorization")) headers.Set("Authorization", "Bearer " + token_);
    return Send(method, target, body, headers);
  }
  // The same with `token` (empty: no credentials at all).
  ClientResponse HttpAs(const std::string& token, std::string_view method, std::string_view target,
                        std::string_view body = {}, HttpHeaders headers = {}) {
    if (!token.empty()) headers.Set("Authorization", "Bearer " + token);
    return Send(method, target, body, headers);
  }
  ClientResponse Send(std::string_view method, std::string_view target, std::string_view body,
                      const HttpHeaders& headers) {
    auto client = TestHttpClient::Connect(app_->port());
    EXPECT_TRUE(client.ok());
    if (!client.ok()) return {};
    auto r = (*client)->Request(method, target, headers, body);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : ClientResponse{};
  }

  // Publishes `program` as a new database `name` (PUT; POST without a name) and returns its identity (hex).
  // The first publisher's minted token becomes token_, the owner's.
  std::string Publish(const std::string& name, const std::string& program = PersonModule()) {
    auto r = name.empty() ? Http("POST", "/v1/database", program) : Http("PUT", "/v1/database/" + name, program);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("\"op\":\"created\""), std::string::npos) << r.body;
    auto token = r.headers.Get("spacetime-identity-token");
    EXPECT_TRUE(token);
    if (token_.empty() && token) token_ = std::string(*token);
    auto body = sats::Json::Parse(r.body);
    if (!body.ok() || !body->Find("Success")) return "";
    const sats::Json* id = body->Find("Success")->Find("database_identity");
    return id ? id->text() : "";
  }

  MintedIdentity NewIdentity() {
    auto r = HttpAs("", "POST", "/v1/identity");
    EXPECT_EQ(r.status, 200) << r.body;
    sats::Json body = ParseJson(r.body);
    if (!body.is_object() || !body.Find("identity") || !body.Find("token")) return {};
    return {body.Find("identity")->text(), body.Find("token")->text()};
  }

  // POST /call with a JSON body, as `token` (empty: the owner).
  ClientResponse CallHttp(const std::string& db, const std::string& reducer, const std::string& json_args,
                          const std::string& token = "") {
    return HttpAs(token.empty() ? token_ : token, "POST", "/v1/database/" + db + "/call/" + reducer, json_args,
                  JsonContent());
  }
  // POST /sql, as `token` (empty: the owner).
  ClientResponse Sql(const std::string& db, const std::string& sql, const std::string& token = "") {
    return HttpAs(token.empty() ? token_ : token, "POST", "/v1/database/" + db + "/sql", sql);
  }
  // The rows of a /sql answer (its one statement's "rows"), or null on failure.
  sats::Json SqlRows(const std::string& db, const std::string& sql, const std::string& token = "") {
    auto r = Sql(db, sql, token);
    EXPECT_EQ(r.status, 200) << sql << ": " << r.body;
    sats::Json body = ParseJson(r.body);
    if (!body.is_array() || body.items().size() != 1 || !body.items()[0].Find("rows")) return sats::Json::Null();
    return *body.items()[0].Find("rows");
  }

  std::unique_ptr<WsClient> Connect(const std::string& db, const std::string& protocol = kV3Protocol,
                                    const std::string& token = "") {
    return std::make_unique<WsClient>(app_->port(), db, protocol, token);
  }

  // The server still answers other clients: /v1/ping over HTTP, and a new WebSocket client of `db` gets its
  // InitialConnection and an answer to a one-off query of `table`.
  void ExpectStillServes(const std::string& db, const std::string& table) {
    EXPECT_EQ(HttpAs("", "GET", "/v1/ping").status, 200);
    WsClient fresh(app_->port(), db, kV2Protocol);
    ASSERT_TRUE(fresh.client);
    EXPECT_TRUE(std::holds_alternative<v2::InitialConnection>(fresh.Next()));
    fresh.Send(v2::OneOffQuery{77, "SELECT * FROM " + table});
    auto result = fresh.NextAs<v2::OneOffQueryResult>();
    EXPECT_EQ(result.request_id, 77u);
    EXPECT_EQ(result.result.index(), 0u) << "the one-off query failed";
  }

  std::string data_dir_;
  std::string token_;  // the owner of the databases published by Publish
  std::unique_ptr<ServerApp> app_;
};

}  // namespace stdb::server::testing
