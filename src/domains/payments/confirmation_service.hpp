#pragma once
/// A bank's word that a bill was paid (docs/bank-webhook.md, docs/adr/0026): authenticated
/// by the bank connection's secret, kept raw under the bank's transaction id before anything
/// else, and then, in the same transaction, a payment of the bill (which moves its application
/// on) or an exception for reconciliation with its reason. The same confirmation twice is
/// recorded once; fifty at once pay the bill once. The bank is answered after the commit. The
/// payment's receipt is numbered soon after, with the others waiting (number_all_waiting).

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "domains/payments/bank_confirmation.hpp"
#include "domains/payments/bill_repository.hpp"
#include "platform/services.hpp"
#include "storage/database.hpp"

namespace pratu::payments {

/// What came of a confirmation.
enum class ConfirmationOutcome {
  paid,       // the bill is paid by it
  duplicate,  // the bank sent this transaction before: nothing changed
  held,       // kept for reconciliation: `reason` says why
};
std::string_view confirmation_outcome_key(ConfirmationOutcome outcome);

struct ConfirmationResult {
  ConfirmationOutcome outcome = ConfirmationOutcome::held;
  std::string reason;  // held: unknown_bill, cancelled_bill, already_paid, wrong_amount,
                       // wrong_reference; duplicate: the first one's outcome
  std::string bill;    // the bill's public id, when one matched
};

class ConfirmationService {
 public:
  /// `paid_bills` finds platform::PaidBills (offered by the applications module).
  ConfirmationService(storage::Database& db, const Clock& clock,
                      const platform::Services& paid_bills,
                      std::chrono::seconds tolerance = kConfirmationTolerance);

  /// Takes one confirmation from bank `bank`: not_found for an unknown or disabled bank,
  /// unauthorized (payments.confirmation.client_certificate when the bank pins a client
  /// certificate and `client_certificate_pem`, the one a trusted proxy verified, is not it;
  /// missing_signature, bad_signature, stale_timestamp, future_timestamp), invalid_input or
  /// too_large for a body that cannot be read; else what came of it, durable when this returns.
  Result<ConfirmationResult> receive(std::string_view bank, std::string_view timestamp_header,
                                     std::string_view signature_header, std::string_view body,
                                     std::string_view client_certificate_pem = {});

 private:
  // The bank's secrets, read from bank_connections and kept for a minute.
  Result<repository::BankConnection> connection(std::string_view bank);

  storage::Database& db_;
  const Clock& clock_;
  const platform::Services& services_;
  std::chrono::seconds tolerance_;
  std::mutex banks_mutex_;
  struct Cached {
    repository::BankConnection bank;
    bool found = false;
    std::int64_t read_at = 0;
  };
  std::map<std::string, Cached, std::less<>> banks_;
};

}  // namespace pratu::payments
