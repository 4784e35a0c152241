#include "web/file_response.hpp"

namespace pratu::web {

std::string rfc8187_value(std::string_view name) { return "UTF-8''" + percent_encode(name); }

Response file_response(std::string path, std::string_view media_type, std::string_view filename) {
  Response response;
  response.content_type = std::string(media_type);
  response.body_file = std::move(path);
  response.set_header("Content-Disposition", filename.empty()
                                                 ? std::string("inline")
                                                 : "inline; filename*=" + rfc8187_value(filename));
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Content-Security-Policy", std::string(kFileCsp));
  // Personal papers: kept by no cache, shared or the browser's own.
  response.set_header("Cache-Control", "private, no-store");
  // Another site may not load it with the person's cookies, even as an image it cannot read.
  response.set_header("Cross-Origin-Resource-Policy", "same-origin");
  // A link inside the file does not tell where it came from (the URL names the application).
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("X-Frame-Options", "DENY");
  return response;
}

}  // namespace pratu::web
