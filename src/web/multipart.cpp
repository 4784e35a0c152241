#include "web/multipart.hpp"

#include <algorithm>

#include "common/text.hpp"
#include "common/unicode_text.hpp"

namespace pratu::web {

namespace {

constexpr std::size_t kMaxPartHeaders = 8 * 1024;
constexpr std::string_view kCrlf = "\r\n";

bool boundary_char(char c) {
  // RFC 2046 bchars.
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// A parameter value: a quoted string (backslash escapes a character) or a token. Moves `in`
// past it; nullopt when a quoted string does not end.
std::optional<std::string> parameter_value(std::string_view& in) {
  if (in.empty() || in.front() != '"') {
    const auto end = in.find(';');
    std::string value(trim(in.substr(0, end), kAsciiWhitespace));
    in = end == std::string_view::npos ? std::string_view{} : in.substr(end);
    return value;
  }
  std::string value;
  for (std::size_t i = 1; i < in.size(); ++i) {
    if (in[i] == '\\' && i + 1 < in.size()) {
      value += in[++i];
    } else if (in[i] == '"') {
      in = in.substr(i + 1);
      return value;
    } else {
      value += in[i];
    }
  }
  return std::nullopt;
}

// The parameters after the first `;` of a header value, names lowered.
std::optional<std::vector<Header>> parameters(std::string_view value) {
  std::vector<Header> out;
  auto semi = value.find(';');
  if (semi == std::string_view::npos) return out;
  value = value.substr(semi + 1);
  while (!value.empty()) {
    value = trim(value, kAsciiWhitespace);
    const auto eq = value.find('=');
    if (eq == std::string_view::npos) break;
    std::string name(trim(value.substr(0, eq), kAsciiWhitespace));
    std::transform(name.begin(), name.end(), name.begin(), ascii_lower);
    value = trim(value.substr(eq + 1), kAsciiWhitespace);
    auto parsed = parameter_value(value);
    if (!parsed) return std::nullopt;
    out.emplace_back(std::move(name), std::move(*parsed));
    const auto next = value.find(';');
    if (next == std::string_view::npos) break;
    value = value.substr(next + 1);
  }
  return out;
}

const std::string* parameter(const std::vector<Header>& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool clean_text(std::string_view text) {
  return is_valid_utf8(text) && text.find('\0') == std::string_view::npos;
}

// One part: its headers, then its bytes. False when it is malformed.
bool add_part(std::string_view part, MultipartForm& form) {
  const auto blank = part.find("\r\n\r\n");
  // A part with no headers at all starts with the blank line.
  const bool headless = part.starts_with(kCrlf);
  const std::size_t headers_end = headless ? 0 : blank;
  if (!headless && (blank == std::string_view::npos || blank > kMaxPartHeaders)) return false;
  std::string_view headers = part.substr(0, headers_end);
  const std::string_view bytes = part.substr(headless ? 2 : blank + 4);

  std::optional<std::vector<Header>> disposition;
  std::string content_type;
  while (!headers.empty()) {
    const auto end = headers.find(kCrlf);
    const std::string_view line = headers.substr(0, end);
    headers = end == std::string_view::npos ? std::string_view{} : headers.substr(end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    const auto name = trim(line.substr(0, colon), kAsciiWhitespace);
    const auto value = trim(line.substr(colon + 1), kAsciiWhitespace);
    if (iequals(name, "Content-Disposition")) {
      const auto kind = trim(value.substr(0, value.find(';')), kAsciiWhitespace);
      if (!iequals(kind, "form-data")) return false;
      disposition = parameters(value);
      if (!disposition) return false;
    } else if (iequals(name, "Content-Type")) {
      content_type = std::string(value);
    }
  }
  if (!disposition) return false;
  const std::string* name = parameter(*disposition, "name");
  if (name == nullptr || name->empty() || !clean_text(*name)) return false;
  const std::string* filename = parameter(*disposition, "filename");
  if (filename == nullptr) {
    if (!clean_text(bytes)) return false;
    form.fields.emplace_back(*name, std::string(bytes));
    return true;
  }
  if (!clean_text(*filename) || !clean_text(content_type)) return false;
  // A file input left empty still sends its part: no file was chosen.
  if (filename->empty() && bytes.empty()) return true;
  form.files.push_back(FilePart{*name, *filename, std::move(content_type), bytes});
  return true;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const auto kind = trim(content_type.substr(0, content_type.find(';')), kAsciiWhitespace);
  if (!iequals(kind, "multipart/form-data")) return std::nullopt;
  auto params = parameters(content_type);
  if (!params) return std::nullopt;
  const std::string* boundary = parameter(*params, "boundary");
  if (boundary == nullptr || boundary->empty() || boundary->size() > 70 ||
      boundary->back() == ' ' || !std::all_of(boundary->begin(), boundary->end(), boundary_char)) {
    return std::nullopt;
  }
  return *boundary;
}

std::optional<MultipartForm> parse_multipart(std::string_view body, std::string_view boundary,
                                             std::size_t max_parts) {
  if (boundary.empty()) return std::nullopt;
  const std::string delimiter = "\r\n--" + std::string(boundary);
  // The first delimiter may open the body, without the line break before it.
  std::size_t at = 0;
  if (body.substr(0, delimiter.size() - 2) == std::string_view(delimiter).substr(2)) {
    at = delimiter.size() - 2;
  } else {
    const auto first = body.find(delimiter);
    if (first == std::string_view::npos) return std::nullopt;
    at = first + delimiter.size();
  }
  MultipartForm form;
  for (std::size_t parts = 0;; ++parts) {
    // After a delimiter: "--" closes the body; else optional space, then the line break.
    if (body.substr(at, 2) == "--") return form;
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (body.substr(at, 2) != kCrlf) return std::nullopt;
    at += 2;
    if (parts == max_parts) return std::nullopt;
    const auto end = body.find(delimiter, at);
    if (end == std::string_view::npos) return std::nullopt;
    if (!add_part(body.substr(at, end - at), form)) return std::nullopt;
    at = end + delimiter.size();
  }
}

}  // namespace pratu::web
