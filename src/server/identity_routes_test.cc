// The top-level and /v1/identity routes of a running server (spec/client-protocol.md §9.1-§9.3, §10): minted
// identities and their tokens, websocket tokens, the public key, verify, the databases of an identity, ping,
// health, energy, CORS and the Prometheus metrics.
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <sstream>
#include <thread>

#include "auth/es256.h"
#include "auth/identity.h"
#include "auth/jwt.h"
#include "server/testing/server_test.h"

namespace stdb::server {
namespace {

using testing::Bearer;
using testing::ExampleModule;
using testing::NameArg;
using testing::ParseJson;
using testing::WsClient;

bool IsLowerHex(const std::string& s, size_t length) {
  return s.size() == length && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The payload of a token this server signed (signature checked against the served public key elsewhere).
sats::Json TokenPayload(const std::string& token) {
  auto decoded = auth::DecodeJwt(token);
  EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message());
  return decoded.ok() ? decoded->payload : sats::Json::Null();
}

class IdentityRoutesTest : public testing::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    StartServer();
  }
};

TEST_F(IdentityRoutesTest, PostIdentityMintsAnAnonymousIdentityAndItsToken) {
  auto r = HttpAs("", "POST", "/v1/identity");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("content-type"), std::optional<std::string_view>("application/json"));
  sats::Json body = ParseJson(r.body);
  ASSERT_TRUE(body.Find("identity") && body.Find("token"));
  std::string identity = body.Find("identity")->text();
  std::string token = body.Find("token")->text();
  EXPECT_TRUE(IsLowerHex(identity, 64)) << identity;
  EXPECT_EQ(identity.substr(0, 4), "c200");

  // §10.3: the claims, and an identity derived from iss and sub.
  sats::Json claims = TokenPayload(token);
  ASSERT_TRUE(claims.is_object());
  EXPECT_EQ(claims.Find("hex_identity")->text(), identity);
  EXPECT_EQ(claims.Find("iss")->text(), "localhost");
  const std::string& sub = claims.Find("sub")->text();
  EXPECT_EQ(sub.size(), 36u) << sub;  // a UUIDv4
  EXPECT_EQ(auth::IdentityFromClaims("localhost", sub).ToHex(), identity);
  ASSERT_TRUE(claims.Find("aud") && claims.Find("aud")->is_array());
  EXPECT_EQ(claims.Find("aud")->items().at(0).text(), "spacetimedb");
  EXPECT_TRUE(claims.Find("iat")->is_number());
  ASSERT_TRUE(claims.Find("exp"));
  EXPECT_TRUE(claims.Find("exp")->is_null());

  // Every call mints another identity.
  EXPECT_NE(NewIdentity().identity, identity);
}

TEST_F(IdentityRoutesTest, WebsocketTokenReissuesTheCallersClaimsForSixtySeconds) {
  auto anonymous = HttpAs("", "POST", "/v1/identity/websocket-token");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.body, "Authorization required");

  auto minted = NewIdentity();
  auto r = HttpAs(minted.token, "POST", "/v1/identity/websocket-token");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("content-type"), std::optional<std::string_view>("application/json"));
  sats::Json body = ParseJson(r.body);
  ASSERT_TRUE(body.Find("token"));
  std::string short_token = body.Find("token")->text();
  EXPECT_NE(short_token, minted.token);
  sats::Json original = TokenPayload(minted.token);
  sats::Json reissued = TokenPayload(short_token);
  ASSERT_TRUE(reissued.is_object());
  EXPECT_EQ(reissued.Find("sub")->text(), original.Find("sub")->text());
  EXPECT_EQ(reissued.Find("iss")->text(), original.Find("iss")->text());
  ASSERT_TRUE(reissued.Find("exp")->is_number());
  EXPECT_EQ(std::stoll(reissued.Find("exp")->text()) - std::stoll(reissued.Find("iat")->text()), 60);

  // The short-lived token names the same identity, over HTTP and WebSocket (?token=, as the TypeScript SDK).
  EXPECT_EQ(HttpAs(short_token, "GET", "/v1/identity/" + minted.identity + "/verify").status, 204);
  Publish("tokens");
  WsClient ws(port(), "tokens", testing::kV3Protocol, "", "compression=None&token=" + short_token);
  ASSERT_TRUE(ws.client);
  auto hello = ws.NextAs<testing::v2::InitialConnection>();
  EXPECT_EQ(hello.identity.ToHex(), minted.identity);
  EXPECT_EQ(hello.token, short_token);
  EXPECT_EQ(ws.client->handshake_headers().Get("spacetime-identity"), std::optional<std::string_view>(minted.identity));
}

