#pragma once
/// Applicants for integration tests through the real server: registered through the page,
/// tokens from POST /api/v1/tokens, and API calls that carry a token and no cookies.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "support/http_client.hpp"

namespace pratu::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// The demo applicant's login and password.
inline const std::string kDemoApplicant = "1234567890121";
inline const std::string kDemoApplicantPassword = "pratu-demo-applicant";

/// Registers an applicant with `national_id` and `password` through the page in `browser`,
/// which then holds their session; the answer (303 when registered).
HttpResponse register_applicant(HttpClient& browser, const std::string& national_id,
                                const std::string& password);

/// A browser-like client on `port` signed in as the demo applicant, or as a new applicant
/// registered with `national_id` and `password`; a test failure when that does not work.
std::unique_ptr<HttpClient> signed_in_applicant(
    std::uint16_t port, const std::string& national_id = kDemoApplicant,
    const std::string& password = kDemoApplicantPassword);

/// A browser-like client on `port` signed in through the login page as `login` (any account:
/// an applicant, an officer, a supervisor); a test failure when that does not work.
std::unique_ptr<HttpClient> signed_in(std::uint16_t port, const std::string& login,
                                      const std::string& password);

/// A token for `login` from POST /api/v1/tokens on `port`; empty, with a test failure, when
/// none is given.
std::string api_token(std::uint16_t port, const std::string& login, const std::string& password);

/// Sends a request with `token` as its bearer on a fresh connection, with no cookies.
HttpResponse bearer_request(std::uint16_t port, const std::string& token, const std::string& method,
                            const std::string& target, const std::string& body = {},
                            Headers extra = {});

/// The same with `body` as JSON (none when null).
HttpResponse bearer_json(std::uint16_t port, const std::string& token, const std::string& method,
                         const std::string& target, const boost::json::value& body = nullptr,
                         Headers extra = {});

/// The body of `response` as a JSON object (throws when it is not one).
boost::json::object json_object(const HttpResponse& response);

/// Every answer the demo service company-certificate needs before it can be submitted, as
/// the API takes them (`PATCH /api/v1/applications/{id}` with {"answers": ...}).
boost::json::object complete_company_certificate_answers();

/// A company-certificate application (the DBD's) of the person holding `token`, created,
/// answered in full and submitted over the API on `port`; its public id (test failures when a
/// call does not answer as expected).
std::string submit_company_certificate(std::uint16_t port, const std::string& token);

/// A picture uploaded to the wallet of the person holding `token` on `port`: the wallet's
/// entry.
boost::json::object wallet_picture(std::uint16_t port, const std::string& token);
/// Demo service `service`'s example answers (its form's schema), every file `file` of the
/// wallet.
boost::json::value example_answers(std::uint16_t port, const std::string& service,
                                   const boost::json::object& file);
/// A draft of `service` by the person holding `token`, with `answers`: its public id.
std::string draft_of(std::uint16_t port, const std::string& token, const std::string& service,
                     const boost::json::value& answers);
/// Takes workflow step `transition` of application `id` as `token` at its current revision,
/// with `extra` fields in the body (a reason, items, checklist_confirmed).
HttpResponse take_step(std::uint16_t port, const std::string& token, const std::string& id,
                       const std::string& transition, boost::json::object extra = {});

}  // namespace pratu::test
