#include "domains/payments/thai_qr.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <utility>

#include "common/thai_id.hpp"

namespace pratu::payments {

namespace {

constexpr std::string_view kPromptPayAid = "A000000677010111";
constexpr std::string_view kBillPaymentAid = "A000000677010112";
constexpr std::string_view kCrossBorderBillPaymentAid = "A000000677012006";
constexpr std::string_view kCrcTag = "63";
constexpr std::size_t kMaxValueLength = 99;  // two decimal length digits (§1.1)
// Tag 54 holds at most 13 characters (§1.2): "9999999999.99".
constexpr std::int64_t kMaxAmountSatang = 999'999'999'999;
// Ref1-Ref3: at most 20 of [A-Z0-9] (SCB, payments.md §1.6; standards.md §1.4 saw no longer).
constexpr std::size_t kMaxReferenceLength = 20;
constexpr std::size_t kMaxMerchantNameLength = 25;  // tag 59 (§1.2)
// §1.3 gives no length for an account number: 20 digits is a bound of ours.
constexpr std::size_t kMaxAccountDigits = 20;

std::string key(std::string_view reason) { return "payments.thai_qr." + std::string(reason); }

// An input the builders refuse, naming the field it came from.
Error field_error(std::string field, std::string_view reason, std::string detail) {
  Error e = Error::invalid({{std::move(field), key(reason)}}, key(reason));
  e.detail = std::move(detail);
  return e;
}

// A payload the parser refuses.
Error payload_error(std::string_view reason, std::string detail) {
  return Error{ErrorCode::invalid_input, key(reason), std::move(detail), {}, 0};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_printable_ascii(char c) { return c >= 0x20 && c <= 0x7E; }
bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }

// Values are ASCII, so characters and bytes are the same count (§1.1: LEN counts characters).
bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_printable_ascii);
}

// Tags whose value is itself data objects: EMVCo's merchant account templates 26-51, additional
// data 62, the language template 64 and the unreserved templates 80-99 (§1.1 names 29, 30, 62
// and 80, the ones Thailand uses).
bool is_template(std::string_view tag) {
  const int id = (tag[0] - '0') * 10 + (tag[1] - '0');
  return (id >= 26 && id <= 51) || id == 62 || id == 64 || id >= 80;
}

// The digits of `typed` once spaces and hyphens are gone; nullopt if anything else is left.
std::optional<std::string> digits_of(std::string_view typed) {
  std::string digits;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    if (!is_digit(c)) return std::nullopt;
    digits += c;
  }
  return digits;
}

// "1500.00" for 150000 satang, without going through floating point.
std::string amount_text(std::int64_t satang) {
  const auto cents = static_cast<int>(satang % 100);
  return std::to_string(satang / 100) + '.' + static_cast<char>('0' + cents / 10) +
         static_cast<char>('0' + cents % 10);
}

std::string crc_text(std::uint16_t crc) {
  std::array<char, 5> hex{};
  std::snprintf(hex.data(), hex.size(), "%04X", static_cast<unsigned>(crc));
  return hex.data();
}

Result<void> check_amount(std::int64_t satang) {
  if (satang < 0) return field_error("amount_satang", "amount_negative", std::to_string(satang));
  if (satang > kMaxAmountSatang)
    return field_error("amount_satang", "amount_too_large", std::to_string(satang));
  return ok();
}

// A bill reference or terminal label: [A-Z0-9]{1,20}, or empty where `optional`.
enum class Presence { required, optional };
Result<void> check_reference(const std::string& value, const std::string& field,
                             Presence presence) {
  if (value.empty()) {
    if (presence == Presence::optional) return ok();
    return field_error(field, field + "_missing", "empty");
  }
  if (value.size() > kMaxReferenceLength)
    return field_error(field, field + "_too_long", std::to_string(value.size()) + " characters");
  const bool allowed = std::all_of(value.begin(), value.end(),
                                   [](char c) { return is_digit(c) || (c >= 'A' && c <= 'Z'); });
  if (!allowed) return field_error(field, field + "_characters", "not A-Z or 0-9");
  return ok();
}

Result<void> check_merchant_name(const std::string& name) {
  // ASCII first: a length in characters means bytes only then.
  if (!printable_ascii(name))
    return field_error("merchant_name", "merchant_name_characters", "not printable ASCII");
  if (name.size() > kMaxMerchantNameLength)
    return field_error("merchant_name", "merchant_name_too_long",
                       std::to_string(name.size()) + " characters");
  return ok();
}

Result<std::string> check_biller_id(const std::string& biller_id) {
  // The QR libraries do not check the tax ID's mod-11 digit (§1.6; vector 10's fails it): an
  // agency's tax ID is to be checked where it is configured (common/thai_id.hpp).
  if (!all_digits(biller_id))
    return field_error("biller_id", "biller_id_characters", "not digits only");
  // 13-digit tax ID + 2-digit suffix (§1.4); a bare 13-digit tax ID is not a biller ID.
  if (biller_id.size() != 15)
    return field_error("biller_id", "biller_id_length",
                       std::to_string(biller_id.size()) + " digits, not 15");
  return biller_id;
}

