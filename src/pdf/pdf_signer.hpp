#pragma once
/// PAdES baseline B-T signing of a PDF (ETSI EN 319 142-1; shared/reference/standards.md §3.1):
/// an incremental update appended to the original bytes, which are never rewritten, holding
/// the signature dictionary, an invisible signature widget, the Catalog with its AcroForm and
/// the first page with the widget among its annotations. libqpdf only reads the input.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/cms_signature.hpp"
#include "crypto/timestamp.hpp"

namespace pratu::pdf {

/// What the signature dictionary and its field say. Texts are UTF-8.
struct SignatureFields {
  std::string name;                       // /Name: who signs (the agency)
  std::string reason;                     // /Reason
  std::string location;                   // /Location
  std::optional<std::string> contact;     // /ContactInfo, when given
  std::int64_t signing_time = 0;          // /M, seconds since the epoch, written in Thai time
  std::string field_name = "Signature1";  // /T of the field; unique in the document
};

/// `pdf` with a PAdES signature by `signer` appended as an incremental update, timestamped by
/// `tsa` (B-T), or without a timestamp when `tsa` is null (B-B). The input must be an
/// unencrypted PDF whose last cross-reference section is a classic table (as qpdf writes with
/// object streams off); a cross-reference stream, an encrypted file, a file qpdf cannot read
/// without recovery or a field name already taken are refused (invalid_input). Thread-safe
/// when `signer` and `tsa` are.
Result<std::string> sign_pdf(std::string_view pdf, crypto::Signer& signer,
                             crypto::TimestampAuthority* tsa, const SignatureFields& fields);

/// `seconds` since the epoch as a PDF date in Thai time (UTC+7, no daylight saving):
/// "D:YYYYMMDDHHmmSS+07'00'".
std::string pdf_date(std::int64_t seconds);

}  // namespace pratu::pdf
