#include "auth/identity.h"

#include <gtest/gtest.h>

namespace stdb::auth {
namespace {

// spec/client-protocol.md §10.1. The first row is the reference's own vector
// (crates/bindings-csharp/Runtime.Tests/JwtClaimsTest.cs).
TEST(IdentityTest, ReferenceVector) {
  EXPECT_EQ(IdentityFromClaims("example.com", "123").ToHex(),
            "c200ef884364c1a99be0298dc68f2004e6b97c09d1b1658b7db22f51fb662059");
}

TEST(IdentityTest, SpecVectors) {
  EXPECT_EQ(IdentityFromClaims("localhost", "alice").ToHex(),
            "c20035600353a2e93544d898c6ed0eac323e200c0468300f22958f8b472a265d");
  EXPECT_EQ(IdentityFromClaims("localhost", "bob").ToHex(),
            "c200e63a6bd07da2304dd6f5b4691d3338562ceaa43cad4624d0d181a7a6c0d4");
}

TEST(IdentityTest, BigEndianPrefixIsTheMostSignificantBytes) {
  sats::Identity id = IdentityFromClaims("example.com", "123");
  EXPECT_EQ(id.be_bytes()[0], 0xC2);
  EXPECT_EQ(id.be_bytes()[1], 0x00);
  // BSATN (little-endian) carries the prefix in its last two bytes.
  EXPECT_EQ(id.le_bytes()[31], 0xC2);
  EXPECT_EQ(id.le_bytes()[30], 0x00);
}

// The separator is part of the hashed input, so moving it changes the identity.
TEST(IdentityTest, SeparatorIsSignificant) {
  EXPECT_NE(IdentityFromClaims("ab", "c"), IdentityFromClaims("a", "bc"));
  EXPECT_NE(IdentityFromClaims("localhost", "alice"), IdentityFromClaims("localhost", "Alice"));
}

TEST(IdentityTest, ChecksumRecognisesDerivedIdentities) {
  sats::Identity id = IdentityFromClaims("https://auth.example.com", "user-42");
  EXPECT_TRUE(HasClaimsIdentityChecksum(id));
  EXPECT_FALSE(HasClaimsIdentityChecksum(sats::Identity()));
  std::array<uint8_t, 32> be = id.be_bytes();
  be[20] ^= 1;  // one bit of the id hash
  EXPECT_FALSE(HasClaimsIdentityChecksum(sats::Identity::FromBigEndian(be.data())));
  be = id.be_bytes();
  be[3] ^= 0x80;  // one bit of the checksum
  EXPECT_FALSE(HasClaimsIdentityChecksum(sats::Identity::FromBigEndian(be.data())));
}

}  // namespace
}  // namespace stdb::auth
