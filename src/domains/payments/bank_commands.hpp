#pragma once
/// `pratu bank ...`: how an operator connects a bank, changes its secret, pins the client
/// certificate its proxy verifies (mutual TLS), and turns it off (docs/bank-webhook.md).

#include <string>
#include <vector>

#include "platform/module.hpp"

namespace pratu::payments {

class BankCommands {
 public:
  /// Adds `bank` and its subcommands to `cli`.
  std::vector<platform::Command> add(CLI::App& cli);

 private:
  std::string code_;
  std::string name_;
  std::string certificate_;
};

/// True for a bank code Pratu accepts (it is part of the webhook's URL): 2 to 32 of a-z, 0-9
/// and '-', starting with a letter.
bool valid_bank_code(const std::string& code);

}  // namespace pratu::payments
