#pragma once
/// Unpredictable bytes from OpenSSL's CSPRNG, for session secrets, CSRF tokens and salts.

#include <cstddef>
#include <string>

#include "common/clock.hpp"

namespace pratu::crypto {

/// The production Random: OpenSSL RAND_bytes. Thread-safe.
class SecureRandom final : public Random {
 public:
  /// `n` bytes from RAND_bytes; throws std::runtime_error if the generator fails (it only
  /// does when the system has no entropy, which is not a condition to carry on under).
  std::string bytes(std::size_t n) override;
};

}  // namespace pratu::crypto
