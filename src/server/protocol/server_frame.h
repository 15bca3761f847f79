// Server -> client binary frames (spec/client-protocol.md §3), used by v1.bsatn, v2 and v3:
//
//   byte 0   compression tag: 0 none, 1 brotli, 2 gzip (a normal gzip stream with its header)
//   rest     the body: one BSATN ServerMessage (v1.bsatn, v2) or several v2 messages back to back (v3),
//            compressed as the tag says
//
// The server compresses only bodies longer than 1024 bytes, with the algorithm the client asked for
// (`compression` query parameter); always sending tag 0 is also valid. Client -> server messages have no tag.
// v1.json frames are text and never carry a tag.
//
// To avoid shifting the body, a frame is built in place: BeginServerFrame() writes a placeholder tag, the
// encoder appends the body, FinishServerFrame() either leaves it (tag 0) or replaces it by tag + compressed body:
//
//   sats::Bytes frame;
//   BeginServerFrame(frame);
//   v2::EncodeServerMessage(message, frame);
//   STDB_RETURN_IF_ERROR(FinishServerFrame(frame, client_compression, compressor));
//
// The compression codec is injected (CompressFn), so this file stays free of zlib/brotli; the server passes one
// backed by server/compression.h.
//
// Thread-safety: reentrant functions; the CompressFn must be callable from the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "sats/bsatn.h"
#include "sats/result.h"

namespace stdb::server::protocol {

// The client's choice and, for the compressed ones, the frame tag.
enum class Compression : uint8_t { kNone = 0, kBrotli = 1, kGzip = 2 };

// Bodies longer than this are compressed (when the client asked for compression).
inline constexpr size_t kCompressionThreshold = 1024;

// Appends the `algorithm` (kBrotli or kGzip) compression of `input` to `out`.
using CompressFn = std::function<Status(Compression algorithm, sats::ByteSpan input, sats::Bytes& out)>;
// Appends the `algorithm` decompression of `input` to `out` (clients and tests).
using DecompressFn = std::function<Status(Compression algorithm, sats::ByteSpan input, sats::Bytes& out)>;

// "None", "Brotli", "Gzip" (the query parameter spelling).
std::string_view CompressionName(Compression c);

// Makes `frame` hold just the placeholder tag byte; append the body after it.
void BeginServerFrame(sats::Bytes& frame);

// Completes a frame begun by BeginServerFrame. If `algorithm` is not kNone and the body is longer than
// kCompressionThreshold, `frame` is replaced by the algorithm's tag and the compressed body; otherwise the tag
// stays 0. Fails if the frame was not begun, or if compression is needed and `compress` is empty or fails.
Status FinishServerFrame(sats::Bytes& frame, Compression algorithm, const CompressFn& compress);

// A complete frame for an already encoded `body` (copies it).
Result<sats::Bytes> MakeServerFrame(sats::ByteSpan body, Compression algorithm, const CompressFn& compress);

// Client side: the body of a frame, decompressed if its tag says so. Empty frames and unknown tags are errors;
// `decompress` may be empty if only uncompressed frames are expected.
Result<sats::Bytes> ReadServerFrame(sats::ByteSpan frame, const DecompressFn& decompress);

}  // namespace stdb::server::protocol
