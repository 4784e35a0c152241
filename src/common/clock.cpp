#include "common/clock.hpp"

namespace pratu {

std::string Random::token(std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string raw = bytes(n);
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

}  // namespace pratu
