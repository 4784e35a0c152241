#pragma once
/// Decoded HTML form posts and the validation errors shown back to the person.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "web/context.hpp"
#include "web/message.hpp"
#include "web/multipart.hpp"
#include "web/render.hpp"

namespace pratu::web {

/// A decoded form post: application/x-www-form-urlencoded, or multipart/form-data when it
/// carries files (which then view the request's body: use them while the request lives).
class Form {
 public:
  /// Decodes the request body; fails (invalid_input) if it is not a valid form.
  static Result<Form> parse(const Request& request);
  /// The trimmed value of `name` (empty if absent).
  std::string value(std::string_view name) const;
  /// The value untrimmed (passwords).
  std::string raw(std::string_view name) const;
  bool has(std::string_view name) const;
  /// Every trimmed value of `name`, in order (ticked checkboxes).
  std::vector<std::string> values(std::string_view name) const;
  /// Every name and value as sent.
  const std::vector<Header>& fields() const { return fields_; }
  /// The file sent as `name`, or nullptr when none was chosen.
  const FilePart* file(std::string_view name) const;

 private:
  std::vector<Header> fields_;
  std::vector<FilePart> files_;
};

/// Model fragment for a form re-rendered after errors: `errors` for the summary (translated,
/// with links to `#field`), and `field_errors.<field>` for the inline message. `values` holds
/// what was typed (never passwords).
boost::json::object form_errors_model(const Translations& translations, Locale locale,
                                      const std::vector<FieldError>& errors);

/// Verifies the CSRF token of a POST against the one the context expects (constant time).
bool csrf_valid(const RequestContext& context, std::string_view submitted);

/// The 1-based `?page=` of a listing, 1 when absent, at most `max_page`; nullopt when it is
/// present but not a positive whole number.
std::optional<int> page_param(const Request& request, int max_page);

}  // namespace pratu::web
