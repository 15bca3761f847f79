// keynote-transfer: the `accounts` table and the seed/transfer reducers, in the module definition and run
// against the fake host, including the failures that must leave every balance unchanged.
#include <gtest/gtest.h>

#include <map>

#include "fake_host.h"

namespace stdb::sdk_test {
namespace {

using T = sats::AlgebraicType;
using V = sats::AlgebraicValue;

sats::Bytes Args(std::initializer_list<V> values) {
  sats::Bytes out;
  for (const V& v : values) {
    const sats::Bytes b = Encode(v);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

class KeynoteTransfer : public ::testing::Test {
 protected:
  void SetUp() override { host.LoadModule(); }
  void TearDown() override { EXPECT_EQ(host.violations, std::vector<std::string>{}); }
  ReducerCall Seed(uint32_t n, int64_t balance) {
    return host.CallReducer("seed", Args({V::U32(n), V::I64(balance)}), host.database_identity);
  }
  ReducerCall Transfer(uint32_t from, uint32_t to, int64_t amount) {
    return host.CallReducer("transfer", Args({V::U32(from), V::U32(to), V::I64(amount)}), host.database_identity);
  }
  std::map<uint32_t, int64_t> Balances() {
    std::map<uint32_t, int64_t> out;
    for (const V& row : host.Rows("accounts"))
      out[row.AsProduct().elements[0].as<uint32_t>()] = row.AsProduct().elements[1].as<int64_t>();
    return out;
  }
  FakeHost& host = FakeHost::Get();
};

TEST_F(KeynoteTransfer, Definition) {
  const ModuleDefView& def = host.module_def();
  EXPECT_EQ(def.section_tags, (std::vector<uint8_t>{0, 1, 2, 3}));
  ASSERT_EQ(def.tables.size(), 1u);
  const TableView& accounts = def.tables[0];
  EXPECT_EQ(accounts.name, "accounts");
  EXPECT_EQ(def.type("Account")->ty, accounts.type_ref);
  EXPECT_EQ(def.typespace.types.at(accounts.type_ref), sats::NamedProduct({{"id", T::U32()}, {"balance", T::I64()}}));
  EXPECT_EQ(accounts.primary_key, (std::vector<uint16_t>{0}));
  ASSERT_EQ(accounts.indexes.size(), 1u);
  EXPECT_EQ(accounts.indexes[0].source_name, "accounts_id_idx_btree");
  EXPECT_EQ(accounts.indexes[0].accessor_name, "id");
  ASSERT_EQ(accounts.constraints.size(), 1u);
  EXPECT_TRUE(accounts.sequences.empty());
  EXPECT_EQ(accounts.table_access, 0);  // Public

  EXPECT_EQ(def.reducer_names(), (std::vector<std::string>{"seed", "transfer"}));
  EXPECT_EQ(def.reducer("seed")->params, sats::ProductType({{"n", T::U32()}, {"balance", T::I64()}}));
  EXPECT_EQ(def.reducer("transfer")->params,
            sats::ProductType({{"from", T::U32()}, {"to", T::U32()}, {"amount", T::I64()}}));
  EXPECT_EQ(def.reducer("transfer")->visibility, 1);
  EXPECT_TRUE(def.lifecycle.empty());
}

TEST_F(KeynoteTransfer, SeedCreatesNAccountsAndReplacesOldOnes) {
  ASSERT_EQ(Seed(3, 7).code, 0);
  EXPECT_EQ(Balances(), (std::map<uint32_t, int64_t>{{0, 7}, {1, 7}, {2, 7}}));
  ASSERT_EQ(Seed(2, 100).code, 0);
  EXPECT_EQ(Balances(), (std::map<uint32_t, int64_t>{{0, 100}, {1, 100}}));
}

TEST_F(KeynoteTransfer, TransferMovesMoneyBetweenTwoAccounts) {
  ASSERT_EQ(Seed(4, 1000).code, 0);
  ReducerCall call = Transfer(1, 3, 250);
  ASSERT_EQ(call.code, 0) << call.error;
  call = Transfer(3, 0, 1250);
  ASSERT_EQ(call.code, 0) << call.error;
  EXPECT_EQ(Balances(), (std::map<uint32_t, int64_t>{{0, 2250}, {1, 750}, {2, 1000}, {3, 0}}));
}

TEST_F(KeynoteTransfer, FailedTransfersChangeNothing) {
  ASSERT_EQ(Seed(2, 10).code, 0);
  const auto before = Balances();
  const std::vector<std::tuple<uint32_t, uint32_t, int64_t, std::string>> cases = {
      {0, 1, 11, "insufficient_funds"},
      {0, 5, 1, "account_missing"},
      {5, 0, 1, "account_missing"},
      {1, 1, 1, "same_account"},
      {0, 1, 0, "non_positive_amount"},
      {0, 1, -3, "non_positive_amount"},
  };
  for (const auto& [from, to, amount, error] : cases) {
    const ReducerCall call = Transfer(from, to, amount);
    EXPECT_EQ(call.code, 1) << from << "->" << to;
    EXPECT_EQ(call.error, error);
  }
  EXPECT_EQ(Balances(), before);
}

}  // namespace
}  // namespace stdb::sdk_test
