#pragma once
/// E-mail messages as bytes (RFC 5322, MIME, RFC 2047): what the project writes itself, so the
/// exact bytes can be tested (docs/adr/0018). Thai text is base64 in the bodies and B-encoded
/// in headers, split only between grapheme clusters, every line within 76 characters.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::notifications {

/// The longest encoded-word RFC 2047 allows.
inline constexpr std::size_t kMaxEncodedWord = 75;
/// The longest line we write (RFC 2045's limit for base64, within RFC 5322's 78).
inline constexpr std::size_t kMaxLine = 76;

/// A mailbox: an ASCII address and an optional display name (any UTF-8).
struct Mailbox {
  std::string address;
  std::string name;
};

/// One message, ready to be written.
struct MailMessage {
  Mailbox from;
  Mailbox to;
  std::string subject;
  std::int64_t date = 0;   // epoch seconds; written in Thai time (+0700)
  std::string message_id;  // without angle brackets: "ob-12.3f9a@example.go.th"
  std::string text;        // the text/plain part (UTF-8; line ends become CRLF)
  std::string html;        // the text/html part (UTF-8)
};

/// `text` as a header value starting after `used` characters of its line ("Subject: " is 9):
/// as it is when it is printable ASCII that fits, else RFC 2047 B-words of UTF-8, each at most
/// 75 characters, split only between grapheme clusters (between code points when one cluster
/// alone is too long), folded with CRLF SP so that no line exceeds 76 characters.
std::string encode_header_text(std::string_view text, std::size_t used);

/// A display name and address as a header value after `used` characters: the name as a quoted
/// string when ASCII, else as B-words (a phrase), then `<address>`.
std::string encode_mailbox(const Mailbox& mailbox, std::size_t used);

/// `bytes` in base64, CRLF after every 76 characters and at the end.
std::string base64_lines(std::string_view bytes);

/// The RFC 5322 date of `epoch_seconds` in Thai time: "Thu, 03 Dec 2026 16:05:00 +0700".
std::string rfc5322_date(std::int64_t epoch_seconds);

/// Whether `address` can go in an envelope and a header as it is: ASCII, one @, no spaces,
/// controls or angle brackets (a non-ASCII local part would need SMTPUTF8, which we do not use).
bool is_sendable_address(std::string_view address);

/// The whole message: headers, then multipart/alternative with text/plain first and text/html
/// last, both base64. Fails when an address cannot be sent (see is_sendable_address).
Result<std::string> build_message(const MailMessage& message);

}  // namespace pratu::notifications
