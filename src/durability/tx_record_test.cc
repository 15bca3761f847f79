#include "durability/tx_record.h"

#include <gtest/gtest.h>

#include <random>

#include "durability/testing/test_records.h"

namespace stdb::durability {
namespace {

using testing::TestRow;
using testing::TestRowSize;

sats::Bytes Encode(const TxRecord& tx) {
  sats::Bytes out;
  Status s = EncodeTxRecord(tx, out);
  EXPECT_TRUE(s.ok()) << s.error().message();
  return out;
}

// A RowSizeFn for rows that are one u32 each.
Result<size_t> FourByteRows(uint32_t, sats::ByteSpan at) {
  if (at.size() < 4) return Error(ErrorCode::kDecode, "short row");
  return size_t(4);
}

TEST(TxRecord, GoldenLayoutOfAReducerTransaction) {
  TxRecord tx;
  tx.inputs = TxInputs{"hi", {0xAA, 0xBB}};
  tx.mutations = TxMutations{{{7, {{1, 0, 0, 0}}}}, {}, {9}};
  sats::Bytes expected = {
      0xA0,                    // flags: inputs | mutations
      0x05, 0x00, 0x00, 0x00,  // inputs total_len = 1 + 2 + 2
      0x02, 'h', 'i',          // name_len, name
      0xAA, 0xBB,              // args
      0x01,                    // one insert op
      0x07, 0x00, 0x00, 0x00,  // table 7
      0x01,                    // one row
      0x01, 0x00, 0x00, 0x00,  // the row
      0x00,                    // no delete ops
      0x01, 0x09, 0x00, 0x00, 0x00,  // one truncate: table 9
  };
  EXPECT_EQ(Encode(tx), expected);
  auto view = DecodeTxRecord(expected, FourByteRows);
  ASSERT_TRUE(view.ok()) << view.error().message();
  EXPECT_EQ(view->ToOwned(), tx);
}

TEST(TxRecord, FlagsAnnounceExactlyThePresentSections) {
  TxRecord empty;
  EXPECT_EQ(Encode(empty), sats::Bytes({0x00}));
  TxRecord only_mutations;
  only_mutations.mutations = TxMutations{};
  EXPECT_EQ(Encode(only_mutations), sats::Bytes({0x20, 0x00, 0x00, 0x00}));
  TxRecord only_outputs;
  only_outputs.outputs = "err";
  EXPECT_EQ(Encode(only_outputs), sats::Bytes({0x40, 0x03, 'e', 'r', 'r'}));
  TxRecord all;
  all.inputs = TxInputs{"", {}};
  all.outputs = "";
  all.mutations = TxMutations{};
  EXPECT_EQ(Encode(all), sats::Bytes({0xE0, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
  for (const TxRecord* tx : {&empty, &only_mutations, &only_outputs, &all}) {
    sats::Bytes bytes = Encode(*tx);
    auto view = DecodeTxRecord(bytes, FourByteRows);
    ASSERT_TRUE(view.ok()) << view.error().message();
    EXPECT_EQ(view->ToOwned(), *tx);
  }
}

TEST(TxRecord, EncoderSortsOpsByTableIdLikeTheServer) {
  TxRecord tx;
  tx.mutations = TxMutations{{{30, {{3, 0, 0, 0}}}, {10, {{1, 0, 0, 0}}}, {20, {{2, 0, 0, 0}}}},
                             {{5, {{5, 0, 0, 0}}}, {4, {{4, 0, 0, 0}}}},
                             {8, 6}};
  sats::Bytes bytes = Encode(tx);
  auto view = DecodeTxRecord(bytes, FourByteRows);
  ASSERT_TRUE(view.ok()) << view.error().message();
  const auto& m = *view->mutations;
  ASSERT_EQ(m.inserts.size(), 3u);
  EXPECT_EQ(m.inserts[0].table_id, 10u);
  EXPECT_EQ(m.inserts[1].table_id, 20u);
  EXPECT_EQ(m.inserts[2].table_id, 30u);
  EXPECT_EQ(m.inserts[0].rows[0][0], 1);
  EXPECT_EQ(m.deletes[0].table_id, 4u);
  EXPECT_EQ(m.truncates, std::vector<uint32_t>({6, 8}));
}

TEST(TxRecord, EncoderRejectsWhatTheFormatCannotHold) {
  sats::Bytes out = {0x55};
  TxRecord long_name;
  long_name.inputs = TxInputs{std::string(256, 'x'), {}};
  EXPECT_EQ(EncodeTxRecord(long_name, out).error().code(), ErrorCode::kInvalidArgument);
  TxRecord max_name;
  max_name.inputs = TxInputs{std::string(255, 'x'), {}};
  EXPECT_TRUE(EncodeTxRecord(max_name, out).ok());
  out = {0x55};
  TxRecord bad_utf8;
  bad_utf8.inputs = TxInputs{std::string("\xff\xfe"), {}};
  EXPECT_FALSE(EncodeTxRecord(bad_utf8, out).ok());
  TxRecord long_output;
  long_output.outputs = std::string(300, 'e');
  EXPECT_FALSE(EncodeTxRecord(long_output, out).ok());
  TxRecord duplicate_table;
  duplicate_table.mutations = TxMutations{{{1, {}}, {1, {}}}, {}, {}};
  Status dup = EncodeTxRecord(duplicate_table, out);
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message().find("table 1 appears twice"), std::string::npos);
  EXPECT_EQ(out, sats::Bytes({0x55}));  // failed encodes append nothing
}

TEST(TxRecord, RandomTransactionsRoundTripWithBsatnRows) {
  for (uint64_t seed = 0; seed < 300; ++seed) {
    TxRecord tx = testing::CanonicalTestTx(seed);
    sats::Bytes bytes = Encode(tx);
    auto view = DecodeTxRecord(bytes, TestRowSize());
    ASSERT_TRUE(view.ok()) << seed << ": " << view.error().message();
    EXPECT_EQ(view->ToOwned(), tx) << seed;
    // Rows are views into the input, not copies.
    if (!view->mutations->inserts.empty() && !view->mutations->inserts[0].rows.empty()) {
      const uint8_t* row = view->mutations->inserts[0].rows[0].data();
      EXPECT_GE(row, bytes.data());
      EXPECT_LT(row, bytes.data() + bytes.size());
    }
  }
}

TEST(TxRecord, PrefixDecodingWalksConcatenatedRecords) {
  sats::Bytes records;
  for (uint64_t seed = 0; seed < 20; ++seed) ASSERT_TRUE(EncodeTxRecord(testing::CanonicalTestTx(seed), records).ok());
  size_t pos = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    size_t consumed = 0;
    auto view = DecodeTxRecordPrefix(sats::ByteSpan(records).subspan(pos), TestRowSize(), &consumed);
    ASSERT_TRUE(view.ok()) << view.error().message();
    EXPECT_EQ(view->ToOwned(), testing::CanonicalTestTx(seed));
    pos += consumed;
  }
  EXPECT_EQ(pos, records.size());
  // As one record, the concatenation has trailing bytes.
  auto whole = DecodeTxRecord(records, TestRowSize());
  ASSERT_FALSE(whole.ok());
  EXPECT_NE(whole.error().message().find("trailing bytes"), std::string::npos);
}

TEST(TxRecord, EveryTruncationIsRejected) {
  for (uint64_t seed = 0; seed < 40; ++seed) {
    sats::Bytes bytes = Encode(testing::CanonicalTestTx(seed));
    for (size_t len = 0; len < bytes.size(); ++len) {
      auto view = DecodeTxRecord(sats::ByteSpan(bytes.data(), len), TestRowSize());
      EXPECT_FALSE(view.ok()) << "seed " << seed << " accepted a prefix of " << len << " of " << bytes.size();
      if (!view.ok()) {
        EXPECT_EQ(view.error().code(), ErrorCode::kDecode);
      }
    }
  }
}

TEST(TxRecord, HostileLengthsAndCountsAreRejectedWithOffsets) {
  auto decode = [](sats::Bytes b) { return DecodeTxRecord(b, FourByteRows); };
  // Inputs total_len shorter than the name it announces (would underflow).
  auto r = decode({0x80, 0x01, 0x00, 0x00, 0x00, 0x05, 'a', 'b', 'c', 'd', 'e'});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("offset 1"), std::string::npos) << r.error().message();
  // total_len of 4 GiB.
  EXPECT_FALSE(decode({0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}).ok());
  // Reserved flag bits.
  r = decode({0x21, 0x00, 0x00, 0x00});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("reserved"), std::string::npos);
  // An op count no input could hold.
  EXPECT_FALSE(decode({0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}).ok());
  // A row count no input could hold.
  EXPECT_FALSE(decode({0x20, 0x01, 0x07, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x03}).ok());
  // A truncate count beyond the input.
  EXPECT_FALSE(decode({0x20, 0x00, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00}).ok());
  // Invalid UTF-8 in a reducer name and in an output.
  EXPECT_FALSE(decode({0x80, 0x03, 0x00, 0x00, 0x00, 0x02, 0xC3, 0x28}).ok());
  EXPECT_FALSE(decode({0x40, 0x01, 0xFF}).ok());
  // A varint that never ends.
  EXPECT_FALSE(decode({0x20, 0x80, 0x80, 0x80}).ok());
}

TEST(TxRecord, RowSizeErrorsAndOversizedRowsAreReported) {
  TxRecord tx;
  tx.mutations = TxMutations{{{42, {{1, 2, 3, 4}}}}, {}, {}};
  sats::Bytes bytes = Encode(tx);
  auto failing = [](uint32_t table, sats::ByteSpan) -> Result<size_t> {
    return Error(ErrorCode::kNotFound, "no schema for table " + std::to_string(table));
  };
  auto r = DecodeTxRecord(bytes, failing);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("no schema for table 42"), std::string::npos) << r.error().message();
  auto too_big = [](uint32_t, sats::ByteSpan at) -> Result<size_t> { return at.size() + 1; };
  EXPECT_FALSE(DecodeTxRecord(bytes, too_big).ok());
}

