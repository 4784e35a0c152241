// The payments benchmark's load, for bench/payments.sh: bills made through the API as an
// applicant and an officer make them, then one signed confirmation per bill sent to Pratu's
// webhook as a bank sends it (docs/bank-webhook.md), on several connections at once.
//
//   pratu_payments_load bills --url URL --applicant-token T --officer-token T --count N
//                             [--connections C]
//       N signboard-tax applications by the applicant, each with the form schema's example
//       answers and one wallet picture (uploaded once) for every file: created, answered and
//       submitted one after another (an applicant holds one draft of a service at a time);
//       meanwhile C connections (default 8) take each submitted one through start_review and
//       approve (checklist_confirmed) as the BMA's officer, which bills it.
//   pratu_payments_load confirm --url URL --bills FILE --secret S [--bank sim]
//                               [--connections C] [--tag T]
//       One confirmation per line of FILE (biller_id|ref1|ref2|total_satang), paying the whole
//       amount, signed with S at the moment it is sent, POSTed to
//       /api/v1/banks/BANK/confirmations on C connections (default 16), each sending the next
//       as soon as it is answered. Transaction ids are T (default: the time) and the line's
//       number.
//
// Prints "key value" lines; latencies in ms (p50, p90, p99, max, nearest rank).

#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <fstream>
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

#include "domains/payments/bank_confirmation.hpp"
#include "domains/payments/bank_simulator.hpp"
#include "load_client.hpp"

namespace {

using pratu::bench::Answer;
using pratu::bench::Connection;
using pratu::bench::cpu_seconds;
using pratu::bench::Headers;
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

std::string failed(std::string_view step, const Answer& a) {
  return std::string(step) + " answered " + std::to_string(a.status) + " " + a.error + " " +
         a.body.substr(0, 300);
}

Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

// ---- bills: N billed signboard-tax applications through the API.

constexpr std::string_view kService = "signboard-tax";

class Bills {
 public:
  Bills(Target target, std::string applicant, std::string officer)
      : target_(std::move(target)),
        applicant_(std::move(applicant)),
        officer_(std::move(officer)) {}

  int run(int count, int connections) {
    Connection c(target_.host, target_.port);
    const auto began = SteadyClock::now();
    auto answers = example_answers(c);
    if (!answers) return 1;
    std::vector<std::thread> officers;
    officers.reserve(static_cast<std::size_t>(connections));
    for (int i = 0; i < connections; ++i) officers.emplace_back([this] { approve_submitted(); });
    int submitted = 0;
    while (submitted < count && !stopped()) {
      auto id = submit_one(c, *answers);
      if (!id) break;
      ++submitted;
      std::lock_guard lock(mutex_);
      submitted_.push_back(std::move(*id));
      ready_.notify_one();
    }
    const double submit_seconds = ms_since(began) / 1000;
    {
      std::lock_guard lock(mutex_);
      applying_ = false;
      ready_.notify_all();
    }
    for (auto& t : officers) t.join();
    std::cout.setf(std::ios::fixed);
    std::cout.precision(2);
    std::cout << "submitted " << submitted << "\nsubmit_seconds " << submit_seconds << "\nbilled "
              << billed_ << "\nbills_seconds " << ms_since(began) / 1000 << "\n";
    if (!error_.empty() || billed_ != count) {
      std::cerr << "pratu_payments_load: " << billed_ << " of " << count << " billed"
                << (error_.empty() ? "" : ": " + error_) << "\n";
      return 1;
    }
    return 0;
  }

 private:
  // The form schema's first example, every file in it made the applicant's wallet picture.
  std::optional<json::value> example_answers(Connection& c) {
    auto schema =
        c.send(http::verb::get, "/api/v1/services/" + std::string(kService) + "/form/schema");
    auto picture = wallet_picture(c);
    if (schema.status != 200 || !picture) {
      stop(schema.status != 200 ? failed("schema", schema) : "no wallet picture");
      return std::nullopt;
    }
    try {
      json::value answers = json::parse(schema.body).as_object().at("examples").as_array().at(0);
      use_file(answers, *picture);
      return answers;
    } catch (const std::exception& e) {
      stop(std::string("schema without an example: ") + e.what());
      return std::nullopt;
    }
  }

