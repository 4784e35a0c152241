// Resumable uploads (tus 1.0) into the document wallet through the real server on SQLite and
// PostgreSQL: a file sent in two halves arrives byte for byte, offsets are enforced, files are
// judged by their content (qpdf opens every PDF), and somebody else's upload does not exist.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "crypto/digest.hpp"
#include "support/applicants.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

constexpr std::string_view kPng = "\x89PNG\r\n\x1A\n";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class TusUploadsIT : public AppTest {
 protected:
  std::string applicant() {
    return api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  }

  // A second applicant, registered through the page.
  std::string another_applicant() {
    HttpClient browser(app_->port());
    const std::string password = "another long passphrase";
    EXPECT_EQ(register_applicant(browser, "1101700203034", password).status, 303);
    return api_token(app_->port(), "1101700203034", password);
  }

  HttpResponse call(const std::string& token, const std::string& method, const std::string& target,
                    const std::string& body = {}, Headers extra = {}) {
    extra.emplace_back("Accept-Language", "en");  // the reasons are checked in English
    bool versioned = false;
    for (const auto& [name, value] : extra) versioned |= name == "Tus-Resumable";
    if (!versioned) extra.emplace_back("Tus-Resumable", "1.0.0");
    return bearer_request(app_->port(), token, method, target, body, std::move(extra));
  }

  // Creates an upload of `length` bytes; its path.
  std::string create(const std::string& token, std::size_t length,
                     const std::string& metadata = "filename cGFzc3BvcnQucG5n") {
    auto created = call(token, "POST", "/api/v1/uploads", {},
                        {{"Upload-Length", std::to_string(length)}, {"Upload-Metadata", metadata}});
    EXPECT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.header("Tus-Resumable"), "1.0.0");
    EXPECT_FALSE(created.header("Upload-Expires").empty());
    return created.header("Location");
  }

  HttpResponse patch(const std::string& token, const std::string& location, std::size_t offset,
                     const std::string& bytes) {
    return call(token, "PATCH", location, bytes,
                {{"Content-Type", "application/offset+octet-stream"},
                 {"Upload-Offset", std::to_string(offset)}});
  }

  // Sends `bytes` whole as a new upload; the last PATCH's answer.
  HttpResponse upload(const std::string& token, const std::string& bytes) {
    const auto location = create(token, bytes.size());
    return patch(token, location, 0, bytes);
  }

  // A PDF made by qpdf from a one-page file, optionally encrypted with a user password.
  std::string pdf(bool encrypted) {
    const auto raw = dir_.path() / "raw.pdf";
    std::ofstream(raw) << "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                          "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                          "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
                          "trailer<</Root 1 0 R/Size 4>>\n%%EOF\n";
    const auto good = dir_.path() / "good.pdf";
    const auto out = dir_.path() / "out.pdf";
    // 3: qpdf rebuilt the cross-reference table the hand-written file lacks.
    EXPECT_EQ(WEXITSTATUS(std::system(
                  ("qpdf " + raw.string() + " " + good.string() + " 2>/dev/null").c_str())),
              3);
    if (!encrypted) return read_file(good);
    EXPECT_EQ(
        std::system(
            ("qpdf --encrypt secret owner 256 -- " + good.string() + " " + out.string()).c_str()),
        0);
    return read_file(out);
  }

  static std::string png() { return std::string(kPng) + std::string(3000, '\x42'); }

  TempDir dir_{"pratu-tus-"};
};

TEST_P(TusUploadsIT, DescribesItselfToAnyone) {
  auto options = client_->request("OPTIONS", "/api/v1/uploads");
  EXPECT_EQ(options.status, 204);
  EXPECT_EQ(options.header("Tus-Resumable"), "1.0.0");
  EXPECT_EQ(options.header("Tus-Version"), "1.0.0");
  EXPECT_EQ(options.header("Tus-Extension"), "creation,termination,expiration");
  EXPECT_EQ(options.header("Tus-Max-Size"), std::to_string(20 * 1024 * 1024));
}

