#pragma once
/// The client certificate a TLS-terminating proxy verified (mutual TLS), as the proxy passes it
/// on to Pratu, which has no TLS of its own (docs/bank-webhook.md, "Mutual TLS").

#include <string>
#include <string_view>

#include "web/message.hpp"

namespace pratu::web {

/// The header carrying it: the certificate's PEM, percent-encoded, as nginx's
/// `$ssl_client_escaped_cert` gives it. The http layer drops the header from every request that
/// did not come from a trusted proxy (server.trusted_proxies), so only a proxy can say it.
inline constexpr std::string_view kClientCertificateHeader = "X-Client-Certificate";

/// The PEM the proxy passed on; empty when none, or when the header is not percent-encoding.
std::string client_certificate_pem(const Request& request);

}  // namespace pratu::web
