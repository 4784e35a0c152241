// libFuzzer target: tus headers (Upload-Metadata, Upload-Offset) and content sniffing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domains/applications/tus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace tus = pratu::applications::tus;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto pairs = tus::parse_metadata(input)) {
    // Every key is non-empty; a decoded value is never longer than what carried it.
    for (const auto& pair : *pairs) {
      if (pair.key.empty() || pair.value.size() > input.size()) std::abort();
    }
  }
  if (auto size_value = tus::parse_size(input); size_value && *size_value < 0) std::abort();
  (void)tus::sniff(input);
  return 0;
}
