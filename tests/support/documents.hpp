#pragma once
/// Issued documents through the real server's API, as their holder and a stranger use them
/// (docs/documents.md): the signed file downloaded, and a PDF checked at /api/v1/verify.

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

namespace pratu::test {

/// The signed PDF of document `number` (a licence or a receipt), downloaded by the person
/// holding `token`: a test failure unless it is 200 and application/pdf.
std::string signed_file(std::uint16_t port, const std::string& token, const std::string& number);

/// What /api/v1/verify says of `pdf` to someone with no account: a test failure unless 200.
boost::json::object verify_pdf(std::uint16_t port, const std::string& pdf);

}  // namespace pratu::test
