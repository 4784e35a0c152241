#pragma once
/// Where finished messages go: an SMTP server (libcurl), or a spool directory of .eml files
/// for running Pratu where there is no mail server (the demo).

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace pratu::notifications {

/// What became of one attempt. `detail` is for the outbox row and the log: never the
/// server's reply text, which may echo an address.
enum class Delivery {
  sent,       // the server accepted it (250 after DATA), or it was spooled
  retryable,  // try again later: 4xx, no connection, a timeout
  permanent,  // never again: 5xx
};
struct SendResult {
  Delivery delivery = Delivery::sent;
  std::string detail;  // "smtp 550", "Timeout was reached"
};

/// Who the message is from and to, outside the message (SMTP's MAIL FROM and RCPT TO).
struct Envelope {
  std::string from;        // an address, no name
  std::string to;          // an address, no name
  std::string message_id;  // names a spooled file
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  /// Hands `message` (the whole RFC 5322 message, CRLF line ends) over for delivery.
  virtual SendResult send(const Envelope& envelope, std::string_view message) = 0;
};

/// How to reach the SMTP server.
struct SmtpSettings {
  std::string url = "smtp://localhost:25";  // smtp:// (STARTTLS when offered) or smtps://
  std::string tls = "try";                  // try | require: STARTTLS on an smtp:// URL
  std::string username;                     // AUTH when not empty
  std::string password;
  int connect_timeout_seconds = 10;
  int timeout_seconds = 30;  // the whole conversation
};

/// SMTP through libcurl.
std::unique_ptr<MailTransport> make_smtp_transport(SmtpSettings settings);

/// Writes each message to `directory`/<message id>.eml, whole or not at all.
std::unique_ptr<MailTransport> make_spool_transport(std::filesystem::path directory);

/// The delivery an SMTP reply code means: 2xx sent, 5xx permanent, anything else retryable.
Delivery classify_smtp_reply(long code);

}  // namespace pratu::notifications
