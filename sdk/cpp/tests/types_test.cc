// The SDK's value types on their own: text forms (checked against src/sats where it has one), ordering of the
// wide integers, the deterministic RNG, UUID versions, ranges and Outcome.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <spacetimedb.h>

#include "sats/special_types.h"
#include "sats/wide_int.h"

namespace {

namespace sdk = SpacetimeDB;

TEST(SdkTypes, WideIntegerDecimalForms) {
  EXPECT_EQ(sdk::u128(0).to_string(), "0");
  EXPECT_EQ(sdk::u128(~0ULL, ~0ULL).to_string(), "340282366920938463463374607431768211455");
  EXPECT_EQ(sdk::i128(-1).to_string(), "-1");
  EXPECT_EQ(sdk::i128(std::numeric_limits<int64_t>::min(), 0).to_string(),
            stdb::sats::ToDecimal(std::numeric_limits<stdb::sats::i128>::min()));
  EXPECT_EQ(sdk::u256(0, 0, 1, 0).to_string(), "18446744073709551616");
  EXPECT_EQ(sdk::i256::from_i64(-42).to_string(), "-42");
}

TEST(SdkTypes, WideIntegersOrderNumerically) {
  EXPECT_LT(sdk::u128(0, ~0ULL), sdk::u128(1, 0));
  EXPECT_LT(sdk::i128(-1), sdk::i128(0));
  EXPECT_LT(sdk::i128(std::numeric_limits<int64_t>::min(), 0), sdk::i128(-1));
  EXPECT_LT(sdk::i256::from_i64(-5), sdk::i256::from_i64(3));
  EXPECT_LT(sdk::u256::from_u64(5), sdk::u256(0, 0, 1, 0));
  EXPECT_TRUE(sdk::u256().is_zero());
}

TEST(SdkTypes, TextFormsMatchTheServer) {
  for (int64_t micros : {0LL, 1700000000123456LL, -1LL, 951782400000000LL /* 2000-02-29 */, -62135596800000000LL}) {
    const std::string ours = sdk::Timestamp(micros).to_string();
    const auto parsed = stdb::sats::Timestamp::ParseRfc3339(ours);
    ASSERT_TRUE(parsed.has_value()) << ours;
    EXPECT_EQ(parsed->micros_since_epoch(), micros) << ours;
  }
  EXPECT_EQ(sdk::Timestamp(1700000000123456).to_string(), "2023-11-14T22:13:20.123456+00:00");
  EXPECT_EQ(sdk::TimeDuration::from_millis(1500).to_string(), stdb::sats::TimeDuration(1500000).ToString());
  EXPECT_EQ(sdk::TimeDuration(-1).to_string(), stdb::sats::TimeDuration(-1).ToString());

  auto id = sdk::Identity::from_hex("c2" + std::string(60, '0') + "01");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->get_bytes()[0], 0x01);
  EXPECT_EQ(id->get_bytes()[31], 0xc2);
  EXPECT_EQ(id->to_hex_string(), "c2" + std::string(60, '0') + "01");
  EXPECT_FALSE(sdk::Identity::from_hex("xyz").has_value());
}

TEST(SdkTypes, TimeArithmetic) {
  const sdk::Timestamp t = sdk::Timestamp::from_seconds_since_epoch(10);
  EXPECT_EQ((t + sdk::TimeDuration::from_millis(250)).micros_since_epoch(), 10250000);
  EXPECT_EQ((t - sdk::Timestamp::from_millis_since_epoch(4000)).micros(), 6000000);
  EXPECT_EQ(sdk::TimeDuration::from_minutes(2), sdk::TimeDuration::from_seconds(120));
  EXPECT_EQ(sdk::TimeDuration::from_hours(1).seconds(), 3600);
  EXPECT_EQ(sdk::TimeDuration(-5).abs().micros(), 5);
}

TEST(SdkTypes, ScheduleAtAlternatives) {
  const sdk::ScheduleAt every = sdk::TimeDuration::from_seconds(1);
  const sdk::ScheduleAt once = sdk::Timestamp(99);
  EXPECT_TRUE(every.is_interval());
  EXPECT_EQ(every.get_interval().micros(), 1000000);
  EXPECT_TRUE(once.is_time());
  EXPECT_EQ(once.get_time().micros_since_epoch(), 99);
  EXPECT_NE(every, once);
}

TEST(SdkTypes, RngIsDeterministicPerTimestamp) {
  sdk::StdbRng a(sdk::Timestamp(123456789));
  sdk::StdbRng b(sdk::Timestamp(123456789));
  sdk::StdbRng c(sdk::Timestamp(123456790));
  std::vector<uint64_t> xs, ys, zs;
  for (int i = 0; i < 8; ++i) {
    xs.push_back(a.next_u64());
    ys.push_back(b.next_u64());
    zs.push_back(c.next_u64());
  }
  EXPECT_EQ(xs, ys);
  EXPECT_NE(xs, zs);
  // Same seed as std::mt19937_64, as documented.
  std::mt19937_64 reference(123456789);
  EXPECT_EQ(xs[0], reference());
}

