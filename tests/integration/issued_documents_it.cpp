// Issuing the licence end to end (docs/documents.md): an officer approves, the applicant pays
// the fee, Pratu issues a signed PDF/A-3 that tools nobody here wrote accept, anyone checks it at
// /verify, tampered files are told apart, and the agency suspends, reinstates and revokes it.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "crypto/cms_signature.hpp"
#include "crypto/pki.hpp"
#include "crypto/secure_random.hpp"
#include "crypto/timestamp.hpp"
#include "pdf/pdf_signer.hpp"
#include "support/applicants.hpp"
#include "support/bills.hpp"
#include "support/cms_parts.hpp"
#include "support/documents.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

const std::string kOfficer = "officer.dbd@demo.pratu.example";
const std::string kOtherOfficer = "officer.bma@demo.pratu.example";
const std::string kOfficerPassword = "pratu-demo-officer";

// Each answer naming a file (an object with "blob") names `file` instead, a file of the wallet.
class IssuedDocumentsTest : public AppTest {
 protected:
  void configure(app::Config& config) override {
    config.modules["documents.poll_seconds"] = "1";
    pki_ = config.modules["documents.pki_dir"];
  }

  // Approves application `id` of the person holding `applicant`'s token as the officer holding
  // `officer`'s (who starts the review first), and pays its fee at the agency's counter, so
  // that the document is issued.
  void approve_and_pay(const std::string& officer, const std::string& applicant,
                       const std::string& id) {
    EXPECT_EQ(take_step(app_->port(), officer, id, "start_review").status, 200);
    auto done = take_step(app_->port(), officer, id, "approve", {{"checklist_confirmed", 1}});
    EXPECT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(json_object(done).at("state").at("id"), "awaiting_payment") << done.body;
    EXPECT_FALSE(pay_bill_at_counter(app_->port(), applicant, id).empty());
  }

  // An applicant's company certificate, approved by the DBD's officer and its fee paid: its
  // public id.
  std::string approved(const std::string& applicant) {
    const std::string id = submit_company_certificate(app_->port(), applicant);
    approve_and_pay(api_token(app_->port(), kOfficer, kOfficerPassword), applicant, id);
    return id;
  }

  // The applicant's documents other than their receipts, newest first.
  json::array documents_of(const std::string& applicant) {
    auto list = bearer_json(app_->port(), applicant, "GET", "/api/v1/documents");
    EXPECT_EQ(list.status, 200) << list.body;
    const auto body = json_object(list);
    json::array out;
    for (const auto& document : body.at("documents").as_array()) {
      if (document.at("kind") != "receipt") out.push_back(document);
    }
    return out;
  }

