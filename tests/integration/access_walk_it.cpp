// Every route that names a resource by {id}, walked over the real server with real people and a
// real application: the demo applicant's change of address, which the DOPA's officer has taken,
// noted, written on and sent back for more information. Another applicant, another agency's
// officer, the agency's own clerk at its counter and the administrator learn nothing of it
// (404, or 403 by role for every id alike),
// a visitor is sent to log in, and nothing any of them sends changes it; its applicant and the
// agency's people are let in, and the applicant never sees the agency's notes. Who may use
// each route is written out below, so a route that changes its rule, or a new one, fails here.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domains/accounts/accounts_service.hpp"
#include "storage/database.hpp"
#include "support/applicants.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"
#include "web/access.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

// What only some may see, each written once by the set-up so that any sight of it is a leak.
constexpr std::string_view kNoteMarker = "NOTE-MARKER-7f3a";
constexpr std::string_view kAnswerMarker = "ANSWER-MARKER-c41d";
constexpr std::string_view kAgencyMessage = "AGENCY-MESSAGE-2b8e";
constexpr std::string_view kApplicantMessage = "APPLICANT-MESSAGE-9d06";
constexpr std::string_view kFileMarker = "FILE-MARKER-0c77";
// What a refused request tries to write.
constexpr std::string_view kIntruder = "INTRUDER-e51a";

// The service applied for, its agency (X) and another agency (Y).
constexpr std::string_view kService = "change-of-address";
constexpr std::string_view kAgency = "dopa";
constexpr std::string_view kOtherAgency = "dbd";
// The demo applicant's name (accounts' demo data).
constexpr std::string_view kOwnerGivenName = "สมชาย";
constexpr std::string_view kOwnerFamilyName = "ใจดี";
// The second applicant, registered by the test.
const std::string kStranger = "1101700203034";
const std::string kStrangerPassword = "another long passphrase";
// An id of the same shape as the real ones that names nothing.
const std::string kNoSuchId = "00000000000000000000000000000000";

// A picture by its first bytes, with text that shows wherever its content is sent.
std::string picture() {
  std::string out("\x89PNG\r\n\x1A\n", 8);
  for (int i = 0; i < 250; ++i) out += kFileMarker;
  return out;
}

// The people who try, by what they are to the application.
enum class Persona {
  anonymous,
  owner,                 // applicant A, whose application it is
  other_applicant,       // applicant B
  agency_officer,        // an officer of the agency that serves it (X)
  agency_supervisor,     // a supervisor of that agency
  other_agency_officer,  // an officer of another agency (Y)
  agency_clerk,          // a clerk of the serving agency (X), at its counter (docs/adr/0032)
  admin,
};

// What a request of theirs gets.
enum class Outcome {
  admitted,         // the handler answers them (GETs only are sent: see the walk)
  not_found,        // 404: as if there were no such application
  refused_by_role,  // 403 by the route's rule, for every id alike
  sign_in,          // a page sends them to log in; the API answers 401
};

// Who may use a route that names an application, a wallet document or an upload.
enum class Who {
  owner,             // its applicant alone (Access::applicant, the handler checks whose)
  agency,            // the serving agency's officers and supervisors (Access::agency_officer)
  owner_and_agency,  // both (Access::signed_in, the handler decides)
};

// What each persona gets under each rule, and the rule each route must declare for it. Whoever
// the rule's role admits but the application is not theirs gets 404; whoever it does not admit
// gets 403 before any lookup, for every id alike (the walk checks it against an id that names
// nothing), so neither tells whether an application exists. The administrator runs the
// platform and passes no agency's rule (web/access.hpp): refused by role where the rule names
// a role, not found where the handler decides.
struct Expectation {
  Who who;
  web::Access declared;
  std::map<Persona, Outcome> outcomes;
};

const std::vector<Expectation>& expectations() {
  using enum Outcome;
  static const std::vector<Expectation> table = {
      {Who::owner,
       web::Access::applicant,
       {{Persona::anonymous, sign_in},
        {Persona::owner, admitted},
        {Persona::other_applicant, not_found},
        {Persona::agency_officer, refused_by_role},
        {Persona::agency_supervisor, refused_by_role},
        {Persona::other_agency_officer, refused_by_role},
        {Persona::agency_clerk, refused_by_role},
        {Persona::admin, refused_by_role}}},
      {Who::agency,
       web::Access::agency_officer,
       {{Persona::anonymous, sign_in},
        {Persona::owner, refused_by_role},
        {Persona::other_applicant, refused_by_role},
        {Persona::agency_officer, admitted},
        {Persona::agency_supervisor, admitted},
        {Persona::other_agency_officer, not_found},
        {Persona::agency_clerk, refused_by_role},
        {Persona::admin, refused_by_role}}},
      {Who::owner_and_agency,
       web::Access::signed_in,
       {{Persona::anonymous, sign_in},
        {Persona::owner, admitted},
        {Persona::other_applicant, not_found},
        {Persona::agency_officer, admitted},
        {Persona::agency_supervisor, admitted},
        {Persona::other_agency_officer, not_found},
        {Persona::agency_clerk, not_found},
        {Persona::admin, not_found}}},
  };
  return table;
}

