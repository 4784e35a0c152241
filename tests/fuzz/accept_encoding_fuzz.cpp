// libFuzzer target: Accept-Encoding request headers and response content types.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/compression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (pratu::http::accepts_gzip(input)) {
    // Only gzip, x-gzip or * can make gzip acceptable.
    bool named = input.find('*') != std::string_view::npos;
    for (std::size_t i = 0; !named && i + 4 <= input.size(); ++i) {
      named = (input[i] | 0x20) == 'g' && (input[i + 1] | 0x20) == 'z' &&
              (input[i + 2] | 0x20) == 'i' && (input[i + 3] | 0x20) == 'p';
    }
    if (!named) std::abort();
  }
  (void)pratu::http::is_compressible(input);
  return 0;
}
