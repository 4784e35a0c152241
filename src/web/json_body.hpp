#pragma once
/// Untrusted JSON request bodies, parsed with limits on size and nesting.

#include <boost/json/value.hpp>

#include <cstddef>
#include <string_view>

#include "common/result.hpp"

namespace pratu::web {

/// Bounds on what a client may send as JSON.
struct JsonLimits {
  std::size_t max_bytes = 64 * 1024;
  std::size_t max_depth = 32;
};

/// Parses `body` as one JSON value (UTF-8 checked, no trailing data, no comments); fails
/// with too_large (413) past max_bytes, and invalid_input with a message key when it is
/// malformed or too deep.
Result<boost::json::value> parse_json_body(std::string_view body, const JsonLimits& limits = {});

}  // namespace pratu::web
