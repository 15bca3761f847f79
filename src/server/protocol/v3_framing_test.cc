#include "server/protocol/v3_framing.h"

#include <gtest/gtest.h>

#include "server/protocol/server_frame.h"
#include "server/protocol/test_util.h"

namespace stdb::server::protocol::v3 {
namespace {

using sats::ByteSpan;
using sats::Bytes;
using testing_util::Hex;

TEST(V3ClientPayload, SplitsConcatenatedMessagesInOrder) {
  std::vector<v2::ClientMessage> sent = {
      v2::Subscribe{0, 0, {"SELECT * FROM t"}},
      v2::CallReducer{1, v2::CallFlags::kDefault, "add", Hex("2a000000 03000000 626f62")},
      v2::Unsubscribe{2, 0, v2::UnsubscribeFlags::kSendDroppedRows},
  };
  Bytes payload;
  for (const auto& m : sent) AppendClientMessage(m, payload);
  auto got = SplitClientPayload(payload);
  ASSERT_TRUE(got.ok()) << got.error().message();
  EXPECT_EQ(*got, sent);

  // A single message is a valid v3 payload too (and byte-identical to v2).
  auto one = SplitClientPayload(v2::EncodeClientMessage(sent[0]));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
}

TEST(V3ClientPayload, EmptyPayloadIsAnError) {
  auto got = SplitClientPayload({});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), ErrorCode::kDecode);
  EXPECT_NE(got.error().message().find("at least one"), std::string::npos);

  ClientPayloadSplitter s({});
  EXPECT_FALSE(s.done());
  EXPECT_FALSE(s.Next().ok());
  EXPECT_TRUE(s.done());
}

TEST(V3ClientPayload, IncrementalSplitterHandlesMessagesBeforeAnError) {
  Bytes payload;
  AppendClientMessage(v2::OneOffQuery{1, "a"}, payload);
  AppendClientMessage(v2::OneOffQuery{2, "b"}, payload);
  payload.push_back(9);  // unknown tag
  ClientPayloadSplitter s(payload);
  std::vector<uint32_t> handled;
  Status last;
  while (!s.done()) {
    auto m = s.Next();
    if (!m.ok()) {
      last = std::move(m).error();
      break;
    }
    handled.push_back(std::get<v2::OneOffQuery>(*m).request_id);
  }
  EXPECT_EQ(handled, (std::vector<uint32_t>{1, 2}));
  ASSERT_FALSE(last.ok());
  EXPECT_NE(last.error().message().find("message 3 at offset 20"), std::string::npos) << last.error().message();
  EXPECT_NE(last.error().message().find("unknown tag 9"), std::string::npos) << last.error().message();
  EXPECT_TRUE(s.done());

  // The whole-payload form reports the same error and nothing else.
  EXPECT_FALSE(SplitClientPayload(payload).ok());
}

TEST(V3ClientPayload, TruncatedLastMessageIsAnError) {
  Bytes payload;
  AppendClientMessage(v2::OneOffQuery{1, "a"}, payload);
  AppendClientMessage(v2::OneOffQuery{2, "bcd"}, payload);
  for (size_t n = 1; n < payload.size(); ++n) {
    if (n == 10) continue;  // the exact end of the first message
    EXPECT_FALSE(SplitClientPayload(ByteSpan(payload.data(), n)).ok()) << n;
  }
  EXPECT_TRUE(SplitClientPayload(ByteSpan(payload.data(), 10)).ok());
}

v2::ServerMessage ErrorOfSize(size_t encoded_size) {
  // SubscriptionError with request_id none: 1 tag + 1 option + 4 id + 4 length + text.
  return v2::SubscriptionError{std::nullopt, 1, std::string(encoded_size - 10, 'x')};
}

TEST(V3ServerCoalescer, PacksMessagesUntilTheLimit) {
  ServerMessageCoalescer c(100);
  EXPECT_FALSE(c.Flush().has_value());
  EXPECT_FALSE(c.Add(ErrorOfSize(40)).has_value());
  EXPECT_FALSE(c.Add(ErrorOfSize(60)).has_value());  // exactly 100: still fits
  EXPECT_EQ(c.pending_messages(), 2u);
  EXPECT_EQ(c.pending_body_size(), 100u);
  auto first = c.Add(ErrorOfSize(20));  // would exceed: the first two go out
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->size(), 101u);
  EXPECT_EQ((*first)[0], 0);  // placeholder tag
  auto msgs = SplitServerBody(ByteSpan(*first).subspan(1));
  ASSERT_TRUE(msgs.ok()) << msgs.error().message();
  ASSERT_EQ(msgs->size(), 2u);
  EXPECT_EQ((*msgs)[1], ErrorOfSize(60));

  auto rest = c.Flush();
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->size(), 21u);
  EXPECT_EQ(c.pending_messages(), 0u);
  EXPECT_FALSE(c.Flush().has_value());
}

TEST(V3ServerCoalescer, OversizedMessageTravelsAlone) {
  ServerMessageCoalescer c(100);
  EXPECT_FALSE(c.Add(ErrorOfSize(30)).has_value());
  auto before = c.Add(ErrorOfSize(250));
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->size(), 31u);
  auto big = c.Add(ErrorOfSize(30));
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(big->size(), 251u);
  auto after = c.Flush();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->size(), 31u);

  // Alone in an empty coalescer it is not split either.
  ServerMessageCoalescer d(100);
  EXPECT_FALSE(d.Add(ErrorOfSize(500)).has_value());
  EXPECT_EQ(d.Flush()->size(), 501u);
}

TEST(V3ServerCoalescer, DefaultLimitIs512KiB) {
  ServerMessageCoalescer c;
  EXPECT_FALSE(c.Add(ErrorOfSize(kMaxCoalescedBody - 100)).has_value());
  EXPECT_FALSE(c.Add(ErrorOfSize(100)).has_value());
  auto full = c.Add(ErrorOfSize(10));
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->size(), 1 + kMaxCoalescedBody);
}

TEST(V3ServerCoalescer, PreEncodedMessagesAndFraming) {
  ServerMessageCoalescer c(1 << 20);
  v2::ServerMessage hello = v2::InitialConnection{sats::Identity(), sats::ConnectionId(7), "tok"};
  Bytes encoded = v2::EncodeServerMessage(hello);
  EXPECT_FALSE(c.AddEncoded(encoded).has_value());
  EXPECT_FALSE(c.Add(ErrorOfSize(3000)).has_value());
  Bytes frame = *c.Flush();
  // The coalesced body is compressed as a whole: one tag for both messages.
  CompressFn identity = [](Compression, ByteSpan in, Bytes& out) {
    out.insert(out.end(), in.begin(), in.end());
    return OkStatus();
  };
  ASSERT_TRUE(FinishServerFrame(frame, Compression::kGzip, identity).ok());
  EXPECT_EQ(frame[0], 2);
  auto body = ReadServerFrame(frame, identity);
  ASSERT_TRUE(body.ok());
  auto msgs = SplitServerBody(*body);
  ASSERT_TRUE(msgs.ok());
  ASSERT_EQ(msgs->size(), 2u);
  EXPECT_EQ((*msgs)[0], hello);
  EXPECT_EQ((*msgs)[1], ErrorOfSize(3000));
}

TEST(V3ServerBody, RejectsEmptyAndMalformedBodies) {
  EXPECT_FALSE(SplitServerBody({}).ok());
  Bytes body = v2::EncodeServerMessage(ErrorOfSize(20));
  body.push_back(0x63);
  auto r = SplitServerBody(body);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("message 2"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace stdb::server::protocol::v3
