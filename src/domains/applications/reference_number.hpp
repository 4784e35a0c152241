#pragma once
/// Reference numbers of applications: short, readable aloud over the phone and checkable.
///
///   DBD-2569-000123-K
///   agency code · Buddhist-era year · the agency's sequence in that year · check character
///
/// The check character is ISO/IEC 7064 MOD 37,36 over the letters and digits before it (the
/// hyphens aside): it catches every single wrong character and every swap of two neighbours.
/// Typed back, case, spaces and hyphens do not matter.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pratu::applications {

/// The reference of the `sequence`th application of `agency` in Buddhist-era `year`;
/// sequences below a million are written with six digits.
std::string reference_number(std::string_view agency, int year, std::int64_t sequence);

/// The check character of `body` (letters and digits; others are skipped).
char reference_check_character(std::string_view body);

/// A reference as typed ("dbd 2569 000123 k"), written the way Pratu writes it, when it is
/// well formed and its check character agrees; nullopt otherwise.
std::optional<std::string> read_reference(std::string_view typed);

}  // namespace pratu::applications