// A mobile number as sub-tag 01 carries it: 0066 and the 9 digits after the trunk 0 (§1.3).
// Taken as 0XXXXXXXXX, 66XXXXXXXXX or +66XXXXXXXXX.
Result<std::string> mobile_value(std::string_view typed) {
  const bool plus = !typed.empty() && typed.front() == '+';
  if (auto digits = digits_of(plus ? typed.substr(1) : typed)) {
    if (!plus && digits->size() == 10 && digits->front() == '0') return "0066" + digits->substr(1);
    if (digits->size() == 11 && digits->starts_with("66")) return "00" + *digits;
  }
  return field_error("id", "mobile_invalid", "not a Thai mobile number");
}

// The sub-tag of tag 29 and its value for `payment`'s proxy.
Result<EmvField> promptpay_proxy(const PromptPayPayment& payment) {
  switch (payment.proxy) {
    case PromptPayProxy::mobile: {
      PRATU_TRY(value, mobile_value(payment.id));
      return EmvField{"01", std::move(value), {}};
    }
    case PromptPayProxy::national_id: {
      // The check digit is not checked, as in every QR library (§1.6; vector 3 fails it).
      auto digits = normalize_thai_id(payment.id);
      if (!digits) return field_error("id", "national_id_invalid", "not 13 digits");
      return EmvField{"02", std::move(*digits), {}};
    }
    case PromptPayProxy::ewallet: {
      auto digits = digits_of(payment.id);
      if (!digits || digits->size() != 15)
        return field_error("id", "ewallet_id_invalid", "not 15 digits");
      return EmvField{"03", std::move(*digits), {}};
    }
    case PromptPayProxy::bank_account: {
      auto digits = digits_of(payment.id);
      if (!digits || digits->size() < 4 || digits->size() > 3 + kMaxAccountDigits)
        return field_error("id", "bank_account_invalid", "not a bank code and account number");
      return EmvField{"04", std::move(*digits), {}};
    }
  }
  return field_error("id", "proxy_unknown", "unknown proxy");
}

// What both kinds of payload carry besides their merchant account template.
struct Transaction {
  std::int64_t amount_satang;
  const std::string& merchant_name;
  const std::string& terminal_label;
  FieldOrder order;
};

Result<std::string> payload_of(EmvField account, const Transaction& t) {
  PRATU_CHECK(check_amount(t.amount_satang));
  PRATU_CHECK(check_merchant_name(t.merchant_name));
  PRATU_CHECK(check_reference(t.terminal_label, "terminal_label", Presence::optional));
  const bool has_amount = t.amount_satang > 0;
  std::vector<EmvField> fields;
  fields.push_back({"00", "01", {}});
  // 12 (dynamic) exactly when an amount is given, as dtinth and promptparse do (§1.2); vector
  // 8's static QR with an amount is not made.
  fields.push_back({"01", has_amount ? "12" : "11", {}});
  fields.push_back(std::move(account));
  const EmvField currency{"53", "764", {}};
  const EmvField country{"58", "TH", {}};
  auto add_amount = [&] {
    if (has_amount) fields.push_back({"54", amount_text(t.amount_satang), {}});
  };
  switch (t.order) {
    case FieldOrder::country_first:
      fields.push_back(country);
      fields.push_back(currency);
      add_amount();
      break;
    case FieldOrder::currency_first:
      fields.push_back(currency);
      fields.push_back(country);
      add_amount();
      break;
    case FieldOrder::ascending:
      fields.push_back(currency);
      add_amount();
      fields.push_back(country);
      break;
  }
  if (!t.merchant_name.empty()) fields.push_back({"59", t.merchant_name, {}});
  if (!t.terminal_label.empty()) fields.push_back({"62", {}, {{"07", t.terminal_label, {}}}});
  return emv_payload(fields);
}

Result<std::string> serialized(const std::vector<EmvField>& fields) {
  std::string out;
  for (const auto& field : fields) {
    if (field.tag == kCrcTag) continue;
    if (field.tag.size() != 2 || !all_digits(field.tag))
      return payload_error("tag_malformed", "tag '" + field.tag + "'");
    std::string value = field.value;
    if (!field.children.empty()) {
      PRATU_TRY(inner, serialized(field.children));
      value = std::move(inner);
    }
    if (value.size() > kMaxValueLength)
      return payload_error("value_too_long", "tag " + field.tag + ": " +
                                                 std::to_string(value.size()) + " characters");
    if (!printable_ascii(value))
      return payload_error("value_characters", "tag " + field.tag + ": not printable ASCII");
    std::array<char, 3> length{};
    std::snprintf(length.data(), length.size(), "%02zu", value.size());
    out += field.tag;
    out += length.data();
    out += value;
  }
  return out;
}

