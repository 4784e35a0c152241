#pragma once
/// A reference SHA-256 for tests, straight from OpenSSL, to check the project's own digests.

#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace pratu::test {

/// Lowercase hex SHA-256 of `bytes`, in one shot.
inline std::string reference_sha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace pratu::test
