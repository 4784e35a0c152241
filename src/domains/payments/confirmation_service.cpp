#include "domains/payments/confirmation_service.hpp"

#include <boost/json.hpp>

#include "crypto/digest.hpp"
#include "crypto/pki.hpp"
#include "domains/payments/receipt_book.hpp"
#include "platform/billing.hpp"
#include "platform/notices.hpp"

namespace pratu::payments {

namespace {

constexpr std::int64_t kBankCacheSeconds = 60;

}  // namespace

std::string_view confirmation_outcome_key(ConfirmationOutcome outcome) {
  switch (outcome) {
    case ConfirmationOutcome::paid: return "recorded";
    case ConfirmationOutcome::duplicate: return "duplicate";
    case ConfirmationOutcome::held: return "held";
  }
  return "held";
}

ConfirmationService::ConfirmationService(storage::Database& db, const Clock& clock,
                                         const platform::Services& paid_bills,
                                         std::chrono::seconds tolerance)
    : db_(db), clock_(clock), services_(paid_bills), tolerance_(tolerance) {}

Result<repository::BankConnection> ConfirmationService::connection(std::string_view bank) {
  const std::int64_t now = clock_.now_seconds();
  {
    std::lock_guard lock(banks_mutex_);
    if (auto it = banks_.find(bank);
        it != banks_.end() && now - it->second.read_at < kBankCacheSeconds) {
      if (!it->second.found) return Error::not_found("bank " + std::string(bank));
      return it->second.bank;
    }
  }
  PRATU_TRY(found, db_.read_value<std::optional<repository::BankConnection>>(
                       [&](storage::Connection& c) { return repository::bank(c, bank); }));
  Cached cached;
  cached.read_at = now;
  cached.found = found && found->enabled;
  if (cached.found) cached.bank = *found;
  {
    std::lock_guard lock(banks_mutex_);
    // Only known codes are kept: a stranger trying names cannot grow the map.
    if (found) banks_.insert_or_assign(std::string(bank), cached);
  }
  if (!cached.found) return Error::not_found("bank " + std::string(bank));
  return cached.bank;
}

Result<ConfirmationResult> ConfirmationService::receive(std::string_view bank,
                                                        std::string_view timestamp_header,
                                                        std::string_view signature_header,
                                                        std::string_view body,
                                                        std::string_view client_certificate_pem) {
  PRATU_TRY(connection, this->connection(bank));
  if (!connection.client_certificate_sha256.empty()) {
    // Mutual TLS in a proxy in front of Pratu: the certificate it verified must be the bank's.
    // While the bank renews it, the certificate pinned before is accepted too.
    auto presented = crypto::certificate_sha256(std::string(client_certificate_pem));
    const std::string& previous = connection.previous_client_certificate_sha256;
    if (!presented ||
        (!crypto::constant_time_equal(*presented, connection.client_certificate_sha256) &&
         (previous.empty() || !crypto::constant_time_equal(*presented, previous)))) {
      return Error{ErrorCode::unauthorized,
                   "payments.confirmation.client_certificate",
                   presented ? "client_certificate: not the one pinned"
                             : "client_certificate: none presented, or unreadable",
                   {},
                   0};
    }
  }
  const std::int64_t now = clock_.now_seconds();
  std::vector<std::string> secrets{connection.secret};
  if (!connection.previous_secret.empty()) secrets.push_back(connection.previous_secret);
  PRATU_CHECK(authenticate_confirmation(secrets, timestamp_header, signature_header, body,
                                        std::chrono::sys_seconds{std::chrono::seconds{now}},
                                        tolerance_));
  PRATU_TRY(confirmation, parse_confirmation(body));
  auto* paid_bills = services_.find<platform::PaidBills>();

  ConfirmationResult result;
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    result = {};
    repository::BankMessage message;
    message.bank = std::string(bank);
    message.transaction_id = confirmation.bank_transaction_id;
    message.received_at = now;
    message.body = std::string(body);
    message.outcome = "exception";
    repository::Payment payment;
    payment.amount_satang = confirmation.amount_satang;
    payment.paid_at = confirmation.paid_at.time_since_epoch().count();
    payment.channel = confirmation.channel;
    payment.source = "bank";
    payment.bank = std::string(bank);
    payment.transaction_id = confirmation.bank_transaction_id;
    payment.recorded_at = now;
    // Kept first, under the bank's own key: a repeat finds the first and changes nothing.
    // A confirmation that pays is kept, marks the bill paid and is recorded in one go: on
    // PostgreSQL with the bill's read, in one round trip, when it pays an awaiting bill as it
    // should and is new; otherwise (and on SQLite) the bill is read and the reason found.
    std::optional<Bill> bill;
    repository::RecordedPayment recorded;
    Numbering numbering = Numbering::after_commit;
    PRATU_TRY(at_once, repository::pay_awaiting_bill(c, confirmation.biller_id, confirmation.ref1,
                                                     confirmation.ref2, message, payment));
    if (at_once) {
      bill = std::move(at_once->bill);
      recorded = at_once->recorded;
      message.outcome = "paid";
      numbering = Numbering::queued;  // with the payment, in the same statement
    } else {
      PRATU_TRY(found, repository::by_reference(c, confirmation.biller_id, confirmation.ref1));
      bill = std::move(found);
      if (!bill) {
        message.reason = "unknown_bill";
      } else if (bill->status == BillStatus::cancelled) {
        message.reason = "cancelled_bill";
      } else if (bill->status == BillStatus::paid) {
        message.reason = "already_paid";
      } else if (confirmation.ref2 != bill->ref2) {
        message.reason = "wrong_reference";
      } else if (confirmation.amount_satang != bill->total_satang) {
        message.reason = "wrong_amount";
      } else {
        message.outcome = "paid";
      }
      if (bill) message.bill_id = bill->id;
      if (message.outcome == "paid") {
        payment.bill_id = bill->id;
        PRATU_TRY(done, repository::record_bank_payment(c, message, payment));
        recorded = done;
      } else {
        PRATU_TRY(kept, repository::insert_message(c, message));
        recorded.message_id = kept;
      }
    }
    if (bill) result.bill = bill->public_id;
    if (!recorded.message_id) {
      PRATU_TRY(first, repository::message(c, bank, confirmation.bank_transaction_id));
      result.outcome = ConfirmationOutcome::duplicate;
      result.reason = first ? first->outcome : std::string();
      return ok();
    }
    if (message.outcome != "paid") {
      result.outcome = ConfirmationOutcome::held;
      result.reason = message.reason;
      return ok();
    }
    // Paid only while awaiting: of several confirmations at once, one pays it.
    if (recorded.payment_id == 0) {
      PRATU_CHECK(
          c.execute("UPDATE bank_messages SET outcome = 'exception', reason = "
                    "'already_paid' WHERE id = $1",
                    {*recorded.message_id}));
      result.outcome = ConfirmationOutcome::held;
      result.reason = "already_paid";
      return ok();
    }
    payment.bill_id = bill->id;
    payment.message_id = *recorded.message_id;
    // Its receipt is numbered after the commit, with the others waiting: the agency's counter
    // row is not held through this commit's flush, so its payments commit side by side.
    PRATU_TRY(settled,
              settle_recorded(c, *bill, recorded.payment_id, payment, paid_bills, now, numbering));
    (void)settled;
    result.outcome = ConfirmationOutcome::paid;
    return ok();
  });
  if (!written) return written.error();
  return result;
}

}  // namespace pratu::payments