TEST_F(IdentityRoutesTest, PublicKeyIsThePemThatVerifiesTheTokens) {
  auto r = HttpAs("", "GET", "/v1/identity/public-key");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type"), std::optional<std::string_view>("application/pem-certificate-chain"));
  EXPECT_EQ(r.body.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u) << r.body;
  EXPECT_EQ(r.body, testing::ReadFileBytes(data_dir_ + "/keys/id_ecdsa.pub"));
  auto key = auth::Es256PublicKey::FromPem(r.body);
  ASSERT_TRUE(key.ok()) << key.error().message();
  EXPECT_TRUE(auth::VerifyEs256Jwt(NewIdentity().token, *key).ok());
}

TEST_F(IdentityRoutesTest, VerifyComparesTheTokensIdentityWithThePath) {
  auto alice = NewIdentity();
  auto bob = NewIdentity();
  std::string path = "/v1/identity/" + alice.identity + "/verify";
  EXPECT_EQ(HttpAs(alice.token, "GET", path).status, 204);
  EXPECT_EQ(HttpAs(bob.token, "GET", path).status, 400);
  EXPECT_EQ(HttpAs("", "GET", path).status, 401);
  EXPECT_EQ(HttpAs(alice.token, "GET", "/v1/identity/not-hex/verify").status, 400);
}

TEST_F(IdentityRoutesTest, DatabasesOfAnIdentityListsWhatItOwns) {
  auto stranger = NewIdentity();
  auto none = HttpAs("", "GET", "/v1/identity/" + stranger.identity + "/databases");
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(none.headers.Get("content-type"), std::optional<std::string_view>("application/json"));
  EXPECT_EQ(none.body, R"({"identities":[]})");

  std::string first = Publish("first-db");
  std::string second = Publish("");  // POST /v1/database: a database without a name
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  std::string owner = TokenPayload(token_).Find("hex_identity")->text();
  auto mine = HttpAs("", "GET", "/v1/identity/" + owner + "/databases");
  ASSERT_EQ(mine.status, 200);
  sats::Json body = ParseJson(mine.body);
  std::set<std::string> listed;
  for (const auto& id : body.Find("identities")->items()) listed.insert(id.text());
  EXPECT_EQ(listed, (std::set<std::string>{first, second}));
  EXPECT_EQ(HttpAs("", "GET", "/v1/identity/" + stranger.identity + "/databases").body, R"({"identities":[]})");
  EXPECT_EQ(HttpAs("", "GET", "/v1/identity/xyz/databases").status, 400);
}

TEST_F(IdentityRoutesTest, PingHealthAndEnergy) {
  auto ping = HttpAs("", "GET", "/v1/ping");
  EXPECT_EQ(ping.status, 200);
  EXPECT_EQ(ping.body, "");
  EXPECT_EQ(HttpAs(NewIdentity().token, "GET", "/v1/ping").status, 200);  // a token is checked when present
  EXPECT_EQ(HttpAs("not-a-jwt", "GET", "/v1/ping").status, 401);

  auto health = HttpAs("", "GET", "/v1/health");
  ASSERT_EQ(health.status, 200);
  sats::Json h = ParseJson(health.body);
  for (const char* key : {"package_name", "version", "nodes", "schedulable"}) EXPECT_TRUE(h.Find(key)) << key;

  auto energy = HttpAs("", "GET", "/v1/energy/" + NewIdentity().identity);
  ASSERT_EQ(energy.status, 200);
  EXPECT_EQ(energy.body, R"({"balance":"0"})");
}

