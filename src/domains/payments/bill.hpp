#pragma once
/// A bill and its lines as the payments module keeps them (migrations/*/0001): plain types.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "platform/billing.hpp"

namespace pratu::payments {

/// Where a bill stands: awaiting payment, paid (by a bank's word or a cashier), or cancelled.
enum class BillStatus { awaiting, paid, cancelled };
std::string_view bill_status_key(BillStatus status);
/// nullopt-free: an unknown key reads as cancelled (never payable).
BillStatus bill_status_of(std::string_view key);

struct Bill {
  std::int64_t id = 0;
  std::string public_id;
  std::int64_t application_id = 0;
  std::string application;  // the application's public id
  std::string reference;    // the application's reference number
  std::string service;
  std::string agency;
  std::string state;  // the workflow state that billed
  std::int64_t holder_user_id = 0;
  std::string biller_id;  // 15 digits
  std::string ref1;       // the bill number and its check digit
  std::string ref2;       // the last day to pay, YYMMDD (Buddhist era)
  std::int64_t total_satang = 0;
  std::string due_date;  // YYYY-MM-DD
  BillStatus status = BillStatus::awaiting;
  std::int64_t created_at = 0;
  std::int64_t paid_at = 0;  // 0 unless paid
  std::vector<platform::BillLineSpec> lines;
};

/// Ref. 1 of a bill: the Buddhist-era year's last two digits, the agency's bill sequence in
/// nine digits, and a Luhn check digit, so a mistyped reference is refused at the bank or here
/// rather than paying someone else's bill: 12 digits, e.g. "690000001234".
std::string bill_ref1(int buddhist_year, std::int64_t sequence);
/// Whether `ref1` is 12 digits whose last is the Luhn check digit of the others.
bool is_bill_ref1(std::string_view ref1);
/// Ref. 2: the last day to pay as YYMMDD in the Buddhist era ("2026-12-31" → "691231").
std::string bill_ref2(std::string_view due_date);

}  // namespace pratu::payments
