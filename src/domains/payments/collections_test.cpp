#include "domains/payments/collections.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/civil_date.hpp"

namespace pratu::payments {
namespace {

using std::chrono::year_month_day;

const year_month_day kToday = *parse_iso_date("2026-03-15");

// The message key and the field of a refused range.
std::pair<std::string, std::string> refusal(std::string_view from, std::string_view to) {
  auto range = collection_range(from, to, kToday);
  if (range) return {"accepted", ""};
  EXPECT_EQ(range.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(range.error().fields.size(), 1u);
  const std::string field = range.error().fields.empty() ? "" : range.error().fields[0].field;
  return {range.error().message_key, field};
}

TEST(CollectionRange, WithoutEndsIsTheLastThirtyDaysUpToToday) {
  auto range = collection_range("", "", kToday);
  ASSERT_TRUE(range);
  EXPECT_EQ(iso_date(range->from), "2026-02-14");
  EXPECT_EQ(iso_date(range->to), "2026-03-15");
  EXPECT_EQ(range->days(), 30);
  auto up_to = collection_range("", "2026-01-31", kToday);
  ASSERT_TRUE(up_to);
  EXPECT_EQ(iso_date(up_to->from), "2026-01-02");
}

TEST(CollectionRange, TakesOneDayAndAWholeLeapYear) {
  auto one = collection_range("2026-03-01", "2026-03-01", kToday);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->days(), 1);
  auto leap = collection_range("2024-01-01", "2024-12-31", kToday);
  ASSERT_TRUE(leap);
  EXPECT_EQ(leap->days(), 366);
}

TEST(CollectionRange, RefusesEachBadRangeWithItsOwnCode) {
  using Refusal = std::pair<std::string, std::string>;
  EXPECT_EQ(refusal("2026-03-02", "2026-03-01"), Refusal("payments.collections.reversed", "to"));
  EXPECT_EQ(refusal("2024-01-01", "2025-01-01"), Refusal("payments.collections.too_long", "to"));
  EXPECT_EQ(refusal("2026-02-30", "2026-03-01"), Refusal("payments.collections.bad_date", "from"));
  EXPECT_EQ(refusal("2026-03-01", "1/3/2026"), Refusal("payments.collections.bad_date", "to"));
  EXPECT_EQ(refusal("yesterday", ""), Refusal("payments.collections.bad_date", "from"));
  EXPECT_EQ(refusal("2026-3-1", ""), Refusal("payments.collections.bad_date", "from"));
}

TEST(Collections, SummariseAddsEachDayAndTheRangeAndKeepsDaysWithoutPayments) {
  const auto range = *collection_range("2026-03-01", "2026-03-04", kToday);
  std::vector<CollectionDay> rows = {{"2026-03-03", "signboard-tax", 2, 80000},
                                     {"2026-03-01", "signboard-tax", 1, 20000},
                                     {"2026-03-01", "building-permit", 3, 150},
                                     {"2026-03-03", "building-permit", 1, 5}};
  const Collections c = summarise_collections("bma", range, rows);
  ASSERT_EQ(c.rows.size(), 4u);
  EXPECT_EQ(c.rows[0].day + " " + c.rows[0].service, "2026-03-01 building-permit");
  EXPECT_EQ(c.rows[3].day + " " + c.rows[3].service, "2026-03-03 signboard-tax");
  ASSERT_EQ(c.days.size(), 4u);
  EXPECT_EQ(c.days[0].day, "2026-03-01");
  EXPECT_EQ(c.days[0].payments, 4);
  EXPECT_EQ(c.days[0].satang, 20150);
  EXPECT_EQ(c.days[1].payments, 0);
  EXPECT_EQ(c.days[1].satang, 0);
  EXPECT_EQ(c.days[2].satang, 80005);
  EXPECT_EQ(c.days[3].day, "2026-03-04");
  EXPECT_EQ(c.payments, 7);
  EXPECT_EQ(c.satang, 100155);
}

TEST(Collections, DecimalBahtHasTwoDecimalsAndNoSeparators) {
  EXPECT_EQ(decimal_baht(150000), "1500.00");
  EXPECT_EQ(decimal_baht(0), "0.00");
  EXPECT_EQ(decimal_baht(5), "0.05");
  EXPECT_EQ(decimal_baht(123456789012), "1234567890.12");
  EXPECT_EQ(decimal_baht(-5), "-0.05");
}

TEST(CollectionsCsv, TextThatASpreadsheetWouldRunStartsWithAnApostrophe) {
  EXPECT_EQ(csv_text_field("=HYPERLINK(\"http://evil.example\")"),
            "\"'=HYPERLINK(\"\"http://evil.example\"\")\"");
  EXPECT_EQ(csv_text_field("=1+2"), "'=1+2");
  EXPECT_EQ(csv_text_field("+66 2 123 4567"), "'+66 2 123 4567");
  EXPECT_EQ(csv_text_field("-2+3"), "'-2+3");
  EXPECT_EQ(csv_text_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_text_field("\tx"), "'\tx");
  EXPECT_EQ(csv_text_field("\r=1"), "\"'\r=1\"");
  // Only the first character matters.
  EXPECT_EQ(csv_text_field("a=b"), "a=b");
  EXPECT_EQ(csv_text_field("signboard-tax"), "signboard-tax");
}

TEST(CollectionsCsv, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  EXPECT_EQ(csv_text_field("ภาษีป้าย, ป้ายชั่วคราว"), "\"ภาษีป้าย, ป้ายชั่วคราว\"");
  EXPECT_EQ(csv_text_field("ป้าย \"ชั่วคราว\""), "\"ป้าย \"\"ชั่วคราว\"\"\"");
  EXPECT_EQ(csv_text_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_text_field(""), "");
  EXPECT_EQ(csv_text_field("การยื่นแบบและชำระภาษีป้าย"), "การยื่นแบบและชำระภาษีป้าย");
}

TEST(CollectionsCsv, HasABomAHeaderARowPerDayAndServiceAndATotal) {
  const auto range = *collection_range("2026-03-01", "2026-03-02", kToday);
  const Collections c = summarise_collections("bma", range,
                                              {{"2026-03-01", "signboard-tax", 2, 150000},
                                               {"2026-03-02", "=cmd", 1, 5},
                                               {"2026-03-02", "signboard-tax", 1, 99}});
  const std::string csv = collections_csv(c, [](std::string_view slug) {
    return slug == "signboard-tax" ? std::string("การยื่นแบบและชำระภาษีป้าย, \"ภ.ป.1\"")
                                   : std::string(slug);
  });
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF"
            "day,service,service_name,payments,amount_baht\r\n"
            "2026-03-01,signboard-tax,\"การยื่นแบบและชำระภาษีป้าย, \"\"ภ.ป.1\"\"\",2,1500.00\r\n"
            "2026-03-02,'=cmd,'=cmd,1,0.05\r\n"
            "2026-03-02,signboard-tax,\"การยื่นแบบและชำระภาษีป้าย, \"\"ภ.ป.1\"\"\",1,0.99\r\n"
            "total,,,4,1501.04\r\n");
}

TEST(CollectionsCsv, WithNoPaymentsHasTheHeaderAndAZeroTotal) {
  const auto range = *collection_range("2026-03-01", "2026-03-01", kToday);
  const std::string csv = collections_csv(summarise_collections("bma", range, {}), nullptr);
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF"
            "day,service,service_name,payments,amount_baht\r\n"
            "total,,,0,0.00\r\n");
}

}  // namespace
}  // namespace pratu::payments