TEST(TxRecord, RandomGarbageNeverCrashes) {
  std::mt19937_64 rng(99);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    sats::Bytes junk(rng() % 64);
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    if (!junk.empty() && rng() % 2) junk[0] &= 0xE0;  // valid flags half of the time
    auto r = DecodeTxRecord(junk, TestRowSize());
    if (r.ok()) ++accepted;
  }
  SUCCEED() << accepted << " random buffers happened to be valid records";
}

TEST(TxRecord, BitFlipsOfValidRecordsNeverCrash) {
  sats::Bytes bytes = Encode(testing::CanonicalTestTx(3));
  for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    sats::Bytes flipped = bytes;
    flipped[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
    (void)DecodeTxRecord(flipped, TestRowSize());
  }
}

TEST(TxRecord, ZeroSizeRowsAreBoundedBySetSemantics) {
  // A table without columns holds at most one (empty) row; a count of two with no bytes left is impossible.
  auto empty_rows = [](uint32_t, sats::ByteSpan) -> Result<size_t> { return size_t(0); };
  sats::Bytes one = {0x20, 0x01, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
  auto ok = DecodeTxRecord(one, empty_rows);
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(ok->mutations->inserts[0].rows.size(), 1u);
  sats::Bytes huge = {0x20, 0x01, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x00};
  EXPECT_FALSE(DecodeTxRecord(huge, empty_rows).ok());
}

}  // namespace
}  // namespace stdb::durability
