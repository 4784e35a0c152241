#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <atomic>
#include <charconv>
#include <csignal>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/log.hpp"
#include "http/compression.hpp"
#include "http/static_assets.hpp"
#include "http/worker_pool.hpp"

namespace pratu::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr int kGzipLevel = 6;
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'";

// Labels stay bounded: an attacker's invented method must not create a new time series.
std::string method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",    "HEAD",  "POST",   "PUT",
                                                             "DELETE", "PATCH", "OPTIONS"};
  for (auto known : kKnown) {
    if (method == known) return std::string(known);
  }
  return "other";
}

bool has_forbidden_chars(std::string_view text) {
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A minimal error page when the application installed none: status and request id only.
web::Response plain_error_page(const web::Request& request, int status) {
  web::Response response;
  response.status = status;
  const std::string code = std::to_string(status);
  const std::string reason(bhttp::obsolete_reason(static_cast<bhttp::status>(status)));
  response.body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + code + " " +
                  reason + "</title></head><body><h1>" + code + " " + reason +
                  "</h1><p><code>" + request.request_id + "</code></p></body></html>\n";
  return response;
}

// What one request turned into, for the access log and metrics.
struct Outcome {
  web::Response response;
  std::string route_name;
  bool close = false;  // the request was not fully read: close after responding
};

enum class JobStatus { done, rejected };
struct JobResult {
  JobStatus status = JobStatus::done;
  std::optional<web::Response> response;  // empty: the handler threw
  std::string error;
};

// One accepted connection, as seen by stop(): touched only on the connection's strand.
struct Connection {
  asio::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;
  bool idle = true;
};

}  // namespace

