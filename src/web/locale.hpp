#pragma once
/// Which language a person reads: `?lang=` (remembered in a cookie), then the cookie, then
/// Accept-Language, then the configured default (Thai).

#include <optional>
#include <string_view>

#include "web/context.hpp"
#include "web/message.hpp"

namespace pratu::web {

/// Name of the cookie that remembers the language.
inline constexpr std::string_view kLanguageCookie = "pratu_lang";

/// "th"/"en" (any case, with or without region) to a Locale.
std::optional<Locale> parse_locale(std::string_view code);

/// The preferred of th/en in an Accept-Language header by q-value, if either is acceptable.
std::optional<Locale> locale_from_accept_language(std::string_view header);

struct LocaleChoice {
  Locale locale = Locale::th;
  bool remember = false;  // `?lang=` chose it: set the cookie
};

/// Resolves the request's language.
LocaleChoice choose_locale(const Request& request, Locale fallback);

}  // namespace pratu::web
