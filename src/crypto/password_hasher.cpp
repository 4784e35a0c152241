#include "crypto/password_hasher.hpp"

#include <argon2.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "crypto/base64.hpp"

namespace pratu::crypto {

namespace {

std::string parameters_prefix(const PasswordHashSettings& s) {
  return "$argon2id$v=19$m=" + std::to_string(s.memory_kib) + ",t=" + std::to_string(s.iterations) +
         ",p=" + std::to_string(s.parallelism) + "$";
}

// Argon2's working memory (memory_kib: 19 MiB by default), kept by each thread that verifies
// and lent to libargon2 for every verification. Taking 19 MiB afresh for each login costs
// thousands of page faults whenever the allocator gives such a block back to the system, as
// mimalloc does (docs/adr/0019); libargon2 wipes the memory before handing it back.
struct WorkingMemory {
  std::unique_ptr<std::uint8_t[]> bytes;
  std::size_t size = 0;
  bool lent = false;
};
thread_local WorkingMemory working_memory;

int lend_memory(std::uint8_t** memory, std::size_t bytes) {
  WorkingMemory& kept = working_memory;
  if (kept.lent) {  // not expected (one verification at a time per thread): go without
    *memory = static_cast<std::uint8_t*>(std::malloc(bytes));
    return *memory == nullptr ? ARGON2_MEMORY_ALLOCATION_ERROR : ARGON2_OK;
  }
  if (kept.size < bytes) {
    kept.bytes.reset();
    kept.bytes.reset(new (std::nothrow) std::uint8_t[bytes]);
    kept.size = kept.bytes ? bytes : 0;
    if (!kept.bytes) return ARGON2_MEMORY_ALLOCATION_ERROR;
  }
  kept.lent = true;
  *memory = kept.bytes.get();
  return ARGON2_OK;
}

void take_back_memory(std::uint8_t* memory, std::size_t) {
  WorkingMemory& kept = working_memory;
  if (kept.lent && memory == kept.bytes.get()) {
    kept.lent = false;
  } else {
    std::free(memory);
  }
}

// "$argon2id$v=19$m=M,t=T,p=P$SALT$HASH", with its parameters in libargon2's ranges.
struct PhcArgon2id {
  std::uint32_t memory_kib = 0, iterations = 0, parallelism = 0;
  std::string salt, hash;
};

std::optional<PhcArgon2id> parse_phc(std::string_view text) {
  auto take = [&](std::string_view prefix) {
    if (!text.starts_with(prefix)) return false;
    text.remove_prefix(prefix.size());
    return true;
  };
  auto number = [&](std::uint32_t& out) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (error != std::errc{} || end == text.data() || text.front() == '0') return false;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return true;
  };
  PhcArgon2id out;
  if (!take("$argon2id$v=19$m=") || !number(out.memory_kib) || !take(",t=") ||
      !number(out.iterations) || !take(",p=") || !number(out.parallelism) || !take("$")) {
    return std::nullopt;
  }
  const auto dollar = text.find('$');
  if (dollar == std::string_view::npos) return std::nullopt;
  auto salt = decode_base64(text.substr(0, dollar), Base64Padding::none);
  auto hash = decode_base64(text.substr(dollar + 1), Base64Padding::none);
  if (!salt || !hash) return std::nullopt;
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  if (out.parallelism < ARGON2_MIN_LANES || out.parallelism > 255 ||
      out.iterations < ARGON2_MIN_TIME || out.iterations > 1024 ||
      out.memory_kib < 8 * out.parallelism || out.memory_kib > (1u << 22) ||
      out.salt.size() < ARGON2_MIN_SALT_LENGTH || out.salt.size() > 64 ||
      out.hash.size() < ARGON2_MIN_OUTLEN || out.hash.size() > 64) {
    return std::nullopt;
  }
  return out;
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
  auto phc = parse_phc(encoded);
  if (!phc) return false;
  std::string normalized = normalize_password(password);
  std::vector<std::uint8_t> computed(phc->hash.size());
  argon2_context context{};
  context.out = computed.data();
  context.outlen = static_cast<std::uint32_t>(computed.size());
  context.pwd = reinterpret_cast<std::uint8_t*>(normalized.data());
  context.pwdlen = static_cast<std::uint32_t>(normalized.size());
  context.salt = reinterpret_cast<std::uint8_t*>(phc->salt.data());
  context.saltlen = static_cast<std::uint32_t>(phc->salt.size());
  context.t_cost = phc->iterations;
  context.m_cost = phc->memory_kib;
  context.lanes = phc->parallelism;
  context.threads = phc->parallelism;
  context.version = ARGON2_VERSION_13;
  context.allocate_cbk = lend_memory;
  context.free_cbk = take_back_memory;
  context.flags = ARGON2_DEFAULT_FLAGS;
  // The comparison takes the same time wherever the hashes differ.
  return argon2_verify_ctx(&context, phc->hash.data(), Argon2_id) == ARGON2_OK;
}

void PasswordHasher::verify_dummy(std::string_view password) const {
  (void)verify(dummy_, password);
}

bool PasswordHasher::needs_rehash(std::string_view encoded) const {
  return encoded.rfind(parameters_prefix(settings_), 0) != 0;
}

}  // namespace pratu::crypto
