#include "common/baht_words.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace pratu {
namespace {

using Vectors = std::vector<std::pair<std::int64_t, std::string>>;

void expect_words(const Vectors& vectors) {
  for (const auto& [satang, words] : vectors) EXPECT_EQ(baht_words(satang), words) << satang;
}

void expect_english(const Vectors& vectors) {
  for (const auto& [satang, words] : vectors) EXPECT_EQ(baht_words_en(satang), words) << satang;
}

// payments.md §5.3, the vectors both libraries give.
TEST(BahtWords, GivesTheVectorsSharedByBothLibraries) {
  expect_words({
      {100, "หนึ่งบาทถ้วน"},
      {1'100, "สิบเอ็ดบาทถ้วน"},
      {2'000, "ยี่สิบบาทถ้วน"},
      {11'100, "หนึ่งร้อยสิบเอ็ดบาทถ้วน"},
      {50, "ห้าสิบสตางค์"},
      {101, "หนึ่งบาทหนึ่งสตางค์"},
      {2'100'000'000, "ยี่สิบเอ็ดล้านบาทถ้วน"},
      {100'000'000'000'000, "หนึ่งล้านล้านบาทถ้วน"},
      {12'345'678'925, "หนึ่งร้อยยี่สิบสามล้านสี่แสนห้าหมื่นหกพันเจ็ดร้อยแปดสิบเก้าบาทยี่สิบห้าสตางค์"},
  });
}

// payments.md §5.3, Pratu's choice where the libraries differ: bahttext's words.
TEST(BahtWords, GivesPratusVectorsWhereTheLibrariesDiffer) {
  expect_words({
      {10'100, "หนึ่งร้อยหนึ่งบาทถ้วน"},
      {100'000'100, "หนึ่งล้านหนึ่งบาทถ้วน"},
      {10'100'000'000, "หนึ่งร้อยเอ็ดล้านบาทถ้วน"},
  });
}

// §5.1: สิบ ร้อย พัน หมื่น แสน within a group of six digits.
TEST(BahtWords, NamesEachPlaceOfAGroup) {
  expect_words({
      {500, "ห้าบาทถ้วน"},
      {3'000, "สามสิบบาทถ้วน"},
      {40'000, "สี่ร้อยบาทถ้วน"},
      {600'000, "หกพันบาทถ้วน"},
      {7'000'000, "เจ็ดหมื่นบาทถ้วน"},
      {80'000'000, "แปดแสนบาทถ้วน"},
      {65'432'100, "หกแสนห้าหมื่นสี่พันสามร้อยยี่สิบเอ็ดบาทถ้วน"},
      {90'807'000, "เก้าแสนแปดพันเจ็ดสิบบาทถ้วน"},
  });
}

// §5.1: ล้าน once per group of six digits, repeated for millions of millions, and written
// after a group of zeros too.
TEST(BahtWords, RepeatsLanForEachGroupOfSixDigits) {
  expect_words({
      {100'000'000, "หนึ่งล้านบาทถ้วน"},
      {200'000'000'000'000, "สองล้านล้านบาทถ้วน"},
      {100'000'000'000'100, "หนึ่งล้านล้านหนึ่งบาทถ้วน"},
      {1'234'567'000'000'000'000, "หนึ่งหมื่นสองพันสามร้อยสี่สิบห้าล้านหกแสนเจ็ดหมื่นล้านบาทถ้วน"},
  });
}

// §5.1: 10 is สิบ, not หนึ่งสิบ; 20–29 start ยี่สิบ, in every group and in satang.
TEST(BahtWords, SaysSibAndYiSib) {
  expect_words({
      {1'000, "สิบบาทถ้วน"},
      {1'500, "สิบห้าบาทถ้วน"},
      {2'900, "ยี่สิบเก้าบาทถ้วน"},
      {3'000'000'000, "สามสิบล้านบาทถ้วน"},
      {2'000'000'000, "ยี่สิบล้านบาทถ้วน"},
      {201'000'000'000, "สองพันสิบล้านบาทถ้วน"},
      {10, "สิบสตางค์"},
      {22, "ยี่สิบสองสตางค์"},
  });
}

// §5.1: a units 1 after a non-zero tens digit is เอ็ด: 11, 21, 21,000,000.
TEST(BahtWords, SaysEtForAUnitsOneAfterTens) {
  expect_words({
      {1'100, "สิบเอ็ดบาทถ้วน"},
      {2'100, "ยี่สิบเอ็ดบาทถ้วน"},
      {9'100, "เก้าสิบเอ็ดบาทถ้วน"},
      {2'100'000'000, "ยี่สิบเอ็ดล้านบาทถ้วน"},
      {11, "สิบเอ็ดสตางค์"},
      {21, "ยี่สิบเอ็ดสตางค์"},
      {1'111, "สิบเอ็ดบาทสิบเอ็ดสตางค์"},
  });
}

// A 1 on its own, or leading, stays หนึ่ง.
TEST(BahtWords, SaysNuengForALeadingOne) {
  expect_words({
      {1, "หนึ่งสตางค์"},
      {100, "หนึ่งบาทถ้วน"},
      {100'000'000, "หนึ่งล้านบาทถ้วน"},
      {100'000'000'000'000, "หนึ่งล้านล้านบาทถ้วน"},
      {110'000'000, "หนึ่งล้านหนึ่งแสนบาทถ้วน"},
  });
}

// §5.1 endings: บาทถ้วน, บาท…สตางค์, สตางค์ alone, and ศูนย์บาทถ้วน.
TEST(BahtWords, EndsAsAReceiptDoes) {
  expect_words({
      {150'000, "หนึ่งพันห้าร้อยบาทถ้วน"},
      {10'050, "หนึ่งร้อยบาทห้าสิบสตางค์"},
      {50, "ห้าสิบสตางค์"},
      {99, "เก้าสิบเก้าสตางค์"},
      {0, "ศูนย์บาทถ้วน"},
  });
}

// Satang are read as baht are: the words for n satang are the words for n baht.
TEST(BahtWords, ReadsSatangAsBahtAreRead) {
  const std::string whole = "บาทถ้วน";
  for (std::int64_t n = 1; n < 100; ++n) {
    auto baht = baht_words(n * 100);
    ASSERT_TRUE(baht.ends_with(whole)) << baht;
    baht.resize(baht.size() - whole.size());
    EXPECT_EQ(baht_words(n), baht + "สตางค์") << n;
    EXPECT_EQ(baht_words(100 + n), "หนึ่งบาท" + baht + "สตางค์") << n;
  }
}

// §5.2, bahttext's column (Pratu's, §5.3): หนึ่ง after a zero at the end of the last group,
// เอ็ด after zeros in the groups before ล้าน.
TEST(BahtWords, FollowsBahttextForAOneAfterZeros) {
  expect_words({
      {10'100, "หนึ่งร้อยหนึ่งบาทถ้วน"},
      {20'100, "สองร้อยหนึ่งบาทถ้วน"},
      {100'000'100, "หนึ่งล้านหนึ่งบาทถ้วน"},
      {5'100'000'100, "ห้าสิบเอ็ดล้านหนึ่งบาทถ้วน"},
      {10'100'000'000, "หนึ่งร้อยเอ็ดล้านบาทถ้วน"},
      {500'100'050'000, "ห้าพันเอ็ดล้านห้าร้อยบาทถ้วน"},
      {100'000'100'000'000, "หนึ่งล้านเอ็ดล้านบาทถ้วน"},
      {101, "หนึ่งบาทหนึ่งสตางค์"},
  });
}

// §5.2: bahttext writes ลบ (num2words ติดลบ); Pratu follows bahttext (§5.3).
TEST(BahtWords, PrefixesLobToANegativeAmount) {
  expect_words({
      {-550, "ลบห้าบาทห้าสิบสตางค์"},
      {-1, "ลบหนึ่งสตางค์"},
      {-100, "ลบหนึ่งบาทถ้วน"},
      {-2'100'000'000, "ลบยี่สิบเอ็ดล้านบาทถ้วน"},
  });
}

// §5.2: bahttext gives up at 2⁵³ baht and writes ศูนย์บาทถ้วน; int64 satang have exact words
// to the end of their range, without overflow at either end.
TEST(BahtWords, WritesTheInt64ExtremesExactly) {
  const std::string baht =
      "เก้าหมื่นสองพันสองร้อยสามสิบสามล้านเจ็ดแสนสองหมื่นสามร้อยหกสิบแปดล้าน"
      "ห้าแสนสี่หมื่นเจ็ดพันเจ็ดร้อยห้าสิบแปดบาท";
  EXPECT_EQ(baht_words(std::numeric_limits<std::int64_t>::max()), baht + "เจ็ดสตางค์");
  EXPECT_EQ(baht_words(std::numeric_limits<std::int64_t>::min()), "ลบ" + baht + "แปดสตางค์");
  // 2⁵³ + 1 baht, where a double would have lost the last digit.
  EXPECT_EQ(baht_words(900'719'925'474'099'300),
            "เก้าพันเจ็ดล้านหนึ่งแสนเก้าหมื่นเก้าพันสองร้อยห้าสิบสี่ล้าน"
            "เจ็ดแสนสี่หมื่นเก้าร้อยเก้าสิบสามบาทถ้วน");
}

TEST(BahtWordsEn, WritesTheReceiptExamples) {
  expect_english({
      {150'000, "One thousand five hundred baht only"},
      {10'050, "One hundred baht and fifty satang"},
      {50, "Fifty satang"},
      {0, "Zero baht only"},
  });
}

TEST(BahtWordsEn, WritesNumbersWithoutAndAndHyphenatesTens) {
  expect_english({
      {1, "One satang"},
      {100, "One baht only"},
      {101, "One baht and one satang"},
      {1'100, "Eleven baht only"},
      {2'100, "Twenty-one baht only"},
      {9'999, "Ninety-nine baht and ninety-nine satang"},
      {12'100, "One hundred twenty-one baht only"},
      {100'100, "One thousand one baht only"},
      {10'000'000, "One hundred thousand baht only"},
      {12'345'678'925,
       "One hundred twenty-three million four hundred fifty-six thousand seven hundred "
       "eighty-nine baht and twenty-five satang"},
      {100'000'000'000'000, "One trillion baht only"},
      {100'000'000'000'100, "One trillion one baht only"},
  });
}

TEST(BahtWordsEn, StartsANegativeAmountWithMinus) {
  expect_english({
      {-550, "Minus five baht and fifty satang"},
      {-50, "Minus fifty satang"},
      {-100, "Minus one baht only"},
  });
}

TEST(BahtWordsEn, WritesTheInt64ExtremesExactly) {
  const std::string baht =
      "two quadrillion two hundred thirty-three trillion seven hundred twenty billion three "
      "hundred sixty-eight million five hundred forty-seven thousand seven hundred fifty-eight "
      "baht and ";
  EXPECT_EQ(baht_words_en(std::numeric_limits<std::int64_t>::max()),
            "Ninety-" + baht + "seven satang");
  EXPECT_EQ(baht_words_en(std::numeric_limits<std::int64_t>::min()),
            "Minus ninety-" + baht + "eight satang");
}

}  // namespace
}  // namespace pratu
