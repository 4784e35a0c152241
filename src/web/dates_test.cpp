#include "web/dates.hpp"

#include <gtest/gtest.h>

namespace pratu::web {
namespace {

// 2026-11-24 07:00:00 UTC is 14:00 in Bangkok, B.E. 2569.
constexpr std::int64_t kMorning = 1795503600;

TEST(Dates, ThaiUsesTheBuddhistEra) {
  auto text = format_date(Locale::th, kMorning);
  EXPECT_NE(text.find("2569"), std::string::npos) << text;
  EXPECT_NE(text.find("พฤศจิกายน"), std::string::npos) << text;
}

TEST(Dates, EnglishUsesTheGregorianYear) {
  auto text = format_date(Locale::en, kMorning);
  EXPECT_NE(text.find("2026"), std::string::npos) << text;
  EXPECT_NE(text.find("November"), std::string::npos) << text;
}

TEST(Dates, TimesAreInBangkok) {
  auto text = format_date_time(Locale::en, kMorning);
  EXPECT_NE(text.find("14:00"), std::string::npos) << text;
}

}  // namespace
}  // namespace pratu::web
