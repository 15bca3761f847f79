// The example modules (and the SDK's test modules), as built to wasm by clang-19, published into the server's
// own host (src/host: V8, the spacetime_10.x imports, module-definition validation, the datastore and the
// scheduler) and driven through it: the definitions pass the server's validation and the reducers behave as
// the native tests against the fake host say they do.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "host/database.h"
#include "host/instance_env.h"
#include "host/module_instance.h"
#include "host/wasm_runtime.h"

namespace stdb::host {
namespace {

using sats::AlgebraicValue;

sats::Bytes Module(const std::string& name) {
  std::ifstream in(std::string(STDB_MODULES_DIR) + "/" + name + ".wasm", std::ios::binary);
  return sats::Bytes(std::istreambuf_iterator<char>(in), {});
}

sats::Identity IdentityOf(char digit) { return *sats::Identity::FromHex("c200" + std::string(60, digit)); }

DatabaseOptions Options() {
  DatabaseOptions o;
  o.name = "sdk-e2e";
  o.identity = IdentityOf('1');
  o.owner = IdentityOf('2');
  return o;
}

std::unique_ptr<Database> Publish(const std::string& module) {
  const sats::Bytes program = Module(module);
  EXPECT_FALSE(program.empty()) << module << ".wasm is missing";
  auto db = Database::Create(Options(), program, nullptr, nullptr);
  EXPECT_TRUE(db.ok()) << module << ": " << db.error().message();
  return db.ok() ? std::move(*db) : nullptr;
}

sats::Bytes Args(std::initializer_list<AlgebraicValue> values) {
  return sats::bsatn::EncodeValue(AlgebraicValue::Product(std::vector<AlgebraicValue>(values)));
}

ReducerResponse Call(Database& db, const std::string& reducer, const sats::Bytes& args,
                     const sats::Identity& caller = IdentityOf('3')) {
  ReducerRequest request;
  request.reducer = reducer;
  request.args = args;
  request.caller = caller;
  return db.Run([&] { return db.CallReducer(request); });
}

std::vector<AlgebraicValue> Rows(Database& db, const std::string& table) {
  return db.Run([&] {
    std::vector<AlgebraicValue> rows;
    const TableDef* def = db.module_def().FindTable(table);
    if (!def) return rows;
    const sats::AlgebraicType type = sats::AlgebraicType::Product(def->RowType());
    auto id = db.datastore().TableIdByName(table);
    db.datastore().GetTable(*id)->rows().view().ForEach([&](table::RowId, sats::ByteSpan row) {
      auto value = sats::bsatn::DecodeValue(type, row);
      if (value.ok()) rows.push_back(std::move(*value));
    });
    return rows;
  });
}

const AlgebraicValue& Field(const AlgebraicValue& row, size_t i) { return row.AsProduct().elements.at(i); }

TEST(SdkModulesInTheHost, EveryModulePublishes) {
  for (const char* module : {"sdk_golden_module", "sdk_feature_module", "sdk_template", "quickstart-chat",
                             "keynote-transfer", "scheduled-reminders"}) {
    SCOPED_TRACE(module);
    auto db = Publish(module);
    ASSERT_NE(db, nullptr);
    EXPECT_FALSE(db->module_def().tables().empty());
  }
}

// The wasm build of the golden module, loaded the way the host loads every instance (_initialize, the preinits
// in export-name order, __describe_module__), describes exactly the 235-byte vector of spec/module-abi.md §5.7.
TEST(SdkModulesInTheHost, WasmGoldenModuleDescribesTheSpecVector) {
  const std::string hex =
      "020500000000010000000202000000000200000069640b00040000006e616d65"
      "0401010000000000000006000000506572736f6e000000000102010000000600"
      "0000706572736f6e00000000010000000000010000000013000000706572736f"
      "6e5f69645f6964785f6274726565000200000069640001000000000001000000"
      "0100010000000000010000000100000101010100000000000000000000000000"
      "000001000000000000030200000004000000696e697400000000000200000000"
      "04030000006164640100000000040000006e616d650401020000000004070100"
      "00000004000000696e6974";
  sats::Bytes golden;
  for (size_t i = 0; i < hex.size(); i += 2) golden.push_back(uint8_t(std::stoi(hex.substr(i, 2), nullptr, 16)));

  auto engine = CreateWasmEngine();
  ASSERT_TRUE(engine.ok()) << engine.error().message();
  auto module = (*engine)->Compile(Module("sdk_golden_module"));
  ASSERT_TRUE(module.ok()) << module.error().message();
  InstanceEnv env;
  auto instance = ModuleInstance::Create(**engine, **module, &env);
  ASSERT_TRUE(instance.ok()) << instance.error().message();
  ASSERT_TRUE((*instance)->Initialize().ok());
  auto described = (*instance)->Describe();
  ASSERT_TRUE(described.ok()) << described.error().message();
  EXPECT_EQ(*described, golden);
}

TEST(SdkModulesInTheHost, GoldenModuleInsertsWithItsSequence) {
  auto db = Publish("sdk_golden_module");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->module_def().FindReducer("add"), 1u);
  EXPECT_EQ(db->module_def().LifecycleReducer(Lifecycle::kInit), 0u);
  ASSERT_TRUE(Call(*db, "add", Args({AlgebraicValue::String("Ada")})).committed());
  ASSERT_TRUE(Call(*db, "add", Args({AlgebraicValue::String("Grace")})).committed());
  const ReducerResponse failed = Call(*db, "add", Args({AlgebraicValue::String("")}));
  EXPECT_EQ(failed.status, ReducerResponse::Status::kFailedUser);
  EXPECT_EQ(failed.message, "name is empty");
  const auto rows = Rows(*db, "person");
  ASSERT_EQ(rows.size(), 2u);
  std::vector<uint32_t> ids{Field(rows[0], 0).as<uint32_t>(), Field(rows[1], 0).as<uint32_t>()};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<uint32_t>{1, 2}));
}