// The expectation of routes that declare `access`, or nullptr when none names an application.
const Expectation* expectation_declared(web::Access access) {
  for (const auto& e : expectations()) {
    if (e.declared == access) return &e;
  }
  return nullptr;
}

const Expectation& expectation(Who who) {
  for (const auto& e : expectations()) {
    if (e.who == who) return e;
  }
  throw std::logic_error("no expectation for a rule");
}

// What {id} names.
enum class Resource { application, wallet_document, upload };

// Text the admitted must find in a GET's answer (the walk's proof that it could see a leak).
enum class Shows { nothing, reference, answer, note, agency_message, file };

// One route of the table that names a resource by {id}.
struct RouteRow {
  std::string method;
  std::string pattern;
  Who who;
  Resource resource = Resource::application;
  int admitted_status = 0;  // a GET's status for those it admits (changes are sent refused only)
  Shows owner_sees = Shows::nothing;
  Shows agency_sees = Shows::nothing;
  // What a change sends: a page's urlencoded fields (its CSRF token is added) or the API's
  // JSON, each what would work if the rule let it through. {revision}, {officer}, {document},
  // {offset}, {rest} and {intruder} are filled in before it goes.
  std::string body;
  Headers headers;
};

const std::vector<RouteRow>& route_rows() {
  using enum Who;
  using enum Shows;
  const Headers tus{{"Tus-Resumable", "1.0.0"}};
  static const std::vector<RouteRow> rows = {
      // The applicant's pages.
      {"GET", "/applications/{id}", owner, Resource::application, 200, reference},
      {"GET", "/applications/{id}/pages/{page}", owner, Resource::application, 303},
      {"POST", "/applications/{id}/pages/{page}", owner, Resource::application, 0, nothing, nothing,
       "_shown=head_name&head_name={intruder}&action=save_and_exit"},
      {"GET", "/applications/{id}/check", owner, Resource::application, 303},
      {"POST", "/applications/{id}/submit", owner, Resource::application, 0, nothing, nothing,
       "submission_key=k-{intruder}"},
      {"GET", "/applications/{id}/confirmation", owner, Resource::application, 200, reference},
      {"POST", "/applications/{id}/profile", owner, Resource::application, 0, nothing, nothing, ""},
      {"GET", "/applications/{id}/receipt", owner, Resource::application, 200, reference},
      {"GET", "/applications/{id}/documents/{path}", owner, Resource::application, 200, file},
      {"GET", "/applications/{id}/amend", owner, Resource::application, 200, answer},
      {"POST", "/applications/{id}/amend", owner, Resource::application, 0, nothing, nothing,
       "revision={revision}&_shown=head_name&head_name={intruder}&action=send"},
      {"POST", "/applications/{id}/steps", owner, Resource::application, 0, nothing, nothing,
       "step=resubmit&revision={revision}"},
      {"POST", "/applications/{id}/messages", owner, Resource::application, 0, nothing, nothing,
       "message={intruder}"},
      {"GET", "/applications/{id}/messages/{message}/file", owner, Resource::application, 200,
       file},
      // The agency's pages.
      {"GET", "/agency/applications/{id}", agency, Resource::application, 200, nothing, note},
      {"POST", "/agency/applications/{id}/steps", agency, Resource::application, 0, nothing,
       nothing, "step=reject&revision={revision}&reject-reason={intruder}"},
      {"POST", "/agency/applications/{id}/assignment", agency, Resource::application, 0, nothing,
       nothing, "expected={officer}&assignee="},
      {"POST", "/agency/applications/{id}/notes", agency, Resource::application, 0, nothing,
       nothing, "note={intruder}"},
      {"POST", "/agency/applications/{id}/messages", agency, Resource::application, 0, nothing,
       nothing, "message={intruder}"},
      {"GET", "/agency/applications/{id}/messages/{message}/file", agency, Resource::application,
       200, nothing, file},
      {"GET", "/agency/applications/{id}/documents/{path}", agency, Resource::application, 200,
       nothing, file},
      // The applicant's API.
      {"GET", "/api/v1/applications/{id}", owner, Resource::application, 200, answer},
      {"PATCH", "/api/v1/applications/{id}", owner, Resource::application, 0, nothing, nothing,
       R"({"answers":{"head_name":"{intruder}"}})"},
      {"POST", "/api/v1/applications/{id}/submit", owner, Resource::application, 0, nothing,
       nothing, "", Headers{{"Idempotency-Key", "k-intruder"}}},
      {"POST", "/api/v1/applications/{id}/documents", owner, Resource::application, 0, nothing,
       nothing, R"({"question":"mover_id_card","document":"{document}"})"},
      {"DELETE", "/api/v1/applications/{id}/documents/{question}", owner, Resource::application, 0},
      {"POST", "/applications/{id}/renew", owner, Resource::application, 0},
      {"POST", "/api/v1/applications/{id}/renewal", owner, Resource::application, 0},
      {"POST", "/api/v1/applications/{id}/amendment", owner, Resource::application, 0, nothing,
       nothing, R"({"answers":{"head_name":"{intruder}"},"revision":{revision},"send":true})"},
      // The workflow's API: the applicant's and the agency's.
      {"GET", "/api/v1/applications/{id}/steps", owner_and_agency, Resource::application, 200},
      {"POST", "/api/v1/applications/{id}/steps", owner_and_agency, Resource::application, 0,
       nothing, nothing, R"({"transition":"resubmit","revision":{revision}})"},
      {"GET", "/api/v1/applications/{id}/messages", owner_and_agency, Resource::application, 200,
       agency_message, agency_message},
      {"POST", "/api/v1/applications/{id}/messages", owner_and_agency, Resource::application, 0,
       nothing, nothing, R"({"body":"{intruder}"})"},
      {"POST", "/api/v1/applications/{id}/assignment", agency, Resource::application, 0, nothing,
       nothing, R"({"assignee":null,"expected":{officer}})"},
      {"GET", "/api/v1/applications/{id}/notes", agency, Resource::application, 200, nothing, note},
      {"POST", "/api/v1/applications/{id}/notes", agency, Resource::application, 0, nothing,
       nothing, R"({"body":"{intruder}"})"},
      // The applicant's wallet and unfinished uploads.
      {"GET", "/documents/{id}", owner, Resource::wallet_document, 200, file},
      {"POST", "/documents/{id}/remove", owner, Resource::wallet_document, 0, nothing, nothing, ""},
      {"GET", "/api/v1/wallet/{id}/content", owner, Resource::wallet_document, 200, file},
      {"DELETE", "/api/v1/wallet/{id}", owner, Resource::wallet_document, 0},
      {"HEAD", "/api/v1/uploads/{id}", owner, Resource::upload, 0, nothing, nothing, "", tus},
      {"PATCH", "/api/v1/uploads/{id}", owner, Resource::upload, 0, nothing, nothing, "{rest}",
       Headers{{"Tus-Resumable", "1.0.0"},
               {"Upload-Offset", "{offset}"},
               {"Content-Type", "application/offset+octet-stream"}}},
      {"DELETE", "/api/v1/uploads/{id}", owner, Resource::upload, 0, nothing, nothing, "", tus},
  };
  return rows;
}