  // A small PNG put in the applicant's wallet over tus; its wallet entry.
  std::optional<json::object> wallet_picture(Connection& c) {
    const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(4000, '\x42');
    auto created =
        c.send(http::verb::post, "/api/v1/uploads", "",
               {{"Authorization", "Bearer " + applicant_},
                {"Tus-Resumable", "1.0.0"},
                {"Upload-Length", std::to_string(png.size())},
                {"Upload-Metadata", "filename cHJhdHUtYmVuY2gucG5n"}});  // pratu-bench.png
    if (created.status != 201 || created.location.empty()) {
      std::cerr << "pratu_payments_load: " << failed("upload", created) << "\n";
      return std::nullopt;
    }
    auto sent = c.send(http::verb::patch, created.location, png,
                       {{"Authorization", "Bearer " + applicant_},
                        {"Tus-Resumable", "1.0.0"},
                        {"Upload-Offset", "0"},
                        {"Content-Type", "application/offset+octet-stream"}});
    auto wallet = c.send(http::verb::get, "/api/v1/wallet", "", bearer(applicant_));
    if (sent.status != 204 || wallet.status != 200) {
      std::cerr << "pratu_payments_load: "
                << failed(sent.status != 204 ? "upload" : "wallet",
                          sent.status != 204 ? sent : wallet)
                << "\n";
      return std::nullopt;
    }
    try {
      const json::value listed = json::parse(wallet.body);
      for (const auto& d : listed.as_object().at("documents").as_array()) {
        const auto& document = d.as_object();
        if (document.at("filename").as_string() == "pratu-bench.png") return document;
      }
    } catch (const std::exception&) {
    }
    std::cerr << "pratu_payments_load: the picture is not in the wallet: " << wallet.body << "\n";
    return std::nullopt;
  }

  // Every file answer of `answers` made `file` of the wallet.
  static void use_file(json::value& answers, const json::object& file) {
    if (answers.is_object()) {
      auto& object = answers.as_object();
      if (object.contains("blob")) {
        object["blob"] = file.at("sha256");
        object["media_type"] = file.at("media_type");
        object["bytes"] = file.at("size_bytes");
        return;
      }
      for (auto& [key, value] : object) use_file(value, file);
    } else if (answers.is_array()) {
      for (auto& value : answers.as_array()) use_file(value, file);
    }
  }

  // One application created, answered and submitted: its public id.
  std::optional<std::string> submit_one(Connection& c, const json::value& answers) {
    auto created = c.send(http::verb::post, "/api/v1/applications",
                          json::serialize(json::object{{"service", kService}}), bearer(applicant_));
    if (created.status != 201) return stop(failed("create", created));
    std::string id;
    try {
      id = std::string(json::parse(created.body).as_object().at("id").as_string());
    } catch (const std::exception&) {
      return stop(failed("create (no id)", created));
    }
    const std::string path = "/api/v1/applications/" + id;
    auto saved = c.send(http::verb::patch, path,
                        json::serialize(json::object{{"answers", answers}}), bearer(applicant_));
    if (saved.status != 200) return stop(failed("answer", saved));
    auto headers = bearer(applicant_);
    headers.emplace_back("Idempotency-Key", "bench-" + id);
    auto sent = c.send(http::verb::post, path + "/submit", "", headers);
    if (sent.status != 201) return stop(failed("submit", sent));
    return id;
  }

  // An officer's connection: start_review and approve for each application submitted.
  void approve_submitted() {
    Connection c(target_.host, target_.port);
    for (;;) {
      std::string id;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !submitted_.empty() || !applying_ || !error_.empty(); });
        if (submitted_.empty() || !error_.empty()) return;
        id = std::move(submitted_.front());
        submitted_.pop_front();
      }
      const std::string path = "/api/v1/applications/" + id + "/steps";
      for (const char* transition : {"start_review", "approve"}) {
        auto steps = c.send(http::verb::get, path, "", bearer(officer_));
        if (steps.status != 200) return (void)stop(failed("steps", steps));
        json::object step{{"transition", transition}};
        try {
          step["revision"] = json::parse(steps.body).as_object().at("revision");
        } catch (const std::exception&) {
          return (void)stop(failed("steps (no revision)", steps));
        }
        if (std::string_view(transition) == "approve") step["checklist_confirmed"] = 1;
        auto taken = c.send(http::verb::post, path, json::serialize(step), bearer(officer_));
        if (taken.status != 200) return (void)stop(failed(transition, taken));
      }
      ++billed_;
    }
  }

  std::optional<std::string> stop(std::string error) {
    std::lock_guard lock(mutex_);
    if (error_.empty()) error_ = std::move(error);
    ready_.notify_all();
    return std::nullopt;
  }
  bool stopped() {
    std::lock_guard lock(mutex_);
    return !error_.empty();
  }

  Target target_;
  std::string applicant_, officer_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> submitted_;
  bool applying_ = true;
  std::string error_;
  std::atomic<int> billed_{0};
};

// ---- confirm: one signed confirmation per bill, as fast as the server answers.

struct BillLine {
  std::string biller_id, ref1, ref2;
  std::int64_t total_satang = 0;
};

