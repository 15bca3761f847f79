// Small BSATN helpers shared by the protocol message codecs (internal to src/server/protocol).
//
// Thread-safety: reentrant functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::server::protocol::wire {

// A decode error for `context` ("v2 ClientMessage::Subscribe") from the reader's first failure.
inline Error ReaderError(std::string_view context, const sats::bsatn::Reader& r) {
  return Error(ErrorCode::kDecode, std::string(context) + ": " + r.error_message());
}

// The error for an unknown sum tag.
inline Error UnknownTag(std::string_view type, uint8_t tag, size_t offset, std::string_view expected) {
  return Error(ErrorCode::kDecode, std::string(type) + ": unknown tag " + std::to_string(tag) + " at offset " +
                                       std::to_string(offset) + " (expected " + std::string(expected) + ")");
}

// The error for bytes left after a complete message.
inline Error TrailingBytes(std::string_view type, size_t remaining, size_t offset) {
  return Error(ErrorCode::kDecode, std::string(type) + ": " + std::to_string(remaining) +
                                       " trailing bytes after the message at offset " + std::to_string(offset));
}

inline void WriteStringArray(sats::bsatn::Writer& w, const std::vector<std::string>& v) {
  w.U32(static_cast<uint32_t>(v.size()));
  for (const auto& s : v) w.String(s);
}

inline std::vector<std::string> ReadStringArray(sats::bsatn::Reader& r, const char* what) {
  std::vector<std::string> out;
  uint32_t n = r.ArrayLength(4, what);
  out.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) out.push_back(r.String());
  return out;
}

inline sats::Bytes ReadBytes(sats::bsatn::Reader& r) {
  sats::ByteSpan b = r.ByteArray();
  return sats::Bytes(b.begin(), b.end());
}

// Option<T>: tag 0 some, tag 1 none.
inline void WriteOptionU32(sats::bsatn::Writer& w, const std::optional<uint32_t>& v) {
  if (v) {
    w.U8(0);
    w.U32(*v);
  } else {
    w.U8(1);
  }
}

// Reads an Option tag; returns true for some. Fails the reader on other tags.
inline bool ReadOptionTag(sats::bsatn::Reader& r, const char* what) {
  size_t at = r.offset();
  uint8_t tag = r.U8();
  if (tag > 1)
    r.Fail(std::string("invalid Option tag ") + std::to_string(tag) + " for " + what + " at offset " +
           std::to_string(at));
  return r.ok() && tag == 0;
}

inline std::optional<uint32_t> ReadOptionU32(sats::bsatn::Reader& r, const char* what) {
  if (!ReadOptionTag(r, what)) return std::nullopt;
  uint32_t v = r.U32();
  return v;
}

inline size_t StringSize(std::string_view s) { return 4 + s.size(); }

}  // namespace stdb::server::protocol::wire
