#include "auth/base64url.h"

#include <gtest/gtest.h>

namespace stdb::auth {
namespace {

// RFC 4648 §10 test vectors, in the URL-safe alphabet without padding.
TEST(Base64UrlTest, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},         {"f", "Zg"},         {"fo", "Zm8"},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(Base64UrlEncode(plain), encoded);
    auto decoded = Base64UrlDecodeToString(encoded);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message();
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64UrlTest, UsesUrlSafeAlphabet) {
  const uint8_t bytes[] = {0xFB, 0xFF, 0xBF};
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  auto decoded = Base64UrlDecode("-_-_");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, std::vector<uint8_t>(std::begin(bytes), std::end(bytes)));
}

TEST(Base64UrlTest, RoundTripsAllByteValues) {
  std::vector<uint8_t> bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(uint8_t(i));
  for (size_t len = 0; len <= bytes.size(); len += 37) {
    std::span<const uint8_t> prefix(bytes.data(), len);
    auto decoded = Base64UrlDecode(Base64UrlEncode(prefix));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, std::vector<uint8_t>(prefix.begin(), prefix.end()));
  }
}

TEST(Base64UrlTest, RejectsPaddingWithAClearMessage) {
  auto r = Base64UrlDecode("Zg==");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDecode);
  EXPECT_NE(r.error().message().find("padding is not allowed"), std::string::npos) << r.error().message();
}

TEST(Base64UrlTest, RejectsStandardAlphabetAndWhitespace) {
  for (std::string_view bad : {"ab+c", "ab/c", "ab c", "ab\nc", "ab.c"}) {
    auto r = Base64UrlDecode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message().find("at position 2"), std::string::npos) << r.error().message();
  }
}

TEST(Base64UrlTest, RejectsImpossibleLengthAndNonCanonicalTrailingBits) {
  EXPECT_FALSE(Base64UrlDecode("Zm9vY").ok());  // 4n+1 characters
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());     // "Zg" with a non-zero unused bit
  EXPECT_FALSE(Base64UrlDecode("Zm9").ok());    // "Zm8" with non-zero unused bits
  EXPECT_TRUE(Base64UrlDecode("Zm8").ok());
}

}  // namespace
}  // namespace stdb::auth
