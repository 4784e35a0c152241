#pragma once
/// A timestamp authority over HTTP (RFC 3161 §3.4): the TimeStampReq POSTed as
/// `application/timestamp-query` through libcurl, the reply read up to a size cap and checked
/// (granted, nonce echoed, imprint the same) before its token is used. HTTPS certificates are
/// always verified.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/timestamp.hpp"

namespace pratu::documents {

/// Where the timestamp authority is and how long to wait for it.
struct HttpTimestampSettings {
  std::string url;                      // http:// or https://
  int connect_timeout_ms = 5000;        // to open the connection
  int timeout_ms = 15000;               // the whole exchange
  std::size_t max_reply_bytes = 65536;  // a reply larger than this is refused
  std::string ca_file;                  // trust for an https URL; empty: the system's
  std::size_t token_size_hint = 8192;   // room to reserve in a signature for its tokens
};

/// Asks a TSA over HTTP. Thread-safe: each call has its own connection.
class HttpTimestampClient final : public crypto::TimestampAuthority {
 public:
  /// `random` gives the nonces and must outlive this.
  HttpTimestampClient(HttpTimestampSettings settings, Random& random);

  /// The token for `sha256_imprint`; unavailable when the TSA cannot be reached, times out,
  /// answers with an HTTP error, too much, or a reply that does not check.
  Result<std::string> timestamp(std::string_view sha256_imprint) override;
  std::size_t token_size_hint() const override { return settings_.token_size_hint; }

 private:
  HttpTimestampSettings settings_;
  Random& random_;
};

}  // namespace pratu::documents
