// The holiday-peak load for bench/apply.sh: N applicants, one keep-alive connection each, every
// one cycling through a whole application (start a draft, save two pages, submit) as fast as
// the server answers. First it registers the applicants (POST /register: one Argon2id hash
// each, before anything is measured) and reads each session's CSRF token. Single-threaded on
// purpose: it shares the machine's cores with the server, so it should take as little as it can.
//
//   pratu_apply_load --url http://127.0.0.1:PORT [--applicants 500] [--warmup 5] [--duration 30]
//                    [--rate R] [--server-pid PID] [--database-pid PID] [--acked FILE]
//                    [--timeline FILE] [--seed N]
//
// Without --rate the load is a closed loop: each applicant starts again as soon as its submit
// is answered, so it measures the most the server sustains (and latency is what 500 queued
// applicants see). With --rate R, R journeys a second in all are begun, each by an applicant
// that is free, as people arriving would (an open loop, as far as 500 applicants allow: when
// all are busy the journeys due wait, and the backlog is reported).
//
// Prints "key value" lines: the submits acknowledged per second in the measured window, the
// latency of starts, saves and submits (p50/p90/p99/max, ms), every answer that was not the
// expected 303 (status or Location) and every socket error or timeout, the server's VmRSS at
// the start, middle and end of the window, and the CPU time the server, this program and (with
// --database-pid, PostgreSQL's postmaster) the database's backends used in the window.
// --acked gets the public id of every application whose submit was acknowledged (whole run),
// --timeline one line a second: seconds since the load began, submits, VmRSS KiB.

#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/thai_id.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kService = "company-certificate";
constexpr auto kRequestTimeout = std::chrono::seconds(30);
constexpr int kRegisterConcurrency = 8;  // the hashing pool has 2 workers and a queue of 256
constexpr std::string_view kPassword = "correct horse battery";

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  int applicants = 500;
  double warmup_seconds = 5;
  double duration_seconds = 30;
  int server_pid = 0;
  int database_pid = 0;  // PostgreSQL's postmaster: its backends' CPU time is reported too
  std::string acked_path;
  std::string timeline_path;
  long long seed = 4217;
  double rate = 0;  // journeys begun per second in all; 0: each applicant goes again at once
};

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += url_encode(name) + "=" + url_encode(value);
  }
  return body;
}

std::string csrf_token_of(std::string_view html) {
  constexpr std::string_view kMarker = "name=\"csrf_token\" value=\"";
  auto at = html.find(kMarker);
  if (at == std::string_view::npos) return {};
  at += kMarker.size();
  auto end = html.find('"', at);
  return end == std::string_view::npos ? std::string() : std::string(html.substr(at, end - at));
}

// The path of a Location header, whether it names the origin or not.
std::string location_path(std::string_view location) {
  if (auto scheme = location.find("://"); scheme != std::string_view::npos) {
    auto slash = location.find('/', scheme + 3);
    return slash == std::string_view::npos ? "/" : std::string(location.substr(slash));
  }
  return std::string(location);
}

// A citizen ID: 1, eleven digits from the seed and index, the check digit.
std::string national_id(long long seed, int index) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "1%011lld", (seed % 100000) * 1000000 + index);
  std::string id(digits, 12);
  id += pratu::thai_id_check_digit(id);
  return id;
}

struct Applicant {
  int index = 0;
  std::map<std::string, std::string> cookies;
  std::string csrf;

  std::string cookie_header() const {
    std::string out;
    for (const auto& [name, value] : cookies) {
      if (!out.empty()) out += "; ";
      out += name + "=" + value;
    }
    return out;
  }
  template <class Fields>
  void take_cookies(const Fields& headers) {
    for (auto [it, end] = headers.equal_range(http::field::set_cookie); it != end; ++it) {
      std::string_view value(it->value().data(), it->value().size());
      value = value.substr(0, value.find(';'));
      auto eq = value.find('=');
      if (eq == std::string_view::npos) continue;
      std::string name(value.substr(0, eq));
      std::string content(value.substr(eq + 1));
      if (content.empty()) {
        cookies.erase(name);
      } else {
        cookies[name] = content;
      }
    }
  }
};

