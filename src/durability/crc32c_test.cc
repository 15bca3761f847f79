#include "durability/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace stdb::durability::crc32c {
namespace {

uint32_t Of(const std::string& s) { return Value(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

TEST(Crc32c, StandardCheckValue) { EXPECT_EQ(Of("123456789"), 0xE3069283u); }

TEST(Crc32c, Rfc3720Vectors) {
  // iSCSI (RFC 3720 §B.4) test patterns.
  std::vector<uint8_t> buf(32, 0);
  EXPECT_EQ(Value(buf), 0x8A9136AAu);
  std::fill(buf.begin(), buf.end(), 0xFF);
  EXPECT_EQ(Value(buf), 0x62A8AB43u);
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(Value(buf), 0x46DD794Eu);
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<uint8_t>(31 - i);
  EXPECT_EQ(Value(buf), 0x113FDB5Cu);
  const uint8_t read_pdu[48] = {0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
                                0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(Value(read_pdu, sizeof read_pdu), 0xD9963A56u);
}

TEST(Crc32c, SmallInputs) {
  EXPECT_EQ(Of(""), 0u);
  EXPECT_EQ(Of("a"), 0xC1D04330u);
}

TEST(Crc32c, ExtendEqualsValueOfConcatenation) {
  std::string a = "hello, ", b = "commitlog world";
  uint32_t whole = Of(a + b);
  uint32_t pieces = Extend(Of(a), reinterpret_cast<const uint8_t*>(b.data()), b.size());
  EXPECT_EQ(whole, pieces);
  // Every split point of a longer buffer.
  std::vector<uint8_t> data(100);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 3);
  uint32_t full = Value(data);
  for (size_t split = 0; split <= data.size(); ++split)
    EXPECT_EQ(Extend(Value(data.data(), split), data.data() + split, data.size() - split), full) << split;
}

TEST(Crc32c, HardwareAndPortableAgreeOnEveryLengthAndAlignment) {
  std::mt19937 rng(42);
  std::vector<uint8_t> data(4096 + 16);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t align = 0; align < 8; ++align) {
    for (size_t len : {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 1000, 4096}) {
      const uint8_t* p = data.data() + align;
      uint32_t portable = ExtendPortable(0x12345678u, p, len);
      EXPECT_EQ(Extend(0x12345678u, p, len), portable) << "align " << align << " len " << len;
      if (HardwareAvailable()) {
        EXPECT_EQ(ExtendHardware(0x12345678u, p, len), portable) << align << " " << len;
      }
    }
  }
}

TEST(Crc32c, DetectsEverySingleBitFlip) {
  std::vector<uint8_t> data(64);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  uint32_t good = Value(data);
  for (size_t bit = 0; bit < data.size() * 8; ++bit) {
    data[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
    EXPECT_NE(Value(data), good) << bit;
    data[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
  }
}

}  // namespace
}  // namespace stdb::durability::crc32c