TEST_P(TusUploadsIT, AFileSentInTwoHalvesArrivesByteForByte) {
  const auto token = applicant();
  const std::string bytes = png() + std::string(100'000, '\x07');
  const auto location = create(token, bytes.size());
  ASSERT_TRUE(location.starts_with("/api/v1/uploads/")) << location;

  auto head = call(token, "HEAD", location);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Upload-Offset"), "0");
  EXPECT_EQ(head.header("Upload-Length"), std::to_string(bytes.size()));
  EXPECT_EQ(head.header("Cache-Control"), "no-store");
  EXPECT_FALSE(head.header("Upload-Expires").empty());
  EXPECT_EQ(head.header("Upload-Document"), "");

  const std::size_t half = bytes.size() / 2;
  auto first = patch(token, location, 0, bytes.substr(0, half));
  EXPECT_EQ(first.status, 204) << first.body;
  EXPECT_EQ(first.header("Upload-Offset"), std::to_string(half));
  EXPECT_EQ(call(token, "HEAD", location).header("Upload-Offset"), std::to_string(half));

  // Out of step: the client thinks it is elsewhere.
  auto wrong = patch(token, location, 10, bytes.substr(10));
  EXPECT_EQ(wrong.status, 409);
  EXPECT_EQ(wrong.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(wrong.header("Tus-Resumable"), "1.0.0");

  auto second = patch(token, location, half, bytes.substr(half));
  EXPECT_EQ(second.status, 204) << second.body;
  EXPECT_EQ(second.header("Upload-Offset"), std::to_string(bytes.size()));

  auto wallet = call(token, "GET", "/api/v1/wallet");
  ASSERT_EQ(wallet.status, 200);
  const auto documents = json::parse(wallet.body).at("documents").as_array();
  ASSERT_EQ(documents.size(), 1u);
  const auto& document = documents[0].as_object();
  EXPECT_EQ(document.at("sha256").as_string(), crypto::sha256_hex(bytes));
  EXPECT_EQ(document.at("media_type").as_string(), "image/png");
  EXPECT_EQ(document.at("size_bytes").as_int64(), static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(document.at("filename").as_string(), "passport.png");
  EXPECT_EQ(document.at("id").as_string(), second.header("Upload-Document"));
  // A client that lost the last PATCH's answer learns the document from HEAD.
  auto finished = call(token, "HEAD", location);
  EXPECT_EQ(finished.status, 200);
  EXPECT_EQ(finished.header("Upload-Offset"), std::to_string(bytes.size()));
  EXPECT_EQ(finished.header("Upload-Document"), document.at("id").as_string());
  // Stored under its content address, byte for byte.
  const std::string sha(document.at("sha256").as_string());
  EXPECT_EQ(read_file(app_->blobs_root() / sha.substr(0, 2) / sha.substr(2, 2) / sha), bytes);
}

// The promise of tus: a connection dropped midway loses nothing that arrived.
TEST_P(TusUploadsIT, ADroppedConnectionResumesWhereItStopped) {
  const auto token = applicant();
  const std::string bytes = png() + std::string(600'000, '\x11');
  const auto location = create(token, bytes.size());
  const std::size_t sent = 400'000;
  {
    HttpConnection connection(app_->port());
    ASSERT_TRUE(connection.send("PATCH " + location +
                                " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token +
                                "\r\nTus-Resumable: 1.0.0\r\n"
                                "Content-Type: application/offset+octet-stream\r\n"
                                "Upload-Offset: 0\r\nContent-Length: " +
                                std::to_string(bytes.size()) + "\r\n\r\n" + bytes.substr(0, sent)));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }  // the connection drops
  std::string offset;
  for (int i = 0; i < 50 && offset != std::to_string(sent); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    offset = call(token, "HEAD", location).header("Upload-Offset");
  }
  ASSERT_EQ(offset, std::to_string(sent));
  auto rest = patch(token, location, sent, bytes.substr(sent));
  EXPECT_EQ(rest.status, 204) << rest.body;
  const auto documents =
      json::parse(call(token, "GET", "/api/v1/wallet").body).at("documents").as_array();
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].at("sha256").as_string(), crypto::sha256_hex(bytes));
}

TEST_P(TusUploadsIT, SpeaksOnlyTus100AndTakesOnlyOffsetStreams) {
  const auto token = applicant();
  auto old = call(token, "POST", "/api/v1/uploads", {},
                  {{"Tus-Resumable", "0.2.2"}, {"Upload-Length", "10"}});
  EXPECT_EQ(old.status, 412);
  EXPECT_EQ(old.header("Tus-Resumable"), "1.0.0");
  auto huge = call(token, "POST", "/api/v1/uploads", {}, {{"Upload-Length", "999999999999"}});
  EXPECT_EQ(huge.status, 413);
  auto bad_metadata = call(token, "POST", "/api/v1/uploads", {},
                           {{"Upload-Length", "10"}, {"Upload-Metadata", "filename not*base64"}});
  EXPECT_EQ(bad_metadata.status, 422);
  auto no_length = call(token, "POST", "/api/v1/uploads");
  EXPECT_EQ(no_length.status, 422);

  const auto location = create(token, 10);
  auto json_body = call(token, "PATCH", location, "{}",
                        {{"Content-Type", "application/json"}, {"Upload-Offset", "0"}});
  EXPECT_EQ(json_body.status, 415);
  auto too_much = patch(token, location, 0, std::string(11, 'x'));
  EXPECT_EQ(too_much.status, 413);
}

// A PATCH whose Content-Length would pass Upload-Length is refused before any of it is read:
// the upload keeps what it had.
TEST_P(TusUploadsIT, APatchPastTheUploadLengthIsRefusedUnread) {
  const auto token = applicant();
  const auto location = create(token, 100);
  ASSERT_EQ(patch(token, location, 0, std::string(40, 'x')).status, 204);
  const auto started = std::chrono::steady_clock::now();
  HttpConnection connection(app_->port(), std::chrono::milliseconds(3000));
  ASSERT_TRUE(connection.send("PATCH " + location +
                              " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token +
                              "\r\nTus-Resumable: 1.0.0\r\n"
                              "Content-Type: application/offset+octet-stream\r\n"
                              "Upload-Offset: 40\r\nContent-Length: 61\r\n\r\n"));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response->header("Tus-Resumable"), "1.0.0");
  EXPECT_TRUE(connection.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ(call(token, "HEAD", location).header("Upload-Offset"), "40");
  // Exactly the rest is taken.
  EXPECT_EQ(patch(token, location, 40, std::string(60, 'x')).status, 422);  // not a PNG
}

// The last bytes arriving while the same client asks where the upload stands, or sends an empty
// PATCH at its end: every answer is sound and the wallet gets the file once.
TEST_P(TusUploadsIT, RequestsRacingTheLastPatchGetSoundAnswersAndOneDocument) {
  const auto token = applicant();
  for (int round = 0; round < 3; ++round) {
    const std::string bytes = png() + std::string(2'000'000, static_cast<char>('a' + round));
    const auto location = create(token, bytes.size());
    ASSERT_EQ(patch(token, location, 0, bytes.substr(0, 1000)).status, 204);
    std::atomic<bool> done{false};
    std::vector<int> statuses;
    std::thread racer([&] {
      for (int i = 0; i < 2000 && !done; ++i) {
        statuses.push_back(call(token, "HEAD", location).status);
        statuses.push_back(patch(token, location, bytes.size(), {}).status);
      }
    });
    auto last = patch(token, location, 1000, bytes.substr(1000));
    done = true;
    racer.join();
    EXPECT_TRUE(last.status == 204 || last.status == 409) << last.status << " " << last.body;
    for (int status : statuses) EXPECT_LT(status, 500);
    auto head = call(token, "HEAD", location);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Upload-Offset"), std::to_string(bytes.size()));
    const auto documents =
        json::parse(call(token, "GET", "/api/v1/wallet").body).at("documents").as_array();
    ASSERT_EQ(documents.size(), static_cast<std::size_t>(round + 1));
    EXPECT_EQ(documents[0].at("sha256").as_string(), crypto::sha256_hex(bytes));
    EXPECT_EQ(head.header("Upload-Document"), documents[0].at("id").as_string());
  }
}

TEST_P(TusUploadsIT, SomebodyElsesUploadDoesNotExist) {
  const auto owner = applicant();
  const auto stranger = another_applicant();
  const auto location = create(owner, 100);
  EXPECT_EQ(call(stranger, "HEAD", location).status, 404);
  EXPECT_EQ(patch(stranger, location, 0, std::string(10, 'x')).status, 404);
  EXPECT_EQ(call(stranger, "DELETE", location).status, 404);
  EXPECT_EQ(call(owner, "HEAD", location).header("Upload-Offset"), "0");
  EXPECT_TRUE(
      json::parse(call(stranger, "GET", "/api/v1/wallet").body).at("documents").as_array().empty());
}

TEST_P(TusUploadsIT, PdfsAreOpenedAndDamagedOrEncryptedOnesRefused) {
  const auto token = applicant();
  auto sound = upload(token, pdf(false));
  EXPECT_EQ(sound.status, 204) << sound.body;

  auto damaged = upload(token, "%PDF-1.4\nthis is not a pdf at all\n");
  EXPECT_EQ(damaged.status, 422);
  EXPECT_NE(damaged.body.find("damaged"), std::string::npos) << damaged.body;

  auto encrypted = upload(token, pdf(true));
  EXPECT_EQ(encrypted.status, 422);
  EXPECT_NE(encrypted.body.find("password"), std::string::npos) << encrypted.body;

  // Judged by content, not name: a text file called .pdf.
  auto text = upload(token, "just some words, called document.pdf");
  EXPECT_EQ(text.status, 422);
  EXPECT_NE(text.body.find("not a PDF, JPEG or PNG"), std::string::npos) << text.body;

  const auto documents =
      json::parse(call(token, "GET", "/api/v1/wallet").body).at("documents").as_array();
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].at("media_type").as_string(), "application/pdf");
}

