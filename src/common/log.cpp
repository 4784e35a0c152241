#include "common/log.hpp"

#include <spdlog/sinks/base_sink.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <vector>

namespace pratu::log {
namespace {

std::atomic<Format> g_format{Format::json};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_word(char c) { return is_alnum(c) || c == '_'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool ends_with_ci(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  const std::string_view tail = text.substr(text.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (lower(tail[i]) != suffix[i]) return false;
  }
  return true;
}

// Collects [begin, end) spans of the input to replace, in order, then rebuilds the text.
class Rewriter {
 public:
  explicit Rewriter(std::string_view text) : text_(text) {}
  void replace(std::size_t begin, std::size_t end, std::string_view marker) {
    out_.append(text_.substr(copied_, begin - copied_));
    out_.append(marker);
    copied_ = end;
  }
  std::string finish() {
    out_.append(text_.substr(copied_));
    return std::move(out_);
  }

 private:
  std::string_view text_;
  std::string out_;
  std::size_t copied_ = 0;
};

// `password=hunter2`, `"client_secret": "x"`, `csrf_token: abc`: the value goes.
constexpr std::array<std::string_view, 6> kSecretKeys = {"password", "passwd", "token",
                                                         "secret",   "apikey", "api_key"};

bool is_secret_key(std::string_view key) {
  for (auto suffix : kSecretKeys) {
    if (ends_with_ci(key, suffix)) return true;
  }
  return false;
}

std::string redact_secrets(std::string_view text) {
  Rewriter out(text);
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_word(text[i]) || (i > 0 && (is_word(text[i - 1]) || text[i - 1] == '-'))) {
      ++i;
      continue;
    }
    std::size_t key_end = i;
    while (key_end < text.size() && (is_word(text[key_end]) || text[key_end] == '-')) ++key_end;
    const std::string_view key = text.substr(i, key_end - i);
    std::size_t j = key_end;
    if (is_secret_key(key)) {
      if (j < text.size() && (text[j] == '"' || text[j] == '\'')) ++j;
      while (j < text.size() && text[j] == ' ') ++j;
      if (j < text.size() && (text[j] == '=' || text[j] == ':')) {
        ++j;
        while (j < text.size() && text[j] == ' ') ++j;
        std::size_t value_begin = j;
        std::size_t value_end = j;
        if (j < text.size() && (text[j] == '"' || text[j] == '\'')) {
          const char quote = text[j];
          value_begin = j + 1;
          value_end = value_begin;
          while (value_end < text.size() && text[value_end] != quote) {
            value_end += text[value_end] == '\\' ? 2 : 1;
          }
          value_end = std::min(value_end, text.size());
        } else {
          while (value_end < text.size()) {
            const char c = text[value_end];
            if (c == ' ' || c == '\t' || c == '\n' || c == '&' || c == ',' || c == ';' ||
                c == '"' || c == '\'' || c == '}') {
              break;
            }
            ++value_end;
          }
        }
        if (value_end > value_begin) {
          out.replace(value_begin, value_end, "[redacted]");
          i = value_end;
          continue;
        }
      }
    }
    i = key_end;
  }
  return out.finish();
}

bool is_email_local(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_email_domain(char c) { return is_alnum(c) || c == '.' || c == '-'; }

std::string redact_emails(std::string_view text) {
  Rewriter out(text);
  std::size_t floor = 0;  // nothing before this may be rewritten again
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > floor && is_email_local(text[begin - 1])) --begin;
    std::size_t end = at + 1;
    while (end < text.size() && is_email_domain(text[end])) ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
    const std::string_view domain = text.substr(at + 1, end - at - 1);
    const std::size_t dot = domain.rfind('.');
    const bool has_tld = dot != std::string_view::npos && dot > 0 && domain.size() - dot > 2 &&
                         is_alpha(domain[dot + 1]);
    if (begin == at || !has_tld) continue;
    out.replace(begin, end, "[email]");
    floor = end;
    at = end - 1;
  }
  return out.finish();
}

bool is_token_char(char c) { return is_alnum(c) || c == '+' || c == '/' || c == '_' || c == '-'; }
bool is_hex(char c) { return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f'); }

// Session ids, API keys, JWT parts: long runs of hex, or of base64 mixing cases and digits.
std::string redact_tokens(std::string_view text) {
  constexpr std::size_t kMinTokenLength = 32;
  Rewriter out(text);
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_token_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    bool all_hex = true, upper = false, lower_case = false, digit = false;
    while (end < text.size() && is_token_char(text[end])) {
      const char c = text[end];
      all_hex = all_hex && is_hex(c);
      upper = upper || (c >= 'A' && c <= 'Z');
      lower_case = lower_case || (c >= 'a' && c <= 'z');
      digit = digit || is_digit(c);
      ++end;
    }
    std::size_t padded = end;
    while (padded < text.size() && padded - end < 2 && text[padded] == '=') ++padded;
    if (end - i >= kMinTokenLength && (all_hex || (upper && lower_case && digit))) {
      out.replace(i, padded, "[token]");
      i = padded;
      continue;
    }
    i = end;
  }
  return out.finish();
}

