#include "crypto/secure_random.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <climits>
#include <stdexcept>

namespace pratu::crypto {

std::string SecureRandom::bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n == 0) return out;
  if (n > static_cast<std::size_t>(INT_MAX) ||
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed: " + std::to_string(ERR_get_error()));
  }
  return out;
}

}  // namespace pratu::crypto
