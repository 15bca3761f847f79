// The Database end to end with a hand-written module (testdata/person_module.wat, whose definition is the
// golden V10 vector): publish with init, reducer calls and their outcomes, traps and instance replacement,
// the time budget, connect/disconnect lifecycle, commit listeners.
#include "host/database.h"

#include <gtest/gtest.h>

#include <fstream>

namespace stdb::host {
namespace {

using sats::AlgebraicValue;

sats::Bytes ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return sats::Bytes(std::istreambuf_iterator<char>(in), {});
}

sats::Bytes PersonModule() { return ReadFile(std::string(STDB_WASM_TESTDATA_DIR) + "/person_module.wasm"); }

sats::Bytes NameArg(const std::string& name) { return sats::bsatn::EncodeValue(AlgebraicValue::Product({AlgebraicValue::String(name)})); }

std::vector<std::string> PersonNames(Database& db) {
  return db.Run([&] {
    std::vector<std::string> names;
    auto id = db.datastore().TableIdByName("person");
    db.datastore().GetTable(*id)->rows().view().ForEach([&](table::RowId, sats::ByteSpan row) {
      sats::bsatn::Reader r(row.subspan(4));
      names.push_back(r.String());
    });
    std::sort(names.begin(), names.end());
    return names;
  });
}

DatabaseOptions Options() {
  DatabaseOptions o;
  o.name = "test";
  o.identity = *sats::Identity::FromHex("c200" + std::string(60, '1'));
  o.owner = *sats::Identity::FromHex("c200" + std::string(60, '2'));
  o.engine.call_budget = std::chrono::milliseconds(300);
  return o;
}

class Recorder : public CommitListener {
 public:
  void OnCommit(const CommitEvent& e) override {
    offsets.push_back(*e.tx.tx_offset);
    reducers.push_back(e.reducer ? e.reducer->reducer : "");
    rows_after.push_back(e.state().TableByName("person") ? e.state().TableByName("person")->rows.row_count() : 0);
  }
  std::vector<uint64_t> offsets;
  std::vector<std::string> reducers;
  std::vector<size_t> rows_after;
};

TEST(Database, PublishRunsInitInTheCreatingTransaction) {
  auto db = Database::Create(Options(), PersonModule(), nullptr, nullptr);
  ASSERT_TRUE(db.ok()) << db.error().message();
  EXPECT_EQ(PersonNames(**db), std::vector<std::string>{"init"});
  EXPECT_EQ((*db)->Run([&] { return (*db)->module_def().tables().size(); }), 1u);
  // The creating transaction is durable as offset 0.
  EXPECT_EQ((*db)->durability().durable_offset(), 0u);
}

TEST(Database, RefusesBrokenModules) {
  auto bad = Database::Create(Options(), sats::Bytes{0, 'a', 's', 'm', 9, 9}, nullptr, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("invalid WebAssembly module"), std::string::npos);
}

TEST(Database, ReducerOutcomes) {
  auto db = std::move(*Database::Create(Options(), PersonModule(), nullptr, nullptr));
  Recorder rec;
  db->Run([&] { db->AddCommitListener(&rec); });
  auto call = [&](const std::string& reducer, sats::Bytes args) {
    return db->Run([&] { return db->CallReducer({reducer, args, Options().owner, sats::ConnectionId(7), std::nullopt}); });
  };
  ReducerResponse ok = call("add", NameArg("bob"));
  EXPECT_EQ(ok.status, ReducerResponse::Status::kCommitted) << ok.message;
  ASSERT_TRUE(ok.tx && ok.tx->tx_offset);
  EXPECT_EQ(*ok.tx->tx_offset, 1u);
  ASSERT_NE(ok.tx->inputs, std::nullopt);
  EXPECT_EQ(ok.tx->inputs->reducer_name, "add");
  EXPECT_EQ(ok.tx->inputs->args.size(), 56u + NameArg("bob").size());

  ReducerResponse user = call("add", NameArg(""));
  EXPECT_EQ(user.status, ReducerResponse::Status::kFailedUser);
  EXPECT_EQ(user.message, "empty name");

  ReducerResponse dup = call("add", NameArg("dup!"));  // explicit id 1 collides with the init row
  EXPECT_EQ(dup.status, ReducerResponse::Status::kFailedUser);
  EXPECT_EQ(dup.message, "insert failed");

  ReducerResponse trap = call("add", NameArg("trap"));
  EXPECT_EQ(trap.status, ReducerResponse::Status::kFailedInternal);
  // The instance is replaced and serves the next call.
  EXPECT_EQ(call("add", NameArg("carol")).status, ReducerResponse::Status::kCommitted);

  ReducerResponse spin = call("add", NameArg("loop"));
  EXPECT_EQ(spin.status, ReducerResponse::Status::kFailedInternal);
  EXPECT_NE(spin.message.find("time budget"), std::string::npos);
  ReducerResponse after_spin = call("add", NameArg("erin"));
  EXPECT_EQ(after_spin.status, ReducerResponse::Status::kCommitted) << after_spin.message;
  EXPECT_EQ(call("nope", {}).status, ReducerResponse::Status::kNoSuchReducer);
  EXPECT_EQ(call("init", {}).status, ReducerResponse::Status::kNoSuchReducer);  // lifecycle
  ReducerResponse bad_args = call("add", sats::Bytes{1, 2});
  EXPECT_EQ(bad_args.status, ReducerResponse::Status::kInvalidArguments);

  EXPECT_EQ(PersonNames(*db), (std::vector<std::string>{"bob", "carol", "erin", "init"}));
  EXPECT_EQ(rec.offsets, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(rec.reducers, (std::vector<std::string>{"add", "add", "add"}));
  EXPECT_EQ(rec.rows_after, (std::vector<size_t>{2, 3, 4}));
  // Traps and the interrupt were logged.
  auto logs = db->logs().Tail(0);
  bool trapped = false, interrupted = false;
  for (const auto& l : logs) {
    trapped = trapped || l.message.find("trapped") != std::string::npos;
    interrupted = interrupted || l.message.find("interrupted") != std::string::npos;
  }
  EXPECT_TRUE(trapped);
  EXPECT_TRUE(interrupted);
  db->Run([&] { db->RemoveCommitListener(&rec); });
}

TEST(Database, ConnectAndDisconnectMaintainStClient) {
  auto db = std::move(*Database::Create(Options(), PersonModule(), nullptr, nullptr));
  sats::Identity alice = *sats::Identity::FromHex("c200" + std::string(60, '3'));
  auto clients = [&] { return db->Run([&] { return db->datastore().GetTable(datastore::kStClient)->row_count(); }); };
  ASSERT_TRUE(db->Run([&] { return db->ClientConnected(alice, sats::ConnectionId(42), R"({"sub":"a"})"); }).ok());
  EXPECT_EQ(clients(), 1u);
  EXPECT_EQ(db->Run([&] { return db->datastore().GetTable(datastore::kStConnectionCredentials)->row_count(); }), 1u);
  db->Run([&] { db->ClientDisconnected(alice, sats::ConnectionId(42)); });
  EXPECT_EQ(clients(), 0u);
  db->Run([&] { db->ClientDisconnected(alice, sats::ConnectionId(42)); });  // already gone: no-op
  EXPECT_EQ(clients(), 0u);
}

TEST(Database, SnapshotsReadOffTheDatabaseThread) {
  auto db = std::move(*Database::Create(Options(), PersonModule(), nullptr, nullptr));
  auto snapshot = db->Run([&] { return db->Snapshot(); });
  for (int i = 0; i < 20; ++i)
    db->Run([&] { return db->CallReducer({"add", NameArg("p" + std::to_string(i)), Options().owner, {}, std::nullopt}); });
  EXPECT_EQ(snapshot->TableByName("person")->rows.row_count(), 1u);
  EXPECT_EQ(PersonNames(*db).size(), 21u);
}

}  // namespace
}  // namespace stdb::host
