#include "web/json_body.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include <string>

namespace pratu::web {
namespace {

Error json_error(std::string key, std::string detail, ErrorCode code = ErrorCode::invalid_input) {
  return Error{code, std::move(key), std::move(detail), {}, 0};
}

}  // namespace

Result<boost::json::value> parse_json_body(std::string_view body, const JsonLimits& limits) {
  if (body.size() > limits.max_bytes) {
    return json_error("http.json.too_large",
                      "JSON body of " + std::to_string(body.size()) + " bytes exceeds " +
                          std::to_string(limits.max_bytes),
                      ErrorCode::too_large);
  }
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;

  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec, {}, options);
  if (ec == boost::json::error::too_deep) {
    return json_error("http.json.too_deep",
                      "JSON nesting exceeds " + std::to_string(limits.max_depth));
  }
  if (ec) return json_error("http.json.invalid", "malformed JSON: " + ec.message());
  return value;
}

}  // namespace pratu::web
