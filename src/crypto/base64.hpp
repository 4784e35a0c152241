#pragma once
/// Standard base64 (RFC 4648 §4), decoded strictly: tus's Upload-Metadata writes it padded,
/// PHC password strings without padding.

#include <optional>
#include <string>
#include <string_view>

namespace pratu::crypto {

enum class Base64Padding {
  required,  // a multiple of four characters, "=" filling the last group
  none,      // no "=" at all; the last group is two, three or four characters
};

/// The bytes `text` encodes; nullopt on a character outside the alphabet (whitespace
/// included), misplaced or missing padding, or leftover bits that are not zero (so each byte
/// string has exactly one accepted spelling).
std::optional<std::string> decode_base64(std::string_view text, Base64Padding padding);

}  // namespace pratu::crypto
