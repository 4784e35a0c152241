#pragma once
/// The applications module's side of issuing (platform/document_source.hpp): what an
/// application's document says, from its service's document template and its answers, each
/// answer written as the check-your-answers page writes it, in Thai and in English.

#include <map>
#include <string>

#include "domains/applications/document_template.hpp"
#include "domains/applications/form.hpp"
#include "domains/applications/thai_address.hpp"
#include "platform/document_source.hpp"
#include "web/render.hpp"

namespace pratu::applications {

class ApplicationDocuments final : public platform::DocumentSource {
 public:
  ApplicationDocuments(const DocumentTemplates& templates,
                       const std::map<std::string, Form, std::less<>>& forms)
      : templates_(templates), forms_(forms) {}

  /// What answers are written with, once the module has started.
  void use(const web::Translations& translations, const ThaiAddressBook* addresses) {
    translations_ = &translations;
    addresses_ = addresses;
  }

  std::vector<platform::IssuingService> issuing_services() const override;
  Result<platform::DocumentContent> content(storage::Connection& c,
                                            std::string_view application) const override;

 private:
  const DocumentTemplates& templates_;
  const std::map<std::string, Form, std::less<>>& forms_;
  const web::Translations* translations_ = nullptr;
  const ThaiAddressBook* addresses_ = nullptr;
};

}  // namespace pratu::applications
