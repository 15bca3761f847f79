#include "auth/secure_random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

namespace stdb::auth {
namespace {

TEST(SecureRandomTest, FillsTheWholeBuffer) {
  // The last 32 bytes are all zero with probability 2^-256 if filled, and always if the fill stopped short.
  std::array<uint8_t, 64> bytes{};
  ASSERT_TRUE(FillSecureRandom(bytes).ok());
  EXPECT_TRUE(std::any_of(bytes.begin() + 32, bytes.end(), [](uint8_t b) { return b != 0; }));
  std::array<uint8_t, 64> again{};
  ASSERT_TRUE(FillSecureRandom(again).ok());
  EXPECT_NE(bytes, again);
}

TEST(SecureRandomTest, UuidV4HasVersionAndVariantBits) {
  for (int i = 0; i < 50; ++i) {
    auto uuid = RandomUuidV4();
    ASSERT_TRUE(uuid.ok());
    std::string text = uuid->ToString();
    EXPECT_EQ(text[14], '4') << text;
    EXPECT_NE(std::string_view("89ab").find(text[19]), std::string_view::npos) << text;
  }
  auto a = RandomUuidV4();
  auto b = RandomUuidV4();
  EXPECT_NE(a->value(), b->value());
}

}  // namespace
}  // namespace stdb::auth
