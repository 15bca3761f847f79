#include "auth/claims.h"

#include <charconv>

#include "auth/identity.h"

namespace stdb::auth {
namespace {

Error ClaimError(std::string message) { return Error(ErrorCode::kPermissionDenied, std::move(message)); }

Result<std::string> RequiredName(const sats::Json& payload, std::string_view claim) {
  const sats::Json* value = payload.Find(claim);
  if (value == nullptr) return ClaimError("missing required claim \"" + std::string(claim) + "\"");
  if (!value->is_string()) {
    return ClaimError("claim \"" + std::string(claim) + "\" must be a string, got " + std::string(value->KindName()));
  }
  const std::string& text = value->text();
  if (text.empty()) return ClaimError("claim \"" + std::string(claim) + "\" is empty");
  if (text.size() > kMaxIssuerOrSubjectLen) {
    return ClaimError("claim \"" + std::string(claim) + "\" is " + std::to_string(text.size()) +
                      " bytes, more than the limit of " + std::to_string(kMaxIssuerOrSubjectLen));
  }
  return text;
}

// NumericDate as the reference reads it: a JSON integer that fits in i64 (no fraction, no exponent).
Result<int64_t> Seconds(const sats::Json& value, std::string_view claim) {
  if (!value.is_number()) {
    return ClaimError("claim \"" + std::string(claim) + "\" must be an integer number of seconds, got " +
                      std::string(value.KindName()));
  }
  const std::string& text = value.text();
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return ClaimError("claim \"" + std::string(claim) + "\" must be an integer number of seconds, got " + text);
  }
  return seconds;
}

Result<std::vector<std::string>> Audience(const sats::Json* value) {
  std::vector<std::string> audience;
  if (value == nullptr) return audience;
  if (value->is_string()) {
    audience.push_back(value->text());
    return audience;
  }
  if (!value->is_array()) return ClaimError("claim \"aud\" must be a string or an array of strings");
  for (const sats::Json& item : value->items()) {
    if (!item.is_string()) return ClaimError("claim \"aud\" must be a string or an array of strings");
    audience.push_back(item.text());
  }
  return audience;
}

// hex_identity as the reference accepts it: 64 hex digits (big-endian, no prefix) or an array of 32 bytes.
Result<std::optional<sats::Identity>> TokenIdentity(const sats::Json* value) {
  if (value == nullptr || value->is_null()) return std::optional<sats::Identity>();
  uint8_t be[32];
  if (value->is_string()) {
    if (value->text().size() != 64 || !sats::ParseHexBytes(value->text(), be, 32)) {
      return ClaimError("claim \"hex_identity\" must be 64 hex digits");
    }
  } else if (value->is_array() && value->items().size() == 32) {
    for (size_t i = 0; i < 32; ++i) {
      const sats::Json& item = value->items()[i];
      unsigned byte = 256;
      if (item.is_number()) {
        const std::string& t = item.text();
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), byte);
        if (ec != std::errc() || end != t.data() + t.size()) byte = 256;
      }
      if (byte > 255) return ClaimError("claim \"hex_identity\" array must hold 32 integers 0..255");
      be[i] = uint8_t(byte);
    }
  } else {
    return ClaimError("claim \"hex_identity\" must be 64 hex digits");
  }
  return std::optional<sats::Identity>(sats::Identity::FromBigEndian(be));
}

bool IsKnownClaim(std::string_view name) {
  return name == "hex_identity" || name == "sub" || name == "iss" || name == "aud" || name == "iat" ||
         name == "exp";
}

}  // namespace

Result<IdentityClaims> ClaimsFromPayload(const sats::Json& payload) {
  if (!payload.is_object()) return ClaimError("token payload must be a JSON object");
  IdentityClaims claims;
  STDB_ASSIGN_OR_RETURN(claims.issuer, RequiredName(payload, "iss"));
  STDB_ASSIGN_OR_RETURN(claims.subject, RequiredName(payload, "sub"));

  const sats::Json* iat = payload.Find("iat");
  if (iat == nullptr) return ClaimError("missing required claim \"iat\"");
  STDB_ASSIGN_OR_RETURN(claims.issued_at, Seconds(*iat, "iat"));

  const sats::Json* exp = payload.Find("exp");
  if (exp != nullptr && !exp->is_null()) {
    STDB_ASSIGN_OR_RETURN(int64_t expires_at, Seconds(*exp, "exp"));
    claims.expires_at = expires_at;
  }

  STDB_ASSIGN_OR_RETURN(claims.audience, Audience(payload.Find("aud")));

  claims.identity = IdentityFromClaims(claims.issuer, claims.subject);
  STDB_ASSIGN_OR_RETURN(std::optional<sats::Identity> token_identity, TokenIdentity(payload.Find("hex_identity")));
  if (token_identity.has_value() && *token_identity != claims.identity) {
    return ClaimError("claim \"hex_identity\" " + token_identity->ToHex() +
                      " does not match the identity derived from iss and sub, " + claims.identity.ToHex());
  }

  for (const auto& [name, value] : payload.members()) {
    if (!IsKnownClaim(name)) claims.extra.emplace_back(name, value);
  }
  return claims;
}

sats::Json IdentityClaims::ToJson() const {
  sats::Json payload = sats::Json::Object();
  payload.Add("hex_identity", sats::Json::String(identity.ToHex()));
  payload.Add("sub", sats::Json::String(subject));
  payload.Add("iss", sats::Json::String(issuer));
  std::vector<sats::Json> aud;
  for (const std::string& a : audience) aud.push_back(sats::Json::String(a));
  payload.Add("aud", sats::Json::Array(std::move(aud)));
  payload.Add("iat", sats::Json::Number(issued_at));
  payload.Add("exp", expires_at ? sats::Json::Number(*expires_at) : sats::Json::Null());
  for (const auto& [name, value] : extra) {
    if (!IsKnownClaim(name)) payload.Add(name, value);
  }
  return payload;
}

}  // namespace stdb::auth
