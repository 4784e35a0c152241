#pragma once
/// The agencies' collection accounts (config/billers.yaml, docs/payments.md): for each agency
/// that bills, its Thai QR bill-payment biller ID (its 13-digit tax ID and a 2-digit suffix,
/// shared/reference/standards.md §1.4), the account's name as a bill shows it, and optionally a
/// PromptPay ID. Read and checked at start; a problem names the file and the agency.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace pratu::payments {

struct Biller {
  std::string agency;
  std::string tax_id;            // 13 digits, a valid juristic ID
  std::string suffix;            // 2 digits: one per collection account
  std::string name_th, name_en;  // the account's name
  std::string promptpay;         // empty, or a 13-digit tax ID the agency takes PromptPay with

  /// Tag 30's biller ID: the tax ID and the suffix, 15 digits.
  std::string biller_id() const { return tax_id + suffix; }
};

using Billers = std::map<std::string, Biller, std::less<>>;

/// Parses `yaml`; `file` names it in problems (an invalid_input error, one problem a line).
Result<Billers> parse_billers(std::string_view yaml, const std::string& file);
/// Reads `path`; a missing file is an error.
Result<Billers> load_billers(const std::filesystem::path& path);

}  // namespace pratu::payments
