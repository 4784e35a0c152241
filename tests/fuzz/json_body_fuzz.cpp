// libFuzzer target: untrusted JSON request bodies.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/json_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  pratu::web::JsonLimits limits;
  limits.max_bytes = 4096;
  limits.max_depth = 16;
  auto value = pratu::web::parse_json_body(input, limits);
  (void)value;
  return 0;
}
