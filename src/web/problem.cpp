#include "web/problem.hpp"

#include <boost/json.hpp>

#include "common/log.hpp"

namespace pratu::web {

namespace json = boost::json;

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input: return 422;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict: return 409;
    case ErrorCode::unauthorized: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::too_large: return 413;
    case ErrorCode::precondition_failed: return 412;
    case ErrorCode::unsupported_media_type: return 415;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

namespace {

std::string_view status_slug(int status) {
  switch (status) {
    case 400: return "bad-request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not-found";
    case 405: return "method-not-allowed";
    case 409: return "conflict";
    case 412: return "precondition-failed";
    case 413: return "too-large";
    case 415: return "unsupported-media-type";
    case 422: return "invalid-input";
    case 429: return "too-many-requests";
    case 503: return "unavailable";
    default: return "internal";
  }
}

std::string_view title_key(int status) {
  switch (status) {
    case 400: return "errors.pages.bad_request.title";
    case 401: return "errors.pages.unauthorized.title";
    case 403: return "errors.pages.forbidden.title";
    case 404: return "errors.pages.not_found.title";
    case 405: return "errors.pages.method_not_allowed.title";
    case 409: return "errors.pages.conflict.title";
    case 412: return "errors.pages.precondition_failed.title";
    case 413: return "errors.pages.too_large.title";
    case 415: return "errors.pages.unsupported_media_type.title";
    case 422: return "errors.invalid_input";
    case 429: return "errors.pages.too_many_requests.title";
    case 503: return "errors.pages.unavailable.title";
    default: return "errors.pages.internal.title";
  }
}

Response problem_with_detail(const Translations& translations, const RequestContext& context,
                             int status, std::string_view detail,
                             const std::vector<FieldError>& fields, std::string_view code = {}) {
  json::object body{
      {"type", "/problems/" + std::string(status_slug(status))},
      {"title", translations.text(context.locale, title_key(status))},
      {"status", status},
      {"detail", detail},
      {"instance", "urn:pratu:request:" + context.request_id},
  };
  // The message key, for programs: stable where the detail's words are translated.
  if (!code.empty()) body["code"] = code;
  if (!fields.empty()) {
    json::array errors;
    for (const auto& f : fields) {
      errors.push_back(json::object{{"field", f.field},
                                    {"detail", translations.text(context.locale, f.message_key)}});
    }
    body["errors"] = std::move(errors);
  }
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = json::serialize(body);
  return response;
}

}  // namespace

Response problem(const Translations& translations, const RequestContext& context, int status,
                 std::string_view message_key, const std::vector<FieldError>& fields) {
  return problem_with_detail(translations, context, status,
                             translations.text(context.locale, message_key), fields);
}

Response problem(const Translations& translations, const RequestContext& context,
                 const Error& error) {
  auto key = error.message_key.empty() ? std::string("errors.internal") : error.message_key;
  return problem(translations, context, error, translations.text(context.locale, key));
}

Response problem(const Translations& translations, const RequestContext& context,
                 const Error& error, std::string_view detail) {
  auto response = problem_with_detail(translations, context, http_status(error.code), detail,
                                      error.fields, error.message_key);
  if (error.retry_after_seconds > 0) {
    response.set_header("Retry-After", std::to_string(error.retry_after_seconds));
  }
  return response;
}

Response error_response(const Renderer& renderer, const Request& request,
                        const RequestContext& context, Surface surface, const Error& error) {
  const int status = http_status(error.code);
  Response response;
  switch (surface) {
    case Surface::page: response = renderer.error_page(request, context, status); break;
    case Surface::api: response = problem(renderer.translations(), context, error); break;
    case Surface::operations:
      response = Response::text(status == 503   ? "unavailable\n"
                                : status >= 500 ? "internal error\n"
                                                : "refused\n",
                                status);
      break;
  }
  if (error.code == ErrorCode::rate_limited && error.retry_after_seconds > 0) {
    response.set_header("Retry-After", std::to_string(error.retry_after_seconds));
  } else if (status == 503) {
    response.set_header("Retry-After", "5");
  }
  return response;
}

}  // namespace pratu::web
