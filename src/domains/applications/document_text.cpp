#include "domains/applications/document_text.hpp"

#include <cstdio>

namespace pratu::applications {

std::string file_size_text(const web::Translations& t, web::Locale locale, std::int64_t bytes) {
  char number[32];
  std::string text;
  if (bytes >= 1024 * 1024) {
    std::snprintf(number, sizeof number, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
    text = t.text(locale, "applications.document.size_mb");
  } else {
    std::snprintf(number, sizeof number, "%lld", static_cast<long long>((bytes + 1023) / 1024));
    text = t.text(locale, "applications.document.size_kb");
  }
  if (const auto at = text.find("{n}"); at != std::string::npos) text.replace(at, 3, number);
  return text;
}

std::string file_kind_text(const web::Translations& t, web::Locale locale,
                           std::string_view media_type) {
  return t.text(locale, media_type == "application/pdf" ? "applications.document.kind_pdf"
                                                        : "applications.document.kind_image");
}

}  // namespace pratu::applications
