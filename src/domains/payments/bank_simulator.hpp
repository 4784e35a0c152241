#pragma once
/// A bank, for the demo and the tests (`pratu bank-simulator pay`): pays a bill the way a bank
/// confirms a bill payment (docs/bank-webhook.md), signing the confirmation with the bank
/// connection's secret from the database and sending it to Pratu over HTTP. Never for
/// production: a real bank holds its own copy of the secret.

#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::payments {

struct SimulatedPayment {
  std::string bank = "sim";
  std::string bill;                 // the bill's public id or its Ref. 1
  std::string url;                  // where Pratu is, e.g. http://127.0.0.1:8080
  std::int64_t amount_satang = -1;  // -1: the bill's total
  std::string transaction_id;       // empty: a new random one
  std::string channel = "QR";
};

struct BankAnswer {
  long status = 0;
  std::string body;
  std::string transaction_id;
};

/// The confirmation body for `payment` of bill (biller, ref1, ref2) at `paid_at`.
std::string confirmation_body(const std::string& transaction_id, const std::string& biller_id,
                              const std::string& ref1, const std::string& ref2,
                              std::int64_t amount_satang, std::int64_t paid_at,
                              const std::string& channel);

/// Pays `payment.bill` through Pratu's confirmation endpoint; what Pratu answered.
Result<BankAnswer> simulate_payment(storage::Database& db, const Clock& clock, Random& random,
                                    const SimulatedPayment& payment);

/// The statement file bank `bank` would send `agency` for Bangkok day `day` (YYYY-MM-DD): one
/// credit line for each bill of the agency it confirmed paid that day, in the common
/// 256-character layout (docs/statement-files.md), bank code 999 (none real).
Result<std::string> simulated_statement(storage::Database& db, const std::string& bank,
                                        const std::string& agency, const std::string& day);

}  // namespace pratu::payments
