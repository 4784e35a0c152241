#include "crypto/password_hasher.hpp"

#include <argon2.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <stdexcept>
#include <vector>

namespace pratu::crypto {

namespace {

std::string parameters_prefix(const PasswordHashSettings& s) {
  return "$argon2id$v=19$m=" + std::to_string(s.memory_kib) + ",t=" + std::to_string(s.iterations) +
         ",p=" + std::to_string(s.parallelism) + "$";
}

}  // namespace

Result<void> validate(const PasswordHashSettings& s) {
  if (s.parallelism < ARGON2_MIN_LANES || s.parallelism > ARGON2_MAX_LANES) {
    return Error::internal("password_hash.parallelism must be between 1 and 16777215");
  }
  if (s.iterations < ARGON2_MIN_TIME) {
    return Error::internal("password_hash.iterations must be at least 1");
  }
  if (s.memory_kib < 8 * s.parallelism || s.memory_kib > (1u << 22)) {
    return Error::internal("password_hash.memory_kib must be between 8 x parallelism and 4194304");
  }
  if (s.salt_bytes < 16 || s.salt_bytes > 64) {
    return Error::internal("password_hash.salt_bytes must be between 16 and 64");
  }
  if (s.hash_bytes < 16 || s.hash_bytes > 64) {
    return Error::internal("password_hash.hash_bytes must be between 16 and 64");
  }
  return ok();
}

std::string normalize_password(std::string_view password) {
  auto text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(password.data(), static_cast<std::int32_t>(password.size())));
  std::string round_trip;
  text.toUTF8String(round_trip);
  // Invalid UTF-8 comes back with U+FFFD in it; normalising would merge distinct passwords.
  if (round_trip != password) return std::string(password);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return std::string(password);
  icu::UnicodeString normalized = nfkc->normalize(text, status);
  if (U_FAILURE(status)) return std::string(password);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

PasswordHasher::PasswordHasher(PasswordHashSettings settings, Random& random)
    : settings_(settings), random_(&random) {
  if (auto valid = validate(settings_); !valid) {
    throw std::invalid_argument(valid.error().detail);
  }
  auto dummy = hash(random_->token(16));
  if (!dummy) throw std::runtime_error("argon2: " + dummy.error().detail);
  dummy_ = std::move(*dummy);
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  if (password.size() > kMaxPasswordBytes) {
    return Error::internal("password longer than the hasher accepts");
  }
  std::string normalized = normalize_password(password);
  std::string salt = random_->bytes(settings_.salt_bytes);
  std::size_t length =
      argon2_encodedlen(settings_.iterations, settings_.memory_kib, settings_.parallelism,
                        settings_.salt_bytes, settings_.hash_bytes, Argon2_id);
  std::vector<char> encoded(length);
  int rc = argon2id_hash_encoded(settings_.iterations, settings_.memory_kib, settings_.parallelism,
                                 normalized.data(), normalized.size(), salt.data(), salt.size(),
                                 settings_.hash_bytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return Error::internal(std::string("argon2: ") + argon2_error_message(rc));
  return std::string(encoded.data());
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
  if (password.size() > kMaxPasswordBytes) return false;
  // Only verify Argon2id strings: another type would silently lower the cost.
  if (encoded.rfind("$argon2id$", 0) != 0) return false;
  std::string normalized = normalize_password(password);
  std::string encoded_z(encoded);  // libargon2 wants a NUL-terminated string
  return argon2id_verify(encoded_z.c_str(), normalized.data(), normalized.size()) == ARGON2_OK;
}

void PasswordHasher::verify_dummy(std::string_view password) const {
  (void)verify(dummy_, password);
}

bool PasswordHasher::needs_rehash(std::string_view encoded) const {
  return encoded.rfind(parameters_prefix(settings_), 0) != 0;
}

}  // namespace pratu::crypto
