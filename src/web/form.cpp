#include "web/form.hpp"

#include <algorithm>
#include <charconv>

#include "common/text.hpp"

#include <boost/json.hpp>
#include <openssl/crypto.h>

namespace pratu::web {

namespace json = boost::json;

Result<Form> Form::parse(const Request& request) {
  auto type = request.header("Content-Type");
  if (auto boundary = multipart_boundary(type)) {
    auto parsed = parse_multipart(request.body, *boundary);
    if (!parsed) {
      return Error{
          ErrorCode::invalid_input, "errors.form_unreadable", "malformed multipart body", {}, 0};
    }
    Form form;
    form.fields_ = std::move(parsed->fields);
    form.files_ = std::move(parsed->files);
    return form;
  }
  if (!type.empty() && type.find("application/x-www-form-urlencoded") == std::string_view::npos) {
    return Error{
        ErrorCode::invalid_input, "errors.form_unreadable", "unexpected content type", {}, 0};
  }
  auto fields = parse_urlencoded(request.body);
  if (!fields) {
    return Error{ErrorCode::invalid_input, "errors.form_unreadable", "malformed form body", {}, 0};
  }
  Form form;
  form.fields_ = std::move(*fields);
  return form;
}

std::string Form::raw(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (key == name) return value;
  }
  return {};
}

std::string Form::value(std::string_view name) const {
  return std::string(trim(raw(name), kAsciiWhitespace));
}

std::vector<std::string> Form::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : fields_) {
    if (key == name) out.emplace_back(trim(value, kAsciiWhitespace));
  }
  return out;
}

const FilePart* Form::file(std::string_view name) const {
  for (const auto& f : files_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool Form::has(std::string_view name) const {
  for (const auto& field : fields_) {
    if (field.first == name) return true;
  }
  return false;
}

json::object form_errors_model(const Translations& translations, Locale locale,
                               const std::vector<FieldError>& errors) {
  json::array summary;
  json::object inline_errors;
  for (const auto& e : errors) {
    const auto& message = translations.text(locale, e.message_key);
    summary.push_back(json::object{{"field", e.field}, {"message", message}});
    // The first error of a field is the one shown beside it.
    if (!inline_errors.contains(e.field)) inline_errors[e.field] = message;
  }
  return json::object{{"errors", std::move(summary)}, {"field_errors", std::move(inline_errors)}};
}

bool csrf_valid(const RequestContext& context, std::string_view submitted) {
  const auto& expected = context.csrf_token;
  if (expected.empty() || submitted.size() != expected.size()) return false;
  return CRYPTO_memcmp(expected.data(), submitted.data(), expected.size()) == 0;
}

std::optional<int> page_param(const Request& request, int max_page) {
  const auto text = request.query_param("page");
  if (!text || text->empty()) return 1;
  int page = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, page);
  if (ec != std::errc() || ptr != end || page < 1) return std::nullopt;
  return std::min(page, max_page);
}

}  // namespace pratu::web
