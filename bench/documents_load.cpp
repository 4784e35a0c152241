// The documents benchmark's probe, for bench/documents.sh: approved applications made through
// the API, their fee paid at the counter (so the payment queues the issue row as it does for an
// applicant's bank or a cashier), pages read at a
// steady rate while documents are issued, uploads checked at /api/v1/verify as fast as the
// server answers, and, in this process, the signature and the check alone.
//
//   pratu_documents_load approve --url URL --applicant-token T --officer-token T
//                                --cashier-token T --count N
//       N company-certificate applications by the applicant, one after another: created,
//       answered, submitted, then start_review and approve (checklist_confirmed) by the DBD's
//       officer; then the DBD's cashier takes the bill's payment in cash at the counter.
//   pratu_documents_load pages --url URL --path PATH [--cookie C] [--rate R] [--seconds S]
//                              [--connections C]
//       GET PATH R times a second (an open loop: a request waiting for a free connection counts
//       its wait), for S seconds; latency from the moment each request was due.
//   pratu_documents_load verify --url URL --file PDF [--connections C] [--seconds S]
//                               [--warmup S]
//       POST the file to /api/v1/verify on C connections at once, each again as soon as it is
//       answered; counts the answers that say "valid".
//   pratu_documents_load check --file PDF --pki DIR [--threads T] [--seconds S]
//       pdf::check_signed_pdf against DIR/root-ca.pem (issuing-ca.pem offered) on T threads.
//   pratu_documents_load sign --file PDF --pki DIR [--agency dbd] [--threads T] [--seconds S]
//       The file as it was before its signature, signed again (PAdES B-T, the timestamp
//       authority of DIR in this process) on T threads, as the issuer signs.
//
// Prints "key value" lines; latencies in ms (p50, p90, p99, max, nearest rank).

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/files.hpp"
#include "crypto/cms_signature.hpp"
#include "crypto/secure_random.hpp"
#include "crypto/timestamp.hpp"
#include "crypto/trust_anchors.hpp"
#include "load_client.hpp"
#include "pdf/pdf_signer.hpp"
#include "pdf/signature_check.hpp"

namespace {

using pratu::bench::Answer;
using pratu::bench::Connection;
using pratu::bench::Latencies;
using pratu::bench::ms_since;
using pratu::bench::number;
using pratu::bench::option;
using pratu::bench::Options;
using pratu::bench::options_of;
using pratu::bench::SteadyClock;
using pratu::bench::Target;
using pratu::bench::target_of;
namespace http = pratu::bench::http;
namespace json = boost::json;

// ---- approve: N approved and paid company-certificate applications through the API.

class Approvals {
 public:
  Approvals(Target target, std::string applicant, std::string officer, std::string cashier)
      : target_(std::move(target)),
        applicant_(std::move(applicant)),
        officer_(std::move(officer)),
        cashier_(std::move(cashier)) {}