  // The applicant's newest document (not a receipt) once they hold `count` and its file is
  // ready (waits for the issuer).
  json::object issued(const std::string& applicant, std::size_t count = 1) {
    for (int i = 0; i < 200; ++i) {
      const auto documents = documents_of(applicant);
      if (documents.size() >= count && documents[0].as_object().contains("file")) {
        return documents[0].as_object();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no document was issued within 20 seconds";
    return {};
  }

  std::string file_of(const std::string& token, const std::string& number) {
    return signed_file(app_->port(), token, number);
  }

  json::object verify(const std::string& pdf) { return verify_pdf(app_->port(), pdf); }

  std::filesystem::path write(const TempDir& dir, const std::string& name,
                              const std::string& bytes) {
    auto path = dir.path() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::string pki_;
};

// The CMS in the last signature's /Contents, and the bytes its /ByteRange covers.
struct SignatureParts {
  std::string cms;
  std::string signed_bytes;
};
SignatureParts signature_parts(const std::string& pdf) {
  SignatureParts out;
  const auto at = pdf.rfind("/ByteRange");
  if (at == std::string::npos) return out;
  long long a = 0, b = 0, c = 0, d = 0;
  if (std::sscanf(pdf.c_str() + at, "/ByteRange [%lld %lld %lld %lld]", &a, &b, &c, &d) != 4 &&
      std::sscanf(pdf.c_str() + at, "/ByteRange[%lld %lld %lld %lld]", &a, &b, &c, &d) != 4) {
    return out;
  }
  const std::string hex =
      pdf.substr(static_cast<std::size_t>(b) + 1, static_cast<std::size_t>(c - b - 2));
  std::string der;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    der += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  out.cms = der;  // trailing zero padding is harmless to DER readers of the first element
  out.signed_bytes = pdf.substr(0, static_cast<std::size_t>(b)) +
                     pdf.substr(static_cast<std::size_t>(c), static_cast<std::size_t>(d));
  return out;
}

TEST_P(IssuedDocumentsTest, AnApprovedApplicationEndsWithASignedPdfA3ThatRealToolsAccept) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = approved(applicant);
  const auto document = issued(applicant);
  ASSERT_FALSE(document.empty());
  const std::string number(document.at("number").as_string());
  EXPECT_TRUE(number.starts_with("DBD-C-25")) << number;
  EXPECT_EQ(document.at("status"), "valid");
  const std::string pdf = file_of(applicant, number);
  TempDir dir;
  const auto file = write(dir, "document.pdf", pdf);

  // The signature: valid, covering the whole file.
  auto sig = run_command("pdfsig -nocert " + shell_quoted(file));
  EXPECT_NE(sig.output.find("Signature is Valid."), std::string::npos) << sig.output;
  EXPECT_NE(sig.output.find("Total document signed"), std::string::npos) << sig.output;
  EXPECT_NE(sig.output.find("ETSI.CAdES.detached"), std::string::npos) << sig.output;

  // The structure, the fonts, the data.
  auto check = run_command("qpdf --check " + shell_quoted(file));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("No syntax or stream encoding errors"), std::string::npos);
  auto fonts = run_command("pdffonts " + shell_quoted(file));
  std::istringstream rows(fonts.output);
  std::string row;
  int font_rows = 0;
  for (int n = 0; std::getline(rows, row); ++n) {
    if (n < 2 || row.empty()) continue;  // the header and its rule
    ++font_rows;
    EXPECT_NE(row.find("yes yes yes"), std::string::npos)
        << "not embedded, subset, mapped: " << row;
  }
  EXPECT_GT(font_rows, 0) << fonts.output;
  auto detached =
      run_command("cd " + shell_quoted(dir.path()) + " && pdfdetach -saveall document.pdf && ls");
  EXPECT_NE(detached.output.find("pratu-document.xml"), std::string::npos) << detached.output;
  auto valid_xml =
      run_command("xmllint --noout --schema " PRATU_SOURCE_DIR "/docs/schemas/document-1.xsd " +
                  shell_quoted(dir.path() / "pratu-document.xml"));
  EXPECT_EQ(valid_xml.exit_code, 0) << valid_xml.output;
  auto xml = run_command("cat " + shell_quoted(dir.path() / "pratu-document.xml"));
  EXPECT_NE(xml.output.find("<Number>" + number + "</Number>"), std::string::npos) << xml.output;

  // The Thai text comes back as written, tone marks and all; the page is not blank.
  auto text = run_command("pdftotext -layout " + shell_quoted(file) + " -");
  EXPECT_NE(text.output.find("หนังสือรับรองการจดทะเบียนนิติบุคคล"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("นายทะเบียน"), std::string::npos);
  EXPECT_NE(text.output.find(number), std::string::npos);
  auto page = run_command("pdftoppm -r 40 -gray -f 1 -l 1 " + shell_quoted(file) + " " +
                          shell_quoted(dir.path() / "page"));
  EXPECT_EQ(page.exit_code, 0) << page.output;
  auto dark = run_command("od -An -v -tu1 " + shell_quoted(dir.path() / "page-1.pgm") +
                          " | tr -s ' ' '\\n' | awk '$1 != \"\" && $1 < 128' | wc -l");
  EXPECT_GT(std::stoi(dark.output), 500) << "page 1 looks blank";

  // The QR code opens the document's verification page with its code.
  auto picture = run_command("pdftoppm -r 150 -png -f 1 -l 1 " + shell_quoted(file) + " " +
                             shell_quoted(dir.path() / "qr"));
  EXPECT_EQ(picture.exit_code, 0);
  auto qr =
      run_command("zbarimg --raw -q " + shell_quoted(dir.path() / "qr-1.png"), Stderr::dropped);
  EXPECT_NE(qr.output.find("/verify/" + number + "?c="), std::string::npos) << qr.output;
  EXPECT_EQ(qr.output.substr(0, qr.output.find_last_not_of("\r\n") + 1),
            std::string(document.at("verify_url").as_string()));
  auto pages = run_command("pdfinfo " + shell_quoted(file));
  EXPECT_NE(pages.output.find("Pages:           1\n"), std::string::npos)
      << pages.output << run_command("cp " + shell_quoted(file) + " /tmp/dt/").output;

  // The chain with OpenSSL against the test root, and the timestamp.
  const auto parts = signature_parts(pdf);
  ASSERT_FALSE(parts.cms.empty());
  const auto cms = cms_parts(parts.cms);
  ASSERT_TRUE(cms.parsed);
  EXPECT_EQ(cms.signer_infos, 1);
  write(dir, "sig.der", parts.cms);
  write(dir, "tbs.bin", parts.signed_bytes);
  auto certs = run_command("openssl pkcs7 -inform DER -in " + shell_quoted(dir.path() / "sig.der") +
                           " -print_certs -out " + shell_quoted(dir.path() / "certs.pem"));
  EXPECT_EQ(certs.exit_code, 0) << certs.output;
  auto chain =
      run_command("openssl verify -x509_strict -CAfile " + pki_ + "/root-ca.pem -untrusted " +
                  pki_ + "/issuing-ca.pem " + pki_ + "/agencies/dbd.pem");
  EXPECT_NE(chain.output.find(": OK"), std::string::npos) << chain.output;
  auto cades = run_command("openssl cms -verify -cades -binary -inform DER -in " +
                           shell_quoted(dir.path() / "sig.der") + " -content " +
                           shell_quoted(dir.path() / "tbs.bin") + " -CAfile " + pki_ +
                           "/root-ca.pem -purpose any -out /dev/null");
  EXPECT_NE(cades.output.find("Verification successful"), std::string::npos) << cades.output;
  ASSERT_FALSE(cms.timestamp_token.empty());
  write(dir, "token.der", cms.timestamp_token);
  write(dir, "value.bin", cms.signature_value);
  auto ts = run_command("openssl ts -verify -data " + shell_quoted(dir.path() / "value.bin") +
                        " -in " + shell_quoted(dir.path() / "token.der") + " -token_in -CAfile " +
                        pki_ + "/root-ca.pem -untrusted " + pki_ + "/tsa-chain.pem");
  EXPECT_NE(ts.output.find("Verification: OK"), std::string::npos) << ts.output;

  // Pratu's own check agrees, and knows the file.
  const auto verdict = verify(pdf);
  EXPECT_EQ(verdict.at("outcome"), "valid") << json::serialize(verdict);
  EXPECT_EQ(verdict.at("document").at("number").as_string(), number);
  EXPECT_EQ(verdict.at("document").at("status"), "valid");

  // The application's page offers it; so does the wallet.
  auto browser = signed_in_applicant(app_->port());
  auto page_html = browser->get("/applications/" + id);
  EXPECT_NE(page_html.body.find("data-issued=\"" + number + "\""), std::string::npos);
  auto wallet = browser->get("/documents");
  EXPECT_NE(wallet.body.find("data-issued=\"" + number + "\""), std::string::npos);
  auto opened = browser->get("/documents/issued/" + number);
  EXPECT_EQ(opened.status, 200);
  EXPECT_EQ(opened.body, pdf);
}

TEST_P(IssuedDocumentsTest,
       EveryDemoServiceThatIssuesADocumentIssuesOneThatVerifiesAndEarnsLevel3) {
  // Registered afresh: the demo applicant's own drafts would stand in the way.
  register_applicant(*client_, "1101700230708", "another-strong-password");
  const auto applicant = api_token(app_->port(), "1101700230708", "another-strong-password");
  const auto file = wallet_picture(app_->port(), applicant);

  struct Case {
    std::string service, agency, condition;  // the first condition, in Thai
  };
  const std::vector<Case> cases{{"commercial-registration", "dbd",
                                 "ผู้ประกอบพาณิชยกิจต้องแสดงใบทะเบียนพาณิชย์นี้ไว้ในที่เปิดเผยและเห็นได้ง่าย"},
                                {"food-premises-licence", "bma", ""},
                                {"liquor-sale-licence", "excise", ""},
                                {"company-certificate", "dbd", ""}};
  TempDir dir;
  std::size_t count = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.service);
    ++count;
    const json::value answers = example_answers(app_->port(), c.service, file);
    const std::string id = draft_of(app_->port(), applicant, c.service, answers);
    auto sent =
        bearer_request(app_->port(), applicant, "POST", "/api/v1/applications/" + id + "/submit",
                       "", {{"Idempotency-Key", "k-" + id}});
    ASSERT_EQ(sent.status, 201) << sent.body;
    const auto officer =
        api_token(app_->port(), "officer." + c.agency + "@demo.pratu.example", kOfficerPassword);
    // Nothing is issued while the fee is unpaid.
    ASSERT_EQ(take_step(app_->port(), officer, id, "start_review").status, 200);
    ASSERT_EQ(take_step(app_->port(), officer, id, "approve", {{"checklist_confirmed", 1}}).status,
              200);
    EXPECT_EQ(documents_of(applicant).size(), count - 1);
    ASSERT_FALSE(pay_bill_at_counter(app_->port(), applicant, id).empty());
    const auto document = issued(applicant, count);
    ASSERT_FALSE(document.empty());
    const std::string number(document.at("number").as_string());
    const auto detail =
        json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/documents/" + number));
    EXPECT_EQ(detail.at("service").as_string(), c.service);
    const std::string pdf = file_of(applicant, number);
    const auto path = write(dir, number + ".pdf", pdf);
    auto sig = run_command("pdfsig -nocert " + shell_quoted(path));
    EXPECT_NE(sig.output.find("Signature is Valid."), std::string::npos) << sig.output;
    EXPECT_NE(sig.output.find("Total document signed"), std::string::npos) << sig.output;
    EXPECT_EQ(run_command("qpdf --check " + shell_quoted(path)).exit_code, 0);
    auto fonts = run_command("pdffonts " + shell_quoted(path));
    EXPECT_EQ(fonts.output.find(" no "), std::string::npos) << fonts.output;
    auto saved_xml = run_command("cd " + shell_quoted(dir.path()) + " && rm -f pratu-document.xml" +
                                 " && pdfdetach -saveall " + shell_quoted(path) +
                                 " && xmllint --noout --schema " PRATU_SOURCE_DIR
                                 "/docs/schemas/document-1.xsd pratu-document.xml");
    EXPECT_EQ(saved_xml.exit_code, 0) << saved_xml.output;
    if (!c.condition.empty()) {
      // Tone marks, above and below vowels come back as written (reading order, no layout).
      auto text = run_command("pdftotext -raw " + shell_quoted(path) + " - | tr -d '\\n '");
      std::string condition = c.condition;
      std::erase(condition, ' ');
      EXPECT_NE(text.output.find(condition), std::string::npos) << text.output;
    }
    EXPECT_EQ(verify(pdf).at("outcome"), "valid");
    // The catalogue says levels 2 and 3 are met, because Pratu bills the fee, issues the
    // receipt and issues the signed document.
    HttpClient anyone(app_->port());
    const auto entry = json_object(anyone.get("/api/v1/services/" + c.service));
    for (const auto& criterion : entry.at("criteria").as_array()) {
      const std::string key(criterion.at("criterion").as_string());
      if (key == "bill_payment" || key == "e_receipt" || key == "e_license" ||
          key == "ca_signature" || key == "pdf_a3") {
        EXPECT_EQ(criterion.at("status"), "met") << key;
      }
    }
  }
}

