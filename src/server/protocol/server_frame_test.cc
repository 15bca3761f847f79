#include "server/protocol/server_frame.h"

#include <gtest/gtest.h>

#include "server/protocol/test_util.h"

namespace stdb::server::protocol {
namespace {

using sats::ByteSpan;
using sats::Bytes;
using testing_util::Hex;

// A fake codec: "compression" wraps the body in a marker naming the algorithm, so tests can see what was
// compressed with what, and decompression checks and strips the marker.
Status FakeCompress(Compression algorithm, ByteSpan input, Bytes& out) {
  out.push_back(algorithm == Compression::kGzip ? 'G' : 'B');
  out.insert(out.end(), input.begin(), input.end());
  out.push_back('!');
  return OkStatus();
}

Status FakeDecompress(Compression algorithm, ByteSpan input, Bytes& out) {
  char marker = algorithm == Compression::kGzip ? 'G' : 'B';
  if (input.size() < 2 || input.front() != marker || input.back() != '!')
    return Error(ErrorCode::kDecode, "bad marker");
  out.insert(out.end(), input.begin() + 1, input.end() - 1);
  return OkStatus();
}

Bytes Body(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = uint8_t(i * 7);
  return b;
}

TEST(ServerFrame, SmallBodiesAreNeverCompressed) {
  for (Compression c : {Compression::kNone, Compression::kGzip, Compression::kBrotli}) {
    Bytes body = Body(kCompressionThreshold);  // exactly 1024: not "more than 1024"
    auto frame = MakeServerFrame(body, c, FakeCompress);
    ASSERT_TRUE(frame.ok());
    ASSERT_EQ(frame->size(), body.size() + 1);
    EXPECT_EQ((*frame)[0], 0);
    EXPECT_TRUE(std::equal(body.begin(), body.end(), frame->begin() + 1));
  }
}

TEST(ServerFrame, LargeBodiesAreCompressedWithTheClientsAlgorithm) {
  Bytes body = Body(kCompressionThreshold + 1);
  auto gzip = MakeServerFrame(body, Compression::kGzip, FakeCompress);
  ASSERT_TRUE(gzip.ok());
  EXPECT_EQ((*gzip)[0], 2);
  EXPECT_EQ((*gzip)[1], 'G');
  EXPECT_EQ(gzip->size(), body.size() + 3);

  auto brotli = MakeServerFrame(body, Compression::kBrotli, FakeCompress);
  ASSERT_TRUE(brotli.ok());
  EXPECT_EQ((*brotli)[0], 1);
  EXPECT_EQ((*brotli)[1], 'B');

  auto none = MakeServerFrame(body, Compression::kNone, FakeCompress);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)[0], 0);
  EXPECT_EQ(none->size(), body.size() + 1);

  for (const Bytes* frame : {&*gzip, &*brotli, &*none}) {
    auto read = ReadServerFrame(*frame, FakeDecompress);
    ASSERT_TRUE(read.ok()) << read.error().message();
    EXPECT_EQ(*read, body);
  }
}

TEST(ServerFrame, IdentityCodecRoundTrips) {
  CompressFn identity = [](Compression, ByteSpan in, Bytes& out) {
    out.insert(out.end(), in.begin(), in.end());
    return OkStatus();
  };
  Bytes body = Body(5000);
  auto frame = MakeServerFrame(body, Compression::kGzip, identity);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ((*frame)[0], 2);
  auto read = ReadServerFrame(*frame, identity);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, body);
}

TEST(ServerFrame, BuiltInPlace) {
  Bytes frame = {9, 9, 9};  // leftovers are discarded
  BeginServerFrame(frame);
  ASSERT_EQ(frame, Bytes{0});
  frame.push_back(0x04);
  ASSERT_TRUE(FinishServerFrame(frame, Compression::kGzip, FakeCompress).ok());
  EXPECT_EQ(frame, Hex("00 04"));

  Bytes big;
  BeginServerFrame(big);
  Bytes body = Body(2000);
  big.insert(big.end(), body.begin(), body.end());
  ASSERT_TRUE(FinishServerFrame(big, Compression::kBrotli, FakeCompress).ok());
  EXPECT_EQ(big[0], 1);
}

TEST(ServerFrame, Errors) {
  Bytes not_begun;
  EXPECT_FALSE(FinishServerFrame(not_begun, Compression::kNone, nullptr).ok());

  Bytes body = Body(2000);
  auto no_codec = MakeServerFrame(body, Compression::kGzip, nullptr);
  ASSERT_FALSE(no_codec.ok());
  EXPECT_NE(no_codec.error().message().find("no compressor"), std::string::npos);
  // Small bodies need no codec.
  EXPECT_TRUE(MakeServerFrame(Body(10), Compression::kGzip, nullptr).ok());

  CompressFn failing = [](Compression, ByteSpan, Bytes&) { return Status(Error(ErrorCode::kIo, "zlib said no")); };
  auto failed = MakeServerFrame(body, Compression::kGzip, failing);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message().find("zlib said no"), std::string::npos);
  EXPECT_NE(failed.error().message().find("Gzip"), std::string::npos);

  EXPECT_FALSE(ReadServerFrame({}, nullptr).ok());
  auto unknown = ReadServerFrame(Hex("03 00"), nullptr);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("unknown compression tag 3"), std::string::npos);
  EXPECT_FALSE(ReadServerFrame(Hex("02 00"), nullptr).ok());           // no decompressor
  EXPECT_FALSE(ReadServerFrame(Hex("02 4700"), FakeDecompress).ok());  // corrupt body
  auto empty_body = ReadServerFrame(Hex("00"), nullptr);
  ASSERT_TRUE(empty_body.ok());
  EXPECT_TRUE(empty_body->empty());
}

TEST(ServerFrame, CompressionNames) {
  EXPECT_EQ(CompressionName(Compression::kNone), "None");
  EXPECT_EQ(CompressionName(Compression::kBrotli), "Brotli");
  EXPECT_EQ(CompressionName(Compression::kGzip), "Gzip");
}

}  // namespace
}  // namespace stdb::server::protocol
