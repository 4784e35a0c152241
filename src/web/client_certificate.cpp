#include "web/client_certificate.hpp"

namespace pratu::web {

std::string client_certificate_pem(const Request& request) {
  const std::string_view header = request.header(kClientCertificateHeader);
  if (header.empty()) return {};
  // A PEM's base64 holds '+', which the escaping leaves as it is.
  auto pem = percent_decode(header, Plus::literal);
  return pem ? *pem : std::string();
}

}  // namespace pratu::web