TEST(SdkModulesInTheHost, KeynoteTransfer) {
  auto db = Publish("keynote-transfer");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Call(*db, "seed", Args({AlgebraicValue::U32(4), AlgebraicValue::I64(100)})).committed());
  ASSERT_TRUE(Call(*db, "transfer", Args({AlgebraicValue::U32(0), AlgebraicValue::U32(3), AlgebraicValue::I64(30)}))
                  .committed());
  ReducerResponse r =
      Call(*db, "transfer", Args({AlgebraicValue::U32(1), AlgebraicValue::U32(2), AlgebraicValue::I64(101)}));
  EXPECT_EQ(r.status, ReducerResponse::Status::kFailedUser);
  EXPECT_EQ(r.message, "insufficient_funds");
  r = Call(*db, "transfer", Args({AlgebraicValue::U32(1), AlgebraicValue::U32(9), AlgebraicValue::I64(1)}));
  EXPECT_EQ(r.message, "account_missing");
  std::map<uint32_t, int64_t> balances;
  for (const auto& row : Rows(*db, "accounts")) balances[Field(row, 0).as<uint32_t>()] = Field(row, 1).as<int64_t>();
  EXPECT_EQ(balances, (std::map<uint32_t, int64_t>{{0, 70}, {1, 100}, {2, 100}, {3, 130}}));
}

TEST(SdkModulesInTheHost, QuickstartChat) {
  auto db = Publish("quickstart-chat");
  ASSERT_NE(db, nullptr);
  const sats::Identity alice = IdentityOf('a');
  const sats::ConnectionId connection(0x1234);
  ASSERT_TRUE(db->Run([&] { return db->ClientConnected(alice, connection, "{}"); }).ok());
  ASSERT_TRUE(Call(*db, "set_name", Args({AlgebraicValue::String("Alice")}), alice).committed());
  ASSERT_TRUE(Call(*db, "send_message", Args({AlgebraicValue::String("hello")}), alice).committed());
  const ReducerResponse unknown = Call(*db, "set_name", Args({AlgebraicValue::String("Bob")}), IdentityOf('b'));
  EXPECT_EQ(unknown.message, "Cannot set name for unknown user");
  db->Run([&] { db->ClientDisconnected(alice, connection); });

  const auto users = Rows(*db, "user");
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(*sats::Identity::FromValue(Field(users[0], 0)), alice);
  EXPECT_EQ(Field(users[0], 1), AlgebraicValue::OptionSome(AlgebraicValue::String("Alice")));
  EXPECT_FALSE(Field(users[0], 2).AsBool());
  const auto messages = Rows(*db, "message");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(Field(messages[0], 2).AsString(), "hello");
}

TEST(SdkModulesInTheHost, ScheduledRemindersFire) {
  auto db = Publish("scheduled-reminders");
  ASSERT_NE(db, nullptr);
  // A one-shot reminder 100 ms from now, on top of init's interval (1 s) and one-shot (5 s) reminders.
  ASSERT_TRUE(Call(*db, "schedule_reminder", Args({AlgebraicValue::String("tea"), AlgebraicValue::U64(100)}))
                  .committed());
  auto fired = [&](const std::string& message) {
    for (const auto& row : Rows(*db, "firing"))
      if (Field(row, 2).AsString() == message) return true;
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((!fired("tea") || !fired("every second")) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(fired("tea"));
  EXPECT_TRUE(fired("every second"));
  // The one-shot row is gone once it fired; the interval row stays.
  const auto deadline_cleanup = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  auto has_schedule = [&](const std::string& message) {
    for (const auto& row : Rows(*db, "reminder_schedule"))
      if (Field(row, 2).AsString() == message) return true;
    return false;
  };
  while (has_schedule("tea") && std::chrono::steady_clock::now() < deadline_cleanup)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(has_schedule("tea"));
  EXPECT_TRUE(has_schedule("every second"));
  // Clients cannot call the scheduled reducer.
  EXPECT_EQ(Call(*db, "send_reminder", Args({})).status, ReducerResponse::Status::kNoSuchReducer);
}

}  // namespace
}  // namespace stdb::host
