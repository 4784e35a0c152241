#include "domains/payments/bank_confirmation.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <array>
#include <optional>
#include <utility>

#include "common/text.hpp"
#include "common/thai_id.hpp"
#include "crypto/digest.hpp"

namespace pratu::payments {

namespace {

constexpr std::size_t kMaxTimestampDigits = 12;  // Unix seconds for the next 30,000 years
constexpr std::size_t kMaxSignatures = 8;
constexpr std::size_t kHexDigestLength = 64;
constexpr std::string_view kSignatureScheme = "sha256=";
constexpr std::size_t kMaxTransactionIdLength = 64;
constexpr std::size_t kMaxChannelLength = 16;
constexpr std::size_t kBillerIdLength = 15;
constexpr int kEarliestYear = 1900;
constexpr int kLatestGregorianYear = 2400;  // above: a Buddhist-era year (payments.md §1.4)

Error failure(ErrorCode kind, std::string_view code, std::string_view field = {},
              std::string detail = {}) {
  const std::string key = "payments.confirmation." + std::string(code);
  std::string text(code);
  if (!field.empty()) text += ":" + std::string(field);
  if (!detail.empty()) text += ": " + detail;
  std::vector<FieldError> fields;
  if (!field.empty()) fields.push_back(FieldError{std::string(field), key});
  return Error{kind, key, std::move(text), std::move(fields), 0};
}

Error unauthorized(std::string_view code, std::string detail = {}) {
  return failure(ErrorCode::unauthorized, code, {}, std::move(detail));
}

Error invalid(std::string_view code, std::string_view field = {}, std::string detail = {}) {
  return failure(ErrorCode::invalid_input, code, field, std::move(detail));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper_or_digit(char c) { return is_digit(c) || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_upper_or_digit(c) || (c >= 'a' && c <= 'z'); }

bool all_of(std::string_view text, bool (*allowed)(char)) {
  for (char c : text) {
    if (!allowed(c)) return false;
  }
  return true;
}

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Digits of a known length as a number; the caller checked they are digits.
std::int64_t number(std::string_view digits) {
  std::int64_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// --- Authentication -------------------------------------------------------------------------

// The sha256 values of a signature header ("sha256=<hex>", comma-separated when a bank signs
// with two secrets), lower-cased; nullopt if the header is malformed.
std::optional<std::vector<std::string>> signatures_of(std::string_view header) {
  if (header.size() > kMaxSignatureHeaderBytes) return std::nullopt;
  std::vector<std::string> out;
  for (;;) {
    const auto comma = header.find(',');
    const auto entry = trim(header.substr(0, comma));
    if (entry.substr(0, kSignatureScheme.size()) != kSignatureScheme) return std::nullopt;
    const auto hex = entry.substr(kSignatureScheme.size());
    if (hex.size() != kHexDigestLength || !all_of(hex, is_hex)) return std::nullopt;
    if (out.size() == kMaxSignatures) return std::nullopt;
    std::string value;
    for (char c : hex) value.push_back(lower(c));
    out.push_back(std::move(value));
    if (comma == std::string_view::npos) return out;
    header.remove_prefix(comma + 1);
  }
}

template <class Secrets>
Result<void> authenticate(const Secrets& secrets, std::string_view timestamp_header,
                          std::string_view signature_header, std::string_view raw_body,
                          std::chrono::sys_seconds now, std::chrono::seconds tolerance) {
  const auto timestamp = trim(timestamp_header);
  const auto signature = trim(signature_header);
  if (signature.empty()) return unauthorized("missing_signature");
  if (timestamp.empty()) return unauthorized("missing_timestamp");
  if (timestamp.size() > kMaxTimestampDigits || !all_of(timestamp, is_digit)) {
    return unauthorized("bad_timestamp", "decimal Unix seconds expected");
  }
  const auto given = signatures_of(signature);
  if (!given) return unauthorized("bad_signature", "sha256=<64 hex digits> expected");

  const std::string signed_text = std::string(timestamp) + "." + std::string(raw_body);
  bool matched = false;
  for (std::string_view secret : secrets) {
    if (secret.empty()) continue;
    const std::string expected = crypto::hmac_sha256_hex(secret, signed_text);
    // Every candidate is compared, so the time does not tell which one matched.
    for (const auto& candidate : *given) {
      matched = crypto::constant_time_equal(expected, candidate) || matched;
    }
  }
  if (!matched) return unauthorized("bad_signature", "no signature matches");

  const auto sent = std::chrono::sys_seconds(std::chrono::seconds(number(timestamp)));
  if (sent < now - tolerance) {
    return unauthorized("stale_timestamp",
                        "signed " + std::to_string((now - sent).count()) + " s ago");
  }
  if (sent > now + tolerance) {
    return unauthorized("future_timestamp",
                        "signed " + std::to_string((sent - now).count()) + " s ahead");
  }
  return ok();
}

// --- The body -------------------------------------------------------------------------------

// The members of a confirmation, in the order a missing one is reported.
constexpr std::array<std::string_view, 8> kFieldNames{
    "bank_transaction_id", "biller_id", "ref1", "ref2", "ref3", "amount", "paid_at", "channel"};

std::optional<std::size_t> field_index(std::string_view name) {
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    if (kFieldNames[i] == name) return i;
  }
  return std::nullopt;
}

// A name fit for a log line and an answer: printable ASCII only.
std::string printable(std::string_view name) {
  for (char c : name) {
    if (c < 0x20 || c > 0x7E) return "(unprintable)";
  }
  return std::string(name);
}

// A problem found while reading the body, reported only if the JSON itself is well formed.
struct BodyProblem {
  std::string code;
  std::string field;
  std::string detail;
};

// SAX handler for Boost.JSON's basic_parser: the top-level object's members, each a string
// seen once; the first problem is kept and the rest of the document is only checked as JSON.
class ConfirmationHandler {
 public:
  static constexpr std::size_t max_object_size = 64;
  static constexpr std::size_t max_array_size = 64;
  static constexpr std::size_t max_key_size = 64;
  static constexpr std::size_t max_string_size = kMaxConfirmationBytes;

  std::array<std::optional<std::string>, kFieldNames.size()> values;
  std::optional<BodyProblem> problem;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }

  bool on_object_begin(boost::system::error_code&) {
    if (depth_ > 0) value_not_string("an object");
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t, boost::system::error_code&) {
    --depth_;
    return true;
  }
  bool on_array_begin(boost::system::error_code&) {
    value_not_string("an array");
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t, boost::system::error_code&) {
    --depth_;
    return true;
  }

  bool on_key_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    if (depth_ == 1) key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    if (depth_ != 1) return true;
    key_.append(s.data(), s.size());
    current_ = field_index(key_);
    if (!current_) {
      note("unknown_field", printable(key_), "not a field of a confirmation");
    } else if (seen_[*current_]) {
      note("duplicate_field", key_, "the field appears twice");
    }
    if (current_) seen_[*current_] = true;
    key_.clear();
    return true;
  }