const RouteRow* row_for(const std::string& method, const std::string& pattern) {
  for (const auto& row : route_rows()) {
    if (row.method == method && row.pattern == pattern) return &row;
  }
  return nullptr;
}

std::string replaced(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string key = "{" + name + "}";
    for (auto at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

// The pattern with each {parameter} given, or nullopt naming the one missing in `missing`.
std::optional<std::string> concrete(const std::string& pattern,
                                    const std::map<std::string, std::string>& values,
                                    std::string& missing) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    const auto open = pattern.find('{', i);
    if (open == std::string::npos) {
      out += pattern.substr(i);
      break;
    }
    const auto close = pattern.find('}', open);
    out += pattern.substr(i, open - i);
    const auto name = pattern.substr(open + 1, close - open - 1);
    const auto it = values.find(name);
    if (it == values.end()) {
      missing = name;
      return std::nullopt;
    }
    out += it->second;
    i = close + 1;
  }
  return out;
}

// The page's main heading: what tells one error page from another.
std::string heading(const std::string& html) {
  const auto open = html.find("<h1");
  if (open == std::string::npos) return {};
  const auto start = html.find('>', open);
  const auto end = html.find("</h1>", start);
  if (start == std::string::npos || end == std::string::npos) return {};
  return html.substr(start + 1, end - start - 1);
}

bool contains(const std::string& body, std::string_view text) {
  return body.find(text) != std::string::npos;
}

// One person, signed in through the login page (their pages) and for a token (their API).
struct Actor {
  Persona persona;
  std::string name;
  std::unique_ptr<HttpClient> browser;
  std::string token;  // empty: the API is called with no credentials
  std::string csrf;   // the token their pages' forms carry
};

