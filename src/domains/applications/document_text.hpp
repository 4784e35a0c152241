#pragma once
/// How a file is described to the person whose file it is: its size and its kind, in their
/// language.

#include <cstdint>
#include <string>
#include <string_view>

#include "web/locale.hpp"
#include "web/render.hpp"

namespace pratu::applications {

/// "1.2 MB", "350 KB".
std::string file_size_text(const web::Translations& t, web::Locale locale, std::int64_t bytes);
/// "PDF", or "picture" for a JPEG or PNG.
std::string file_kind_text(const web::Translations& t, web::Locale locale,
                           std::string_view media_type);

}  // namespace pratu::applications
