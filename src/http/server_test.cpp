#include "http/server.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <future>
#include <malloc.h>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "common/log.hpp"
#include "common/metrics.hpp"
#include "http/static_assets.hpp"
#include "support/http_client.hpp"
#include "support/promtool.hpp"
#include "support/sha256.hpp"
#include "support/temp_dir.hpp"
#include "web/client_certificate.hpp"

namespace pratu::http {
namespace {

using namespace std::chrono_literals;
using Connection = test::HttpConnection;
using test::fetch;
using test::get;

// A gate a handler waits at until the test opens it.
class Gate {
 public:
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
};

// What the streamed routes' sinks saw, for the test to check.
struct SinkRecord {
  std::mutex mutex;
  int opened = 0;
  int finished = 0;
  int discarded = 0;
  std::size_t largest_write = 0;
};

// A BodySink that hashes what it is given instead of storing it.
class HashingSink final : public BodySink {
 public:
  explicit HashingSink(SinkRecord& record) : record_(record), context_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(context_, EVP_sha256(), nullptr);
    std::lock_guard lock(record_.mutex);
    ++record_.opened;
  }
  ~HashingSink() override {
    EVP_MD_CTX_free(context_);
    std::lock_guard lock(record_.mutex);
    if (!finished_) ++record_.discarded;
  }
  Result<void> write(std::string_view bytes) override {
    EVP_DigestUpdate(context_, bytes.data(), bytes.size());
    size_ += static_cast<std::int64_t>(bytes.size());
    std::lock_guard lock(record_.mutex);
    record_.largest_write = std::max(record_.largest_write, bytes.size());
    return ok();
  }
  Result<web::Upload> finish() override {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_, digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    web::Upload upload{"(memory)", {}, size_};
    for (unsigned int i = 0; i < length; ++i) {
      upload.sha256.push_back(kHex[digest[i] >> 4]);
      upload.sha256.push_back(kHex[digest[i] & 0x0f]);
    }
    finished_ = true;
    std::lock_guard lock(record_.mutex);
    ++record_.finished;
    return upload;
  }

 private:
  SinkRecord& record_;
  EVP_MD_CTX* context_;
  std::int64_t size_ = 0;
  bool finished_ = false;
};

ServerSettings test_settings() {
  ServerSettings settings;
  settings.host = "127.0.0.1";
  settings.port = 0;
  settings.io_threads = 2;
  settings.worker_threads = 2;
  settings.read_timeout = 2s;
  settings.idle_timeout = 5s;
  settings.shutdown_grace = 5s;
  settings.gzip_min_bytes = 256;
  return settings;
}

// The real server on 127.0.0.1:0, run on a background thread.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/", [](web::Request&) { return web::Response::text("home"); }, {"home"});
    router_.add("GET", "/services/{slug}", [](web::Request& request) {
      return web::Response::text(std::string(request.path_param("slug")));
    });
    router_.add("POST", "/echo",
                [](web::Request& request) { return web::Response::text(request.body); },
                {"echo", 64});
    router_.add("GET", "/big", [](web::Request&) {
      web::Response response;
      for (int i = 0; i < 100; ++i) response.body += "<p>ประตูบริการภาครัฐ</p>\n";
      return response;
    });
    router_.add("GET", "/shared", [](web::Request&) {
      static const auto text = std::make_shared<const std::string>([] {
        std::string t;
        for (int i = 0; i < 100; ++i) t += "<p>ประตูบริการภาครัฐ</p>\n";
        return t;
      }());
      web::Response response;
      response.shared_body = text;
      return response;
    });
    // The same text as an owned beginning and a shared rest (a page's head and kept contents).
    router_.add("GET", "/framed", [](web::Request&) {
      static const auto rest = std::make_shared<const std::string>([] {
        std::string t;
        for (int i = 10; i < 100; ++i) t += "<p>ประตูบริการภาครัฐ</p>\n";
        return t;
      }());
      web::Response response;
      for (int i = 0; i < 10; ++i) response.body += "<p>ประตูบริการภาครัฐ</p>\n";
      response.shared_body = rest;
      return response;
    });
    router_.add("GET", "/cached", [](web::Request&) {
      auto response = web::Response::text("public");
      response.set_header("Cache-Control", "public, max-age=60");
      return response;
    });
    router_.add("GET", "/throws", [](web::Request&) -> web::Response {
      throw std::runtime_error("database exploded at row 42");
    });
    router_.add("GET", "/request-id",
                [](web::Request& request) { return web::Response::text(request.request_id); });
    router_.add("GET", "/secure", [](web::Request& request) {
      return web::Response::text(request.secure ? "yes" : "no");
    });
    router_.add("GET", "/client-certificate", [](web::Request& request) {
      return web::Response::text("[" + web::client_certificate_pem(request) + "]");
    });
    router_.add("GET", "/health", [](web::Request&) { return web::Response::text("ok"); },
                {"health", 0, Execution::inline_});
    router_.add("GET", "/framing", [](web::Request&) {
      auto response = web::Response::text("twelve bytes");
      response.headers.emplace_back("Content-Length", "999");
      response.headers.emplace_back("Connection", "close");
      response.headers.emplace_back("Transfer-Encoding", "chunked");
      response.headers.emplace_back("Date", "yesterday");
      response.headers.emplace_back("X-Request-Id", "spoofed");
      return response;
    });
    router_.add(
        "GET", "/thread",
        [](web::Request&) {
      std::ostringstream id;
      id << std::this_thread::get_id();
      return web::Response::text(id.str());
        },
        {"thread", 0, Execution::inline_});
    router_.add("GET", "/slow", [this](web::Request&) {
      slow_started_.set_value();
      std::this_thread::sleep_for(400ms);
      return web::Response::text("finished");
    });
    router_.add("GET", "/remote", [](web::Request& request) {
      return web::Response::text(request.remote_address + (request.secure ? " https" : ""));
    });
    router_.add("GET", "/api/v1/items", [](web::Request&) { return web::Response::text("[]"); });
    router_.add("GET", "/api/v1/block", [this](web::Request&) {
      ++blocked_;
      gate_.wait();
      return web::Response::text("released");
    });
    router_.add("GET", "/block", [this](web::Request&) {
      ++blocked_;
      gate_.wait();
      return web::Response::text("released");
    });
    router_.add(
        "POST", "/hash",
        [this](web::Request&) {
      ++blocked_;
      gate_.wait();
      return web::Response::text("hashed");
        },
        {.name = "hash", .pool = Pool::password_hashing});
    router_.add(
        "POST", "/upload",
        [](web::Request& request) {
      if (!request.upload) return web::Response::text("no upload", 500);
      return web::Response::text(request.upload->sha256 + " " +
                                 std::to_string(request.upload->size_bytes) + " " +
                                 std::to_string(request.body.size()));
        },
        {.name = "upload",
         .body_limit = 16,
         .pool = Pool::documents,
         .body = BodyMode::streamed,
         .stream_limit = 1024 * 1024,
         .sink = [this](const web::Request&,
                        std::uint64_t limit) -> Result<std::unique_ptr<BodySink>> {
           EXPECT_EQ(limit, 1024U * 1024U);
           return std::unique_ptr<BodySink>(std::make_unique<HashingSink>(sinks_));
         }});
    // A body appended to the partial upload its route names before reading it (tus PATCH).
    router_.add(
        "PATCH", "/append/{id}",
        [](web::Request& request) {
      if (!request.upload || !request.append_to) return web::Response::text("no upload", 500);
      return web::Response::text(request.append_to->id + " " +
                                 std::to_string(request.upload->size_bytes));
        },
        {.name = "append",
         .pool = Pool::documents,
         .body = BodyMode::streamed,
         .stream_limit = 1024,
         .sink = [this](const web::Request& request,
                        std::uint64_t) -> Result<std::unique_ptr<BodySink>> {
           EXPECT_TRUE(request.append_to.has_value()) << "the sink is opened after before_body";
           return std::unique_ptr<BodySink>(std::make_unique<HashingSink>(sinks_));
         },
         .before_body = [](web::Request& request) -> std::optional<web::Response> {
           const std::string id(request.path_param("id"));
           if (id == "elsewhere") return web::Response::text("not yours", 404);
           request.append_to = web::PartialUpload{id, 0, 1024};
           return std::nullopt;
         }});
  }

  void TearDown() override {
    gate_.open();
    stop();
  }

  void start(ServerSettings settings = test_settings(), ServerHooks hooks = {},
             bool stop_on_signals = false) {
    server_ =
        std::make_unique<Server>(settings, router_, assets_.get(), registry_, std::move(hooks));
    auto started = server_->start();
    ASSERT_TRUE(started) << started.error().detail;
    if (stop_on_signals) server_->stop_on_signals();
    thread_ = std::thread([this] { server_->run(); });
  }

  void stop() {
    if (!server_) return;
    server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  std::uint16_t port() const { return server_->port(); }

  Router router_;
  metrics::Registry registry_;
  std::unique_ptr<StaticAssets> assets_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::promise<void> slow_started_;
  Gate gate_;
  std::atomic<int> blocked_{0};
  SinkRecord sinks_;
};

