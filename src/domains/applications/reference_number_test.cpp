#include "domains/applications/reference_number.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pratu::applications {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

TEST(ReferenceNumberTest, IsTheAgencyTheYearTheSequenceAndACheckCharacter) {
  const auto reference = reference_number("dbd", 2569, 123);
  ASSERT_EQ(reference.size(), std::string("DBD-2569-000123-X").size());
  EXPECT_EQ(reference.substr(0, 16), "DBD-2569-000123-");
  EXPECT_EQ(reference.back(), reference_check_character("DBD2569000123"));
  EXPECT_EQ(reference_number("bma", 2570, 1234567).substr(0, 17), "BMA-2570-1234567-");
}

TEST(ReferenceNumberTest, ReadsBackWhatItWritesHoweverItIsTyped) {
  for (std::int64_t sequence : {1, 42, 999999, 1000000}) {
    const auto reference = reference_number("dopa", 2569, sequence);
    EXPECT_EQ(read_reference(reference), reference);
    std::string typed;
    for (char c : reference) typed += c == '-' ? ' ' : static_cast<char>(std::tolower(c));
    EXPECT_EQ(read_reference("  " + typed + " "), reference) << typed;
  }
}

// Every wrong character, and every swap of two different neighbours, in the part a person
// reads out is caught: what ISO/IEC 7064 MOD 37,36 promises.
TEST(ReferenceNumberTest, CatchesEverySingleSubstitutionAndNeighbourSwap) {
  for (std::int64_t sequence : {7, 123, 654321}) {
    const auto reference = reference_number("dbd", 2569, sequence);
    for (std::size_t i = 0; i < reference.size(); ++i) {
      if (reference[i] == '-') continue;
      for (char c : kAlphabet) {
        if (c == reference[i]) continue;
        const bool is_letter = reference[i] >= 'A' && reference[i] <= 'Z';
        const bool c_letter = c >= 'A';
        // Within the agency code only letters make a reference; elsewhere only digits, but
        // the check character may be either.
        if (i + 1 != reference.size() && is_letter != c_letter) continue;
        auto wrong = reference;
        wrong[i] = c;
        EXPECT_FALSE(read_reference(wrong)) << wrong;
      }
      const std::size_t j = i + 1;
      if (j < reference.size() && reference[j] != '-' && reference[j] != reference[i]) {
        auto swapped = reference;
        std::swap(swapped[i], swapped[j]);
        EXPECT_FALSE(read_reference(swapped)) << swapped;
      }
    }
  }
}

TEST(ReferenceNumberTest, RefusesWhatIsNotShapedLikeOne) {
  EXPECT_FALSE(read_reference(""));
  EXPECT_FALSE(read_reference("DBD-2569-000123"));    // no check character
  EXPECT_FALSE(read_reference("DBD-69-000123-K"));    // a two-digit year
  EXPECT_FALSE(read_reference("DBD-2569-123-K"));     // a short sequence
  EXPECT_FALSE(read_reference("D1D-2569-000123-K"));  // a digit in the agency
  EXPECT_FALSE(read_reference("DBD/2569/000123/K"));  // other separators
  EXPECT_FALSE(read_reference("ดบด-2569-000123-K"));  // other letters
}

}  // namespace
}  // namespace pratu::applications