struct Answer {
  int status = 0;  // 0: a socket error or a timeout
  std::string location;
  std::string body;
  double ms = 0;
  std::string error;
};

// One keep-alive connection; one request at a time.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, const tcp::resolver::results_type& endpoints, std::string host)
      : stream_(io), endpoints_(endpoints), host_(std::move(host)) {}

  void send(http::verb method, std::string target, Applicant& applicant, std::string body,
            std::function<void(Answer)> done) {
    request_ = {};
    request_.method(method);
    request_.target(target);
    request_.version(11);
    request_.set(http::field::host, host_);
    request_.set(http::field::user_agent, "pratu-apply-load");
    if (auto cookies = applicant.cookie_header(); !cookies.empty()) {
      request_.set(http::field::cookie, cookies);
    }
    if (method == http::verb::post) {
      request_.set(http::field::content_type, "application/x-www-form-urlencoded");
      request_.body() = std::move(body);
    }
    request_.prepare_payload();
    applicant_ = &applicant;
    done_ = std::move(done);
    started_ = Clock::now();
    stream_.expires_after(kRequestTimeout);
    if (!connected_) {
      stream_.async_connect(
          endpoints_, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
            if (ec) return self->fail("connect: " + ec.message());
            self->connected_ = true;
            self->write();
          });
      return;
    }
    write();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    connected_ = false;
  }

 private:
  void write() {
    http::async_write(stream_, request_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("write: " + ec.message());
      self->read();
    });
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(8 * 1024 * 1024);
    buffer_.clear();
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("read: " + ec.message());
      self->finish();
    });
  }

  void finish() {
    auto& response = parser_->get();
    Answer answer;
    answer.status = static_cast<int>(response.result_int());
    answer.location = location_path(std::string_view(response[http::field::location]));
    answer.body = std::move(response.body());
    answer.ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    applicant_->take_cookies(response);
    if (!response.keep_alive()) close();
    stream_.expires_never();
    auto done = std::move(done_);
    done(std::move(answer));
  }

  void fail(std::string what) {
    close();
    Answer answer;
    answer.error = std::move(what);
    answer.ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    auto done = std::move(done_);
    done(std::move(answer));
  }

  beast::tcp_stream stream_;
  tcp::resolver::results_type endpoints_;
  std::string host_;
  bool connected_ = false;
  http::request<http::string_body> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  beast::flat_buffer buffer_;
  Applicant* applicant_ = nullptr;
  std::function<void(Answer)> done_;
  Clock::time_point started_;
};

struct ProcessSample {
  long rss_kib = -1;
  long hwm_kib = -1;
  double cpu_seconds = -1;  // user + system
};

// utime + stime of /proc/PID/stat's text, in seconds; the parent's pid into `parent`.
double cpu_seconds_of(const std::string& stat_text, int* parent = nullptr) {
  auto close = stat_text.rfind(')');
  if (close == std::string::npos) return 0;
  // Fields after the command's closing parenthesis, from the 3rd: state, ppid, ... utime (14th)
  // and stime (15th).
  std::istringstream rest(stat_text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 4 && parent != nullptr) *parent = std::atoi(field.c_str());
    if (i >= 14) ticks += std::strtod(field.c_str(), nullptr);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The CPU time of `pid`'s children (PostgreSQL's backends are the postmaster's), in seconds.
double children_cpu_seconds(int pid) {
  if (pid <= 0) return -1;
  double total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    int parent = 0;
    const double cpu = cpu_seconds_of(read_all(entry.path().string() + "/stat"), &parent);
    if (parent == pid) total += cpu;
  }
  return total;
}

ProcessSample sample_process(int pid) {
  ProcessSample s;
  if (pid <= 0) return s;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::strtol(line.c_str() + 6, nullptr, 10);
    if (line.rfind("VmHWM:", 0) == 0) s.hwm_kib = std::strtol(line.c_str() + 6, nullptr, 10);
  }
  s.cpu_seconds = cpu_seconds_of(read_all("/proc/" + std::to_string(pid) + "/stat"));
  return s;
}

