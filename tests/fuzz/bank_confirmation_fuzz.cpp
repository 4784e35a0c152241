// libFuzzer target: bank payment confirmations (docs/bank-webhook.md), headers and body.
// Input: the X-Pratu-Timestamp value, a line break, the X-Pratu-Signature value, a line break,
// then the body; the whole input is also read as a body.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domains/payments/bank_confirmation.hpp"

namespace {

namespace payments = pratu::payments;

constexpr std::string_view kSecret = "pratu-fuzz-secret";
// 2026-01-07T03:15:40Z: the timestamp the seed corpus is signed with.
constexpr std::chrono::sys_seconds kNow{std::chrono::seconds{1767755740}};

bool is_reference(std::string_view text, std::size_t min_length) {
  if (text.size() < min_length || text.size() > payments::kMaxReferenceLength) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

void read_body(std::string_view body) {
  const auto confirmation = payments::parse_confirmation(body);
  if (!confirmation) {
    const auto& error = confirmation.error();
    if (error.code != pratu::ErrorCode::invalid_input &&
        error.code != pratu::ErrorCode::too_large) {
      std::abort();
    }
    if (error.message_key.rfind("payments.confirmation.", 0) != 0) std::abort();
    return;
  }
  if (body.size() > payments::kMaxConfirmationBytes) std::abort();
  if (confirmation->amount_satang <= 0 ||
      confirmation->amount_satang > payments::kMaxConfirmationAmount) {
    std::abort();
  }
  if (!is_reference(confirmation->ref1, 1) || !is_reference(confirmation->ref2, 1) ||
      !is_reference(confirmation->ref3, 0) || confirmation->biller_id.size() != 15) {
    std::abort();
  }
  // The amount as a bank writes it: the digits and two decimals it was read from.
  if (body.find("\"" + payments::format_confirmation_amount(confirmation->amount_satang) + "\"") ==
          std::string_view::npos &&
      body.find('\\') == std::string_view::npos) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto first = input.find('\n');
  const auto second = first == std::string_view::npos ? first : input.find('\n', first + 1);
  const auto timestamp = input.substr(0, first);
  const auto signature = first == std::string_view::npos
                             ? std::string_view{}
                             : input.substr(first + 1, second - first - 1);
  const auto body =
      second == std::string_view::npos ? std::string_view{} : input.substr(second + 1);

  const auto authenticated =
      payments::authenticate_confirmation(kSecret, timestamp, signature, body, kNow);
  if (!authenticated && authenticated.error().code != pratu::ErrorCode::unauthorized) {
    std::abort();
  }
  // What is signed with the secret passes; one byte more does not.
  const auto headers = payments::sign_confirmation(kSecret, kNow, body);
  if (!payments::authenticate_confirmation(kSecret, headers.timestamp, headers.signature, body,
                                           kNow)) {
    std::abort();
  }
  if (payments::authenticate_confirmation(kSecret, headers.timestamp, headers.signature,
                                          std::string(body) + " ", kNow)) {
    std::abort();
  }

  read_body(body);
  read_body(input);
  return 0;
}
