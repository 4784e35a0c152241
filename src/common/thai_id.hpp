#pragma once
/// Thai 13-digit identifiers: the citizen ID (เลขประจำตัวประชาชน) and the juristic person ID
/// (เลขทะเบียนนิติบุคคล). Both end in the same mod-11 check digit.

#include <optional>
#include <string>
#include <string_view>

namespace pratu {

/// Why an identifier was refused, so a form can say which problem to fix.
enum class ThaiIdStatus {
  valid,
  malformed,        // not 13 digits once dashes and spaces are removed
  wrong_category,   // first digit not allowed (0 or 9 for persons; not 0 for juristic persons)
  bad_check_digit,  // the 13th digit does not match the first 12
};

/// The outcome of checking an identifier: the status and, when it has 13 digits, the digits.
struct ThaiIdCheck {
  ThaiIdStatus status = ThaiIdStatus::malformed;
  std::string digits;  // 13 ASCII digits when status != malformed

  /// True when the identifier passed every check.
  bool valid() const { return status == ThaiIdStatus::valid; }
};

/// The 13 ASCII digits of `input` with dashes and spaces removed (Thai digits ๐–๙ become
/// ASCII); nullopt if anything else remains or the count is not 13.
std::optional<std::string> normalize_thai_id(std::string_view input);

/// The check digit ('0'..'9') for the first 12 digits of `digits` (which must be digits).
char thai_id_check_digit(std::string_view digits);

/// Checks a citizen ID: 13 digits, first digit 1–8, matching check digit.
ThaiIdCheck check_citizen_id(std::string_view input);

/// Checks a juristic person ID: 13 digits, first digit 0, matching check digit.
ThaiIdCheck check_juristic_id(std::string_view input);

/// True if `input` is a valid citizen ID.
inline bool is_valid_citizen_id(std::string_view input) { return check_citizen_id(input).valid(); }

/// True if `input` is a valid juristic person ID.
inline bool is_valid_juristic_id(std::string_view input) {
  return check_juristic_id(input).valid();
}

/// 13 digits as `#-####-#####-##-#`; other input is returned unchanged.
std::string format_citizen_id(std::string_view digits);

/// 13 digits as `#-##-#-###-#####-#`; other input is returned unchanged.
std::string format_juristic_id(std::string_view digits);

/// A citizen ID for display with the middle hidden: `1-2345-xxxxx-xx-1` ("" if not 13 digits).
std::string mask_citizen_id(std::string_view digits);

}  // namespace pratu
