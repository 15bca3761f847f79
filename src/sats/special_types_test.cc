#include "sats/special_types.h"

#include <gtest/gtest.h>

namespace stdb::sats {
namespace {

TEST(Identity, HexIsBigEndianOfTheLittleEndianBytes) {
  uint8_t le[32] = {};
  le[0] = 0x01;
  le[31] = 0xc2;
  Identity id = Identity::FromLittleEndian(le);
  EXPECT_EQ(id.ToHex(), "c2" + std::string(60, '0') + "01");
  auto parsed = Identity::FromHex("0x" + id.ToHex());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, id);
  EXPECT_EQ(bsatn::EncodeValue(id.ToValue()), Bytes(le, le + 32));
  EXPECT_FALSE(Identity::FromHex("abc"));
  EXPECT_FALSE(Identity::FromHex(std::string(64, 'g')));
}

TEST(ConnectionId, Hex) {
  ConnectionId c(u128(0x0102) << 112);
  EXPECT_EQ(c.ToHex(), "0102" + std::string(28, '0'));
  EXPECT_EQ(ConnectionId::FromHex(c.ToHex()), c);
}

TEST(Timestamp, Rfc3339LikeTheReference) {
  EXPECT_EQ(Timestamp(0).ToRfc3339(), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(Timestamp(1700000000000000).ToRfc3339(), "2023-11-14T22:13:20+00:00");
  EXPECT_EQ(Timestamp(1700000000123000).ToRfc3339(), "2023-11-14T22:13:20.123+00:00");
  EXPECT_EQ(Timestamp(1700000000123456).ToRfc3339(), "2023-11-14T22:13:20.123456+00:00");
  EXPECT_EQ(Timestamp(-1).ToRfc3339(), "1969-12-31T23:59:59.999999+00:00");
  for (int64_t t : {int64_t(0), int64_t(1700000000123456), int64_t(-1), int64_t(951782400000000)}) {
    auto back = Timestamp::ParseRfc3339(Timestamp(t).ToRfc3339());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->micros_since_epoch(), t);
  }
  EXPECT_EQ(Timestamp::ParseRfc3339("2023-11-14T23:13:20+01:00")->micros_since_epoch(), 1700000000000000);
  EXPECT_EQ(Timestamp::ParseRfc3339("2023-11-14T22:13:20Z")->micros_since_epoch(), 1700000000000000);
  EXPECT_EQ(Timestamp::ParseRfc3339("1970-01-02")->micros_since_epoch(), 86400000000);
  EXPECT_FALSE(Timestamp::ParseRfc3339("2023-13-01"));
  EXPECT_FALSE(Timestamp::ParseRfc3339("2023-11-14T22:13"));
}

TEST(TimeDuration, Display) {
  EXPECT_EQ(TimeDuration(1500000).ToString(), "+1.500000");
  EXPECT_EQ(TimeDuration(-1).ToString(), "-0.000001");
  EXPECT_EQ(TimeDuration(0).ToString(), "+0.000000");
}

TEST(Uuid, CanonicalBytesAreReversedInBsatn) {
  auto u = Uuid::Parse("01234567-89ab-cdef-0123-456789abcdef");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ToString(), "01234567-89ab-cdef-0123-456789abcdef");
  Bytes b = bsatn::EncodeValue(u->ToValue());
  ASSERT_EQ(b.size(), 16u);
  EXPECT_EQ(b[0], 0xef);
  EXPECT_EQ(b[15], 0x01);
  EXPECT_FALSE(Uuid::Parse("01234567-89ab-cdef-0123_456789abcdef"));
}

TEST(ScheduleAt, ValueRoundTrip) {
  ScheduleAt interval{TimeDuration(1000)};
  auto back = ScheduleAt::FromValue(interval.ToValue());
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->is_interval());
  ScheduleAt at{Timestamp(5)};
  back = ScheduleAt::FromValue(at.ToValue());
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->is_interval());
  EXPECT_EQ(std::get<Timestamp>(back->at).micros_since_epoch(), 5);
  EXPECT_TRUE(bsatn::CheckValueType(AlgebraicType::ScheduleAt(), at.ToValue()).ok());
}

}  // namespace
}  // namespace stdb::sats
