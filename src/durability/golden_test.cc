// Golden tests: bytes fixed by the format (spec/data-layer.md §3.2-3.3), and a transaction of the reference's
// v1.2 test database rebuilt from values read out of it (the fixture itself is not part of this repository).
#include <gtest/gtest.h>

#include "durability/commitlog.h"
#include "durability/segment.h"
#include "durability/testing/memory_file_system.h"
#include "durability/tx_record.h"
#include "sats/algebraic_type.h"
#include "sats/special_types.h"

namespace stdb::durability {
namespace {

using sats::AlgebraicType;

sats::Bytes FromHex(std::string_view hex) {
  sats::Bytes out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST(Golden, SmallestSegment) {
  // Segment header, then one commit at offset 0, epoch 0, holding the record of an empty transaction that
  // has a mutations section (flags 0x20, three zero counts). CRC32C computed independently of this code.
  const sats::Bytes golden = FromHex(
      "286473295e32" "01" "00" "0000"                   // "(ds)^2", version 1, CRC32C, reserved
      "0000000000000000" "0000000000000000" "0100" "04000000"  // min_tx_offset, epoch, n, len
      "20000000"                                          // records
      "d534f8ed");                                        // crc32c 0xedf834d5, little-endian
  testing::MemoryFileSystem fs;
  CommitlogOptions o;
  o.file_system = &fs;
  {
    auto log = std::move(Commitlog::Open("/clog", o)).value();
    TxRecord empty;
    empty.mutations = TxMutations{};
    ASSERT_EQ(*log->Append(empty), 0u);
    ASSERT_TRUE(log->Close().ok());  // which also cuts the preallocated zeros
  }
  EXPECT_EQ(*fs.Contents("/clog/00000000000000000000.stdb.log"), golden);
}

// Transaction 1 of crates/engine/testdata/v1.2/replicas/22000001/clog/00000000000000000000.stdb.log in the
// reference repository: a client connecting to the quickstart chat module. The values below were read from
// that file; encoding them must reproduce the stored commit exactly, which its length and CRC32C pin down.
struct IdentityConnectedTx {
  sats::Bytes identity = FromHex("1ad49e8797aeebfb48dac7f50417c4df7540633f52681071545178bd18f200c2");  // LE
  sats::Bytes connection_id = FromHex("9629c20ea79067933f8343c8cc34b14e");                            // LE
  int64_t timestamp_micros = 1755532673786191;                                                        // 2025-08-18
  static constexpr uint32_t kStClient = 7;
  static constexpr uint32_t kUserTable = 4098;

  TxRecord Build() const {
    TxRecord tx;
    TxInputs inputs;
    inputs.reducer_name = "identity_connected";
    inputs.args = identity;
    inputs.args.insert(inputs.args.end(), connection_id.begin(), connection_id.end());
    for (int i = 0; i < 8; ++i) inputs.args.push_back(static_cast<uint8_t>(uint64_t(timestamp_micros) >> (8 * i)));
    tx.inputs = inputs;
    sats::Bytes client_row = identity;  // st_client {identity, connection_id}
    client_row.insert(client_row.end(), connection_id.begin(), connection_id.end());
    sats::Bytes user_row = identity;  // user {identity, name: Option<String> = none (tag 1), online: true}
    user_row.push_back(0x01);
    user_row.push_back(0x01);
    tx.mutations = TxMutations{{{kUserTable, {user_row}}, {kStClient, {client_row}}}, {}, {}};
    return tx;
  }

  static const AlgebraicType& RowType(uint32_t table_id) {
    static const AlgebraicType client = AlgebraicType::Product(sats::ProductType({
        {std::string("identity"), AlgebraicType::Identity()},
        {std::string("connection_id"), AlgebraicType::ConnectionId()},
    }));
    static const AlgebraicType user = AlgebraicType::Product(sats::ProductType({
        {std::string("identity"), AlgebraicType::Identity()},
        {std::string("name"), AlgebraicType::Option(AlgebraicType::String())},
        {std::string("online"), AlgebraicType::Bool()},
    }));
    return table_id == kStClient ? client : user;
  }
};

TEST(Golden, ReferenceFixtureIdentityConnectedCommit) {
  IdentityConnectedTx facts;
  sats::Bytes records;
  ASSERT_TRUE(EncodeTxRecord(facts.Build(), records).ok());
  EXPECT_EQ(records.size(), 175u);
  EXPECT_EQ(records[0], 0xA0);  // inputs | mutations
  sats::Bytes commit;
  uint32_t crc = EncodeCommit(format::kCurrentLogFormatVersion, /*min_tx_offset=*/1, /*epoch=*/0, /*n=*/1, records, commit);
  EXPECT_EQ(commit.size(), 201u);
  EXPECT_EQ(crc, 0x7AE01EDEu);

  // Decoding with the tables' real row types (the way the datastore will) gives the rows back.
  auto view = DecodeTxRecord(records, [](uint32_t table, sats::ByteSpan at) {
    return BsatnRowSize(IdentityConnectedTx::RowType(table), nullptr, at);
  });
  ASSERT_TRUE(view.ok()) << view.error().message();
  EXPECT_EQ(view->inputs->reducer_name, "identity_connected");
  EXPECT_EQ(view->inputs->args.size(), 56u);
  sats::bsatn::Reader caller(view->inputs->args);
  EXPECT_EQ(sats::Identity::Decode(caller).ToHex(), "c200f218bd785154711068523f634075dfc41704f5c7da48fbebae97879ed41a");
  const auto& inserts = view->mutations->inserts;
  ASSERT_EQ(inserts.size(), 2u);
  EXPECT_EQ(inserts[0].table_id, 7u);  // written in ascending table order
  EXPECT_EQ(inserts[0].rows[0].size(), 48u);
  EXPECT_EQ(inserts[1].table_id, 4098u);
  EXPECT_EQ(inserts[1].rows[0].size(), 34u);
  EXPECT_TRUE(view->mutations->deletes.empty());
  EXPECT_TRUE(view->mutations->truncates.empty());
}

TEST(Golden, LogShapedLikeTheReferenceFixture) {
  // The fixture holds 9 single-transaction commits: the module's initialisation (no inputs), then reducer
  // calls with 56 bytes of caller data plus their own arguments.
  const std::vector<std::pair<std::string, size_t>> calls = {
      {"identity_connected", 0}, {"identity_connected", 0},    {"send_message", 7},
      {"send_message", 16},      {"identity_connected", 0},    {"identity_disconnected", 0},
      {"identity_disconnected", 0}, {"identity_disconnected", 0}};
  testing::MemoryFileSystem fs;
  CommitlogOptions o;
  o.file_system = &fs;
  {
    auto log = std::move(Commitlog::Open("/clog", o)).value();
    TxRecord init;
    init.mutations = TxMutations{{{1, {sats::Bytes(40, 1)}}, {4097, {}}}, {}, {}};
    ASSERT_EQ(*log->Append(init), 0u);
    for (const auto& [name, extra] : calls) {
      TxRecord tx;
      tx.inputs = TxInputs{name, sats::Bytes(56 + extra, 0x42)};
      tx.mutations = TxMutations{};
      ASSERT_TRUE(log->Append(tx).ok());
    }
    ASSERT_TRUE(log->Sync().ok());
  }
  auto reader = std::move(CommitReader::Open(fs, "/clog", 0)).value();
  size_t i = 0;
  while (*reader.Next()) {
    const Commit& c = reader.commit();
    EXPECT_EQ(c.min_tx_offset, i);
    EXPECT_EQ(c.n, 1);
    EXPECT_EQ(c.epoch, 0u);
    EXPECT_EQ(c.records[0], i == 0 ? 0x20 : 0xA0);
    if (i > 0) {
      uint8_t name_len = c.records[5];
      EXPECT_EQ(std::string(c.records.begin() + 6, c.records.begin() + 6 + name_len), calls[i - 1].first);
    }
    ++i;
  }
  EXPECT_EQ(i, 9u);
}

}  // namespace
}  // namespace stdb::durability
