#pragma once
/// Time and randomness are injected so tests are deterministic.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace pratu {

/// Wall-clock time source; tests use FakeClock.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Now, as UTC system time.
  virtual std::chrono::system_clock::time_point now() const = 0;
  /// Seconds since the Unix epoch.
  std::int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }
};

/// The real clock.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

/// A clock tests move by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t seconds = 1'780'000'000) : t_(std::chrono::seconds(seconds)) {}
  std::chrono::system_clock::time_point now() const override {
    std::lock_guard lock(mutex_);
    return t_;
  }
  void advance(std::chrono::seconds d) {
    std::lock_guard lock(mutex_);
    t_ += d;
  }

 private:
  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point t_;
};

/// Source of unpredictable bytes (tokens, ids); tests may substitute a seeded one.
class Random {
 public:
  virtual ~Random() = default;
  /// `n` random bytes.
  virtual std::string bytes(std::size_t n) = 0;
  /// A URL-safe token of `n` random bytes, hex encoded (2n characters).
  std::string token(std::size_t n = 32);
};

}  // namespace pratu
