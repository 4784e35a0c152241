// The documents module's small rules: numbers, the last valid day, masked names, Thai Post
// tracking numbers.

#include <gtest/gtest.h>

#include "domains/documents/document_issuer.hpp"
#include "domains/documents/document_service.hpp"

namespace pratu::documents {
namespace {

TEST(DocumentNumber, IsThePrefixTheBuddhistYearAndASixDigitSequence) {
  EXPECT_EQ(document_number("DBD-CR", 2569, 123), "DBD-CR-2569-000123");
  EXPECT_EQ(document_number("BMA-FP", 2570, 1234567), "BMA-FP-2570-1234567");
}

TEST(LastValidDay, CountsTheTermFromTheDayOfIssueAndEndsTheDayBefore) {
  EXPECT_EQ(last_valid_day("2026-12-05", platform::DocumentValidity{"years", 1}), "2027-12-04");
  EXPECT_EQ(last_valid_day("2026-12-05", platform::DocumentValidity{"days", 30}), "2027-01-03");
  // A month from 31 January ends with February's last day.
  EXPECT_EQ(last_valid_day("2027-01-31", platform::DocumentValidity{"months", 1}), "2027-02-27");
  EXPECT_EQ(last_valid_day("2028-02-29", platform::DocumentValidity{"years", 1}), "2029-02-27");
  EXPECT_EQ(last_valid_day("2026-12-05", std::nullopt), "");
}

TEST(MaskedName, ShowsEachWordsFirstLetterWithItsMarks) {
  EXPECT_EQ(masked_name("สมชาย ใจดี"), "ส•••• ใ••");
  EXPECT_EQ(masked_name("ผู้ใหญ่ ก้อน"), "ผู้••• ก้••");
  EXPECT_EQ(masked_name("John Smith"), "J••• S••••");
  EXPECT_EQ(masked_name(""), "");
}

TEST(TrackingNumber, IsAThaiPostS10NumberWithItsCheckDigit) {
  EXPECT_TRUE(is_tracking_number("EE123456785TH"));
  EXPECT_FALSE(is_tracking_number("EE123456784TH"));  // wrong check digit
  EXPECT_FALSE(is_tracking_number("EE123456785US"));  // not Thai Post
  EXPECT_FALSE(is_tracking_number("E1123456785TH"));
  EXPECT_FALSE(is_tracking_number("EE12345678TH"));
  // A remainder of 0 gives the check digit 5; of 1, the check digit 0.
  EXPECT_TRUE(is_tracking_number("RB000000005TH"));
}

}  // namespace
}  // namespace pratu::documents
