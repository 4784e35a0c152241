#pragma once
/// Who an applicant is, as other modules may read it to fill in a form: offered by the
/// accounts module. Only what a form may be prefilled with; never the password or the roles.

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace pratu::platform {

/// An applicant's profile; an empty text is "not known".
struct Profile {
  std::string title;  // "mr" | "mrs" | "miss" | "ms"
  std::string given_name;
  std::string family_name;
  std::string national_id;  // 13 digits
  std::string email;
  std::string mobile;  // 10 digits, as registered ("0812345678")
  std::string locale;  // the language they chose for what Pratu sends: "th", "en", or "" (Thai)
};

class ProfileDirectory {
 public:
  static constexpr const char* kServiceName = "the profile directory";
  virtual ~ProfileDirectory() = default;
  /// The profile of account `user_id`, or nullopt when there is none.
  virtual Result<std::optional<Profile>> profile(std::int64_t user_id) = 0;
  /// Sets the account's mobile number, as the applicant asked (any form a Thai mobile number is
  /// typed in, or E.164); invalid_input when it is not one. The only profile field a form may
  /// change: names come from proofing, and the e-mail is a login that needs its own check.
  virtual Result<void> set_mobile(std::int64_t user_id, std::string_view mobile) = 0;
};

}  // namespace pratu::platform
