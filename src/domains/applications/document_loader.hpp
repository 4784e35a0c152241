#pragma once
/// Reads services/<agency>/<slug>/document.yaml: every key checked, the state that issues the
/// document looked up in the service's workflow (and one an application can reach), the
/// number's prefix checked to be the agency's, and every answer it shows or names its holder by
/// looked up in the service's form (a file cannot be shown). A template with a problem does not
/// load, and the problem names the file, the line and the place. The format is described in
/// docs/documents.md.

#include <map>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domains/applications/definition_reader.hpp"
#include "domains/applications/document_template.hpp"
#include "domains/applications/form.hpp"
#include "domains/applications/workflow.hpp"
#include "platform/service_directory.hpp"

namespace pratu::applications {

/// The limits a document template must keep to.
inline constexpr std::size_t kMaxDocumentFields = 40;
inline constexpr std::size_t kMaxDocumentConditions = 30;
inline constexpr std::size_t kMaxNumberPrefixLength = 24;
inline constexpr int kMaxValidityDays = 3650;
inline constexpr int kMaxValidityMonths = 120;
inline constexpr int kMaxValidityYears = 10;

/// Parses and checks the document template of `service` from `yaml`, against the service's
/// `form` and `workflow`; `file` names it in problems. On a problem: an invalid_input error
/// whose detail lists every problem found, one a line.
Result<DocumentTemplate> parse_document_template(std::string_view yaml, const std::string& file,
                                                 const platform::ServiceInfo& service,
                                                 const Form& form, const Workflow& workflow);

/// The document templates of the services in `directory` that have one
/// (services/<agency>/<slug>/document.yaml), by slug. A template of a service without a
/// workflow is a problem: nothing could issue it.
Result<DocumentTemplates> load_document_templates(
    const platform::ServiceDirectory& directory,
    const std::map<std::string, Form, std::less<>>& forms, const Workflows& workflows);

}  // namespace pratu::applications
