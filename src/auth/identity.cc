#include "auth/identity.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "auth/blake3.h"

namespace stdb::auth {
namespace {

constexpr uint8_t kPrefix[2] = {0xC2, 0x00};
constexpr size_t kIdHashLen = 26;
constexpr size_t kChecksumLen = 4;

std::array<uint8_t, kChecksumLen> Checksum(const uint8_t* id_hash) {
  uint8_t checksum_input[sizeof(kPrefix) + kIdHashLen];
  std::memcpy(checksum_input, kPrefix, sizeof(kPrefix));
  std::memcpy(checksum_input + sizeof(kPrefix), id_hash, kIdHashLen);
  Blake3Digest h2 = Blake3Hash(std::span<const uint8_t>(checksum_input));
  std::array<uint8_t, kChecksumLen> checksum;
  std::copy_n(h2.begin(), kChecksumLen, checksum.begin());
  return checksum;
}

}  // namespace

sats::Identity IdentityFromClaims(std::string_view issuer, std::string_view subject) {
  std::string input;
  input.reserve(issuer.size() + 1 + subject.size());
  input.append(issuer).append("|").append(subject);
  Blake3Digest h1 = Blake3Hash(input);

  std::array<uint8_t, 32> be{};
  std::memcpy(be.data(), kPrefix, sizeof(kPrefix));
  std::array<uint8_t, kChecksumLen> checksum = Checksum(h1.data());
  std::memcpy(be.data() + sizeof(kPrefix), checksum.data(), kChecksumLen);
  std::memcpy(be.data() + sizeof(kPrefix) + kChecksumLen, h1.data(), kIdHashLen);
  return sats::Identity::FromBigEndian(be.data());
}

bool HasClaimsIdentityChecksum(const sats::Identity& identity) {
  std::array<uint8_t, 32> be = identity.be_bytes();
  if (be[0] != kPrefix[0] || be[1] != kPrefix[1]) return false;
  std::array<uint8_t, kChecksumLen> checksum = Checksum(be.data() + sizeof(kPrefix) + kChecksumLen);
  return std::equal(checksum.begin(), checksum.end(), be.begin() + sizeof(kPrefix));
}

}  // namespace stdb::auth
