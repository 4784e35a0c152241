#pragma once
/// Password hashing with Argon2id (libargon2), stored as PHC strings
/// ("$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>") so parameters can change over time.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace pratu::crypto {

/// Argon2id cost parameters. The defaults are OWASP's minimum (m=19 MiB, t=2, p=1); tests
/// pass cheaper ones, production must not.
struct PasswordHashSettings {
  std::uint32_t memory_kib = 19456;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
  std::uint32_t salt_bytes = 16;
  std::uint32_t hash_bytes = 32;
};

/// Checks settings against libargon2's limits; the error names the bad setting.
Result<void> validate(const PasswordHashSettings& settings);

/// Hashes and verifies passwords. Slow by design (~50 ms with the defaults): call it from the
/// worker pool. Thread-safe.
class PasswordHasher {
 public:
  /// Longest password, in bytes, the hasher accepts; longer ones never verify.
  static constexpr std::size_t kMaxPasswordBytes = 4096;

  /// Throws std::invalid_argument if `settings` fail `validate` (a startup error).
  PasswordHasher(PasswordHashSettings settings, Random& random);

  /// The PHC string of `password` (NFKC-normalised first, so the same Thai text typed on
  /// different keyboards matches) with a fresh salt.
  Result<std::string> hash(std::string_view password) const;

  /// True if `password` matches `encoded`; false on a mismatch or a malformed `encoded`.
  bool verify(std::string_view encoded, std::string_view password) const;

  /// Takes as long as a `verify` that fails, for logins naming no account (no timing oracle).
  void verify_dummy(std::string_view password) const;

  /// True if `encoded` was made with other parameters than the current settings.
  bool needs_rehash(std::string_view encoded) const;

  /// The parameters new hashes are made with.
  const PasswordHashSettings& settings() const { return settings_; }

 private:
  PasswordHashSettings settings_;
  Random* random_;
  std::string dummy_;  // a hash of a random password, with the current settings
};

/// `password` in Unicode NFKC; unchanged if it is not valid UTF-8.
std::string normalize_password(std::string_view password);

}  // namespace pratu::crypto
