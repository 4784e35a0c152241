#pragma once
/// A form definition as JSON: what GET /api/v1/services/{slug}/form answers, so an API client
/// builds its screens from the same definition the HTML pages come from.

#include <boost/json/object.hpp>

#include "domains/applications/form.hpp"

namespace pratu::applications {

/// The whole definition: texts in both languages, expressions as written.
boost::json::object form_json(const Form& form);

}  // namespace pratu::applications
