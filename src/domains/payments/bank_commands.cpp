#include "domains/payments/bank_commands.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>

#include "common/files.hpp"
#include "crypto/pki.hpp"
#include "domains/payments/bill_repository.hpp"

namespace pratu::payments {

namespace {

// Runs `change` on bank `code` in a transaction: 0 when done, 1 with a message when there is
// no such bank or it failed.
int change_bank(platform::Shared& shared, const std::string& code,
                const std::function<Result<bool>(storage::Connection&)>& change,
                const std::string& done) {
  auto changed = shared.db.write_value<bool>(change);
  if (!changed) {
    std::cerr << "bank: " << changed.error().detail << "\n";
    return 1;
  }
  if (!*changed) {
    std::cerr << "bank: no bank " << code << " (pratu bank list)\n";
    return 1;
  }
  std::cout << done << "\n";
  return 0;
}

}  // namespace

bool valid_bank_code(const std::string& code) {
  if (code.size() < 2 || code.size() > 32 || code.front() < 'a' || code.front() > 'z') return false;
  for (char ch : code) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
  }
  return true;
}

std::vector<platform::Command> BankCommands::add(CLI::App& cli) {
  auto* bank = cli.add_subcommand(
      "bank", "The banks whose payment confirmations Pratu takes (docs/bank-webhook.md)");
  bank->require_subcommand(1);
  auto code_option = [this](CLI::App* command) {
    command->add_option("code", code_, "The bank's code, as in /api/v1/banks/{code}/confirmations")
        ->required();
  };
  auto* list = bank->add_subcommand("list", "Every bank: its code, name, state, secrets and pin");
  auto* secret = bank->add_subcommand(
      "secret",
      "Give a bank a new secret, printed once (a new bank is added, with --name); its old "
      "secret is still accepted until `pratu bank end-rotation`");
  code_option(secret);
  secret->add_option("--name", name_, "The bank's name: required for a new bank");
  auto* end_rotation = bank->add_subcommand(
      "end-rotation",
      "Stop accepting a bank's previous secret and previously pinned certificate, once it uses "
      "the new ones");
  code_option(end_rotation);
  auto* pin = bank->add_subcommand(
      "pin",
      "Take a bank's confirmations only through a trusted proxy that verified this client "
      "certificate (mutual TLS; server.trusted_proxies); one pinned before is still accepted "
      "until `pratu bank end-rotation`");
  code_option(pin);
  pin->add_option("certificate", certificate_, "The bank's client certificate, a PEM file")
      ->required();
  auto* unpin = bank->add_subcommand("unpin", "Stop requiring a client certificate of a bank");
  code_option(unpin);
  auto* disable = bank->add_subcommand("disable", "Refuse every confirmation of a bank (404)");
  code_option(disable);
  auto* enable = bank->add_subcommand("enable", "Take a disabled bank's confirmations again");
  code_option(enable);

  std::vector<platform::Command> out;
  out.push_back({list,
                 [](platform::Shared& shared) {
    auto all = shared.db.read_value<std::vector<repository::BankConnection>>(
        [](storage::Connection& c) { return repository::banks(c); });
    if (!all) {
      std::cerr << "bank: " << all.error().detail << "\n";
      return 1;
    }
    for (const auto& b : *all) {
      std::cout << b.code << "\t" << b.name << "\t" << (b.enabled ? "enabled" : "disabled") << "\t"
                << (b.previous_secret.empty() ? "one secret" : "two secrets (rotating)") << "\t"
                << (b.client_certificate_sha256.empty()
                        ? std::string("no client certificate pinned")
                        : "client certificate sha256:" + b.client_certificate_sha256)
                << (b.previous_client_certificate_sha256.empty()
                        ? std::string()
                        : "\tpreviously pinned sha256:" + b.previous_client_certificate_sha256 +
                              " (renewing)")
                << "\n";
    }
    return 0;
                 }});
  out.push_back({secret,
                 [this](platform::Shared& shared) {
    if (!valid_bank_code(code_)) {
      std::cerr << "bank: a code is 2 to 32 of a-z, 0-9 and '-', starting with a letter\n";
      return 2;
    }
    const std::string fresh = shared.random.token(32);
    auto written = shared.db.write([&](storage::Connection& c) -> Result<void> {
      PRATU_TRY(found, repository::bank(c, code_));
      repository::BankConnection b;
      b.code = code_;
      b.name = !name_.empty() ? name_ : found ? found->name : std::string();
      if (b.name.empty()) {
        return Error::invalid({{"name", "errors.required"}});
      }
      b.secret = fresh;
      return repository::put_bank(c, b, shared.clock.now_seconds());
    });
    if (!written) {
      std::cerr << "bank: "
                << (written.error().code == ErrorCode::invalid_input ? "a new bank needs --name"
                                                                     : written.error().detail)
                << "\n";
      return written.error().code == ErrorCode::invalid_input ? 2 : 1;
    }
    // The only time it is shown: give it to the bank out of band.
    std::cout << fresh << "\n";
    return 0;
                 }});
  out.push_back({pin, [this](platform::Shared& shared) {
                   auto pem = read_file(certificate_);
                   if (!pem) {
                     std::cerr << "bank: cannot read " << certificate_ << "\n";
                     return 2;
                   }
                   auto sha256 = crypto::certificate_sha256(*pem);
                   if (!sha256) {
                     std::cerr << "bank: " << certificate_ << " holds no PEM certificate\n";
                     return 2;
                   }
                   return change_bank(
                       shared, code_,
                       [&](storage::Connection& c) {
      return repository::pin_client_certificate(c, code_, *sha256);
                       },
                       "bank " + code_ + ": client certificate sha256:" + *sha256 +
                           " required, with any pinned before until end-rotation (running "
                           "servers within a minute)");
                 }});
  // The commands that change one thing of a known bank.
  struct Simple {
    CLI::App* command;
    std::function<Result<bool>(storage::Connection&, const std::string&)> change;
    std::string done;
  };
  const std::vector<Simple> changes{
      {end_rotation, repository::end_secret_rotation,
       "only its current secret and certificate are accepted (running servers within a minute)"},
      {unpin,
       [](storage::Connection& c,
          const std::string& code) { return repository::pin_client_certificate(c, code, ""); },
       "no client certificate required (running servers within a minute)"},
      {disable,
       [](storage::Connection& c,
          const std::string& code) { return repository::enable_bank(c, code, false); },
       "disabled (running servers within a minute)"},
      {enable,
       [](storage::Connection& c,
          const std::string& code) { return repository::enable_bank(c, code, true); },
       "enabled"},
  };
  for (const Simple& simple : changes) {
    out.push_back({simple.command, [this, simple](platform::Shared& shared) {
                     return change_bank(
                         shared, code_,
                         [&](storage::Connection& c) { return simple.change(c, code_); },
                         "bank " + code_ + ": " + simple.done);
                   }});
  }
  return out;
}

}  // namespace pratu::payments
