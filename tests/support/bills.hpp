#pragma once
/// Bills and statement files for integration tests through the real server: an application
/// of the demo catalogue's signboard tax approved by the BMA's officer (so that it waits on its
/// bill), its bill as its applicant sees it, its payment at the agency's counter, and the
/// bank's statement lines that pay it.

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "domains/payments/statement_file.hpp"
#include "support/http_client.hpp"

namespace pratu::test {

/// A signboard-tax application of the person holding `applicant`'s token, submitted over the
/// API on `port` and approved by the BMA's demo officer, so that it waits on its bill: its
/// public id (test failures when a step does not answer as expected).
std::string billed_application(std::uint16_t port, const std::string& applicant);

/// An application of billing service `service` (its demo example answers) by the person holding
/// `applicant`, submitted and approved by its agency's demo officer, so that it waits on its
/// bill: its public id (test failures when a step does not answer as expected).
std::string billed_application(std::uint16_t port, const std::string& applicant,
                               const std::string& service);

/// The bank simulator's secret (bank `sim` of the demo data) in the database at `database_url`.
std::string simulator_secret(const std::string& database_url);

/// Pays `bill` (its API view) in full as bank `sim` does, signed with `secret` now: a
/// confirmation of transaction `transaction` saying the payer paid at `paid_at` (Unix seconds).
HttpResponse pay_bill(std::uint16_t port, const std::string& secret,
                      const boost::json::object& bill, const std::string& transaction,
                      std::int64_t paid_at);

/// The one bill application `id` waits on, as its applicant sees it over the API.
boost::json::object bill_of(std::uint16_t port, const std::string& applicant,
                            const std::string& id);

/// Pays bill `bill_id` in full (`total_satang`, in cash) at the counter of its agency, as the
/// cashier holding `cashier`'s token: the answer (201 with the receipt's number).
HttpResponse pay_at_counter(std::uint16_t port, const std::string& cashier,
                            const std::string& bill_id, std::int64_t total_satang);

/// Pays at the counter, as the demo cashier of the bill's agency, the one bill application `id`
/// of the person holding `applicant`'s token waits on, so that the application moves on (a test
/// failure when it is not paid): the receipt's number.
std::string pay_bill_at_counter(std::uint16_t port, const std::string& applicant,
                                const std::string& id);

/// A statement line of a payment of `bill` (its API view) of `amount_satang` on `paid_on`.
payments::StatementLine statement_line(
    const boost::json::object& bill, std::int64_t amount_satang,
    std::chrono::year_month_day paid_on,
    payments::TransactionKind kind = payments::TransactionKind::credit);

/// The bytes of a one-day statement file holding `lines`, numbered and totalled as a bank
/// writes it; empty, with a test failure, when the writer refuses it.
std::string statement_file_of(std::vector<payments::StatementLine> lines,
                              std::chrono::year_month_day day);

/// Today's date (UTC), for statement lines paid today.
std::chrono::year_month_day today_utc();

}  // namespace pratu::test
