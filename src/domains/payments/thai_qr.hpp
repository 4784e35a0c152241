#pragma once
/// Thai QR Payment payloads (EMVCo merchant-presented mode with the Bank of Thailand profile,
/// standards.md §1): PromptPay credit transfers (tag 29), bill payments (tag 30), their parser
/// and CRC, and the BOT counter-payment barcode text (§1.6). Types and text only, no I/O.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::payments {

/// Where currency (53), amount (54) and country (58) go after the merchant account; every order
/// scans (standards.md §1.1). Merchant name (59) and additional data (62) follow them in each.
enum class FieldOrder {
  country_first,   // 58 53 54: dtinth/promptpay-qr (vectors 1-6), Pratu's default
  currency_first,  // 53 58 54: maythiwat/promptparse (vectors 7, 10-13, 15)
  ascending,       // 53 54 58: EMVCo's ID order (vectors 8, 9, 14, 16)
};

/// How a PromptPay payee is identified: the sub-tag of tag 29 (standards.md §1.3).
enum class PromptPayProxy {
  mobile,        // 01: a Thai mobile number, sent as 0066 + 9 digits
  national_id,   // 02: a 13-digit citizen ID or juristic person (tax) ID
  ewallet,       // 03: a 15-digit e-wallet ID
  bank_account,  // 04: a 3-digit bank code then the account number
};

/// A PromptPay credit transfer (tag 29, AID A000000677010111).
struct PromptPayPayment {
  PromptPayProxy proxy = PromptPayProxy::mobile;
  std::string id;                  // digits; spaces and hyphens are ignored, a mobile may start +66
  std::int64_t amount_satang = 0;  // 0: none, the payer types it (a static QR)
  std::string merchant_name;       // tag 59, at most 25 printable ASCII characters; "": none
  std::string terminal_label;      // tag 62 sub 07, 0-20 of A-Z and 0-9; "": none
  FieldOrder order = FieldOrder::country_first;
};

/// Which bill-payment application identifier tag 30 carries (standards.md §1.4).
enum class BillPaymentScope {
  domestic,      // A000000677010112
  cross_border,  // A000000677012006
};

/// A bill payment (tag 30): the biller's account and the bill's references.
struct BillPayment {
  std::string biller_id;           // 15 digits: the biller's 13-digit tax ID and a 2-digit suffix
  std::string ref1;                // 1-20 of A-Z and 0-9
  std::string ref2;                // 0-20 of A-Z and 0-9; "": none
  std::int64_t amount_satang = 0;  // 0: none, the payer types it (a static QR)
  std::string merchant_name;       // tag 59, at most 25 printable ASCII characters; "": none
  std::string terminal_label;      // tag 62 sub 07 ("Ref3"), 0-20 of A-Z and 0-9; "": none
  BillPaymentScope scope = BillPaymentScope::domestic;
  FieldOrder order = FieldOrder::country_first;
};

/// One data object of a payload: a two-digit tag and its value; a template's value is also
/// read as the data objects in `children`.
struct EmvField {
  std::string tag;
  std::string value;
  std::vector<EmvField> children;

  bool operator==(const EmvField&) const = default;
};

/// CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection): tag 63's checksum.
std::uint16_t crc16_ccitt_false(std::string_view data);

/// The payload of a PromptPay QR code; fails, naming the field, on an invalid id, amount, name
/// or label.
Result<std::string> thai_qr_payload(const PromptPayPayment& payment);

/// The payload of a bill-payment QR code; fails, naming the field, on an invalid biller ID,
/// reference, amount, name or label.
Result<std::string> thai_qr_payload(const BillPayment& bill);

/// `fields` (a template's value made from its children when it has any) with tag 63 and its
/// CRC appended; fails on a tag that is not two digits or a value longer than 99 characters.
Result<std::string> emv_payload(const std::vector<EmvField>& fields);

/// The data objects of `payload`, templates read into their children, tag 63 included; fails
/// on a malformed object, a duplicate tag, tag 00 not first or tag 63 not last, or a wrong CRC.
Result<std::vector<EmvField>> parse_emv_payload(std::string_view payload);

/// The field tagged `tag` in `fields` (not searching children), or nullptr.
const EmvField* find_emv_field(const std::vector<EmvField>& fields, std::string_view tag);

/// The BOT counter-payment barcode text of `bill` (standards.md §1.6): "|", the biller ID, then
/// ref1, ref2 and the amount in satang ("0" if none) after carriage returns. It has no room for
/// the name, the terminal label or the scope.
Result<std::string> bot_barcode_text(const BillPayment& bill);

}  // namespace pratu::payments
