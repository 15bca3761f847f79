// Bad credentials (spec/client-protocol.md §8.1, §10.4): malformed, forged (another key, a tampered payload,
// alg "none"), expired and claim-breaking JWTs, in the Authorization header and in ?token=, on the HTTP routes
// and on the WebSocket upgrade. A bad token is refused (400 malformed header, 401 invalid token) and is never
// taken for "no credentials" (which would mint a fresh identity); the server keeps serving good clients.
#include <gtest/gtest.h>

#include "auth/base64url.h"
#include "auth/claims.h"
#include "auth/es256.h"
#include "auth/identity.h"
#include "auth/jwt.h"
#include "auth/key_store.h"
#include "auth/token_issuer.h"
#include "server/testing/server_test.h"

namespace stdb::server {
namespace {

using testing::Bearer;
using testing::JsonContent;
using testing::PersonModule;
using testing::TestWebSocketClient;

struct BadToken {
  std::string name;
  std::string token;
};

class TokenBadInputTest : public testing::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    StartServer();
    db_ = Publish("people");
    auto keys = auth::LoadOrCreateServerKeys(auth::ServerKeyPaths::InDirectory(data_dir_ + "/keys"));
    ASSERT_TRUE(keys.ok()) << keys.error().message();
    ASSERT_FALSE(keys->created) << "the test must sign with the server's own key";
    server_keys_ = std::make_unique<auth::Es256KeyPair>(keys->keys);
  }

  // Signs `payload` with the server's key (so only the claims can be at fault).
  std::string SignedByServer(const sats::Json& payload) {
    auto token = auth::SignEs256Jwt(payload, *server_keys_);
    EXPECT_TRUE(token.ok());
    return token.ok() ? *token : "";
  }
  sats::Json GoodClaims() {
    auto claims = auth::TokenIssuer(*server_keys_).MintAnonymous();
    EXPECT_TRUE(claims.ok());
    return claims->claims.ToJson();
  }
  static sats::Json Without(sats::Json payload, std::string_view key) {
    auto& members = payload.members();
    std::erase_if(members, [&](const sats::Json::Member& m) { return m.first == key; });
    return payload;
  }
  static sats::Json With(sats::Json payload, const std::string& key, sats::Json value) {
    payload = Without(std::move(payload), key);
    payload.Add(key, std::move(value));
    return payload;
  }

  // Tokens that must be refused with 401.
  std::vector<BadToken> InvalidTokens() {
    std::vector<BadToken> out;
    auto other_key = auth::Es256KeyPair::Generate();
    EXPECT_TRUE(other_key.ok());
    out.push_back({"signed with another key", auth::TokenIssuer(*other_key).MintAnonymous()->token});

    std::string good = NewIdentity().token;
    size_t first_dot = good.find('.');
    size_t second_dot = good.find('.', first_dot + 1);
    sats::Json tampered = ParsePayload(good);
    tampered = With(tampered, "sub", sats::Json::String("someone-else"));
    out.push_back({"payload changed after signing",
                   good.substr(0, first_dot + 1) + auth::Base64UrlEncode(tampered.Dump()) + good.substr(second_dot)});
    out.push_back({"signature cut", good.substr(0, second_dot + 1)});
    std::string flipped = good;
    flipped[second_dot + 5] = flipped[second_dot + 5] == 'A' ? 'B' : 'A';
    out.push_back({"signature altered", flipped});
    out.push_back({"alg none", auth::Base64UrlEncode(std::string(R"({"typ":"JWT","alg":"none"})")) + "." +
                                   good.substr(first_dot + 1, second_dot - first_dot - 1) + "."});
    out.push_back({"not a JWT", "not-a-jwt"});
    out.push_back({"three garbage segments", "a.b.c"});

    auto issuer = auth::TokenIssuer(*server_keys_);
    auto claims = auth::ClaimsFromPayload(GoodClaims());
    EXPECT_TRUE(claims.ok());
    int64_t now = auth::UnixNowSeconds();
    out.push_back({"expired an hour ago", issuer.ReissueShortLived(*claims, now - 3600)->token});
    out.push_back({"without iat", SignedByServer(Without(GoodClaims(), "iat"))});
    out.push_back({"without sub", SignedByServer(Without(GoodClaims(), "sub"))});
    out.push_back({"empty iss", SignedByServer(With(GoodClaims(), "iss", sats::Json::String("")))});
    out.push_back({"hex_identity of someone else",
                   SignedByServer(With(GoodClaims(), "hex_identity", sats::Json::String(NewIdentity().identity)))});
    out.push_back({"string exp", SignedByServer(With(GoodClaims(), "exp", sats::Json::String("tomorrow")))});
    return out;
  }
  static sats::Json ParsePayload(const std::string& token) {
    auto decoded = auth::DecodeJwt(token);
    EXPECT_TRUE(decoded.ok());
    return decoded->payload;
  }

