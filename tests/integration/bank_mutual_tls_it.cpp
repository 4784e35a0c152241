// Mutual TLS in front of the bank webhook (docs/bank-webhook.md, "Mutual TLS"), with tools
// nobody here wrote: openssl makes a CA and the certificates, a real nginx terminates TLS,
// verifies the client's certificate and passes it on, and curl is the bank. Pratu trusts that
// proxy and takes the confirmations of a bank that pins a certificate only when they come with
// that certificate, on SQLite and PostgreSQL.

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

#include "common/clock.hpp"
#include "crypto/pki.hpp"
#include "domains/payments/bank_confirmation.hpp"
#include "domains/payments/bank_simulator.hpp"
#include "domains/payments/bill_repository.hpp"
#include "domains/payments/confirmation_service.hpp"
#include "platform/services.hpp"
#include "storage/database.hpp"
#include "support/applicants.hpp"
#include "support/bills.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace pay = pratu::payments;

// A port nothing listens on now (nginx cannot be told to pick one).
int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(s);
  return port;
}

// A key and a certificate for `name` under `dir`, signed by the test CA there (made first).
bool make_certificate(const fs::path& dir, const std::string& name) {
  const auto key = shell_quoted(dir / (name + ".key"));
  const auto csr = shell_quoted(dir / (name + ".csr"));
  const auto pem = shell_quoted(dir / (name + ".pem"));
  const auto ca = shell_quoted(dir / "ca.pem");
  const auto ca_key = shell_quoted(dir / "ca.key");
  return run_command("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " +
                     key + " -out " + csr + " -subj '/CN=" + name + "'")
                 .exit_code == 0 &&
         run_command("openssl x509 -req -in " + csr + " -CA " + ca + " -CAkey " + ca_key +
                     " -CAcreateserial -days 2 -out " + pem)
                 .exit_code == 0;
}

class BankMutualTlsIT : public AppTest {
 protected:
  // nginx on this machine is the proxy in front of Pratu.
  void configure(app::Config& config) override { config.server.trusted_proxies = "127.0.0.1"; }

  // Every test here needs the proxy running and a connection of its own to Pratu's database.
  void SetUp() override {
    AppTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (tools_missing()) {
      if (std::getenv("CI") != nullptr) FAIL() << "nginx, curl or openssl is missing";
      GTEST_SKIP() << "nginx, curl or openssl is missing (bin/install-deps --test installs them)";
    }
    port_ = start_proxy();
    ASSERT_NE(port_, 0) << run_command("cat " + shell_quoted(dir_.path() / "error.log")).output;
    auto db = storage::open_database({.url = db_->url()});
    ASSERT_TRUE(db) << db.error().detail;
    database_ = std::move(*db);
  }

  void TearDown() override {
    if (!nginx_conf_.empty()) {
      (void)run_command("nginx -p " + shell_quoted(dir_.path()) + " -c " +
                        shell_quoted(nginx_conf_) + " -s stop");
    }
    database_.reset();  // before the test database goes
    AppTest::TearDown();
  }

  // Starts nginx: TLS on `port`, a client certificate verified against the CA when one is
  // shown (optional, so that Pratu is the one refusing), passed on percent-encoded.
  bool start_nginx(int port) {
    nginx_conf_ = dir_.path() / "nginx.conf";
    const std::string d = dir_.path().string();
    std::ofstream(nginx_conf_)
        << "worker_processes 1;\npid " << d << "/nginx.pid;\nerror_log " << d
        << "/error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n"
        << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
        << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
        << "  scgi_temp_path " << d << "/scgi;\n  server {\n    listen 127.0.0.1:" << port
        << " ssl;\n    ssl_certificate " << d << "/server.pem;\n    ssl_certificate_key " << d
        << "/server.key;\n    ssl_client_certificate " << d << "/ca.pem;\n"
        << "    ssl_verify_client optional;\n    location / {\n"
        << "      proxy_pass http://127.0.0.1:" << app_->port() << ";\n"
        << "      proxy_set_header X-Client-Certificate $ssl_client_escaped_cert;\n"
        << "      proxy_set_header X-Forwarded-For $remote_addr;\n"
        << "      proxy_set_header X-Forwarded-Proto https;\n    }\n  }\n}\n";
    auto started = run_command("nginx -p " + shell_quoted(dir_.path()) + " -c " +
                               shell_quoted(nginx_conf_) + " >/dev/null 2>&1");
    return started.exit_code == 0;
  }