// What a run of digit groups ("081 234 5678", "1-2345-67890-12-3") looks like.
std::string_view classify_number(std::string_view digits, bool plus) {
  const std::size_t n = digits.size();
  if (n == 13 && !plus) return "[id]";
  if (!plus && digits[0] == '0' && digits[1] >= '2' && digits[1] <= '9') {
    const bool mobile = digits[1] == '6' || digits[1] == '8' || digits[1] == '9';
    if ((mobile && n == 10) || (!mobile && n == 9)) return "[phone]";
  }
  if (n >= 10 && digits.substr(0, 2) == "66" && digits[2] >= '2' && digits[2] <= '9') {
    const bool mobile = digits[2] == '6' || digits[2] == '8' || digits[2] == '9';
    if ((mobile && n == 11) || (!mobile && n == 10)) return "[phone]";
  }
  return {};
}

struct DigitGroup {
  std::size_t begin, end;
};

std::string redact_numbers(std::string_view text) {
  constexpr std::size_t kMaxDigits = 13;
  Rewriter out(text);
  std::size_t i = 0;
  std::vector<DigitGroup> groups;
  while (i < text.size()) {
    if (!is_digit(text[i]) || (i > 0 && (is_word(text[i - 1]) || text[i - 1] == '.'))) {
      ++i;
      continue;
    }
    // Gather digit groups joined by single '-' or ' ' separators.
    groups.clear();
    std::size_t j = i;
    while (true) {
      const std::size_t group_begin = j;
      while (j < text.size() && is_digit(text[j])) ++j;
      groups.push_back({group_begin, j});
      if (j + 1 < text.size() && (text[j] == '-' || text[j] == ' ') && is_digit(text[j + 1])) {
        ++j;
        continue;
      }
      break;
    }
    // A run glued to letters ("123abc") or decimals ("1.5") is not a number of a person.
    const bool tail_ok =
        j >= text.size() ||
        !(is_word(text[j]) || (text[j] == '.' && j + 1 < text.size() && is_digit(text[j + 1])));
    std::size_t g = 0;
    while (g < groups.size()) {
      const bool plus = g == 0 && groups[g].begin > 0 && text[groups[g].begin - 1] == '+';
      std::string digits;
      std::size_t best_end_group = groups.size();
      std::string_view best_marker;
      for (std::size_t h = g; h < groups.size(); ++h) {
        digits.append(text.substr(groups[h].begin, groups[h].end - groups[h].begin));
        if (digits.size() > kMaxDigits) break;
        const bool last_is_run_end = h + 1 == groups.size();
        if (last_is_run_end && !tail_ok) break;
        if (auto marker = classify_number(digits, plus); !marker.empty()) {
          best_end_group = h;
          best_marker = marker;
        }
      }
      if (best_end_group != groups.size()) {
        const std::size_t begin = plus ? groups[g].begin - 1 : groups[g].begin;
        out.replace(begin, groups[best_end_group].end, best_marker);
        g = best_end_group + 1;
      } else {
        ++g;
      }
    }
    i = j;
  }
  return out.finish();
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

// Short plain numbers ("200", "12.5") are written as JSON numbers so log queries can compare.
bool is_json_number(std::string_view v) {
  if (v.empty() || v.size() > 15) return false;
  std::size_t i = 0;
  if (v[i] == '-') ++i;
  if (i >= v.size() || !is_digit(v[i])) return false;
  if (v[i] == '0' && i + 1 < v.size() && is_digit(v[i + 1])) return false;
  while (i < v.size() && is_digit(v[i])) ++i;
  if (i < v.size() && v[i] == '.') {
    ++i;
    if (i >= v.size()) return false;
    while (i < v.size() && is_digit(v[i])) ++i;
  }
  return i == v.size();
}

// Text lines stay one line each: a value cannot forge a second log line.
void append_text(std::string& out, std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(c < 0x20 || c == 0x7F ? ' ' : ch);
  }
}

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "off";
  }
}

