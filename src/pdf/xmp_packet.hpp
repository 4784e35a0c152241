#pragma once
/// The XMP metadata packet of a PDF/A-3u document (ISO 19005-3 §6.6) and the dates it and the
/// Info dictionary write, both in Thai time (UTC+07:00).

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "pdf/pdf_a3.hpp"

namespace pratu::pdf {

/// `epoch_seconds` as XMP writes a date: "2026-05-28T10:30:00+07:00".
std::string xmp_date(std::int64_t epoch_seconds);

/// `epoch_seconds` as a PDF date string: "D:20260528103000+07'00'".
std::string pdf_date_string(std::int64_t epoch_seconds);

/// The XMP packet for `info` (UTF-8, no bytes= or encoding= in its header): Dublin Core, XMP
/// and PDF properties, pdfaid part 3 conformance U, and Pratu's properties with the PDF/A
/// extension schema that describes them. Fails when a property name is not an XML name or
/// appears twice, or a text is not UTF-8.
Result<std::string> xmp_packet(const DocumentInfo& info, std::string_view producer);

}  // namespace pratu::pdf
