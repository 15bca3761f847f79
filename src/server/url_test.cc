#include "server/url.h"

#include <gtest/gtest.h>

namespace stdb::server {
namespace {

TEST(UrlTest, SplitsOriginFormTargets) {
  auto t = SplitRequestTarget("/v1/database/x/sql?confirmed=true&a=b");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->raw_path, "/v1/database/x/sql");
  EXPECT_EQ(t->raw_query, "confirmed=true&a=b");
  auto no_query = SplitRequestTarget("/v1/ping");
  ASSERT_TRUE(no_query.ok());
  EXPECT_EQ(no_query->raw_path, "/v1/ping");
  EXPECT_EQ(no_query->raw_query, "");
}

TEST(UrlTest, SplitsAbsoluteAndAsteriskForms) {
  auto absolute = SplitRequestTarget("http://example.com:3000/v1/ping?x=1");
  ASSERT_TRUE(absolute.ok());
  EXPECT_EQ(absolute->raw_path, "/v1/ping");
  EXPECT_EQ(absolute->raw_query, "x=1");
  auto bare_host = SplitRequestTarget("http://example.com");
  ASSERT_TRUE(bare_host.ok());
  EXPECT_EQ(bare_host->raw_path, "/");
  auto asterisk = SplitRequestTarget("*");
  ASSERT_TRUE(asterisk.ok());
  EXPECT_EQ(asterisk->raw_path, "*");
}

TEST(UrlTest, RejectsOtherTargets) {
  EXPECT_FALSE(SplitRequestTarget("").ok());
  EXPECT_FALSE(SplitRequestTarget("v1/ping").ok());
  EXPECT_FALSE(SplitRequestTarget("://x/").ok());
}

TEST(UrlTest, PercentDecodes) {
  EXPECT_EQ(*PercentDecode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(*PercentDecode("%e2%82%AC"), "\xE2\x82\xAC");  // the euro sign, either hex case
  EXPECT_EQ(*PercentDecode("a+b"), "a+b");
  EXPECT_EQ(*PercentDecode("a+b", /*plus_as_space=*/true), "a b");
}

TEST(UrlTest, KeepsMalformedEscapesLiterally) {
  EXPECT_EQ(*PercentDecode("100%"), "100%");
  EXPECT_EQ(*PercentDecode("%zz"), "%zz");
  EXPECT_EQ(*PercentDecode("%4"), "%4");
  EXPECT_EQ(*PercentDecode("%%41"), "%A");
}

TEST(UrlTest, RejectsDecodedTextThatIsNotUtf8) {
  auto r = PercentDecode("%FF%FE");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(PercentDecode("%C0%AF").ok());  // overlong "/"
}

TEST(UrlTest, ParsesQueryStrings) {
  auto q = ParseQueryString("compression=Gzip&light=true&token=a%2Bb%3D&name=two+words&flag&&=empty");
  ASSERT_TRUE(q.ok());
  std::vector<std::pair<std::string, std::string>> expected = {
      {"compression", "Gzip"}, {"light", "true"}, {"token", "a+b="},
      {"name", "two words"},   {"flag", ""},      {"", "empty"}};
  EXPECT_EQ(*q, expected);
  EXPECT_TRUE(ParseQueryString("")->empty());
  EXPECT_FALSE(ParseQueryString("a=%FF").ok());
}

TEST(UrlTest, PercentEncodeRoundTrips) {
  std::string text = "a b/c?d=e&f+g~h.i_j-k\xE2\x82\xAC";
  std::string encoded = PercentEncode(text);
  EXPECT_EQ(encoded, "a%20b%2Fc%3Fd%3De%26f%2Bg~h.i_j-k%E2%82%AC");
  EXPECT_EQ(*PercentDecode(encoded), text);
}

}  // namespace
}  // namespace stdb::server