double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Latencies {
  std::vector<double> ms;

  // "NAME_count", then p50, p90, p99 and the maximum in ms (nearest rank), a line each.
  std::string report(const std::string& name) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
      if (ms.empty()) return 0.0;
      auto i = static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1) + 0.5);
      return ms[std::min(i, ms.size() - 1)];
    };
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(2);
    out << name << "_count " << ms.size() << "\n"
        << name << "_p50_ms " << at(0.5) << "\n"
        << name << "_p90_ms " << at(0.9) << "\n"
        << name << "_p99_ms " << at(0.99) << "\n"
        << name << "_max_ms " << (ms.empty() ? 0.0 : ms.back()) << "\n";
    return out.str();
  }
};

// The load: registration first, then the journeys, then the figures.
class Load {
 public:
  Load(asio::io_context& io, Options options)
      : io_(io), options_(std::move(options)), timer_(io), pacer_(io) {
    tcp::resolver resolver(io_);
    endpoints_ = resolver.resolve(options_.host, options_.port);
    applicants_.resize(static_cast<std::size_t>(options_.applicants));
    for (int i = 0; i < options_.applicants; ++i)
      applicants_[static_cast<std::size_t>(i)].index = i;
  }

  int run() {
    const auto began = Clock::now();
    for (int i = 0; i < std::min(kRegisterConcurrency, options_.applicants); ++i) {
      register_next(std::make_shared<Connection>(io_, endpoints_, host_header()));
    }
    io_.run();
    io_.restart();
    const double register_seconds = std::chrono::duration<double>(Clock::now() - began).count();
    std::cout << "registered " << registered_ << "\nregister_seconds " << register_seconds
              << std::endl;  // bench/apply.sh waits for this line
    if (registered_ != options_.applicants) {
      std::cerr << "pratu_apply_load: " << options_.applicants - registered_
                << " applicants could not register or get a CSRF token: " << setup_error_ << "\n";
      return 1;
    }

    load_began_ = Clock::now();
    window_begins_ = load_began_ + seconds(options_.warmup_seconds);
    window_ends_ = window_begins_ + seconds(options_.duration_seconds);
    before_load_ = sample_process(options_.server_pid);
    for (auto& applicant : applicants_) {
      auto journey = std::make_shared<Journey>();
      journey->connection = std::make_shared<Connection>(io_, endpoints_, host_header());
      journey->applicant = &applicant;
      next_journey(journey);
    }
    tick();
    if (options_.rate > 0) pace();
    io_.run();
    report();
    return 0;
  }

