#include "server/protocol/server_frame.h"

#include <string>

namespace stdb::server::protocol {

using sats::ByteSpan;
using sats::Bytes;

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "None";
    case Compression::kBrotli: return "Brotli";
    case Compression::kGzip: return "Gzip";
  }
  return "?";
}

void BeginServerFrame(Bytes& frame) {
  frame.clear();
  frame.push_back(static_cast<uint8_t>(Compression::kNone));
}

Status FinishServerFrame(Bytes& frame, Compression algorithm, const CompressFn& compress) {
  if (frame.empty() || frame[0] != static_cast<uint8_t>(Compression::kNone))
    return Error(ErrorCode::kInternal, "server frame was not begun with BeginServerFrame");
  const size_t body_size = frame.size() - 1;
  if (algorithm == Compression::kNone || body_size <= kCompressionThreshold) return OkStatus();
  if (algorithm != Compression::kBrotli && algorithm != Compression::kGzip)
    return Error(ErrorCode::kInvalidArgument,
                 "unknown compression algorithm " + std::to_string(static_cast<int>(algorithm)));
  if (!compress)
    return Error(ErrorCode::kInternal,
                 "no compressor given for " + std::string(CompressionName(algorithm)) + " server frames");
  Bytes compressed;
  compressed.reserve(body_size / 4 + 64);
  compressed.push_back(static_cast<uint8_t>(algorithm));
  Status st = compress(algorithm, ByteSpan(frame).subspan(1), compressed);
  if (!st.ok()) {
    Error e = std::move(st).error();
    e.Prefix(std::string("compressing a server frame with ") + std::string(CompressionName(algorithm)));
    return e;
  }
  if (compressed.empty() || compressed[0] != static_cast<uint8_t>(algorithm))
    return Error(ErrorCode::kInternal, "compressor did not append to its output");
  frame.swap(compressed);
  return OkStatus();
}

Result<Bytes> MakeServerFrame(ByteSpan body, Compression algorithm, const CompressFn& compress) {
  Bytes frame;
  frame.reserve(1 + body.size());
  BeginServerFrame(frame);
  frame.insert(frame.end(), body.begin(), body.end());
  STDB_RETURN_IF_ERROR(FinishServerFrame(frame, algorithm, compress));
  return frame;
}

Result<Bytes> ReadServerFrame(ByteSpan frame, const DecompressFn& decompress) {
  if (frame.empty()) return Error(ErrorCode::kDecode, "server frame: empty message (no compression tag)");
  ByteSpan body = frame.subspan(1);
  switch (frame[0]) {
    case 0: return Bytes(body.begin(), body.end());
    case 1:
    case 2: {
      Compression algorithm = static_cast<Compression>(frame[0]);
      if (!decompress)
        return Error(ErrorCode::kUnsupported, "server frame: " + std::string(CompressionName(algorithm)) +
                                                  " body but no decompressor given");
      Bytes out;
      Status st = decompress(algorithm, body, out);
      if (!st.ok()) {
        Error e = std::move(st).error();
        e.Prefix("server frame: " + std::string(CompressionName(algorithm)) + " body");
        return e;
      }
      return out;
    }
    default:
      return Error(ErrorCode::kDecode, "server frame: unknown compression tag " + std::to_string(frame[0]) +
                                           " (expected 0 none, 1 brotli or 2 gzip)");
  }
}

}  // namespace stdb::server::protocol
