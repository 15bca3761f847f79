// The /v1/identity routes (spec/client-protocol.md §9.2), /v1/energy (§9.3) and the top-level routes (§9.1).
#include <variant>

#include "sats/json.h"
#include "server/api_context.h"

namespace stdb::server {

namespace {

std::string JsonObject(std::initializer_list<std::pair<std::string, std::string>> string_fields) {
  sats::Json j = sats::Json::Object();
  for (const auto& [k, v] : string_fields) j.Add(k, sats::Json::String(v));
  return j.Dump();
}

}  // namespace

HttpResponse ErrorResponse(const Error& error) {
  int status = 500;
  switch (error.code()) {
    case ErrorCode::kInvalidArgument: case ErrorCode::kDecode: case ErrorCode::kConstraint: status = 400; break;
    case ErrorCode::kNotFound: case ErrorCode::kNoSuchTable: status = 404; break;
    case ErrorCode::kPermissionDenied: status = 403; break;
    case ErrorCode::kAlreadyExists: status = 409; break;
    case ErrorCode::kUnsupported: status = 501; break;
    case ErrorCode::kResourceExhausted: status = 503; break;
    default: status = 500;
  }
  return HttpResponse::Text(status, error.message());
}

HttpResponse ResolveErrorResponse(const Error& error) {
  return HttpResponse::Text(error.code() == ErrorCode::kNotFound ? 404 : 400, error.message());
}

Status RegisterIdentityRoutes(Router& router, const ApiContext& ctx) {
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/ping", [ctx](HttpRequest req, Responder r) {
    if (req.Header("authorization") || req.QueryParam("token")) {
      auto caller = ctx.auth->Authenticate(req, false);
      if (auto* f = std::get_if<AuthFailure>(&caller)) return r.Send(HttpResponse::Text(f->status, f->message));
    }
    r.Send(HttpResponse::Empty(200));
  }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/health", [](HttpRequest, Responder r) {
    r.Send(HttpResponse::Json(200, R"({"package_name":"spacetimedb-cpp","version":"0.1.0","nodes":[0],"schedulable":true})"));
  }));
  STDB_RETURN_IF_ERROR(router.Add("POST", "/v1/identity", [ctx](HttpRequest, Responder r) {
    auto issued = ctx.auth->issuer().MintAnonymous();
    if (!issued.ok()) return r.Send(ErrorResponse(issued.error()));
    r.Send(HttpResponse::Json(200, JsonObject({{"identity", issued->claims.identity.ToHex()}, {"token", issued->token}})));
  }));
  STDB_RETURN_IF_ERROR(router.Add("POST", "/v1/identity/websocket-token", [ctx](HttpRequest req, Responder r) {
    auto caller = ctx.auth->Authenticate(req, false);
    if (auto* f = std::get_if<AuthFailure>(&caller)) return r.Send(HttpResponse::Text(f->status, f->message));
    auto issued = ctx.auth->issuer().ReissueShortLived(std::get<Caller>(caller).claims);
    if (!issued.ok()) return r.Send(ErrorResponse(issued.error()));
    r.Send(HttpResponse::Json(200, JsonObject({{"token", issued->token}})));
  }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/identity/public-key", [ctx](HttpRequest, Responder r) {
    HttpResponse resp = HttpResponse::Text(200, ctx.auth->public_key_pem());
    resp.headers.Set("Content-Type", "application/pem-certificate-chain");
    r.Send(std::move(resp));
  }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/identity/:identity/verify", [ctx](HttpRequest req, Responder r) {
    auto id = sats::Identity::FromHex(*req.PathParam("identity"));
    if (!id) return r.Send(HttpResponse::Text(400, "invalid identity: expected 64 hex digits"));
    auto caller = ctx.auth->Authenticate(req, false);
    if (auto* f = std::get_if<AuthFailure>(&caller)) return r.Send(HttpResponse::Text(f->status, f->message));
    r.Send(HttpResponse::Empty(std::get<Caller>(caller).identity == *id ? 204 : 400));
  }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/identity/:identity/databases", [ctx](HttpRequest req, Responder r) {
    auto id = sats::Identity::FromHex(*req.PathParam("identity"));
    if (!id) return r.Send(HttpResponse::Text(400, "invalid identity: expected 64 hex digits"));
    sats::Json list = sats::Json::Array();
    for (const auto& db : ctx.registry->OwnedBy(*id)) list.Push(sats::Json::String(db.ToHex()));
    sats::Json body = sats::Json::Object();
    body.Add("identities", std::move(list));
    r.Send(HttpResponse::Json(200, body.Dump()));
  }));
  STDB_RETURN_IF_ERROR(router.Add("GET", "/v1/energy/:identity", [](HttpRequest, Responder r) {
    r.Send(HttpResponse::Json(200, R"({"balance":"0"})"));
  }));
  return OkStatus();
}

}  // namespace stdb::server
