#pragma once
/// Digests and comparisons that must not leak timing.

#include <string>
#include <string_view>

namespace pratu::crypto {

/// SHA-256 of `data` as 64 lower-case hex characters.
std::string sha256_hex(std::string_view data);

/// HMAC-SHA-256 of `data` under `key` as 64 lower-case hex characters.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

/// Lower-case hex of `bytes`.
std::string to_hex(std::string_view bytes);

/// True if `a` and `b` are equal; the time taken depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace pratu::crypto
