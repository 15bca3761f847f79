#include "host/identifier.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdio>

namespace stdb::host {
namespace {

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

std::string Quote(std::string_view name) { return "`" + std::string(name) + "`"; }

std::string CodePointText(UChar32 c) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
  std::string out = "'";
  if (c >= 0x20 && c != 0x7f) {
    icu::UnicodeString u(c);
    u.toUTF8String(out);
  }
  return out + "' (" + hex + ")";
}

Error InvalidStart(std::string_view name, UChar32 c) {
  return Error(ErrorCode::kInvalidArgument,
               "identifier " + Quote(name) + " starts with " + CodePointText(c) +
                   ", which is neither `_` nor a Unicode XID_Start character");
}

Error InvalidContinue(std::string_view name, UChar32 c) {
  return Error(ErrorCode::kInvalidArgument, "identifier " + Quote(name) + " contains " + CodePointText(c) +
                                                ", which is not a Unicode XID_Continue character");
}

Status ValidateAsciiCharacters(std::string_view name) {
  if (!IsAsciiLetter(name[0]) && name[0] != '_') return InvalidStart(name, static_cast<unsigned char>(name[0]));
  for (char c : name.substr(1))
    if (!IsAsciiLetter(c) && !IsAsciiDigit(c) && c != '_') return InvalidContinue(name, static_cast<unsigned char>(c));
  return OkStatus();
}

Status ValidateUnicodeCharacters(std::string_view name) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), int32_t(name.size())));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status))
    return Error(ErrorCode::kInternal, std::string("Unicode normalization data unavailable: ") + u_errorName(status));
  bool normalized = nfc->isNormalized(text, status);
  if (U_FAILURE(status))
    return Error(ErrorCode::kInternal, std::string("Unicode normalization check failed: ") + u_errorName(status));
  if (!normalized)
    return Error(ErrorCode::kInvalidArgument,
                 "identifier " + Quote(name) +
                     " is not in Unicode Normalization Form C (UAX #15); write it in its composed form");

  int32_t i = 0;
  const int32_t length = int32_t(name.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(name.data());
  bool first = true;
  while (i < length) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return Error(ErrorCode::kInvalidArgument, "identifier " + Quote(name) + " is not valid UTF-8");
    if (first) {
      if (c != '_' && !u_hasBinaryProperty(c, UCHAR_XID_START)) return InvalidStart(name, c);
      first = false;
    } else if (!u_hasBinaryProperty(c, UCHAR_XID_CONTINUE)) {
      return InvalidContinue(name, c);
    }
  }
  return OkStatus();
}

}  // namespace

bool IsReservedIdentifier(std::string_view name, std::span<const std::string_view> reserved_words) {
  if (reserved_words.empty()) return false;
  std::string upper;
  if (IsAscii(name)) {
    upper.assign(name);
    for (char& c : upper)
      if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  } else {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), int32_t(name.size())));
    u.toUpper(icu::Locale::getRoot()).toUTF8String(upper);
  }
  return std::find(reserved_words.begin(), reserved_words.end(), upper) != reserved_words.end();
}

Status ValidateIdentifier(std::string_view name, std::span<const std::string_view> reserved_words) {
  if (name.empty()) return Error(ErrorCode::kInvalidArgument, "empty identifiers are not allowed");
  STDB_RETURN_IF_ERROR(IsAscii(name) ? ValidateAsciiCharacters(name) : ValidateUnicodeCharacters(name));
  if (IsReservedIdentifier(name, reserved_words))
    return Error(ErrorCode::kInvalidArgument, "identifier " + Quote(name) + " is a reserved word");
  return OkStatus();
}

}  // namespace stdb::host
