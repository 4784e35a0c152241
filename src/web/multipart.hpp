#pragma once
/// multipart/form-data bodies (RFC 7578): the form a page posts when it carries a file and
/// script is off. Fields become name/value pairs like a urlencoded form; files stay views
/// into the body, so nothing is copied.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/message.hpp"

namespace pratu::web {

/// One file a multipart form carried. `bytes` views the request body it was parsed from.
struct FilePart {
  std::string name;          // the form control's name
  std::string filename;      // as the browser sent it (a name, never trusted for the type)
  std::string content_type;  // as the browser sent it (never trusted either)
  std::string_view bytes;
};

/// A parsed multipart/form-data body.
struct MultipartForm {
  std::vector<Header> fields;
  std::vector<FilePart> files;
};

/// The boundary a `Content-Type: multipart/form-data; boundary=…` names; nullopt when the
/// type is another or the boundary is missing or malformed (RFC 2046: 1 to 70 characters).
std::optional<std::string> multipart_boundary(std::string_view content_type);

/// Parses `body` against `boundary`; nullopt when it is malformed, has more than `max_parts`
/// parts, or a part's headers pass 8 KiB. A file part sent with no file chosen (an empty
/// filename and no bytes) is left out.
std::optional<MultipartForm> parse_multipart(std::string_view body, std::string_view boundary,
                                             std::size_t max_parts = 256);

}  // namespace pratu::web
