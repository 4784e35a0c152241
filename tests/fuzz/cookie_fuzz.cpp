// libFuzzer target: Cookie request headers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "web/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const auto& [name, value] : pratu::web::parse_cookie_header(input)) {
    if (name.empty()) std::abort();
    for (char c : name) {
      if (c == ';' || c == '=' || c == ' ') std::abort();
    }
    for (char c : value) {
      if (c == ';' || c == ' ' || c == '\r' || c == '\n') std::abort();
    }
  }
  // Serialising any name/value must never let a value escape its attribute.
  const std::string_view half = input.substr(0, size / 2);
  const std::string cookie =
      pratu::web::set_cookie_value(half, input.substr(size / 2), pratu::web::CookieOptions{});
  if (cookie.find('\r') != std::string::npos || cookie.find('\n') != std::string::npos) {
    std::abort();
  }
  return 0;
}
