#pragma once
/// Reads services/<agency>/<slug>/form.yaml: every key checked, every expression compiled and
/// type-checked against the fields before it, every document type looked up in the service's
/// catalogue entry. A form with a problem does not load, and the problem names the file, the
/// line, the page and the field. The format is described in docs/forms.md.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domains/applications/definition_reader.hpp"
#include "domains/applications/expression.hpp"
#include "domains/applications/form.hpp"
#include "platform/service_directory.hpp"

namespace pratu::applications {

/// The limits a form must keep to.
inline constexpr std::size_t kMaxPages = 50;
inline constexpr std::size_t kMaxFieldsPerPage = 60;
inline constexpr std::int64_t kMaxGroupItems = 50;
inline constexpr std::int64_t kMaxDocumentBytes = 20 * 1024 * 1024;
inline constexpr std::int64_t kDefaultDocumentBytes = 10 * 1024 * 1024;

/// The type of `field`'s answer as expressions see it (a group: its items' fields).
Symbol symbol_of(const Field& field);

/// Parses and checks the form of `service` from `yaml`; `file` names it in problems. On a
/// problem: an invalid_input error whose detail lists every problem found, one a line.
Result<Form> parse_form(std::string_view yaml, const std::string& file,
                        const platform::ServiceInfo& service);

/// The forms of every service in `directory` (services/<agency>/<slug>/form.yaml), by slug.
/// A service without the file has no form; a form folder of a service the catalogue lacks,
/// or in the wrong agency's folder, is a problem.
Result<std::map<std::string, Form, std::less<>>> load_forms(
    const platform::ServiceDirectory& directory);

}  // namespace pratu::applications
