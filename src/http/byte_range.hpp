#pragma once
/// The Range header of a GET for a file (RFC 9110 §14): one range of bytes, or none. A PDF
/// viewer asks for the parts it shows first; a client resuming a download asks for the rest.

#include <cstdint>
#include <string_view>

namespace pratu::http {

struct ByteRange {
  enum class Kind {
    whole,          // no Range, or one this server answers with the whole file (several ranges)
    part,           // 206: bytes first..last (inclusive)
    unsatisfiable,  // 416: no byte of the file is in it
  };
  Kind kind = Kind::whole;
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

/// What `header` (a Range field value, maybe empty) asks of a file of `size` bytes. Anything
/// malformed, a unit other than bytes, or several ranges is answered whole, as the RFC allows.
ByteRange parse_byte_range(std::string_view header, std::uint64_t size);

}  // namespace pratu::http