TEST_P(IssuedDocumentsTest, TheHolderAsksForAPrintedCopyAndTheAgencyRecordsItsDelivery) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  approved(applicant);
  const auto document = issued(applicant);
  ASSERT_FALSE(document.empty());
  const std::string number(document.at("number").as_string());
  const std::string path = "/api/v1/documents/" + number;
  const auto officer = api_token(app_->port(), kOfficer, kOfficerPassword);

  // The company certificate's application gives no address: no post; the counter it is.
  auto post = bearer_json(app_->port(), applicant, "POST", path + "/delivery",
                          json::object{{"delivery", "post"}});
  EXPECT_EQ(post.status, 422) << post.body;
  EXPECT_NE(post.body.find("delivery"), std::string::npos);
  EXPECT_EQ(bearer_json(app_->port(), officer, "POST", path + "/delivered", json::object{}).status,
            422);  // nothing asked for yet
  auto counter = bearer_json(app_->port(), applicant, "POST", path + "/delivery",
                             json::object{{"delivery", "counter"}});
  ASSERT_EQ(counter.status, 200) << counter.body;
  EXPECT_EQ(json_object(counter).at("delivery").at("method"), "counter");
  // Only the holder chooses; only the issuing agency records.
  const auto other = api_token(app_->port(), kOtherOfficer, kOfficerPassword);
  EXPECT_EQ(bearer_json(app_->port(), other, "POST", path + "/delivered", json::object{}).status,
            404);
  EXPECT_EQ(bearer_json(app_->port(), officer, "POST", path + "/delivery",
                        json::object{{"delivery", "post"}})
                .status,
            403);
  auto handed = bearer_json(app_->port(), officer, "POST", path + "/delivered", json::object{});
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_TRUE(json_object(handed).at("delivery").as_object().contains("delivered_at"));
  EXPECT_EQ(bearer_json(app_->port(), officer, "POST", path + "/delivered", json::object{}).status,
            422);
  EXPECT_EQ(bearer_json(app_->port(), applicant, "POST", path + "/delivery",
                        json::object{{"delivery", "download"}})
                .status,
            422);  // already handed over
  const auto detail = json_object(bearer_json(app_->port(), applicant, "GET", path));
  const auto& history = detail.at("history").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].at("kind"), "delivery_chosen");
  EXPECT_EQ(history[2].at("kind"), "handed_over");
  const auto notices =
      json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/notifications"));
  bool told = false;
  for (const auto& n : notices.at("notifications").as_array()) {
    told = told || n.at("topic") == "documents.delivered";
  }
  EXPECT_TRUE(told);

  // The pages: the holder's choice with script off, the officer's posting form.
  auto browser = signed_in_applicant(app_->port());
  auto wallet = browser->get("/documents");
  EXPECT_NE(wallet.body.find("data-issued-delivery"), std::string::npos);
  auto closed = browser->get("/documents/issued/" + number + "/delivery");
  EXPECT_EQ(closed.status, 200);
  EXPECT_NE(closed.body.find("data-delivery-closed"), std::string::npos);
}

