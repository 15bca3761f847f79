#include "server/protocol/v1_client_message.h"

#include <gtest/gtest.h>

#include "server/protocol/test_util.h"

namespace stdb::server::protocol::v1 {
namespace {

using sats::Bytes;
using testing_util::Hex;

std::vector<ClientMessage> BsatnVariants() {
  return {
      CallReducer{"add", FunctionArgs::Bsatn(Hex("2a000000 03000000 626f62")), 1, CallReducerFlags::kFullUpdate},
      CallReducer{"quiet", FunctionArgs::Bsatn({}), 2, CallReducerFlags::kNoSuccessNotify},
      Subscribe{{"SELECT * FROM t", "SELECT * FROM u"}, 3},
      OneOffQuery{Hex("0a0b"), "SELECT * FROM t"},
      SubscribeSingle{"SELECT * FROM t", 4, 1},
      SubscribeMulti{{"SELECT * FROM t"}, 5, 2},
      Unsubscribe{6, 1},
      UnsubscribeMulti{7, 2},
      CallProcedure{"fetch", FunctionArgs::Bsatn(Hex("01")), 8, CallProcedureFlags::kDefault},
  };
}

std::vector<ClientMessage> JsonVariants() {
  return {
      CallReducer{"add", FunctionArgs::Json("[42,\"bob\"]"), 1, CallReducerFlags::kFullUpdate},
      CallReducer{"add", FunctionArgs::Json("{\"id\":42,\"name\":\"bob\"}"), 2, CallReducerFlags::kNoSuccessNotify},
      Subscribe{{"SELECT * FROM t"}, 3},
      OneOffQuery{Hex("0a0b"), "SELECT * FROM t"},
      OneOffQuery{{}, "SELECT 1"},
      SubscribeSingle{"SELECT * FROM t", 2, 1},
      SubscribeMulti{{"SELECT * FROM t", "SELECT * FROM \"é\""}, 5, 2},
      Unsubscribe{6, 1},
      UnsubscribeMulti{7, 2},
      CallProcedure{"fetch", FunctionArgs::Json("[]"), 8, CallProcedureFlags::kDefault},
  };
}

TEST(V1ClientMessage, BsatnRoundTrips) {
  for (const ClientMessage& m : BsatnVariants()) {
    auto bytes = EncodeClientMessageBsatn(m);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message();
    EXPECT_EQ((*bytes)[0], m.index());
    auto decoded = DecodeClientMessageBsatn(*bytes);
    ASSERT_TRUE(decoded.ok()) << ClientMessageName(m) << ": " << decoded.error().message();
    EXPECT_EQ(*decoded, m) << ClientMessageName(m);
  }
}

TEST(V1ClientMessage, BsatnLayoutPutsArgsBeforeRequestId) {
  auto bytes = EncodeClientMessageBsatn(
      CallReducer{"add", FunctionArgs::Bsatn(Hex("2a000000")), 9, CallReducerFlags::kNoSuccessNotify});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, Hex("00 03000000 616464 04000000 2a000000 09000000 01"));
  bytes = EncodeClientMessageBsatn(SubscribeSingle{"q", 4, 1});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, Hex("03 01000000 71 04000000 01000000"));
}

