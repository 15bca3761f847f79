// Keccak-256 (the original Keccak padding, as used by Ethereum), which the reference uses for st_module's
// program_hash. Written from the Keccak specification (FIPS 202's permutation with the 0x01 domain byte).
//
// Thread-safety: pure function.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace stdb::host {

std::array<uint8_t, 32> Keccak256(std::span<const uint8_t> data);

}  // namespace stdb::host
