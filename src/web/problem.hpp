#pragma once
/// API errors as application/problem+json (RFC 9457).

#include <string_view>

#include "common/result.hpp"
#include "web/context.hpp"
#include "web/message.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::web {

/// The HTTP status for an error kind.
int http_status(ErrorCode code);

/// A problem+json response for `status`: type, title (translated), status, detail (translated
/// message key, never internals), instance (the request id), and `errors` for field errors.
Response problem(const Translations& translations, const RequestContext& context, int status,
                 std::string_view message_key, const std::vector<FieldError>& fields = {});

/// A problem+json response for an Error (internal details go only to the log), with its
/// message key as `code`.
Response problem(const Translations& translations, const RequestContext& context,
                 const Error& error);
/// The same with `detail` as the detail: the error's message, translated and filled in by the
/// caller (a wait, a count).
Response problem(const Translations& translations, const RequestContext& context,
                 const Error& error, std::string_view detail);

/// The answer to `error` on a route of kind `surface`: the error page in the person's language,
/// problem+json, or plain text for operations; Retry-After for 429 and 503. Logs nothing.
Response error_response(const Renderer& renderer, const Request& request,
                        const RequestContext& context, Surface surface, const Error& error);

}  // namespace pratu::web
