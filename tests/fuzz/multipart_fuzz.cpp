// libFuzzer target: multipart/form-data bodies, the form a page posts with a file. Whatever
// the bytes, the parser answers a form or nothing; every file it finds lies inside the body,
// every name is non-empty and no field carries a NUL.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "web/multipart.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first line is the Content-Type, the rest the body.
  const auto line = input.find('\n');
  if (line == std::string_view::npos) return 0;
  const auto boundary = pratu::web::multipart_boundary(input.substr(0, line));
  const auto body = input.substr(line + 1);
  if (!boundary) return 0;
  if (boundary->empty() || boundary->size() > 70) std::abort();
  const auto form = pratu::web::parse_multipart(body, *boundary, 16);
  if (!form) return 0;
  if (form->fields.size() + form->files.size() > 16) std::abort();
  for (const auto& [name, value] : form->fields) {
    if (name.empty() || value.find('\0') != std::string_view::npos) std::abort();
  }
  for (const auto& file : form->files) {
    if (file.name.empty()) std::abort();
    if (!file.bytes.empty() &&
        (file.bytes.data() < body.data() ||
         file.bytes.data() + file.bytes.size() > body.data() + body.size())) {
      std::abort();
    }
  }
  return 0;
}
