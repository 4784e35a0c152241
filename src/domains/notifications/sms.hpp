#pragma once
/// Text messages to a mobile phone: a provider behind one interface, with the mail
/// transport's delivery outcomes (sent, retryable, permanent). `log` only notes that a message
/// would have gone; `http` hands it to an SMS gateway's JSON endpoint through libcurl.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domains/notifications/mail_transport.hpp"

namespace pratu::notifications {

/// The `notifications.sms_*` settings.
struct SmsSettings {
  std::string provider = "log";  // none | log | http
  std::string url;               // the gateway's endpoint, for http
  std::string token;             // sent as "Authorization: Bearer <token>" when not empty
  int connect_timeout_seconds = 10;
  int timeout_seconds = 30;  // the whole request
};

/// One text message: to whom and what.
struct ShortMessage {
  std::string to_phone;  // E.164 ("+66812345678")
  std::string text;      // one line
};

class SmsProvider {
 public:
  virtual ~SmsProvider() = default;
  /// Hands `text` over for delivery to `phone` (E.164). The result's detail holds neither.
  virtual SendResult send(std::string_view phone, std::string_view text) = 0;
};

/// Sends nothing: logs the message's length and the number's last three digits only.
class LogSmsProvider final : public SmsProvider {
 public:
  SendResult send(std::string_view phone, std::string_view text) override;
};

/// POSTs {"to", "text"} as JSON to the gateway's URL: 2xx sent; 4xx permanent, except those
/// that are about us or the moment (401, 403, 408, 429); 5xx, no connection or a timeout
/// retryable.
class HttpSmsProvider final : public SmsProvider {
 public:
  explicit HttpSmsProvider(SmsSettings settings);
  SendResult send(std::string_view phone, std::string_view text) override;

 private:
  SmsSettings settings_;
};

/// The provider `settings` names; nullptr for "none".
std::unique_ptr<SmsProvider> make_sms_provider(const SmsSettings& settings);

/// The delivery an HTTP status from the gateway means (see HttpSmsProvider).
Delivery classify_http_status(long status);

/// A mobile number as the accounts keep it ("0812345678") or already E.164 ("+66812345678"),
/// as E.164; nullopt when it is neither.
std::optional<std::string> e164_mobile(std::string_view mobile);

}  // namespace pratu::notifications
