// libFuzzer target: request targets (path + query) as the server receives them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "web/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto target = pratu::web::parse_target(input);
  if (target) {
    // What the router relies on: an absolute path without NUL or dot segments.
    if (target->path.empty() || target->path.front() != '/') std::abort();
    if (target->path.find('\0') != std::string::npos) std::abort();
    if (target->path.find("/../") != std::string::npos) std::abort();
  }
  (void)pratu::web::percent_decode(input, pratu::web::Plus::space);
  const std::string encoded = pratu::web::percent_encode(input);
  if (pratu::web::percent_decode(encoded, pratu::web::Plus::literal) != input) std::abort();
  return 0;
}