  bool on_string_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    if (depth_ == 1) string_.append(s.data(), s.size());
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    if (depth_ == 0) {
      top_level_scalar();
    } else if (depth_ == 1) {
      string_.append(s.data(), s.size());
      if (current_ && !values[*current_]) values[*current_] = std::move(string_);
      string_.clear();
    }
    return true;
  }

  bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(std::int64_t, boost::json::string_view, boost::system::error_code&) {
    return scalar("a number");
  }
  bool on_uint64(std::uint64_t, boost::json::string_view, boost::system::error_code&) {
    return scalar("a number");
  }
  bool on_double(double, boost::json::string_view, boost::system::error_code&) {
    return scalar("a number");
  }
  bool on_bool(bool, boost::system::error_code&) { return scalar("true or false"); }
  bool on_null(boost::system::error_code&) { return scalar("null"); }
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }

 private:
  void note(std::string code, std::string field, std::string detail) {
    if (!problem) problem = BodyProblem{std::move(code), std::move(field), std::move(detail)};
  }

  void top_level_scalar() { note("not_json", {}, "a JSON object expected"); }

  // A member of the top-level object whose value is not a string.
  void value_not_string(std::string_view what) {
    if (depth_ == 0) return top_level_scalar();
    if (depth_ != 1 || !current_) return;
    const auto name = kFieldNames[*current_];
    note(name == "amount" ? "bad_amount" : "bad_field", std::string(name),
         std::string(what) + " where a string is expected");
  }

  bool scalar(std::string_view what) {
    value_not_string(what);
    return true;
  }

  std::size_t depth_ = 0;
  std::string key_;
  std::string string_;
  std::optional<std::size_t> current_;
  std::array<bool, kFieldNames.size()> seen_{};
};

