// libFuzzer target: form definitions (services/<agency>/<slug>/form.yaml). Whatever the bytes,
// the loader answers a form or a list of problems, never crashes or hangs; a form it accepts
// has at least one page, each with at least one field, and its expressions name only fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domains/applications/form_loader.hpp"

namespace {

const pratu::platform::ServiceInfo& service() {
  static const pratu::platform::ServiceInfo info{
      "food",
      "bma",
      "ใบอนุญาต",
      "Licence",
      30,
      {{"id_card", "บัตร", "Card", true}, {"plans", "แบบ", "Plans", false}},
      "services/bma/food.yaml",
      {}};
  return info;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto form = pratu::applications::parse_form(input, "services/bma/food/form.yaml", service());
  if (form) {
    if (form->pages.empty()) std::abort();
    for (const auto& page : form->pages) {
      if (page.fields.empty() || page.id.empty()) std::abort();
      for (const auto& field : page.fields) {
        if (field.id.empty()) std::abort();
        if (field.show_if) {
          for (const auto& id : field.show_if->references()) {
            if (id.empty()) std::abort();
          }
        }
      }
    }
  } else if (form.error().detail.empty()) {
    std::abort();  // a refusal always says why
  }
  return 0;
}
