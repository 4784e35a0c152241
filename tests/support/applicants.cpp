#include "support/applicants.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <boost/json.hpp>

namespace pratu::test {

namespace json = boost::json;

HttpResponse register_applicant(HttpClient& browser, const std::string& national_id,
                                const std::string& password) {
  auto form = browser.get("/register");
  return browser.post_form("/register", {{"national_id", national_id},
                                         {"title", "mrs"},
                                         {"given_name", "สมศรี"},
                                         {"family_name", "มีสุข"},
                                         {"email", "somsri@example.org"},
                                         {"mobile", "0898765432"},
                                         {"password", password},
                                         {"password_confirmation", password},
                                         {"csrf_token", extract_csrf_token(form.body)}});
}

std::unique_ptr<HttpClient> signed_in_applicant(std::uint16_t port, const std::string& national_id,
                                                const std::string& password) {
  auto client = std::make_unique<HttpClient>(port);
  if (national_id != kDemoApplicant) {
    auto registered = register_applicant(*client, national_id, password);
    EXPECT_EQ(registered.status, 303) << registered.body.substr(
        std::min(registered.body.find("error-summary"), registered.body.size()), 1500);
    return client;
  }
  return signed_in(port, national_id, password);
}

std::unique_ptr<HttpClient> signed_in(std::uint16_t port, const std::string& login,
                                      const std::string& password) {
  auto client = std::make_unique<HttpClient>(port);
  auto form = client->get("/login");
  auto in = client->post_form(
      "/login",
      {{"login", login}, {"password", password}, {"csrf_token", extract_csrf_token(form.body)}});
  EXPECT_EQ(in.status, 303) << login;
  return client;
}

std::string api_token(std::uint16_t port, const std::string& login, const std::string& password) {
  HttpClient client(port);
  auto created =
      client.request("POST", "/api/v1/tokens",
                     json::serialize(json::object{{"login", login}, {"password", password}}),
                     {{"Content-Type", "application/json"}});
  EXPECT_EQ(created.status, 201) << created.body;
  if (created.status != 201) return {};
  auto body = json::parse(created.body).as_object();
  EXPECT_TRUE(body.at("expires_at").as_string().ends_with("+07:00"));
  return std::string(body.at("token").as_string());
}

HttpResponse bearer_request(std::uint16_t port, const std::string& token, const std::string& method,
                            const std::string& target, const std::string& body, Headers extra) {
  HttpClient fresh(port);
  extra.emplace_back("Authorization", "Bearer " + token);
  return fresh.request(method, target, body, extra);
}

HttpResponse bearer_json(std::uint16_t port, const std::string& token, const std::string& method,
                         const std::string& target, const boost::json::value& body, Headers extra) {
  std::string text;
  if (!body.is_null()) {
    text = boost::json::serialize(body);
    extra.emplace_back("Content-Type", "application/json");
  }
  return bearer_request(port, token, method, target, text, std::move(extra));
}

boost::json::object json_object(const HttpResponse& response) {
  return boost::json::parse(response.body).as_object();
}

boost::json::object complete_company_certificate_answers() {
  return boost::json::object{{"juristic_id", "0105555000005"},
                             {"requester_name", "สมชาย"},
                             {"kinds", boost::json::array{"certificate"}},
                             {"language", "th"},
                             {"copies", 1},
                             {"declaration", true}};
}

std::string submit_company_certificate(std::uint16_t port, const std::string& token) {
  auto created = bearer_json(port, token, "POST", "/api/v1/applications",
                             boost::json::object{{"service", "company-certificate"}});
  EXPECT_EQ(created.status, 201) << created.body;
  if (created.status != 201) return {};
  const std::string id(json_object(created).at("id").as_string());
  EXPECT_EQ(bearer_json(port, token, "PATCH", "/api/v1/applications/" + id,
                        boost::json::object{{"answers", complete_company_certificate_answers()}})
                .status,
            200);
  auto sent = bearer_request(port, token, "POST", "/api/v1/applications/" + id + "/submit", "",
                             {{"Idempotency-Key", "k-" + id}});
  EXPECT_EQ(sent.status, 201) << sent.body;
  return id;
}

HttpResponse take_step(std::uint16_t port, const std::string& token, const std::string& id,
                       const std::string& transition, boost::json::object extra) {
  auto now = bearer_json(port, token, "GET", "/api/v1/applications/" + id + "/steps");
  EXPECT_EQ(now.status, 200) << now.body;
  if (now.status != 200) return now;
  extra["transition"] = transition;
  extra["revision"] = json_object(now).at("revision");
  return bearer_json(port, token, "POST", "/api/v1/applications/" + id + "/steps", extra);
}

namespace {

// Every file answer of `answers` made file `file` of the wallet.
void use_wallet_file(boost::json::value& answers, const boost::json::object& file) {
  if (answers.is_object()) {
    auto& object = answers.as_object();
    if (object.contains("blob")) {
      object["blob"] = file.at("sha256");
      object["media_type"] = file.at("media_type");
      object["bytes"] = file.at("size_bytes");
      return;
    }
    for (auto& [key, value] : object) use_wallet_file(value, file);
  } else if (answers.is_array()) {
    for (auto& value : answers.as_array()) use_wallet_file(value, file);
  }
}

}  // namespace

boost::json::object wallet_picture(std::uint16_t port, const std::string& token) {
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(4000, '\x42');
  auto created = bearer_request(port, token, "POST", "/api/v1/uploads", {},
                                {{"Tus-Resumable", "1.0.0"},
                                 {"Upload-Length", std::to_string(png.size())},
                                 {"Upload-Metadata", "filename aWQucG5n"}});
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(bearer_request(port, token, "PATCH", created.header("Location"), png,
                           {{"Tus-Resumable", "1.0.0"},
                            {"Upload-Offset", "0"},
                            {"Content-Type", "application/offset+octet-stream"}})
                .status,
            204);
  const auto wallet = json_object(bearer_json(port, token, "GET", "/api/v1/wallet"));
  return wallet.at("documents").as_array().at(0).as_object();
}

boost::json::value example_answers(std::uint16_t port, const std::string& service,
                                   const boost::json::object& file) {
  HttpClient anyone(port);
  boost::json::value answers =
      json_object(anyone.get("/api/v1/services/" + service + "/form/schema"))
          .at("examples")
          .as_array()
          .at(0);
  use_wallet_file(answers, file);
  return answers;
}

std::string draft_of(std::uint16_t port, const std::string& token, const std::string& service,
                     const boost::json::value& answers) {
  auto made = bearer_json(port, token, "POST", "/api/v1/applications",
                          boost::json::object{{"service", service}});
  EXPECT_EQ(made.status, 201) << made.body;
  if (made.status != 201) return {};
  const std::string id(json_object(made).at("id").as_string());
  auto saved = bearer_json(port, token, "PATCH", "/api/v1/applications/" + id,
                           boost::json::object{{"answers", answers}});
  EXPECT_EQ(saved.status, 200) << saved.body;
  return id;
}

}  // namespace pratu::test
