#include "common/civil_date.hpp"

#include <gtest/gtest.h>

namespace pratu {
namespace {

using namespace std::chrono;

TEST(CivilDateTest, ThaiDateTurnsAtMidnightInBangkokNotInGreenwich) {
  // 2026-12-01T16:59:59Z is 23:59:59 in Bangkok; a second later it is 2 December there.
  const std::int64_t before = 1'796'144'399;
  EXPECT_EQ(iso_date(thai_date(before)), "2026-12-01");
  EXPECT_EQ(iso_date(thai_date(before + 1)), "2026-12-02");
  EXPECT_EQ(thai_date(0), year{1970} / January / 1);
}

TEST(CivilDateTest, ReadsOnlyRealDatesWrittenInFull) {
  EXPECT_EQ(parse_iso_date("2028-02-29"), year{2028} / February / 29);
  EXPECT_FALSE(parse_iso_date("2027-02-29"));
  EXPECT_FALSE(parse_iso_date("2026-1-02"));
}

TEST(CivilDateTest, FiscalYearTurnsOnTheFirstOfOctoberInBangkok) {
  // 30 September 2026, 23:59:59 in Bangkok is the last second of fiscal year 2569.
  const std::int64_t last = 1'790'787'599;
  EXPECT_EQ(iso_date(thai_date(last)), "2026-09-30");
  EXPECT_EQ(thai_fiscal_year(thai_date(last)), 2569);
  EXPECT_EQ(thai_fiscal_year(thai_date(last + 1)), 2570);
  EXPECT_EQ(thai_fiscal_year(year{2027} / September / 30), 2570);
  EXPECT_EQ(thai_fiscal_year(year{2027} / January / 1), 2570);
}

}  // namespace
}  // namespace pratu
