// The /v1/database routes (spec/client-protocol.md §9.4), except /subscribe (client_connection.h).
#include <variant>

#include "auth/connection_id.h"
#include "host/module_def_json.h"
#include "sats/json.h"
#include "sats/sats_json.h"
#include "server/api_context.h"
#include "sql/binder/schema_source.h"
#include "sql/sql_engine.h"

namespace stdb::server {

namespace {

using host::Database;
using host::ReducerResponse;

// Authenticates (minting an identity when the request has none) or answers the failure.
std::optional<Caller> AuthenticateOrRespond(const ApiContext& ctx, const HttpRequest& req, Responder& r, bool mint = true) {
  auto caller = ctx.auth->Authenticate(req, mint);
  if (auto* f = std::get_if<AuthFailure>(&caller)) {
    r.Send(HttpResponse::Text(f->status, f->message));
    return std::nullopt;
  }
  return std::get<Caller>(std::move(caller));
}

std::shared_ptr<HostedDatabase> ResolveOrRespond(const ApiContext& ctx, const HttpRequest& req, Responder& r) {
  auto db = ctx.registry->Resolve(*req.PathParam("noi"));
  if (!db.ok()) {
    r.Send(ResolveErrorResponse(db.error()));
    return nullptr;
  }
  return *db;
}

HttpResponse WithIdentity(const ApiContext& ctx, const Caller& caller, HttpResponse resp) {
  ctx.auth->AddIdentityHeaders(caller, resp.headers);
  return resp;
}

std::string PublishSuccess(const PublishResult& p) {
  sats::Json success = sats::Json::Object();
  success.Add("domain", p.name ? sats::Json::String(*p.name) : sats::Json::Null());
  success.Add("database_identity", sats::Json::String(p.identity.ToHex()));
  success.Add("op", sats::Json::String(p.created ? "created" : "updated"));
  sats::Json body = sats::Json::Object();
  body.Add("Success", std::move(success));
  return body.Dump();
}

bool QueryFlag(const HttpRequest& req, std::string_view name, bool fallback) {
  auto v = req.QueryParam(name);
  if (!v) return fallback;
  return *v == "true" || *v == "1" || v->empty();
}

void Publish(const ApiContext& ctx, HttpRequest req, Responder r) {
  auto caller = AuthenticateOrRespond(ctx, req, r);
  if (!caller) return;
  PublishRequest p;
  if (auto noi = req.PathParam("noi")) p.name_or_identity = std::string(*noi);
  p.caller = caller->identity;
  p.program.assign(req.body.begin(), req.body.end());
  p.clear = QueryFlag(req, "clear", false);
  p.allow_breaking = req.QueryParam("policy") == std::optional<std::string_view>("BreakClients") ||
                     QueryFlag(req, "break_clients", false);
  // Compiling and migrating takes a while: off the I/O thread.
  ctx.workers->Submit([ctx, p = std::move(p), caller = *caller, r = std::move(r)]() mutable {
    auto result = ctx.registry->Publish(std::move(p));
    if (!result.ok()) {
      const Error& e = result.error();
      if (e.code() == ErrorCode::kPermissionDenied) {
        sats::Json inner = sats::Json::Object();
        inner.Add("name", sats::Json::String(e.message()));
        sats::Json body = sats::Json::Object();
        body.Add("PermissionDenied", std::move(inner));
        return r.Send(WithIdentity(ctx, caller, HttpResponse::Json(401, body.Dump())));
      }
      int status = e.code() == ErrorCode::kIo || e.code() == ErrorCode::kInternal ? 500 : 400;
      return r.Send(WithIdentity(ctx, caller, HttpResponse::Text(status, e.message())));
    }
    r.Send(WithIdentity(ctx, caller, HttpResponse::Json(200, PublishSuccess(*result))));
  });
}

// Runs `body` on the database thread inside a temporary client connection: client_connected before,
// client_disconnected after (spec §9.4 details). A rejecting client_connected answers 403.
template <typename Body>
void WithTemporaryConnection(std::shared_ptr<HostedDatabase> hosted, const Caller& caller, Responder responder, Body body) {
  hosted->db().Post([hosted, caller, r = std::move(responder), body = std::move(body)]() mutable {
    Database& db = hosted->db();
    auto conn = auth::RandomConnectionId();
    if (!conn.ok()) return r.Send(ErrorResponse(conn.error()));
    Status connected = db.ClientConnected(caller.identity, *conn, caller.jwt_payload);
    if (!connected.ok()) return r.Send(HttpResponse::Text(403, connected.error().message()));
    body(db, *conn, r);
    db.ClientDisconnected(caller.identity, *conn);
  });
}

void CallReducer(const ApiContext& ctx, HttpRequest req, Responder r) {
  auto caller = AuthenticateOrRespond(ctx, req, r);
  if (!caller) return;
  auto hosted = ResolveOrRespond(ctx, req, r);
  if (!hosted) return;
  auto content_type = req.Header("content-type");
  if (!content_type) return r.Send(HttpResponse::Text(400, "Expected request with `Content-Type: application/json`"));
  if (*content_type != "application/json")
    return r.Send(HttpResponse::Text(415, "Expected request with `Content-Type: application/json`"));
  auto json = sats::Json::Parse(req.body.empty() ? "[]" : req.body);
  if (!json.ok()) return r.Send(HttpResponse::Text(400, "invalid JSON arguments: " + json.error().message()));
  std::string reducer(*req.PathParam("reducer"));
  ApiCounters* counters = ctx.counters;
  WithTemporaryConnection(hosted, *caller, std::move(r),
                          [ctx, caller = *caller, reducer, json = std::move(*json), counters](Database& db, sats::ConnectionId conn, Responder& r) {
    auto id = db.module_def().FindReducer(reducer);
    if (!id) return r.Send(WithIdentity(ctx, caller, HttpResponse::Text(404, "No such reducer: " + reducer)));
    const host::ReducerDef& def = db.module_def().reducers()[*id];
    auto args = sats::sats_json::Read(sats::AlgebraicType::Product(def.params), json, &db.module_def().typespace());
    if (!args.ok())
      return r.Send(WithIdentity(ctx, caller, HttpResponse::Text(400, "invalid arguments for reducer " + reducer + ": " + args.error().message())));
    ReducerResponse resp = db.CallReducer({reducer, sats::bsatn::EncodeValue(*args), caller.identity, conn, std::nullopt});
    if (counters) {
      counters->reducer_calls++;
      counters->reducer_call_micros += uint64_t(resp.duration.count());
      if (!resp.committed()) counters->reducer_failures++;
    }
    HttpResponse out;
    switch (resp.status) {
      case ReducerResponse::Status::kCommitted: out = HttpResponse::Empty(200); break;
      case ReducerResponse::Status::kFailedUser: out = HttpResponse::Text(530, resp.message); break;
      case ReducerResponse::Status::kFailedInternal: out = HttpResponse::Text(530, resp.message); break;
      case ReducerResponse::Status::kNoSuchReducer:
        out = HttpResponse::Text(resp.message.find("lifecycle") != std::string::npos ? 400 : 404, resp.message);
        break;
      case ReducerResponse::Status::kInvalidArguments: out = HttpResponse::Text(400, resp.message); break;
    }
    out.headers.Set("spacetime-energy-used", "0");
    out.headers.Set("spacetime-execution-duration-micros", std::to_string(resp.duration.count()));
    r.Send(WithIdentity(ctx, caller, std::move(out)));
  });
}

void Sql(const ApiContext& ctx, HttpRequest req, Responder r) {
  auto caller = AuthenticateOrRespond(ctx, req, r);
  if (!caller) return;
  auto hosted = ResolveOrRespond(ctx, req, r);
  if (!hosted) return;
  bool confirmed = QueryFlag(req, "confirmed", true);
  if (ctx.counters) ctx.counters->sql_queries++;
  WithTemporaryConnection(hosted, *caller, std::move(r),
                          [ctx, hosted, caller = *caller, text = std::move(req.body), confirmed](Database& db, sats::ConnectionId, Responder& r) mutable {
    auto start = std::chrono::steady_clock::now();
    sql::CallerContext who{caller.identity, caller.identity == hosted->owner()};
    auto current = db.datastore().CurrentView();
    sql::DatabaseViewSchema schema(*current);
    auto statement = sql::Compile(text, schema, {sql::Language::kSql, who});
    if (!statement.ok()) return r.Send(WithIdentity(ctx, caller, HttpResponse::Text(400, statement.error().message())));
    auto micros = [&] {
      return uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
    };
    if (statement->is_query()) {
      // Read queries run on a snapshot off the database thread, so long scans never stall reducers.
      auto snapshot = db.Snapshot();
      ctx.workers->Submit([ctx, caller, who, statement = std::move(*statement), snapshot, r, start]() mutable {
        auto result = sql::ExecuteQuery(statement, *snapshot, who);
        if (!result.ok()) return r.Send(WithIdentity(ctx, caller, HttpResponse::Text(400, result.error().message())));
        sql::SqlResponse resp;
        resp.schema = result->schema;
        auto values = result->Values();
        if (!values.ok()) return r.Send(ErrorResponse(values.error()));
        resp.rows = std::move(*values);
        resp.total_duration_micros =
            uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
        HttpResponse out = HttpResponse::Json(200, resp.ToJson());
        out.headers.Set("spacetime-execution-duration-micros", std::to_string(resp.total_duration_micros));
        r.Send(WithIdentity(ctx, caller, std::move(out)));
      });
      return;
    }
    sql::DmlStats stats;
    auto committed = db.WithTransaction([&](datastore::MutTx& tx) -> Status {
      auto s = sql::ExecuteDml(*statement, tx, who);
      if (!s.ok()) return std::move(s).error();
      stats = *s;
      return OkStatus();
    });
    if (!committed.ok()) return r.Send(WithIdentity(ctx, caller, HttpResponse::Text(400, committed.error().message())));
    sql::SqlResponse resp;
    resp.stats = stats;
    resp.total_duration_micros = micros();
    HttpResponse out = WithIdentity(ctx, caller, HttpResponse::Json(200, resp.ToJson()));
    out.headers.Set("spacetime-execution-duration-micros", std::to_string(resp.total_duration_micros));
    auto tx = *committed;
    if (confirmed && tx->tx_offset) {
      auto body = std::make_shared<HttpResponse>(std::move(out));
      db.durability().WhenDurable(*tx->tx_offset, [r, body]() mutable { r.Send(std::move(*body)); });
      return;
    }
    r.Send(std::move(out));
  });
}

void Logs(const ApiContext& ctx, HttpRequest req, Responder r) {
  auto caller = AuthenticateOrRespond(ctx, req, r);
  if (!caller) return;
  auto hosted = ResolveOrRespond(ctx, req, r);
  if (!hosted) return;
  if (caller->identity != hosted->owner())
    return r.Send(HttpResponse::Text(403, caller->identity.ToHex() + " is not authorized to perform action on database " +
                                              hosted->identity().ToHex() + ": view logs"));
  size_t n = 0;
  if (auto v = req.QueryParam("num_lines")) n = size_t(std::strtoull(std::string(*v).c_str(), nullptr, 10));
  std::string body;
  for (const auto& rec : hosted->db().logs().Tail(n)) body += rec.ToJson() + "\n";
  HttpResponse head = HttpResponse::Empty(200);
  head.headers.Set("Content-Type", "application/x-ndjson");
  head.headers.Set("Cache-Control", "no-cache");
  if (!QueryFlag(req, "follow", false)) {
    head.body = std::move(body);
    return r.Send(std::move(head));
  }
  // Following: the tail now, then every new record until the client goes away.
  // The stream does not keep the database alive: when the database closes, its logs (and with them the
  // follower holding the stream) go, which ends the response.
  auto follower = std::make_shared<uint64_t>(0);
  host::ModuleLogs* logs = &hosted->db().logs();
  std::weak_ptr<HostedDatabase> weak = hosted;
  auto stream = std::make_shared<ResponseStream>(r.StartStream(std::move(head), [weak, follower] {
    if (auto alive = weak.lock()) alive->db().logs().Unfollow(*follower);
  }));
  if (!body.empty()) stream->Write(std::move(body));
  *follower = logs->Follow([stream](const host::LogRecord& rec) { stream->Write(rec.ToJson() + "\n"); });
  if (stream->closed()) logs->Unfollow(*follower);
}

}  // namespace

Status RegisterDatabaseRoutes(Router& router, const ApiContext& ctx) {
  STDB_RETURN_IF_ERROR(router.Add("POST", "/v1/database", [ctx](HttpRequest req, Responder r) { Publish(ctx, std::move(req), std::move(r)); }));
  STDB_RETURN_IF_ERROR(router.Add("PUT", "/v1/database/:noi", [ctx](HttpRequest req, Responder r) { Publish(ctx, std::move(req), std::move(r)); }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/database/:noi", [ctx](HttpRequest req, Responder r) {
    auto hosted = ResolveOrRespond(ctx, req, r);
    if (!hosted) return;
    std::string body = "{\"database_identity\":{\"__identity__\":\"" + sats::ToHex0x(hosted->identity().ToU256()) +
                       "\"},\"owner_identity\":{\"__identity__\":\"" + sats::ToHex0x(hosted->owner().ToU256()) +
                       "\"},\"host_type\":{\"Wasm\":[]},\"initial_program\":\"" +
                       sats::ToHex0x(hosted->db().Run([&] { return host::ProgramHash(hosted->db().program()); })) + "\"}";
    r.Send(HttpResponse::Json(200, body));
  }));
  STDB_RETURN_IF_ERROR(router.Add("DELETE", "/v1/database/:noi", [ctx](HttpRequest req, Responder r) {
    auto caller = AuthenticateOrRespond(ctx, req, r);
    if (!caller) return;
    auto hosted = ctx.registry->Resolve(*req.PathParam("noi"));
    if (!hosted.ok()) return r.Send(hosted.error().code() == ErrorCode::kNotFound ? HttpResponse::Empty(200) : ResolveErrorResponse(hosted.error()));
    sats::Identity id = (*hosted)->identity();
    hosted->reset();
    ctx.workers->Submit([ctx, id, caller = *caller, r = std::move(r)]() mutable {
      Status s = ctx.registry->Delete(id, caller.identity);
      r.Send(s.ok() ? HttpResponse::Empty(200) : ErrorResponse(s.error()));
    });
  }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/database/:noi/names", [ctx](HttpRequest req, Responder r) {
    auto hosted = ResolveOrRespond(ctx, req, r);
    if (!hosted) return;
    sats::Json names = sats::Json::Array();
    for (const auto& n : hosted->record().names) names.Push(sats::Json::String(n));
    sats::Json body = sats::Json::Object();
    body.Add("names", std::move(names));
    r.Send(HttpResponse::Json(200, body.Dump()));
  }));
  STDB_RETURN_IF_ERROR(router.Add("POST", "/v1/database/:noi/names", [ctx](HttpRequest req, Responder r) {
    auto caller = AuthenticateOrRespond(ctx, req, r);
    if (!caller) return;
    auto hosted = ResolveOrRespond(ctx, req, r);
    if (!hosted) return;
    std::string name = req.body;
    Status s = ctx.registry->AddName(hosted->identity(), name, caller->identity);
    if (!s.ok()) {
      if (s.error().code() == ErrorCode::kPermissionDenied)
        return r.Send(HttpResponse::Json(401, "{\"PermissionDenied\":{\"domain\":\"" + name + "\"}}"));
      return r.Send(HttpResponse::Text(400, s.error().message()));
    }
    r.Send(HttpResponse::Json(200, "{\"Success\":{\"domain\":\"" + name + "\",\"database_identity\":\"" +
                                       hosted->identity().ToHex() + "\"}}"));
  }));
  STDB_RETURN_IF_ERROR(router.Add("PUT", "/v1/database/:noi/names", [ctx](HttpRequest req, Responder r) {
    auto caller = AuthenticateOrRespond(ctx, req, r);
    if (!caller) return;
    auto hosted = ResolveOrRespond(ctx, req, r);
    if (!hosted) return;
    auto json = sats::Json::Parse(req.body);
    if (!json.ok() || !json->is_array()) return r.Send(HttpResponse::Text(400, "expected a JSON array of names"));
    std::vector<std::string> names;
    for (const auto& n : json->items())
      if (n.is_string()) names.push_back(n.text());
    Status s = ctx.registry->SetNames(hosted->identity(), names, caller->identity);
    if (!s.ok()) {
      if (s.error().code() == ErrorCode::kPermissionDenied)
        return r.Send(HttpResponse::Json(401, "{\"NotYourDatabase\":{\"database\":\"" + hosted->identity().ToHex() + "\"}}"));
      sats::Json body = sats::Json::Object();
      body.Add("OtherError", sats::Json::String(s.error().message()));
      return r.Send(HttpResponse::Json(400, body.Dump()));
    }
    r.Send(HttpResponse::Json(200, "\"Success\""));
  }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/database/:noi/schema", [ctx](HttpRequest req, Responder r) {
    auto hosted = ResolveOrRespond(ctx, req, r);
    if (!hosted) return;
    auto version = req.QueryParam("version");
    if (!version) return r.Send(HttpResponse::Text(400, "missing query parameter `version` (9 or 10)"));
    if (*version != "9" && *version != "10")
      return r.Send(HttpResponse::Text(400, "unsupported schema version `" + std::string(*version) + "`: use 9 or 10"));
    int wanted = *version == "9" ? 9 : 10;
    hosted->db().Post([hosted, wanted, r = std::move(r)]() mutable {
      auto raw = host::DecodeRawModuleDef(hosted->db().described_module());
      if (!raw.ok()) return r.Send(ErrorResponse(raw.error()));
      int has = std::holds_alternative<host::RawModuleDefV10>(*raw) ? 10 : 9;
      if (has != wanted)
        return r.Send(HttpResponse::Text(400, "this module describes itself as RawModuleDefV" + std::to_string(has) +
                                                  "; request /schema?version=" + std::to_string(has)));
      r.Send(HttpResponse::Json(200, host::WriteSchemaJson(*raw)));
    });
  }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/database/:noi/identity", [ctx](HttpRequest req, Responder r) {
    auto hosted = ResolveOrRespond(ctx, req, r);
    if (!hosted) return;
    r.Send(HttpResponse::Text(200, hosted->identity().ToHex()));
  }));
  STDB_RETURN_IF_ERROR(router.Add("POST", "/v1/database/:noi/call/:reducer", [ctx](HttpRequest req, Responder r) {
    CallReducer(ctx, std::move(req), std::move(r));
  }));
  STDB_RETURN_IF_ERROR(router.Add("POST", "/v1/database/:noi/sql", [ctx](HttpRequest req, Responder r) { Sql(ctx, std::move(req), std::move(r)); }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/database/:noi/logs", [ctx](HttpRequest req, Responder r) { Logs(ctx, std::move(req), std::move(r)); }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/database/:noi/unstable/timestamp", [ctx](HttpRequest req, Responder r) {
    auto hosted = ResolveOrRespond(ctx, req, r);
    if (!hosted) return;
    r.Send(HttpResponse::Json(200, "{\"__timestamp_micros_since_unix_epoch__\":" +
                                       std::to_string(sats::Timestamp::Now().micros_since_epoch()) + "}"));
  }));
  for (const char* pattern : {"/v1/database/:noi/route/*path"}) {
    for (const char* method : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
      STDB_RETURN_IF_ERROR(router.Add(method, pattern, [ctx](HttpRequest req, Responder r) {
        auto hosted = ResolveOrRespond(ctx, req, r);
        if (!hosted) return;
        r.Send(HttpResponse::Text(404, "Database has not registered a handler for this route"));
      }));
    }
  }
  return OkStatus();
}

}  // namespace stdb::server
