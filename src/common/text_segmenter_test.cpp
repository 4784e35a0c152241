#include "common/text_segmenter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace pratu {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TextSegmenter, FindsWordsInsideUnspacedThai) {
  const auto words = segment_words("ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร");
  EXPECT_THAT(words, Contains("อาหาร"));
  EXPECT_THAT(words, Contains("อนุญาต"));
  EXPECT_THAT(words, Contains("จำหน่าย"));
}

TEST(TextSegmenter, LowerCasesEnglishWords) {
  EXPECT_THAT(segment_words("Commercial REGISTRATION"), ElementsAre("commercial", "registration"));
}

TEST(TextSegmenter, FoldsCaseBeyondAscii) {
  EXPECT_THAT(segment_words("STRASSE Straße"), ElementsAre("strasse", "strasse"));
}

TEST(TextSegmenter, DropsSpacesAndPunctuationInMixedText) {
  EXPECT_THAT(segment_words("  ทะเบียนพาณิชย์ (Commercial), registration!  "),
              ElementsAre("ทะเบียน", "พาณิชย์", "commercial", "registration"));
}

TEST(TextSegmenter, KeepsNumbersAndSplitsAbbreviationsAtTheirDots) {
  EXPECT_THAT(segment_words("B.E. 2499 อ.1"), ElementsAre("b", "e", "2499", "อ", "1"));
}

TEST(TextSegmenter, JoinsWordsWithSingleSpacesForTheIndex) {
  EXPECT_EQ(segment_for_index("ภาษีป้าย -- Signboard   Tax"), "ภาษี ป้าย signboard tax");
}

TEST(TextSegmenter, GivesNothingForEmptyOrPunctuationOnlyText) {
  EXPECT_THAT(segment_words(""), IsEmpty());
  EXPECT_THAT(segment_words(" !?*\"'() "), IsEmpty());
  EXPECT_EQ(segment_for_index("..."), "");
}

TEST(TextSegmenter, SurvivesInvalidUtf8) {
  const std::string broken = std::string("abc\xff\xfe") + "อาหาร";
  EXPECT_THAT(segment_words(broken), Contains("อาหาร"));
}

TEST(TextSegmenter, GivesTheSameWordsOnManyThreadsAtOnce) {
  const std::string text = "ใบอนุญาตขายสุรา Liquor Sale Licence ภาษีป้าย";
  const auto expected = segment_words(text);
  ASSERT_THAT(expected, Contains("สุรา"));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (segment_words(text) != expected) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0, 0, 0));
}

}  // namespace
}  // namespace pratu