class AccessWalkIT : public AppTest {
 protected:
  HttpResponse call(const std::string& token, const std::string& method, const std::string& target,
                    const json::value& body = nullptr, Headers extra = {}) {
    return bearer_json(app_->port(), token, method, target, body, std::move(extra));
  }

  Actor actor(Persona persona, std::string name, const std::string& login,
              const std::string& password) {
    Actor a{persona, std::move(name), nullptr, {}, {}};
    if (persona == Persona::anonymous) {
      a.browser = std::make_unique<HttpClient>(app_->port());
      a.csrf = extract_csrf_token(a.browser->get("/login").body);
    } else {
      a.browser = persona == Persona::other_applicant
                      ? signed_in_applicant(app_->port(), login, password)
                      : signed_in(app_->port(), login, password);
      a.token = api_token(app_->port(), login, password);
      EXPECT_FALSE(a.token.empty()) << a.name;
      a.csrf = extract_csrf_token(a.browser->get("/help").body);
    }
    EXPECT_FALSE(a.csrf.empty()) << a.name << " has no CSRF token";
    return a;
  }

  // A tus upload of `bytes` by `token` with the first `send` bytes sent; its URL.
  std::string upload(const std::string& token, const std::string& bytes, std::size_t send) {
    auto created = bearer_request(app_->port(), token, "POST", "/api/v1/uploads", {},
                                  {{"Tus-Resumable", "1.0.0"},
                                   {"Upload-Length", std::to_string(bytes.size())},
                                   {"Upload-Metadata", "filename aWQucG5n"}});  // id.png
    EXPECT_EQ(created.status, 201) << created.body;
    const auto url = created.header("Location");
    auto sent = bearer_request(app_->port(), token, "PATCH", url, bytes.substr(0, send),
                               {{"Tus-Resumable", "1.0.0"},
                                {"Upload-Offset", "0"},
                                {"Content-Type", "application/offset+octet-stream"}});
    EXPECT_EQ(sent.status, 204) << sent.body;
    return url;
  }

  // Takes `transition` as `token` at the application's current revision.
  HttpResponse step(const std::string& token, const std::string& id, const std::string& transition,
                    json::object extra = {}) {
    extra["transition"] = transition;
    extra["revision"] = revision(token, id);
    return call(token, "POST", "/api/v1/applications/" + id + "/steps", extra);
  }

  std::int64_t revision(const std::string& token, const std::string& id) {
    auto now = call(token, "GET", "/api/v1/applications/" + id + "/steps");
    EXPECT_EQ(now.status, 200) << now.body;
    return json_object(now).at("revision").as_int64();
  }

  // A route's request as `who` sends it: pages from their browser with their CSRF token, the
  // API with their token (none for a visitor).
  HttpResponse send(Actor& who, const RouteRow& row, bool api, const std::string& target,
                    const std::map<std::string, std::string>& values) {
    std::string body = replaced(row.body, values);
    Headers headers;
    for (const auto& [name, value] : row.headers) {
      headers.emplace_back(name, replaced(value, values));
    }
    if (!api) {
      if (row.method == "GET") return who.browser->get(target);
      body += std::string(body.empty() ? "" : "&") + "csrf_token=" + url_encode(who.csrf);
      headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      return who.browser->request(row.method, target, body, headers);
    }
    const bool typed = std::any_of(headers.begin(), headers.end(),
                                   [](const auto& h) { return h.first == "Content-Type"; });
    if (!body.empty() && !typed) headers.emplace_back("Content-Type", "application/json");
    if (who.token.empty()) {
      return HttpClient(app_->port()).request(row.method, target, body, headers);
    }
    return bearer_request(app_->port(), who.token, row.method, target, body, headers);
  }

