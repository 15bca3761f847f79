#include "cli/http_url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace stdb::cli {

namespace {

Error BadUrl(std::string_view text, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument,
               "invalid URL '" + std::string(text) + "': " + why + " (expected e.g. http://127.0.0.1:3000)");
}

}  // namespace

Result<HttpUrl> HttpUrl::Parse(std::string_view text) {
  HttpUrl url;
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return BadUrl(text, "no scheme");
  url.scheme = std::string(text.substr(0, scheme_end));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (url.scheme != "http" && url.scheme != "https" && url.scheme != "ws" && url.scheme != "wss")
    return BadUrl(text, "the scheme must be http or https");
  std::string_view rest = text.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.empty()) return BadUrl(text, "no host");
  if (authority.find('@') != std::string_view::npos) return BadUrl(text, "user names in URLs are not supported");
  std::string_view port_text;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl(text, "unterminated IPv6 address");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return BadUrl(text, "unexpected text after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return BadUrl(text, "no host");
  url.port = url.secure() ? 443 : 80;
  if (authority.back() == ':') return BadUrl(text, "empty port");
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 || value > 65535)
      return BadUrl(text, "the port must be a number from 1 to 65535");
    url.port = static_cast<uint16_t>(value);
  }
  if (target.find('#') != std::string_view::npos) target = target.substr(0, target.find('#'));
  if (target.empty()) {
    url.target = "/";
  } else if (target.front() == '?') {
    url.target = "/" + std::string(target);
  } else {
    url.target = std::string(target);
  }
  return url;
}

std::string HttpUrl::Authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!default_port()) out += ":" + std::to_string(port);
  return out;
}

std::string HttpUrl::Origin() const { return scheme + "://" + Authority(); }

std::string PercentEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace stdb::cli
