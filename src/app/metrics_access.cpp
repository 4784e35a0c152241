#include "app/metrics_access.hpp"

#include "crypto/digest.hpp"

namespace pratu::app {

bool is_loopback_address(std::string_view address) {
  constexpr std::string_view kMapped = "::ffff:";
  if (address.size() > kMapped.size() && web::iequals(address.substr(0, kMapped.size()), kMapped)) {
    address.remove_prefix(kMapped.size());
  }
  if (address == "::1") return true;
  // 127.0.0.0/8, written as a dotted quad.
  if (address.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : address) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
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