  // Everything about the application, the applicant's files and everybody's profile, as the
  // database holds it: what no refused request may change.
  std::vector<std::string> snapshot(const std::vector<std::string>& applications,
                                    std::int64_t owner) {
    std::vector<std::string> out;
    auto opened = storage::open_database({.url = db_->url()});
    EXPECT_TRUE(opened) << opened.error().detail;
    if (!opened) return out;
    auto read = (*opened)->read([&](storage::Connection& c) -> Result<void> {
      auto add = [&](const std::string& label, std::string_view sql,
                     std::initializer_list<storage::Value> params) -> Result<void> {
        PRATU_TRY(rows, c.query(sql, params));
        out.push_back(label + ": " + std::to_string(rows.size()) + " rows");
        for (const auto& row : rows) {
          std::string line = label + ":";
          for (std::size_t i = 0; i < row.size(); ++i) line += " | " + row.text(i);
          out.push_back(std::move(line));
        }
        return ok();
      };
      constexpr std::string_view kOf =
          "application_id = (SELECT id FROM applications WHERE "
          "public_id = $1) ORDER BY id";
      for (const auto& id : applications) {
        PRATU_CHECK(add("application " + id,
                        "SELECT status, state, revision, answers, assigned_to, assigned_at, "
                        "updated_at, state_since, due_date, applicant_read_upto, agency_read_upto "
                        "FROM applications WHERE public_id = $1",
                        {id}));
        PRATU_CHECK(add("events " + id,
                        "SELECT id, kind, transition, to_state, reason FROM application_events "
                        "WHERE " +
                            std::string(kOf),
                        {id}));
        PRATU_CHECK(
            add("notes " + id,
                "SELECT id, author_user_id, body FROM application_notes WHERE " + std::string(kOf),
                {id}));
        PRATU_CHECK(add("messages " + id,
                        "SELECT id, from_agency, body, file_sha256 FROM application_messages "
                        "WHERE " +
                            std::string(kOf),
                        {id}));
      }
      PRATU_CHECK(add("wallet",
                      "SELECT public_id, sha256, filename FROM wallet_documents WHERE user_id = "
                      "$1 ORDER BY id",
                      {owner}));
      PRATU_CHECK(add("uploads",
                      "SELECT public_id, upload_offset, sha256 FROM uploads WHERE user_id = $1 "
                      "ORDER BY id",
                      {owner}));
      PRATU_CHECK(add("users",
                      "SELECT id, mobile, email, given_name, family_name, updated_at FROM users "
                      "ORDER BY id",
                      {}));
      return ok();
    });
    EXPECT_TRUE(read) << read.error().detail;
    return out;
  }
};

