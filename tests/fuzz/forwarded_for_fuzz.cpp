// libFuzzer target: trusted-proxy lists (CIDR) and X-Forwarded-For headers. The input is
// "PROXIES\nPEER\nX-FORWARDED-FOR".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/client_address.hpp"

using pratu::http::AddressLogging;
using pratu::http::IpAddress;

namespace {

std::string_view next_line(std::string_view& input) {
  const std::size_t end = input.find('\n');
  const std::string_view line = input.substr(0, end);
  input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view list = next_line(input);
  const std::string_view peer = next_line(input);
  const std::string_view forwarded = input;

  auto proxies = pratu::http::TrustedProxies::parse(list);
  if (!proxies) return 0;
  const std::string client = pratu::http::client_address(peer, forwarded, *proxies);
  const auto peer_address = IpAddress::parse(peer);
  if (peer_address) {
    // Always an address in canonical form, and the peer itself unless it is trusted.
    const auto parsed = IpAddress::parse(client);
    if (!parsed || parsed->to_string() != client) std::abort();
    if (!proxies->contains(*peer_address) && client != peer_address->to_string()) std::abort();
  } else if (client != peer) {
    std::abort();
  }
  if (auto address = IpAddress::parse(forwarded)) {
    const auto again = IpAddress::parse(address->to_string());
    if (!again || again->bytes != address->bytes || again->v4 != address->v4) std::abort();
  }
  for (auto mode : {AddressLogging::full, AddressLogging::truncated, AddressLogging::none}) {
    const std::string logged = pratu::http::address_for_log(forwarded, mode);
    if (!logged.empty() && (mode == AddressLogging::none || !IpAddress::parse(logged))) {
      std::abort();
    }
  }
  return 0;
}
