#pragma once
/// The JSON Schema (draft 2020-12) of a complete answer set of a form: what
/// GET /api/v1/services/{slug}/form/schema answers, so a client can check its answers before
/// sending them. It describes the answers as a submission keeps them (FormEvaluation::pruned:
/// only the questions asked, each answered), and accepts every such set the server accepts;
/// what it cannot express (conditions, cross-field rules, check digits, the address data set)
/// its descriptions name, and the server's check stays the authority.

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>

#include "domains/applications/form.hpp"
#include "domains/applications/thai_address.hpp"

namespace pratu::applications {

/// One complete answer set the server accepts on `today`: every question the form asks given
/// the set's own answers, optional ones too, each with a plausible answer (valid IDs, a real
/// address from `addresses` when given, dates relative to `today`). Nullopt when no set of its
/// candidate answers passes every rule of the form.
std::optional<boost::json::object> example_answers(const Form& form,
                                                   std::chrono::year_month_day today,
                                                   const ThaiAddressBook* addresses);

/// The schema of a complete answer set of `form`, its example (from example_answers on
/// `today`) in `examples`; `addresses` (nullptr allowed) lists the province codes. Titles are
/// the English labels; each description ends with the Thai label ("th: ...").
boost::json::object answer_schema(const Form& form, std::chrono::year_month_day today,
                                  const ThaiAddressBook* addresses);

}  // namespace pratu::applications