TEST(V1ClientMessage, BsatnRejectsTruncationTagsFlagsAndTrailingBytes) {
  for (const ClientMessage& m : BsatnVariants()) {
    Bytes bytes = EncodeClientMessageBsatn(m).value();
    for (size_t n = 0; n < bytes.size(); ++n)
      EXPECT_FALSE(DecodeClientMessageBsatn(sats::ByteSpan(bytes.data(), n)).ok()) << ClientMessageName(m) << n;
    bytes.push_back(0);
    auto trailing = DecodeClientMessageBsatn(bytes);
    ASSERT_FALSE(trailing.ok());
    EXPECT_NE(trailing.error().message().find("trailing"), std::string::npos);
  }
  auto m = DecodeClientMessageBsatn(Hex("08"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("unknown tag 8"), std::string::npos) << m.error().message();
  m = DecodeClientMessageBsatn(Hex("00 01000000 61 00000000 01000000 02"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("invalid call reducer flag 2"), std::string::npos) << m.error().message();
  m = DecodeClientMessageBsatn(Hex("07 01000000 61 00000000 01000000 01"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("invalid call procedure flag 1"), std::string::npos) << m.error().message();
  m = DecodeClientMessageBsatn(Hex("03 01000000 ff 04000000 01000000"));
  EXPECT_FALSE(m.ok());  // invalid UTF-8
  m = DecodeClientMessageBsatn(Hex("04 ffffff00 00000000 00000000"));
  EXPECT_FALSE(m.ok());  // absurd count
}

TEST(V1ClientMessage, SpecJsonExamples) {
  // spec/client-protocol.md §6.4.
  auto m = DecodeClientMessageJson(R"({"CallReducer":{"reducer":"add","args":"[42,\"bob\"]","request_id":1,"flags":0}})");
  ASSERT_TRUE(m.ok()) << m.error().message();
  const auto& call = std::get<CallReducer>(*m);
  EXPECT_EQ(call.reducer, "add");
  EXPECT_TRUE(call.args.is_json());
  EXPECT_EQ(call.args.json_text(), "[42,\"bob\"]");
  EXPECT_EQ(call.request_id, 1u);
  EXPECT_EQ(call.flags, CallReducerFlags::kFullUpdate);

  m = DecodeClientMessageJson(R"({"SubscribeSingle":{"query":"SELECT * FROM t","request_id":2,"query_id":{"id":1}}})");
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ClientMessage(SubscribeSingle{"SELECT * FROM t", 2, 1}));

  m = DecodeClientMessageJson(R"({"OneOffQuery":{"message_id":"0a0b","query_string":"SELECT * FROM t"}})");
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ClientMessage(OneOffQuery{Hex("0a0b"), "SELECT * FROM t"}));
}

TEST(V1ClientMessage, JsonEncodingMatchesTheSpec) {
  EXPECT_EQ(EncodeClientMessageJson(JsonVariants()[0]).value(),
            R"({"CallReducer":{"reducer":"add","args":"[42,\"bob\"]","request_id":1,"flags":0}})");
  EXPECT_EQ(EncodeClientMessageJson(SubscribeSingle{"SELECT * FROM t", 2, 1}).value(),
            R"({"SubscribeSingle":{"query":"SELECT * FROM t","request_id":2,"query_id":{"id":1}}})");
  EXPECT_EQ(EncodeClientMessageJson(OneOffQuery{Hex("0a0b"), "SELECT * FROM t"}).value(),
            R"({"OneOffQuery":{"message_id":"0a0b","query_string":"SELECT * FROM t"}})");
  EXPECT_EQ(EncodeClientMessageJson(UnsubscribeMulti{7, 2}).value(),
            R"({"UnsubscribeMulti":{"request_id":7,"query_id":{"id":2}}})");
}

TEST(V1ClientMessage, JsonRoundTrips) {
  for (const ClientMessage& m : JsonVariants()) {
    auto text = EncodeClientMessageJson(m);
    ASSERT_TRUE(text.ok()) << text.error().message();
    auto decoded = DecodeClientMessageJson(*text);
    ASSERT_TRUE(decoded.ok()) << *text << ": " << decoded.error().message();
    EXPECT_EQ(*decoded, m) << *text;
  }
}

TEST(V1ClientMessage, JsonIsReadLeniently) {
  // Products as arrays, sums by tag number or as [tag, payload], bytes as a number array, null-free.
  auto m = DecodeClientMessageJson(R"({"Unsubscribe":[6,[1]]})");
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ClientMessage(Unsubscribe{6, 1}));
  m = DecodeClientMessageJson(R"({"3":{"query":"q","request_id":2,"query_id":[1]}})");
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ClientMessage(SubscribeSingle{"q", 2, 1}));
  m = DecodeClientMessageJson(R"([6,{"request_id":7,"query_id":{"id":2}}])");
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ClientMessage(UnsubscribeMulti{7, 2}));
  m = DecodeClientMessageJson(R"({"OneOffQuery":{"query_string":"q","message_id":[10,11]}})");
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ClientMessage(OneOffQuery{Hex("0a0b"), "q"}));
  // Whitespace is fine.
  m = DecodeClientMessageJson(" {\"Subscribe\" : {\"query_strings\" : [ ], \"request_id\" : 0}}\n");
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(*m, ClientMessage(Subscribe{{}, 0}));
}

