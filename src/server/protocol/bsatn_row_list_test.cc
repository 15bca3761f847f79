#include "server/protocol/bsatn_row_list.h"

#include <gtest/gtest.h>

#include <string>

#include "server/protocol/test_util.h"

namespace stdb::server::protocol {
namespace {

using sats::ByteSpan;
using sats::Bytes;
using testing_util::Hex;

Bytes Row(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes Encode(const BsatnRowList& list) {
  Bytes out;
  sats::bsatn::Writer w(out);
  list.Encode(w);
  return out;
}

Result<BsatnRowList> Decode(const Bytes& bytes) {
  sats::bsatn::Reader r(bytes);
  auto list = BsatnRowList::Decode(r);
  if (list.ok() && !r.at_end()) return Error(ErrorCode::kDecode, "trailing");
  return list;
}

TEST(BsatnRowList, EmptyIsRowOffsetsWithNoData) {
  BsatnRowList empty;
  EXPECT_EQ(empty.hint_kind(), RowSizeHintKind::kRowOffsets);
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(Encode(empty), Hex("01 00000000 00000000"));
  EXPECT_EQ(BsatnRowListBuilder().Finish(), empty);
  EXPECT_EQ(BsatnRowList::FromRows({}), empty);
}

TEST(BsatnRowList, SameSizedRowsAreFixedSize) {
  BsatnRowListBuilder b;
  b.Append(Row("abc"));
  b.Append(Row("def"));
  b.Append(Row("ghi"));
  BsatnRowList list = b.Finish();
  EXPECT_EQ(list.hint_kind(), RowSizeHintKind::kFixedSize);
  EXPECT_EQ(list.fixed_size(), 3u);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(Bytes(list.row(1).begin(), list.row(1).end()), Row("def"));
  EXPECT_EQ(Encode(list), Hex("00 0300 09000000 616263 646566 676869"));
  EXPECT_EQ(b.num_rows(), 0u);  // reset for reuse
}

TEST(BsatnRowList, SingleRowIsFixedSize) {
  BsatnRowList list = BsatnRowList::FromRows(std::vector<ByteSpan>{ByteSpan(Row("x"))});
  EXPECT_EQ(Encode(list), Hex("00 0100 01000000 78"));
}

TEST(BsatnRowList, DifferentSizesSwitchToOffsets) {
  BsatnRowListBuilder b;
  b.Append(Row("ab"));
  b.Append(Row("cd"));
  b.Append(Row("efg"));
  b.Append(Row("h"));
  BsatnRowList list = b.Finish();
  EXPECT_EQ(list.hint_kind(), RowSizeHintKind::kRowOffsets);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(Encode(list), Hex("01 04000000 0000000000000000 0200000000000000 0400000000000000 0700000000000000"
                              " 08000000 6162636465666768"));
  EXPECT_EQ(Bytes(list.row(2).begin(), list.row(2).end()), Row("efg"));
  EXPECT_EQ(Bytes(list.row(3).begin(), list.row(3).end()), Row("h"));
  EXPECT_EQ(list.row_offset(3), 7u);
}

TEST(BsatnRowList, ZeroLengthRowsForceOffsets) {
  BsatnRowListBuilder b;
  b.Append({});
  b.Append({});
  BsatnRowList list = b.Finish();
  EXPECT_EQ(list.hint_kind(), RowSizeHintKind::kRowOffsets);
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(list.row(0).size(), 0u);
  EXPECT_EQ(Encode(list), Hex("01 02000000 0000000000000000 0000000000000000 00000000"));

  // A zero-length row after fixed-size rows also switches.
  b.Append(Row("ab"));
  b.Append({});
  list = b.Finish();
  EXPECT_EQ(list.hint_kind(), RowSizeHintKind::kRowOffsets);
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(list.row(1).size(), 0u);
}

TEST(BsatnRowList, RowsOver65535BytesForceOffsets) {
  Bytes big(70000, 0xab);
  BsatnRowListBuilder b;
  b.Append(big);
  b.Append(big);
  BsatnRowList list = b.Finish();
  EXPECT_EQ(list.hint_kind(), RowSizeHintKind::kRowOffsets);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list.row_offset(1), 70000u);
  EXPECT_EQ(list.row(1).size(), 70000u);

  // Exactly 65535 still fits FixedSize.
  b.Append(Bytes(65535, 1));
  list = b.Finish();
  EXPECT_EQ(list.hint_kind(), RowSizeHintKind::kFixedSize);
  EXPECT_EQ(list.fixed_size(), 65535u);
}

TEST(BsatnRowList, BeginRowEncodesInPlace) {
  BsatnRowListBuilder b;
  for (uint32_t i = 0; i < 3; ++i) {
    sats::bsatn::Writer w(b.BeginRow());
    w.U32(i);
    w.String("n");
    b.EndRow();
  }
  EXPECT_EQ(b.num_rows(), 3u);
  EXPECT_EQ(b.data_size(), 27u);
  BsatnRowList list = b.Finish();
  EXPECT_EQ(list.fixed_size(), 9u);
  EXPECT_EQ(Encode(list).size(), 7u + 27u);
  sats::bsatn::Reader r(list.row(2));
  EXPECT_EQ(r.U32(), 2u);
}

TEST(BsatnRowList, DecodeRoundTripsAndCopiesAreShared) {
  for (const Bytes& wire : {Hex("01 00000000 00000000"), Hex("00 0300 06000000 616263 646566"),
                            Hex("00 0300 00000000"),
                            Hex("01 02000000 0000000000000000 0100000000000000 03000000 616263")}) {
    auto list = Decode(wire);
    ASSERT_TRUE(list.ok()) << list.error().message();
    EXPECT_EQ(Encode(*list), wire);
    BsatnRowList copy = *list;
    EXPECT_EQ(copy.wire().data(), list->wire().data());
  }
}

TEST(BsatnRowList, ExplicitConstructors) {
  auto fixed = BsatnRowList::FixedSize(2, Row("abcd"));
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->size(), 2u);
  EXPECT_FALSE(BsatnRowList::FixedSize(0, {}).ok());
  EXPECT_FALSE(BsatnRowList::FixedSize(3, Row("abcd")).ok());

