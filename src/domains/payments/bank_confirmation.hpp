#pragma once
/// A bank's payment confirmation to Pratu's webhook: the JSON body and its HMAC authentication
/// (shared/reference/payments.md §2.3, modelled on Stripe's scheme). Pure: no I/O, the time is
/// passed in. The contract banks build to is docs/bank-webhook.md.
///
/// Errors are pratu::Error with message key "payments.confirmation.<code>" and a detail that
/// starts with the code (and ":<field>" where a field is at fault), for the log.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::payments {

/// The header carrying the time of signing, as decimal Unix seconds.
inline constexpr std::string_view kTimestampHeader = "X-Pratu-Timestamp";
/// The header carrying "sha256=<hex>": HMAC-SHA-256(secret, timestamp + "." + raw body).
inline constexpr std::string_view kSignatureHeader = "X-Pratu-Signature";
/// How far the timestamp may be from Pratu's clock, either way (payments.md §2.2–2.3).
inline constexpr std::chrono::seconds kConfirmationTolerance{300};
/// The largest body accepted; a confirmation is a few hundred bytes.
inline constexpr std::size_t kMaxConfirmationBytes = 8 * 1024;
/// The largest signature header read (several signatures while a bank rotates its secret).
inline constexpr std::size_t kMaxSignatureHeaderBytes = 1024;
/// The largest amount: 99,999,999,999.99 baht, what a statement file's amount field holds.
inline constexpr std::int64_t kMaxConfirmationAmount = 9'999'999'999'999;
/// The longest reference (Ref1–Ref3): SCB's limit (payments.md §1.6).
inline constexpr std::size_t kMaxReferenceLength = 20;

/// One confirmed payment, as the bank sent it.
struct BankConfirmation {
  std::string bank_transaction_id;   // the bank's unique id: the dedupe key with the bank
  std::string biller_id;             // 15 digits: tax ID + suffix (payments.md §1.6)
  std::string ref1;                  // 1–20 of A–Z 0–9
  std::string ref2;                  // 1–20 of A–Z 0–9
  std::string ref3;                  // 0–20 of A–Z 0–9; empty when not sent
  std::int64_t amount_satang = 0;    // from "1500.00"; more than zero
  std::chrono::sys_seconds paid_at;  // UTC; a fraction of a second is dropped
  std::string paid_at_text;          // as the bank wrote it
  std::string channel;               // the bank's channel code, as given

  bool operator==(const BankConfirmation&) const = default;
};

/// The two header values a bank sends with a body.
struct ConfirmationSignature {
  std::string timestamp;  // X-Pratu-Timestamp
  std::string signature;  // X-Pratu-Signature
};

/// Checks the headers of a confirmation against `secret`: an unauthorized error with code
/// missing_timestamp, missing_signature, bad_timestamp, bad_signature, stale_timestamp or
/// future_timestamp. The signature is compared in constant time, before the time window.
Result<void> authenticate_confirmation(std::string_view secret, std::string_view timestamp_header,
                                       std::string_view signature_header, std::string_view raw_body,
                                       std::chrono::sys_seconds now,
                                       std::chrono::seconds tolerance = kConfirmationTolerance);

/// The same, accepting a signature made with any of `secrets` (the new and the old while a
/// secret is rotated). An empty secret never matches.
Result<void> authenticate_confirmation(const std::vector<std::string>& secrets,
                                       std::string_view timestamp_header,
                                       std::string_view signature_header, std::string_view raw_body,
                                       std::chrono::sys_seconds now,
                                       std::chrono::seconds tolerance = kConfirmationTolerance);

/// Reads a confirmation body. Fails with too_large (413) past kMaxConfirmationBytes, else
/// invalid_input with code not_json, duplicate_field, unknown_field, bad_field,
/// missing_field, bad_reference, bad_amount or bad_time (the field in `fields`).
Result<BankConfirmation> parse_confirmation(std::string_view raw_body);

/// The headers that authenticate `raw_body` sent at `timestamp`: for the bank simulator and
/// tests, and as the reference for banks.
ConfirmationSignature sign_confirmation(std::string_view secret, std::chrono::sys_seconds timestamp,
                                        std::string_view raw_body);

/// "<amount>.<satang>" with two decimals, as the body writes an amount ("1500.00").
std::string format_confirmation_amount(std::int64_t satang);

}  // namespace pratu::payments
