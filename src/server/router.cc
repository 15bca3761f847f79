#include "server/router.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "server/url.h"

namespace stdb::server {

namespace detail {

struct RouteNode {
  std::map<std::string, std::unique_ptr<RouteNode>, std::less<>> literals;
  std::string param_name;
  std::unique_ptr<RouteNode> param;  // ":name" child
  std::string wildcard_name;
  std::map<std::string, RouteHandler> wildcard_handlers;  // "*name" child, by method
  std::map<std::string, RouteHandler> handlers;           // routes ending at this node, by method
};

}  // namespace detail

using detail::RouteNode;

namespace {

constexpr std::string_view kAllowedCorsHeaders = "authorization,accept,content-type";
constexpr std::string_view kCorsVary =
    "origin, access-control-request-method, access-control-request-headers";

// A route whose pattern matched the path, in precedence order.
struct Candidate {
  const std::map<std::string, RouteHandler>* handlers;
  std::vector<std::pair<std::string, std::string>> params;
};

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  if (path.empty()) return segments;
  for (;;) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

std::string JoinRest(const std::vector<std::string>& segments, size_t from) {
  std::string rest;
  for (size_t i = from; i < segments.size(); ++i) {
    if (i > from) rest += '/';
    rest += segments[i];
  }
  return rest;
}

void CollectCandidates(const RouteNode& node, const std::vector<std::string>& segments, size_t index,
                       std::vector<std::pair<std::string, std::string>>& params,
                       std::vector<Candidate>& out) {
  if (index == segments.size() && !node.handlers.empty()) out.push_back({&node.handlers, params});
  if (index < segments.size()) {
    const std::string& segment = segments[index];
    if (auto it = node.literals.find(segment); it != node.literals.end())
      CollectCandidates(*it->second, segments, index + 1, params, out);
    if (node.param && !segment.empty()) {
      params.emplace_back(node.param_name, segment);
      CollectCandidates(*node.param, segments, index + 1, params, out);
      params.pop_back();
    }
  }
  if (!node.wildcard_handlers.empty()) {
    auto with_rest = params;
    with_rest.emplace_back(node.wildcard_name, JoinRest(segments, index));
    out.push_back({&node.wildcard_handlers, std::move(with_rest)});
  }
}

}  // namespace

Router::Router(RouterOptions options) : options_(std::move(options)), root_(std::make_unique<RouteNode>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Status Router::Add(std::string method, std::string_view pattern, RouteHandler handler) {
  auto fail = [&](const std::string& why) {
    return Error(ErrorCode::kInvalidArgument, "route pattern \"" + std::string(pattern) + "\": " + why);
  };
  if (method.empty()) return fail("empty method");
  if (!handler) return fail("no handler");
  if (pattern.empty() || pattern.front() != '/') return fail("must start with '/'");
  std::vector<std::string_view> segments = SplitPath(pattern);
  RouteNode* node = root_.get();
  for (size_t i = 0; i < segments.size(); ++i) {
    std::string_view segment = segments[i];
    if (segment.empty()) return fail("empty segment");
    if (segment.front() == ':') {
      std::string_view name = segment.substr(1);
      if (!IsValidName(name)) return fail("invalid parameter name");
      if (!node->param) {
        node->param = std::make_unique<RouteNode>();
        node->param_name = std::string(name);
      } else if (node->param_name != name) {
        return fail("parameter :" + std::string(name) + " conflicts with :" + node->param_name);
      }
      node = node->param.get();
    } else if (segment.front() == '*') {
      std::string_view name = segment.substr(1);
      if (!IsValidName(name)) return fail("invalid wildcard name");
      if (i + 1 != segments.size()) return fail("a wildcard must be the last segment");
      if (!node->wildcard_handlers.empty() && node->wildcard_name != name)
        return fail("wildcard *" + std::string(name) + " conflicts with *" + node->wildcard_name);
      node->wildcard_name = std::string(name);
      if (!node->wildcard_handlers.emplace(method, std::move(handler)).second)
        return fail(method + " registered twice");
      return OkStatus();
    } else {
      auto it = node->literals.find(segment);
      if (it == node->literals.end())
        it = node->literals.emplace(std::string(segment), std::make_unique<RouteNode>()).first;
      node = it->second.get();
    }
  }
  if (!node->handlers.emplace(method, std::move(handler)).second) return fail(method + " registered twice");
  return OkStatus();
}

void Router::Handle(HttpRequest request, Responder responder) const {
  const std::string& prefix = options_.cors_prefix;
  bool cors = !prefix.empty() && request.path.compare(0, prefix.size(), prefix) == 0 &&
              (request.path.size() == prefix.size() || request.path[prefix.size()] == '/');
  if (cors) {
    if (request.method == "OPTIONS") {
      HttpResponse preflight = HttpResponse::Empty(200);
      preflight.headers.Add("Access-Control-Allow-Origin", "*");
      preflight.headers.Add("Access-Control-Allow-Methods", "*");
      preflight.headers.Add("Access-Control-Allow-Headers", std::string(kAllowedCorsHeaders));
      preflight.headers.Add("Vary", std::string(kCorsVary));
      responder.Send(std::move(preflight));
      return;
    }
    responder.AddResponseHeader("Access-Control-Allow-Origin", "*");
    responder.AddResponseHeader("Vary", std::string(kCorsVary));
  }

  std::vector<std::string> segments;
  for (std::string_view raw : SplitPath(request.raw_path)) {
    auto decoded = PercentDecode(raw);
    if (!decoded.ok()) {
      responder.Send(HttpResponse::Text(400, "Invalid URL: " + decoded.error().message()));
      return;
    }
    segments.push_back(std::move(decoded).value());
  }
  std::vector<Candidate> candidates;
  std::vector<std::pair<std::string, std::string>> params;
  CollectCandidates(*root_, segments, 0, params, candidates);
  if (candidates.empty()) {
    responder.Send(HttpResponse::Text(404, "Not Found"));
    return;
  }
  auto find = [&](const std::string& method) -> Candidate* {
    for (Candidate& candidate : candidates)
      if (candidate.handlers->count(method)) return &candidate;
    return nullptr;
  };
  const std::string* method = &request.method;
  static const std::string kGet = "GET";
  Candidate* match = find(*method);
  if (match == nullptr && request.method == "HEAD") {
    match = find(kGet);
    method = &kGet;
  }
  if (match == nullptr) {
    std::set<std::string> allowed;
    for (const Candidate& candidate : candidates)
      for (const auto& [m, h] : *candidate.handlers) allowed.insert(m);
    if (allowed.count("GET")) allowed.insert("HEAD");
    std::string allow;
    for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    responder.Send(HttpResponse::Text(405, "Method Not Allowed").WithHeader("Allow", std::move(allow)));
    return;
  }
  request.path_params = std::move(match->params);
  const RouteHandler& handler = match->handlers->at(*method);
  handler(std::move(request), std::move(responder));
}

}  // namespace stdb::server
