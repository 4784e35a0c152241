#include "app/metrics_access.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <string>

#include "crypto/digest.hpp"

namespace pratu::app {

bool is_loopback_address(std::string_view address) {
  const std::string text(address);  // inet_pton wants a terminated string
  unsigned char bytes[16];
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1) return bytes[0] == 127;  // 127.0.0.0/8
  if (inet_pton(AF_INET6, text.c_str(), bytes) != 1) return false;
  const auto zero = [&bytes](int from, int to) {
    return std::all_of(bytes + from, bytes + to, [](unsigned char b) { return b == 0; });
  };
  if (zero(0, 15) && bytes[15] == 1) return true;  // ::1
  // ::ffff:127.x.y.z, as a dual-stack socket reports an IPv4 peer.
  return zero(0, 10) && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127;
}

bool metrics_allowed(const web::Request& request, std::string_view token) {
  if (token.empty()) return is_loopback_address(request.remote_address);
  constexpr std::string_view kBearer = "Bearer ";
  const std::string_view authorization = request.header("Authorization");
  if (authorization.size() <= kBearer.size() ||
      !web::iequals(authorization.substr(0, kBearer.size()), kBearer)) {
    return false;
  }
  return crypto::constant_time_equal(authorization.substr(kBearer.size()), token);
}

}  // namespace pratu::app