  // One application from draft to approved, its fee paid; an error names the step that failed.
  std::optional<std::string> approve_one(Connection& c) {
    const auto as = [](const std::string& token) {
      return std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer " + token},
                                                              {"Content-Type", "application/json"}};
    };
    auto created = c.send(http::verb::post, "/api/v1/applications",
                          R"({"service":"company-certificate"})", as(applicant_));
    if (created.status != 201) return failed("create", created);
    std::string id;
    try {
      id = std::string(json::parse(created.body).as_object().at("id").as_string());
    } catch (const std::exception&) {
      return failed("create (no id)", created);
    }
    const std::string path = "/api/v1/applications/" + id;
    const json::object answers{{"juristic_id", "0105555000005"},
                               {"requester_name", "สมชาย"},
                               {"kinds", json::array{"certificate"}},
                               {"language", "th"},
                               {"copies", 1},
                               {"declaration", true}};
    auto saved = c.send(http::verb::patch, path,
                        json::serialize(json::object{{"answers", answers}}), as(applicant_));
    if (saved.status != 200) return failed("answer", saved);
    auto headers = as(applicant_);
    headers.emplace_back("Idempotency-Key", "bench-" + id);
    auto submitted = c.send(http::verb::post, path + "/submit", "", headers);
    if (submitted.status != 201) return failed("submit", submitted);
    for (const char* transition : {"start_review", "approve"}) {
      auto steps = c.send(http::verb::get, path + "/steps", "", as(officer_));
      if (steps.status != 200) return failed("steps", steps);
      json::object step{{"transition", transition}};
      try {
        step["revision"] = json::parse(steps.body).as_object().at("revision");
      } catch (const std::exception&) {
        return failed("steps (no revision)", steps);
      }
      if (std::string_view(transition) == "approve") step["checklist_confirmed"] = 1;
      auto taken = c.send(http::verb::post, path + "/steps", json::serialize(step), as(officer_));
      if (taken.status != 200) return failed(transition, taken);
    }
    // The approval billed the certificate's fee: the cashier takes it at the counter, and the
    // payment moves the application on to approved, which queues the issue.
    auto shown = c.send(http::verb::get, path, "", as(applicant_));
    if (shown.status != 200) return failed("application", shown);
    std::string bill;
    std::int64_t total = 0;
    try {
      const json::value application = json::parse(shown.body);
      const auto& first = application.as_object().at("bills").as_array().at(0);
      bill = std::string(first.at("id").as_string());
      total = first.at("total_satang").as_int64();
    } catch (const std::exception&) {
      return failed("application (no bill)", shown);
    }
    auto paid = c.send(http::verb::post, "/api/v1/agency/bills/" + bill + "/counter-payment",
                       json::serialize(json::object{{"method", "cash"}, {"amount_satang", total}}),
                       as(cashier_));
    if (paid.status != 201) return failed("counter-payment", paid);
    return std::nullopt;
  }

  // One application after another: an applicant holds one draft of a service at a time, and a
  // second start while one is open gives the same draft.
  int run(int count) {
    Connection c(target_.host, target_.port);
    const auto began = SteadyClock::now();
    int approved = 0;
    std::optional<std::string> error;
    while (approved < count && !(error = approve_one(c))) ++approved;
    std::cout.setf(std::ios::fixed);
    std::cout.precision(2);
    std::cout << "approved " << approved << "\napprove_seconds " << ms_since(began) / 1000 << "\n";
    if (error) {
      std::cerr << "pratu_documents_load: application " << approved + 1 << " of " << count
                << " not approved: " << *error << "\n";
      return 1;
    }
    return 0;
  }

 private:
  static std::string failed(std::string_view step, const Answer& a) {
    return std::string(step) + " answered " + std::to_string(a.status) + " " + a.error + " " +
           a.body.substr(0, 300);
  }

  Target target_;
  std::string applicant_, officer_, cashier_;
};

// ---- pages: GET a path at a steady rate.