TEST_P(TusUploadsIT, TerminatedUploadsAreGone) {
  const auto token = applicant();
  const auto location = create(token, 100);
  EXPECT_EQ(patch(token, location, 0, std::string(40, 'x')).status, 204);
  auto deleted = call(token, "DELETE", location);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(deleted.header("Tus-Resumable"), "1.0.0");
  EXPECT_EQ(call(token, "HEAD", location).status, 404);
  EXPECT_EQ(patch(token, location, 40, std::string(60, 'x')).status, 404);
}

TEST_P(TusUploadsIT, EachApplicantHoldsAFewUnfinishedUploadsAtMost) {
  const auto token = applicant();
  for (int i = 0; i < 10; ++i) create(token, 10);
  auto eleventh = call(token, "POST", "/api/v1/uploads", {}, {{"Upload-Length", "10"}});
  EXPECT_EQ(eleventh.status, 409);
  EXPECT_NE(eleventh.body.find("too many unfinished uploads"), std::string::npos);
}

TEST_P(TusUploadsIT, UnfinishedUploadsMayNotDeclareMoreThanTheQuota) {
  const auto token = applicant();
  create(token, 20 * 1024 * 1024);
  create(token, 20 * 1024 * 1024);
  create(token, 20 * 1024 * 1024);
  auto over = call(token, "POST", "/api/v1/uploads", {}, {{"Upload-Length", "1"}});
  EXPECT_EQ(over.status, 413);
  EXPECT_NE(over.body.find("more space than you are allowed"), std::string::npos);
}

TEST_P(TusUploadsIT, AnUploadMustBeSignedIn) {
  auto anonymous = client_->request("POST", "/api/v1/uploads", {},
                                    {{"Tus-Resumable", "1.0.0"}, {"Upload-Length", "10"}});
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(client_->get("/api/v1/wallet").status, 401);
}

PRATU_INSTANTIATE_ENGINE_TESTS(TusUploadsIT);

}  // namespace
}  // namespace pratu::test
