#pragma once
/// Checks on text people type, shared by every domain that stores it (names, comments).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pratu {

/// True if `text` is well-formed UTF-8 (no overlong forms, surrogates or stray bytes).
bool is_valid_utf8(std::string_view text);

/// True for the characters that change the direction text is shown in (U+061C, U+200E/F,
/// U+202A–E, U+2066–9): text holding them can display as something other than what is stored.
bool is_bidi_control(char32_t c);

/// The number of code points in valid UTF-8 `text`: what people count as characters.
std::size_t code_point_count(std::string_view text);

/// `text` in Unicode normalisation form C without leading and trailing whitespace (any of
/// Unicode's), as answers are compared and kept; nullopt when it is not valid UTF-8.
std::optional<std::string> nfc_trimmed(std::string_view text);

/// `text` with the Thai digits ๐–๙ (U+0E50–U+0E59) written as ASCII 0–9, as a number typed on
/// a Thai keyboard is read; everything else unchanged.
std::string with_ascii_digits(std::string_view text);

}  // namespace pratu