ServerHooks echoing_error_hook() {
  ServerHooks hooks;
  hooks.error_page = [](const web::Request& request, int status) {
    web::Response response;
    response.body = "error " + std::to_string(status) + " for " + request.request_id;
    return response;
  };
  return hooks;
}

// Like the application's hook: problem+json for paths under /api/, a page elsewhere.
ServerHooks problem_json_hook() {
  ServerHooks hooks;
  hooks.error_page = [](const web::Request& request, int status) {
    web::Response response;
    if (request.path.rfind("/api/", 0) == 0) {
      response.content_type = "application/problem+json";
      response.body = "{\"status\":" + std::to_string(status) + "}";
    } else {
      response.body = "error " + std::to_string(status);
    }
    return response;
  };
  return hooks;
}

// A log sink for the duration of a test.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured_));
    logger->set_pattern("%v");
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  std::string text() const { return captured_.str(); }

 private:
  std::ostringstream captured_;
  std::shared_ptr<spdlog::logger> previous_;
};

// The value of a gauge or counter without labels in the exposition text, or -1.
double metric_value(const metrics::Registry& registry, const std::string& name) {
  const std::string text = registry.expose();
  const std::size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

TEST_F(ServerTest, ServesTwoRequestsOnOneKeepAliveConnection) {
  start();
  Connection connection(port());
  ASSERT_TRUE(connection.send(get("/")));
  auto first = connection.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "home");
  ASSERT_TRUE(connection.send(get("/services/food")));
  auto second = connection.read_response();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "food");
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  start();
  Connection connection(port());
  ASSERT_TRUE(connection.send(get("/services/a") + get("/services/b")));
  EXPECT_EQ(connection.read_response()->body, "a");
  EXPECT_EQ(connection.read_response()->body, "b");
}

