// Structural reading of WebAssembly binaries: the import, export and memory declarations of a module, and the
// rewrite that caps its memories. Not a validator: the engine validates the code; this only reads what the
// host needs to know before handing the bytes over (signatures to bind imports, limits to enforce the memory
// cap).
//
// Binary layout (WebAssembly core specification, chapter 5 "Binary Format"):
//   preamble   magic "\0asm" (4 bytes), version 1 (u32 little-endian)
//   section    id (1 byte), payload size (u32 LEB128), payload
//   vectors    element count (u32 LEB128), then the elements; names are vectors of UTF-8 bytes
//   limits     flags (1 byte: 0 = min only, 1 = min and max, 2/3 = shared, 4..7 = 64-bit),
//              min (u32 LEB128), [max (u32 LEB128)]
// Sections read here: 1 type (0x60 params results), 2 import (module, name, kind, descriptor), 3 function
// (type indexes), 5 memory (limits), 7 export (name, kind, index). Others are skipped by their size.
//
// Input is untrusted: every read is bounds-checked, counts are checked against the bytes that remain, and
// errors say what was being read and at which offset.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "host/wasm_runtime.h"
#include "sats/result.h"

namespace stdb::host {

// The module's imports, exports (with function signatures) and defined memories. kDecode on malformed
// structure; kUnsupported for constructs the host does not handle (e.g. non-function type forms, 64-bit
// memories).
Result<WasmModuleInfo> ReadWasmModuleInfo(std::span<const uint8_t> wasm_bytes);

// The same module with the maximum of every memory it defines lowered to `max_pages` (or set to it when the
// module declares none), so that memory.grow past the cap fails inside the module. A memory whose initial
// size already exceeds the cap gives kResourceExhausted; a shared memory gives kUnsupported.
Result<std::vector<uint8_t>> ApplyMemoryCap(std::span<const uint8_t> wasm_bytes, uint32_t max_pages);

}  // namespace stdb::host