 private:
  static Clock::duration seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }
  std::string host_header() const { return options_.host + ":" + options_.port; }

  // ---- registration: GET /register, POST /register, GET the service's start page (its token)
  void register_next(std::shared_ptr<Connection> c) {
    if (next_to_register_ >= options_.applicants) return c->close();
    Applicant& a = applicants_[static_cast<std::size_t>(next_to_register_++)];
    c->send(http::verb::get, "/register", a, {}, [this, c, &a](Answer answer) {
      a.csrf = csrf_token_of(answer.body);
      if (answer.status != 200 || a.csrf.empty()) {
        return setup_failed(
            c, "GET /register answered " + std::to_string(answer.status) + " " + answer.error);
      }
      const std::string id = national_id(options_.seed, a.index);
      const std::string email =
          "apply-" + std::to_string(options_.seed) + "-" + std::to_string(a.index) + "@example.org";
      std::string body = form_body({{"national_id", id},
                                    {"title", "mr"},
                                    {"given_name", "สมชาย"},
                                    {"family_name", "ใจดี"},
                                    {"email", email},
                                    {"mobile", "0812345678"},
                                    {"password", std::string(kPassword)},
                                    {"password_confirmation", std::string(kPassword)},
                                    {"csrf_token", a.csrf}});
      c->send(http::verb::post, "/register", a, std::move(body), [this, c, &a](Answer posted) {
        if (posted.status != 303) {
          return setup_failed(
              c, "POST /register answered " + std::to_string(posted.status) + " " + posted.error);
        }
        c->send(http::verb::get, "/services/" + std::string(kService) + "/apply", a, {},
                [this, c, &a](Answer page) {
          a.csrf = csrf_token_of(page.body);
          if (page.status != 200 || a.csrf.empty()) {
            return setup_failed(
                c, "the start page answered " + std::to_string(page.status) + " " + page.error);
          }
          ++registered_;
          register_next(c);
        });
      });
    });
  }

  void setup_failed(const std::shared_ptr<Connection>& c, std::string what) {
    if (setup_error_.empty()) setup_error_ = std::move(what);
    register_next(c);
  }

  // ---- the journey
  enum class Step { start, company, request, submit };

  struct Journey {
    std::shared_ptr<Connection> connection;
    Applicant* applicant = nullptr;
    std::string id;        // the draft's public id
    long long number = 0;  // journeys begun on this connection
    Clock::time_point began;
  };

  // The applicant's next journey: at once, or (with --rate) when one is due.
  void next_journey(const std::shared_ptr<Journey>& j) {
    if (options_.rate <= 0) return step(j, Step::start);
    waiting_.push_back(j);
    begin_due();
  }

  void begin_due() {
    while (due_ > 0 && !waiting_.empty()) {
      auto j = std::move(waiting_.front());
      waiting_.pop_front();
      --due_;
      step(j, Step::start);
    }
  }

  // Every millisecond: the journeys due by now at --rate, begun by applicants who are free.
  void pace() {
    pacer_.expires_after(std::chrono::milliseconds(1));
    pacer_.async_wait([this](beast::error_code ec) {
      if (ec) return;
      const auto now = Clock::now();
      if (now >= window_ends_) {
        for (auto& j : waiting_) j->connection->close();
        waiting_.clear();
        return;
      }
      const auto due_by_now = static_cast<long long>(
          std::chrono::duration<double>(now - load_began_).count() * options_.rate);
      due_ += due_by_now - issued_;
      issued_ = due_by_now;
      begin_due();
      if (now >= window_begins_) max_backlog_ = std::max(max_backlog_, due_);
      pace();
    });
  }

  void step(const std::shared_ptr<Journey>& j, Step s) {
    if (Clock::now() >= window_ends_) {  // no new request once the window has closed
      j->connection->close();
      return;
    }
    const Applicant& a = *j->applicant;
    std::string target, body, expected;
    const std::string app = "/applications/" + j->id;
    switch (s) {
      case Step::start:
        ++j->number;
        j->began = Clock::now();
        target = "/services/" + std::string(kService) + "/apply";
        body = form_body({{"csrf_token", a.csrf}});
        break;
      case Step::company:
        target = app + "/pages/company";
        body = form_body({{"csrf_token", a.csrf},
                          {"_shown", "juristic_id"},
                          {"_shown", "requester_name"},
                          {"_shown", "mobile"},
                          {"juristic_id", "0105555000005"},
                          {"requester_name", "Somchai"},
                          {"mobile", "0812345678"},
                          {"action", "continue"}});
        expected = app + "/pages/request";
        break;
      case Step::request:
        target = app + "/pages/request";
        body = form_body({{"csrf_token", a.csrf},
                          {"_shown", "kinds"},
                          {"_shown", "language"},
                          {"_shown", "copies"},
                          {"kinds", "certificate"},
                          {"language", "th"},
                          {"copies", "1"},
                          {"action", "continue"}});
        expected = app + "/check";
        break;
      case Step::submit:
        target = app + "/submit";
        body = form_body(
            {{"csrf_token", a.csrf},
             {"submission_key", std::to_string(options_.seed) + "-" + std::to_string(a.index) +
                                    "-" + std::to_string(j->number)},
             {"_shown", "declaration"},
             {"declaration", "yes"}});
        expected = app + "/confirmation";
        break;
    }
    j->connection->send(http::verb::post, std::move(target), *j->applicant, std::move(body),
                        [this, j, s, expected = std::move(expected)](Answer answer) {
      const auto now = Clock::now();
      const bool in_window = now >= window_begins_ && now <= window_ends_;
      bool good = answer.status == 303;
      if (s == Step::start) {
        // A draft of this service is reopened where it was left (after an error here).
        constexpr std::string_view kPrefix = "/applications/";
        const auto& to = answer.location;
        good = good && to.rfind(kPrefix, 0) == 0;
        if (good) {
          auto end = to.find('/', kPrefix.size());
          j->id = to.substr(kPrefix.size(), end - kPrefix.size());
          if (to != "/applications/" + j->id + "/pages/company") ++resumed_;
        }
      } else {
        good = good && answer.location == expected;
      }
      if (in_window) {
        (s == Step::start    ? starts_
         : s == Step::submit ? submits_
                             : saves_)
            .ms.push_back(answer.ms);
      }
      if (!good) {
        record_error(s, answer);
        return next_journey(j);
      }
      switch (s) {
        case Step::start: return step(j, Step::company);
        case Step::company: return step(j, Step::request);
        case Step::request: return step(j, Step::submit);
        case Step::submit:
          ++acked_total_;
          ++acked_this_second_;
          if (in_window) {
            ++acked_in_window_;
            journeys_.ms.push_back(
                std::chrono::duration<double, std::milli>(now - j->began).count());
          }
          acked_ids_.push_back(j->id);
          return next_journey(j);
      }
    });
  }

  void record_error(Step s, const Answer& answer) {
    static constexpr const char* kNames[] = {"start", "save company", "save request", "submit"};
    ++errors_;
    std::string what =
        std::string(kNames[static_cast<int>(s)]) + ": " +
        (answer.status == 0 ? answer.error : std::to_string(answer.status) + " " + answer.location);
    if (++error_kinds_[what] == 1) std::cerr << "pratu_apply_load: " << what << "\n";
  }

  // Once a second: the server's memory, the submits of that second; and the window's marks.
  void tick() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](beast::error_code ec) {
      if (ec) return;
      const auto now = Clock::now();
      const auto sample = sample_process(options_.server_pid);
      timeline_.push_back({std::chrono::duration<double>(now - load_began_).count(),
                           acked_this_second_, sample.rss_kib});
      acked_this_second_ = 0;
      if (!window_start_ && now >= window_begins_) {
        window_start_ = sample;
        own_cpu_at_window_ = own_cpu_seconds();
        database_cpu_at_window_ = children_cpu_seconds(options_.database_pid);
      }
      if (!window_middle_ && now >= window_begins_ + (window_ends_ - window_begins_) / 2) {
        window_middle_ = sample;
      }
      if (now >= window_ends_) {
        window_end_ = sample;
        own_cpu_in_window_ = own_cpu_seconds() - own_cpu_at_window_;
        database_cpu_in_window_ =
            children_cpu_seconds(options_.database_pid) - database_cpu_at_window_;
        return;  // the connections close as their requests come back
      }
      tick();
    });
  }

  void report() {
    const double window = options_.duration_seconds;
    std::cout << "applicants " << options_.applicants << "\nwarmup_seconds "
              << options_.warmup_seconds << "\nwindow_seconds " << window << "\nsubmits_in_window "
              << acked_in_window_ << "\nsubmits_per_second "
              << static_cast<double>(acked_in_window_) / window << "\nsubmits_acked_total "
              << acked_total_ << "\nerrors " << errors_ << "\nstarts_resumed " << resumed_ << "\n";
    std::cout << starts_.report("start") << saves_.report("save") << submits_.report("submit")
              << journeys_.report("journey");
    if (options_.rate > 0) {
      std::cout << "offered_rate " << options_.rate << "\nmax_backlog " << max_backlog_ << "\n";
    }
    auto rss = [](const std::optional<ProcessSample>& s) { return s ? s->rss_kib : -1; };
    const auto after = sample_process(options_.server_pid);
    std::cout << "rss_before_load_kib " << before_load_.rss_kib << "\nrss_window_start_kib "
              << rss(window_start_) << "\nrss_window_middle_kib " << rss(window_middle_)
              << "\nrss_window_end_kib " << rss(window_end_) << "\nhwm_kib " << after.hwm_kib
              << "\n";
    if (window_start_ && window_end_) {
      std::cout << "server_cpu_percent "
                << 100 * (window_end_->cpu_seconds - window_start_->cpu_seconds) / window << "\n";
    }
    std::cout << "generator_cpu_percent " << 100 * own_cpu_in_window_ / window << "\n";
    if (options_.database_pid > 0) {
      std::cout << "database_cpu_percent " << 100 * database_cpu_in_window_ / window << "\n";
    }
    for (const auto& [what, count] : error_kinds_) {
      std::cout << "error_kind " << count << " " << what << "\n";
    }
    if (!options_.acked_path.empty()) {
      std::ofstream out(options_.acked_path);
      for (const auto& id : acked_ids_) out << id << "\n";
    }
    if (!options_.timeline_path.empty()) {
      std::ofstream out(options_.timeline_path);
      for (const auto& t : timeline_) {
        out << t.seconds << " " << t.submits << " " << t.rss_kib << "\n";
      }
    }
  }

  struct Second {
    double seconds;
    long submits;
    long rss_kib;
  };

  asio::io_context& io_;
  Options options_;
  tcp::resolver::results_type endpoints_;
  asio::steady_timer timer_;
  std::vector<Applicant> applicants_;
  int next_to_register_ = 0;
  int registered_ = 0;
  std::string setup_error_;

  Clock::time_point load_began_, window_begins_, window_ends_;
  ProcessSample before_load_;
  std::optional<ProcessSample> window_start_, window_middle_, window_end_;
  double own_cpu_at_window_ = 0, own_cpu_in_window_ = 0;
  double database_cpu_at_window_ = 0, database_cpu_in_window_ = 0;
  Latencies starts_, saves_, submits_, journeys_;
  asio::steady_timer pacer_;
  std::deque<std::shared_ptr<Journey>> waiting_;
  long long due_ = 0, issued_ = 0, max_backlog_ = 0;
  long acked_total_ = 0, acked_in_window_ = 0, acked_this_second_ = 0;
  long errors_ = 0, resumed_ = 0;
  std::map<std::string, long> error_kinds_;
  std::vector<std::string> acked_ids_;
  std::vector<Second> timeline_;
};