  // What curl, as the bank, gets for `body` signed with `secret`, through nginx on `port`
  // with the client certificate `name` (none when empty): the status and the body.
  std::pair<int, std::string> send(int port, const std::string& name, const std::string& secret,
                                   const std::string& body) {
    const auto signature = pay::sign_confirmation(
        secret,
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()), body);
    const fs::path file = dir_.path() / "body.json";
    std::ofstream(file, std::ios::binary | std::ios::trunc) << body;
    std::string command = "curl -sk --max-time 20 -o " + shell_quoted(dir_.path() / "answer") +
                          " -w '%{http_code}' -H 'Content-Type: application/json' -H '" +
                          std::string(pay::kTimestampHeader) + ": " + signature.timestamp +
                          "' -H '" + std::string(pay::kSignatureHeader) + ": " +
                          signature.signature + "' --data-binary @" + shell_quoted(file);
    if (!name.empty()) {
      command += " --cert " + shell_quoted(dir_.path() / (name + ".pem")) + " --key " +
                 shell_quoted(dir_.path() / (name + ".key"));
    }
    command += " https://127.0.0.1:" + std::to_string(port) + "/api/v1/banks/sim/confirmations";
    auto ran = run_command(command, Stderr::dropped);
    std::ifstream in(dir_.path() / "answer", std::ios::binary);
    std::string answer((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return {std::atoi(ran.output.c_str()), answer};
  }

  // A test CA; from it the bank's client certificate, another client's (nginx lets both in)
  // and nginx's own; nginx on a free port: the port, or 0.
  int start_proxy() {
    const fs::path d = dir_.path();
    if (run_command("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                    "-keyout " +
                    shell_quoted(d / "ca.key") + " -out " + shell_quoted(d / "ca.pem") +
                    " -days 2 -subj '/CN=Pratu test bank CA'")
                .exit_code != 0 ||
        !make_certificate(d, "bank") || !make_certificate(d, "other") ||
        !make_certificate(d, "server")) {
      return 0;
    }
    const int port = free_port();
    return start_nginx(port) ? port : 0;
  }

  std::string pem(const std::string& name) {
    return run_command("cat " + shell_quoted(dir_.path() / (name + ".pem")), Stderr::dropped)
        .output;
  }

  // Pins certificate `name` for the sim bank, as `pratu bank pin sim NAME.pem` does.
  void pin(storage::Database& db, const std::string& name) {
    auto sha256 = crypto::certificate_sha256(pem(name));
    ASSERT_TRUE(sha256) << sha256.error().detail;
    auto pinned = db.write_value<bool>([&](storage::Connection& c) {
      return pay::repository::pin_client_certificate(c, "sim", *sha256);
    });
    ASSERT_TRUE(pinned && *pinned);
  }

  // A confirmation paying bill `bill` in full, with the bank's transaction `transaction`.
  static std::string paying(const json::object& bill, const std::string& transaction) {
    return pay::confirmation_body(transaction, std::string(bill.at("biller_id").as_string()),
                                  std::string(bill.at("ref1").as_string()),
                                  std::string(bill.at("ref2").as_string()),
                                  bill.at("total_satang").as_int64(),
                                  std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count(),
                                  "QR");
  }

  bool tools_missing() {
    return run_command("command -v nginx && command -v curl && command -v openssl").exit_code != 0;
  }

  TempDir dir_;
  fs::path nginx_conf_;
  int port_ = 0;
  std::unique_ptr<storage::Database> database_;
};

TEST_P(BankMutualTlsIT, APinnedBanksConfirmationIsTakenOnlyWithItsCertificate) {
  const int port = port_;
  storage::Database& db = *database_;
  pin(db, "bank");

  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed_application(app_->port(), applicant);
  const std::string body = paying(bill_of(app_->port(), applicant, id), "SIM-TLS-1");
  const std::string secret = simulator_secret(db_->url());

  // Signed with the bank's secret, but shown another certificate, or none: refused.
  for (const std::string name : {"other", ""}) {
    auto [status, answer] = send(port, name, secret, body);
    EXPECT_EQ(status, 401) << (name.empty() ? "no certificate" : name) << ": " << answer;
    EXPECT_NE(answer.find("payments.confirmation.client_certificate"), std::string::npos) << answer;
  }
  // Straight to Pratu, past the proxy: no certificate either.
  const auto at =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto signature = pay::sign_confirmation(secret, at, body);
  HttpClient direct(app_->port());
  auto straight = direct.request("POST", "/api/v1/banks/sim/confirmations", body,
                                 {{"Content-Type", "application/json"},
                                  {std::string(pay::kTimestampHeader), signature.timestamp},
                                  {std::string(pay::kSignatureHeader), signature.signature}});
  EXPECT_EQ(straight.status, 401) << straight.body;
  EXPECT_EQ(bill_of(app_->port(), applicant, id).at("status").as_string(), "awaiting");

  // With its own certificate and the wrong secret: the HMAC still counts.
  auto [forged, forged_answer] = send(port, "bank", "not-the-secret", body);
  EXPECT_EQ(forged, 401) << forged_answer;
  EXPECT_NE(forged_answer.find("payments.confirmation.bad_signature"), std::string::npos)
      << forged_answer;

  // The bank itself: recorded, and the application moves on.
  auto [status, answer] = send(port, "bank", secret, body);
  ASSERT_EQ(status, 200) << answer;
  EXPECT_EQ(json::parse(answer).as_object().at("status").as_string(), "recorded");
  EXPECT_EQ(bill_of(app_->port(), applicant, id).at("status").as_string(), "paid");
}

// A bank renewing its certificate: the operator pins the new one, and both are taken until
// `pratu bank end-rotation`; then only the new one.
TEST_P(BankMutualTlsIT, ARenewingBanksOldAndNewCertificatesAreBothTakenUntilTheRotationEnds) {
  const int port = port_;
  storage::Database& db = *database_;
  pin(db, "bank");
  pin(db, "other");  // the renewed certificate ("other" stands for it)
  pin(db, "other");  // pinned twice by mistake: the old one is still kept

  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string secret = simulator_secret(db_->url());
  int paid = 0;
  for (const std::string name : {"bank", "other"}) {
    const std::string id = billed_application(app_->port(), applicant);
    auto [status, answer] =
        send(port, name, secret, paying(bill_of(app_->port(), applicant, id), "SIM-RENEW-" + name));
    EXPECT_EQ(status, 200) << name << ": " << answer;
    paid += bill_of(app_->port(), applicant, id).at("status").as_string() == "paid" ? 1 : 0;
  }
  EXPECT_EQ(paid, 2);

  ASSERT_TRUE(db.write_value<bool>(
      [](storage::Connection& c) { return pay::repository::end_secret_rotation(c, "sim"); }));
  // The running server keeps what it read for a minute: a service reading afresh decides.
  SystemClock clock;
  platform::Services none;
  pay::ConfirmationService fresh(db, clock, none);
  const std::string body = "{}";
  const auto signature = pay::sign_confirmation(
      "not-the-secret",
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()), body);
  auto old = fresh.receive("sim", signature.timestamp, signature.signature, body, pem("bank"));
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().message_key, "payments.confirmation.client_certificate");
  // The new one passes the certificate check and meets the signature's.
  auto renewed = fresh.receive("sim", signature.timestamp, signature.signature, body, pem("other"));
  ASSERT_FALSE(renewed);
  EXPECT_EQ(renewed.error().message_key, "payments.confirmation.bad_signature");
}

PRATU_INSTANTIATE_ENGINE_TESTS(BankMutualTlsIT);

}  // namespace
}  // namespace pratu::test
