// Documents on the form's pages, with script off, through the real server on SQLite and
// PostgreSQL: a file sent with the page (multipart) is judged by its content and attached,
// what was typed survives a refused file, a file from the wallet is attached without sending
// it again, Remove takes it off, and nobody attaches what they did not upload — neither
// through the page nor through the API.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "domains/accounts/accounts_service.hpp"
#include "storage/database.hpp"
#include "support/applicants.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kBoundary = "----PratuTestBoundary7MA4YWxkTrZu0gW";
constexpr std::string_view kDocuments = "/pages/supporting_documents";

// A picture by its first bytes: the platform judges files by content, not by name.
std::string png() { return std::string("\x89PNG\r\n\x1A\n", 8) + std::string(4000, '\x42'); }

struct File {
  std::string field;
  std::string filename;
  std::string bytes;
};

std::string multipart(const Fields& fields, const std::vector<File>& files) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + name +
            "\"\r\n\r\n" + value + "\r\n";
  }
  for (const auto& f : files) {
    body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
            f.field + "\"; filename=\"" + f.filename +
            "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + f.bytes + "\r\n";
  }
  return body + "--" + std::string(kBoundary) + "--\r\n";
}

class DocumentsIT : public AppTest {
 protected:
  std::unique_ptr<HttpClient> applicant(const std::string& national_id = kDemoApplicant,
                                        const std::string& password = kDemoApplicantPassword) {
    return signed_in_applicant(app_->port(), national_id, password);
  }

  static std::string start(HttpClient& client, const std::string& slug) {
    auto page = client.get("/applications");
    auto started = client.post_form("/services/" + slug + "/apply",
                                    {{"csrf_token", extract_csrf_token(page.body)}});
    EXPECT_EQ(started.status, 303) << started.body.substr(0, 2000);
    const auto location = started.header("Location");
    return location.substr(0, location.find("/pages/"));
  }