TEST_P(IssuedDocumentsTest, APrintedCopyIsPostedToTheApplicationsAddressWithATrackingNumber) {
  register_applicant(*client_, "1101700230708", "another-strong-password");
  const auto applicant = api_token(app_->port(), "1101700230708", "another-strong-password");
  const json::value answers = example_answers(app_->port(), "commercial-registration",
                                              wallet_picture(app_->port(), applicant));
  const std::string id = draft_of(app_->port(), applicant, "commercial-registration", answers);
  ASSERT_EQ(
      bearer_request(app_->port(), applicant, "POST", "/api/v1/applications/" + id + "/submit", "",
                     {{"Idempotency-Key", "k-" + id}})
          .status,
      201);
  const auto officer = api_token(app_->port(), kOfficer, kOfficerPassword);
  approve_and_pay(officer, applicant, id);
  const auto document = issued(applicant);
  ASSERT_FALSE(document.empty());
  const std::string number(document.at("number").as_string());
  const std::string path = "/api/v1/documents/" + number;
  ASSERT_EQ(bearer_json(app_->port(), applicant, "POST", path + "/delivery",
                        json::object{{"delivery", "post"}})
                .status,
            200);
  // The officer sees the address the application gave; a wrong check digit is refused.
  auto officer_browser = signed_in(app_->port(), kOfficer, kOfficerPassword);
  auto page = officer_browser->get("/agency/documents/" + number);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-delivery-address"), std::string::npos);
  EXPECT_NE(page.body.find("data-delivered-form"), std::string::npos);
  auto wrong = bearer_json(app_->port(), officer, "POST", path + "/delivered",
                           json::object{{"tracking_number", "EE123456784TH"}});
  EXPECT_EQ(wrong.status, 422);
  auto posted = bearer_json(app_->port(), officer, "POST", path + "/delivered",
                            json::object{{"tracking_number", "ee 1234 5678 5th"}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(json_object(posted).at("delivery").at("tracking_number"), "EE123456785TH");
}

TEST_P(IssuedDocumentsTest,
       ALicenceWithATermIsRenewedFromItsAnswersAndTheNewOneSaysWhatItReplaces) {
  register_applicant(*client_, "1101700230708", "another-strong-password");
  const auto applicant = api_token(app_->port(), "1101700230708", "another-strong-password");
  const json::value answers = example_answers(app_->port(), "food-premises-licence",
                                              wallet_picture(app_->port(), applicant));
  const auto officer = api_token(app_->port(), "officer.bma@demo.pratu.example", kOfficerPassword);
  auto send_and_approve = [&](const std::string& id) {
    ASSERT_EQ(
        bearer_request(app_->port(), applicant, "POST", "/api/v1/applications/" + id + "/submit",
                       "", {{"Idempotency-Key", "k-" + id}})
            .status,
        201);
    approve_and_pay(officer, applicant, id);
  };
  const std::string first = draft_of(app_->port(), applicant, "food-premises-licence", answers);
  send_and_approve(first);
  const auto original = issued(applicant);
  ASSERT_FALSE(original.empty());
  const std::string old_number(original.at("number").as_string());
  EXPECT_FALSE(original.at("valid_until").is_null());

  // The renewal starts from the licence's answers; someone else's application is not found.
  const auto stranger = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  EXPECT_EQ(
      bearer_request(app_->port(), stranger, "POST", "/api/v1/applications/" + first + "/renewal")
          .status,
      404);
  auto renewal =
      bearer_request(app_->port(), applicant, "POST", "/api/v1/applications/" + first + "/renewal");
  ASSERT_EQ(renewal.status, 201) << renewal.body;
  const std::string second(json_object(renewal).at("id").as_string());
  EXPECT_EQ(json_object(renewal).at("renews").as_string(), old_number);
  const auto draft =
      json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/applications/" + second));
  EXPECT_EQ(draft.at("answers").at("premises_name"), answers.at("premises_name"));
  // A second renewal while the draft is open is refused; nothing typed is overwritten.
  EXPECT_EQ(
      bearer_request(app_->port(), applicant, "POST", "/api/v1/applications/" + first + "/renewal")
          .status,
      409);
  send_and_approve(second);
  const auto renewed = issued(applicant, 2);
  ASSERT_FALSE(renewed.empty());
  const std::string new_number(renewed.at("number").as_string());
  EXPECT_NE(new_number, old_number);
  const auto detail =
      json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/documents/" + new_number));
  EXPECT_EQ(detail.at("replaces").as_string(), old_number);
  TempDir dir;
  const auto path = write(dir, "renewed.pdf", file_of(applicant, new_number));
  auto text = run_command("pdftotext -raw " + shell_quoted(path) + " -");
  EXPECT_NE(text.output.find(old_number), std::string::npos) << text.output;
  auto xml = run_command("cd " + shell_quoted(dir.path()) +
                         " && pdfdetach -saveall renewed.pdf && cat pratu-document.xml");
  EXPECT_NE(xml.output.find("<Replaces>" + old_number + "</Replaces>"), std::string::npos);

  // A certificate with no term is not renewed.
  const std::string certificate = submit_company_certificate(app_->port(), stranger);
  approve_and_pay(api_token(app_->port(), kOfficer, kOfficerPassword), stranger, certificate);
  ASSERT_FALSE(issued(stranger).empty());
  EXPECT_EQ(bearer_request(app_->port(), stranger, "POST",
                           "/api/v1/applications/" + certificate + "/renewal")
                .status,
            422);
}

TEST_P(IssuedDocumentsTest, AWithdrawnSigningKeyIsInTheCrlAndSignsNothingMore) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  approved(applicant);
  const auto before = issued(applicant);
  ASSERT_FALSE(before.empty());
  const std::string pdf = file_of(applicant, std::string(before.at("number").as_string()));
  TempDir dir;

  // Nobody withdraws DBD's key but an administrator, and only for a reason RFC 5280 knows.
  const auto officer = api_token(app_->port(), kOfficer, kOfficerPassword);
  const std::string path = "/api/v1/admin/signers/dbd/withdrawal";
  EXPECT_EQ(
      bearer_json(app_->port(), officer, "POST", path, json::object{{"reason", "key_compromise"}})
          .status,
      403);
  const auto admin = api_token(app_->port(), "admin@demo.pratu.example", "pratu-demo-admin");
  EXPECT_EQ(
      bearer_json(app_->port(), admin, "POST", path, json::object{{"reason", "bored"}}).status,
      422);
  const auto crl_path = dir.path() / "issuing-ca.crl";
  auto fetch_crl = [&] {
    HttpClient anyone(app_->port());
    auto crl = anyone.get("/pki/issuing-ca.crl");
    EXPECT_EQ(crl.status, 200);
    EXPECT_EQ(crl.header("Content-Type"), "application/pkix-crl");
    write(dir, "issuing-ca.crl", crl.body);
    return run_command("openssl crl -inform DER -in " + shell_quoted(crl_path) + " -CAfile " +
                       pki_ + "/issuing-ca.pem -noout -text");
  };
  auto empty = fetch_crl();
  EXPECT_NE(empty.output.find("verify OK"), std::string::npos) << empty.output;
  EXPECT_NE(empty.output.find("No Revoked Certificates"), std::string::npos) << empty.output;

  // A second later than the signature: what was signed before the withdrawal stands.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto withdrawn =
      bearer_json(app_->port(), admin, "POST", path, json::object{{"reason", "key_compromise"}});
  ASSERT_EQ(withdrawn.status, 201) << withdrawn.body;
  const std::string serial(json_object(withdrawn).at("serial").as_string());
  auto serial_of = run_command("openssl x509 -in " + pki_ + "/agencies/dbd.pem -noout -serial");
  EXPECT_NE(serial_of.output.find("serial=" + serial), std::string::npos) << serial_of.output;
  EXPECT_EQ(
      bearer_json(app_->port(), admin, "POST", path, json::object{{"reason", "key_compromise"}})
          .status,
      409);

  // The CRL, checked by OpenSSL against the issuing CA, lists it at once.
  auto listed = fetch_crl();
  EXPECT_NE(listed.output.find("verify OK"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("Serial Number: " + serial), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("Key Compromise"), std::string::npos) << listed.output;
  // ... and the signer's certificate fails a check that asks the CRL.
  auto chain = run_command(
      "cat " + pki_ + "/root-ca.pem " + pki_ + "/issuing-ca.pem > " +
      shell_quoted(dir.path() / "cas.pem") + " && openssl crl -inform DER -in " +
      shell_quoted(crl_path) + " -out " + shell_quoted(dir.path() / "crl.pem") +
      " && openssl verify -crl_check -CAfile " + shell_quoted(dir.path() / "cas.pem") +
      " -CRLfile " + shell_quoted(dir.path() / "crl.pem") + " " + pki_ + "/agencies/dbd.pem");
  EXPECT_NE(chain.output.find("certificate revoked"), std::string::npos) << chain.output;

  // What it signed before stands; nothing more is signed with it.
  EXPECT_EQ(verify(pdf).at("outcome"), "valid");
  const std::string second = submit_company_certificate(app_->port(), applicant);
  approve_and_pay(officer, applicant, second);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // three rounds of the issuer
  const auto documents = documents_of(applicant);
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].at("status"), "issuing");
  EXPECT_FALSE(documents[0].as_object().contains("file"));
}

