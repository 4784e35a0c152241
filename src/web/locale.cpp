#include "web/locale.hpp"

#include "common/text.hpp"

#include <charconv>
#include <string>

namespace pratu::web {

namespace {

// q-value of one Accept-Language entry's parameters ("q=0.8"), 1.0 when absent, 0 when bad.
double quality(std::string_view params) {
  auto q = params.find("q=");
  if (q == std::string_view::npos) return 1.0;
  auto text = trim(params.substr(q + 2));
  double value = 0.0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0.0 || value > 1.0) return 0.0;
  return value;
}

}  // namespace

std::optional<Locale> parse_locale(std::string_view code) {
  if (code.size() < 2) return std::nullopt;
  if (code.size() > 2 && code[2] != '-' && code[2] != '_') return std::nullopt;
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); };
  char a = lower(code[0]);
  char b = lower(code[1]);
  if (a == 't' && b == 'h') return Locale::th;
  if (a == 'e' && b == 'n') return Locale::en;
  return std::nullopt;
}

std::optional<Locale> locale_from_accept_language(std::string_view header) {
  std::optional<Locale> best;
  double best_q = 0.0;
  // Bounded: a header has at most a few dozen entries; ignore anything beyond 32.
  for (int n = 0; !header.empty() && n < 32; ++n) {
    auto comma = header.find(',');
    auto entry = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semi = entry.find(';');
    auto tag = trim(entry.substr(0, semi));
    double q = semi == std::string_view::npos ? 1.0 : quality(entry.substr(semi + 1));
    auto locale = parse_locale(tag);
    if (locale && q > best_q) {
      best = locale;
      best_q = q;
    }
  }
  return best;
}

LocaleChoice choose_locale(const Request& request, Locale fallback) {
  if (auto lang = request.query_param("lang")) {
    if (auto locale = parse_locale(*lang); locale && lang->size() == 2) return {*locale, true};
  }
  if (auto cookie = request.cookie(kLanguageCookie)) {
    if (auto locale = parse_locale(*cookie)) return {*locale, false};
  }
  if (auto locale = locale_from_accept_language(request.header("Accept-Language"))) {
    return {*locale, false};
  }
  return {fallback, false};
}

}  // namespace pratu::web
