#include "common/unicode_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pratu {
namespace {

TEST(UnicodeText, ValidUtf8IsAcceptedAndBrokenBytesAreNot) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("ประตู door"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // an overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // a lone surrogate
}

TEST(UnicodeText, BidiControlsAreTheDirectionChangingCharacters) {
  for (char32_t c : {U'\u061C', U'\u200E', U'\u200F', U'\u202A', U'\u202E', U'\u2066', U'\u2069'}) {
    EXPECT_TRUE(is_bidi_control(c)) << static_cast<unsigned>(c);
  }
  for (char32_t c : {U'a', U'\u0E01', U'\u200B', U'\u2070'}) {
    EXPECT_FALSE(is_bidi_control(c)) << static_cast<unsigned>(c);
  }
}

TEST(UnicodeText, CountsCharactersNotBytes) {
  EXPECT_EQ(code_point_count(""), 0u);
  EXPECT_EQ(code_point_count("door"), 4u);
  EXPECT_EQ(code_point_count("ประตู"), 5u);  // 15 bytes
  EXPECT_EQ(code_point_count("\U0001F600"), 1u);
}

TEST(NfcTrimmed, ComposesAndTrimsAnyWhiteSpace) {
  EXPECT_EQ(nfc_trimmed("Cafe\xcc\x81"), "Caf\xc3\xa9");
  EXPECT_EQ(nfc_trimmed("\xc2\xa0 \t\xe3\x80\x80สมชาย\n"), "สมชาย");  // NBSP, ideographic space
  EXPECT_EQ(nfc_trimmed(" \t "), "");
  EXPECT_EQ(nfc_trimmed("a\xff"), std::nullopt);
}

TEST(WithAsciiDigits, ReadsThaiDigitsAndLeavesTheRest) {
  EXPECT_EQ(with_ascii_digits("๐๑๒๓๔๕๖๗๘๙"), "0123456789");
  EXPECT_EQ(with_ascii_digits("บ้านเลขที่ ๙๙/๑"), "บ้านเลขที่ 99/1");
  EXPECT_EQ(with_ascii_digits("\xe0\xb9"), "\xe0\xb9");  // cut short: left alone
}

}  // namespace
}  // namespace pratu
