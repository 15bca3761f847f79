#include "server/compression.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>

namespace stdb::server {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header and trailer instead of zlib's
constexpr int kBrotliQuality = 1;
constexpr size_t kOutputStep = 64 * 1024;
constexpr size_t kMaxLimit = SIZE_MAX - 1;  // so that "limit + 1" cannot overflow

Error LimitExceeded(size_t max_output_bytes) {
  return Error(ErrorCode::kResourceExhausted,
               "decompressed data exceeds the limit of " + std::to_string(max_output_bytes) + " bytes");
}

struct DeflateStream {
  z_stream z{};
  bool initialized = false;
  ~DeflateStream() {
    if (initialized) deflateEnd(&z);
  }
};

struct InflateStream {
  z_stream z{};
  bool initialized = false;
  ~InflateStream() {
    if (initialized) inflateEnd(&z);
  }
};

}  // namespace

Status GzipCompressAppend(std::string_view input, std::string& out) {
  DeflateStream stream;
  if (deflateInit2(&stream.z, Z_BEST_SPEED, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return Error(ErrorCode::kInternal, "gzip: deflateInit2 failed");
  stream.initialized = true;
  size_t start = out.size();
  out.resize(start + deflateBound(&stream.z, static_cast<uLong>(input.size())));
  // deflateBound covers the whole input in one call; the loop only guards against inputs beyond uInt.
  stream.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  size_t remaining_in = input.size();
  size_t written = start;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    uInt in_now = static_cast<uInt>(std::min<size_t>(remaining_in, UINT_MAX));
    stream.z.avail_in = in_now;
    if (written == out.size()) out.resize(out.size() + kOutputStep);
    stream.z.next_out = reinterpret_cast<Bytef*>(out.data() + written);
    stream.z.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - written, UINT_MAX));
    uInt out_before = stream.z.avail_out;
    rc = deflate(&stream.z, remaining_in == in_now ? Z_FINISH : Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
      return Error(ErrorCode::kInternal, "gzip: deflate failed");
    written += out_before - stream.z.avail_out;
    remaining_in -= in_now - stream.z.avail_in;
  }
  out.resize(written);
  return OkStatus();
}

Result<std::string> GzipCompress(std::string_view input) {
  std::string out;
  STDB_RETURN_IF_ERROR(GzipCompressAppend(input, out));
  return out;
}

Result<std::string> GzipDecompress(std::string_view input, size_t max_output_bytes) {
  max_output_bytes = std::min(max_output_bytes, kMaxLimit);
  if (input.empty()) return Error(ErrorCode::kDecode, "gzip: empty input");
  InflateStream stream;
  if (inflateInit2(&stream.z, kGzipWindowBits) != Z_OK)
    return Error(ErrorCode::kInternal, "gzip: inflateInit2 failed");
  stream.initialized = true;
  std::string out;
  const unsigned char* next_in = reinterpret_cast<const unsigned char*>(input.data());
  size_t remaining_in = input.size();
  for (;;) {
    // Offer at most one byte beyond the limit: producing it proves the limit is exceeded.
    size_t produced_before = out.size();
    size_t room = std::min<size_t>(kOutputStep, max_output_bytes + 1 - produced_before);
    out.resize(produced_before + room);
    uInt in_now = static_cast<uInt>(std::min<size_t>(remaining_in, UINT_MAX));
    stream.z.next_in = const_cast<Bytef*>(next_in);
    stream.z.avail_in = in_now;
    stream.z.next_out = reinterpret_cast<Bytef*>(out.data() + produced_before);
    stream.z.avail_out = static_cast<uInt>(room);
    int rc = inflate(&stream.z, Z_NO_FLUSH);
    size_t consumed = in_now - stream.z.avail_in;
    size_t produced = room - stream.z.avail_out;
    next_in += consumed;
    remaining_in -= consumed;
    out.resize(produced_before + produced);
    if (out.size() > max_output_bytes) return LimitExceeded(max_output_bytes);
    if (rc == Z_STREAM_END) {
      if (remaining_in == 0) return out;
      // Another gzip member follows (RFC 1952 §2.2 allows concatenation).
      if (inflateReset(&stream.z) != Z_OK) return Error(ErrorCode::kInternal, "gzip: inflateReset failed");
      continue;
    }
    if (rc == Z_OK && (consumed > 0 || produced > 0)) continue;
    if (rc == Z_OK || rc == Z_BUF_ERROR) {
      // No progress: inflate needs input that is not there.
      return Error(ErrorCode::kDecode, "gzip: truncated stream");
    }
    std::string detail = stream.z.msg != nullptr ? stream.z.msg : "inflate error " + std::to_string(rc);
    return Error(ErrorCode::kDecode, "gzip: " + detail);
  }
}

Status BrotliCompressAppend(std::string_view input, std::string& out) {
  size_t start = out.size();
  size_t bound = BrotliEncoderMaxCompressedSize(input.size());
  if (bound == 0) bound = input.size() + 1024;  // 0 means "too large to bound"; streaming is not needed here
  out.resize(start + bound);
  size_t encoded_size = bound;
  if (!BrotliEncoderCompress(kBrotliQuality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.size(),
                             reinterpret_cast<const uint8_t*>(input.data()), &encoded_size,
                             reinterpret_cast<uint8_t*>(out.data() + start))) {
    out.resize(start);
    return Error(ErrorCode::kInternal, "brotli: compression failed");
  }
  out.resize(start + encoded_size);
  return OkStatus();
}

Result<std::string> BrotliCompress(std::string_view input) {
  std::string out;
  STDB_RETURN_IF_ERROR(BrotliCompressAppend(input, out));
  return out;
}

Result<std::string> BrotliDecompress(std::string_view input, size_t max_output_bytes) {
  max_output_bytes = std::min(max_output_bytes, kMaxLimit);
  std::unique_ptr<BrotliDecoderState, decltype(&BrotliDecoderDestroyInstance)> decoder(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), &BrotliDecoderDestroyInstance);
  if (!decoder) return Error(ErrorCode::kInternal, "brotli: cannot create a decoder");
  std::string out;
  const uint8_t* next_in = reinterpret_cast<const uint8_t*>(input.data());
  size_t available_in = input.size();
  for (;;) {
    size_t produced_before = out.size();
    size_t room = std::min<size_t>(kOutputStep, max_output_bytes + 1 - out.size());
    out.resize(produced_before + room);
    uint8_t* next_out = reinterpret_cast<uint8_t*>(out.data() + produced_before);
    size_t available_out = room;
    BrotliDecoderResult rc = BrotliDecoderDecompressStream(decoder.get(), &available_in, &next_in,
                                                           &available_out, &next_out, nullptr);
    out.resize(produced_before + (room - available_out));
    if (out.size() > max_output_bytes) return LimitExceeded(max_output_bytes);
    switch (rc) {
      case BROTLI_DECODER_RESULT_SUCCESS:
        if (available_in != 0) return Error(ErrorCode::kDecode, "brotli: trailing bytes after the stream");
        return out;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
        continue;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
        return Error(ErrorCode::kDecode, "brotli: truncated stream");
      case BROTLI_DECODER_RESULT_ERROR:
      default:
        return Error(
            ErrorCode::kDecode,
            std::string("brotli: ") + BrotliDecoderErrorString(BrotliDecoderGetErrorCode(decoder.get())));
    }
  }
}

}  // namespace stdb::server
