// Gzip and Brotli, as the client protocol uses them (spec/client-protocol.md §3): server messages larger than
// 1 KiB are compressed with the algorithm the client asked for, gzip at zlib's fastest level (a normal gzip
// stream with its header, like flate2's Compression::fast()) and Brotli at quality 1 with the default 4 MiB
// window (lgwin 22).
//
// Decompression always takes a limit on the output size: compressed input comes from clients, and a few
// kilobytes can expand to gigabytes (a "bomb"). Exceeding the limit is an error (kResourceExhausted) raised
// as soon as the output would pass it, so memory use stays bounded by the limit plus one buffer.
//
// Thread-safety: pure functions; every call uses its own codec state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sats/result.h"

namespace stdb::server {

// Appends the compressed form of `input` to `out` (which may already hold, say, a tag byte).
Status GzipCompressAppend(std::string_view input, std::string& out);
Status BrotliCompressAppend(std::string_view input, std::string& out);

Result<std::string> GzipCompress(std::string_view input);
Result<std::string> BrotliCompress(std::string_view input);

// Decompresses a gzip stream (one or more members). kDecode for malformed or truncated input,
// kResourceExhausted if the output would exceed max_output_bytes.
Result<std::string> GzipDecompress(std::string_view input, size_t max_output_bytes);
// Decompresses a Brotli stream, with the same errors.
Result<std::string> BrotliDecompress(std::string_view input, size_t max_output_bytes);

}  // namespace stdb::server
