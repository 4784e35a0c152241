// libFuzzer target: application/x-www-form-urlencoded bodies and query strings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "web/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto fields = pratu::web::parse_urlencoded(input, 64);
  if (fields) {
    if (fields->size() > 64) std::abort();
    for (const auto& [name, value] : *fields) {
      if (name.empty()) std::abort();
    }
  }
  return 0;
}
