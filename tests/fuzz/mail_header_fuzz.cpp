// libFuzzer target: the RFC 2047 header encoder of outgoing mail (any UTF-8 a subject or a
// display name may hold, starting anywhere on its line).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/unicode_text.hpp"
#include "domains/notifications/mail_message.hpp"
#include "domains/notifications/mail_test_support.hpp"

using pratu::notifications::test::base64_decode;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t used = data[0] % 72;  // where the value starts: after "Subject: " and the like
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string value = pratu::notifications::encode_header_text(text, used);
  if (value.find("=?UTF-8?B?") == std::string::npos) {
    if (value != text) std::abort();  // left as it is only when it needs nothing
    return 0;
  }
  const bool utf8 = pratu::is_valid_utf8(text);
  std::string joined;
  std::size_t line_start = 0;
  std::size_t line_used = used;
  for (std::size_t at = 0; at <= value.size(); ++at) {
    if (at == value.size() || value.compare(at, 2, "\r\n") == 0) {
      if (line_used + (at - line_start) > pratu::notifications::kMaxLine) std::abort();
      if (at < value.size() && (at + 2 >= value.size() || value[at + 2] != ' ')) std::abort();
      line_start = at + 2;
      line_used = 0;
      ++at;
    }
  }
  for (auto at = value.find("=?UTF-8?B?"); at != std::string::npos;
       at = value.find("=?UTF-8?B?", at)) {
    const auto end = value.find("?=", at + 10);
    if (end == std::string::npos) std::abort();
    if (end + 2 - at > pratu::notifications::kMaxEncodedWord) std::abort();
    const std::string bytes = base64_decode(std::string_view(value).substr(at + 10, end - at - 10));
    if (utf8 && !pratu::is_valid_utf8(bytes)) std::abort();  // a character split in two
    joined += bytes;
    at = end + 2;
  }
  if (joined != text) std::abort();
  (void)pratu::notifications::encode_mailbox({"a@example.com", std::string(text)}, used);
  return 0;
}