// Appends the time as 2026-12-04T16:20:31.123Z.
void append_timestamp(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  // The date and time up to the second, formatted once a second per thread.
  thread_local std::time_t formatted_for = -1;
  thread_local std::array<char, 80> prefix{};
  thread_local std::size_t prefix_size = 0;
  if (seconds != formatted_for) {
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    const int written = std::snprintf(
        prefix.data(), prefix.size(), "%04d-%02d-%02dT%02d:%02d:%02d.", utc.tm_year + 1900,
        utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    prefix_size = written > 0 ? static_cast<std::size_t>(written) : 0;
    formatted_for = seconds;
  }
  out.append(prefix.data(), prefix_size);
  out.push_back(static_cast<char>('0' + millis / 100));
  out.push_back(static_cast<char>('0' + millis / 10 % 10));
  out.push_back(static_cast<char>('0' + millis % 10));
  out.push_back('Z');
}

}  // namespace

namespace {

// Writes lines to a fully buffered stderr: flushing every access-log line cost a system call
// per request under one lock. Warnings and errors still flush at once, the rest every second.
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  // Each line is made whole by write_event (its own time and level included): written as it
  // is, without a pattern's formatting.
  void sink_it_(const spdlog::details::log_msg& msg) override {
    flockfile(stderr);
    fwrite_unlocked(msg.payload.data(), 1, msg.payload.size(), stderr);
    putc_unlocked('\n', stderr);
    funlockfile(stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

}  // namespace

void init(std::string_view level, Format format) {
  g_format = format;
  static std::array<char, 64 * 1024> stderr_buffer;
  std::setvbuf(stderr, stderr_buffer.data(), _IOFBF, stderr_buffer.size());
  auto sink = std::make_shared<BufferedStderrSink>();
  auto logger = std::make_shared<spdlog::logger>("pratu", std::move(sink));
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  spdlog::flush_every(std::chrono::seconds(1));
}

void flush() { spdlog::default_logger()->flush(); }

std::string redact(std::string_view text) {
  return redact_numbers(redact_tokens(redact_emails(redact_secrets(text))));
}

namespace {

// One line; `verbatim` writes the message and the field values as they are (see
// event_verbatim); the request id, which may come from a client's header, is redacted unless
// `own_id` (the server made it).
void write_event(spdlog::level::level_enum level, std::string_view msg, std::string_view request_id,
                 std::initializer_list<Field> fields, bool verbatim, bool own_id) {
  spdlog::logger* logger = spdlog::default_logger_raw();
  if (logger == nullptr || !logger->should_log(level)) return;

  // The line is built in this thread's buffer, which keeps its capacity between lines (an
  // access-log line per request); only what a client sent is copied, to be redacted.
  thread_local std::string line;
  line.clear();
  // A value as it goes into the line: as it is, or redacted (into `scratch`).
  std::string scratch;
  auto clean = [&](std::string_view value, bool as_is) -> std::string_view {
    if (as_is) return value;
    scratch = redact(value);
    return scratch;
  };
  if (g_format.load() == Format::json) {
    line += "{\"ts\":\"";
    append_timestamp(line);
    line += "\",\"level\":\"";
    line += level_name(level);
    line += "\",\"msg\":";
    append_json_string(line, clean(msg, verbatim));
    if (!request_id.empty()) {
      line += ",\"request_id\":";
      append_json_string(line, clean(request_id, own_id));
    }
    for (const auto& [key, value] : fields) {
      line.push_back(',');
      append_json_string(line, key);
      line.push_back(':');
      const std::string_view shown =
          is_secret_key(key) ? std::string_view("[redacted]") : clean(value, verbatim);
      if (is_json_number(shown)) {
        line += shown;
      } else {
        append_json_string(line, shown);
      }
    }
    line.push_back('}');
  } else {
    append_timestamp(line);
    line.push_back(' ');
    line += level_name(level);
    line.push_back(' ');
    append_text(line, clean(msg, verbatim));
    if (!request_id.empty()) {
      line += " request_id=";
      append_text(line, clean(request_id, own_id));
    }
    for (const auto& [key, value] : fields) {
      line.push_back(' ');
      append_text(line, key);
      line.push_back('=');
      append_text(line,
                  is_secret_key(key) ? std::string_view("[redacted]") : clean(value, verbatim));
    }
  }
  logger->log(level, spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace

void event(spdlog::level::level_enum level, std::string_view msg, std::string_view request_id,
           std::initializer_list<Field> fields) {
  write_event(level, msg, request_id, fields, false, false);
}

void event_verbatim(spdlog::level::level_enum level, std::string_view msg,
                    std::string_view request_id, std::initializer_list<Field> fields,
                    RequestId id) {
  write_event(level, msg, request_id, fields, true, id == RequestId::own);
}

}  // namespace pratu::log
