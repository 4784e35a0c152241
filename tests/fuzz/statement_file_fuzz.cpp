// libFuzzer target: bank statement files (docs/statement-files.md): what is read writes back
// byte for byte, and what is refused says where.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domains/payments/statement_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace payments = pratu::payments;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // TIS-620 and UTF-8 map one to one where both are defined.
  if (const auto text = payments::tis620_to_utf8(input)) {
    if (payments::utf8_to_tis620(*text) != input) std::abort();
  }
  if (const auto bytes = payments::utf8_to_tis620(input)) {
    if (payments::tis620_to_utf8(*bytes) != input) std::abort();
  }

  const auto file = payments::parse_statement_file(input);
  if (!file) {
    const auto& error = file.error();
    if (payments::statement_error_name(error.code) == "unknown" || error.field.empty()) {
      std::abort();
    }
    if (error.column > payments::kStatementRecordLength) std::abort();
    if (error.line > input.size() / payments::kStatementRecordLength + 1) std::abort();
    (void)error.to_error();
    return 0;
  }
  if (file->days.empty()) std::abort();
  for (const auto& day : file->days) {
    for (const auto& line : day.lines) {
      if (line.amount_satang < 0 || line.amount_satang > payments::kMaxStatementAmount) {
        std::abort();
      }
    }
  }
  const auto written = payments::write_statement_file(*file);
  if (!written || *written != input) std::abort();
  const auto again = payments::parse_statement_file(*written);
  if (!again || !(*again == *file)) std::abort();
  return 0;
}
