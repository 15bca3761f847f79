// The real codecs for server frames: a CompressFn and a DecompressFn (server_frame.h) backed by
// server/compression.h — gzip at zlib's fastest level and Brotli at quality 1, as the reference sends them.
//
// This adapter lives in stdb_server (next to compression.cc) so that stdb_server_protocol stays free of zlib and
// Brotli; it copies the compressed bytes once from the codec's std::string into the frame.
//
// Thread-safety: reentrant functions; each call uses its own codec state.
#pragma once

#include <cstddef>

#include "server/protocol/server_frame.h"

namespace stdb::server::protocol {

// Compresses with gzip or Brotli, appending to `out`.
Status CompressServerFrameBody(Compression algorithm, sats::ByteSpan input, sats::Bytes& out);

// A decompressor (clients, tests) that refuses to produce more than `max_output_bytes`.
DecompressFn ServerFrameDecompressor(size_t max_output_bytes);

}  // namespace stdb::server::protocol
