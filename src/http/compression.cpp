#include "http/compression.hpp"

#include <zlib.h>

#include <limits>
#include <optional>
#include <stdexcept>

#include "common/text.hpp"
#include "web/message.hpp"

namespace pratu::http {
namespace {

// q-value of one Accept-Encoding element's parameters; 1 when absent.
double q_value(std::string_view params) {
  while (!params.empty()) {
    const std::size_t semi = params.find(';');
    std::string_view param = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      param.remove_prefix(2);
      // q = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ): nonzero iff any digit is.
      for (char c : param) {
        if (c >= '1' && c <= '9') return 1;
      }
      return 0;
    }
  }
  return 1;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  bool star = false;
  std::optional<bool> gzip;
  while (!accept_encoding.empty()) {
    const std::size_t comma = accept_encoding.find(',');
    std::string_view element = trim(accept_encoding.substr(0, comma));
    accept_encoding =
        comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    const std::size_t semi = element.find(';');
    const std::string_view coding = trim(element.substr(0, semi));
    const bool accepted =
        q_value(semi == std::string_view::npos ? std::string_view{} : element.substr(semi + 1)) > 0;
    if (web::iequals(coding, "gzip") || web::iequals(coding, "x-gzip")) {
      gzip = accepted;
    } else if (coding == "*") {
      star = accepted;
    }
  }
  return gzip.value_or(star);
}

bool is_compressible(std::string_view content_type) {
  const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  if (type.size() >= 5 && web::iequals(type.substr(0, 5), "text/")) return true;
  auto suffix_is = [&](std::string_view suffix) {
    return type.size() >= suffix.size() &&
           web::iequals(type.substr(type.size() - suffix.size()), suffix);
  };
  return web::iequals(type, "application/json") || web::iequals(type, "application/javascript") ||
         web::iequals(type, "image/svg+xml") || web::iequals(type, "application/xml") ||
         web::iequals(type, "application/manifest+json") || suffix_is("+json") || suffix_is("+xml");
}

std::string gzip_compress(std::string_view data, int level) {
  z_stream stream{};
  // windowBits 15 + 16 asks zlib for a gzip wrapper; memLevel 8 is zlib's default.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&stream, static_cast<uLong>(data.size())));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  const auto written = stream.total_out;
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(written);
  return out;
}

}  // namespace pratu::http
