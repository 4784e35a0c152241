// Every route in the route table, walked with every role: each declares an access rule, and
// the server enforces it before the handler runs — a page that needs a login sends the visitor
// to the login page and back, the API answers 401 or 403 as problem+json, and a person whose
// role the rule does not admit gets 403.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

#include "domains/accounts/accounts_service.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"
#include "web/access.hpp"

namespace pratu::test {
namespace {

struct Persona {
  std::string name;
  std::optional<web::Principal> principal;  // what the rule sees; nullopt: nobody logged in
  std::string login;
  std::string password;
};

std::vector<Persona> personas() {
  auto principal = [](web::Role role, std::string agency, unsigned duties = 0) {
    web::Principal p;
    p.user_id = 1;
    p.role = role;
    p.agency_code = std::move(agency);
    p.duties = duties;
    return std::optional<web::Principal>(p);
  };
  return {
      {"anonymous", std::nullopt, "", ""},
      {"applicant", principal(web::Role::applicant, ""),
       std::string(accounts::kDemoApplicantNationalId),
       std::string(accounts::kDemoApplicantPassword)},
      {"officer", principal(web::Role::officer, "bma"), accounts::demo_officer_email("bma"),
       std::string(accounts::kDemoOfficerPassword)},
      {"supervisor", principal(web::Role::supervisor, "bma"),
       accounts::demo_supervisor_email("bma"), std::string(accounts::kDemoOfficerPassword)},
      {"admin", principal(web::Role::admin, ""), std::string(accounts::kDemoAdminEmail),
       std::string(accounts::kDemoAdminPassword)},
      // Officers whose duty is the money (docs/adr/0028).
      // The demo's cashier and finance officer are clerks (docs/adr/0032).
      {"cashier", principal(web::Role::clerk, "bma", static_cast<unsigned>(web::Duty::cashier)),
       accounts::demo_cashier_email("bma"), std::string(accounts::kDemoOfficerPassword)},
      {"finance officer",
       principal(web::Role::clerk, "bma", static_cast<unsigned>(web::Duty::finance)),
       accounts::demo_finance_email("bma"), std::string(accounts::kDemoOfficerPassword)},
  };
}

// A value for each route parameter: a real resource of the demo data.
const std::map<std::string, std::string>& sample_parameters() {
  static const std::map<std::string, std::string> samples = {
      {"slug", "commercial-registration"},
      {"code", "bma"},
      {"id", "00000000000000000000000000000000"},  // no such application: 404, never 403
      {"page", "trader"},
      {"path", "mover_id_card"},                     // a document of that application: 404 as well
      {"question", "mover_id_card"},                 // the same, over the API
      {"message", "1"},                              // a message of that application: 404 as well
      {"number", "DBD-C-2569-999999"},               // no such document: 404 for whoever may look
      {"bill", "00000000000000000000000000000000"},  // no such bill: 404 for whoever may look
      {"bank", "sim"},       // the demo's bank: its HMAC, not a role, admits a confirmation
      {"import", "999999"},  // no such statement import: 404 for its agency's finance officers
      {"line", "999999"},    // no such statement line: 404 for its agency's finance officers
      {"receipt", "BMA-2570-001-999999"},  // no such receipt: 404 for whoever may look
      {"user", "999999"},                  // no such staff member: 404 for the agency's supervisors
      // /api/v1/uploads/{id} shares {id}: no such upload, 404 as well (or 412 without tus)
  };
  return samples;
}

// The pattern with every {parameter} replaced by its sample; nullopt names a missing sample.
std::optional<std::string> concrete(const std::string& pattern, std::string& missing) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    auto open = pattern.find('{', i);
    if (open == std::string::npos) {
      out += pattern.substr(i);
      break;
    }
    auto close = pattern.find('}', open);
    out += pattern.substr(i, open - i);
    auto name = pattern.substr(open + 1, close - open - 1);
    auto it = sample_parameters().find(name);
    if (it == sample_parameters().end()) {
      missing = name;
      return std::nullopt;
    }
    out += it->second;
    i = close + 1;
  }
  return out;
}

class AccessIT : public AppTest {
 protected:
  // A client logged in as `persona` (anonymous: no login).
  std::unique_ptr<HttpClient> client_as(const Persona& persona) {
    auto client = std::make_unique<HttpClient>(app_->port());
    if (!persona.principal) return client;
    auto form = client->get("/login");
    auto response = client->post_form("/login", {{"login", persona.login},
                                                 {"password", persona.password},
                                                 {"csrf_token", extract_csrf_token(form.body)}});
    EXPECT_EQ(response.status, 303) << persona.name << " could not log in";
    return client;
  }