std::string request_id_for(std::string_view incoming) {
  if (!incoming.empty() && incoming.size() <= 64) {
    bool valid = true;
    for (char c : incoming) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-';
      valid = valid && ok;
    }
    if (valid) return std::string(incoming);
  }
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = generator();
  std::string id(16, '0');
  for (auto& c : id) {
    c = kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

struct Server::Impl {
  Impl(ServerSettings s, const Router& r, const StaticAssets* a, metrics::Registry& registry,
       ServerHooks h)
      : settings(std::move(s)),
        router(r),
        assets(a),
        hooks(std::move(h)),
        requests_total(registry.counter("pratu_http_requests_total",
                                        "HTTP requests by route, method and status.",
                                        {"route", "method", "status"})),
        request_duration(registry.histogram("pratu_http_request_duration_seconds",
                                            "Time from request headers to response sent.",
                                            {"route"})),
        connections_active(
            registry.gauge("pratu_http_connections_active", "Open HTTP connections.").get()),
        queue_depth(registry.gauge("pratu_worker_queue_depth", "Jobs waiting for a worker.")
                        .get()),
        rejections(registry
                       .counter("pratu_worker_pool_rejections_total",
                                "Requests refused with 503 because the worker queue was full.")
                       .get()),
        ioc(static_cast<int>(std::max<std::size_t>(settings.io_threads, 1))),
        control(asio::make_strand(ioc)),
        acceptor(ioc),
        grace_timer(control),
        pool(settings.worker_threads, settings.worker_queue_limit) {}

  ~Impl() { pool.stop(); }

  // ---- lifecycle -------------------------------------------------------------------------

  Result<void> start() {
    boost::system::error_code ec;
    tcp::resolver resolver(ioc);
    auto endpoints = resolver.resolve(settings.host, std::to_string(settings.port),
                                      tcp::resolver::passive, ec);
    if (ec || endpoints.empty()) {
      return Error::internal("cannot resolve " + settings.host + ": " + ec.message());
    }
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error::internal("cannot listen on " + settings.host + ":" +
                             std::to_string(settings.port) + ": " + ec.message());
    }
    bound_port = acceptor.local_endpoint().port();
    asio::co_spawn(control, accept_loop(), asio::detached);
    return ok();
  }

  void run() {
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < settings.io_threads; ++i) {
      threads.emplace_back([this] { ioc.run(); });
    }
    ioc.run();
    for (auto& thread : threads) thread.join();
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    log::info("server stopping", {}, {{"connections", std::to_string(connection_count())}});
    boost::system::error_code ec;
    acceptor.close(ec);
    if (signals) signals->cancel(ec);
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard lock(connections_mutex);
      for (auto& [id, connection] : connections) open.push_back(connection);
    }
    for (auto& connection : open) {
      asio::post(connection->executor, [connection] {
        if (connection->idle && connection->stream != nullptr) connection->stream->cancel();
      });
    }
    if (!open.empty()) {
      grace_timer.expires_after(settings.shutdown_grace);
      grace_timer.async_wait([this](boost::system::error_code wait_error) {
        if (!wait_error) force_close();
      });
    }
  }

  // The grace period is over: close what is left and stop the event loop.
  void force_close() {
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard lock(connections_mutex);
      for (auto& [id, connection] : connections) open.push_back(connection);
    }
    log::warn("shutdown grace expired", {}, {{"connections", std::to_string(open.size())}});
    for (auto& connection : open) {
      asio::post(connection->executor, [connection] {
        if (connection->stream != nullptr) connection->stream->close();
      });
    }
    ioc.stop();
  }

  std::size_t connection_count() {
    std::lock_guard lock(connections_mutex);
    return connections.size();
  }

  // Registers a connection for stop(); unregisters when the session ends.
  class ConnectionGuard {
   public:
    ConnectionGuard(Impl& impl, std::shared_ptr<Connection> connection)
        : impl_(impl), connection_(std::move(connection)) {
      std::lock_guard lock(impl_.connections_mutex);
      id_ = impl_.next_connection_id++;
      impl_.connections.emplace(id_, connection_);
      impl_.connections_active.inc();
    }
    ~ConnectionGuard() {
      connection_->stream = nullptr;
      bool last = false;
      {
        std::lock_guard lock(impl_.connections_mutex);
        impl_.connections.erase(id_);
        last = impl_.connections.empty();
      }
      impl_.connections_active.dec();
      if (last && impl_.stopping) {
        // Nothing in flight any more: no need to wait out the grace period.
        asio::post(impl_.control, [&impl = impl_] { impl.grace_timer.cancel(); });
      }
    }
    ConnectionGuard(const ConnectionGuard&) = delete;
    ConnectionGuard& operator=(const ConnectionGuard&) = delete;

   private:
    Impl& impl_;
    std::shared_ptr<Connection> connection_;
    std::uint64_t id_ = 0;
  };

  // ---- accepting -------------------------------------------------------------------------

  asio::awaitable<void> accept_loop() {
    while (!stopping) {
      tcp::socket socket(asio::make_strand(ioc));
      auto [ec] = co_await acceptor.async_accept(socket, kNoThrow);
      if (ec) {
        if (stopping || !acceptor.is_open()) co_return;
        // Out of descriptors and the like: back off instead of spinning.
        log::warn("accept failed", {}, {{"error", ec.message()}});
        asio::steady_timer pause(control, std::chrono::milliseconds(50));
        co_await pause.async_wait(kNoThrow);
        continue;
      }
      if (stopping) co_return;
      auto executor = socket.get_executor();
      asio::co_spawn(executor, session(std::move(socket)), asio::detached);
    }
  }

  // ---- one connection --------------------------------------------------------------------

  asio::awaitable<void> session(tcp::socket socket) {
    auto connection = std::make_shared<Connection>();
    connection->executor = socket.get_executor();
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    const std::string peer_address = ec ? std::string{} : peer.address().to_string();
    socket.set_option(tcp::no_delay(true), ec);

    beast::tcp_stream stream(std::move(socket));
    connection->stream = &stream;
    ConnectionGuard guard(*this, connection);
    beast::flat_buffer buffer;
    bool linger = false;

    for (std::size_t served = 0;; ++served) {
      connection->idle = true;
      if (stopping) break;
      if (buffer.size() == 0) {
        // Between requests the idle timeout applies; a new connection gets the read timeout.
        stream.expires_after(served == 0 ? settings.read_timeout : settings.idle_timeout);
        auto [read_error, n] = co_await stream.async_read_some(buffer.prepare(4096), kNoThrow);
        if (read_error) break;
        buffer.commit(n);
      }
      connection->idle = false;
      const bool last_allowed = served + 1 >= settings.max_requests_per_connection;
      auto result = co_await serve_one(stream, buffer, peer_address, last_allowed);
      if (!result.keep_alive) {
        linger = result.linger;
        break;
      }
    }

    if (stream.socket().is_open()) {
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      if (linger) {
        // The client may still be sending a body we refused; read and drop it for a moment
        // so that closing does not reset the connection before it reads our response.
        stream.expires_after(kLingerTime);
        std::array<char, 4096> sink{};
        std::size_t drained = 0;
        while (drained < kLingerBytes) {
          auto [drain_error, n] = co_await stream.async_read_some(asio::buffer(sink), kNoThrow);
          if (drain_error) break;
          drained += n;
        }
      }
      stream.socket().close(ec);
    }
  }

  struct ServeResult {
    bool keep_alive = false;
    bool linger = false;
  };

  // Reads, handles and answers one request.
  asio::awaitable<ServeResult> serve_one(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                         const std::string& peer_address, bool last_allowed) {
    const auto started = std::chrono::steady_clock::now();
    stream.expires_after(settings.read_timeout);
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(settings.header_limit_bytes));
    // The body limit depends on the route, known only after the headers: checked below.
    parser.body_limit(boost::none);

    web::Request request;
    auto [header_error, header_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
    if (header_error) {
      request.request_id = request_id_for({});
      request.path = "/";
      request.method = "GET";
      if (header_error == bhttp::error::body_limit) {
        co_return co_await respond_error(stream, request, 413, "invalid", started, {});
      }
      if (header_error == bhttp::error::header_limit) {
        co_return co_await respond_error(stream, request, 431, "invalid", started, {});
      }
      if (header_error == beast::error::timeout) {
        access_log(request, "invalid", 408, 0, started);
        co_return ServeResult{};
      }
      if (header_error == bhttp::error::end_of_stream || header_error == asio::error::eof ||
          header_error == asio::error::operation_aborted ||
          header_error == asio::error::connection_reset) {
        co_return ServeResult{};
      }
      co_return co_await respond_error(stream, request, 400, "invalid", started, {});
    }

    auto& message = parser.get();
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(16);
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.request_id = request_id_for(request.header("X-Request-Id"));
    request.remote_address = peer_address;
    if (settings.trust_proxy) {
      const std::string_view forwarded_for = request.header("X-Forwarded-For");
      if (!forwarded_for.empty()) {
        const std::size_t comma = forwarded_for.rfind(',');
        const auto last = trim(comma == std::string_view::npos ? forwarded_for
                                                               : forwarded_for.substr(comma + 1));
        if (!last.empty()) request.remote_address = std::string(last);
      }
      request.secure = web::iequals(trim(request.header("X-Forwarded-Proto")), "https");
    }
    bool keep_alive = message.keep_alive() && !last_allowed;

    auto target = web::parse_target(request.target);
    if (!target) {
      request.path = "/";
      co_return co_await respond_error(stream, request, 400, "invalid", started, {});
    }
    request.path = std::move(target->path);
    request.query = std::move(target->query);

    // Decide where the request goes before reading its body: the route sets the body limit.
    const bool is_get = request.method == "GET" || request.method == "HEAD";
    const bool is_static = assets != nullptr && is_get &&
                           request.path.rfind(StaticAssets::kPrefix, 0) == 0;
    Match match;
    std::size_t body_limit = settings.default_body_limit;
    if (!is_static) {
      match = router.match(request.method, request.path);
      if (match.route != nullptr) body_limit = match.route->options.body_limit;
    }
    const std::string route_name =
        is_static ? "static" : (match.route != nullptr ? match.route->options.name : "unmatched");

    if (const auto length = parser.content_length(); length && *length > body_limit) {
      co_return co_await respond_error(stream, request, 413, route_name, started, {});
    }
    parser.body_limit(body_limit);
    if (!parser.is_done()) {
      if (web::iequals(request.header("Expect"), "100-continue")) {
        bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, message.version()};
        stream.expires_after(settings.write_timeout);
        auto [continue_error, n] = co_await bhttp::async_write(stream, go_on, kNoThrow);
        if (continue_error) co_return ServeResult{};
        stream.expires_after(settings.read_timeout);
      }
      auto [body_error, n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
      if (body_error == bhttp::error::body_limit) {
        co_return co_await respond_error(stream, request, 413, route_name, started, {});
      }
      if (body_error == beast::error::timeout) {
        access_log(request, route_name, 408, 0, started);
        co_return ServeResult{};
      }
      if (body_error) {
        co_return co_await respond_error(stream, request, 400, route_name, started, {});
      }
    }
    request.body = std::move(message.body());

    web::Response response;
    if (is_static) {
      auto asset = assets->serve(request);
      response = asset ? std::move(*asset) : error_page(request, 404);
    } else if (match.route == nullptr) {
      response = error_page(request, match.method_mismatch ? 405 : 404);
      if (match.method_mismatch) {
        std::string allow;
        for (const auto& method : match.allowed) allow += (allow.empty() ? "" : ", ") + method;
        response.set_header("Allow", std::move(allow));
      }
    } else {
      request.path_params = std::move(match.params);
      const auto& options = match.route->options;
      if (options.execution == Execution::inline_ ||
          (options.inline_when && options.inline_when(request))) {
        response = invoke(match.route->handler, request, route_name);
      } else {
        JobResult job = co_await run_on_worker(match.route->handler, request);
        queue_depth.set(static_cast<double>(pool.queue_depth()));
        if (job.status == JobStatus::rejected) {
          rejections.inc();
          response = error_page(request, 503);
          response.set_header("Retry-After", "1");
          log::warn("worker queue full", request.request_id, {{"route", route_name}});
        } else if (!job.response) {
          log::error("handler failed", request.request_id,
                     {{"route", route_name}, {"error", job.error}});
          response = error_page(request, 500);
        } else {
          response = std::move(*job.response);
        }
      }
    }
    keep_alive = keep_alive && !stopping;
    const auto sent = co_await write_response(stream, request, std::move(response), route_name,
                                              keep_alive, started);
    co_return ServeResult{sent && keep_alive, false};
  }

  web::Response invoke(const RawHandler& handler, web::Request& request,
                       const std::string& route_name) {
    try {
      return handler(request);
    } catch (const std::exception& e) {
      log::error("handler failed", request.request_id, {{"route", route_name}, {"error", e.what()}});
    } catch (...) {
      log::error("handler failed", request.request_id, {{"route", route_name}});
    }
    return error_page(request, 500);
  }

  // A worker job's result, handed back to the connection's strand; the timer wakes the
  // waiting coroutine.
  struct WorkerCall {
    explicit WorkerCall(const asio::any_io_executor& executor)
        : done(executor, asio::steady_timer::time_point::max()) {}
    asio::steady_timer done;
    JobResult result;
    bool finished = false;
  };

  // Runs `handler` on the worker pool; the coroutine waits without blocking its I/O thread
  // and resumes on its own strand.
  asio::awaitable<JobResult> run_on_worker(const RawHandler& handler, web::Request& request) {
    auto call = std::make_shared<WorkerCall>(co_await asio::this_coro::executor);
    // Keeps run() from returning while the job is away from the event loop.
    auto work = asio::make_work_guard(ioc);
    auto submitted = pool.submit([call, work, &handler, &request]() mutable {
      JobResult result;
      try {
        result.response = handler(request);
      } catch (const std::exception& e) {
        result.error = e.what();
      } catch (...) {
        result.error = "non-exception thrown";
      }
      asio::post(call->done.get_executor(), [call, result = std::move(result)]() mutable {
        call->result = std::move(result);
        call->finished = true;
        call->done.expires_at(asio::steady_timer::time_point::min());
      });
      work.reset();
    });
    queue_depth.set(static_cast<double>(pool.queue_depth()));
    if (!submitted) co_return JobResult{JobStatus::rejected, std::nullopt, {}};
    while (!call->finished) co_await call->done.async_wait(kNoThrow);
    co_return std::move(call->result);
  }

  web::Response error_page(const web::Request& request, int status) {
    if (hooks.error_page) {
      try {
        web::Response response = hooks.error_page(request, status);
        response.status = status;
        return response;
      } catch (const std::exception& e) {
        log::error("error page failed", request.request_id, {{"error", e.what()}});
      } catch (...) {
        log::error("error page failed", request.request_id);
      }
    }
    return plain_error_page(request, status);
  }

  // An error before the request was fully read: answer, then close (lingering).
  asio::awaitable<ServeResult> respond_error(beast::tcp_stream& stream, const web::Request& request,
                                             int status, const std::string& route_name,
                                             std::chrono::steady_clock::time_point started,
                                             std::vector<web::Header> extra_headers) {
    web::Response response = error_page(request, status);
    for (auto& [name, value] : extra_headers) response.set_header(name, value);
    co_await write_response(stream, request, std::move(response), route_name, false, started);
    co_return ServeResult{false, true};
  }

  // Adds what every response needs (request id, security headers, caching, compression) and
  // writes it. Returns false when the write failed.
  asio::awaitable<bool> write_response(beast::tcp_stream& stream, const web::Request& request,
                                       web::Response response, const std::string& route_name,
                                       bool keep_alive,
                                       std::chrono::steady_clock::time_point started) {
    const int status = response.status;
    const bool bodiless = status == 204 || status == 304 || (status >= 100 && status < 200);
    if (bodiless) response.body.clear();

    response.set_header("X-Request-Id", request.request_id);
    auto set_default = [&response](std::string_view name, std::string_view value) {
      if (response.header(name).empty()) response.set_header(std::string(name), std::string(value));
    };
    set_default("Content-Security-Policy", kCsp);
    set_default("X-Content-Type-Options", "nosniff");
    set_default("Referrer-Policy", "strict-origin-when-cross-origin");
    set_default("X-Frame-Options", "DENY");
    set_default("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    set_default("Cross-Origin-Opener-Policy", "same-origin");
    if (request.secure) set_default("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // Dynamic pages may carry personal data: never cached unless the handler says otherwise.
    set_default("Cache-Control", "no-store");

    const bool compressible = !bodiless && response.body.size() >= settings.gzip_min_bytes &&
                              is_compressible(response.content_type) &&
                              response.header("Content-Encoding").empty();
    if (compressible) {
      const std::string_view vary = response.header("Vary");
      if (vary.empty()) {
        response.set_header("Vary", "Accept-Encoding");
      } else if (vary.find("Accept-Encoding") == std::string_view::npos) {
        response.set_header("Vary", std::string(vary) + ", Accept-Encoding");
      }
      if (accepts_gzip(request.header("Accept-Encoding"))) {
        response.body = gzip_compress(response.body, kGzipLevel);
        response.set_header("Content-Encoding", "gzip");
        // The compressed bytes are a different representation: a strong ETag would lie.
        const std::string_view etag = response.header("ETag");
        if (!etag.empty() && etag.front() == '"') response.set_header("ETag", "W/" + std::string(etag));
      }
    }

    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(status), 11};
    if (!response.content_type.empty() && !bodiless) {
      out.set(bhttp::field::content_type, response.content_type);
    }
    for (const auto& [name, value] : response.headers) {
      if (name.empty() || has_forbidden_chars(name) || has_forbidden_chars(value)) {
        log::error("dropped a response header with control characters", request.request_id,
                   {{"header", name}});
        continue;
      }
      out.insert(name, value);
    }
    out.keep_alive(keep_alive);
    const std::size_t body_bytes = response.body.size();
    if (request.method == "HEAD") {
      if (!bodiless) out.content_length(body_bytes);
    } else {
      out.body() = std::move(response.body);
      out.prepare_payload();
    }

    stream.expires_after(settings.write_timeout);
    auto [write_error, written] = co_await bhttp::async_write(stream, out, kNoThrow);
    access_log(request, route_name, status, request.method == "HEAD" ? 0 : body_bytes, started);
    co_return !write_error;
  }

  void access_log(const web::Request& request, const std::string& route_name, int status,
                  std::size_t bytes, std::chrono::steady_clock::time_point started) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string method = method_label(request.method);
    const std::string status_text = std::to_string(status);
    requests_total.with({route_name, method, status_text}).inc();
    request_duration.with({route_name}).observe(seconds);
    std::array<char, 64> buffer{};
    const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), seconds * 1000,
                                   std::chars_format::fixed, 3)
                         .ptr;
    const std::string duration(buffer.data(), end);
    log::info("request", request.request_id,
              {{"method", method},
               {"route", route_name},
               {"status", status_text},
               {"duration_ms", duration},
               {"bytes", std::to_string(bytes)}});
  }

  ServerSettings settings;
  const Router& router;
  const StaticAssets* assets;
  ServerHooks hooks;
  metrics::Family<metrics::Counter>& requests_total;
  metrics::Family<metrics::Histogram>& request_duration;
  metrics::Gauge& connections_active;
  metrics::Gauge& queue_depth;
  metrics::Counter& rejections;
  std::atomic<bool> stopping{false};
  std::mutex connections_mutex;
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::uint64_t next_connection_id = 0;
  std::uint16_t bound_port = 0;
  // Declared last so it is destroyed first: the pool joins before the io_context goes, and
  // the io_context goes (destroying suspended sessions) before the connection table.
  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;
  asio::steady_timer grace_timer;
  std::optional<asio::signal_set> signals;
  WorkerPool pool;
};

Server::Server(ServerSettings settings, const Router& router, const StaticAssets* assets,
               metrics::Registry& metrics, ServerHooks hooks)
    : impl_(std::make_unique<Impl>(std::move(settings), router, assets, metrics,
                                   std::move(hooks))) {}

Server::~Server() = default;

Result<void> Server::start() { return impl_->start(); }

std::uint16_t Server::port() const { return impl_->bound_port; }

void Server::run() { impl_->run(); }

void Server::stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->begin_stop(); });
}

void Server::stop_on_signals() {
  impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
  impl_->signals->async_wait([impl = impl_.get()](boost::system::error_code ec, int signal) {
    if (ec) return;
    log::info("signal received", {}, {{"signal", std::to_string(signal)}});
    asio::post(impl->control, [impl] { impl->begin_stop(); });
  });
}

}  // namespace pratu::http
