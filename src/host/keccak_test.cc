#include "host/keccak.h"

#include <gtest/gtest.h>

#include <string>

#include "sats/special_types.h"

namespace stdb::host {
namespace {

std::string Hex(std::string_view s) {
  auto d = Keccak256({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
  return sats::ToHexLower(d.data(), d.size());
}

TEST(Keccak256, KnownVectors) {
  EXPECT_EQ(Hex(""), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(Hex("abc"), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  // Longer than one 136-byte block.
  EXPECT_EQ(Hex(std::string(200, 'a')).size(), 64u);
  EXPECT_NE(Hex(std::string(136, 'a')), Hex(std::string(135, 'a')));
}

}  // namespace
}  // namespace stdb::host