TEST_P(IssuedDocumentsTest, EachWayAFileCanFailIsToldApart) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  approved(applicant);
  const auto document = issued(applicant);
  ASSERT_FALSE(document.empty());
  const std::string pdf = file_of(applicant, std::string(document.at("number").as_string()));
  TempDir dir;

  // One byte changed inside the signed range.
  std::string changed = pdf;
  changed[changed.size() / 3] = static_cast<char>(changed[changed.size() / 3] ^ 0x01);
  EXPECT_EQ(verify(changed).at("outcome"), "modified");

  // A second, unsigned update appended (a new Info dictionary, its xref and trailer).
  const auto startxref = pdf.rfind("startxref");
  ASSERT_NE(startxref, std::string::npos);
  const long long previous = std::stoll(pdf.substr(startxref + 10));
  const auto size_at = pdf.rfind("/Size ");
  const long long size = std::stoll(pdf.substr(size_at + 6));
  const auto root_at = pdf.rfind("/Root ");
  const std::string root = pdf.substr(root_at, pdf.find(" R", root_at + 6) - root_at + 2);
  std::string appended = pdf;
  const auto object_at = appended.size();
  appended += std::to_string(size) + " 0 obj\n<< /Title (changed) >>\nendobj\n";
  const auto xref_at = appended.size();
  char entry[32];
  std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", object_at);
  appended += "xref\n" + std::to_string(size) + " 1\n" + entry + "trailer\n<< /Size " +
              std::to_string(size + 1) + " " + root + " /Info " + std::to_string(size) +
              " 0 R /Prev " + std::to_string(previous) + " >>\nstartxref\n" +
              std::to_string(xref_at) + "\n%%EOF\n";
  EXPECT_EQ(verify(appended).at("outcome"), "changed_after_signing");

  // Not a PDF at all; a PDF with no signature; an encrypted one.
  EXPECT_EQ(verify("\x89PNG\r\n\x1a\n not a pdf").at("outcome"), "not_pdf");
  // The same pages printed to a new PDF: no signature.
  const auto unsigned_pdf = dir.path() / "unsigned.pdf";
  ASSERT_EQ(run_command("pdftocairo -pdf " + shell_quoted(write(dir, "s.pdf", pdf)) + " " +
                        shell_quoted(unsigned_pdf))
                .exit_code,
            0);
  std::ifstream in(unsigned_pdf, std::ios::binary);
  const std::string plain((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(verify(plain).at("outcome"), "no_signature");
  const auto encrypted = dir.path() / "encrypted.pdf";
  run_command("qpdf --encrypt user owner 256 -- " + shell_quoted(dir.path() / "s.pdf") + " " +
              shell_quoted(encrypted));
  std::ifstream enc_in(encrypted, std::ios::binary);
  const std::string locked((std::istreambuf_iterator<char>(enc_in)), {});
  ASSERT_FALSE(locked.empty());
  EXPECT_EQ(verify(locked).at("outcome"), "encrypted");
  // Signed again by a signer under another root: not an agency Pratu trusts.
  const auto stranger_pki = dir.path() / "stranger";
  ASSERT_TRUE(crypto::make_test_hierarchy(stranger_pki, {"dbd"}, std::time(nullptr) - 3600));
  auto stranger = crypto::FileSigner::load((stranger_pki / "agencies/dbd.key").string(),
                                           stranger_pki / "agencies/dbd-chain.pem");
  ASSERT_TRUE(stranger);
  SystemClock clock;
  crypto::SecureRandom random;
  auto stranger_tsa = crypto::LocalTimestampAuthority::load(
      {stranger_pki / "tsa.key", stranger_pki / "tsa.pem", stranger_pki / "tsa-chain.pem"}, clock,
      random);
  ASSERT_TRUE(stranger_tsa);
  pdf::SignatureFields fields;
  fields.name = "Someone else";
  fields.signing_time = std::time(nullptr);
  auto forged = pdf::sign_pdf(plain, **stranger, stranger_tsa->get(), fields);
  ASSERT_TRUE(forged) << forged.error().detail;
  EXPECT_EQ(verify(*forged).at("outcome"), "untrusted_signer");

  // Cut short.
  EXPECT_NE(verify(pdf.substr(0, pdf.size() / 2)).at("outcome"), "valid");

  // 200 MB is refused before it is read, and the server goes on answering.
  auto huge = run_command(
      "head -c 200000000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' "
      "-H 'Content-Type: application/pdf' --data-binary @- "
      "http://127.0.0.1:" +
      std::to_string(app_->port()) + "/api/v1/verify");
  EXPECT_EQ(huge.output, "413") << huge.output;
  EXPECT_EQ(verify(pdf).at("outcome"), "valid");
}

TEST_P(IssuedDocumentsTest, TheAgencySuspendsReinstatesAndRevokesAndEveryCheckShowsItAtOnce) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  approved(applicant);
  const auto document = issued(applicant);
  ASSERT_FALSE(document.empty());
  const std::string number(document.at("number").as_string());
  const std::string pdf = file_of(applicant, number);
  const auto officer = api_token(app_->port(), kOfficer, kOfficerPassword);
  const std::string status_path = "/api/v1/documents/" + number + "/status";

  // No reason, no change; a stranger agency's officer and the holder may not.
  auto bare =
      bearer_json(app_->port(), officer, "POST", status_path, json::object{{"action", "suspend"}});
  EXPECT_EQ(bare.status, 422) << bare.body;
  const auto other = api_token(app_->port(), kOtherOfficer, kOfficerPassword);
  EXPECT_EQ(bearer_json(app_->port(), other, "POST", status_path,
                        json::object{{"action", "revoke"}, {"reason", "x"}})
                .status,
            404);
  EXPECT_EQ(bearer_json(app_->port(), applicant, "POST", status_path,
                        json::object{{"action", "revoke"}, {"reason", "x"}})
                .status,
            403);

  auto suspended = bearer_json(app_->port(), officer, "POST", status_path,
                               json::object{{"action", "suspend"}, {"reason", "ตรวจสอบเพิ่มเติม"}});
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_EQ(verify(pdf).at("document").at("status"), "suspended");
  HttpClient visitor(app_->port());
  auto page = visitor.get("/verify/" + number);
  EXPECT_NE(page.body.find("data-state=\"suspended\""), std::string::npos);
  EXPECT_NE(page.body.find("ตรวจสอบเพิ่มเติม"), std::string::npos);

  ASSERT_EQ(bearer_json(app_->port(), officer, "POST", status_path,
                        json::object{{"action", "reinstate"}, {"reason", "ตรวจแล้วถูกต้อง"}})
                .status,
            200);
  EXPECT_EQ(verify(pdf).at("document").at("status"), "valid");
  ASSERT_EQ(bearer_json(app_->port(), officer, "POST", status_path,
                        json::object{{"action", "revoke"}, {"reason", "ออกโดยผิดพลาด"}})
                .status,
            200);
  EXPECT_EQ(verify(pdf).at("document").at("status"), "revoked");
  EXPECT_EQ(bearer_json(app_->port(), officer, "POST", status_path,
                        json::object{{"action", "reinstate"}, {"reason", "ลองคืน"}})
                .status,
            422);

  // The holder was told each time, and the history keeps each step with its reason.
  const auto notices =
      json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/notifications"));
  int told = 0;
  for (const auto& n : notices.at("notifications").as_array()) {
    if (n.at("topic") == "documents.status_changed") ++told;
  }
  EXPECT_EQ(told, 3);
  const auto detail =
      json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/documents/" + number));
  const auto& history = detail.at("history").as_array();
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[3].at("kind"), "revoked");
  EXPECT_EQ(history[3].at("reason"), "ออกโดยผิดพลาด");
}

