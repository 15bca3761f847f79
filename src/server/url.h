// Request targets and percent-encoding (RFC 3986 §2.1, §3; query strings as
// application/x-www-form-urlencoded).
//
// Decoding is lenient about malformed escapes ("%zz" and a trailing "%4" stay as written, as browsers and the
// Rust url crate do) but strict about the result: a decoded path segment or query component must be valid
// UTF-8, because route handlers treat them as text (the reference answers such requests with 400 as well).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sats/result.h"

namespace stdb::server {

struct RequestTarget {
  std::string_view raw_path;   // still percent-encoded; "*" for the asterisk form
  std::string_view raw_query;  // without the '?'; empty if none
};

// Splits a request target. Accepts the origin form ("/a/b?c=d"), the absolute form ("http://host/a?c", which
// proxies send) and the asterisk form ("*", OPTIONS only). Error (kInvalidArgument) for anything else.
Result<RequestTarget> SplitRequestTarget(std::string_view target);

// Decodes %XX escapes; with plus_as_space, '+' becomes a space (query strings). Error if the decoded bytes
// are not valid UTF-8.
Result<std::string> PercentDecode(std::string_view encoded, bool plus_as_space = false);

// Parses "a=1&b=two+words&c" into decoded pairs in order ({"c", ""} for a bare name); empty pieces between
// '&'s are skipped.
Result<std::vector<std::pair<std::string, std::string>>> ParseQueryString(std::string_view query);

// Encodes every byte except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), for building targets.
std::string PercentEncode(std::string_view text);

}  // namespace stdb::server
