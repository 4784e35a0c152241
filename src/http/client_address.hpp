#pragma once
/// Who the client is: the peer, or behind trusted reverse proxies the right-most address of
/// X-Forwarded-For that no trusted proxy added; and how much of it the access log keeps.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::http {

/// An IPv4 or IPv6 address in network byte order; IPv4 (also IPv4-mapped IPv6) uses 4 bytes.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;

  /// Parses a literal address with inet_pton; "[v6]" brackets are accepted.
  static std::optional<IpAddress> parse(std::string_view text);
  /// The canonical text form (inet_ntop).
  std::string to_string() const;
};

/// A network: an address and the number of leading bits that must match.
struct IpNetwork {
  IpAddress base;
  int prefix_bits = 0;

  /// Parses "10.0.0.0/8", "2001:db8::/32" or a single address (all bits).
  static std::optional<IpNetwork> parse(std::string_view text);
  bool contains(const IpAddress& address) const;
};

/// The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.
class TrustedProxies {
 public:
  /// Parses a comma- or space-separated list of addresses and CIDR networks; an empty list
  /// trusts no one. Fails naming the first entry that is neither.
  static Result<TrustedProxies> parse(std::string_view list);

  bool empty() const { return networks_.empty(); }
  bool contains(const IpAddress& address) const;
  bool contains(std::string_view address) const;

 private:
  std::vector<IpNetwork> networks_;
};

/// The client's address. X-Forwarded-For (every field joined with commas) counts only when
/// the peer is a trusted proxy; then the client is its right-most entry that is not itself a
/// trusted proxy. An entry that is not an address ends the walk at the last trusted hop.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const TrustedProxies& proxies);

/// How much of the client's address the access log keeps (it is personal data).
enum class AddressLogging {
  full,       // the whole address
  truncated,  // IPv4 /24 (last octet zero), IPv6 /48
  none,       // no address at all
};

/// `address` as the access log keeps it under `mode`; empty for none or when unparsable.
std::string address_for_log(std::string_view address, AddressLogging mode);

}  // namespace pratu::http
