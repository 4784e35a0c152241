#pragma once
/// The services Pratu offers, as other modules see them: offered by the catalogue module from
/// its files while the modules prepare, so a later module can read its own files beside each
/// service's (services/<agency>/<slug>/form.yaml, ...) before anything starts.

#include <cstdint>
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

/// One fee line of a service, as a bill needs it (docs/adr/0026); amounts in satang. The
/// expressions are in the forms' language and are checked by the module that holds the forms.
struct ServiceFee {
  std::string code;
  std::string label_th, label_en;
  std::int64_t amount_satang = 0;  // a unit's amount when `quantity_of` is set
  std::string when;                // a condition; empty: always
  std::string for_each;            // a repeating group; empty: once
  std::string quantity_of;         // an integer expression; empty: one unit
  std::int64_t quantity_per = 1;   // charged per started `quantity_per` of it
  std::string unit_th, unit_en;    // the unit charged
  std::int64_t minimum_satang = 0;
  bool stamp_duty = false;
};

/// What other modules need to know of one service.
struct ServiceInfo {
  std::string slug;
  std::string agency;  // the agency's code
  std::string name_th, name_en;
  int time_limit_working_days = 0;
  std::vector<ServiceDocument> documents;
  std::string source_file;  // "services/dbd/commercial-registration.yaml"
  std::vector<ServiceFee> fees;

  /// The fee `code`, or nullptr.
  const ServiceFee* fee(std::string_view code) const {
    for (const ServiceFee& f : fees) {
      if (f.code == code) return &f;
    }
    return nullptr;
  }
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
