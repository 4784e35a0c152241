#pragma once
/// Gzip for text responses.

#include <string>
#include <string_view>

namespace pratu::http {

/// True when an Accept-Encoding value accepts gzip: a "gzip" (or "x-gzip", or "*") coding
/// with q > 0.
bool accepts_gzip(std::string_view accept_encoding);

/// True for types worth compressing: text/*, JSON, JavaScript, SVG, XML, problem+json.
bool is_compressible(std::string_view content_type);

/// Gzip-compresses `data` (RFC 1952) at zlib `level` 1..9.
std::string gzip_compress(std::string_view data, int level);

}  // namespace pratu::http
