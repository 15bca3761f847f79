#include "server/url.h"

#include "sats/utf8.h"

namespace stdb::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

Result<RequestTarget> SplitRequestTarget(std::string_view target) {
  if (target == "*") return RequestTarget{target, {}};
  std::string_view rest = target;
  if (!rest.empty() && rest.front() != '/') {
    // Absolute form: scheme "://" authority path-abempty [ "?" query ].
    size_t scheme_end = rest.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0)
      return Error(ErrorCode::kInvalidArgument, "invalid request target");
    rest.remove_prefix(scheme_end + 3);
    size_t path_start = rest.find_first_of("/?");
    if (path_start == std::string_view::npos) return RequestTarget{"/", {}};
    rest.remove_prefix(path_start);
    if (rest.front() == '?') return RequestTarget{"/", rest.substr(1)};
  }
  if (rest.empty()) return Error(ErrorCode::kInvalidArgument, "empty request target");
  size_t question = rest.find('?');
  if (question == std::string_view::npos) return RequestTarget{rest, {}};
  return RequestTarget{rest.substr(0, question), rest.substr(question + 1)};
}

Result<std::string> PercentDecode(std::string_view encoded, bool plus_as_space) {
  std::string decoded;
  decoded.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    char c = encoded[i];
    if (c == '%' && i + 2 < encoded.size()) {
      int hi = HexValue(encoded[i + 1]);
      int lo = HexValue(encoded[i + 2]);
      if (hi >= 0 && lo >= 0) {
        decoded.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    decoded.push_back(plus_as_space && c == '+' ? ' ' : c);
  }
  if (!sats::IsValidUtf8(decoded))
    return Error(ErrorCode::kInvalidArgument, "percent-decoded text is not valid UTF-8");
  return decoded;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseQueryString(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::string_view name = piece.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    STDB_ASSIGN_OR_RETURN(std::string decoded_name, PercentDecode(name, /*plus_as_space=*/true));
    STDB_ASSIGN_OR_RETURN(std::string decoded_value, PercentDecode(value, /*plus_as_space=*/true));
    pairs.emplace_back(std::move(decoded_name), std::move(decoded_value));
  }
  return pairs;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (unsigned char c : text) {
    if (IsUnreserved(c)) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0xF]);
    }
  }
  return encoded;
}

}  // namespace stdb::server
