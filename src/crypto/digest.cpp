#include "crypto/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace pratu::crypto {

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

namespace {

constexpr std::size_t kBlockBytes = 64;  // SHA-256's block
constexpr unsigned int kDigestBytes = 32;

// Fetched once: an implicit fetch (EVP_sha256() in EVP_Digest) looks the algorithm up again on
// every call, which costs more than hashing a cookie.
const EVP_MD* sha256() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) throw std::runtime_error("EVP_MD_fetch(SHA256) failed");
    return fetched;
  }();
  return md;
}

struct MdContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using MdContext = std::unique_ptr<EVP_MD_CTX, MdContextDeleter>;

MdContext new_context() {
  MdContext context(EVP_MD_CTX_new());
  // Only fails when OpenSSL cannot allocate: a broken process, not an input problem.
  if (!context) throw std::runtime_error("EVP_MD_CTX_new failed");
  return context;
}

// A context per thread, reused for every digest the thread computes.
EVP_MD_CTX* scratch() {
  thread_local MdContext context = new_context();
  return context.get();
}

void check(int openssl_result, const char* what) {
  if (openssl_result != 1) throw std::runtime_error(std::string(what) + " failed");
}

std::string hex_of(const unsigned char* digest, unsigned int length) {
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* context = scratch();
  check(EVP_DigestInit_ex(context, sha256(), nullptr), "EVP_DigestInit_ex(SHA-256)");
  check(EVP_DigestUpdate(context, data.data(), data.size()), "EVP_DigestUpdate(SHA-256)");
  check(EVP_DigestFinal_ex(context, digest, &length), "EVP_DigestFinal_ex(SHA-256)");
  return hex_of(digest, length);
}

// RFC 2104: the inner and outer hashes start from the key XOR ipad and opad; both states are
// computed once and copied for each message.
struct HmacSha256::State {
  MdContext inner = new_context();
  MdContext outer = new_context();
};

HmacSha256::HmacSha256(std::string_view key) : state_(std::make_unique<State>()) {
  unsigned char block[kBlockBytes] = {};
  if (key.size() > kBlockBytes) {
    unsigned int length = 0;
    check(EVP_Digest(key.data(), key.size(), block, &length, sha256(), nullptr),
          "EVP_Digest(SHA-256)");
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char pad[kBlockBytes];
  for (std::size_t i = 0; i < kBlockBytes; ++i) pad[i] = block[i] ^ 0x36;
  check(EVP_DigestInit_ex(state_->inner.get(), sha256(), nullptr), "EVP_DigestInit_ex(HMAC)");
  check(EVP_DigestUpdate(state_->inner.get(), pad, kBlockBytes), "EVP_DigestUpdate(HMAC)");
  for (std::size_t i = 0; i < kBlockBytes; ++i) pad[i] = block[i] ^ 0x5c;
  check(EVP_DigestInit_ex(state_->outer.get(), sha256(), nullptr), "EVP_DigestInit_ex(HMAC)");
  check(EVP_DigestUpdate(state_->outer.get(), pad, kBlockBytes), "EVP_DigestUpdate(HMAC)");
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
}

HmacSha256::~HmacSha256() = default;

std::string HmacSha256::hex(std::string_view data) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* context = scratch();
  check(EVP_MD_CTX_copy_ex(context, state_->inner.get()), "EVP_MD_CTX_copy_ex(HMAC)");
  check(EVP_DigestUpdate(context, data.data(), data.size()), "EVP_DigestUpdate(HMAC)");
  check(EVP_DigestFinal_ex(context, digest, &length), "EVP_DigestFinal_ex(HMAC)");
  check(EVP_MD_CTX_copy_ex(context, state_->outer.get()), "EVP_MD_CTX_copy_ex(HMAC)");
  check(EVP_DigestUpdate(context, digest, kDigestBytes), "EVP_DigestUpdate(HMAC)");
  check(EVP_DigestFinal_ex(context, digest, &length), "EVP_DigestFinal_ex(HMAC)");
  return hex_of(digest, length);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
           &length) == nullptr) {
    throw std::runtime_error("HMAC(SHA-256) failed");
  }
  return hex_of(digest, length);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Lengths are not secret (tokens have a fixed length); contents are.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace pratu::crypto
