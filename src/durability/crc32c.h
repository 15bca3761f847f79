// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every commitlog commit.
//
// Uses the SSE4.2 CRC32 instruction when the CPU has it (detected once at run time) and a portable
// slicing-by-8 table otherwise; both give identical results. Values follow the usual convention
// (initial value and final xor 0xFFFFFFFF), so Value("123456789") == 0xE3069283.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace stdb::durability::crc32c {

// The CRC32C of data[0, n) appended to a stream whose CRC so far is `crc` (0 for an empty stream), so
// Extend(Value(a), b) == Value(a ‖ b).
uint32_t Extend(uint32_t crc, const uint8_t* data, size_t n);

inline uint32_t Value(const uint8_t* data, size_t n) { return Extend(0, data, n); }
inline uint32_t Value(std::span<const uint8_t> data) { return Extend(0, data.data(), data.size()); }
inline uint32_t Extend(uint32_t crc, std::span<const uint8_t> data) { return Extend(crc, data.data(), data.size()); }

// The two implementations behind Extend, exposed so tests can check they agree.
uint32_t ExtendPortable(uint32_t crc, const uint8_t* data, size_t n);
// Requires HardwareAvailable().
uint32_t ExtendHardware(uint32_t crc, const uint8_t* data, size_t n);
bool HardwareAvailable();

}  // namespace stdb::durability::crc32c