TEST_F(IdentityRoutesTest, CorsOnV1) {
  auto preflight = HttpAs("", "OPTIONS", "/v1/identity");
  EXPECT_EQ(preflight.status, 200);
  EXPECT_EQ(preflight.headers.Get("access-control-allow-origin"), std::optional<std::string_view>("*"));
  auto allowed = preflight.headers.Get("access-control-allow-headers");
  ASSERT_TRUE(allowed);
  std::string lower(*allowed);
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (const char* header : {"authorization", "accept", "content-type"})
    EXPECT_NE(lower.find(header), std::string::npos) << header << " not in " << *allowed;
  EXPECT_EQ(HttpAs("", "GET", "/v1/ping").headers.Get("access-control-allow-origin"),
            std::optional<std::string_view>("*"));
}

// The value of the sample `name` (with its labels, if any) in Prometheus text, or nullopt.
std::optional<double> Sample(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return std::nullopt;
}

TEST_F(IdentityRoutesTest, MetricsArePrometheusText) {
  std::string db = Publish("metered");
  {
    WsClient ws(port(), "metered", testing::kV2Protocol);
    ASSERT_TRUE(ws.client);
    ws.Next();
    EXPECT_EQ(ws.Call(1, "add", NameArg("ann")).result.index(), 0u);
    EXPECT_EQ(ws.Call(2, "add", NameArg("")).result.index(), 2u);  // a user error
    auto r = HttpAs("", "GET", "/v1/metrics");
    ASSERT_EQ(r.status, 200);
    auto type = r.headers.Get("content-type");
    ASSERT_TRUE(type);
    EXPECT_EQ(type->rfind("text/plain", 0), 0u);
    // Every line is a HELP or TYPE comment or a sample "name{labels} value".
    std::istringstream lines(r.body);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
      size_t space = line.rfind(' ');
      ASSERT_NE(space, std::string::npos) << line;
      EXPECT_NO_THROW((void)std::stod(line.substr(space + 1))) << line;
      EXPECT_EQ(line.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), line.find_first_of("{ ")) << line;
    }
    EXPECT_EQ(Sample(r.body, "spacetime_websocket_connections"), 1.0);
    EXPECT_GE(Sample(r.body, "spacetime_reducer_calls_total").value_or(0), 2.0);
    EXPECT_GE(Sample(r.body, "spacetime_reducer_failures_total").value_or(0), 1.0);
    EXPECT_TRUE(Sample(r.body, "spacetime_reducer_call_seconds_total"));
    EXPECT_GT(Sample(r.body, "spacetime_websocket_bytes_sent_total").value_or(0), 0.0);
    EXPECT_GT(Sample(r.body, "spacetime_websocket_messages_received_total").value_or(0), 0.0);
    std::string label = "{database=\"" + db + "\"}";
    EXPECT_GT(Sample(r.body, "spacetime_database_memory_bytes" + label).value_or(0), 0.0);
    EXPECT_GE(Sample(r.body, "spacetime_database_tx_offset" + label).value_or(0), 2.0);  // init and ann
    EXPECT_TRUE(Sample(r.body, "spacetime_database_durable_lag" + label));
  }
  // The closed connection is no longer counted; /metrics (without /v1) serves the same text.
  for (int i = 0; i < 200; ++i) {
    if (Sample(HttpAs("", "GET", "/metrics").body, "spacetime_websocket_connections") == 0.0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(Sample(HttpAs("", "GET", "/metrics").body, "spacetime_websocket_connections"), 0.0);
}

}  // namespace
}  // namespace stdb::server
