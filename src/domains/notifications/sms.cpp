#include "domains/notifications/sms.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <mutex>

#include "common/log.hpp"

namespace pratu::notifications {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return !text.empty();
}

// Characters, not bytes: what a phone counts (a Thai letter is three bytes of UTF-8).
std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

Delivery classify_http_status(long status) {
  if (status >= 200 && status < 300) return Delivery::sent;
  // A refused token is our configuration; a timeout or a rate limit is the moment.
  if (status == 401 || status == 403 || status == 408 || status == 429) return Delivery::retryable;
  if (status >= 400 && status < 500) return Delivery::permanent;
  return Delivery::retryable;
}

std::optional<std::string> e164_mobile(std::string_view mobile) {
  if (mobile.size() == 12 && mobile.substr(0, 3) == "+66" && all_digits(mobile.substr(1))) {
    return std::string(mobile);
  }
  if (mobile.size() == 10 && mobile[0] == '0' && all_digits(mobile)) {
    return "+66" + std::string(mobile.substr(1));
  }
  return std::nullopt;
}

SendResult LogSmsProvider::send(std::string_view phone, std::string_view text) {
  // Never the number or the words: a number's tail and a length tell a test what it needs.
  const std::string tail = phone.size() >= 3 && all_digits(phone.substr(phone.size() - 3))
                               ? "..." + std::string(phone.substr(phone.size() - 3))
                               : "?";
  log::info("notifications: SMS written to the log, not sent", {},
            {{"to_ends_with", tail}, {"characters", std::to_string(code_points(text))}});
  return {Delivery::sent, {}};
}

HttpSmsProvider::HttpSmsProvider(SmsSettings settings) : settings_(std::move(settings)) {
  // Not thread-safe, and needed once per process before any handle.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SendResult HttpSmsProvider::send(std::string_view phone, std::string_view text) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {Delivery::retryable, "curl_easy_init failed"};
  const std::string body =
      boost::json::serialize(boost::json::object{{"to", phone}, {"text", text}});
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!settings_.token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + settings_.token).c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> free_headers(headers,
                                                                           curl_slist_free_all);
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &discard);  // the reply may echo the number
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.connect_timeout_seconds));
  curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout_seconds));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // we run on a background thread
  const CURLcode result = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  // The status line is the gateway's answer, even if the reply's body was cut short.
  if (status == 0) return {Delivery::retryable, curl_easy_strerror(result)};
  const Delivery delivery = classify_http_status(status);
  if (delivery == Delivery::sent) return {Delivery::sent, {}};
  return {delivery, "http " + std::to_string(status)};
}

std::unique_ptr<SmsProvider> make_sms_provider(const SmsSettings& settings) {
  if (settings.provider == "http") return std::make_unique<HttpSmsProvider>(settings);
  if (settings.provider == "log") return std::make_unique<LogSmsProvider>();
  return nullptr;
}

}  // namespace pratu::notifications
