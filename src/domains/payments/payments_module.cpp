#include "domains/payments/payments_module.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

#include "common/civil_date.hpp"

#include "domains/payments/bank_simulator.hpp"
#include "domains/payments/bill_repository.hpp"
#include "domains/payments/bill_service.hpp"
#include "domains/payments/collection_handlers.hpp"
#include "domains/payments/collections.hpp"
#include "domains/payments/confirmation_service.hpp"
#include "domains/payments/counter_page.hpp"
#include "domains/payments/finance_pages.hpp"
#include "domains/payments/payment_handlers.hpp"
#include "domains/payments/payment_metrics.hpp"
#include "domains/payments/receipt_book.hpp"
#include "domains/payments/statement_import.hpp"
#include "platform/billing.hpp"
#include "platform/service_directory.hpp"

namespace pratu::payments {

PaymentsModule::PaymentsModule() = default;
PaymentsModule::~PaymentsModule() = default;

std::vector<platform::SettingsSection> PaymentsModule::settings() {
  using platform::integer;
  using platform::text;
  auto& s = settings_;
  return {{"payments",
           {text("billers_file",
                 "The agencies' collection accounts: each agency's Thai QR biller ID and account "
                 "name (YAML)",
                 s.billers_file),
            integer("confirmation_window_seconds",
                    "How far a bank confirmation's timestamp may be from now, either way",
                    s.confirmation_window_seconds, 30, 3600),
            integer("failed_confirmations_per_minute",
                    "Confirmations one client address may send a minute that fail to authenticate "
                    "(an unknown bank or a wrong signature) before it is refused with 429",
                    s.failed_confirmations_per_minute, 1, 100000),
            integer("failed_confirmations_burst", "... and at once", s.failed_confirmations_burst,
                    1, 100000),
            integer("numbering_poll_seconds",
                    "How often the receipts of the banks' payments are numbered, all those "
                    "waiting together",
                    s.numbering_poll_seconds, 1, 3600)},
           nullptr}};
}

std::vector<platform::Command> PaymentsModule::add_commands(CLI::App& cli) {
  auto* simulator = cli.add_subcommand("bank-simulator",
                                       "A bank for the demo and the tests; never for production");
  simulator->require_subcommand(1);
  auto* pay = simulator->add_subcommand(
      "pay", "Pay a bill as a bank would: a signed confirmation sent to Pratu");
  pay->add_option("bill", simulate_bill_, "The bill's id or its Ref. 1")->required();
  pay->add_option("--url", simulate_url_, "Where Pratu is (default: server.public_url)");
  pay->add_option("--bank", simulate_bank_, "The bank connection's code")->capture_default_str();
  pay->add_option("--amount", simulate_amount_,
                  "Baht paid, e.g. 40.00 (default: the bill's total)");
  pay->add_option("--transaction", simulate_transaction_,
                  "The bank's transaction id (default: a new one; repeat one to send it twice)");
  auto* statement = simulator->add_subcommand(
      "statement", "Write the statement file the simulator's bank sends an agency for a day");
  statement->add_option("agency", statement_agency_, "The agency's code, e.g. bma")->required();
  statement->add_option("--date", statement_date_, "The day, YYYY-MM-DD (default: today)");
  statement->add_option("--bank", simulate_bank_, "The bank connection's code")
      ->capture_default_str();
  statement->add_option("--out", statement_out_, "The file to write (default: standard output)");
  platform::Command statement_command{statement,
                                      [this](platform::Shared& shared) {
    const std::string day =
        statement_date_.empty() ? iso_date(thai_date(shared.clock.now_seconds())) : statement_date_;
    auto bytes = simulated_statement(shared.db, simulate_bank_, statement_agency_, day);
    if (!bytes) {
      std::cerr << "bank-simulator: " << bytes.error().detail << "\n";
      return 1;
    }
    if (statement_out_.empty()) {
      std::cout << *bytes;
      return 0;
    }
    std::ofstream out(statement_out_, std::ios::binary | std::ios::trunc);
    out << *bytes;
    out.close();
    if (!out) {
      std::cerr << "bank-simulator: cannot write " << statement_out_ << "\n";
      return 1;
    }
    return 0;
                                      }};
  std::vector<platform::Command> out = bank_commands_.add(cli);
  out.push_back(statement_command);
  out.push_back({pay, [this](platform::Shared& shared) {
                   SimulatedPayment payment;
                   payment.bank = simulate_bank_;
                   payment.bill = simulate_bill_;
                   payment.url = simulate_url_.empty() ? shared.settings.public_url : simulate_url_;
                   payment.transaction_id = simulate_transaction_;
                   if (!simulate_amount_.empty()) {
                     const auto dot = simulate_amount_.find('.');
                     try {
                       const std::string whole = simulate_amount_.substr(0, dot);
                       std::string cents = dot == std::string::npos
                                               ? "00"
                                               : simulate_amount_.substr(dot + 1) + "00";
                       payment.amount_satang =
                           std::stoll(whole) * 100 + std::stoll(cents.substr(0, 2));
                     } catch (const std::exception&) {
                       std::cerr << "bank-simulator: --amount must be baht, e.g. 40.00\n";
                       return 2;
                     }
                   }
                   auto answer = simulate_payment(shared.db, shared.clock, shared.random, payment);
                   if (!answer) {
                     std::cerr << "bank-simulator: " << answer.error().detail << "\n";
                     return 1;
                   }
                   std::cout << answer->status << " " << answer->body << "\n";
                   return answer->status / 100 == 2 ? 0 : 1;
                 }});
  return out;
}

Result<void> PaymentsModule::prepare(platform::Shared& shared) {
  PRATU_TRY(billers, load_billers(settings_.billers_file));
  billers_ = std::move(billers);
  // A service whose workflow bills earns level 2's bill criterion: Pratu issues the bill and
  // takes the bank's word that it was paid; its agency must have a collection account. (The
  // e-receipt is earned by the module that issues receipts signed.)
  // Every payment gets a receipt, which the documents module issues signed.
  PRATU_CHECK(shared.services.offer<platform::ReceiptSource>(name(), receipts_));
  const auto* paid_bills = shared.services.find<platform::PaidBills>();
  const auto* directory = shared.services.find<platform::ServiceDirectory>();
  if (paid_bills == nullptr || directory == nullptr) return ok();
  std::string problems;
  std::vector<std::string> receipted;
  for (const auto& billing : paid_bills->billing_services()) {
    const platform::ServiceInfo* service = directory->service(billing.service);
    if (service == nullptr) continue;
    if (!billers_.contains(service->agency)) {
      problems += (problems.empty() ? "" : "\n") + settings_.billers_file + ": billers." +
                  service->agency + ": is required: " + billing.service +
                  " bills, and its agency has no collection account";
      continue;
    }
    shared.earned.earn(billing.service, "bill_payment", name());
    receipted.push_back(billing.service);
  }
  receipts_.set_services(std::move(receipted));
  if (!problems.empty()) {
    return Error{ErrorCode::invalid_input, "errors.invalid_input", std::move(problems), {}, 0};
  }
  return ok();
}

Result<void> PaymentsModule::start(platform::Shared& shared) {
  PRATU_TRY(directory, shared.services.need<platform::ServiceDirectory>(name()));
  bills_ = std::make_unique<BillService>(shared.db, shared.clock, shared.random, billers_);
  PRATU_CHECK(shared.services.offer<platform::Billing>(name(), *bills_));
  db_ = &shared.db;
  clock_ = &shared.clock;
  metrics_ = std::make_unique<PaymentMetrics>(shared.metrics);
  confirmations_ = std::make_unique<ConfirmationService>(
      shared.db, shared.clock, shared.services,
      std::chrono::seconds(settings_.confirmation_window_seconds));
  statements_ =
      std::make_unique<StatementImports>(shared.db, shared.clock, billers_, shared.services);
  desk_ = std::make_unique<ReceiptDesk>(shared.db, shared.clock, shared.services);
  collections_ = std::make_unique<CollectionReports>(shared.db, shared.clock);
  if (shared.renderer != nullptr) {
    collection_handlers_ =
        std::make_unique<CollectionHandlers>(*collections_, *directory, *shared.renderer);
    finance_pages_ = std::make_unique<FinancePages>(*statements_, *shared.renderer);
    counter_page_ = std::make_unique<CounterPage>(*bills_, *desk_, *shared.renderer, shared.clock);
  }
  if (shared.renderer != nullptr) {
    handlers_ = std::make_unique<PaymentHandlers>(
        *bills_, *confirmations_, *statements_, *desk_, *directory, shared.services,
        *shared.renderer, shared.clock, *metrics_, settings_.failed_confirmations_per_minute,
        settings_.failed_confirmations_burst);
  }
  return ok();
}

Result<std::string> PaymentsModule::seed_demo(platform::Shared& shared) {
  // The bank simulator's connection, with a secret of its own.
  repository::BankConnection bank{"sim", "Bank simulator", shared.random.token(32), "", true, "",
                                  ""};
  const std::int64_t now = shared.clock.now_seconds();
  PRATU_CHECK(shared.db.write(
      [&](storage::Connection& c) -> Result<void> { return repository::put_bank(c, bank, now); }));
  return std::string(
      "Bank simulator connected (code sim): pay a bill with `pratu bank-simulator pay <bill>`\n");
}

std::vector<platform::PeriodicTask> PaymentsModule::housekeeping() {
  if (db_ == nullptr) return {};
  // A bank's payment commits without its receipt's number; the receipts of all the payments
  // since the last time are numbered here together, each agency's counter taken once.
  return {{"payments: number receipts", std::chrono::seconds(settings_.numbering_poll_seconds),
           [this]() -> Result<void> {
             // What waits is read first, so /metrics shows a backlog even while numbering fails.
             PRATU_TRY(waiting, db_->read_value<WaitingReceipts>(
                                    [](storage::Connection& c) { return waiting_receipts(c); }));
             const std::int64_t began = clock_->now_seconds();
             std::size_t numbered = 0;
             if (waiting.count > 0) {
               auto done = number_all_waiting(*db_, *clock_);
               if (!done) {
                 metrics_->numbering(waiting, began, 0);
                 return done.error();
               }
               numbered = *done;
             }
             metrics_->numbering(waiting, began, numbered);
             return ok();
           },
           // Not behind the documents module's signing, which may drain a backlog for seconds.
           true}};
}

web::Routes PaymentsModule::routes() {
  web::Routes r = handlers_ ? handlers_->routes() : web::Routes{};
  if (collection_handlers_) {
    for (auto& route : collection_handlers_->routes()) r.push_back(std::move(route));
  }
  if (finance_pages_) {
    for (auto& route : finance_pages_->routes()) r.push_back(std::move(route));
  }
  if (counter_page_) {
    for (auto& route : counter_page_->routes()) r.push_back(std::move(route));
  }
  return r;
}

}  // namespace pratu::payments
