#pragma once
/// Notifications: outbox rows of known topics, delivered by e-mail (docs/adr/0018). Types
/// only; no I/O.

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domains/notifications/mail_transport.hpp"
#include "platform/outbox.hpp"
#include "web/context.hpp"

namespace pratu::notifications {

/// Attempts at one row before it is given up (dead), as reference/workflows.md §4.3 fixes.
inline constexpr int kMaxAttempts = 16;

/// The `notifications` configuration section.
struct NotificationSettings {
  bool enabled = true;
  std::string transport = "spool";      // spool | smtp
  std::string spool_dir = "data/mail";  // where the spool transport writes .eml files
  SmtpSettings smtp;
  std::string from_address = "no-reply@localhost";
  std::string from_name = "ประตู";               // the sender's display name, as Thai readers see it
  std::string message_id_domain = "localhost";  // the right side of every Message-ID
  int batch_size = 10;                          // rows claimed at once
  int lease_seconds = 600;  // how long a claim holds; must outlast a whole batch's sending
  int poll_seconds = 15;    // how often each node looks for due rows
  int retry_seconds = 30;   // the first retry's wait, doubling with each retry (retry_delay)
};

/// A claimed outbox row (platform/outbox.hpp).
using platform::outbox::OutboxJob;

/// The JSON payload of an outbox row or a notice, read leniently: a field that is missing or of
/// another type reads as absent, never as an error or an exception. Composers decide which
/// absences make a row undeliverable.
class Payload {
 public:
  /// Parses `json`; what is not a JSON object reads as empty.
  static Payload parse(std::string_view json);
  /// Reads `object` (copied).
  explicit Payload(boost::json::object object);

  /// The string at `key`, or "".
  std::string text(std::string_view key) const;
  /// The whole number at `key`, or nullopt.
  std::optional<std::int64_t> integer(std::string_view key) const;
  /// The true or false at `key`, or nullopt.
  std::optional<bool> flag(std::string_view key) const;
  /// Whether `key` is there at all.
  bool has(std::string_view key) const;
  /// The {"th": …, "en": …} text at `key` in `locale`, else in the other language; "".
  std::string localized(std::string_view key, web::Locale locale) const;

 private:
  const boost::json::value* at(std::string_view key) const;
  boost::json::object object_;
};

/// An e-mail to send for a row, in the recipient's language.
struct Letter {
  std::string to_address;
  std::string to_name;
  web::Locale locale = web::Locale::th;
  std::string subject;
  std::string text;
  std::string html;
};

/// How long to wait before attempt `attempt` + 1, for `attempt` >= 1:
/// min(6 h, `first` s · 2^(attempt−1)) · (0.5 + 0.5·`unit`), `unit` in [0, 1).
std::chrono::seconds retry_delay(int attempt, double unit, int first = 30);

/// An error a topic's composer returns when the row can never be delivered (no e-mail
/// address, a payload it cannot read): the row is finished as dead, not retried. `why` goes
/// to the row's last_error and must hold no personal data.
Error undeliverable(std::string why);
/// Whether `error` is one of those.
bool is_undeliverable(const Error& error);

}  // namespace pratu::notifications
