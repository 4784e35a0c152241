#pragma once
/// Checks and normal forms of what people type into the account forms (no I/O).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pratu::accounts {

/// A login as typed: a national ID, an email, or neither.
struct LoginName {
  enum class Kind { national_id, email, unknown };
  Kind kind = Kind::unknown;
  std::string value;  // 13 digits, or the lower-cased email; "" when unknown
};

/// Classifies a login field: something with '@' is an email, 13 digits (dashes, spaces
/// allowed) a national ID.
LoginName parse_login(std::string_view login);

/// Longest email we store (RFC 5321 path limit).
inline constexpr std::size_t kMaxEmailLength = 254;
/// Longest given or family name, in code points.
inline constexpr std::size_t kMaxNameLength = 100;

/// The email trimmed and lower-cased if it looks deliverable (one '@', a local part of at most
/// 64 characters, a dotted domain, no spaces or control characters); nullopt otherwise.
std::optional<std::string> normalize_email(std::string_view email);

/// A Thai mobile number as 10 digits "0[689]xxxxxxxx", from input with spaces, dashes, dots,
/// brackets or a +66 / 66 prefix; nullopt if it is not one.
std::optional<std::string> normalize_mobile(std::string_view mobile);

/// 10 digits as "081-234-5678"; other input unchanged.
std::string format_mobile(std::string_view digits);

/// True if `code` is one of kTitleCodes.
bool is_title_code(std::string_view code);

/// Why a typed given or family name is refused.
enum class NameProblem { none, empty, invalid, bidi_control, invisible, starts_with_mark };

/// A name as it will be stored, or why it cannot be.
struct CheckedName {
  std::string value;  // trimmed and in Unicode NFC; "" unless problem is none
  NameProblem problem = NameProblem::none;
};

/// Checks a given or family name: is_acceptable_name, then no bidi controls (U+061C,
/// U+200E/F, U+202A–E, U+2066–9), something visible once zero-width, format and space
/// characters are set aside, and a first visible character that is not a combining mark (a
/// Thai vowel or tone mark needs its consonant). The value is normalised to NFC.
CheckedName check_name(std::string_view name);

/// The locale key of `problem` on the form field `field` (given_name or family_name);
/// "" for NameProblem::none.
std::string name_problem_key(std::string_view field, NameProblem problem);

/// True if `name` is non-empty, at most kMaxNameLength code points, valid UTF-8 and free of
/// control characters and markup brackets.
bool is_acceptable_name(std::string_view name);

/// `text` with leading and trailing ASCII whitespace removed.
std::string trim(std::string_view text);

/// A purely syntactic agency code check: 2–32 of [a-z0-9_-].
bool is_agency_code(std::string_view code);

}  // namespace pratu::accounts
