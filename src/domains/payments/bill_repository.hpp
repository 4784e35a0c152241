#pragma once
/// The payments tables (migrations/*/0001_bills_and_payments.sql) as the payments module uses
/// them. Free functions on a connection, inside the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domains/payments/bill.hpp"
#include "storage/database.hpp"

namespace pratu::payments::repository {

/// Takes the next bill number of `agency` in Buddhist-era `year`: 1, 2, ... with no gap or
/// repeat among committed transactions.
Result<std::int64_t> next_sequence(storage::Connection& c, std::string_view agency, int year);

/// Inserts `bill` and its lines; returns its id.
Result<std::int64_t> insert(storage::Connection& c, const Bill& bill);

/// The bill with public id `public_id`, with its lines.
Result<std::optional<Bill>> by_public_id(storage::Connection& c, std::string_view public_id);
/// The bill of `biller_id` whose Ref. 1 is `ref1`, without its lines (a payment is matched on
/// the references and the total).
Result<std::optional<Bill>> by_reference(storage::Connection& c, std::string_view biller_id,
                                         std::string_view ref1);
/// The bills of an application (its public id), newest first, without their lines.
Result<std::vector<Bill>> of_application(storage::Connection& c, std::string_view application);

/// Marks bill `id` paid at `now`. False unless it was awaiting: the one check that lets only
/// one of many confirmations at once pay it.
Result<bool> mark_paid(storage::Connection& c, std::int64_t id, std::int64_t now);

/// A bank's confirmation as kept: the raw body under the bank's own key.
struct BankMessage {
  std::string bank;
  std::string transaction_id;
  std::int64_t received_at = 0;
  std::string body;
  std::string outcome;       // "paid" | "exception"
  std::string reason;        // an exception's
  std::int64_t bill_id = 0;  // 0: no bill matched
};
/// Keeps `message`; its id, or nullopt when the bank sent this transaction before (nothing is
/// written then).
Result<std::optional<std::int64_t>> insert_message(storage::Connection& c,
                                                   const BankMessage& message);
/// What came of the message the bank sent before under `transaction_id`.
Result<std::optional<BankMessage>> message(storage::Connection& c, std::string_view bank,
                                           std::string_view transaction_id);

/// A payment of a bill.
struct Payment {
  std::int64_t bill_id = 0;
  std::int64_t amount_satang = 0;
  std::int64_t paid_at = 0;
  std::int64_t recorded_at = 0;
  std::string channel;
  std::string source;  // "bank" | "statement" | "cashier"
  std::string bank;
  std::string transaction_id;
  std::int64_t message_id = 0;
  std::int64_t cashier_user_id = 0;
  std::string method_reference;  // at the counter: the cheque's number or the card slip's code
};
Result<std::int64_t> insert_payment(storage::Connection& c, const Payment& payment);

/// What record_bank_payment did: the message kept (nullopt: the bank's key was there
/// already, and nothing was done) and, if the bill was still awaiting, the payment.
struct RecordedPayment {
  std::optional<std::int64_t> message_id;
  std::int64_t payment_id = 0;  // 0: the bill was no longer awaiting
};
/// Keeps `message` (a confirmation that pays its bill), marks the bill paid while awaiting
/// and records `payment` of it (`payment.message_id` the message's), each step only if the one
/// before happened, one statement after another.
Result<RecordedPayment> record_bank_payment(storage::Connection& c, const BankMessage& message,
                                            Payment payment);

/// What pay_awaiting_bill did: the bill as it was before, and what record_bank_payment does.
struct PaidAtOnce {
  Bill bill;  // without its lines
  RecordedPayment recorded;
};
/// On PostgreSQL, the common confirmation in one round trip: finds the bill of `biller_id` and
/// `ref1` awaiting with Ref. 2 `ref2` and a total of `payment.amount_satang`, and does what
/// record_bank_payment does with `message` (kept as paying it); a payment it records is queued
/// in receipts_to_number for its receipt's number (Numbering::queued). Nullopt, having done
/// nothing, when no such bill awaits, when the bank's key is there already, or on SQLite: the
/// caller then reads the bill and sorts the confirmation out step by step.
Result<std::optional<PaidAtOnce>> pay_awaiting_bill(storage::Connection& c,
                                                    std::string_view biller_id,
                                                    std::string_view ref1, std::string_view ref2,
                                                    const BankMessage& message, Payment payment);

/// A bank connection: the secrets its confirmations may be signed with.
struct BankConnection {
  std::string code;
  std::string name;
  std::string secret;
  std::string previous_secret;  // empty unless the secret is being changed
  bool enabled = true;
  // The SHA-256 (hex) of the client certificate a trusted proxy must have verified for each of
  // its confirmations (mutual TLS); empty: none pinned.
  std::string client_certificate_sha256;
  // The certificate pinned before, accepted too while the bank renews; empty: none.
  std::string previous_client_certificate_sha256;
};
Result<std::optional<BankConnection>> bank(storage::Connection& c, std::string_view code);
/// Every bank connection, by code.
Result<std::vector<BankConnection>> banks(storage::Connection& c);
/// Adds bank `code` with `secret`, or gives it a new secret (keeping the old one as previous).
Result<void> put_bank(storage::Connection& c, const BankConnection& bank, std::int64_t now);
/// Forgets bank `code`'s previous secret and previously pinned certificate; false for no such
/// bank.
Result<bool> end_secret_rotation(storage::Connection& c, std::string_view code);
/// Pins bank `code`'s client certificate (its SHA-256, hex), keeping another pinned before as
/// the previous one until end_secret_rotation; or unpins both (empty); false for no such bank.
Result<bool> pin_client_certificate(storage::Connection& c, std::string_view code,
                                    std::string_view sha256);
/// Lets bank `code`'s confirmations in, or refuses them all; false for no such bank.
Result<bool> enable_bank(storage::Connection& c, std::string_view code, bool enabled);

}  // namespace pratu::payments::repository
