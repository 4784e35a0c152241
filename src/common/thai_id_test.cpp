#include "common/thai_id.hpp"

#include <gtest/gtest.h>

namespace pratu {
namespace {

// Every citizen ID number listed in reference/standards.md §4.1.
TEST(CitizenId, AcceptsTheValidNumbersOfTheStandard) {
  for (const char* id : {"3100600445635", "1234545678781", "1234567890121", "1101700203034"}) {
    auto result = check_citizen_id(id);
    EXPECT_EQ(result.status, ThaiIdStatus::valid) << id;
    EXPECT_EQ(result.digits, id);
  }
}

TEST(CitizenId, RejectsTheInvalidNumbersOfTheStandard) {
  for (const char* id : {"1111111111111", "1-2345-45678-78-9", "3101234567894", "1101700203030"}) {
    EXPECT_EQ(check_citizen_id(id).status, ThaiIdStatus::bad_check_digit) << id;
  }
}

TEST(CitizenId, ComputesTheWorkedExampleCheckDigit) {
  // s = 128, 128 mod 11 = 7, (11 - 7) mod 10 = 4.
  EXPECT_EQ(thai_id_check_digit("110170020303"), '4');
  EXPECT_EQ(thai_id_check_digit("111111111111"), '9');
}

TEST(CitizenId, AcceptsDashesAndSpacesAndNormalisesToDigits) {
  auto result = check_citizen_id(" 1-2345-45678-78-1 ");
  EXPECT_TRUE(result.valid());
  EXPECT_EQ(result.digits, "1234545678781");
  EXPECT_TRUE(is_valid_citizen_id("3 1006 00445 63 5"));
}

TEST(CitizenId, AcceptsThaiDigits) {
  auto result = check_citizen_id("๑๒๓๔๕๖๗๘๙๐๑๒๑");
  EXPECT_TRUE(result.valid());
  EXPECT_EQ(result.digits, "1234567890121");
}

TEST(CitizenId, RejectsWrongLengthAndOtherCharacters) {
  for (const char* id : {"", "123456789012", "12345678901212", "123456789012a", "1234567890121.",
                         "1/234567890121", "abcdefghijklm"}) {
    EXPECT_EQ(check_citizen_id(id).status, ThaiIdStatus::malformed) << id;
  }
}

TEST(CitizenId, RejectsFirstDigitZeroOrNineForPersons) {
  // 0994000617721 has a correct check digit but is a juristic person's number.
  EXPECT_EQ(check_citizen_id("0994000617721").status, ThaiIdStatus::wrong_category);
  std::string nine = "900000000000";
  nine.push_back(thai_id_check_digit(nine));
  EXPECT_EQ(check_citizen_id(nine).status, ThaiIdStatus::wrong_category);
}

TEST(CitizenId, FormatsInTheDisplayGrouping) {
  EXPECT_EQ(format_citizen_id("1234545678781"), "1-2345-45678-78-1");
  EXPECT_EQ(format_citizen_id("12345"), "12345");
}

TEST(CitizenId, MasksTheMiddleDigits) {
  EXPECT_EQ(mask_citizen_id("1234567890121"), "1-2345-xxxxx-xx-1");
  EXPECT_EQ(mask_citizen_id("someone@example.org"), "");
}

// Every juristic person ID listed in reference/standards.md §4.2.
TEST(JuristicId, AcceptsTheValidNumbersOfTheStandard) {
  for (const char* id : {"0994000617721", "0105536112014", "0993000133978", "0107537000882"}) {
    EXPECT_TRUE(is_valid_juristic_id(id)) << id;
  }
  EXPECT_TRUE(is_valid_juristic_id("0-99-4-000-61772-1"));
}

TEST(JuristicId, RejectsTheInvalidNumberOfTheStandard) {
  EXPECT_EQ(check_juristic_id("0-99-4-000-61772-3").status, ThaiIdStatus::bad_check_digit);
}

TEST(JuristicId, RejectsAPersonsNumber) {
  EXPECT_EQ(check_juristic_id("3100600445635").status, ThaiIdStatus::wrong_category);
}

TEST(JuristicId, FormatsInTheRegistryGrouping) {
  EXPECT_EQ(format_juristic_id("0994000617721"), "0-99-4-000-61772-1");
}

}  // namespace
}  // namespace pratu
