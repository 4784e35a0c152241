#include "web/message.hpp"

#include "common/text.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <cstddef>

namespace pratu::web {
namespace {

constexpr std::size_t kMaxCookies = 128;

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// RFC 9110 token characters (cookie names must be tokens).
bool is_token_char(unsigned char c) {
  if (c <= 0x20 || c >= 0x7F) return false;
  switch (c) {
    case '(':
    case ')':
    case '<':
    case '>':
    case '@':
    case ',':
    case ';':
    case ':':
    case '\\':
    case '"':
    case '/':
    case '[':
    case ']':
    case '?':
    case '=':
    case '{':
    case '}': return false;
    default: return true;
  }
}

// RFC 6265 cookie-octet: printable US-ASCII except space, '"', ',', ';' and '\'.
bool is_cookie_octet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

// Strict UTF-8 validation: no overlongs, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      const unsigned char min = k == 1 ? lo : 0x80;
      const unsigned char max = k == 1 ? hi : 0xBF;
      if (cc < min || cc > max) return false;
    }
    i += len;
  }
  return true;
}

// Characters allowed raw in an origin-form target (RFC 3986 pchar, '/', '?', and '%').
bool is_target_char(unsigned char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
    case '?':
    case '%': return true;
    default: return false;
  }
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string_view Request::path_param(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return {};
}

namespace {

// Calls visit(name, value) for each well-formed cookie of a Cookie header, in order, until it
// returns false or kMaxCookies were seen: a name of token characters, a value of cookie octets
// (its double quotes removed); anything else is skipped.
template <typename Visit>
void for_each_cookie(std::string_view header, Visit visit) {
  std::size_t seen = 0;
  while (!header.empty() && seen < kMaxCookies) {
    const std::size_t semi = header.find(';');
    std::string_view pair = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);

    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = trim(pair.substr(0, eq));
    std::string_view value = trim(pair.substr(eq + 1));
    if (name.empty()) continue;
    if (!std::all_of(name.begin(), name.end(),
                     [](char c) { return is_token_char(static_cast<unsigned char>(c)); })) {
      continue;
    }
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!std::all_of(value.begin(), value.end(),
                     [](char c) { return is_cookie_octet(static_cast<unsigned char>(c)); })) {
      continue;
    }
    ++seen;
    if (!visit(name, value)) return;
  }
}

}  // namespace

std::optional<std::string> Request::cookie(std::string_view name) const {
  // A client may split cookies over several Cookie headers (HTTP/2 proxies do).
  for (const auto& [key, value] : headers) {
    if (!iequals(key, "cookie")) continue;
    std::optional<std::string> found;
    for_each_cookie(value, [&](std::string_view cookie_name, std::string_view cookie_value) {
      if (cookie_name == name) found.emplace(cookie_value);
      return !found;
    });
    if (found) return found;
  }
  return std::nullopt;
}

