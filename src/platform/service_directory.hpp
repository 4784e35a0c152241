#pragma once
/// The services Pratu offers, as other modules see them: offered by the catalogue module from
/// its files while the modules prepare, so a later module can read its own files beside each
/// service's (services/<agency>/<slug>/form.yaml, ...) before anything starts.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pratu::platform {

/// A document a service asks for, by the key a form names it with.
struct ServiceDocument {
  std::string key;  // "house_registration"; empty when the catalogue gives none
  std::string name_th, name_en;
  bool required = true;
};

/// What other modules need to know of one service.
struct ServiceInfo {
  std::string slug;
  std::string agency;  // the agency's code
  std::string name_th, name_en;
  int time_limit_working_days = 0;
  std::vector<ServiceDocument> documents;
  std::string source_file;  // "services/dbd/commercial-registration.yaml"
};

class ServiceDirectory {
 public:
  static constexpr const char* kServiceName = "the service directory";
  virtual ~ServiceDirectory() = default;
  /// The catalogue's directory: services/<agency>/<slug>/ holds a service's other files.
  virtual std::filesystem::path directory() const = 0;
  /// The service `slug`, or nullptr.
  virtual const ServiceInfo* service(std::string_view slug) const = 0;
  /// Every service, by slug.
  virtual std::vector<const ServiceInfo*> services() const = 0;
};

}  // namespace pratu::platform
