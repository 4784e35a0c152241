#include "http/client_address.hpp"

#include "common/text.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace pratu::http {
namespace {

// Keeps the first `bits` bits of `address` and zeroes the rest.
IpAddress masked(IpAddress address, int bits) {
  const int width = address.v4 ? 32 : 128;
  for (int bit = std::max(bits, 0); bit < width; ++bit) {
    address.bytes[static_cast<std::size_t>(bit / 8)] &=
        static_cast<std::uint8_t>(~(0x80U >> (bit % 8)));
  }
  return address;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  // Longest textual IPv6 address with an embedded IPv4 part is 45 characters.
  if (text.empty() || text.size() > 45) return std::nullopt;
  char terminated[46] = {};
  std::memcpy(terminated, text.data(), text.size());
  IpAddress address;
  in_addr v4{};
  if (::inet_pton(AF_INET, terminated, &v4) == 1) {
    address.v4 = true;
    std::memcpy(address.bytes.data(), &v4, 4);
    return address;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, terminated, &v6) != 1) return std::nullopt;
  static constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0,    0,
                                                                 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(&v6, kMappedPrefix.data(), kMappedPrefix.size()) == 0) {
    // A dual-stack socket shows IPv4 peers as ::ffff:a.b.c.d: they are IPv4 addresses.
    address.v4 = true;
    std::memcpy(address.bytes.data(), reinterpret_cast<const std::uint8_t*>(&v6) + 12, 4);
    return address;
  }
  std::memcpy(address.bytes.data(), &v6, 16);
  return address;
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data(), text, sizeof text) == nullptr) return {};
  return text;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  auto base = IpAddress::parse(text.substr(0, slash));
  if (!base) return std::nullopt;
  const int width = base->v4 ? 32 : 128;
  int bits = width;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    bits = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      bits = bits * 10 + (c - '0');
    }
    if (bits > width) return std::nullopt;
  }
  return IpNetwork{masked(*base, bits), bits};
}

bool IpNetwork::contains(const IpAddress& address) const {
  return address.v4 == base.v4 && masked(address, prefix_bits).bytes == base.bytes;
}

Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
  TrustedProxies proxies;
  while (!list.empty()) {
    const std::size_t end = list.find_first_of(", \t");
    const std::string_view entry = list.substr(0, end);
    list = end == std::string_view::npos ? std::string_view{} : list.substr(end + 1);
    if (entry.empty()) continue;
    auto network = IpNetwork::parse(entry);
    if (!network) {
      return Error::internal("not an IP address or CIDR network: \"" + std::string(entry) + "\"");
    }
    proxies.networks_.push_back(*network);
  }
  return proxies;
}

bool TrustedProxies::contains(const IpAddress& address) const {
  return std::any_of(networks_.begin(), networks_.end(),
                     [&address](const IpNetwork& network) { return network.contains(address); });
}

bool TrustedProxies::contains(std::string_view address) const {
  const auto parsed = IpAddress::parse(address);
  return parsed && contains(*parsed);
}

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const TrustedProxies& proxies) {
  auto hop = IpAddress::parse(peer);
  if (!hop) return std::string(peer);
  // Walk from the nearest hop outwards while each hop is a proxy we trust to have told us
  // who its own peer was.
  while (proxies.contains(*hop)) {
    forwarded_for = trim(forwarded_for);
    if (forwarded_for.empty()) break;
    const std::size_t comma = forwarded_for.rfind(',');
    const std::string_view entry =
        trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    auto next = IpAddress::parse(entry);
    if (!next) break;
    hop = next;
  }
  return hop->to_string();
}

std::string address_for_log(std::string_view address, AddressLogging mode) {
  if (mode == AddressLogging::none) return {};
  // A connection's requests come from one address: the thread's last answer is kept.
  thread_local std::string last_address;
  thread_local AddressLogging last_mode = AddressLogging::none;
  thread_local std::string last_logged;
  if (mode == last_mode && address == last_address) return last_logged;
  auto parsed = IpAddress::parse(address);
  std::string logged;
  if (parsed) {
    if (mode == AddressLogging::truncated) parsed = masked(*parsed, parsed->v4 ? 24 : 48);
    logged = parsed->to_string();
  }
  last_address.assign(address);
  last_mode = mode;
  last_logged = logged;
  return logged;
}

}  // namespace pratu::http