void Response::set_header(std::string name, std::string value) {
  // A response may set several cookies; every other header has one value.
  if (!iequals(name, "set-cookie")) {
    for (auto& [key, existing] : headers) {
      if (iequals(key, name)) {
        existing = std::move(value);
        return;
      }
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::text() const {
  if (!shared_body) return body;
  std::string joined;
  joined.reserve(text_size());
  joined.append(body).append(*shared_body);
  return joined;
}

std::string_view Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

Response Response::redirect(std::string location, int status) {
  Response response;
  response.status = status;
  response.content_type.clear();
  response.set_header("Location", std::move(location));
  return response;
}

Response Response::json(std::string body, int status) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

Response Response::text(std::string body, int status) {
  Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

std::string set_cookie_value(std::string_view name, std::string_view value,
                             const CookieOptions& options) {
  // Anything outside the cookie grammar is dropped so a value can never inject attributes
  // or headers.
  std::string out;
  out.reserve(name.size() + value.size() + 64);
  for (char c : name) {
    if (is_token_char(static_cast<unsigned char>(c))) out.push_back(c);
  }
  out.push_back('=');
  for (char c : value) {
    if (is_cookie_octet(static_cast<unsigned char>(c))) out.push_back(c);
  }
  auto attribute_value = [](std::string_view v) {
    std::string clean;
    for (char c : v) {
      if (c != ';' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) clean.push_back(c);
    }
    return clean;
  };
  if (!options.path.empty()) out += "; Path=" + attribute_value(options.path);
  if (options.max_age_seconds >= 0) {
    out += "; Max-Age=" + std::to_string(options.max_age_seconds);
    if (options.max_age_seconds == 0) out += "; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
  }
  if (options.http_only) out += "; HttpOnly";
  if (options.secure) out += "; Secure";
  if (!options.same_site.empty()) out += "; SameSite=" + attribute_value(options.same_site);
  return out;
}

std::vector<Header> parse_cookie_header(std::string_view header) {
  std::vector<Header> cookies;
  for_each_cookie(header, [&cookies](std::string_view name, std::string_view value) {
    cookies.emplace_back(std::string(name), std::string(value));
    return true;
  });
  return cookies;
}

std::optional<std::string> percent_decode(std::string_view text, Plus plus) {
  const auto escaped = boost::urls::make_pct_string_view(text);
  if (!escaped) return std::nullopt;
  boost::urls::encoding_opts options;
  options.space_as_plus = plus == Plus::space;
  return escaped->decode(options);
}

std::string percent_encode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::optional<std::vector<Header>> parse_urlencoded(std::string_view text, std::size_t max_fields) {
  std::vector<Header> fields;
  // Split here, not by Boost.URL's query grammar: that would refuse the raw UTF-8 some
  // clients post. The escapes are Boost.URL's to decode.
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;

    const std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), Plus::space);
    auto value = eq == std::string_view::npos ? std::optional<std::string>(std::in_place)
                                              : percent_decode(pair.substr(eq + 1), Plus::space);
    if (!name || !value) return std::nullopt;
    if (!valid_utf8(*name) || !valid_utf8(*value)) return std::nullopt;
    if (name->empty()) continue;
    if (fields.size() == max_fields) return std::nullopt;
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return fields;
}

std::optional<Target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  // "//host/..." would turn into an open redirect wherever a path is echoed back.
  if (target.size() > 1 && target[1] == '/') return std::nullopt;
  bool plain = true;  // no escape and no query
  for (char c : target) {
    if (!is_target_char(static_cast<unsigned char>(c))) return std::nullopt;
    plain = plain && c != '%' && c != '?';
  }
  // Reject dot segments (also when they arrive percent-encoded, so checked after decoding).
  const auto has_dot_segment = [](std::string_view rest) {
    while (!rest.empty()) {
      rest.remove_prefix(1);  // the '/'
      const std::size_t slash = rest.find('/');
      const std::string_view segment = rest.substr(0, slash);
      if (segment == "." || segment == "..") return true;
      rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    }
    return false;
  };
  if (plain) {
    // Every other character allowed above is a path character or "/": the target is its own
    // decoded path (most requests; the grammar below could only agree).
    if (has_dot_segment(target)) return std::nullopt;
    Target out;
    out.path.assign(target);
    return out;
  }
  // Boost.URL checks the grammar of an origin-form target (RFC 9112 §3.2.1), escapes
  // included: a "%" not followed by two hex digits is refused, not passed on as text.
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return std::nullopt;
  const std::string_view raw_path = url->encoded_path();
  const std::string_view raw_query = url->encoded_query();

  // An encoded slash would let one segment pose as two after decoding.
  for (std::size_t i = 0; i + 2 < raw_path.size(); ++i) {
    if (raw_path[i] == '%' && raw_path[i + 1] == '2' &&
        (raw_path[i + 2] == 'f' || raw_path[i + 2] == 'F')) {
      return std::nullopt;
    }
  }

  Target out;
  auto path = percent_decode(raw_path, Plus::literal);
  if (!path) return std::nullopt;
  out.path = std::move(*path);
  if (out.path.find('\0') != std::string::npos || !valid_utf8(out.path)) return std::nullopt;

  if (has_dot_segment(out.path)) return std::nullopt;

  auto query = parse_urlencoded(raw_query);
  if (!query) return std::nullopt;
  for (const auto& [name, value] : *query) {
    if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return std::nullopt;
    }
  }
  out.query = std::move(*query);
  return out;
}

}  // namespace pratu::web
