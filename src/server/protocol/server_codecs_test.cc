#include "server/protocol/server_codecs.h"

#include <gtest/gtest.h>

#include "server/protocol/v2_server_message.h"
#include "server/protocol/v3_framing.h"

namespace stdb::server::protocol {
namespace {

using sats::Bytes;

// A TransactionUpdate large enough to be compressed, with repetitive rows like real tables.
v2::ServerMessage BigUpdate() {
  BsatnRowListBuilder b;
  for (uint32_t i = 0; i < 500; ++i) {
    sats::bsatn::Writer w(b.BeginRow());
    w.U32(i);
    w.String("player-" + std::to_string(i % 10));
    b.EndRow();
  }
  v2::TableUpdate t{"player", {v2::PersistentTableRows{b.Finish(), BsatnRowList()}}};
  return v2::TransactionUpdate{{v2::QuerySetUpdate{1, {t}}}};
}

TEST(ServerCodecs, GzipAndBrotliFramesRoundTrip) {
  v2::ServerMessage m = BigUpdate();
  Bytes body = v2::EncodeServerMessage(m);
  ASSERT_GT(body.size(), kCompressionThreshold);
  for (Compression c : {Compression::kGzip, Compression::kBrotli}) {
    Bytes frame;
    BeginServerFrame(frame);
    v2::EncodeServerMessage(m, frame);
    ASSERT_TRUE(FinishServerFrame(frame, c, CompressServerFrameBody).ok());
    EXPECT_EQ(frame[0], static_cast<uint8_t>(c));
    EXPECT_LT(frame.size(), body.size() / 2) << CompressionName(c);
    if (c == Compression::kGzip) {
      EXPECT_EQ(frame[1], 0x1f);  // a normal gzip stream, with its header
      EXPECT_EQ(frame[2], 0x8b);
    }
    auto plain = ReadServerFrame(frame, ServerFrameDecompressor(1 << 20));
    ASSERT_TRUE(plain.ok()) << plain.error().message();
    EXPECT_EQ(*plain, body);
    auto decoded = v2::DecodeServerMessage(*plain);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, m);
  }
}

TEST(ServerCodecs, CoalescedV3BodyIsCompressedAsAWhole) {
  v3::ServerMessageCoalescer coalescer;
  EXPECT_FALSE(coalescer.Add(BigUpdate()).has_value());
  EXPECT_FALSE(coalescer.Add(v2::SubscriptionError{std::nullopt, 1, "late"}).has_value());
  Bytes frame = *coalescer.Flush();
  ASSERT_TRUE(FinishServerFrame(frame, Compression::kGzip, CompressServerFrameBody).ok());
  EXPECT_EQ(frame[0], 2);
  auto body = ReadServerFrame(frame, ServerFrameDecompressor(1 << 20));
  ASSERT_TRUE(body.ok());
  auto messages = v3::SplitServerBody(*body);
  ASSERT_TRUE(messages.ok());
  EXPECT_EQ(messages->size(), 2u);
}

TEST(ServerCodecs, DecompressionIsBoundedAndRejectsGarbage) {
  Bytes zeros(1 << 20, 0);
  for (Compression c : {Compression::kGzip, Compression::kBrotli}) {
    auto frame = MakeServerFrame(zeros, c, CompressServerFrameBody);
    ASSERT_TRUE(frame.ok());
    auto limited = ReadServerFrame(*frame, ServerFrameDecompressor(4096));
    ASSERT_FALSE(limited.ok());
    EXPECT_EQ(limited.error().code(), ErrorCode::kResourceExhausted);
    Bytes garbage = {static_cast<uint8_t>(c), 'n', 'o', 'p', 'e'};
    EXPECT_FALSE(ReadServerFrame(garbage, ServerFrameDecompressor(4096)).ok());
  }
  Bytes out;
  EXPECT_FALSE(CompressServerFrameBody(Compression::kNone, zeros, out).ok());
}

}  // namespace
}  // namespace stdb::server::protocol
