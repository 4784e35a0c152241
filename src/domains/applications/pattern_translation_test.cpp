#include "domains/applications/pattern_translation.hpp"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <gtest/gtest.h>

#include <memory>

namespace pratu::applications {
namespace {

// Whether ICU, as the server runs it, matches the whole of `text` with `pattern`.
bool icu_matches(const std::string& pattern, const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  std::unique_ptr<icu::RegexPattern> compiled(
      icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, parse_error, status));
  if (U_FAILURE(status)) return false;
  const auto input = icu::UnicodeString::fromUTF8(text);
  std::unique_ptr<icu::RegexMatcher> matcher(compiled->matcher(input, status));
  return U_SUCCESS(status) && matcher->matches(status) && U_SUCCESS(status);
}

TEST(EcmaPattern, TheDemoFormsPatternsReadTheSame) {
  EXPECT_EQ(ecma_pattern("[0-9]{1,10}"), "^[0-9]{1,10}$");
  EXPECT_EQ(ecma_pattern("[0-9]{11}"), "^[0-9]{11}$");
  EXPECT_EQ(ecma_pattern("[A-Za-z0-9 .,&'()-]+"), "^[A-Za-z0-9 .,&'()\\-]+$");
}

TEST(EcmaPattern, AnchorsAlternationGroupsAndEscapes) {
  EXPECT_EQ(ecma_pattern("^abc$"), "^abc$");  // matched whole anyway
  EXPECT_EQ(ecma_pattern("ab|cd"), "^(?:ab|cd)$");
  EXPECT_EQ(ecma_pattern("(?:ab)+(c)?d*?"), "^(?:ab)+(c)?d*?$");
  EXPECT_EQ(ecma_pattern("(?<year>[0-9]{4})-(?=\\d)(?!0)"), "^(?<year>[0-9]{4})-(?=\\p{Nd})(?!0)$");
  EXPECT_EQ(ecma_pattern("a\\.b\\-c\\/d/e\\'"), "^a\\.b-c\\/d\\/e'$");
  EXPECT_EQ(ecma_pattern("\\x{E01}\\u0E02\\t"), "^กข\\u0009$");
  EXPECT_EQ(ecma_pattern("[\\]\\\\^a-]"), "^[\\]\\\\\\^a\\-]$");
  EXPECT_EQ(ecma_pattern("a]b}"), "^a\\]b\\}$");
}

TEST(EcmaPattern, ClassesAreWrittenAsICUDefinesThem) {
  // ECMAScript's \d is ASCII only and its . matches U+0085: ICU's are spelled out.
  EXPECT_EQ(ecma_pattern("\\d+"), "^\\p{Nd}+$");
  EXPECT_EQ(ecma_pattern("[\\d,]"), "^[\\p{Nd},]$");
  EXPECT_EQ(ecma_pattern("\\s"), "^[\\t\\n\\f\\r\\p{Z}]$");
  EXPECT_EQ(ecma_pattern("\\S"), "^[^\\t\\n\\f\\r\\p{Z}]$");
  EXPECT_EQ(ecma_pattern("\\w"), "^[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\u200c\\u200d]$");
  EXPECT_EQ(ecma_pattern("."), "^[^\\n\\v\\f\\r\\u0085\\u2028\\u2029]$");
  EXPECT_EQ(ecma_pattern("[\\p{Thai} ]+"), "^[\\p{Script=Thai} ]+$");
  EXPECT_EQ(ecma_pattern("\\p{Lu}\\P{L}"), "^\\p{Lu}\\P{L}$");
}

TEST(EcmaPattern, WhatHasNoExactTwinIsNotTranslated) {
  for (const char* pattern :
       {"(?i)abc", "a++", "a*+", "\\bword", "(a)\\1", "[[a-z]&&[^aeiou]]", "[a-z--[aeiou]]",
        "a{,3}", "\\p{Greek_and_Coptic}", "[\\S]", "a^b", "a$b", "(?=a)*", "\\Qa.b\\E", "[]a]", "",
        "(?>a)", "[[:alpha:]]", "a{2,1}"}) {
    EXPECT_EQ(ecma_pattern(pattern), std::nullopt) << pattern;
  }
}

TEST(PatternSample, MatchesItsPatternAsICUReadsIt) {
  EXPECT_EQ(pattern_sample("[0-9]{11}"), "12345678901");
  EXPECT_EQ(pattern_sample("[0-9]{1,10}"), "123456");
  for (const char* pattern :
       {"[0-9]{11}", "[0-9]{1,10}", "[A-Za-z0-9 .,&'()-]+", "[A-Z]{2}-\\d{4}", "(ab|cd)+x?",
        "[^0-9]{3}", "\\p{Thai}+", "\\w+@\\w+\\.com", "[ก-ฮ]{2,5}", "0[689][0-9]{8}"}) {
    const auto sample = pattern_sample(pattern);
    ASSERT_TRUE(sample) << pattern;
    EXPECT_TRUE(icu_matches(pattern, *sample)) << pattern << ": " << *sample;
  }
  EXPECT_EQ(pattern_sample("(?i)abc"), std::nullopt);
}

}  // namespace
}  // namespace pratu::applications
