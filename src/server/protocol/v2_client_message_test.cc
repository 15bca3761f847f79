#include "server/protocol/v2_client_message.h"

#include <gtest/gtest.h>

#include "server/protocol/test_util.h"

namespace stdb::server::protocol::v2 {
namespace {

using sats::Bytes;
using testing_util::Hex;

std::vector<ClientMessage> AllVariants() {
  return {
      Subscribe{7, 3, {"SELECT * FROM t", "SELECT * FROM u WHERE x = 'é'"}},
      Subscribe{0, 0, {}},
      Unsubscribe{8, 3, UnsubscribeFlags::kSendDroppedRows},
      Unsubscribe{9, 4, UnsubscribeFlags::kDefault},
      OneOffQuery{10, "SELECT count(*) FROM t"},
      CallReducer{11, CallFlags::kDefault, "add", Hex("2a000000 03000000 626f62")},
      CallReducer{12, CallFlags::kDefault, "no_args", {}},
      CallProcedure{13, CallFlags::kDefault, "fetch", Hex("01 02 03")},
  };
}

TEST(V2ClientMessage, EveryVariantRoundTrips) {
  for (const ClientMessage& m : AllVariants()) {
    Bytes bytes = EncodeClientMessage(m);
    EXPECT_EQ(bytes[0], m.index());
    auto decoded = DecodeClientMessage(bytes);
    ASSERT_TRUE(decoded.ok()) << ClientMessageName(m) << ": " << decoded.error().message();
    EXPECT_EQ(*decoded, m) << ClientMessageName(m);
    EXPECT_EQ(EncodeClientMessage(*decoded), bytes);
  }
}

TEST(V2ClientMessage, ExactLayout) {
  EXPECT_EQ(EncodeClientMessage(Unsubscribe{1, 2, UnsubscribeFlags::kSendDroppedRows}),
            Hex("01 01000000 02000000 01"));
  EXPECT_EQ(EncodeClientMessage(OneOffQuery{5, "q"}), Hex("02 05000000 01000000 71"));
  EXPECT_EQ(EncodeClientMessage(CallProcedure{2, CallFlags::kDefault, "p", Hex("aa")}),
            Hex("04 02000000 00 01000000 70 01000000 aa"));
}

TEST(V2ClientMessage, EveryTruncationIsRejected) {
  for (const ClientMessage& m : AllVariants()) {
    Bytes bytes = EncodeClientMessage(m);
    for (size_t n = 0; n < bytes.size(); ++n) {
      auto decoded = DecodeClientMessage(sats::ByteSpan(bytes.data(), n));
      EXPECT_FALSE(decoded.ok()) << ClientMessageName(m) << " cut at " << n;
    }
  }
}

TEST(V2ClientMessage, RejectsUnknownTagsFlagsAndTrailingBytes) {
  auto m = DecodeClientMessage(Hex("05 00000000"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), ErrorCode::kDecode);
  EXPECT_NE(m.error().message().find("unknown tag 5"), std::string::npos) << m.error().message();

  m = DecodeClientMessage(Hex("ff"));
  EXPECT_FALSE(m.ok());

  m = DecodeClientMessage(Hex("01 01000000 02000000 02"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("invalid unsubscribe flags 2"), std::string::npos) << m.error().message();

  m = DecodeClientMessage(Hex("03 01000000 01 03000000 616464 00000000"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("invalid call reducer flag 1"), std::string::npos) << m.error().message();

  m = DecodeClientMessage(Hex("04 01000000 07 01000000 70 00000000"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("invalid call procedure flag 7"), std::string::npos) << m.error().message();

  m = DecodeClientMessage(Hex("02 05000000 01000000 71 00"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("1 trailing bytes"), std::string::npos) << m.error().message();

  m = DecodeClientMessage(sats::ByteSpan());
  EXPECT_FALSE(m.ok());
}

TEST(V2ClientMessage, RejectsInvalidUtf8AndAbsurdLengths) {
  // Reducer name "\xff".
  auto m = DecodeClientMessage(Hex("03 01000000 00 01000000 ff 00000000"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("UTF-8"), std::string::npos) << m.error().message();
  EXPECT_NE(m.error().message().find("CallReducer"), std::string::npos) << m.error().message();

  // A query string with an overlong encoding of '/'.
  m = DecodeClientMessage(Hex("02 01000000 02000000 c0af"));
  EXPECT_FALSE(m.ok());

  // 4 billion query strings in a few bytes.
  m = DecodeClientMessage(Hex("00 01000000 02000000 ffffffff 00000000"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("claims 4294967295 elements"), std::string::npos) << m.error().message();

  // Args claiming 2 GiB.
  m = DecodeClientMessage(Hex("03 01000000 00 01000000 61 00000080 00"));
  EXPECT_FALSE(m.ok());
}

TEST(V2ClientMessage, ReaderFormLeavesTheCursorAfterTheMessage) {
  Bytes two = EncodeClientMessage(OneOffQuery{1, "a"});
  EncodeClientMessage(OneOffQuery{2, "b"}, two);
  sats::bsatn::Reader r(two);
  auto first = DecodeClientMessage(r);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(std::get<OneOffQuery>(*first).query_string, "a");
  auto second = DecodeClientMessage(r);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(std::get<OneOffQuery>(*second).request_id, 2u);
  EXPECT_TRUE(r.at_end());
}

}  // namespace
}  // namespace stdb::server::protocol::v2
