#include "auth/jwt.h"

#include <set>

#include "auth/base64url.h"

namespace stdb::auth {
namespace {

constexpr std::string_view kEs256 = "ES256";
constexpr int kMaxJsonDepth = 64;

Result<sats::Json> ParseSegmentObject(std::string_view segment_b64, std::string_view what, std::string* text_out) {
  auto text = Base64UrlDecodeToString(segment_b64);
  if (!text.ok()) return std::move(text).error().Prefix("malformed JWT " + std::string(what));
  auto json = sats::Json::Parse(*text, kMaxJsonDepth);
  if (!json.ok()) return std::move(json).error().Prefix("JWT " + std::string(what) + " is not valid JSON");
  if (!json->is_object()) {
    return Error(ErrorCode::kDecode,
                 "JWT " + std::string(what) + " must be a JSON object, got " + std::string(json->KindName()));
  }
  std::set<std::string_view> seen;
  for (const auto& [name, value] : json->members()) {
    if (!seen.insert(name).second) {
      return Error(ErrorCode::kDecode, "JWT " + std::string(what) + " has member \"" + name + "\" more than once");
    }
  }
  if (text_out != nullptr) *text_out = std::move(*text);
  return std::move(json).value();
}

}  // namespace

Result<DecodedJwt> DecodeJwt(std::string_view token) {
  if (token.empty()) return Error(ErrorCode::kDecode, "empty token");
  if (token.size() > kMaxJwtLength) {
    return Error(ErrorCode::kDecode, "token is " + std::to_string(token.size()) + " bytes, more than the limit of " +
                                         std::to_string(kMaxJwtLength));
  }
  size_t first_dot = token.find('.');
  size_t second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
    return Error(ErrorCode::kDecode, "a JWT has exactly three dot-separated segments (header.payload.signature)");
  }
  std::string_view header_b64 = token.substr(0, first_dot);
  std::string_view payload_b64 = token.substr(first_dot + 1, second_dot - first_dot - 1);
  std::string_view signature_b64 = token.substr(second_dot + 1);

  DecodedJwt jwt;
  STDB_ASSIGN_OR_RETURN(jwt.header, ParseSegmentObject(header_b64, "header", nullptr));
  const sats::Json* alg = jwt.header.Find("alg");
  if (alg == nullptr) return Error(ErrorCode::kDecode, "JWT header has no \"alg\"");
  if (!alg->is_string()) return Error(ErrorCode::kDecode, "JWT header \"alg\" must be a string");
  jwt.algorithm = alg->text();
  STDB_ASSIGN_OR_RETURN(jwt.payload, ParseSegmentObject(payload_b64, "payload", &jwt.payload_json));
  auto signature = Base64UrlDecode(signature_b64);
  if (!signature.ok()) return std::move(signature).error().Prefix("malformed JWT signature");
  jwt.signature = std::move(signature).value();
  jwt.signing_input = std::string(token.substr(0, second_dot));
  return jwt;
}

Result<DecodedJwt> VerifyEs256Jwt(std::string_view token, const Es256PublicKey& key) {
  STDB_ASSIGN_OR_RETURN(DecodedJwt jwt, DecodeJwt(token));
  if (jwt.algorithm != kEs256) {
    std::string why = jwt.algorithm == "none" ? " (unsigned tokens are never accepted)" : "";
    return Error(ErrorCode::kPermissionDenied,
                 "JWT algorithm \"" + jwt.algorithm + "\" is not accepted, only ES256" + why);
  }
  if (jwt.signature.size() != kEs256SignatureLen) {
    return Error(ErrorCode::kDecode, "an ES256 JWT signature is 64 bytes, this one is " +
                                         std::to_string(jwt.signature.size()));
  }
  Status verified = key.Verify(jwt.signing_input, jwt.signature);
  if (!verified.ok()) return std::move(verified).error().Prefix("JWT signature check failed");
  return jwt;
}

Result<std::string> SignEs256Jwt(const sats::Json& payload, const Es256KeyPair& key) {
  if (!payload.is_object()) return Error(ErrorCode::kInvalidArgument, "a JWT payload must be a JSON object");
  std::string token = Base64UrlEncode(std::string_view(R"({"typ":"JWT","alg":"ES256"})"));
  token.push_back('.');
  token += Base64UrlEncode(payload.Dump());
  STDB_ASSIGN_OR_RETURN(Es256Signature signature, key.Sign(token));
  token.push_back('.');
  token += Base64UrlEncode(signature);
  return token;
}

}  // namespace stdb::auth