TEST_F(ServerTest, DecodesThaiPathParameters) {
  start();
  auto response = fetch(port(), get("/services/%E0%B8%AD%E0%B8%B2%E0%B8%AB%E0%B8%B2%E0%B8%A3"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "อาหาร");
}

TEST_F(ServerTest, UnknownPathIs404ThroughTheErrorHook) {
  start(test_settings(), echoing_error_hook());
  auto response = fetch(port(), get("/missing"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, "error 404 for " + response->header("X-Request-Id"));
}

TEST_F(ServerTest, WrongMethodIs405WithAllowHeader) {
  start(test_settings(), echoing_error_hook());
  auto response = fetch(port(), "DELETE / HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->header("Allow"), "GET, HEAD");
  EXPECT_EQ(response->body.rfind("error 405", 0), 0u);
}

TEST_F(ServerTest, PlainErrorPageWithoutAHook) {
  start();
  auto response = fetch(port(), get("/missing"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_NE(response->body.find(response->header("X-Request-Id")), std::string::npos);
  EXPECT_EQ(response->header("Content-Type"), "text/html; charset=utf-8");
}

TEST_F(ServerTest, BadTargetIs400) {
  start(test_settings(), echoing_error_hook());
  for (const char* target : {"/a/../b", "/%00", "//evil.example/", "/a%2Fb"}) {
    auto response = fetch(port(), get(target));
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->status, 400) << target;
  }
}

TEST_F(ServerTest, MalformedRequestIs400) {
  start();
  auto response = fetch(port(), "GET / HTTP/1.1\r\nBad Header\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
}

TEST_F(ServerTest, EchoesBodiesWithinTheRouteLimit) {
  start();
  auto response = fetch(port(), "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
}

TEST_F(ServerTest, OversizedContentLengthIs413BeforeTheBodyIsRead) {
  start(test_settings(), echoing_error_hook());
  Connection connection(port());
  ASSERT_TRUE(connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" +
                              std::string(1000, 'x')));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->header("Connection"), "close");
}

// A streamed route's body goes to its sink a chunk at a time, past the route's in-memory
// body limit; the handler gets where it went, not the bytes.
TEST_F(ServerTest, StreamsABodyToTheRouteSinkInChunks) {
  start();
  std::string body(700'000, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>((i * 31) >> 3);
  auto response = fetch(port(), "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, pratu::test::reference_sha256(body) + " 700000 0");
  std::lock_guard lock(sinks_.mutex);
  EXPECT_EQ(sinks_.finished, 1);
  EXPECT_EQ(sinks_.discarded, 0);
  EXPECT_GT(sinks_.largest_write, 0U);
  EXPECT_LT(sinks_.largest_write, body.size()) << "the body was written in one piece";
}

// A route that names the upload its body extends is asked before any of the body is read, on
// its pool, with the path's parameters; its refusal is the answer and nothing is stored.
TEST_F(ServerTest, ARouteNamesThePartialUploadBeforeTheBodyIsRead) {
  start();
  const std::string body(300, 'p');
  auto appended = fetch(port(), "PATCH /append/abc123 HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_TRUE(appended);
  EXPECT_EQ(appended->status, 200);
  EXPECT_EQ(appended->body, "abc123 300");

  auto refused = fetch(port(), "PATCH /append/elsewhere HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 404);
  EXPECT_EQ(refused->body, "not yours");
  EXPECT_EQ(refused->header("Connection"), "close");
  std::lock_guard lock(sinks_.mutex);
  EXPECT_EQ(sinks_.opened, 1) << "the refused body reached no sink";
}

TEST_F(ServerTest, StreamsChunkedAndEmptyBodies) {
  start();
  const std::string part(50'000, 'z');
  auto chunked = fetch(port(),
                       "POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "c350\r\n" +
                           part + "\r\nc350\r\n" + part + "\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 200);
  EXPECT_EQ(chunked->body, pratu::test::reference_sha256(part + part) + " 100000 0");
  auto empty = fetch(port(), "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_EQ(empty->body, pratu::test::reference_sha256("") + " 0 0");
}

TEST_F(ServerTest, StreamedBodyPastItsLimitIs413AndDiscarded) {
  start(test_settings(), echoing_error_hook());
  auto declared =
      fetch(port(), "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n");
  ASSERT_TRUE(declared);
  EXPECT_EQ(declared->status, 413);

  // Chunked: the limit is only found out while streaming.
  Connection connection(port());
  const std::string part(0x10000, 'q');
  std::string request = "POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 17; ++i) request += "10000\r\n" + part + "\r\n";
  request += "0\r\n\r\n";
  connection.send(request);  // the server may close before it has read it all
  auto streamed = connection.read_response();
  ASSERT_TRUE(streamed);
  EXPECT_EQ(streamed->status, 413);
  EXPECT_EQ(streamed->header("Connection"), "close");
  std::lock_guard lock(sinks_.mutex);
  EXPECT_EQ(sinks_.finished, 0);
  EXPECT_EQ(sinks_.discarded, sinks_.opened);
}

TEST_F(ServerTest, StreamedBodyOfAClientThatLeavesIsDiscarded) {
  start();
  {
    Connection connection(port());
    ASSERT_TRUE(
        connection.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 500000\r\n\r\n" +
                        std::string(300'000, 'a')));
    for (int i = 0; i < 400; ++i) {
      {
        std::lock_guard lock(sinks_.mutex);
        if (sinks_.opened == 1) break;
      }
      std::this_thread::sleep_for(5ms);
    }
  }  // closed mid-body
  for (int i = 0; i < 400; ++i) {
    {
      std::lock_guard lock(sinks_.mutex);
      if (sinks_.discarded == 1) break;
    }
    std::this_thread::sleep_for(5ms);
  }
  std::lock_guard lock(sinks_.mutex);
  EXPECT_EQ(sinks_.opened, 1);
  EXPECT_EQ(sinks_.discarded, 1);
  EXPECT_EQ(sinks_.finished, 0);
}

TEST_F(ServerTest, OversizedChunkedBodyIs413WhileReading) {
  start();
  std::string chunk(40, 'y');
  auto response = fetch(port(),
                        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "28\r\n" +
                            chunk + "\r\n28\r\n" + chunk + "\r\n0\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST_F(ServerTest, HugeHeadersAre431) {
  ServerSettings settings = test_settings();
  settings.header_limit_bytes = 1024;
  start(settings, echoing_error_hook());
  auto response = fetch(port(), get("/", "X-Filler: " + std::string(4000, 'a') + "\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->body.rfind("error 431", 0), 0u);
}

TEST_F(ServerTest, SecurityHeadersOnEveryResponse) {
  start();
  for (const char* target : {"/", "/missing"}) {
    auto response = fetch(port(), get(target));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->header("Content-Security-Policy"),
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; form-action 'self'; "
              "frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
    EXPECT_EQ(response->header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(response->header("Referrer-Policy"), "strict-origin-when-cross-origin");
    EXPECT_EQ(response->header("X-Frame-Options"), "DENY");
    EXPECT_EQ(response->header("Permissions-Policy"), "camera=(), microphone=(), geolocation=()");
    EXPECT_EQ(response->header("Cross-Origin-Opener-Policy"), "same-origin");
    EXPECT_FALSE(response->has_header("Strict-Transport-Security"));
  }
}

// Content-Length, Connection and the like belong to the transport: a handler's values
// would desynchronise the connection, so they are replaced by the true ones.
TEST_F(ServerTest, TransportOwnsTheFramingHeaders) {
  start();
  Connection connection(port());
  ASSERT_TRUE(connection.send(get("/framing")));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "twelve bytes");
  std::vector<std::string> lengths;
  for (const auto& [name, value] : response->headers) {
    if (web::iequals(name, "Content-Length")) lengths.push_back(value);
    EXPECT_FALSE(web::iequals(name, "Transfer-Encoding"));
    EXPECT_FALSE(web::iequals(name, "Connection"));
  }
  EXPECT_EQ(lengths, std::vector<std::string>{"12"});
  EXPECT_NE(response->header("X-Request-Id"), "spoofed");
  EXPECT_NE(response->header("Date"), "yesterday");
  ASSERT_TRUE(connection.send(get("/")));  // still open and in step
  auto next = connection.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "home");
}

TEST_F(ServerTest, DatesEveryResponseInImfFixdate) {
  start();
  for (const char* target : {"/", "/missing"}) {
    auto response = fetch(port(), get(target));
    ASSERT_TRUE(response);
    const std::string date = response->header("Date");
    EXPECT_TRUE(std::regex_match(
        date,
        std::regex(
            R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)")))
        << date;
  }
}

// Each I/O thread runs its own event loop; connections are dealt to them in turn, and a
// connection stays on the thread it was given.
TEST_F(ServerTest, DealsConnectionsToEveryIoThread) {
  start();
  Connection first(port());
  Connection second(port());
  auto thread_of = [](Connection& connection) {
    EXPECT_TRUE(connection.send(get("/thread")));
    auto response = connection.read_response();
    return response ? response->body : std::string();
  };
  const std::string first_thread = thread_of(first);
  const std::string second_thread = thread_of(second);
  EXPECT_FALSE(first_thread.empty());
  EXPECT_NE(first_thread, second_thread);
  EXPECT_EQ(thread_of(first), first_thread);
  EXPECT_EQ(thread_of(second), second_thread);
}

TEST_F(ServerTest, HstsOnlyBehindATrustedTlsProxy) {
  ServerSettings settings = test_settings();
  settings.trusted_proxies = *TrustedProxies::parse("127.0.0.1");
  start(settings);
  auto secure = fetch(port(), get("/secure", "X-Forwarded-Proto: https\r\n"));
  ASSERT_TRUE(secure);
  EXPECT_EQ(secure->body, "yes");
  EXPECT_EQ(secure->header("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
  auto plain = fetch(port(), get("/secure"));
  EXPECT_EQ(plain->body, "no");
  EXPECT_FALSE(plain->has_header("Strict-Transport-Security"));
}

// Only a trusted proxy may pass on the client certificate it verified: from anyone else the
// header is dropped, whatever its case, so a client cannot claim a certificate it never showed.
TEST_F(ServerTest, AClientCertificateIsBelievedOnlyFromATrustedProxy) {
  const std::string escaped =
      "-----BEGIN%20CERTIFICATE-----%0AMIIB+x/y=%0A-----END%20CERTIFICATE-----%0A";
  const std::string pem = "[-----BEGIN CERTIFICATE-----\nMIIB+x/y=\n-----END CERTIFICATE-----\n]";
  start();
  auto straight =
      fetch(port(), get("/client-certificate", "X-Client-Certificate: " + escaped + "\r\n"));
  ASSERT_TRUE(straight);
  EXPECT_EQ(straight->body, "[]");
  auto shouted =
      fetch(port(), get("/client-certificate", "x-client-CERTIFICATE: " + escaped + "\r\n"));
  ASSERT_TRUE(shouted);
  EXPECT_EQ(shouted->body, "[]");
  stop();

  ServerSettings settings = test_settings();
  settings.trusted_proxies = *TrustedProxies::parse("127.0.0.1");
  start(settings);
  auto proxied =
      fetch(port(), get("/client-certificate", "X-Client-Certificate: " + escaped + "\r\n"));
  ASSERT_TRUE(proxied);
  EXPECT_EQ(proxied->body, pem);
  auto none = fetch(port(), get("/client-certificate"));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->body, "[]");
}

TEST_F(ServerTest, ForwardedProtoIsIgnoredWithoutTrustProxy) {
  start();
  auto response = fetch(port(), get("/secure", "X-Forwarded-Proto: https\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "no");
  EXPECT_FALSE(response->has_header("Strict-Transport-Security"));
}

TEST_F(ServerTest, DynamicResponsesAreNotCachedUnlessTheHandlerSaysSo) {
  start();
  EXPECT_EQ(fetch(port(), get("/"))->header("Cache-Control"), "no-store");
  EXPECT_EQ(fetch(port(), get("/cached"))->header("Cache-Control"), "public, max-age=60");
}

TEST_F(ServerTest, GzipsTextWhenTheClientAcceptsIt) {
  start();
  auto plain = fetch(port(), get("/big"));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->has_header("Content-Encoding"));
  EXPECT_EQ(plain->header("Vary"), "Accept-Encoding");

  auto gzipped = fetch(port(), get("/big", "Accept-Encoding: gzip, br\r\n"));
  ASSERT_TRUE(gzipped);
  EXPECT_EQ(gzipped->header("Content-Encoding"), "gzip");
  EXPECT_EQ(gzipped->header("Vary"), "Accept-Encoding");
  EXPECT_LT(gzipped->body.size(), plain->body.size());
  EXPECT_EQ(test::gunzip(gzipped->body), plain->body);
}

TEST_F(ServerTest, DoesNotGzipSmallResponses) {
  start();
  auto response = fetch(port(), get("/", "Accept-Encoding: gzip\r\n"));
  ASSERT_TRUE(response);
  EXPECT_FALSE(response->has_header("Content-Encoding"));
  EXPECT_EQ(response->body, "home");
}

TEST_F(ServerTest, HeadIsGetWithoutTheBody) {
  start();
  Connection connection(port());
  ASSERT_TRUE(connection.send("HEAD /big HTTP/1.1\r\nHost: t\r\n\r\n" + get("/")));
  auto head = connection.read_response(test::ResponseTo::head);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  EXPECT_GT(std::stoul(head->header("Content-Length")), 1000u);
  auto next = connection.read_response();  // the connection stays in sync
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "home");
}

// A body shared with a cache goes out as an owned one would: whole, gzipped, or only its length.
TEST_F(ServerTest, SendsASharedBodyAsItsOwn) {
  start();
  auto owned = fetch(port(), get("/big"));
  ASSERT_TRUE(owned);
  for (const std::string path : {"/shared", "/framed"}) {
    SCOPED_TRACE(path);
    auto shared = fetch(port(), get(path));
    ASSERT_TRUE(shared);
    EXPECT_EQ(shared->status, 200);
    EXPECT_EQ(shared->body, owned->body);
    EXPECT_EQ(shared->header("Content-Length"), std::to_string(owned->body.size()));
    auto gzipped = fetch(port(), get(path, "Accept-Encoding: gzip\r\n"));
    ASSERT_TRUE(gzipped);
    EXPECT_EQ(gzipped->header("Content-Encoding"), "gzip");
    EXPECT_EQ(test::gunzip(gzipped->body), owned->body);
    EXPECT_EQ(gzipped->header("Content-Length"), std::to_string(gzipped->body.size()));

    Connection connection(port());
    ASSERT_TRUE(connection.send("HEAD " + path + " HTTP/1.1\r\nHost: t\r\n\r\n" + get(path)));
    auto head = connection.read_response(test::ResponseTo::head);
    ASSERT_TRUE(head);
    EXPECT_TRUE(head->body.empty());
    EXPECT_EQ(head->header("Content-Length"), std::to_string(owned->body.size()));
    auto next = connection.read_response();
    ASSERT_TRUE(next);
    EXPECT_EQ(next->body, owned->body);
  }
}

// A file body is streamed from disk a piece at a time, whole or the one part a Range asks for.
TEST_F(ServerTest, StreamsAFileBodyWholeOrTheRangeAskedFor) {
  test::TempDir dir("pratu-file-body-");
  std::string bytes(1024 * 1024 + 7, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131) % 251);
  const auto path = dir.path() / "file.pdf";
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  router_.add("GET", "/file/{name}", [&dir](web::Request& request) {
    web::Response response;
    response.content_type = "application/pdf";
    response.body_file = (dir.path() / std::string(request.path_param("name"))).string();
    return response;
  });
  start(test_settings(), echoing_error_hook());

  auto whole = fetch(port(), get("/file/file.pdf"));
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(whole->header("Accept-Ranges"), "bytes");
  EXPECT_EQ(whole->header("Content-Length"), std::to_string(bytes.size()));
  EXPECT_TRUE(whole->body == bytes) << "the file arrived changed";

  auto part = fetch(port(), get("/file/file.pdf", "Range: bytes=100000-300000\r\n"));
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->header("Content-Range"), "bytes 100000-300000/" + std::to_string(bytes.size()));
  EXPECT_TRUE(part->body == bytes.substr(100000, 200001));

  auto tail = fetch(port(), get("/file/file.pdf", "Range: bytes=-7\r\n"));
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->status, 206);
  EXPECT_EQ(tail->body, bytes.substr(bytes.size() - 7));

  auto outside = fetch(port(), get("/file/file.pdf", "Range: bytes=99999999-\r\n"));
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->status, 416);
  EXPECT_EQ(outside->header("Content-Range"), "bytes */" + std::to_string(bytes.size()));
  EXPECT_TRUE(outside->body.empty());

  // Several ranges, or a version to check (If-Range): the whole file.
  auto several = fetch(port(), get("/file/file.pdf", "Range: bytes=0-1,5-6\r\n"));
  ASSERT_TRUE(several);
  EXPECT_EQ(several->status, 200);
  EXPECT_EQ(several->body.size(), bytes.size());
  auto if_range = fetch(port(), get("/file/file.pdf", "Range: bytes=0-1\r\nIf-Range: \"abc\"\r\n"));
  ASSERT_TRUE(if_range);
  EXPECT_EQ(if_range->status, 200);

  // HEAD: the length, no body, and the connection stays in sync.
  Connection connection(port());
  ASSERT_TRUE(connection.send("HEAD /file/file.pdf HTTP/1.1\r\nHost: t\r\n\r\n" + get("/")));
  auto head = connection.read_response(test::ResponseTo::head);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("Content-Length"), std::to_string(bytes.size()));
  EXPECT_TRUE(head->body.empty());
  auto next = connection.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "home");

  // A file that is not there is the server's fault, said without its path.
  auto missing = fetch(port(), get("/file/gone.pdf"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 500);
  EXPECT_EQ(missing->body.find(dir.path().string()), std::string::npos);
}

TEST_F(ServerTest, EchoesAWellFormedRequestIdAndReplacesOthers) {
  start();
  auto echoed = fetch(port(), get("/request-id", "X-Request-Id: abc-123-XYZ\r\n"));
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->header("X-Request-Id"), "abc-123-XYZ");
  EXPECT_EQ(echoed->body, "abc-123-XYZ");

  for (const std::string bad :
       {std::string("bad id"), std::string(65, 'a'), std::string("<script>")}) {
    auto replaced = fetch(port(), get("/request-id", "X-Request-Id: " + bad + "\r\n"));
    ASSERT_TRUE(replaced);
    const std::string id = replaced->header("X-Request-Id");
    EXPECT_EQ(id.size(), 16u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(replaced->body, id);
  }
}

TEST_F(ServerTest, GeneratesADifferentRequestIdPerRequest) {
  start();
  EXPECT_NE(fetch(port(), get("/"))->header("X-Request-Id"),
            fetch(port(), get("/"))->header("X-Request-Id"));
}

TEST_F(ServerTest, HandlerExceptionIs500WithoutItsText) {
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);
  start(test_settings(), echoing_error_hook());
  auto response = fetch(port(), get("/throws"));
  stop();
  spdlog::set_default_logger(previous);

  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body.find("exploded"), std::string::npos);
  const std::string log = captured.str();
  EXPECT_NE(log.find("handler failed"), std::string::npos);
  EXPECT_NE(log.find(response->header("X-Request-Id")), std::string::npos);
  EXPECT_NE(log.find("database exploded at row 42"), std::string::npos);  // detail: log only
}

TEST_F(ServerTest, AccessLogHasOneLinePerRequestWithoutQueryOrCookies) {
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);
  start();
  auto response =
      fetch(port(), get("/services/x?q=private-query", "Cookie: sid=private-cookie\r\n"));
  // An id a client sends is its own text: redacted in the log like any (here a national id).
  auto sent_id = fetch(port(), get("/services/x", "X-Request-Id: 1101700207030\r\n"));
  stop();
  spdlog::set_default_logger(previous);

  ASSERT_TRUE(response);
  const std::string log = captured.str();
  EXPECT_NE(log.find("\"msg\":\"request\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"route\":\"/services/{slug}\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"status\":200"), std::string::npos) << log;
  EXPECT_NE(log.find("\"duration_ms\":"), std::string::npos) << log;
  EXPECT_NE(log.find("\"bytes\":1"), std::string::npos) << log;
  EXPECT_NE(log.find(response->header("X-Request-Id")), std::string::npos);
  EXPECT_EQ(log.find("private-query"), std::string::npos);
  EXPECT_EQ(log.find("private-cookie"), std::string::npos);
  ASSERT_TRUE(sent_id);
  EXPECT_EQ(sent_id->header("X-Request-Id"), "1101700207030");
  EXPECT_EQ(log.find("1101700207030"), std::string::npos) << log;
  EXPECT_NE(log.find("\"request_id\":\"[id]\""), std::string::npos) << log;
}

TEST_F(ServerTest, GracefulStopFinishesAnInFlightRequest) {
  start();
  Connection connection(port());
  ASSERT_TRUE(connection.send(get("/slow")));
  slow_started_.get_future().wait();
  const auto stop_started = std::chrono::steady_clock::now();
  server_->stop();
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "finished");
  EXPECT_EQ(response->header("Connection"), "close");
  thread_.join();  // run() returns once the in-flight request is done
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 3s);
  server_.reset();
}

TEST_F(ServerTest, SigtermStopsTheServerGracefully) {
  start(test_settings(), {}, true);
  Connection connection(port());
  ASSERT_TRUE(connection.send(get("/slow")));
  slow_started_.get_future().wait();
  std::raise(SIGTERM);
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "finished");
  thread_.join();  // run() returned without anyone calling stop()
  server_.reset();
}

TEST_F(ServerTest, RefusesToStartOnAPortInUse) {
  start();
  ServerSettings settings = test_settings();
  settings.port = port();
  Server second(settings, router_, nullptr, registry_);
  auto started = second.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().detail.find(std::to_string(port())), std::string::npos);
}

TEST_F(ServerTest, StopClosesIdleKeepAliveConnectionsPromptly) {
  start();
  Connection idle(port());
  ASSERT_TRUE(idle.send(get("/")));
  ASSERT_TRUE(idle.read_response());
  const auto stop_started = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_TRUE(idle.closed_by_peer());
  thread_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 2s);
  server_.reset();
}

TEST_F(ServerTest, FullWorkerQueueIs503WithRetryAfterButInlineRoutesStillAnswer) {
  ServerSettings settings = test_settings();
  settings.worker_threads = 1;
  settings.worker_queue_limit = 1;
  start(settings, echoing_error_hook());

  Connection running(port());
  ASSERT_TRUE(running.send(get("/block")));
  while (blocked_ == 0) std::this_thread::sleep_for(5ms);
  Connection queued(port());
  ASSERT_TRUE(queued.send(get("/block")));
  // Wait until the second request sits in the queue.
  for (int i = 0; i < 400; ++i) {
    if (registry_.expose().find("\npratu_worker_queue_depth{pool=\"pages\"} 1\n") !=
        std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(5ms);
  }

  auto refused = fetch(port(), get("/block"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->header("Retry-After"), "1");
  EXPECT_EQ(refused->body.rfind("error 503", 0), 0u);

  auto health = fetch(port(), get("/health"));
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);

  gate_.open();
  EXPECT_EQ(running.read_response()->body, "released");
  EXPECT_EQ(queued.read_response()->body, "released");
  EXPECT_NE(registry_.expose().find("\npratu_worker_pool_rejections_total{pool=\"pages\"} 1\n"),
            std::string::npos);
}

// A burst of logins waits for the password-hashing pool's own workers: pages, on theirs,
// answer while every hashing job is still held.
TEST_F(ServerTest, SaturatedHashingPoolDoesNotDelayPages) {
  ServerSettings settings = test_settings();
  settings.worker_threads = 1;
  settings.hashing_threads = 1;
  settings.hashing_queue_limit = 8;
  start(settings);

  std::vector<std::unique_ptr<Connection>> logins;
  for (int i = 0; i < 3; ++i) {
    logins.push_back(std::make_unique<Connection>(port()));
    ASSERT_TRUE(logins.back()->send("POST /hash HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"));
  }
  const std::string queued = "\npratu_worker_queue_depth{pool=\"password_hashing\"} 2\n";
  for (int i = 0; i < 400 && registry_.expose().find(queued) == std::string::npos; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_NE(registry_.expose().find(queued), std::string::npos) << registry_.expose();
  ASSERT_EQ(blocked_, 1);

  auto page = fetch(port(), get("/services/food"));  // a worker route on the pages pool
  ASSERT_TRUE(page) << "the page waited behind the hashing jobs";
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, "food");
  EXPECT_EQ(blocked_, 1) << "the hashing jobs were not held while the page was served";

  gate_.open();
  for (auto& login : logins) {
    auto response = login->read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "hashed");
  }
}

TEST_F(ServerTest, ReadTimeoutClosesAStalledConnection) {
  ServerSettings settings = test_settings();
  settings.read_timeout = 200ms;
  start(settings);
  Connection connection(port());
  ASSERT_TRUE(connection.send("GET / HTTP/1.1\r\nHost: t\r\n"));  // never finished
  const auto sent = std::chrono::steady_clock::now();
  EXPECT_TRUE(connection.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 2s);
}

TEST_F(ServerTest, IdleTimeoutClosesAQuietKeepAliveConnection) {
  ServerSettings settings = test_settings();
  settings.idle_timeout = 200ms;
  start(settings);
  Connection connection(port());
  ASSERT_TRUE(connection.send(get("/")));
  ASSERT_TRUE(connection.read_response());
  const auto answered = std::chrono::steady_clock::now();
  EXPECT_TRUE(connection.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - answered, 2s);
}

TEST_F(ServerTest, ClosesAfterMaxRequestsPerConnection) {
  ServerSettings settings = test_settings();
  settings.max_requests_per_connection = 2;
  start(settings);
  Connection connection(port());
  ASSERT_TRUE(connection.send(get("/") + get("/")));
  EXPECT_NE(connection.read_response()->header("Connection"), "close");
  EXPECT_EQ(connection.read_response()->header("Connection"), "close");
  EXPECT_TRUE(connection.closed_by_peer());
}

TEST_F(ServerTest, CountsRequestsInMetricsThatPromtoolAccepts) {
  start();
  ASSERT_TRUE(fetch(port(), get("/")));
  ASSERT_TRUE(fetch(port(), get("/missing")));
  // Metrics are recorded once the response is written: give the server a moment.
  const std::string last = "pratu_http_requests_total{route=\"unmatched\"";
  for (int i = 0; i < 200 && registry_.expose().find(last) == std::string::npos; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  const std::string text = registry_.expose();
  EXPECT_NE(text.find("pratu_http_requests_total{route=\"home\",method=\"GET\",status=\"200\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("pratu_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"),
      std::string::npos);
  EXPECT_NE(text.find("pratu_http_request_duration_seconds_count{route=\"home\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("pratu_http_connections_active"), std::string::npos);

  EXPECT_EQ(test::promtool_check_metrics(text), 0) << text;
}

TEST_F(ServerTest, ServesFingerprintedStaticAssetsWithEtagAnd304) {
  const test::TempDir dir("pratu-server-static-");
  std::string css;
  for (int i = 0; i < 100; ++i) css += "body { color: #0b0c0c; }\n";
  dir.write("css/site.css", css);
  auto loaded = StaticAssets::load(dir.path().string());
  ASSERT_TRUE(loaded);
  assets_ = std::move(*loaded);
  start();

  const std::string url = assets_->url("css/site.css");
  ASSERT_EQ(url.rfind("/static/css/site.", 0), 0u);
  auto response = fetch(port(), get(url));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, css);
  EXPECT_EQ(response->header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(response->header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(response->header("X-Content-Type-Options"), "nosniff");
  const std::string etag = response->header("ETag");
  ASSERT_FALSE(etag.empty());

  auto not_modified = fetch(port(), get(url, "If-None-Match: " + etag + "\r\n"));
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_TRUE(not_modified->body.empty());

  auto gzipped = fetch(port(), get(url, "Accept-Encoding: gzip\r\n"));
  ASSERT_TRUE(gzipped);
  EXPECT_EQ(gzipped->header("Content-Encoding"), "gzip");
  EXPECT_EQ(test::gunzip(gzipped->body), css);

  EXPECT_EQ(fetch(port(), get("/static/css/site.0000000000.css"))->status, 404);
  EXPECT_EQ(fetch(port(), get("/static/css/site.css"))->status, 404);
}

// ---- connection caps --------------------------------------------------------------------

TEST_F(ServerTest, ClosesConnectionsBeyondThePerAddressCap) {
  ServerSettings settings = test_settings();
  settings.max_connections_per_address = 3;
  settings.read_timeout = 10s;  // a silent connection is closed by the cap, not by the timeout
  start(settings);
  std::vector<std::unique_ptr<Connection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Connection>(port()));
    ASSERT_TRUE(held.back()->send(get("/")));
    ASSERT_TRUE(held.back()->read_response());
  }
  Connection excess(port(), 2s);
  EXPECT_TRUE(excess.closed_by_peer());
  Connection other(port(), 2s, "127.0.0.2");
  ASSERT_TRUE(other.send(get("/health")));
  auto health = other.read_response();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  ASSERT_TRUE(held.front()->send(get("/")));  // the admitted ones are untouched
  EXPECT_EQ(held.front()->read_response()->body, "home");
}

// A trusted proxy speaks for many clients: only the overall cap applies to it.
TEST_F(ServerTest, ThePerAddressCapSparesTrustedProxies) {
  ServerSettings settings = test_settings();
  settings.max_connections_per_address = 2;
  settings.trusted_proxies = *TrustedProxies::parse("127.0.0.1");
  start(settings);
  std::vector<std::unique_ptr<Connection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Connection>(port(), 2s));
    ASSERT_TRUE(held.back()->send(get("/")));
    auto response = held.back()->read_response();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "home");
  }
}

TEST_F(ServerTest, HealthCheckAnswersWhenOneAddressOpensMoreConnectionsThanAllowed) {
  ServerSettings settings = test_settings();
  settings.max_connections = 4;
  settings.max_connections_per_address = 4;
  start(settings);
  std::vector<std::unique_ptr<Connection>> flood;
  for (int i = 0; i < 12; ++i) flood.push_back(std::make_unique<Connection>(port()));
  Connection other(port(), 2s, "127.0.0.2");
  ASSERT_TRUE(other.send(get("/health")));
  auto health = other.read_response();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  for (int i = 0; i < 100 && metric_value(registry_, "pratu_http_connections_active") > 4; ++i) {
    std::this_thread::sleep_for(10ms);  // the connection shed for it is closing
  }
  EXPECT_LE(metric_value(registry_, "pratu_http_connections_active"), 4);
  EXPECT_EQ(metric_value(registry_, "pratu_http_connections_refused_total"), 8);
  EXPECT_EQ(metric_value(registry_, "pratu_http_connections_shed_total"), 1);
}

TEST_F(ServerTest, ShedsAnIdleKeepAliveConnectionForANewOne) {
  ServerSettings settings = test_settings();
  settings.max_connections = 2;
  start(settings);
  Connection first(port(), 2s);
  ASSERT_TRUE(first.send(get("/")));
  ASSERT_TRUE(first.read_response());
  Connection second(port(), 2s, "127.0.0.3");
  ASSERT_TRUE(second.send(get("/")));
  ASSERT_TRUE(second.read_response());

  Connection health(port(), 2s, "127.0.0.2");
  ASSERT_TRUE(health.send(get("/health")));
  auto answered = health.read_response();
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 200);
  EXPECT_TRUE(first.closed_by_peer());  // the longest idle went to make room
}

TEST_F(ServerTest, ShedsAHalfSentHeadWhenNoConnectionIsIdle) {
  ServerSettings settings = test_settings();
  settings.max_connections = 2;
  settings.read_timeout = 10s;
  start(settings);
  Connection first(port(), 2s);
  ASSERT_TRUE(first.send("GET / HTTP/1.1\r\nHost: t\r\n"));
  Connection second(port(), 2s, "127.0.0.3");
  ASSERT_TRUE(second.send("GET / HTTP/1.1\r\nHost: t\r\n"));
  std::this_thread::sleep_for(100ms);  // both heads are being read

  Connection health(port(), 2s, "127.0.0.2");
  ASSERT_TRUE(health.send(get("/health")));
  auto answered = health.read_response();
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 200);
  EXPECT_TRUE(first.closed_by_peer());
}

TEST_F(ServerTest, RefusesANewConnectionWhenEveryOpenOneIsBusy) {
  ServerSettings settings = test_settings();
  settings.max_connections = 1;
  settings.read_timeout = 10s;
  start(settings);
  Connection busy(port());
  ASSERT_TRUE(busy.send(get("/block")));
  while (blocked_ == 0) std::this_thread::sleep_for(5ms);
  Connection refused(port(), 2s, "127.0.0.2");
  EXPECT_TRUE(refused.closed_by_peer());
  gate_.open();
  EXPECT_EQ(busy.read_response()->body, "released");
}

// A half-sent head must not hold more than its limit: the read buffer stops growing at the
// header limit instead of doubling past it.
TEST_F(ServerTest, HalfSentHeadsHoldMemoryWithinTheHeaderLimit) {
  ServerSettings settings = test_settings();
  settings.io_threads = 1;
  start(settings);
  constexpr int kConnections = 100;  // enough that what else the process allocates is noise
  const std::string half_head = "GET / HTTP/1.1\r\nHost: t\r\nX-Filler: " +
                                std::string(settings.header_limit_bytes - 200, 'a');
  // Both ends of the loopback connections live in this process; what they allocate before
  // the heads are sent is not counted.
  std::vector<std::unique_ptr<Connection>> slow;
  for (int i = 0; i < kConnections; ++i) {
    slow.push_back(std::make_unique<Connection>(port(), 5s, i % 2 ? "127.0.0.2" : "127.0.0.3"));
  }
  std::this_thread::sleep_for(200ms);
  const auto before = mallinfo2().uordblks;
  for (auto& connection : slow) ASSERT_TRUE(connection->send(half_head));
  std::size_t after = 0;
  for (int steady = 0, i = 0; steady < 3 && i < 60; ++i) {  // until the server has read them
    std::this_thread::sleep_for(50ms);
    const std::size_t now = mallinfo2().uordblks;
    steady = now == after ? steady + 1 : 0;
    after = now;
  }
  const std::size_t per_connection = (after - before) / kConnections;
  RecordProperty("bytes_per_connection", static_cast<int>(per_connection));
  EXPECT_LT(per_connection, settings.header_limit_bytes + settings.header_limit_bytes / 2)
      << per_connection << " bytes per connection";
}

// ---- shutdown ---------------------------------------------------------------------------

TEST_F(ServerTest, StopsCleanlyWhenAHalfSentRequestOutlastsTheGracePeriod) {
  ServerSettings settings = test_settings();
  settings.shutdown_grace = 100ms;
  settings.read_timeout = 10s;
  start(settings);
  Connection connection(port());
  ASSERT_TRUE(connection.send("GET / HTTP/1.1\r\nHost: t\r\n"));
  std::this_thread::sleep_for(50ms);  // the server is reading the head
  server_->stop();
  thread_.join();
  server_.reset();  // destroys the suspended session: must not touch what is already gone
  EXPECT_TRUE(connection.closed_by_peer());
}

// ---- strict framing (RFC 9112) ----------------------------------------------------------

TEST_F(ServerTest, AmbiguousHostOrFramingIs400AndCloses) {
  start(test_settings(), echoing_error_hook());
  const std::vector<std::string> requests = {
      "GET / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
      "Content-Length: 5\r\n\r\n0\r\n\r\n",
      "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
  };
  for (const auto& raw : requests) {
    Connection connection(port(), 2s);
    ASSERT_TRUE(connection.send(raw + get("/")));
    auto response = connection.read_response();
    ASSERT_TRUE(response) << raw;
    EXPECT_EQ(response->status, 400) << raw;
    EXPECT_EQ(response->header("Connection"), "close") << raw;
    EXPECT_EQ(response->body.rfind("error 400", 0), 0u) << raw;
    EXPECT_TRUE(connection.closed_by_peer()) << raw;
  }
}

TEST_F(ServerTest, Http10WithoutHostAndChunkedBodiesStillWork) {
  start();
  auto old = fetch(port(), "GET / HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->body, "home");
  auto chunked = fetch(port(),
                       "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                       "\r\n5\r\nhello\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->body, "hello");
}

// ---- errors under /api/ -----------------------------------------------------------------

TEST_F(ServerTest, TransportErrorsUnderApiAreProblemJson) {
  ServerSettings settings = test_settings();
  settings.header_limit_bytes = 1024;
  start(settings, problem_json_hook());
  const std::vector<std::pair<std::string, int>> cases = {
      {get("/api/v1/items?q=%00"), 400},
      {get("/api/v1/items/%ff"), 400},
      {get("/api/v1/items/%00"), 400},
      {get("/api/v1/items", "X-Filler: " + std::string(4000, 'a') + "\r\n"), 431},
      {"GET /api/v1/items HTTP/1.1\r\n\r\n", 400},
      {"GET /api/v1/items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 400},
      {"POST /api/v1/items HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n", 413},
      {"GET /api/v1/items HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n", 400},
  };
  for (const auto& [raw, status] : cases) {
    auto response = fetch(port(), raw);
    ASSERT_TRUE(response) << raw;
    EXPECT_EQ(response->status, status) << raw;
    EXPECT_EQ(response->header("Content-Type"), "application/problem+json") << raw;
  }
  auto page = fetch(port(), get("/items/%ff"));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 400);
  EXPECT_EQ(page->body, "error 400");
}

TEST_F(ServerTest, FullWorkerQueueUnderApiIsProblemJson) {
  ServerSettings settings = test_settings();
  settings.worker_threads = 1;
  settings.worker_queue_limit = 1;
  start(settings, problem_json_hook());
  Connection running(port());
  ASSERT_TRUE(running.send(get("/api/v1/block")));
  while (blocked_ == 0) std::this_thread::sleep_for(5ms);
  Connection queued(port());
  ASSERT_TRUE(queued.send(get("/api/v1/block")));
  for (int i = 0; i < 400; ++i) {
    if (registry_.expose().find("\npratu_worker_queue_depth 1\n") != std::string::npos) break;
    std::this_thread::sleep_for(5ms);
  }
  auto refused = fetch(port(), get("/api/v1/block"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(refused->header("Retry-After"), "1");
  gate_.open();
  EXPECT_EQ(running.read_response()->body, "released");
  EXPECT_EQ(queued.read_response()->body, "released");
}

TEST_F(ServerTest, PlainErrorsUnderApiAreProblemJsonWithoutAHook) {
  start();
  auto response = fetch(port(), get("/api/v1/items/%ff"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->header("Content-Type"), "application/problem+json");
  EXPECT_NE(response->body.find("\"status\":400"), std::string::npos) << response->body;
}

// ---- trusted proxies --------------------------------------------------------------------

TEST_F(ServerTest, ForwardedForNamesTheClientOnlyBehindATrustedProxy) {
  ServerSettings settings = test_settings();
  settings.trusted_proxies = *TrustedProxies::parse("127.0.0.0/8, 10.0.0.0/8");
  start(settings);
  // The right-most address that is not one of our proxies; what the client wrote to the
  // left of it is not believed.
  auto proxied = fetch(port(), get("/remote",
                                   "X-Forwarded-For: 198.51.100.1, 203.0.113.9, "
                                   "10.1.2.3\r\nX-Forwarded-Proto: https\r\n"));
  ASSERT_TRUE(proxied);
  EXPECT_EQ(proxied->body, "203.0.113.9 https");
  auto split = fetch(port(), get("/remote",
                                 "X-Forwarded-For: 198.51.100.1\r\n"
                                 "X-Forwarded-For: 203.0.113.7\r\n"));
  EXPECT_EQ(split->body, "203.0.113.7");
}

TEST_F(ServerTest, ForwardedForFromAnUntrustedPeerIsIgnored) {
  ServerSettings settings = test_settings();
  settings.trusted_proxies = *TrustedProxies::parse("10.0.0.0/8");
  start(settings);
  for (const char* rotated : {"203.0.113.1", "203.0.113.2"}) {
    auto response = fetch(port(), get("/remote", std::string("X-Forwarded-For: ") + rotated +
                                                     "\r\nX-Forwarded-Proto: https\r\n"));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "127.0.0.1");
    EXPECT_FALSE(response->has_header("Strict-Transport-Security"));
  }
}

// ---- client address in the access log ---------------------------------------------------

TEST_F(ServerTest, AccessLogKeepsTheClientAddressAsConfigured) {
  const std::vector<std::pair<AddressLogging, std::string>> cases = {
      {AddressLogging::truncated, "\"client\":\"127.0.0.0\""},
      {AddressLogging::full, "\"client\":\"127.0.0.1\""},
      {AddressLogging::none, ""},
  };
  for (const auto& [mode, expected] : cases) {
    CapturedLog log;
    ServerSettings settings = test_settings();
    settings.client_address_logging = mode;
    start(settings);
    ASSERT_TRUE(fetch(port(), get("/")));
    ASSERT_TRUE(fetch(port(), "GET / HTTP/1.1\r\nBad Header\r\n\r\n"));
    stop();
    const std::string text = log.text();
    if (expected.empty()) {
      EXPECT_EQ(text.find("\"client\""), std::string::npos) << text;
    } else {
      // Both the served and the refused request carry it.
      const std::size_t first = text.find(expected);
      ASSERT_NE(first, std::string::npos) << text;
      EXPECT_NE(text.find(expected, first + 1), std::string::npos) << text;
    }
    if (mode != AddressLogging::full) {
      EXPECT_EQ(text.find("127.0.0.1"), std::string::npos) << text;
    }
  }
}

}  // namespace
}  // namespace pratu::http
