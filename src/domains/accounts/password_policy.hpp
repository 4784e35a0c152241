#pragma once
/// Which passwords an account may have, after NIST SP 800-63B §5.1.1: long enough, not too
/// long to hash, not on a list of common passwords, not the person's own ID or email.
/// No composition rules (they make passwords harder to remember, not harder to guess).

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace pratu::accounts {

/// Length limits in Unicode code points (after NFKC), so Thai counts as people see it.
struct PasswordPolicy {
  std::size_t min_length = 12;
  std::size_t max_length = 128;
};

/// The locale key of what is wrong with `password` (accounts.errors.password_*), or nullopt
/// when it is acceptable. `personal` lists what the person already gave (national ID,
/// email): a password equal to one of them is refused.
std::optional<std::string> check_password(const PasswordPolicy& policy, std::string_view password,
                                          std::initializer_list<std::string_view> personal);

/// True if `password` is on the built-in list of common passwords or is one character
/// repeated or a plain run like "abcdefghijkl" / "123456789012" (case-insensitive).
bool is_common_password(std::string_view password);

}  // namespace pratu::accounts
