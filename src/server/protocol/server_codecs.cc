#include "server/protocol/server_codecs.h"

#include <string>
#include <string_view>

#include "server/compression.h"

namespace stdb::server::protocol {

namespace {

std::string_view AsText(sats::ByteSpan b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

Status UnknownAlgorithm(Compression algorithm) {
  return Error(ErrorCode::kInvalidArgument,
               "no codec for compression " + std::string(CompressionName(algorithm)));
}

}  // namespace

Status CompressServerFrameBody(Compression algorithm, sats::ByteSpan input, sats::Bytes& out) {
  std::string compressed;
  Status st = algorithm == Compression::kGzip     ? GzipCompressAppend(AsText(input), compressed)
              : algorithm == Compression::kBrotli ? BrotliCompressAppend(AsText(input), compressed)
                                                  : UnknownAlgorithm(algorithm);
  if (!st.ok()) return st;
  out.insert(out.end(), compressed.begin(), compressed.end());
  return OkStatus();
}

DecompressFn ServerFrameDecompressor(size_t max_output_bytes) {
  return [max_output_bytes](Compression algorithm, sats::ByteSpan input, sats::Bytes& out) -> Status {
    Result<std::string> plain = algorithm == Compression::kGzip ? GzipDecompress(AsText(input), max_output_bytes)
                                : algorithm == Compression::kBrotli
                                    ? BrotliDecompress(AsText(input), max_output_bytes)
                                    : Result<std::string>(UnknownAlgorithm(algorithm).error());
    if (!plain.ok()) return std::move(plain).error();
    out.insert(out.end(), plain->begin(), plain->end());
    return OkStatus();
  };
}

}  // namespace stdb::server::protocol