TEST_P(IssuedDocumentsTest, OnlyTheHolderAndTheAgencySeeTheFileAndAVisitorSeesTheNameMasked) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  approved(applicant);
  const auto document = issued(applicant);
  ASSERT_FALSE(document.empty());
  const std::string number(document.at("number").as_string());
  const std::string verify_url(document.at("verify_url").as_string());
  const std::string code = verify_url.substr(verify_url.find("?c=") + 3);

  register_applicant(*client_, "1101700230708", "another-strong-password");
  const auto stranger = api_token(app_->port(), "1101700230708", "another-strong-password");
  EXPECT_EQ(bearer_request(app_->port(), stranger, "GET", "/api/v1/documents/" + number).status,
            404);
  EXPECT_EQ(
      bearer_request(app_->port(), stranger, "GET", "/api/v1/documents/" + number + "/file").status,
      404);
  // A number that does not exist answers the same.
  EXPECT_EQ(
      bearer_request(app_->port(), stranger, "GET", "/api/v1/documents/DBD-C-2569-999999").status,
      404);
  const auto officer = api_token(app_->port(), kOfficer, kOfficerPassword);
  EXPECT_EQ(
      bearer_request(app_->port(), officer, "GET", "/api/v1/documents/" + number + "/file").status,
      200);
  const auto other = api_token(app_->port(), kOtherOfficer, kOfficerPassword);
  EXPECT_EQ(bearer_request(app_->port(), other, "GET", "/api/v1/documents/" + number).status, 404);
  // The agency's own clerk sees its receipts, never its licences (docs/adr/0032).
  const auto clerk = api_token(app_->port(), "cashier.dbd@demo.pratu.example", kOfficerPassword);
  EXPECT_EQ(bearer_request(app_->port(), clerk, "GET", "/api/v1/documents/" + number).status, 404);
  EXPECT_EQ(
      bearer_request(app_->port(), clerk, "GET", "/api/v1/documents/" + number + "/file").status,
      404);

  HttpClient visitor(app_->port());
  auto masked = visitor.get("/verify/" + number);
  EXPECT_EQ(masked.status, 200);
  EXPECT_EQ(masked.body.find("สมชาย"), std::string::npos) << "the name is shown without the code";
  EXPECT_NE(masked.body.find("data-state=\"valid\""), std::string::npos);
  auto full = visitor.get("/verify/" + number + "?c=" + code);
  EXPECT_NE(full.body.find("สมชาย"), std::string::npos);
  auto wrong = visitor.get("/verify/" + number + "?c=AAAAAAAAAA");
  EXPECT_EQ(wrong.body.find("สมชาย"), std::string::npos);
  auto unknown = visitor.get("/verify/DBD-C-2569-999999");
  EXPECT_EQ(unknown.status, 404);
}