TEST(SdkTypes, RngRangesStayInBounds) {
  sdk::StdbRng rng(42);
  std::set<int> seen;
  for (int i = 0; i < 2000; ++i) {
    const int die = rng.gen_range(1, 6);
    ASSERT_GE(die, 1);
    ASSERT_LE(die, 6);
    seen.insert(die);
    const double p = rng.gen<double>();
    ASSERT_GE(p, 0.0);
    ASSERT_LT(p, 1.0);
    const float f = rng.gen_range(0.5f, 2.0f);
    ASSERT_GE(f, 0.5f);
    ASSERT_LT(f, 2.0f);
  }
  EXPECT_EQ(seen.size(), 6u);
  EXPECT_EQ(rng.gen_range<int64_t>(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::min()),
            std::numeric_limits<int64_t>::min());
  std::vector<int> deck{1, 2, 3, 4, 5, 6, 7, 8};
  rng.shuffle(deck.begin(), deck.end());
  std::vector<int> sorted = deck;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
  const std::vector<std::string> options{"a", "b"};
  const std::string pick = rng.sample(options);
  EXPECT_TRUE(pick == "a" || pick == "b");
}

TEST(SdkTypes, UuidVersions) {
  std::array<uint8_t, 16> random{};
  random.fill(0xff);
  const sdk::Uuid v4 = sdk::Uuid::from_random_bytes_v4(random);
  EXPECT_EQ(v4.get_version(), sdk::Uuid::Version::V4);
  EXPECT_EQ(v4.to_string(), "ffffffff-ffff-4fff-bfff-ffffffffffff");

  uint32_t counter = 0x7fffffff;
  const sdk::Uuid v7 = sdk::Uuid::from_counter_v7(counter, sdk::Timestamp::from_millis_since_epoch(0x0123456789ab),
                                                  {0xff, 1, 2, 3});
  EXPECT_EQ(counter, 0u);  // wrapped
  EXPECT_EQ(v7.get_version(), sdk::Uuid::Version::V7);
  EXPECT_EQ(v7.to_string().substr(0, 13), "01234567-89ab");
  const sdk::Uuid next = sdk::Uuid::from_counter_v7(counter, sdk::Timestamp::from_millis_since_epoch(0x0123456789ab),
                                                    {0, 0, 0, 0});
  EXPECT_EQ(counter, 1u);
  EXPECT_EQ(sdk::Uuid::nil().get_version(), sdk::Uuid::Version::Nil);
  EXPECT_EQ(sdk::Uuid::max().get_version(), sdk::Uuid::Version::Max);
  EXPECT_NE(next, v7);
  EXPECT_FALSE(sdk::Uuid::parse_str("0189fb4e-7c1a-7d4c-8e2f-11223344556").has_value());
  EXPECT_FALSE(sdk::Uuid::parse_str("0189fb4e+7c1a-7d4c-8e2f-112233445566").has_value());
}

TEST(SdkTypes, Ranges) {
  EXPECT_TRUE(sdk::range(18, 65).contains(18));
  EXPECT_FALSE(sdk::range(18, 65).contains(65));
  EXPECT_TRUE(sdk::range_inclusive(18, 65).contains(65));
  EXPECT_TRUE(sdk::range_from(5).contains(1000));
  EXPECT_FALSE(sdk::range_to(5).contains(5));
  EXPECT_TRUE(sdk::range_to_inclusive(5).contains(5));
  EXPECT_TRUE(sdk::range_full<int>().contains(-7));
  EXPECT_TRUE(sdk::is_range_v<sdk::Range<std::string>>);
  EXPECT_FALSE(sdk::is_range_v<std::string>);
}

sdk::Outcome<std::string> Validate(const std::string& s) {
  if (s.empty()) return sdk::Err<std::string>("empty");
  return sdk::Ok(s);
}

TEST(SdkTypes, Outcome) {
  EXPECT_TRUE(Validate("x").is_ok());
  EXPECT_EQ(Validate("x").value(), "x");
  EXPECT_EQ(Validate("").error(), "empty");
  EXPECT_EQ(Validate("").value_or("fallback"), "fallback");
  const sdk::ReducerResult ok = sdk::Ok();
  const sdk::ReducerResult err = sdk::Err("no");
  EXPECT_TRUE(ok.is_ok());
  EXPECT_TRUE(err.is_err());
  EXPECT_EQ(err.error(), "no");
}

}  // namespace
