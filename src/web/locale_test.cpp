#include "web/locale.hpp"

#include <gtest/gtest.h>

namespace pratu::web {
namespace {

TEST(Locale, AcceptLanguagePicksTheHighestQualityOfThaiAndEnglish) {
  EXPECT_EQ(locale_from_accept_language("en-US,en;q=0.9,th;q=0.8"), Locale::en);
  EXPECT_EQ(locale_from_accept_language("fr;q=1, th-TH;q=0.7, en;q=0.3"), Locale::th);
  EXPECT_EQ(locale_from_accept_language("fr, de"), std::nullopt);
  EXPECT_EQ(locale_from_accept_language("en;q=0"), std::nullopt);
  EXPECT_EQ(locale_from_accept_language(""), std::nullopt);
}

TEST(Locale, QueryBeatsCookieBeatsHeaderBeatsDefault) {
  Request r;
  EXPECT_EQ(choose_locale(r, Locale::th).locale, Locale::th);
  r.headers = {{"Accept-Language", "en"}};
  EXPECT_EQ(choose_locale(r, Locale::th).locale, Locale::en);
  r.headers.push_back({"Cookie", "pratu_lang=th"});
  EXPECT_EQ(choose_locale(r, Locale::th).locale, Locale::th);
  r.query = {{"lang", "en"}};
  auto choice = choose_locale(r, Locale::th);
  EXPECT_EQ(choice.locale, Locale::en);
  EXPECT_TRUE(choice.remember);
}

TEST(Locale, UnknownLanguageInQueryIsIgnored) {
  Request r;
  r.query = {{"lang", "fr"}};
  auto choice = choose_locale(r, Locale::th);
  EXPECT_EQ(choice.locale, Locale::th);
  EXPECT_FALSE(choice.remember);
}

}  // namespace
}  // namespace pratu::web