  // Every route that reads credentials refuses `token` with `status` and mints nothing.
  void ExpectRefusedEverywhere(const std::string& what, const HttpHeaders& credentials, const std::string& query,
                               int status) {
    SCOPED_TRACE(what);
    auto expect = [&](std::string_view method, const std::string& target, std::string_view body = {},
                      HttpHeaders headers = {}) {
      for (const auto& [k, v] : credentials) headers.Set(k, v);
      std::string full = target + (query.empty() ? "" : (target.find('?') == std::string::npos ? "?" : "&") + query);
      auto r = Send(method, full, body, headers);
      EXPECT_EQ(r.status, status) << method << " " << target << ": " << r.body;
      EXPECT_FALSE(r.headers.Get("spacetime-identity-token")) << "a token was minted for " << target;
    };
    expect("POST", "/v1/database/people/call/add", R"(["intruder"])", JsonContent());
    expect("POST", "/v1/database/people/sql", "SELECT * FROM person");
    expect("PUT", "/v1/database/intruded", PersonModule());
    expect("POST", "/v1/database", PersonModule());
    expect("PUT", "/v1/database/people", PersonModule());
    expect("DELETE", "/v1/database/people");
    expect("GET", "/v1/database/people/logs");
    expect("POST", "/v1/database/people/names", "intruder");
    expect("POST", "/v1/identity/websocket-token");
    expect("GET", "/v1/identity/" + db_ + "/verify");
    expect("GET", "/v1/ping");

    // The WebSocket upgrade is refused before the 101.
    TestWebSocketClient::Options o;
    o.target = "/v1/database/people/subscribe" + (query.empty() ? "" : "?" + query);
    o.subprotocols = {testing::kV2Protocol};
    o.headers = credentials;
    auto ws = TestWebSocketClient::Connect(port(), o);
    EXPECT_FALSE(ws.ok()) << "upgraded with a bad token";
    if (!ws.ok()) {
      EXPECT_NE(ws.error().message().find("status " + std::to_string(status)), std::string::npos) << ws.error().message();
    }
  }

  void ExpectNothingHappened() {
    EXPECT_EQ(SqlRows("people", "SELECT * FROM person WHERE name = 'intruder'").items().size(), 0u);
    EXPECT_EQ(HttpAs("", "GET", "/v1/database/intruded/identity").status, 404);
    EXPECT_EQ(Http("GET", "/v1/database/people/names").body, R"({"names":["people"]})");
    ExpectStillServes("people", "person");
    // The owner still owns it.
    EXPECT_EQ(Http("GET", "/v1/database/people/logs").status, 200);
  }

  std::string db_;
  std::unique_ptr<auth::Es256KeyPair> server_keys_;
};

TEST_F(TokenBadInputTest, InvalidTokensAre401InTheHeader) {
  for (const auto& bad : InvalidTokens()) ExpectRefusedEverywhere(bad.name, Bearer(bad.token), "", 401);
  ExpectNothingHappened();
}

TEST_F(TokenBadInputTest, InvalidTokensAre401InTheQuery) {
  for (const auto& bad : InvalidTokens()) {
    std::string escaped;
    for (char c : bad.token) escaped += (c == '+' || c == '/' || c == '=') ? "%" + std::to_string(int(c)) : std::string(1, c);
    ExpectRefusedEverywhere(bad.name, {}, "token=" + escaped, 401);
  }
  ExpectNothingHappened();
}

TEST_F(TokenBadInputTest, MalformedAuthorizationHeadersAre400) {
  for (const char* header : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", "bearer-abc"}) {
    HttpHeaders h;
    h.Set("Authorization", header);
    ExpectRefusedEverywhere(header, h, "", 400);
  }
  ExpectNothingHappened();
}

// Expiry has the reference's 60 s leeway; a token within it is still good.
TEST_F(TokenBadInputTest, ExpiryLeeway) {
  auto claims = auth::ClaimsFromPayload(GoodClaims());
  ASSERT_TRUE(claims.ok());
  int64_t now = auth::UnixNowSeconds();
  auto issuer = auth::TokenIssuer(*server_keys_);
  std::string recent = issuer.ReissueShortLived(*claims, now - 70, 60)->token;  // expired 10 s ago
  EXPECT_EQ(HttpAs(recent, "GET", "/v1/identity/" + claims->identity.ToHex() + "/verify").status, 204);
  std::string old = issuer.ReissueShortLived(*claims, now - 200, 60)->token;  // expired 140 s ago
  auto r = HttpAs(old, "GET", "/v1/identity/" + claims->identity.ToHex() + "/verify");
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("expired"), std::string::npos) << r.body;
}

// A token signed by this server for another issuer (as websocket tokens re-sign other issuers' claims) is
// valid: the identity comes from its iss and sub.
TEST_F(TokenBadInputTest, ForeignIssuerSignedByThisServerIsValid) {
  sats::Json payload = GoodClaims();
  payload = Without(payload, "hex_identity");
  payload = With(payload, "iss", sats::Json::String("https://auth.example.com"));
  payload = With(payload, "sub", sats::Json::String("user-1"));
  std::string token = SignedByServer(payload);
  std::string identity = auth::IdentityFromClaims("https://auth.example.com", "user-1").ToHex();
  EXPECT_EQ(HttpAs(token, "GET", "/v1/identity/" + identity + "/verify").status, 204);
}

}  // namespace
}  // namespace stdb::server
