#include "server/compression.h"

#include <gtest/gtest.h>

#include <random>

namespace stdb::server {
namespace {

std::string SampleText(size_t size) {
  std::string text;
  while (text.size() < size) text += "{\"level\":\"Info\",\"message\":\"row inserted into table person\"}\n";
  text.resize(size);
  return text;
}

std::string RandomBytes(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  return bytes;
}

TEST(CompressionTest, GzipRoundTrips) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{1025}, size_t{200'000}}) {
    std::string input = SampleText(size);
    auto compressed = GzipCompress(input);
    ASSERT_TRUE(compressed.ok());
    auto output = GzipDecompress(*compressed, input.size());
    ASSERT_TRUE(output.ok()) << output.error().message();
    EXPECT_EQ(*output, input);
  }
  std::string random = RandomBytes(100'000, 7);
  EXPECT_EQ(*GzipDecompress(*GzipCompress(random), random.size()), random);
}

TEST(CompressionTest, GzipWritesAGzipStream) {
  auto compressed = GzipCompress(SampleText(5000));
  ASSERT_TRUE(compressed.ok());
  ASSERT_GE(compressed->size(), 18u);
  EXPECT_EQ(static_cast<uint8_t>((*compressed)[0]), 0x1f);  // RFC 1952 magic
  EXPECT_EQ(static_cast<uint8_t>((*compressed)[1]), 0x8b);
  EXPECT_EQ((*compressed)[2], 8);  // deflate
  EXPECT_LT(compressed->size(), 1000u);
}

TEST(CompressionTest, GzipAppendsAfterExistingBytes) {
  std::string frame(1, '\x02');  // a compression tag, as server messages carry
  std::string body = SampleText(3000);
  ASSERT_TRUE(GzipCompressAppend(body, frame).ok());
  EXPECT_EQ(frame[0], '\x02');
  EXPECT_EQ(*GzipDecompress(std::string_view(frame).substr(1), body.size()), body);
}

TEST(CompressionTest, GzipAcceptsConcatenatedMembers) {
  std::string twice = *GzipCompress("hello, ") + *GzipCompress("world");
  EXPECT_EQ(*GzipDecompress(twice, 100), "hello, world");
}

TEST(CompressionTest, BrotliRoundTrips) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{1025}, size_t{200'000}}) {
    std::string input = SampleText(size);
    auto compressed = BrotliCompress(input);
    ASSERT_TRUE(compressed.ok());
    auto output = BrotliDecompress(*compressed, input.size());
    ASSERT_TRUE(output.ok()) << output.error().message();
    EXPECT_EQ(*output, input);
  }
  std::string random = RandomBytes(100'000, 9);
  EXPECT_EQ(*BrotliDecompress(*BrotliCompress(random), random.size()), random);
  std::string frame(1, '\x01');
  ASSERT_TRUE(BrotliCompressAppend(SampleText(4000), frame).ok());
  EXPECT_EQ(*BrotliDecompress(std::string_view(frame).substr(1), 4000), SampleText(4000));
}

// 64 MiB of zeros compress to a few hundred kilobytes; a limit of 1 MiB must stop decompression early.
TEST(CompressionTest, DecompressionBombsAreRefused) {
  std::string zeros(64 * 1024 * 1024, '\0');
  auto gzip_bomb = GzipCompress(zeros);
  auto brotli_bomb = BrotliCompress(zeros);
  ASSERT_TRUE(gzip_bomb.ok());
  ASSERT_TRUE(brotli_bomb.ok());
  EXPECT_LT(gzip_bomb->size(), 512 * 1024u);  // deflate at the fastest level still shrinks zeros ~230x
  EXPECT_LT(brotli_bomb->size(), 512 * 1024u);
  zeros.clear();
  zeros.shrink_to_fit();

  auto gzip = GzipDecompress(*gzip_bomb, 1024 * 1024);
  ASSERT_FALSE(gzip.ok());
  EXPECT_EQ(gzip.error().code(), ErrorCode::kResourceExhausted);
  auto brotli = BrotliDecompress(*brotli_bomb, 1024 * 1024);
  ASSERT_FALSE(brotli.ok());
  EXPECT_EQ(brotli.error().code(), ErrorCode::kResourceExhausted);
}

TEST(CompressionTest, ExactLimitIsAccepted) {
  std::string input = SampleText(10'000);
  EXPECT_TRUE(GzipDecompress(*GzipCompress(input), 10'000).ok());
  EXPECT_FALSE(GzipDecompress(*GzipCompress(input), 9'999).ok());
  EXPECT_TRUE(BrotliDecompress(*BrotliCompress(input), 10'000).ok());
  EXPECT_FALSE(BrotliDecompress(*BrotliCompress(input), 9'999).ok());
}

TEST(CompressionTest, MalformedAndTruncatedInputIsADecodeError) {
  std::string gzip = *GzipCompress(SampleText(10'000));
  std::string brotli = *BrotliCompress(SampleText(10'000));
  auto truncated_gzip = GzipDecompress(std::string_view(gzip).substr(0, gzip.size() / 2), 1 << 20);
  ASSERT_FALSE(truncated_gzip.ok());
  EXPECT_EQ(truncated_gzip.error().code(), ErrorCode::kDecode);
  auto truncated_brotli = BrotliDecompress(std::string_view(brotli).substr(0, brotli.size() / 2), 1 << 20);
  ASSERT_FALSE(truncated_brotli.ok());
  EXPECT_EQ(truncated_brotli.error().code(), ErrorCode::kDecode);

  EXPECT_EQ(GzipDecompress("not gzip at all", 1 << 20).error().code(), ErrorCode::kDecode);
  EXPECT_EQ(GzipDecompress("", 1 << 20).error().code(), ErrorCode::kDecode);
  EXPECT_EQ(BrotliDecompress(RandomBytes(1000, 3), 1 << 20).error().code(), ErrorCode::kDecode);
  std::string corrupted = gzip;
  corrupted[corrupted.size() - 6] ^= 0x55;  // inside the CRC32 trailer
  EXPECT_EQ(GzipDecompress(corrupted, 1 << 20).error().code(), ErrorCode::kDecode);
  EXPECT_EQ(BrotliDecompress(brotli + "x", 1 << 20).error().code(), ErrorCode::kDecode);
}

}  // namespace
}  // namespace stdb::server
