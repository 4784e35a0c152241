#include "common/result.hpp"

#include <stdexcept>

namespace pratu {

void throw_exception_from_error(Error const& e, boost::source_location const& loc) {
  throw std::logic_error("unchecked Result error " + e.message_key + " at " + loc.file_name() +
                         ":" + std::to_string(loc.line()) + ": " + e.detail);
}

}  // namespace pratu
