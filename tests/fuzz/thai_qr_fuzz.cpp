// libFuzzer target: Thai QR payloads (shared/reference/standards.md §1) read by
// parse_emv_payload, as the bank simulator and the tests read a bill's QR code. Whatever it
// accepts must write back byte for byte: the same fields, the same CRC.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domains/payments/thai_qr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto fields = pratu::payments::parse_emv_payload(input);
  if (!fields) return 0;
  auto written = pratu::payments::emv_payload(*fields);
  // A payload read must be one we can write again, and writing it gives the same text.
  if (!written || *written != input) std::abort();
  return 0;
}