  std::vector<uint64_t> offsets = {0};
  auto one = BsatnRowList::RowOffsets(offsets, Row("alice"));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(Encode(*one), Hex("01 01000000 0000000000000000 05000000 616c696365"));
  offsets = {1};
  EXPECT_FALSE(BsatnRowList::RowOffsets(offsets, Row("alice")).ok());
}

TEST(BsatnRowList, DecodeRejectsMalformedLists) {
  struct Case {
    const char* hex;
    const char* why;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"", "unexpected end"},
           {"02 00000000", "unknown RowSizeHint tag 2"},
           {"00 0000 00000000", "FixedSize(0)"},
           {"00 0300 04000000 61626364", "not a multiple"},
           {"01 00000000 02000000 6162", "no row offsets"},
           {"01 01000000 0100000000000000 02000000 6162", "first row offset"},
           {"01 02000000 0000000000000000 0500000000000000 02000000 6162", "past the end"},
           {"01 03000000 0000000000000000 0200000000000000 0100000000000000 03000000 616263", "below the previous"},
           {"01 ffffffff 00000000", "claims 4294967295 elements"},
           {"00 0100 ffffffff 61", "only 1 bytes remain"},
           {"01 01000000 00000000", "claims 1 elements"},
       }) {
    auto list = Decode(Hex(c.hex));
    ASSERT_FALSE(list.ok()) << c.hex;
    EXPECT_NE(list.error().message().find(c.why), std::string::npos) << c.hex << ": " << list.error().message();
  }
}

TEST(BsatnRowList, EveryTruncationIsRejected) {
  Bytes wire = Hex("01 02000000 0000000000000000 0100000000000000 03000000 616263");
  for (size_t n = 0; n < wire.size(); ++n) {
    Bytes cut(wire.begin(), wire.begin() + n);
    sats::bsatn::Reader r(cut);
    EXPECT_FALSE(BsatnRowList::Decode(r).ok()) << n;
  }
}

}  // namespace
}  // namespace stdb::server::protocol