TEST_P(AccessWalkIT, NobodyReadsOrChangesAnApplicationTheyMayNot) {
  const auto port = app_->port();
  const std::string officer_password(accounts::kDemoOfficerPassword);
  const std::string owner_login(accounts::kDemoApplicantNationalId);
  std::vector<Actor> actors;
  actors.push_back(actor(Persona::anonymous, "anonymous", "", ""));
  actors.push_back(actor(Persona::owner, "applicant A", owner_login,
                         std::string(accounts::kDemoApplicantPassword)));
  actors.push_back(actor(Persona::other_applicant, "applicant B", kStranger, kStrangerPassword));
  actors.push_back(actor(Persona::agency_officer, "officer X",
                         accounts::demo_officer_email(kAgency), officer_password));
  actors.push_back(actor(Persona::agency_supervisor, "supervisor X",
                         accounts::demo_supervisor_email(kAgency), officer_password));
  actors.push_back(actor(Persona::other_agency_officer, "officer Y",
                         accounts::demo_officer_email(kOtherAgency), officer_password));
  actors.push_back(actor(Persona::agency_clerk, "clerk X", accounts::demo_cashier_email(kAgency),
                         officer_password));
  actors.push_back(actor(Persona::admin, "admin", std::string(accounts::kDemoAdminEmail),
                         std::string(accounts::kDemoAdminPassword)));
  ASSERT_FALSE(HasFailure()) << "every persona logs in";
  auto token_of = [&](Persona p) -> const std::string& {
    for (const auto& a : actors) {
      if (a.persona == p) return a.token;
    }
    throw std::logic_error("no such persona");
  };
  const std::string& owner = token_of(Persona::owner);
  const std::string& officer = token_of(Persona::agency_officer);
  const std::string& stranger = token_of(Persona::other_applicant);

  // A's files: one whole in the wallet, one upload half sent.
  const std::string file = picture();
  upload(owner, file, file.size());
  const auto wallet = json_object(call(owner, "GET", "/api/v1/wallet"));
  ASSERT_EQ(wallet.at("documents").as_array().size(), 1u);
  const std::string document(wallet.at("documents").at(0).at("id").as_string());
  const std::size_t half = file.size() / 2;
  const std::string upload_url = upload(owner, file, half);
  const std::string upload_id = upload_url.substr(upload_url.rfind('/') + 1);
  ASSERT_FALSE(upload_id.empty());

  // A's application: the form's own example answers, a marker for the name of the head of
  // household, the wallet's file for both documents; then submitted.
  auto created =
      call(owner, "POST", "/api/v1/applications", json::object{{"service", std::string(kService)}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(json_object(created).at("id").as_string());
  auto schema = call(owner, "GET", "/api/v1/services/" + std::string(kService) + "/form/schema");
  ASSERT_EQ(schema.status, 200);
  json::object answers = json_object(schema).at("examples").at(0).as_object();
  for (const char* given : {"mover_id_card", "household_head_consent", "citizen_id", "given_name",
                            "family_name", "mobile"}) {
    answers.erase(given);  // the documents come from the wallet, the rest from the profile
  }
  answers["head_name"] = kAnswerMarker;
  auto patched =
      call(owner, "PATCH", "/api/v1/applications/" + id, json::object{{"answers", answers}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  for (const char* question : {"mover_id_card", "household_head_consent"}) {
    auto attached = call(owner, "POST", "/api/v1/applications/" + id + "/documents",
                         json::object{{"question", question}, {"document", document}});
    ASSERT_EQ(attached.status, 200) << attached.body;
  }
  auto submitted = call(owner, "POST", "/api/v1/applications/" + id + "/submit", nullptr,
                        {{"Idempotency-Key", "k-" + id}});
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  const std::string reference(json_object(submitted).at("reference").as_string());

  // Officer X takes it up, notes it, writes, and asks for more; A answers with a file.
  ASSERT_EQ(step(officer, id, "start_review").status, 200);
  std::int64_t officer_id = 0;
  const auto staff = json_object(call(officer, "GET", "/api/v1/agency/staff"));
  for (const auto& m : staff.at("staff").as_array()) {
    if (m.at("you").as_bool()) officer_id = m.at("id").as_int64();
  }
  ASSERT_NE(officer_id, 0);
  // Starting the review claimed it for them.
  const auto held = json_object(call(officer, "GET", "/api/v1/applications/" + id + "/steps"));
  ASSERT_EQ(held.at("assigned_to"), json::value(officer_id));
  auto noted = call(officer, "POST", "/api/v1/applications/" + id + "/notes",
                    json::object{{"body", "ตรวจแล้ว " + std::string(kNoteMarker)}});
  ASSERT_EQ(noted.status, 201) << noted.body;
  auto written = call(officer, "POST", "/api/v1/applications/" + id + "/messages",
                      json::object{{"body", std::string(kAgencyMessage)}});
  ASSERT_EQ(written.status, 201) << written.body;
  auto asked = step(officer, id, "request_information",
                    {{"reason", "โปรดตรวจชื่อเจ้าบ้าน"}, {"items", json::array{"head_name"}}});
  ASSERT_EQ(asked.status, 200) << asked.body;
  auto answered =
      call(owner, "POST", "/api/v1/applications/" + id + "/messages",
           json::object{{"body", std::string(kApplicantMessage)}, {"document", document}});
  ASSERT_EQ(answered.status, 201) << answered.body;
  std::string message;
  const auto thread = json_object(answered);
  for (const auto& m : thread.at("messages").as_array()) {
    if (m.as_object().contains("file")) message = std::to_string(m.at("id").as_int64());
  }
  ASSERT_FALSE(message.empty());

  // B's own application, with another agency.
  auto theirs = call(stranger, "POST", "/api/v1/applications",
                     json::object{{"service", "company-certificate"}});
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  const std::string their_id(json_object(theirs).at("id").as_string());
  ASSERT_EQ(call(stranger, "PATCH", "/api/v1/applications/" + their_id,
                 json::object{{"answers", complete_company_certificate_answers()}})
                .status,
            200);
  ASSERT_EQ(call(stranger, "POST", "/api/v1/applications/" + their_id + "/submit", nullptr,
                 {{"Idempotency-Key", "k-" + their_id}})
                .status,
            201);
  EXPECT_EQ(call(owner, "GET", "/api/v1/applications/" + their_id).status, 404)
      << "nor does A see B's";

  std::int64_t owner_user = 0;
  {
    auto opened = storage::open_database({.url = db_->url()});
    ASSERT_TRUE(opened) << opened.error().detail;
    ASSERT_TRUE((*opened)->read([&](storage::Connection& c) -> Result<void> {
      PRATU_TRY(row, c.query_one("SELECT id FROM users WHERE national_id = $1", {owner_login}));
      if (row) owner_user = row->int64(0);
      return ok();
    }));
  }
  ASSERT_NE(owner_user, 0);

  // What is filled into the routes and the bodies of their changes.
  const std::map<std::string, std::string> values{
      {"page", "household"},
      {"path", "mover_id_card"},
      {"question", "mover_id_card"},
      {"message", message},
      {"revision", std::to_string(revision(officer, id))},
      {"officer", std::to_string(officer_id)},
      {"document", document},
      {"offset", std::to_string(half)},
      {"rest", file.substr(half)},
      {"intruder", std::string(kIntruder)},
  };
  auto resource_id = [&](Resource r, bool real) {
    switch (r) {
      case Resource::wallet_document: return real ? document : kNoSuchId;
      case Resource::upload: return real ? upload_id : kNoSuchId;
      case Resource::application: break;
    }
    return real ? id : kNoSuchId;
  };
  // What nobody but A and the agency may see; the note, A neither.
  const std::vector<std::string_view> secrets{reference,       kAnswerMarker,     kNoteMarker,
                                              kAgencyMessage,  kApplicantMessage, kFileMarker,
                                              kOwnerGivenName, kOwnerFamilyName,  owner_login};
  const std::vector<std::string_view> agency_only{kNoteMarker};
  auto hidden_from = [&](Persona p) -> const std::vector<std::string_view>& {
    return p == Persona::owner ? agency_only : secrets;
  };

  // Every route that names something by {id}, with its row of the table; one the table does
  // not know is walked all the same, as the rule it declares says, but fails until it has one.
  const auto table = app_->app().route_table();
  struct Walked {
    const app::Application::RouteEntry* route;
    RouteRow row;
  };
  std::vector<Walked> walked;
  for (const auto& route : table) {
    if (route.pattern.find("{id}") == std::string::npos) continue;
    ASSERT_TRUE(route.access.has_value()) << route.pattern;
    EXPECT_EQ(route.api, route.pattern.starts_with("/api/")) << route.pattern;
    if (const RouteRow* row = row_for(route.method, route.pattern)) {
      EXPECT_EQ(*route.access, expectation(row->who).declared)
          << route.method << " " << route.pattern << " declares " << web::access_name(*route.access)
          << ", the table expects " << web::access_name(expectation(row->who).declared);
      walked.push_back({&route, *row});
      continue;
    }
    const auto* rule = expectation_declared(*route.access);
    ADD_FAILURE() << route.method << " " << route.pattern << " (" << web::access_name(*route.access)
                  << ") names an {id} but is not in route_rows(): add a row saying who may use it"
                  << (rule != nullptr ? "; walked as its rule says" : "");
    if (rule != nullptr)
      walked.push_back({&route, RouteRow{route.method, route.pattern, rule->who}});
  }
  for (const auto& row : route_rows()) {
    const bool served = std::any_of(walked.begin(), walked.end(), [&](const Walked& w) {
      return w.route->method == row.method && w.route->pattern == row.pattern;
    });
    EXPECT_TRUE(served) << row.method << " " << row.pattern << " is in the table but not served";
  }

  // The refused: every route, every persona it does not admit, the real id and one that names
  // nothing, each answered alike; and afterwards everything as it was.
  const auto before = snapshot({id, their_id}, owner_user);
  ASSERT_FALSE(before.empty());
  int refused_checks = 0;
  for (const auto& [route, row] : walked) {
    for (auto& who : actors) {
      const Outcome outcome = expectation(row.who).outcomes.at(who.persona);
      if (outcome == Outcome::admitted) continue;
      auto with = values;
      with["id"] = resource_id(row.resource, true);
      std::string missing;
      const auto target = concrete(row.pattern, with, missing);
      ASSERT_TRUE(target) << "no value for {" << missing << "}";
      with["id"] = resource_id(row.resource, false);
      const auto elsewhere = *concrete(row.pattern, with, missing);
      SCOPED_TRACE(who.name + ": " + row.method + " " + *target);
      ++refused_checks;

      const auto response = send(who, row, route->api, *target, values);
      const auto control = send(who, row, route->api, elsewhere, values);
      EXPECT_FALSE(response.status >= 200 && response.status < 300) << response.status;
      EXPECT_EQ(response.status, control.status)
          << "answered otherwise than for an id that names nothing";
      for (const auto secret : hidden_from(who.persona)) {
        EXPECT_FALSE(contains(response.body, secret)) << "shows " << secret;
        EXPECT_FALSE(contains(response.header("Location"), secret)) << "sends to " << secret;
      }
      const bool problem = response.header("Content-Type") == "application/problem+json";
      switch (outcome) {
        case Outcome::sign_in:
          if (route->api) {
            EXPECT_EQ(response.status, 401);
            EXPECT_TRUE(problem);
          } else {
            EXPECT_EQ(response.status, 303);
            EXPECT_TRUE(response.header("Location").starts_with("/login?next="))
                << response.header("Location");
            if (row.method == "GET") {
              EXPECT_EQ(response.header("Location"), "/login?next=" + url_encode(*target));
            }
          }
          break;
        case Outcome::refused_by_role:
          EXPECT_EQ(response.status, 403);
          if (route->api) EXPECT_TRUE(problem);
          break;
        case Outcome::not_found:
          EXPECT_EQ(response.status, 404);
          if (route->api) {
            EXPECT_TRUE(problem);
          } else {
            EXPECT_FALSE(heading(response.body).empty());
            EXPECT_EQ(heading(response.body), heading(control.body))
                << "not the same not-found page";
          }
          break;
        case Outcome::admitted: break;
      }
    }
  }
  EXPECT_EQ(snapshot({id, their_id}, owner_user), before)
      << "a refused request changed the application, a file or a profile";
  EXPECT_EQ(std::count_if(before.begin(), before.end(),
                          [&](const std::string& l) { return l == "notes " + id + ": 1 rows"; }),
            1);
  EXPECT_EQ(std::count_if(before.begin(), before.end(),
                          [&](const std::string& l) { return l == "messages " + id + ": 2 rows"; }),
            1);

  // The admitted: every GET, each with its status; the applicant never sees the agency's notes.
  int admitted_checks = 0;
  for (const auto& [route, row] : walked) {
    if (row.method != "GET") continue;
    for (auto& who : actors) {
      if (expectation(row.who).outcomes.at(who.persona) != Outcome::admitted) continue;
      auto with = values;
      with["id"] = resource_id(row.resource, true);
      std::string missing;
      const auto target = *concrete(row.pattern, with, missing);
      SCOPED_TRACE(who.name + ": GET " + target);
      ++admitted_checks;
      const auto response = send(who, row, route->api, target, values);
      if (row.admitted_status != 0) {
        EXPECT_EQ(response.status, row.admitted_status) << response.body.substr(0, 500);
      } else {  // a route the table does not know: at least not refused
        EXPECT_TRUE(response.status != 401 && response.status != 403 && response.status != 404)
            << response.status;
      }
      EXPECT_FALSE(response.header("Location").starts_with("/login"));
      const bool is_owner = who.persona == Persona::owner;
      if (is_owner)
        EXPECT_FALSE(contains(response.body, kNoteMarker)) << "A sees the agency's note";
      const Shows shows = is_owner ? row.owner_sees : row.agency_sees;
      const std::map<Shows, std::string_view> text{{Shows::reference, reference},
                                                   {Shows::answer, kAnswerMarker},
                                                   {Shows::note, kNoteMarker},
                                                   {Shows::agency_message, kAgencyMessage},
                                                   {Shows::file, kFileMarker}};
      if (shows != Shows::nothing) {
        EXPECT_TRUE(contains(response.body, text.at(shows))) << "does not show " << text.at(shows);
      }
    }
  }

  // Every other GET of the table: A never sees the note, and those with no part in the
  // application see nothing of it anywhere.
  // A document number names no application: none exists here (documents_it walks them).
  const std::map<std::string, std::string> samples{{"slug", std::string(kService)},
                                                   {"code", std::string(kAgency)},
                                                   {"number", "DBD-C-2569-999999"},
                                                   {"bill", "00000000000000000000000000000000"},
                                                   {"bank", "sim"},
                                                   {"import", "999999"},
                                                   {"line", "999999"},
                                                   {"receipt", "BMA-2570-001-999999"},
                                                   {"user", "999999"}};
  int swept = 0;
  for (const auto& route : table) {
    if (route.method != "GET" || route.pattern.find("{id}") != std::string::npos) continue;
    std::string missing;
    const auto target = concrete(route.pattern, samples, missing);
    ASSERT_TRUE(target) << route.pattern << ": no sample value for {" << missing << "}";
    for (auto& who : actors) {
      if (who.persona == Persona::agency_officer || who.persona == Persona::agency_supervisor) {
        continue;  // the agency's own queue lists it
      }
      SCOPED_TRACE(who.name + ": GET " + *target);
      ++swept;
      const auto response = route.api && !who.token.empty()
                                ? bearer_request(port, who.token, "GET", *target)
                                : who.browser->get(*target);
      if (who.persona == Persona::owner) {
        EXPECT_FALSE(contains(response.body, kNoteMarker)) << "A sees the agency's note";
        continue;
      }
      for (const auto secret : secrets) {
        // The demo applicant's name is also the sample name of the public form schemas.
        const bool name = secret == kOwnerGivenName || secret == kOwnerFamilyName;
        if (name && route.access == web::Access::anyone) continue;
        EXPECT_FALSE(contains(response.body, secret)) << "shows " << secret;
      }
    }
  }
  RecordProperty("refused_checks", refused_checks);
  RecordProperty("admitted_checks", admitted_checks);
  RecordProperty("swept_gets", swept);
  EXPECT_GT(refused_checks, 0);
  EXPECT_GT(admitted_checks, 0);
  EXPECT_GT(swept, 0);
}

PRATU_INSTANTIATE_ENGINE_TESTS(AccessWalkIT);

}  // namespace
}  // namespace pratu::test