  // Posts the documents page as a browser with script off does: multipart, with the token.
  static HttpResponse post_page(HttpClient& client, const std::string& app, Fields fields,
                                const std::vector<File>& files, const std::string& query = {}) {
    const auto page = client.get(app + std::string(kDocuments));
    fields.emplace_back("csrf_token", extract_csrf_token(page.body));
    fields.emplace_back("_shown", "mover_id_card");
    fields.emplace_back("_shown", "household_head_consent");
    return client.request(
        "POST", app + std::string(kDocuments) + query, multipart(fields, files),
        {{"Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary)}});
  }

  // Adds a sign to the signs page of signboard-tax draft `app` as the page's Add button does;
  // its item key.
  static std::string add_sign(HttpClient& client, const std::string& app) {
    const std::string signs = app + "/pages/signs";
    auto empty = client.get(signs);
    auto added = client.request(
        "POST", signs,
        multipart({{"csrf_token", extract_csrf_token(empty.body)},
                   {"_shown", "signs"},
                   {"action", "add:signs"}},
                  {}),
        {{"Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary)}});
    EXPECT_EQ(added.status, 303) << added.body.substr(0, 2000);
    const auto one = client.get(signs).body;
    const std::string marker = "name=\"signs._items\" value=\"";
    const auto at = one.find(marker);
    if (at == std::string::npos) return {};
    return one.substr(at + marker.size(), one.find('"', at + marker.size()) - at - marker.size());
  }

  // Uploads `bytes` as `filename` over tus with `token`, sending only `send` bytes of it when
  // given; the upload's URL.
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

  // The wallet document ids a page offers to pick from, in order.
  static std::vector<std::string> offered(const std::string& html) {
    std::vector<std::string> ids;
    const std::string select = "name=\"household_head_consent.wallet\"";
    auto at = html.find(select);
    const auto end = html.find("</select>", at);
    while (at != std::string::npos && (at = html.find("<option value=\"", at)) < end) {
      at += 15;
      const auto id = html.substr(at, html.find('"', at) - at);
      if (!id.empty()) ids.push_back(id);
    }
    return ids;
  }
};

TEST_P(DocumentsIT, AFileSentWithThePageIsJudgedByContentAttachedAndRemovable) {
  auto client = applicant();
  const auto app = start(*client, "change-of-address");
  auto empty = client->get(app + std::string(kDocuments) + "?lang=en");
  ASSERT_EQ(empty.status, 200);
  EXPECT_NE(empty.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_NE(empty.body.find("type=\"file\""), std::string::npos);
  EXPECT_NE(empty.body.find("A PDF, JPEG or PNG file, up to"), std::string::npos);

  // A picture named .pdf: attached as what it is.
  auto attached = post_page(*client, app, {{"action", "attach:mover_id_card"}},
                            {{"mover_id_card", "บัตร.pdf", png()}});
  ASSERT_EQ(attached.status, 303) << attached.body.substr(0, 3000);
  EXPECT_EQ(attached.header("Location"), app + std::string(kDocuments) + "#mover_id_card");
  auto shown = client->get(app + std::string(kDocuments) + "?lang=en");
  EXPECT_NE(shown.body.find("<strong>บัตร.pdf</strong> (4 KB, picture)"), std::string::npos)
      << shown.body;

  // Text called .pdf is refused with its reason, on the field; the attachment above stays.
  auto refused =
      post_page(*client, app, {{"action", "continue"}},
                {{"household_head_consent", "consent.pdf", "just words, no PDF"}}, "?lang=en");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("<a href=\"#household_head_consent\">This file is not a PDF, JPEG"),
            std::string::npos)
      << refused.body.substr(0, 3000);
  EXPECT_NE(refused.body.find("<strong>บัตร.pdf</strong>"), std::string::npos);

  // The file uploaded once is offered for the other question, and attached from the wallet.
  const auto ids = offered(refused.body);
  ASSERT_EQ(ids.size(), 1u) << refused.body;
  auto picked = post_page(*client, app,
                          {{"action", "continue"}, {"household_head_consent.wallet", ids[0]}}, {});
  EXPECT_EQ(picked.status, 303) << picked.body.substr(0, 3000);
  auto both = client->get(app + std::string(kDocuments));
  EXPECT_EQ(both.body.find("ยังไม่ได้แนบ"), std::string::npos) << "both attached";

  // Remove takes it off again; nothing else changes.
  auto removed = post_page(*client, app, {{"action", "detach:mover_id_card"}}, {});
  EXPECT_EQ(removed.status, 303);
  auto after = client->get(app + std::string(kDocuments) + "?lang=en");
  EXPECT_NE(after.body.find("Not attached yet."), std::string::npos);
  EXPECT_NE(after.body.find("<strong>บัตร.pdf</strong>"), std::string::npos)
      << "the other question keeps its file";

  // The form's own check: a required document missing stops Continue.
  auto missing = post_page(*client, app, {{"action", "continue"}}, {}, "?lang=en");
  EXPECT_EQ(missing.status, 422);
  EXPECT_NE(missing.body.find("<a href=\"#mover_id_card\">Attach the document"), std::string::npos)
      << missing.body.substr(0, 3000);
}

TEST_P(DocumentsIT, NobodyAttachesAFileTheyDidNotUpload) {
  auto owner = applicant();
  const auto app = start(*owner, "change-of-address");
  ASSERT_EQ(post_page(*owner, app, {{"action", "attach:mover_id_card"}},
                      {{"mover_id_card", "id.png", png()}})
                .status,
            303);
  const auto ids = offered(owner->get(app + std::string(kDocuments)).body);
  ASSERT_EQ(ids.size(), 1u);

  // Another person naming the owner's wallet document: not theirs, so not found.
  auto stranger = applicant("1101700203034", "another long passphrase");
  const auto theirs = start(*stranger, "change-of-address");
  auto taken = post_page(*stranger, theirs,
                         {{"action", "continue"}, {"household_head_consent.wallet", ids[0]}}, {},
                         "?lang=en");
  EXPECT_EQ(taken.status, 422);
  EXPECT_NE(taken.body.find("That file is no longer in your documents"), std::string::npos);

  // Through the API: a SHA-256 the person never uploaded is refused; their own is attached
  // as the wallet describes it, whatever type the client claimed.
  const auto token = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto id = app.substr(app.rfind('/') + 1);
  auto patch = [&](const std::string& question, const json::object& answer) {
    return bearer_request(
        app_->port(), token, "PATCH", "/api/v1/applications/" + id,
        json::serialize(json::object{{"answers", json::object{{question, answer}}}}),
        {{"Content-Type", "application/json"}});
  };
  auto attach = [&](const std::string& blob) {
    return patch("household_head_consent",
                 {{"blob", blob}, {"media_type", "application/pdf"}, {"bytes", 10}});
  };
  auto unknown = attach(std::string(64, 'a'));
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_NE(unknown.body.find("document_not_in_wallet"), std::string::npos) << unknown.body;
  auto wallet = bearer_request(app_->port(), token, "GET", "/api/v1/wallet");
  const auto documents = json::parse(wallet.body).at("documents").as_array();
  ASSERT_EQ(documents.size(), 1u);
  auto own = attach(std::string(documents[0].at("sha256").as_string()));
  ASSERT_EQ(own.status, 200) << own.body;
  // The SHA-256 alone is enough: the wallet says the rest.
  auto bare = patch("mover_id_card", {{"blob", documents[0].at("sha256")}});
  ASSERT_EQ(bare.status, 200) << bare.body;
  EXPECT_EQ(json::parse(bare.body).at("answers").at("mover_id_card").at("name").as_string(),
            "id.png");
  const auto saved = json::parse(own.body).at("answers").at("household_head_consent");
  EXPECT_EQ(saved.at("media_type").as_string(), "image/png");
  EXPECT_EQ(saved.at("bytes").as_int64(), static_cast<std::int64_t>(png().size()));
}

TEST_P(DocumentsIT, TheOwnerOpensAnAttachedFileAndNobodyElseFindsIt) {
  auto owner = applicant();
  const auto app = start(*owner, "change-of-address");
  ASSERT_EQ(post_page(*owner, app, {{"action", "attach:mover_id_card"}},
                      {{"mover_id_card", "บัตร.png", png()}})
                .status,
            303);
  const std::string url = app + "/documents/mover_id_card";
  auto page = owner->get(app + std::string(kDocuments) + "?lang=en");
  EXPECT_NE(page.body.find("<a href=\"" + url +
                           "\" target=\"_blank\" rel=\"noopener noreferrer\">"
                           "View the file"),
            std::string::npos)
      << page.body;

  auto file = owner->get(url);
  ASSERT_EQ(file.status, 200) << file.body.substr(0, 2000);
  EXPECT_EQ(file.body, png());
  EXPECT_EQ(file.header("Content-Type"), "image/png");
  EXPECT_EQ(file.header("Content-Disposition"),
            "inline; filename*=UTF-8''%E0%B8%9A%E0%B8%B1%E0%B8%95%E0%B8%A3.png");
  EXPECT_EQ(file.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(file.header("Content-Security-Policy").rfind("sandbox; default-src 'none'", 0), 0u)
      << file.header("Content-Security-Policy");
  EXPECT_EQ(file.header("Cache-Control"), "private, no-store");
  EXPECT_EQ(file.header("Cross-Origin-Resource-Policy"), "same-origin");

  // Another applicant, knowing the address: the same 404 as an application that is not there.
  auto stranger = applicant("1101700203034", "another long passphrase");
  auto taken = stranger->get(url + "?lang=en");
  auto nowhere = stranger->get("/applications/0123456789abcdef/documents/mover_id_card?lang=en");
  EXPECT_EQ(taken.status, 404);
  EXPECT_EQ(nowhere.status, 404);
  EXPECT_NE(taken.body.find("File not found"), std::string::npos) << taken.body.substr(0, 2000);
  EXPECT_NE(nowhere.body.find("File not found"), std::string::npos);
  EXPECT_EQ(taken.body.find(png()), std::string::npos);

  // The owner, at a question with nothing attached, one that is no document, or none at all.
  for (const char* path :
       {"household_head_consent", "citizen_id", "nothing", "mover_id_card.a.b"}) {
    EXPECT_EQ(owner->get(app + "/documents/" + path).status, 404) << path;
  }

  // The same file from the wallet, over the API with a token.
  const auto token = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  auto wallet = json::parse(bearer_request(app_->port(), token, "GET", "/api/v1/wallet").body);
  const std::string id(wallet.at("documents").at(0).at("id").as_string());
  auto content = bearer_request(app_->port(), token, "GET", "/api/v1/wallet/" + id + "/content");
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.body, png());
  EXPECT_EQ(content.header("Content-Security-Policy"), file.header("Content-Security-Policy"));
  // Streamed from the blob store: a viewer may ask for one part of it.
  EXPECT_EQ(content.header("Accept-Ranges"), "bytes");
  auto part = bearer_request(app_->port(), token, "GET", "/api/v1/wallet/" + id + "/content", {},
                             {{"Range", "bytes=1-3"}});
  ASSERT_EQ(part.status, 206);
  EXPECT_EQ(part.body, png().substr(1, 3));
  EXPECT_EQ(part.header("Content-Range"), "bytes 1-3/" + std::to_string(png().size()));
  const auto other = api_token(app_->port(), "1101700203034", "another long passphrase");
  auto refused = bearer_request(app_->port(), other, "GET", "/api/v1/wallet/" + id + "/content");
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
}

// The agency that owns a submitted application opens its files on its own pages, as the
// applicant does; another agency's officer finds nothing and an applicant is refused by role.
TEST_P(DocumentsIT, TheAgencyOpensTheFilesOfAnApplicationSubmittedToIt) {
  auto owner = applicant();
  const auto app = start(*owner, "change-of-address");
  ASSERT_EQ(post_page(*owner, app, {{"action", "attach:mover_id_card"}},
                      {{"mover_id_card", "id.png", png()}})
                .status,
            303);
  const std::string public_id = app.substr(std::string_view("/applications/").size());
  const std::string url = "/agency/applications/" + public_id + "/documents/mover_id_card";
  auto officer = signed_in(app_->port(), accounts::demo_officer_email("dopa"),
                           std::string(accounts::kDemoOfficerPassword));
  // A draft is the applicant's alone.
  EXPECT_EQ(officer->get(url).status, 404);

  // Sent (as a submission leaves it: status, reference, the workflow's first state).
  auto opened = storage::open_database({.url = db_->url()});
  ASSERT_TRUE(opened) << opened.error().detail;
  ASSERT_TRUE((*opened)->write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(
        c.execute("UPDATE applications SET status = 'submitted', reference = 'DOPA-2569-000001-K', "
                  "submitted_at = 1, state = 'submitted', state_since = 1 WHERE public_id = $1",
                  {public_id}));
    return ok();
  }));
  auto page = officer->get("/agency/applications/" + public_id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("href=\"" + url + "\""), std::string::npos) << page.body;
  auto file = officer->get(url);
  ASSERT_EQ(file.status, 200) << file.body.substr(0, 2000);
  EXPECT_EQ(file.body, png());
  EXPECT_EQ(file.header("Content-Type"), "image/png");
  EXPECT_EQ(file.header("Content-Security-Policy").rfind("sandbox; default-src 'none'", 0), 0u);
  EXPECT_EQ(officer->get("/agency/applications/" + public_id + "/documents/household_head_consent")
                .status,
            404);

  auto other = signed_in(app_->port(), accounts::demo_officer_email("bma"),
                         std::string(accounts::kDemoOfficerPassword));
  EXPECT_EQ(other->get(url).status, 404);
  EXPECT_EQ(owner->get(url).status, 403);
}

// "My documents": what the person uploaded, to open or take out of the wallet; an application
// it is attached to keeps its copy, and nobody else reaches it, on the pages or the API.
TEST_P(DocumentsIT, MyDocumentsListsOpensAndRemovesWhatThePersonUploaded) {
  auto owner = applicant();
  const auto app = start(*owner, "change-of-address");
  ASSERT_EQ(post_page(*owner, app, {{"action", "attach:mover_id_card"}},
                      {{"mover_id_card", "บัตร.png", png()}})
                .status,
            303);
  auto listed = owner->get("/documents?lang=en");
  ASSERT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find("My documents"), std::string::npos);
  EXPECT_NE(listed.body.find("บัตร.png"), std::string::npos) << listed.body.substr(0, 3000);
  EXPECT_NE(owner->get("/applications?lang=en").body.find("href=\"/documents\""),
            std::string::npos);

  const auto token = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  auto wallet = json::parse(bearer_request(app_->port(), token, "GET", "/api/v1/wallet").body);
  ASSERT_EQ(wallet.at("documents").as_array().size(), 1u);
  const std::string id(wallet.at("documents").at(0).at("id").as_string());
  EXPECT_NE(listed.body.find("href=\"/documents/" + id + "\""), std::string::npos);
  auto file = owner->get("/documents/" + id);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body, png());
  EXPECT_EQ(file.header("Content-Security-Policy").rfind("sandbox", 0), 0u);

  // Somebody else: not found, and nothing of the owner's changes.
  auto stranger = applicant("1101700203034", "another long passphrase");
  EXPECT_EQ(stranger->get("/documents/" + id).status, 404);
  const auto theirs = stranger->get("/documents");
  EXPECT_EQ(theirs.body.find("บัตร.png"), std::string::npos);
  EXPECT_EQ(stranger
                ->post_form("/documents/" + id + "/remove",
                            {{"csrf_token", extract_csrf_token(theirs.body)}})
                .status,
            404);
  const auto other = api_token(app_->port(), "1101700203034", "another long passphrase");
  EXPECT_EQ(bearer_request(app_->port(), other, "DELETE", "/api/v1/wallet/" + id).status, 404);
  // Without the form's token the remove is refused.
  EXPECT_EQ(owner->post_form("/documents/" + id + "/remove", {}).status, 403);

  auto removed = owner->post_form("/documents/" + id + "/remove",
                                  {{"csrf_token", extract_csrf_token(listed.body)}});
  ASSERT_EQ(removed.status, 303);
  EXPECT_EQ(removed.header("Location"), "/documents?removed=1");
  auto after = owner->get("/documents?removed=1&lang=en");
  EXPECT_NE(after.body.find("no longer in your documents"), std::string::npos);
  EXPECT_EQ(after.body.find("บัตร.png"), std::string::npos);
  EXPECT_TRUE(json::parse(bearer_request(app_->port(), token, "GET", "/api/v1/wallet").body)
                  .at("documents")
                  .as_array()
                  .empty());
  EXPECT_EQ(owner->get("/documents/" + id).status, 404);
  // The draft keeps what was attached to it.
  auto kept = owner->get(app + "/documents/mover_id_card");
  ASSERT_EQ(kept.status, 200);
  EXPECT_EQ(kept.body, png());

  // Over the API: 204, then gone.
  ASSERT_EQ(post_page(*owner, app, {{"action", "attach:mover_id_card"}},
                      {{"mover_id_card", "again.png", png() + "2"}})
                .status,
            303);
  wallet = json::parse(bearer_request(app_->port(), token, "GET", "/api/v1/wallet").body);
  ASSERT_EQ(wallet.at("documents").as_array().size(), 1u);
  const std::string second(wallet.at("documents").at(0).at("id").as_string());
  EXPECT_EQ(bearer_request(app_->port(), token, "DELETE", "/api/v1/wallet/" + second).status, 204);
  EXPECT_EQ(bearer_request(app_->port(), token, "DELETE", "/api/v1/wallet/" + second).status, 404);
}

TEST_P(DocumentsIT, AFileInAnItemOfAListOpensByItsItemsPath) {
  auto client = applicant();
  const auto app = start(*client, "signboard-tax");
  const std::string signs = app + "/pages/signs";
  const auto key = add_sign(*client, app);
  ASSERT_FALSE(key.empty());
  const std::string path = "signs." + key + ".photograph";
  auto attached = client->request(
      "POST", signs,
      multipart({{"csrf_token", extract_csrf_token(client->get(signs).body)},
                 {"_shown", "signs"},
                 {"signs._items", key},
                 {"action", "attach:" + path}},
                {{path, "sign.png", png()}}),
      {{"Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary)}});
  ASSERT_EQ(attached.status, 303) << attached.body.substr(0, 2000);
  auto shown = client->get(signs);
  EXPECT_NE(shown.body.find("href=\"" + app + "/documents/" + path + "\""), std::string::npos)
      << shown.body;
  auto file = client->get(app + "/documents/" + path);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, png());
  EXPECT_EQ(client->get(app + "/documents/signs.nokey.photograph").status, 404);
}

TEST_P(DocumentsIT, AProgramAttachesAWalletDocumentOrAFinishedUploadToItsOwnDraft) {
  const auto token = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  auto call = [&](const std::string& token_, const std::string& method, const std::string& target,
                  const json::value& body = nullptr) {
    return bearer_request(app_->port(), token_, method, target + "?lang=en",
                          body.is_null() ? std::string() : json::serialize(body),
                          {{"Content-Type", "application/json"}});
  };
  auto created =
      call(token, "POST", "/api/v1/applications", json::object{{"service", "change-of-address"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string documents = "/api/v1/applications/" +
                                std::string(json::parse(created.body).at("id").as_string()) +
                                "/documents";
  // What a refusal names: its status and the code of its one problem.
  auto refusal = [](const HttpResponse& r) {
    if (r.header("Content-Type") != "application/problem+json") return std::to_string(r.status);
    const auto body = json::parse(r.body);
    const auto* errors = body.as_object().if_contains("errors");
    return std::to_string(r.status) +
           (errors != nullptr ? " " + std::string(errors->at(0).at("code").as_string()) : "");
  };

  // By the finished upload's URL: the answer is the wallet's, with where it came from.
  const auto url = upload(token, png(), png().size());
  auto by_upload =
      call(token, "POST", documents, json::object{{"question", "mover_id_card"}, {"upload", url}});
  ASSERT_EQ(by_upload.status, 200) << by_upload.body;
  const auto answer = json::parse(by_upload.body).at("answers").at("mover_id_card");
  EXPECT_EQ(answer.at("name"), "id.png");
  EXPECT_EQ(answer.at("media_type"), "image/png");
  EXPECT_EQ(answer.at("source"), "upload");
  // By the wallet document's id, to another question.
  const std::string id(answer.at("document").as_string());
  auto by_id = call(token, "POST", documents,
                    json::object{{"question", "household_head_consent"}, {"document", id}});
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_EQ(json::parse(by_id.body).at("answers").at("household_head_consent").at("source"),
            "wallet");

  // Refusals, each with its own code.
  auto attach = [&](const json::object& body) {
    return refusal(call(token, "POST", documents, body));
  };
  EXPECT_EQ(attach({{"question", "nothing"}, {"document", id}}), "422 document_question");
  EXPECT_EQ(attach({{"question", "citizen_id"}, {"document", id}}), "422 document_question");
  EXPECT_EQ(attach({{"document", id}}), "422 question_required");
  EXPECT_EQ(attach({{"question", "mover_id_card"}}), "422 document_or_upload");
  EXPECT_EQ(attach({{"question", "mover_id_card"}, {"document", id}, {"upload", url}}),
            "422 document_or_upload");
  EXPECT_EQ(attach({{"question", "mover_id_card"}, {"document", "nope"}}),
            "422 wallet_document_unknown");
  EXPECT_EQ(attach({{"question", "mover_id_card"}, {"upload", "/api/v1/uploads/nope"}}),
            "422 upload_unknown");
  const auto half = upload(token, png(), 100);
  auto unfinished =
      call(token, "POST", documents, json::object{{"question", "mover_id_card"}, {"upload", half}});
  EXPECT_EQ(unfinished.status, 409);
  EXPECT_NE(unfinished.body.find("This upload has not finished"), std::string::npos)
      << unfinished.body;

  // Another applicant: the owner's draft is not found, and the owner's files are not theirs.
  auto stranger = std::make_unique<HttpClient>(app_->port());
  ASSERT_EQ(register_applicant(*stranger, "1101700203034", "another long passphrase").status, 303);
  const auto other = api_token(app_->port(), "1101700203034", "another long passphrase");
  EXPECT_EQ(refusal(call(other, "POST", documents,
                         json::object{{"question", "mover_id_card"}, {"document", id}})),
            "404");
  auto theirs =
      call(other, "POST", "/api/v1/applications", json::object{{"service", "change-of-address"}});
  const std::string their_documents = "/api/v1/applications/" +
                                      std::string(json::parse(theirs.body).at("id").as_string()) +
                                      "/documents";
  EXPECT_EQ(refusal(call(other, "POST", their_documents,
                         json::object{{"question", "mover_id_card"}, {"document", id}})),
            "422 wallet_document_unknown");
  EXPECT_EQ(refusal(call(other, "POST", their_documents,
                         json::object{{"question", "mover_id_card"}, {"upload", url}})),
            "422 upload_unknown");
  EXPECT_EQ(refusal(call(other, "DELETE", documents + "/mover_id_card")), "404");

  // DELETE takes it off, and the other stays; a question that is no document's is refused.
  auto removed = call(token, "DELETE", documents + "/mover_id_card");
  ASSERT_EQ(removed.status, 200) << removed.body;
  const auto left = json::parse(removed.body).at("answers").as_object();
  EXPECT_FALSE(left.contains("mover_id_card"));
  EXPECT_TRUE(left.contains("household_head_consent"));
  EXPECT_EQ(call(token, "DELETE", documents + "/mover_id_card").status, 200) << "idempotent";
  EXPECT_EQ(refusal(call(token, "DELETE", documents + "/citizen_id")), "422 document_question");
}

TEST_P(DocumentsIT, AProgramAttachesToAnItemOfAListAndNotToASubmittedApplication) {
  auto browser = applicant();
  const auto app = start(*browser, "signboard-tax");
  const auto key = add_sign(*browser, app);
  ASSERT_FALSE(key.empty());
  const auto token = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string documents = "/api/v1" + app + "/documents";
  const auto url = upload(token, png(), png().size());
  auto attach = [&](const std::string& question) {
    return bearer_request(app_->port(), token, "POST", documents + "?lang=en",
                          json::serialize(json::object{{"question", question}, {"upload", url}}),
                          {{"Content-Type", "application/json"}});
  };
  // The item's other questions still unanswered are no problem of this file.
  auto attached = attach("signs." + key + ".photograph");
  ASSERT_EQ(attached.status, 200) << attached.body;
  const auto items = json::parse(attached.body).at("answers").at("signs").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("photograph").at("name"), "id.png");
  EXPECT_EQ(browser->get(app + "/documents/signs." + key + ".photograph").body, png());
  EXPECT_EQ(attach("signs.nokey.photograph").status, 422);
  EXPECT_EQ(attach("signs." + key + ".sign_type").status, 422);
  auto removed =
      bearer_request(app_->port(), token, "DELETE", documents + "/signs." + key + ".photograph");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_FALSE(
      json::parse(removed.body).at("answers").at("signs").at(0).as_object().contains("photograph"));

  // A submitted application's answers are kept as sent.
  auto call = [&](const std::string& method, const std::string& target, const json::value& body,
                  Headers extra = {{"Content-Type", "application/json"}}) {
    return bearer_request(app_->port(), token, method, target + "?lang=en",
                          body.is_null() ? std::string() : json::serialize(body), std::move(extra));
  };
  auto created =
      call("POST", "/api/v1/applications", json::object{{"service", "company-certificate"}});
  const std::string sent =
      "/api/v1/applications/" + std::string(json::parse(created.body).at("id").as_string());
  ASSERT_EQ(
      call("PATCH", sent, json::object{{"answers", complete_company_certificate_answers()}}).status,
      200);
  ASSERT_EQ(call("POST", sent + "/submit", nullptr, {{"Idempotency-Key", "k"}}).status, 201);
  auto late =
      call("POST", sent + "/documents", json::object{{"question", "anything"}, {"upload", url}});
  EXPECT_EQ(late.status, 409);
  EXPECT_NE(late.body.find("has already been submitted"), std::string::npos) << late.body;
  EXPECT_EQ(call("DELETE", sent + "/documents/anything", nullptr).status, 409);
}

TEST_P(DocumentsIT, APageBodyPastTheLargestFileIsRefusedUnread) {
  auto client = applicant();
  const auto app = start(*client, "change-of-address");
  const auto session = client->cookie("pratu_session");
  ASSERT_TRUE(session);
  // Claims 200 MiB and sends none of it: refused at once, not after 200 MiB.
  auto raw =
      fetch(app_->port(), "POST " + app + std::string(kDocuments) +
                              " HTTP/1.1\r\nHost: localhost\r\nCookie: pratu_session=" + *session +
                              "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                              "Content-Length: 209715200\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->status, 413);
}

PRATU_INSTANTIATE_ENGINE_TESTS(DocumentsIT);

}  // namespace
}  // namespace pratu::test