  // A request as a browser would send it: a POST carries the CSRF token of the person's pages,
  // so what is tested is the access rule, not the token.
  HttpResponse send(HttpClient& client, const Persona& persona, const std::string& method,
                    const std::string& target) {
    if (method == "GET") return client.get(target);
    auto page = client.get(persona.principal ? "/help" : "/login");
    const auto token = extract_csrf_token(page.body);
    if (target.starts_with("/api/")) {
      // The API takes JSON, and a session's token in a header.
      return client.request(method, target, "{}",
                            {{"Content-Type", "application/json"}, {"X-CSRF-Token", token}});
    }
    return client.post_form(target, {{"csrf_token", token}});
  }
};

TEST_P(AccessIT, EveryRouteDeclaresARuleAndEveryRoleMeetsIt) {
  const auto table = app_->app().route_table();
  ASSERT_FALSE(table.empty());
  for (const auto& route : table) {
    ASSERT_TRUE(route.access.has_value())
        << route.method << " " << route.pattern << " declares no access rule";
  }
  for (const auto& persona : personas()) {
    auto client = client_as(persona);
    for (const auto& route : table) {
      SCOPED_TRACE(persona.name + ": " + route.method + " " + route.pattern + " (" +
                   std::string(web::access_name(*route.access)) + ")");
      std::string missing;
      auto target = concrete(route.pattern, missing);
      ASSERT_TRUE(target) << "no sample value for {" << missing << "}: add one";
      // A POST may end the session (logout): each gets a fresh login.
      std::unique_ptr<HttpClient> own;
      if (route.method != "GET") own = client_as(persona);
      HttpClient& c = own ? *own : *client;
      auto response = send(c, persona, route.method, *target);
      const bool to_login =
          response.status == 303 && response.header("Location").rfind("/login?next=", 0) == 0;
      // A bank's confirmation carries its own credential, a signature, whoever sends it: an
      // unsigned one is refused as such for everybody (docs/bank-webhook.md).
      if (route.pattern == "/api/v1/banks/{bank}/confirmations") {
        EXPECT_EQ(response.status, 401);
        EXPECT_NE(response.body.find("payments.confirmation.missing_signature"), std::string::npos)
            << response.body;
        continue;
      }
      switch (web::decide(*route.access, persona.principal, "")) {
        case web::Verdict::allow:
          EXPECT_FALSE(to_login);
          EXPECT_NE(response.status, 401);
          if (response.status == 403) {
            // Only /metrics refuses by address rather than by role, and this is loopback.
            ADD_FAILURE() << "refused with 403";
          }
          break;
        case web::Verdict::sign_in:
          if (route.api) {
            EXPECT_EQ(response.status, 401);
            EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
          } else {
            EXPECT_TRUE(to_login) << response.status << " " << response.header("Location");
            if (route.method == "GET") {
              EXPECT_EQ(response.header("Location"), "/login?next=" + url_encode(*target));
            }
          }
          break;
        case web::Verdict::forbid:
          EXPECT_EQ(response.status, 403);
          if (route.api) EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
          break;
      }
    }
  }
}

TEST_P(AccessIT, ALoginComesBackToThePageThatAskedForIt) {
  auto first = client_->get("/account/password");
  ASSERT_EQ(first.status, 303);
  ASSERT_EQ(first.header("Location"), "/login?next=%2Faccount%2Fpassword");
  auto form = client_->get(first.header("Location"));
  ASSERT_EQ(form.status, 200);
  auto login =
      client_->post_form("/login", {{"login", std::string(accounts::kDemoApplicantNationalId)},
                                    {"password", std::string(accounts::kDemoApplicantPassword)},
                                    {"next", "/account/password"},
                                    {"csrf_token", extract_csrf_token(form.body)}});
  EXPECT_EQ(login.status, 303);
  EXPECT_EQ(login.header("Location"), "/account/password");
  EXPECT_EQ(client_->get("/account/password").status, 200);
}

TEST_P(AccessIT, ADemoSupervisorLogsInWithTheirRole) {
  auto client = client_as(personas()[3]);
  auto account = client->get("/account");
  ASSERT_EQ(account.status, 200);
  EXPECT_NE(account.body.find("หัวหน้างาน"), std::string::npos) << "the supervisor role is shown";
}

PRATU_INSTANTIATE_ENGINE_TESTS(AccessIT);

}  // namespace
}  // namespace pratu::test