int usage() {
  std::cerr << "usage: pratu_apply_load --url http://HOST:PORT [--applicants N] [--warmup S] "
               "[--duration S] [--rate R] [--server-pid PID] [--database-pid PID] [--acked FILE] "
               "[--timeline FILE] [--seed N]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string url;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return usage();
    const char* value = argv[++i];
    if (arg == "--url") url = value;
    else if (arg == "--applicants") o.applicants = std::atoi(value);
    else if (arg == "--warmup") o.warmup_seconds = std::atof(value);
    else if (arg == "--duration") o.duration_seconds = std::atof(value);
    else if (arg == "--server-pid") o.server_pid = std::atoi(value);
    else if (arg == "--database-pid") o.database_pid = std::atoi(value);
    else if (arg == "--acked") o.acked_path = value;
    else if (arg == "--timeline") o.timeline_path = value;
    else if (arg == "--seed") o.seed = std::atoll(value);
    else if (arg == "--rate") o.rate = std::atof(value);
    else return usage();
  }
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return usage();
  const std::string authority =
      url.substr(kScheme.size(), url.find('/', kScheme.size()) - kScheme.size());
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos) return usage();
  o.host = authority.substr(0, colon);
  o.port = authority.substr(colon + 1);
  if (o.applicants < 1 || o.applicants > 100000 || o.duration_seconds <= 0 ||
      o.warmup_seconds < 0 || o.rate < 0) {
    return usage();
  }
  asio::io_context io(1);
  Load load(io, o);
  return load.run();
}
