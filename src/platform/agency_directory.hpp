#pragma once
/// The agencies Pratu knows, as other modules see them: offered by the catalogue module.

#include <string>
#include <string_view>
#include <vector>

#include "web/context.hpp"

namespace pratu::platform {

class AgencyDirectory {
 public:
  static constexpr const char* kServiceName = "the agency directory";
  virtual ~AgencyDirectory() = default;
  /// The agency's name in `locale`, or empty when no agency has `code`.
  virtual std::string agency_name(std::string_view code, web::Locale locale) const = 0;
  /// Every agency's code.
  virtual std::vector<std::string> agency_codes() const = 0;
};

}  // namespace pratu::platform
