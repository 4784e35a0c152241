#pragma once
/// Structured JSON logs with personal data redacted.

#include <spdlog/spdlog.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace pratu::log {

enum class Format { json, text };

/// Sets up the process-wide logger (stderr) at `level` ("debug", "info", "warn", "error").
void init(std::string_view level, Format format);

/// Writes out buffered lines (at shutdown; warnings and errors are never held back).
void flush();

/// Replaces what looks like personal data (13-digit ids, emails, phone numbers, long tokens,
/// `password=`/`token=` values) with a marker. Applied to every message and field.
std::string redact(std::string_view text);

using Field = std::pair<std::string_view, std::string_view>;

/// Writes one event: {"ts","level","msg","request_id",...fields}; values are redacted.
void event(spdlog::level::level_enum level, std::string_view msg, std::string_view request_id,
           std::initializer_list<Field> fields = {});

/// `event` for a message and values the program made itself, never from a request or the
/// database (route names, status codes, durations, counts): written as they are, since
/// redacting them would cost every request and could only garble them (a byte count that
/// looks like a phone number). The request id is still redacted, unless it is the server's
/// own: a random id carries nothing personal, and checking it would cost every request.
enum class RequestId { from_client, own };
void event_verbatim(spdlog::level::level_enum level, std::string_view msg,
                    std::string_view request_id, std::initializer_list<Field> fields = {},
                    RequestId id = RequestId::from_client);

inline void info(std::string_view msg, std::string_view request_id = {},
                 std::initializer_list<Field> fields = {}) {
  event(spdlog::level::info, msg, request_id, fields);
}
inline void warn(std::string_view msg, std::string_view request_id = {},
                 std::initializer_list<Field> fields = {}) {
  event(spdlog::level::warn, msg, request_id, fields);
}
inline void error(std::string_view msg, std::string_view request_id = {},
                  std::initializer_list<Field> fields = {}) {
  event(spdlog::level::err, msg, request_id, fields);
}

}  // namespace pratu::log