TEST(V1ClientMessage, JsonRejectsMalformedMessages) {
  for (const char* text : {
           "",
           "{",
           "[]",
           "null",
           R"({"CallReducer":{"reducer":"add","args":"[]","request_id":1,"flags":0}} x)",
           R"({"Nope":{}})",
           R"({"CallReducer":{"reducer":"add","args":[42],"request_id":1,"flags":0}})",
           R"({"CallReducer":{"reducer":"add","args":"[]","request_id":1,"flags":2}})",
           R"({"CallReducer":{"reducer":"add","args":"[]","request_id":1}})",
           R"({"CallReducer":{"reducer":"add","args":"[]","request_id":1,"flags":0,"extra":1}})",
           R"({"CallReducer":{"reducer":"add","args":"[]","request_id":-1,"flags":0}})",
           R"({"CallReducer":{"reducer":"add","args":"[]","request_id":4294967296,"flags":0}})",
           R"({"CallProcedure":{"procedure":"p","args":"[]","request_id":1,"flags":1}})",
           R"({"Unsubscribe":{"request_id":1,"query_id":1}})",
           R"({"OneOffQuery":{"message_id":"0g","query_string":"q"}})",
           R"({"Subscribe":{"query_strings":"SELECT 1","request_id":1}})",
           R"({"Subscribe":{"query_strings":[],"request_id":1},"Unsubscribe":{"request_id":1,"query_id":{"id":1}}})",
           "{\"OneOffQuery\":{\"message_id\":\"\",\"query_string\":\"\xff\"}}",
           "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
           "]]]]]]]]]]]]]]]]]]]]]]",
       }) {
    auto m = DecodeClientMessageJson(text);
    EXPECT_FALSE(m.ok()) << text;
    if (!m.ok()) {
      EXPECT_EQ(m.error().code(), ErrorCode::kDecode);
      EXPECT_EQ(m.error().message().rfind("v1 ClientMessage", 0), 0u) << m.error().message();
    }
  }
}

TEST(V1ClientMessage, JsonErrorsSayWhatIsWrong) {
  auto m = DecodeClientMessageJson(R"({"Nope":{}})");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message(),
            "v1 ClientMessage (JSON): unknown message \"Nope\" (expected CallReducer, Subscribe, OneOffQuery, "
            "SubscribeSingle, SubscribeMulti, Unsubscribe, UnsubscribeMulti, CallProcedure)");
  m = DecodeClientMessageJson(R"({"CallReducer":{"reducer":"add","args":[42],"request_id":1,"flags":0}})");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("'args': expected a string"), std::string::npos) << m.error().message();
  m = DecodeClientMessageJson(R"({"CallReducer":{"reducer":"add","args":"[]","request_id":1}})");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("missing field 'flags'"), std::string::npos) << m.error().message();
}

TEST(V1ClientMessage, EncodersCheckTheArgumentsFormat) {
  ClientMessage json_call = CallReducer{"add", FunctionArgs::Json("[1]"), 1, CallReducerFlags::kFullUpdate};
  ClientMessage bsatn_call = CallReducer{"add", FunctionArgs::Bsatn(Hex("01000000")), 1, CallReducerFlags::kFullUpdate};
  EXPECT_FALSE(EncodeClientMessageBsatn(json_call).ok());
  EXPECT_FALSE(EncodeClientMessageJson(bsatn_call).ok());
  ClientMessage json_proc = CallProcedure{"p", FunctionArgs::Json("[]"), 1, CallProcedureFlags::kDefault};
  EXPECT_FALSE(EncodeClientMessageBsatn(json_proc).ok());
}

}  // namespace
}  // namespace stdb::server::protocol::v1
