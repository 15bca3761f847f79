// The module template `spacetime init --lang cpp` copies: its definition, and its reducers run once.
#include <gtest/gtest.h>

#include "fake_host.h"

namespace stdb::sdk_test {
namespace {

using T = sats::AlgebraicType;

TEST(Template, DefinitionAndReducers) {
  FakeHost& host = FakeHost::Get();
  host.LoadModule();
  const ModuleDefView& def = host.module_def();
  EXPECT_EQ(def.table_names(), (std::vector<std::string>{"person"}));
  EXPECT_EQ(def.typespace.types.at(def.table("person")->type_ref), sats::NamedProduct({{"name", T::String()}}));
  EXPECT_EQ(def.reducer_names(),
            (std::vector<std::string>{"identity_connected", "identity_disconnected", "init", "add", "say_hello"}));
  ASSERT_EQ(def.lifecycle.size(), 3u);

  const sats::Identity sender = host.database_identity;
  EXPECT_EQ(host.CallReducer("init", {}, sender).code, 0);
  EXPECT_EQ(host.CallReducer("add", Encode(sats::AlgebraicValue::String("Ada")), sender).code, 0);
  host.logs.clear();
  EXPECT_EQ(host.CallReducer("say_hello", {}, sender).code, 0);
  ASSERT_EQ(host.logs.size(), 2u);
  EXPECT_EQ(host.logs[0].message, "Hello, Ada!");
  EXPECT_EQ(host.logs[1].message, "Hello, World!");
  EXPECT_TRUE(host.violations.empty());
}

}  // namespace
}  // namespace stdb::sdk_test
