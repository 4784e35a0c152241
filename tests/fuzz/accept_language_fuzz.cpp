// libFuzzer target: Accept-Language request headers.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "web/locale.hpp"

namespace {

bool contains_ignoring_case(std::string_view text, std::string_view word) {
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    bool same = true;
    for (std::size_t j = 0; j < word.size() && same; ++j) {
      const char c = text[i + j];
      same = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c) == word[j];
    }
    if (same) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto locale = pratu::web::locale_from_accept_language(input);
  if (locale == pratu::web::Locale::th && !contains_ignoring_case(input, "th")) std::abort();
  if (locale == pratu::web::Locale::en && !contains_ignoring_case(input, "en")) std::abort();
  // A language refused with q=0 in front of the header changes nothing, while the header
  // stays within the 32 entries that are read.
  const auto entries = 1 + static_cast<std::size_t>(std::count(input.begin(), input.end(), ','));
  const auto refused = pratu::web::locale_from_accept_language("xx;q=0, " + std::string(input));
  if (entries < 32 && refused != locale) std::abort();
  (void)pratu::web::parse_locale(input);
  return 0;
}
