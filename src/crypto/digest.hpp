#pragma once
/// Digests and comparisons that must not leak timing.

#include <memory>
#include <string>
#include <string_view>

namespace pratu::crypto {

/// SHA-256 of `data` as 64 lower-case hex characters.
std::string sha256_hex(std::string_view data);

/// HMAC-SHA-256 of `data` under `key` as 64 lower-case hex characters.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

/// HMAC-SHA-256 under one key, set up once: about a tenth of the cost of hmac_sha256_hex per
/// message, for checks that run on every request (signed cookies). Thread-safe.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  /// The HMAC of `data` as 64 lower-case hex characters (as hmac_sha256_hex gives).
  std::string hex(std::string_view data) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Lower-case hex of `bytes`.
std::string to_hex(std::string_view bytes);

/// True if `a` and `b` are equal; the time taken depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace pratu::crypto
