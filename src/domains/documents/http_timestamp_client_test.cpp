/// The HTTP timestamp client against a TSA nobody in Pratu wrote the signing of: `openssl ts
/// -reply` behind tests/support/tsa_server.js.
#include "domains/documents/http_timestamp_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "crypto/digest.hpp"
#include "crypto/openssl_handles.hpp"
#include "crypto/secure_random.hpp"
#include "pdf/pdf_signer.hpp"
#include "pdf/signature_check.hpp"
#include "support/child_process.hpp"
#include "support/run_command.hpp"
#include "support/sample_pdf.hpp"
#include "support/signing_pki.hpp"
#include "support/temp_dir.hpp"

namespace pratu::documents {
namespace {

using test::run_command;
using test::shell_quoted;
using test::SigningPki;
using ::testing::HasSubstr;

// The test TSA with the hierarchy's timestamp key, on a free port.
class TsaServer {
 public:
  explicit TsaServer(const SigningPki& pki)
      : child_({"node", PRATU_SOURCE_DIR "/tests/support/tsa_server.js", "0",
                pki.path("tsa.pem").string(), pki.path("tsa.key").string(),
                pki.path("tsa-chain.pem").string()}) {
    const std::string& line = child_.first_line();
    if (line.starts_with("listening ")) port_ = std::stoi(line.substr(10));
  }
  int port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  test::Child child_;
  int port_ = 0;
};

class HttpTimestampClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (run_command("node --version").exit_code != 0) GTEST_SKIP() << "node is not installed";
    ASSERT_GT(server_.port(), 0) << "tests/support/tsa_server.js did not start";
  }
  HttpTimestampClient client(const std::string& path = "/", int timeout_ms = 15000) {
    HttpTimestampSettings settings;
    settings.url = server_.url(path);
    settings.timeout_ms = timeout_ms;
    return HttpTimestampClient(settings, random_);
  }

  const SigningPki& pki_ = SigningPki::get();
  TsaServer server_{pki_};
  crypto::SecureRandom random_;
  test::TempDir dir_;
};

TEST_F(HttpTimestampClientTest, GetsATokenOpensslVerifies) {
  auto tsa = client();
  const std::string imprint = crypto::sha256("the signature value");
  auto token = tsa.timestamp(imprint);
  ASSERT_TRUE(token) << token.error().detail;

  const auto file = dir_.write("token.der", *token);
  auto verified = run_command("openssl ts -verify -digest " + crypto::to_hex(imprint) + " -in " +
                              shell_quoted(file) + " -token_in -CAfile " +
                              shell_quoted(pki_.path("root-ca.pem")) + " -untrusted " +
                              shell_quoted(pki_.path("tsa-chain.pem")));
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("Verification: OK"));
  auto shown = run_command("openssl ts -reply -in " + shell_quoted(file) + " -token_in -text");
  EXPECT_THAT(shown.output, HasSubstr("Policy OID: 2.999.1.3161.1"));

  auto checked = crypto::verify_timestamp_token(*token, imprint, pki_.anchors(), SigningPki::now());
  EXPECT_TRUE(checked.ok) << checked.why;
  EXPECT_THAT(checked.tsa_subject, HasSubstr("Pratu Test Timestamping"));
}

TEST_F(HttpTimestampClientTest, TimestampsASignedPdfThatChecksValid) {
  auto tsa = client();
  auto signer = pki_.signer();
  pdf::SignatureFields fields;
  fields.name = "Pratu test agency";
  fields.signing_time = SigningPki::now();
  auto signed_pdf = pdf::sign_pdf(test::sample_pdf(), *signer, &tsa, fields);
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().detail;
  auto verdict = pdf::check_signed_pdf(*signed_pdf, pki_.anchors(), SigningPki::now());
  EXPECT_EQ(verdict.outcome, pdf::SignatureOutcome::valid) << verdict.why;
  auto pdfsig =
      run_command("pdfsig -nocert " + shell_quoted(dir_.write("signed.pdf", *signed_pdf)));
  EXPECT_THAT(pdfsig.output, HasSubstr("Signature is Valid."));
}

TEST_F(HttpTimestampClientTest, AnHttpErrorATooLargeReplyOrAReplayIsUnavailable) {
  const std::string imprint = crypto::sha256("x");
  auto failing = client("/status/503").timestamp(imprint);
  ASSERT_FALSE(failing);
  EXPECT_EQ(failing.error().code, ErrorCode::unavailable);
  EXPECT_THAT(failing.error().detail, HasSubstr("HTTP 503"));

  auto huge = client("/huge").timestamp(imprint);
  ASSERT_FALSE(huge);
  EXPECT_THAT(huge.error().detail, HasSubstr("larger than 65536"));

  // The first reply again, for a later request: the nonce gives it away.
  ASSERT_TRUE(client("/replay").timestamp(imprint));
  auto replayed = client("/replay").timestamp(imprint);
  ASSERT_FALSE(replayed);
  EXPECT_THAT(replayed.error().detail, HasSubstr("nonce"));
}

TEST_F(HttpTimestampClientTest, GivesUpAtTheTimeoutAndWhenNobodyListens) {
  const std::string imprint = crypto::sha256("x");
  const auto start = std::chrono::steady_clock::now();
  auto slow = client("/slow", 500).timestamp(imprint);
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, ErrorCode::unavailable);
  EXPECT_LT(waited, std::chrono::milliseconds(2500));

  HttpTimestampSettings nobody;
  nobody.url = "http://127.0.0.1:1/";
  auto refused = HttpTimestampClient(nobody, random_).timestamp(imprint);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);

  // TLS to a port that speaks plain HTTP fails rather than falling back.
  HttpTimestampSettings tls;
  tls.url = "https://127.0.0.1:" + std::to_string(server_.port()) + "/";
  EXPECT_FALSE(HttpTimestampClient(tls, random_).timestamp(imprint));
  EXPECT_FALSE(client().timestamp("short"));
}

TEST_F(HttpTimestampClientTest, TwoThreadsAskAtOnce) {
  auto tsa = client();
  int granted[2] = {0, 0};
  auto work = [&](int thread) {
    for (int i = 0; i < 10; ++i) {
      if (tsa.timestamp(crypto::sha256(std::to_string(thread * 100 + i)))) ++granted[thread];
    }
  };
  std::thread a(work, 0);
  std::thread b(work, 1);
  a.join();
  b.join();
  EXPECT_EQ(granted[0] + granted[1], 20);
}

}  // namespace
}  // namespace pratu::documents