std::optional<std::vector<BillLine>> read_bills(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::vector<BillLine> bills;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    BillLine bill;
    std::string total;
    if (!std::getline(fields, bill.biller_id, '|') || !std::getline(fields, bill.ref1, '|') ||
        !std::getline(fields, bill.ref2, '|') || !std::getline(fields, total, '|')) {
      return std::nullopt;
    }
    bill.total_satang = std::strtoll(total.c_str(), nullptr, 10);
    bills.push_back(std::move(bill));
  }
  return bills;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int confirm(const Target& target, const Options& o) {
  const auto bills = read_bills(option(o, "--bills"));
  const std::string secret = option(o, "--secret");
  const std::string bank = option(o, "--bank", "sim");
  const std::string tag = option(o, "--tag", "B" + std::to_string(unix_now()));
  const int connections = static_cast<int>(number(o, "--connections", 16));
  if (!bills || bills->empty() || secret.empty() || connections < 1) {
    std::cerr << "pratu_payments_load: confirm needs --bills FILE (biller_id|ref1|ref2|total) and "
                 "--secret\n";
    return 2;
  }
  const std::string path = "/api/v1/banks/" + bank + "/confirmations";
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  Latencies all;
  std::map<std::string, long> outcomes;
  std::string first_error;
  const double cpu_before = cpu_seconds();
  const auto began = SteadyClock::now();
  auto work = [&] {
    Connection c(target.host, target.port);
    Latencies mine;
    std::map<std::string, long> seen;
    std::string error;
    for (std::size_t i = next++; i < bills->size(); i = next++) {
      const BillLine& bill = (*bills)[i];
      const std::int64_t now = unix_now();
      const std::string body =
          pratu::payments::confirmation_body(tag + "-" + std::to_string(i), bill.biller_id,
                                             bill.ref1, bill.ref2, bill.total_satang, now, "ENET");
      const auto signature = pratu::payments::sign_confirmation(
          secret, std::chrono::sys_seconds{std::chrono::seconds{now}}, body);
      const Headers headers{{"Content-Type", "application/json"},
                            {std::string(pratu::payments::kTimestampHeader), signature.timestamp},
                            {std::string(pratu::payments::kSignatureHeader), signature.signature}};
      const auto sent = SteadyClock::now();
      auto answer = c.send(http::verb::post, path, body, headers);
      mine.ms.push_back(ms_since(sent));
      std::string outcome = "status_" + std::to_string(answer.status);
      if (answer.status == 200 || answer.status == 202) {
        try {
          outcome = std::string(json::parse(answer.body).as_object().at("status").as_string());
        } catch (const std::exception&) {
          outcome = "unreadable";
        }
      }
      if (outcome != "recorded" && error.empty()) error = failed("confirmation", answer);
      ++seen[outcome];
    }
    std::lock_guard lock(mutex);
    all.add(mine);
    for (const auto& [outcome, n] : seen) outcomes[outcome] += n;
    if (first_error.empty()) first_error = error;
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(connections));
  for (int i = 0; i < connections; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  const double seconds = ms_since(began) / 1000;
  const long recorded = outcomes["recorded"], duplicate = outcomes["duplicate"],
             held = outcomes["held"];
  const long errors = static_cast<long>(bills->size()) - recorded - duplicate - held;
  std::cout.setf(std::ios::fixed);
  std::cout.precision(2);
  std::cout << "confirmations " << bills->size() << "\nconfirm_seconds " << seconds
            << "\nconfirmations_per_second " << static_cast<double>(bills->size()) / seconds
            << "\nrecorded_per_second " << static_cast<double>(recorded) / seconds << "\n"
            << all.report("confirm") << "recorded " << recorded << "\nduplicate " << duplicate
            << "\nheld " << held << "\nerrors " << errors << "\nload_cpu_seconds "
            << cpu_seconds() - cpu_before << "\n";
  for (const auto& [outcome, n] : outcomes) {
    if (outcome != "recorded" && outcome != "duplicate" && outcome != "held") {
      std::cout << "outcome_" << outcome << " " << n << "\n";
    }
  }
  if (!first_error.empty()) std::cerr << "pratu_payments_load: first " << first_error << "\n";
  return 0;
}

int usage() {
  std::cerr << "usage: pratu_payments_load bills|confirm --OPTION VALUE ... "
               "(see bench/payments_load.cpp)\n";
  return 2;
}

int run(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string_view mode = argv[1];
  const auto options = options_of(argc, argv);
  if (!options) return usage();
  const Options& o = *options;
  const auto target = target_of(option(o, "--url"));
  if (!target) return usage();
  if (mode == "bills") {
    const int count = static_cast<int>(number(o, "--count", 0));
    const int connections = static_cast<int>(number(o, "--connections", 8));
    if (count < 1 || connections < 1) return usage();
    return Bills(*target, option(o, "--applicant-token"), option(o, "--officer-token"))
        .run(count, connections);
  }
  if (mode == "confirm") return confirm(*target, o);
  return usage();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "pratu_payments_load: " << e.what() << "\n";
    return 1;
  }
}