// The data objects of `text`; templates are read into children when `nested` is false.
Result<std::vector<EmvField>> parse_objects(std::string_view text, std::string_view where,
                                            bool nested) {
  std::vector<EmvField> fields;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::string place = std::string(where) + " at " + std::to_string(at);
    if (text.size() - at < 4) return payload_error("object_truncated", place);
    const auto tag = text.substr(at, 2);
    const auto length = text.substr(at + 2, 2);
    if (!all_digits(tag)) return payload_error("tag_malformed", place);
    if (!all_digits(length)) return payload_error("length_malformed", place);
    const auto size =
        static_cast<std::size_t>(length[0] - '0') * 10 + static_cast<std::size_t>(length[1] - '0');
    if (text.size() - at - 4 < size) return payload_error("value_truncated", place);
    EmvField field{std::string(tag), std::string(text.substr(at + 4, size)), {}};
    const bool seen = std::any_of(fields.begin(), fields.end(),
                                  [&](const EmvField& f) { return f.tag == field.tag; });
    if (seen) return payload_error("tag_duplicate", place + ": tag " + field.tag);
    if (!nested && is_template(tag)) {
      PRATU_TRY(children, parse_objects(field.value, "template " + field.tag, true));
      field.children = std::move(children);
    }
    fields.push_back(std::move(field));
    at += 4 + size;
  }
  return fields;
}

}  // namespace

std::uint16_t crc16_ccitt_false(std::string_view data) {
  std::uint16_t crc = 0xFFFF;
  for (char c : data) {
    crc = static_cast<std::uint16_t>(crc ^ (static_cast<std::uint8_t>(c) << 8));
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) != 0 ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<std::uint16_t>(crc << 1);
    }
  }
  return crc;
}

Result<std::string> thai_qr_payload(const PromptPayPayment& payment) {
  PRATU_TRY(proxy, promptpay_proxy(payment));
  EmvField account{"29", {}, {{"00", std::string(kPromptPayAid), {}}, std::move(proxy)}};
  return payload_of(std::move(account), {payment.amount_satang, payment.merchant_name,
                                         payment.terminal_label, payment.order});
}

Result<std::string> thai_qr_payload(const BillPayment& bill) {
  PRATU_TRY(biller_id, check_biller_id(bill.biller_id));
  PRATU_CHECK(check_reference(bill.ref1, "ref1", Presence::required));
  PRATU_CHECK(check_reference(bill.ref2, "ref2", Presence::optional));
  const auto aid =
      bill.scope == BillPaymentScope::domestic ? kBillPaymentAid : kCrossBorderBillPaymentAid;
  EmvField account{
      "30",
      {},
      {{"00", std::string(aid), {}}, {"01", std::move(biller_id), {}}, {"02", bill.ref1, {}}}};
  if (!bill.ref2.empty()) account.children.push_back({"03", bill.ref2, {}});
  return payload_of(std::move(account),
                    {bill.amount_satang, bill.merchant_name, bill.terminal_label, bill.order});
}

Result<std::string> emv_payload(const std::vector<EmvField>& fields) {
  PRATU_TRY(body, serialized(fields));
  // The CRC covers everything before it, its own tag and length included (§1.1).
  body += std::string(kCrcTag) + "04";
  return body + crc_text(crc16_ccitt_false(body));
}

Result<std::vector<EmvField>> parse_emv_payload(std::string_view payload) {
  if (!printable_ascii(payload)) return payload_error("payload_characters", "not printable ASCII");
  PRATU_TRY(fields, parse_objects(payload, "payload", false));
  if (fields.empty() || fields.front().tag != "00" || fields.front().value != "01")
    return payload_error("format_indicator_missing", "tag 00 with 01 must come first");
  const auto* crc = find_emv_field(fields, kCrcTag);
  if (crc == nullptr) return payload_error("crc_missing", "no tag 63");
  if (crc != &fields.back()) return payload_error("crc_not_last", "tag 63 is not last");
  const bool hex = crc->value.size() == 4 &&
                   std::all_of(crc->value.begin(), crc->value.end(),
                               [](char c) { return is_digit(c) || (c >= 'A' && c <= 'F'); });
  if (!hex) return payload_error("crc_malformed", "tag 63 is not 4 upper-case hex digits");
  const auto expected = crc_text(crc16_ccitt_false(payload.substr(0, payload.size() - 4)));
  if (crc->value != expected)
    return payload_error("crc_mismatch", "CRC " + crc->value + ", computed " + expected);
  return fields;
}

const EmvField* find_emv_field(const std::vector<EmvField>& fields, std::string_view tag) {
  const auto it =
      std::find_if(fields.begin(), fields.end(), [&](const EmvField& f) { return f.tag == tag; });
  return it == fields.end() ? nullptr : &*it;
}

Result<std::string> bot_barcode_text(const BillPayment& bill) {
  PRATU_TRY(biller_id, check_biller_id(bill.biller_id));
  PRATU_CHECK(check_reference(bill.ref1, "ref1", Presence::required));
  PRATU_CHECK(check_reference(bill.ref2, "ref2", Presence::optional));
  PRATU_CHECK(check_amount(bill.amount_satang));
  return "|" + biller_id + "\r" + bill.ref1 + "\r" + bill.ref2 + "\r" +
         std::to_string(bill.amount_satang);
}

}  // namespace pratu::payments
