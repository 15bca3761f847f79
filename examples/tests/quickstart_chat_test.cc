// quickstart-chat against spec/module-abi.md §7.4: the module definition the host receives (tables, the
// reducer list and its order, lifecycle entries, inline special types), and the chat flow run through its
// reducers.
#include <gtest/gtest.h>

#include "fake_host.h"
#include "sats/special_types.h"

namespace stdb::sdk_test {
namespace {

using T = sats::AlgebraicType;
using V = sats::AlgebraicValue;

sats::Identity Client(uint8_t n) {
  uint8_t bytes[32] = {};
  bytes[0] = n;
  bytes[31] = 0xc2;
  return sats::Identity::FromLittleEndian(bytes);
}

class QuickstartChat : public ::testing::Test {
 protected:
  void SetUp() override { host.LoadModule(); }
  void TearDown() override { EXPECT_EQ(host.violations, std::vector<std::string>{}); }
  ReducerCall Call(std::string_view reducer, const sats::Bytes& args, const sats::Identity& sender,
                   int64_t timestamp = 1000) {
    return host.CallReducer(reducer, args, sender, 0x77, timestamp);
  }
  // The user rows as (identity hex, name or "<none>", online).
  std::vector<std::tuple<std::string, std::string, bool>> Users() {
    std::vector<std::tuple<std::string, std::string, bool>> out;
    for (const V& row : host.Rows("user")) {
      const auto& f = row.AsProduct().elements;
      const V& name = f[1];
      out.emplace_back(sats::Identity::FromValue(f[0])->ToHex(),
                       name.AsSum().tag == 0 ? name.AsSum().payload->AsString() : "<none>", f[2].AsBool());
    }
    return out;
  }
  FakeHost& host = FakeHost::Get();
};

TEST_F(QuickstartChat, DefinitionHasTheTutorialsTablesAndReducers) {
  const ModuleDefView& def = host.module_def();
  EXPECT_EQ(def.section_tags, (std::vector<uint8_t>{0, 1, 2, 3, 7}));

  // Typespace [Message, User]: the table preinits sort by type name.
  ASSERT_EQ(def.types.size(), 2u);
  EXPECT_EQ(def.types[0].name, "Message");
  EXPECT_EQ(def.types[1].name, "User");
  EXPECT_EQ(def.typespace.types.at(def.types[0].ty),
            sats::NamedProduct({{"sender", T::Identity()}, {"sent", T::Timestamp()}, {"text", T::String()}}));
  EXPECT_EQ(def.typespace.types.at(def.types[1].ty),
            sats::NamedProduct({{"identity", T::Identity()}, {"name", T::Option(T::String())}, {"online", T::Bool()}}));

  EXPECT_EQ(def.table_names(), (std::vector<std::string>{"message", "user"}));
  const TableView& user = *def.table("user");
  EXPECT_EQ(user.type_ref, def.types[1].ty);
  EXPECT_EQ(user.primary_key, (std::vector<uint16_t>{0}));
  ASSERT_EQ(user.indexes.size(), 1u);
  EXPECT_EQ(user.indexes[0].source_name, "user_identity_idx_btree");
  EXPECT_EQ(user.indexes[0].accessor_name, "identity");
  EXPECT_EQ(user.indexes[0].columns, (std::vector<uint16_t>{0}));
  ASSERT_EQ(user.constraints.size(), 1u);
  EXPECT_EQ(user.constraints[0].unique_columns, (std::vector<uint16_t>{0}));
  EXPECT_TRUE(user.sequences.empty());
  EXPECT_EQ(user.table_access, 0);
  const TableView& message = *def.table("message");
  EXPECT_TRUE(message.primary_key.empty());
  EXPECT_TRUE(message.indexes.empty());
  EXPECT_TRUE(message.constraints.empty());
  EXPECT_EQ(message.table_access, 0);

  EXPECT_EQ(def.reducer_names(),
            (std::vector<std::string>{"client_connected", "client_disconnected", "send_message", "set_name"}));
  EXPECT_EQ(def.reducers[0].visibility, 0);
  EXPECT_EQ(def.reducers[1].visibility, 0);
  EXPECT_EQ(def.reducers[2].visibility, 1);
  EXPECT_EQ(def.reducers[3].visibility, 1);
  EXPECT_EQ(def.reducer("set_name")->params, sats::ProductType({{"name", T::String()}}));
  EXPECT_EQ(def.reducer("send_message")->params, sats::ProductType({{"text", T::String()}}));

  ASSERT_EQ(def.lifecycle.size(), 2u);
  EXPECT_EQ(def.lifecycle[0].kind, 1);  // OnConnect
  EXPECT_EQ(def.lifecycle[0].function, "client_connected");
  EXPECT_EQ(def.lifecycle[1].kind, 2);  // OnDisconnect
  EXPECT_EQ(def.lifecycle[1].function, "client_disconnected");
}

TEST_F(QuickstartChat, ConnectNameChatAndDisconnect) {
  const sats::Identity alice = Client(1), bob = Client(2);
  ASSERT_EQ(Call("client_connected", {}, alice).code, 0);
  ASSERT_EQ(Call("client_connected", {}, bob).code, 0);
  EXPECT_EQ(Users(), (std::vector<std::tuple<std::string, std::string, bool>>{{alice.ToHex(), "<none>", true},
                                                                              {bob.ToHex(), "<none>", true}}));

  ReducerCall call = Call("set_name", Encode(V::String("Alice")), alice);
  ASSERT_EQ(call.code, 0) << call.error;
  call = Call("send_message", Encode(V::String("hello")), alice, 5000);
  ASSERT_EQ(call.code, 0) << call.error;
  const auto messages = host.Rows("message");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(*sats::Identity::FromValue(messages[0].AsProduct().elements[0]), alice);
  EXPECT_EQ(sats::Timestamp::FromValue(messages[0].AsProduct().elements[1])->micros_since_epoch(), 5000);
  EXPECT_EQ(messages[0].AsProduct().elements[2].AsString(), "hello");

  ASSERT_EQ(Call("client_disconnected", {}, alice).code, 0);
  EXPECT_EQ(Users(), (std::vector<std::tuple<std::string, std::string, bool>>{{alice.ToHex(), "Alice", false},
                                                                              {bob.ToHex(), "<none>", true}}));
  // Reconnecting finds the existing user.
  ASSERT_EQ(Call("client_connected", {}, alice).code, 0);
  EXPECT_EQ(host.Rows("user").size(), 2u);
  EXPECT_EQ(std::get<2>(Users()[0]), true);
}

TEST_F(QuickstartChat, ValidationErrorsReachTheCaller) {
  const sats::Identity alice = Client(1);
  ReducerCall call = Call("set_name", Encode(V::String("")), alice);
  EXPECT_EQ(call.code, 1);
  EXPECT_EQ(call.error, "Names must not be empty");
  call = Call("set_name", Encode(V::String("Nobody")), alice);
  EXPECT_EQ(call.code, 1);
  EXPECT_EQ(call.error, "Cannot set name for unknown user");
  call = Call("send_message", Encode(V::String("")), alice);
  EXPECT_EQ(call.code, 1);
  EXPECT_EQ(call.error, "Messages must not be empty");
  EXPECT_TRUE(host.Rows("message").empty());
}

TEST_F(QuickstartChat, DisconnectOfAnUnknownUserIsLogged) {
  host.logs.clear();
  EXPECT_EQ(Call("client_disconnected", {}, Client(9)).code, 0);
  ASSERT_EQ(host.logs.size(), 1u);
  EXPECT_EQ(host.logs[0].level, 1u);  // Warn
  EXPECT_EQ(host.logs[0].message, "Disconnect event for unknown user");
  EXPECT_EQ(host.logs[0].filename, "lib.cpp");
}

}  // namespace
}  // namespace stdb::sdk_test
