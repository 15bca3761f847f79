#include "durability/tx_data_record.h"

#include <gtest/gtest.h>

#include "datastore/mut_tx.h"
#include "datastore/test_util.h"
#include "durability/commitlog_format.h"
#include "durability/replay_row_sizer.h"

namespace stdb::durability {
namespace {

using datastore::TableChanges;
using datastore::TxData;

sats::Bytes Row(uint64_t id, const std::string& name) {
  sats::Bytes out;
  sats::bsatn::Writer w(out);
  w.U64(id);
  w.String(name);
  return out;
}

TEST(ToTxRecord, FollowsWhatTheServerWrites) {
  TxData data;
  TableChanges truncated{4096, "t", {}, {}, true, false};
  truncated.deletes.Add(Row(1, "gone"));
  truncated.deletes.Add(Row(2, "gone too"));
  TableChanges changed{4097, "u", {}, {}, false, false};
  changed.inserts.Add(Row(3, "new"));
  changed.deletes.Add(Row(4, "old"));
  TableChanges system{datastore::kStSequence, "st_sequence", {}, {}, false, false};
  system.inserts.Add(Row(5, "seq"));
  // Out of order on purpose: the record must not depend on the order TxData lists tables in.
  data.tables.push_back(std::move(changed));
  data.tables.push_back(std::move(truncated));
  data.tables.push_back(std::move(system));
  data.inputs = datastore::TxInputs{"send_message", sats::Bytes(56, 7)};
  data.tx_offset = 12;

  TxRecord record = ToTxRecord(data);
  ASSERT_TRUE(record.inputs.has_value());
  EXPECT_EQ(record.inputs->reducer_name, "send_message");
  EXPECT_EQ(record.inputs->args, sats::Bytes(56, 7));
  EXPECT_FALSE(record.outputs.has_value());
  ASSERT_TRUE(record.mutations.has_value());
  const TxMutations& m = *record.mutations;
  ASSERT_EQ(m.inserts.size(), 2u);
  EXPECT_EQ(m.inserts[0].table_id, datastore::kStSequence);
  EXPECT_EQ(m.inserts[1].table_id, 4097u);
  EXPECT_EQ(m.inserts[1].rows, std::vector<sats::Bytes>{Row(3, "new")});
  // The truncated table appears only as a truncate; its deleted rows are not written.
  ASSERT_EQ(m.deletes.size(), 1u);
  EXPECT_EQ(m.deletes[0].table_id, 4097u);
  EXPECT_EQ(m.deletes[0].rows, std::vector<sats::Bytes>{Row(4, "old")});
  EXPECT_EQ(m.truncates, std::vector<uint32_t>{4096});
  sats::Bytes encoded;
  ASSERT_TRUE(EncodeTxRecord(record, encoded).ok());
  EXPECT_EQ(encoded[0], format::kTxFlagHaveInputs | format::kTxFlagHaveMutations);
}

TEST(ToTxRecord, MutationsArePresentEvenWhenEmptyAndNonReducerTransactionsHaveNoInputs) {
  TxData data;
  TableChanges t{4096, "t", {}, {}, false, false};
  t.inserts.Add(Row(1, "x"));
  data.tables.push_back(std::move(t));
  data.tx_offset = 0;
  TxRecord record = ToTxRecord(data);
  EXPECT_FALSE(record.inputs.has_value());
  sats::Bytes encoded;
  ASSERT_TRUE(EncodeTxRecord(record, encoded).ok());
  EXPECT_EQ(encoded[0], format::kTxFlagHaveMutations);  // flags 0x20 like the reference's SQL transactions

  TxData only_inputs;
  only_inputs.inputs = datastore::TxInputs{"__identity_connected__", sats::Bytes(56, 1)};
  TxRecord connect = ToTxRecord(only_inputs);
  ASSERT_TRUE(connect.mutations.has_value());
  EXPECT_TRUE(connect.mutations->inserts.empty());
}

TEST(ToTxRecord, EventTableInsertsAreLogged) {
  TxData data;
  TableChanges events{4100, "events", {}, {}, false, /*is_event=*/true};
  events.inserts.Add(Row(9, "boom"));
  data.tables.push_back(std::move(events));
  TxRecord record = ToTxRecord(data);
  ASSERT_EQ(record.mutations->inserts.size(), 1u);
  EXPECT_EQ(record.mutations->inserts[0].table_id, 4100u);
}

TEST(ToTxRecord, LongReducerNamesAreCutAtACharacterBoundary) {
  std::string name;
  while (name.size() < 300) name += "\xC3\xA9";  // é, two bytes: byte 255 falls inside one
  TxData data;
  data.inputs = datastore::TxInputs{name, {}};
  TxRecord record = ToTxRecord(data);
  EXPECT_EQ(record.inputs->reducer_name.size(), 254u);
  EXPECT_EQ(name.compare(0, 254, record.inputs->reducer_name), 0);
  sats::Bytes encoded;
  EXPECT_TRUE(EncodeTxRecord(record, encoded).ok());  // valid UTF-8 within the u8 length
}

TEST(EncodeTxDataRecord, WritesExactlyTheBytesOfTheRecord) {
  std::vector<TxData> cases;
  {
    TxData data;
    TableChanges truncated{4096, "t", {}, {}, true, false};
    truncated.deletes.Add(Row(1, "gone"));
    TableChanges changed{4097, "u", {}, {}, false, false};
    changed.inserts.Add(Row(3, "new"));
    changed.inserts.Add(Row(33, ""));
    changed.deletes.Add(Row(4, "old"));
    TableChanges system{datastore::kStSequence, "st_sequence", {}, {}, false, false};
    system.inserts.Add(Row(5, "seq"));
    data.tables.push_back(std::move(changed));
    data.tables.push_back(std::move(truncated));
    data.tables.push_back(std::move(system));
    std::string long_name;
    while (long_name.size() < 300) long_name += "\xC3\xA9";
    data.inputs = datastore::TxInputs{long_name, sats::Bytes(56, 7)};
    cases.push_back(std::move(data));
  }
  cases.emplace_back();  // nothing at all
  // Real transactions: schema changes, inserts, updates, deletes, truncates.
  auto ds = datastore::Datastore::Create();
  auto tx = *ds->BeginMutTx();
  datastore::TableId accounts = *tx->CreateTable(datastore::testing::AccountsDef());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(tx->Insert(accounts, datastore::testing::AccountRow(0, "o", i)).ok());
  cases.push_back(tx->Commit());
  tx = *ds->BeginMutTx();
  ASSERT_TRUE(tx->Update(accounts, datastore::kFirstUserId, datastore::testing::AccountRow(3, "p", 33)).ok());
  tx->SetInputs({"update", sats::Bytes(60, 1)});
  cases.push_back(tx->Commit());
  tx = *ds->BeginMutTx();
  ASSERT_TRUE(tx->Clear(accounts).ok());
  cases.push_back(tx->Commit());
  for (const TxData& data : cases) {
    sats::Bytes expected, direct;
    ASSERT_TRUE(EncodeTxRecord(ToTxRecord(data), expected).ok());
    ASSERT_TRUE(EncodeTxDataRecord(data, direct).ok());
    EXPECT_EQ(direct, expected);
  }
  TxData bad;
  bad.inputs = datastore::TxInputs{"\xFF", {}};
  sats::Bytes out = {9};
  EXPECT_FALSE(EncodeTxDataRecord(bad, out).ok());
  EXPECT_EQ(out, sats::Bytes{9});
}

TEST(ToReplayTx, RoundTripsThroughTheEncodingIntoAnEqualState) {
  using datastore::testing::AccountRow;
  using datastore::testing::AccountsDef;
  auto primary = datastore::Datastore::Create();
  auto replica = datastore::Datastore::Create();
  ReplayRowSizer sizer(*replica);
  auto ship = [&](const TxData& data) {
    ASSERT_TRUE(data.tx_offset.has_value());
    sats::Bytes encoded;
    ASSERT_TRUE(EncodeTxRecord(ToTxRecord(data), encoded).ok());
    sizer.BeginTransaction();
    auto view = DecodeTxRecord(encoded, sizer.AsRowSizeFn());
    ASSERT_TRUE(view.ok()) << view.error().message();
    Status s = replica->Replay(ToReplayTx(*view), *data.tx_offset);
    ASSERT_TRUE(s.ok()) << s.error().message();
  };
  auto tx = *primary->BeginMutTx();
  datastore::TableId accounts = *tx->CreateTable(AccountsDef());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(tx->Insert(accounts, AccountRow(0, "o", i)).ok());
  tx->SetInputs({"init", sats::Bytes(56, 0)});
  ship(tx->Commit());
  tx = *primary->BeginMutTx();
  ASSERT_TRUE(tx->Update(accounts, datastore::kFirstUserId, AccountRow(3, "p", 33)).ok());
  ASSERT_TRUE(tx->DeleteByValue(accounts, AccountRow(4, "o", 3)).ok());
  ship(tx->Commit());
  tx = *primary->BeginMutTx();
  ASSERT_TRUE(tx->Clear(accounts).ok());
  TxData cleared = tx->Commit();
  ASSERT_EQ(ToTxRecord(cleared).mutations->truncates, std::vector<uint32_t>{accounts});
  ship(cleared);
  ASSERT_TRUE(replica->FinishReplay().ok());
  EXPECT_EQ(datastore::testing::StateOf(*replica), datastore::testing::StateOf(*primary));
}

}  // namespace
}  // namespace stdb::durability