int pages(const Target& target, const Options& o) {
  const std::string path = option(o, "--path", "/");
  const std::string cookie = option(o, "--cookie");
  const double rate = number(o, "--rate", 100);
  const double seconds = number(o, "--seconds", 10);
  const int connections = static_cast<int>(number(o, "--connections", 8));
  if (rate <= 0 || seconds <= 0 || connections < 1) return 2;
  const auto interval = std::chrono::duration<double>(1.0 / rate);
  const auto start = SteadyClock::now() + std::chrono::milliseconds(50);
  const auto total = static_cast<long>(rate * seconds);
  std::atomic<long> next{0}, errors{0};
  std::mutex mutex;
  Latencies all;
  std::map<int, long> statuses;
  auto work = [&] {
    Connection c(target.host, target.port);
    Latencies mine;
    std::map<int, long> seen;
    std::vector<std::pair<std::string, std::string>> headers{{"Accept-Language", "th"}};
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    for (long i = next++; i < total; i = next++) {
      const auto due = start + std::chrono::duration_cast<SteadyClock::duration>(
                                   interval * static_cast<double>(i));
      std::this_thread::sleep_until(due);
      auto answer = c.send(http::verb::get, path, "", headers);
      mine.ms.push_back(ms_since(due));
      ++seen[answer.status];
      if (answer.status != 200) ++errors;
    }
    std::lock_guard lock(mutex);
    all.add(mine);
    for (auto [status, n] : seen) statuses[status] += n;
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(connections));
  for (int i = 0; i < connections; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  std::cout << all.report("page") << "errors " << errors << "\n";
  for (auto [status, n] : statuses) std::cout << "status_" << status << " " << n << "\n";
  return 0;
}

// ---- verify: POST a file to /api/v1/verify as fast as the server answers.

int verify(const Target& target, const Options& o) {
  auto file = pratu::read_file(option(o, "--file"));
  if (!file) {
    std::cerr << "pratu_documents_load: " << file.error().detail << "\n";
    return 1;
  }
  const double seconds = number(o, "--seconds", 10);
  const double warmup = number(o, "--warmup", 1);
  const int connections = static_cast<int>(number(o, "--connections", 8));
  if (seconds <= 0 || warmup < 0 || connections < 1) return 2;
  const auto window_begins = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                                      std::chrono::duration<double>(warmup));
  const auto window_ends = window_begins + std::chrono::duration_cast<SteadyClock::duration>(
                                               std::chrono::duration<double>(seconds));
  std::mutex mutex;
  Latencies all;
  std::map<std::string, long> outcomes;
  long valid = 0, errors = 0;
  auto work = [&] {
    Connection c(target.host, target.port);
    Latencies mine;
    std::map<std::string, long> seen;
    long mine_valid = 0, mine_errors = 0;
    const std::vector<std::pair<std::string, std::string>> headers{
        {"Content-Type", "application/pdf"}};
    while (SteadyClock::now() < window_ends) {
      const auto sent = SteadyClock::now();
      auto answer = c.send(http::verb::post, "/api/v1/verify", *file, headers);
      const auto answered = SteadyClock::now();
      if (sent < window_begins || answered > window_ends) continue;  // outside the window
      mine.ms.push_back(std::chrono::duration<double, std::milli>(answered - sent).count());
      std::string outcome = "status_" + std::to_string(answer.status);
      if (answer.status == 200) {
        try {
          const auto body = json::parse(answer.body).as_object();
          outcome = std::string(body.at("outcome").as_string());
          if (body.at("valid").as_bool()) ++mine_valid;
        } catch (const std::exception&) {
          outcome = "unreadable";
        }
      }
      if (outcome != "valid") ++mine_errors;
      ++seen[outcome];
    }
    std::lock_guard lock(mutex);
    all.add(mine);
    valid += mine_valid;
    errors += mine_errors;
    for (const auto& [outcome, n] : seen) outcomes[outcome] += n;
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(connections));
  for (int i = 0; i < connections; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  std::cout.setf(std::ios::fixed);
  std::cout.precision(1);
  std::cout << "valid_per_second " << static_cast<double>(valid) / seconds << "\n"
            << all.report("verify") << "errors " << errors << "\n";
  for (const auto& [outcome, n] : outcomes) std::cout << "outcome_" << outcome << " " << n << "\n";
  return 0;
}

// ---- check and sign, in this process: what one document costs without the server.

// Runs `one` on `threads` threads for `seconds`; prints NAME_per_second and NAME_ms (one
// call's time on a thread, on average).
int repeat(const std::string& name, int threads, double seconds, const std::function<bool()>& one) {
  if (!one()) return 1;  // the first call also warms up
  std::atomic<long> calls{0};
  std::atomic<bool> failed{false};
  const auto ends = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                             std::chrono::duration<double>(seconds));
  const auto began = SteadyClock::now();
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&] {
      while (SteadyClock::now() < ends && !failed) {
        if (!one()) failed = true;
        ++calls;
      }
    });
  }
  for (auto& t : pool) t.join();
  if (failed) return 1;
  const double elapsed = ms_since(began) / 1000;
  std::cout.setf(std::ios::fixed);
  std::cout.precision(2);
  std::cout << name << "_per_second " << static_cast<double>(calls) / elapsed << "\n"
            << name << "_ms " << 1000 * elapsed * threads / static_cast<double>(calls) << "\n";
  return 0;
}

