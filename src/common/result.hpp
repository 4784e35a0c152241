#pragma once
/// Expected failures as values: Result<T> holds a T or an Error, turned into HTTP in one place.

#include <boost/system/result.hpp>

#include <string>
#include <utility>
#include <vector>

namespace pratu {

/// What kind of failure; decides the HTTP status in one place (web/error_response).
enum class ErrorCode {
  invalid_input,           // 422: the person can fix it; `fields` says where
  not_found,               // 404
  conflict,                // 409 (or 422 in a form, with fields)
  unauthorized,            // 401: log in first
  forbidden,               // 403
  rate_limited,            // 429: `retry_after_seconds` says when
  too_large,               // 413: more than a limit allows
  precondition_failed,     // 412: a required precondition header is wrong (Tus-Resumable)
  unsupported_media_type,  // 415: the body is not of a type the route takes
  unavailable,             // 503: a dependency is down
  internal,                // 500: a bug or broken invariant; detail goes to the log only
};

/// One field's problem: the field name in the form and the locale key of its message.
struct FieldError {
  std::string field;
  std::string message_key;
};

/// An expected failure. `message_key` is shown to people (via locales), `detail` only logged.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message_key;
  std::string detail;
  std::vector<FieldError> fields;
  int retry_after_seconds = 0;

  static Error invalid(std::vector<FieldError> fields, std::string key = "errors.invalid_input") {
    return Error{ErrorCode::invalid_input, std::move(key), {}, std::move(fields), 0};
  }
  static Error not_found(std::string detail = {}) {
    return Error{ErrorCode::not_found, "errors.not_found", std::move(detail), {}, 0};
  }
  static Error internal(std::string detail) {
    return Error{ErrorCode::internal, "errors.internal", std::move(detail), {}, 0};
  }
  static Error unavailable(std::string detail) {
    return Error{ErrorCode::unavailable, "errors.unavailable", std::move(detail), {}, 0};
  }
};

/// Called by boost::system::result::value() when it holds an error: a broken invariant.
[[noreturn]] void throw_exception_from_error(Error const& e, boost::source_location const& loc);

template <class T>
using Result = boost::system::result<T, Error>;

/// Result<void>'s success value.
inline Result<void> ok() { return {}; }

}  // namespace pratu

/// Evaluates `expr` (a Result<T>); returns its error from the enclosing function, else binds
/// the value to `var`.
#define PRATU_TRY(var, expr)                                   \
  auto var##_result_ = (expr);                                 \
  if (!var##_result_) return std::move(var##_result_).error(); \
  auto var = std::move(*var##_result_)

/// Evaluates `expr` (a Result<void> or Result<T> whose value is unused); returns on error.
#define PRATU_CHECK(expr)                                         \
  do {                                                            \
    auto pratu_check_result_ = (expr);                            \
    if (!pratu_check_result_) return pratu_check_result_.error(); \
  } while (false)
