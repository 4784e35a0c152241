#include "domains/notifications/mail_message.hpp"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <memory>

#include "crypto/digest.hpp"

namespace pratu::notifications {
namespace {

constexpr std::string_view kWordStart = "=?UTF-8?B?";
constexpr std::string_view kWordEnd = "?=";
constexpr std::string_view kFold = "\r\n ";

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(bytes[at]); };
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = byte(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// The most UTF-8 bytes one B-word of at most `length` characters can carry.
std::size_t bytes_in_word(std::size_t length) {
  const std::size_t overhead = kWordStart.size() + kWordEnd.size();
  return length <= overhead ? 0 : (length - overhead) / 4 * 3;
}

// Byte offsets where `text` may be split: between grapheme clusters (ICU's extended
// clusters keep Thai vowels above and below and tone marks with their consonant).
std::vector<std::size_t> cluster_boundaries(std::string_view text) {
  std::vector<std::size_t> out;
  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  std::unique_ptr<icu::BreakIterator> clusters(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  if (U_SUCCESS(status)) clusters->setText(utext, status);
  if (U_SUCCESS(status)) {
    for (auto at = clusters->first(); at != icu::BreakIterator::DONE; at = clusters->next()) {
      out.push_back(static_cast<std::size_t>(at));
    }
  }
  utext_close(utext);
  if (out.empty() || out.front() != 0 || out.back() != text.size()) {
    // ICU failed: fall back to code points, which are still never split.
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (!is_continuation(text[i])) out.push_back(i);
    }
    if (out.empty() || out.front() != 0) out.insert(out.begin(), 0);
    out.push_back(text.size());
  }
  return out;
}

// Splits [from, to) of `text` into pieces of at most `cap` bytes, between code points where
// one is within reach, else (bytes that are not UTF-8) anywhere.
void split_unit(std::string_view text, std::size_t from, std::size_t to, std::size_t cap,
                std::vector<std::size_t>& cuts) {
  while (to - from > cap) {
    std::size_t cut = from + cap;
    while (cut > from && is_continuation(text[cut])) --cut;
    if (cut == from) cut = from + cap;
    cuts.push_back(cut);
    from = cut;
  }
}

// The length of the last line of a folded header value that began after `used` characters.
std::size_t last_line_length(std::string_view value, std::size_t used) {
  auto fold = value.rfind("\r\n");
  return fold == std::string_view::npos ? used + value.size() : value.size() - fold - 2;
}

std::string encode_words(std::string_view text, std::size_t used) {
  const std::size_t later_cap = bytes_in_word(std::min(kMaxEncodedWord, kMaxLine - 1));
  // Units never longer than a word holds: clusters, or their code points when one is longer.
  auto bounds = cluster_boundaries(text);
  std::vector<std::size_t> units;
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    units.push_back(bounds[i]);
    split_unit(text, bounds[i], bounds[i + 1], later_cap, units);
  }
  units.push_back(text.size());

  std::string out;
  std::size_t cap = bytes_in_word(std::min(kMaxEncodedWord, kMaxLine > used ? kMaxLine - used : 0));
  std::size_t start = 0;
  bool wrote_word = false;
  auto emit = [&](std::size_t end) {
    if (wrote_word) out += kFold;
    out += kWordStart;
    out += base64(text.substr(start, end - start));
    out += kWordEnd;
    wrote_word = true;
    start = end;
    cap = later_cap;
  };
  for (std::size_t i = 1; i < units.size(); ++i) {
    if (units[i] - start <= cap) continue;
    if (units[i - 1] > start) {
      emit(units[i - 1]);  // a unit is never longer than later_cap: units[i] now fits
    } else {
      // Not even one unit fits after the field name: the first word begins the next line.
      out += kFold;
      cap = later_cap;
    }
  }
  if (start < text.size()) emit(text.size());
  return out;
}

}  // namespace

std::string encode_header_text(std::string_view text, std::size_t used) {
  const bool plain = is_printable_ascii(text) && text.find("=?") == std::string_view::npos &&
                     used + text.size() <= 78;
  if (plain) return std::string(text);
  return encode_words(text, used);
}

std::string encode_mailbox(const Mailbox& mailbox, std::size_t used) {
  std::string out;
  if (!mailbox.name.empty()) {
    if (is_printable_ascii(mailbox.name) && mailbox.name.find("=?") == std::string::npos) {
      out += '"';
      for (char c : mailbox.name) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
    } else {
      out = encode_words(mailbox.name, used);
    }
  }
  std::string address = "<" + mailbox.address + ">";
  if (out.empty()) return address;
  if (last_line_length(out, used) + 1 + address.size() > kMaxLine) {
    out += kFold;
  } else {
    out += ' ';
  }
  out += address;
  return out;
}

std::string base64_lines(std::string_view bytes) {
  const std::string encoded = base64(bytes);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / kMaxLine * 2 + 2);
  for (std::size_t at = 0; at < encoded.size(); at += kMaxLine) {
    out += encoded.substr(at, kMaxLine);
    out += "\r\n";
  }
  return out;
}

std::string rfc5322_date(std::int64_t epoch_seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // Thailand keeps +07:00 all year, with no daylight saving.
  const std::time_t bangkok = static_cast<std::time_t>(epoch_seconds + 7 * 3600);
  std::tm t{};
  gmtime_r(&bangkok, &t);
  char out[64];
  std::snprintf(out, sizeof out, "%s, %02d %s %04d %02d:%02d:%02d +0700", kDays[t.tm_wday],
                t.tm_mday, kMonths[t.tm_mon], t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
  return out;
}

bool is_sendable_address(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  return std::all_of(address.begin(), address.end(), [](char c) {
    return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '(' && c != ')' && c != ',' &&
           c != ';' && c != '"' && c != '\\';
  });
}

Result<std::string> build_message(const MailMessage& message) {
  if (!is_sendable_address(message.from.address) || !is_sendable_address(message.to.address)) {
    Error error = Error::invalid({});
    error.detail = "an address that cannot be sent as it is";
    return error;
  }
  if (!is_sendable_address(message.message_id)) {
    return Error::internal("a Message-ID needs a local part and a domain");
  }
  // Base64 cannot contain "=_", so a boundary beginning with it never occurs in a part.
  const std::string boundary = "=_" + crypto::sha256_hex(message.message_id).substr(0, 24);
  auto crlf_text = [](std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
      out += text[i];
    }
    return out;
  };
  std::string out;
  out += "From: " + encode_mailbox(message.from, 6) + "\r\n";
  out += "To: " + encode_mailbox(message.to, 4) + "\r\n";
  out += "Subject: " + encode_header_text(message.subject, 9) + "\r\n";
  out += "Date: " + rfc5322_date(message.date) + "\r\n";
  out += "Message-ID: <" + message.message_id + ">\r\n";
  // Transactional: an auto-reply should not answer it (RFC 3834); no List-Unsubscribe.
  out += "Auto-Submitted: auto-generated\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  auto part = [&](std::string_view type, std::string_view body) {
    out += "--" + boundary + "\r\n";
    out += "Content-Type: ";
    out += type;
    out += "; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += base64_lines(body);
  };
  // RFC 2046: the plainest format first, the richest last.
  part("text/plain", crlf_text(message.text));
  part("text/html", crlf_text(message.html));
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace pratu::notifications
