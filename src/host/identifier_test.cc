#include "host/identifier.h"

#include <gtest/gtest.h>

#include <array>

namespace stdb::host {
namespace {

std::string ErrorOf(std::string_view name, std::span<const std::string_view> reserved = kReferenceReservedWords) {
  Status s = ValidateIdentifier(name, reserved);
  return s.ok() ? "" : s.error().message();
}

TEST(Identifier, AcceptsAsciiAndUnicodeIdentifiers) {
  for (const char* name : {"friends", "Oysters", "_hello", "bananas_there_", "bees123", "_", "x", "Москва", "東京",
                           "_\u00C5", "Ελληνικά", "user", "order", "type", "select"}) {
    EXPECT_TRUE(ValidateIdentifier(name).ok()) << name << ": " << ErrorOf(name);
  }
}

TEST(Identifier, RejectsEmpty) { EXPECT_NE(ErrorOf("").find("empty identifiers"), std::string::npos); }

TEST(Identifier, RejectsBadFirstCharacter) {
  EXPECT_NE(ErrorOf("123bees").find("starts with '1'"), std::string::npos) << ErrorOf("123bees");
  EXPECT_NE(ErrorOf(" hello").find("starts with ' '"), std::string::npos);
  EXPECT_NE(ErrorOf("\u200Bhello").find("U+200B"), std::string::npos) << ErrorOf("\u200Bhello");  // zero-width space
  EXPECT_NE(ErrorOf("🍌").find("XID_Start"), std::string::npos);
  EXPECT_NE(ErrorOf("\u0301a").find("XID_Start"), std::string::npos);  // a combining mark cannot start a name
}

TEST(Identifier, RejectsBadLaterCharacter) {
  EXPECT_NE(ErrorOf("hello ").find("XID_Continue"), std::string::npos);
  EXPECT_NE(ErrorOf("my-table").find("'-'"), std::string::npos) << ErrorOf("my-table");
  EXPECT_NE(ErrorOf("a.b").find("XID_Continue"), std::string::npos);
  EXPECT_NE(ErrorOf("snack🍌").find("XID_Continue"), std::string::npos);
  EXPECT_NE(ErrorOf("tab\tle").find("U+0009"), std::string::npos) << ErrorOf("tab\tle");
}

TEST(Identifier, RejectsNamesNotInNormalizationFormC) {
  // "_Å" written as A + combining ring: the composed form U+00C5 is the NFC one.
  EXPECT_NE(ErrorOf("_A\u030A").find("Normalization Form C"), std::string::npos) << ErrorOf("_A\u030A");
  EXPECT_TRUE(ValidateIdentifier("_\u00C5").ok());
  // The Ångström sign is canonically equivalent to Å and is never NFC.
  EXPECT_NE(ErrorOf("x\u212B").find("Normalization Form C"), std::string::npos);
  // A combining mark with no precomposed form stays (e.g. q + U+0307) and is valid NFC.
  EXPECT_TRUE(ValidateIdentifier("q\u0307").ok()) << ErrorOf("q\u0307");
}

TEST(Identifier, ReservedWordsCompareByFullUppercase) {
  // The reference currently reserves nothing.
  EXPECT_TRUE(kReferenceReservedWords.empty());
  static constexpr std::array<std::string_view, 2> kWords = {"SELECT", "CLASS"};
  EXPECT_NE(ErrorOf("select", kWords).find("reserved"), std::string::npos);
  EXPECT_NE(ErrorOf("SeLeCt", kWords).find("reserved"), std::string::npos);
  EXPECT_NE(ErrorOf("\u017Felect", kWords).find("reserved"), std::string::npos);  // long s uppercases to S
  EXPECT_NE(ErrorOf("cla\u00DF", kWords).find("reserved"), std::string::npos);    // ß uppercases to SS
  EXPECT_TRUE(ValidateIdentifier("selected", kWords).ok());
  EXPECT_FALSE(IsReservedIdentifier("select", kReferenceReservedWords));
}

}  // namespace
}  // namespace stdb::host