// "1500.00": at most 11 digits before the point (no leading zero), exactly two after.
std::optional<std::int64_t> parse_amount(std::string_view text) {
  const auto point = text.find('.');
  if (point == std::string_view::npos || point == 0 || point > 11) return std::nullopt;
  const auto whole = text.substr(0, point);
  const auto fraction = text.substr(point + 1);
  if (fraction.size() != 2 || !all_of(whole, is_digit) || !all_of(fraction, is_digit)) {
    return std::nullopt;
  }
  if (whole.size() > 1 && whole.front() == '0') return std::nullopt;
  const std::int64_t satang = number(whole) * 100 + number(fraction);
  if (satang <= 0 || satang > kMaxConfirmationAmount) return std::nullopt;
  return satang;
}

// RFC 3339 date-time with an offset: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM).
std::optional<std::chrono::sys_seconds> parse_paid_at(std::string_view text) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < kShape.size() + 1) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !is_digit(text[i]) : text[i] != kShape[i]) return std::nullopt;
  }
  auto rest = text.substr(kShape.size());
  if (rest.front() == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && is_digit(rest[digits])) ++digits;
    if (digits == 1 || digits > 10) return std::nullopt;  // 1 to 9 digits
    rest.remove_prefix(digits);
  }
  std::int64_t offset_seconds = 0;
  if (rest == "Z") {
    offset_seconds = 0;
  } else {
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || !is_digit(rest[1]) ||
        !is_digit(rest[2]) || rest[3] != ':' || !is_digit(rest[4]) || !is_digit(rest[5])) {
      return std::nullopt;
    }
    const auto hours = number(rest.substr(1, 2));
    const auto minutes = number(rest.substr(4, 2));
    if (hours > 14 || minutes > 59) return std::nullopt;
    offset_seconds = (rest[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  const auto year = static_cast<int>(number(text.substr(0, 4)));
  const std::chrono::year_month_day date{
      std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(number(text.substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(number(text.substr(8, 2)))}};
  const auto hour = number(text.substr(11, 2));
  const auto minute = number(text.substr(14, 2));
  const auto second = number(text.substr(17, 2));
  if (year < kEarliestYear || year > kLatestGregorianYear || !date.ok() || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  return std::chrono::sys_days(date) +
         std::chrono::seconds(hour * 3600 + minute * 60 + second - offset_seconds);
}

bool is_reference(std::string_view text, std::size_t min_length) {
  return text.size() >= min_length && text.size() <= kMaxReferenceLength &&
         all_of(text, is_upper_or_digit);
}

bool is_transaction_id_char(char c) {
  return is_alnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
}
bool is_channel_char(char c) { return is_alnum(c) || c == '-' || c == '_'; }

// 15 digits whose first 13 are a juristic person's tax ID (payments.md §1.6).
bool is_biller_id(std::string_view text) {
  return text.size() == kBillerIdLength && all_of(text, is_digit) &&
         is_valid_juristic_id(text.substr(0, 13));
}

}  // namespace

Result<void> authenticate_confirmation(std::string_view secret, std::string_view timestamp_header,
                                       std::string_view signature_header, std::string_view raw_body,
                                       std::chrono::sys_seconds now,
                                       std::chrono::seconds tolerance) {
  const std::array<std::string_view, 1> secrets{secret};
  return authenticate(secrets, timestamp_header, signature_header, raw_body, now, tolerance);
}

Result<void> authenticate_confirmation(const std::vector<std::string>& secrets,
                                       std::string_view timestamp_header,
                                       std::string_view signature_header, std::string_view raw_body,
                                       std::chrono::sys_seconds now,
                                       std::chrono::seconds tolerance) {
  return authenticate(secrets, timestamp_header, signature_header, raw_body, now, tolerance);
}

Result<BankConfirmation> parse_confirmation(std::string_view raw_body) {
  if (raw_body.size() > kMaxConfirmationBytes) {
    return failure(ErrorCode::too_large, "too_large", {},
                   std::to_string(raw_body.size()) + " bytes; at most " +
                       std::to_string(kMaxConfirmationBytes));
  }
  boost::json::parse_options options;
  options.max_depth = 8;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  boost::json::basic_parser<ConfirmationHandler> parser(options);
  boost::system::error_code ec;
  const auto used = parser.write_some(false, raw_body.data(), raw_body.size(), ec);
  if (ec || !parser.done() || used != raw_body.size()) {
    return invalid("not_json", {}, ec ? ec.message() : "not one JSON value");
  }
  auto& handler = parser.handler();
  if (handler.problem) {
    return invalid(handler.problem->code, handler.problem->field, handler.problem->detail);
  }

  // Every member but ref3 is required; each is a string by now.
  auto& values = handler.values;
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    if (!values[i] && kFieldNames[i] != "ref3") return invalid("missing_field", kFieldNames[i]);
  }
  const auto take = [&](std::string_view name) {
    auto& value = values[*field_index(name)];
    return value ? std::move(*value) : std::string();
  };

  BankConfirmation out;
  out.bank_transaction_id = take("bank_transaction_id");
  if (out.bank_transaction_id.empty() || out.bank_transaction_id.size() > kMaxTransactionIdLength ||
      !all_of(out.bank_transaction_id, is_transaction_id_char)) {
    return invalid("bad_field", "bank_transaction_id", "1-64 of A-Z a-z 0-9 - _ . : expected");
  }
  out.biller_id = take("biller_id");
  if (!is_biller_id(out.biller_id)) {
    return invalid("bad_reference", "biller_id", "15 digits, a tax ID and a suffix, expected");
  }
  out.ref1 = take("ref1");
  if (!is_reference(out.ref1, 1)) {
    return invalid("bad_reference", "ref1", "1-20 of A-Z 0-9 expected");
  }
  out.ref2 = take("ref2");
  if (!is_reference(out.ref2, 1)) {
    return invalid("bad_reference", "ref2", "1-20 of A-Z 0-9 expected");
  }
  out.ref3 = take("ref3");
  if (!is_reference(out.ref3, 0)) {
    return invalid("bad_reference", "ref3", "0-20 of A-Z 0-9 expected");
  }
  const auto amount = parse_amount(take("amount"));
  if (!amount) {
    return invalid("bad_amount", "amount", "a positive amount like \"1500.00\" expected");
  }
  out.amount_satang = *amount;
  out.paid_at_text = take("paid_at");
  const auto paid_at = parse_paid_at(out.paid_at_text);
  if (!paid_at) return invalid("bad_time", "paid_at", "RFC 3339 time with an offset expected");
  out.paid_at = *paid_at;
  out.channel = take("channel");
  if (out.channel.empty() || out.channel.size() > kMaxChannelLength ||
      !all_of(out.channel, is_channel_char)) {
    return invalid("bad_field", "channel", "1-16 of A-Z a-z 0-9 - _ expected");
  }
  return out;
}

ConfirmationSignature sign_confirmation(std::string_view secret, std::chrono::sys_seconds timestamp,
                                        std::string_view raw_body) {
  ConfirmationSignature out;
  out.timestamp = std::to_string(timestamp.time_since_epoch().count());
  out.signature = std::string(kSignatureScheme) +
                  crypto::hmac_sha256_hex(secret, out.timestamp + "." + std::string(raw_body));
  return out;
}

std::string format_confirmation_amount(std::int64_t satang) {
  const bool negative = satang < 0;
  // Through unsigned, so that the lowest int64 has a magnitude too.
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(satang) : static_cast<std::uint64_t>(satang);
  std::string fraction = std::to_string(magnitude % 100);
  if (fraction.size() < 2) fraction.insert(0, "0");
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + fraction;
}

}  // namespace pratu::payments