PRATU_INSTANTIATE_ENGINE_TESTS(IssuedDocumentsTest);

// A stranger flooding the check: the burst is answered, then 429 with Retry-After, page and API
// alike; the flood costs nobody else their checks, and bodies that are not a PDF or not JSON
// get their own answers.
class VerifyFloodTest : public AppTest {
 protected:
  void configure(app::Config& config) override {
    config.modules["documents.verify_per_minute"] = "2";
    config.modules["documents.verify_burst"] = "3";
  }
};

TEST_P(VerifyFloodTest, AFloodOfChecksFromOneAddressIsRefusedWithRetryAfter) {
  HttpClient stranger(app_->port());
  int answered = 0;
  std::string retry_after;
  for (int i = 0; i < 6; ++i) {
    auto response = stranger.request("POST", "/api/v1/verify", "%PDF-1.7 nothing",
                                     {{"Content-Type", "application/pdf"}});
    if (response.status == 200) ++answered;
    if (response.status == 429) retry_after = response.header("Retry-After");
  }
  EXPECT_EQ(answered, 3);
  EXPECT_FALSE(retry_after.empty());
  EXPECT_GT(std::stoi(retry_after), 0);
  // The limit comes before the body is looked at: whatever is sent, still 429.
  auto typed =
      stranger.request("POST", "/api/v1/verify", "{}", {{"Content-Type", "application/json"}});
  EXPECT_EQ(typed.status, 429);
  // Malformed JSON on the agency's status route: a clear 4xx, never a 500.
  const auto officer =
      api_token(app_->port(), "officer.dbd@demo.pratu.example", "pratu-demo-officer");
  auto broken =
      bearer_request(app_->port(), officer, "POST", "/api/v1/documents/DBD-C-2569-000001/status",
                     "{\"action\":", {{"Content-Type", "application/json"}});
  EXPECT_GE(broken.status, 400);
  EXPECT_LT(broken.status, 500);
}

PRATU_INSTANTIATE_ENGINE_TESTS(VerifyFloodTest);

}  // namespace
}  // namespace pratu::test
