// Router: dispatches a request to the handler registered for its method and path.
//
// A pattern is "/" followed by segments separated by "/", each one of
//   literal      matches itself                       /v1/identity
//   :name        matches one non-empty segment         /v1/database/:name_or_identity/call/:reducer
//   *name        last only: matches the rest, possibly  /v1/database/:noi/route/*path
//                empty ("/route" and "/route/" too), without its leading "/"
// Matching is done on percent-decoded segments, split before decoding, so "a%2Fb" is one segment "a/b".
// A literal beats a parameter, which beats a wildcard; the first route in that order that has a handler for
// the method wins. Captured values land in HttpRequest::path_params. HEAD requests use the GET handler when
// no HEAD handler exists (the server sends no body).
//
// Answers it gives itself (plain text): 404 when no pattern matches the path, 405 with an Allow header when
// patterns match but none for this method, 400 when the path does not decode to UTF-8.
//
// CORS (spec/client-protocol.md §9): for paths under cors_prefix ("/v1"), every response carries
// "Access-Control-Allow-Origin: *", and any OPTIONS request is answered as a preflight (200, any method,
// headers Authorization, Accept and Content-Type allowed) before routing, as the reference's CORS layer does.
//
// Thread-safety: Add is not thread-safe and must finish before serving starts; Handle may then be called from
// any number of threads at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sats/result.h"
#include "server/http_types.h"
#include "server/responder.h"

namespace stdb::server {

using RouteHandler = std::function<void(HttpRequest request, Responder responder)>;

namespace detail {
struct RouteNode;
}

struct RouterOptions {
  std::string cors_prefix = "/v1";  // empty: no CORS handling
};

class Router {
 public:
  explicit Router(RouterOptions options = {});
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Errors (kInvalidArgument): a malformed pattern, a wildcard that is not last, a parameter whose name
  // differs from another pattern's at the same position, or a method+pattern registered twice.
  Status Add(std::string method, std::string_view pattern, RouteHandler handler);

  // Routes one request; usable as the server's RequestHandler.
  void Handle(HttpRequest request, Responder responder) const;

 private:
  RouterOptions options_;
  std::unique_ptr<detail::RouteNode> root_;
};

}  // namespace stdb::server