int check(const Options& o) {
  const std::filesystem::path pki = option(o, "--pki");
  auto file = pratu::read_file(option(o, "--file"));
  auto anchors =
      pratu::crypto::TrustAnchors::from_files(pki / "root-ca.pem", pki / "issuing-ca.pem");
  if (!file || !anchors) {
    std::cerr << "pratu_documents_load: " << (!file ? file.error().detail : anchors.error().detail)
              << "\n";
    return 1;
  }
  pratu::SystemClock clock;
  return repeat("check", static_cast<int>(number(o, "--threads", 2)), number(o, "--seconds", 5),
                [&] {
    const auto verdict = pratu::pdf::check_signed_pdf(*file, *anchors, clock.now_seconds());
    if (verdict.outcome == pratu::pdf::SignatureOutcome::valid) return true;
    std::cerr << "pratu_documents_load: the file does not check: " << verdict.why << "\n";
    return false;
  });
}

int sign(const Options& o) {
  const std::filesystem::path pki = option(o, "--pki");
  const std::string agency = option(o, "--agency", "dbd");
  auto file = pratu::read_file(option(o, "--file"));
  if (!file) {
    std::cerr << "pratu_documents_load: " << file.error().detail << "\n";
    return 1;
  }
  // The file as drawn: everything up to the first end-of-file marker and its line end; the
  // signature is an update after it.
  auto end = file->find("%%EOF");
  if (end == std::string::npos) return 1;
  end += 5;
  while (end < file->size() && (file->at(end) == '\r' || file->at(end) == '\n')) ++end;
  const std::string drawn = file->substr(0, end);
  auto signer = pratu::crypto::FileSigner::load((pki / "agencies" / (agency + ".key")).string(),
                                                pki / "agencies" / (agency + "-chain.pem"));
  pratu::SystemClock clock;
  pratu::crypto::SecureRandom random;
  auto tsa = pratu::crypto::LocalTimestampAuthority::load(
      {pki / "tsa.key", pki / "tsa.pem", pki / "tsa-chain.pem"}, clock, random);
  if (!signer || !tsa) {
    std::cerr << "pratu_documents_load: " << (!signer ? signer.error().detail : tsa.error().detail)
              << "\n";
    return 1;
  }
  // One signer per thread, as the issuer's threads share one: its key is thread-safe.
  return repeat("sign", static_cast<int>(number(o, "--threads", 2)), number(o, "--seconds", 5),
                [&] {
    pratu::pdf::SignatureFields fields{
        "bench", "bench", "bench", std::nullopt, clock.now_seconds(), "Signature1"};
    auto signed_pdf = pratu::pdf::sign_pdf(drawn, **signer, tsa->get(), fields);
    if (signed_pdf) return true;
    std::cerr << "pratu_documents_load: signing failed: " << signed_pdf.error().detail << "\n";
    return false;
  });
}

int usage() {
  std::cerr << "usage: pratu_documents_load approve|pages|verify|check|sign --OPTION VALUE ... "
               "(see bench/documents_load.cpp)\n";
  return 2;
}

int run(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string_view mode = argv[1];
  const auto options = options_of(argc, argv);
  if (!options) return usage();
  const Options& o = *options;
  if (mode == "check") return check(o);
  if (mode == "sign") return sign(o);
  const auto target = target_of(option(o, "--url"));
  if (!target) return usage();
  if (mode == "approve") {
    const int count = static_cast<int>(number(o, "--count", 0));
    if (count < 1) return usage();
    return Approvals(*target, option(o, "--applicant-token"), option(o, "--officer-token"),
                     option(o, "--cashier-token"))
        .run(count);
  }
  if (mode == "pages") return pages(*target, o);
  if (mode == "verify") return verify(*target, o);
  return usage();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "pratu_documents_load: " << e.what() << "\n";
    return 1;
  }
}
