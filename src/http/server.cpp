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
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <charconv>
#include <csignal>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "common/log.hpp"
#include "common/text.hpp"
#include "http/byte_range.hpp"
#include "http/compression.hpp"
#include "http/static_assets.hpp"
#include "http/worker_pool.hpp"
#include "web/client_certificate.hpp"

namespace pratu::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr int kGzipLevel = 6;
constexpr std::size_t kLingerBytes = 1024 * 1024;
// The first read of a new connection or of the next request on a kept-alive one.
constexpr std::size_t kFirstReadBytes = 4096;
// Room past the header limit in the read buffer, so that a head just over it is seen as 431.
constexpr std::size_t kHeadSlackBytes = 1024;
constexpr std::chrono::seconds kLingerTime{2};
// What a streamed body is read in: the most of it in memory at once, per request.
constexpr std::size_t kStreamChunkBytes = 256 * 1024;
// A file body is sent this much at a time: what one response holds in memory, however large
// the file.
constexpr std::size_t kFileChunkBytes = 64 * 1024;
constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'";

// Labels stay bounded: an attacker's invented method must not create a new time series.
// The returned view points into static storage: the metrics cache keys on its address.
std::string_view method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 8> kKnown = {"GET",    "HEAD",  "POST",    "PUT",
                                                             "DELETE", "PATCH", "OPTIONS", "other"};
  for (std::size_t i = 0; i + 1 < kKnown.size(); ++i) {
    if (method == kKnown[i]) return kKnown[i];
  }
  return kKnown.back();
}

// The current time as an IMF-fixdate (RFC 9110 section 5.6.7), formatted once a second per
// thread.
std::string_view http_date() {
  thread_local std::time_t formatted_for = -1;
  thread_local std::array<char, 32> text{};
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != formatted_for) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    length = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
    formatted_for = now;
  }
  return {text.data(), length};
}

// Which counter of pratu_http_requests_total a request goes to; the pointers are the
// addresses of the route's name and the method label, both stable.
struct CounterKey {
  const char* route;
  const char* method;
  int status;
  bool operator==(const CounterKey&) const = default;
};
struct CounterKeyHash {
  std::size_t operator()(const CounterKey& key) const {
    std::size_t h = std::hash<const void*>{}(key.route);
    h = h * 31 + std::hash<const void*>{}(key.method);
    return h * 31 + static_cast<std::size_t>(key.status);
  }
};

bool has_forbidden_chars(std::string_view text) {
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

bool is_api_path(std::string_view path) { return path.starts_with("/api/"); }

// A minimal error page when the application installed none: status and request id only;
// problem+json (RFC 9457) under /api/.
web::Response plain_error_page(const web::Request& request, int status) {
  web::Response response;
  response.status = status;
  const std::string code = std::to_string(status);
  const std::string reason(bhttp::obsolete_reason(static_cast<bhttp::status>(status)));
  if (is_api_path(request.path)) {
    response.content_type = "application/problem+json";
    response.body = "{\"type\":\"about:blank\",\"title\":\"" + reason + "\",\"status\":" + code +
                    ",\"instance\":\"urn:request:" + request.request_id + "\"}";
    return response;
  }
  response.body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + code + " " +
                  reason + "</title></head><body><h1>" + code + " " + reason + "</h1><p><code>" +
                  request.request_id + "</code></p></body></html>\n";
  return response;
}

// The path an error is answered for when the target could not be parsed or checked: only
// whether it lies under /api/ (problem+json) counts, and nothing unchecked reaches the page.
std::string error_path(std::string_view raw_target) {
  return is_api_path(raw_target) ? "/api/" : "/";
}

// The request-target of the request line at the start of `buffer`, as sent; empty when
// there is none.
std::string_view raw_target_in(const beast::flat_buffer& buffer) {
  const auto data = buffer.data();
  std::string_view head(static_cast<const char*>(data.data()), data.size());
  head = head.substr(0, head.find("\r\n"));
  const std::size_t space = head.find(' ');
  if (space == std::string_view::npos) return {};
  head.remove_prefix(space + 1);
  return head.substr(0, head.find(' '));
}

// RFC 9112: an HTTP/1.1 request names exactly one Host; a body is framed by Content-Length or
// by chunked alone (once, last, and never in HTTP/1.0), not both. Anything else could be read
// differently by a proxy in front of us (request smuggling), so it is refused.
bool ambiguous_head(const bhttp::fields& fields, unsigned version) {
  std::size_t hosts = 0;
  bool has_length = false;
  bool has_encoding = false;
  std::size_t codings = 0;
  bool only_chunked = true;
  for (const auto& field : fields) {
    if (field.name() == bhttp::field::host) {
      ++hosts;
    } else if (field.name() == bhttp::field::content_length) {
      has_length = true;
    } else if (field.name() == bhttp::field::transfer_encoding) {
      has_encoding = true;
      std::string_view list = field.value();
      while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view coding = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (coding.empty()) continue;
        ++codings;
        only_chunked = only_chunked && web::iequals(coding, "chunked");
      }
    }
  }
  if (hosts > 1 || (version >= 11 && hosts == 0)) return true;
  return has_encoding && (version < 11 || has_length || codings != 1 || !only_chunked);
}

// Every X-Forwarded-For field of `request`, in order, as one comma-separated list.
std::string forwarded_for(const web::Request& request) {
  std::string joined;
  for (const auto& [name, value] : request.headers) {
    if (!web::iequals(name, "X-Forwarded-For")) continue;
    if (!joined.empty()) joined += ',';
    joined += value;
  }
  return joined;
}

// Raises the soft limit on open files towards what `connections` need, within the hard
// limit: the connection caps must be reached before the descriptors run out.
void ensure_descriptors_for(std::size_t connections) {
  constexpr rlim_t kReserve = 256;  // database, logs, static files, the listener
  const rlim_t wanted = static_cast<rlim_t>(connections) + kReserve;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
  rlimit raised = limit;
  raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  if (raised.rlim_cur > limit.rlim_cur) ::setrlimit(RLIMIT_NOFILE, &raised);
  if (raised.rlim_cur < wanted) {
    log::warn("open file limit is below server.max_connections", {},
              {{"limit", std::to_string(raised.rlim_cur)}, {"wanted", std::to_string(wanted)}});
  }
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

// One bounded worker pool per kind of work (http::Pool), with its own metrics.
struct PoolSlot {
  std::unique_ptr<WorkerPool> workers;
  metrics::Gauge* queue_depth = nullptr;
  metrics::Counter* rejections = nullptr;

  void update_depth() const { queue_depth->set(static_cast<double>(workers->queue_depth())); }
};

// The `pool` label of a pool's metrics.
std::string_view pool_label(Pool pool) {
  switch (pool) {
    case Pool::pages: return "pages";
    case Pool::password_hashing: return "password_hashing";
    case Pool::documents: return "documents";
  }
  return "pages";
}

// One accepted connection, as seen by stop() and by the connection caps. The stream is
// touched only on its lane's thread; the flags are read by the acceptor too.
struct Connection {
  asio::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;
  std::string address;           // the peer's, for the per-address cap
  std::uint64_t id = 0;          // in order of acceptance: the oldest idle one is shed first
  std::atomic<bool> idle{true};  // waiting for a request's first bytes
  std::atomic<bool> reading_head{false};  // has sent part of a request head, not all of it
  std::atomic<bool> shed{false};          // to be closed to make room for a new connection
};

}  // namespace

std::string request_id_for(std::string_view incoming) {
  if (!incoming.empty() && incoming.size() <= 64) {
    bool valid = true;
    for (char c : incoming) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
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
        connections_refused(
            registry
                .counter("pratu_http_connections_refused_total",
                         "Connections closed on arrival: their address or the server was full.")
                .get()),
        connections_shed(registry
                             .counter("pratu_http_connections_shed_total",
                                      "Idle or slow connections closed to make room for new ones.")
                             .get()),
        lanes(make_lanes(settings.io_threads)),
        control(asio::make_strand(lanes.front()->ioc)),
        acceptor(lanes.front()->ioc),
        grace_timer(control),
        pools(make_pools(settings, registry)) {}

  ~Impl() {
    // Destroying the lanes destroys suspended sessions, whose guards must not post to the
    // control strand, destroyed before them.
    loops_ended = true;
    for (auto& slot : pools) slot.workers->stop();
  }

  static std::array<PoolSlot, kPoolCount> make_pools(const ServerSettings& settings,
                                                     metrics::Registry& registry) {
    auto& depth =
        registry.gauge("pratu_worker_queue_depth", "Jobs waiting for a worker, by pool.", {"pool"});
    auto& refused = registry.counter(
        "pratu_worker_pool_rejections_total",
        "Requests refused with 503 because their worker pool's queue was full.", {"pool"});
    struct Size {
      Pool pool;
      std::size_t threads;
      std::size_t queue_limit;
    };
    const std::array<Size, kPoolCount> sizes = {{
        {Pool::pages, settings.worker_threads, settings.worker_queue_limit},
        {Pool::password_hashing, settings.hashing_threads, settings.hashing_queue_limit},
        {Pool::documents, settings.document_threads, settings.document_queue_limit},
    }};
    std::array<PoolSlot, kPoolCount> made;
    for (const auto& size : sizes) {
      auto& slot = made[static_cast<std::size_t>(size.pool)];
      slot.workers =
          std::make_unique<WorkerPool>(size.threads, size.queue_limit, settings.worker_niceness);
      slot.queue_depth = &depth.with({std::string(pool_label(size.pool))});
      slot.rejections = &refused.with({std::string(pool_label(size.pool))});
    }
    return made;
  }

  PoolSlot& pool_for(Pool pool) { return pools[static_cast<std::size_t>(pool)]; }

  // ---- lifecycle -------------------------------------------------------------------------

  // One event loop per I/O thread: a connection lives on one lane for its whole life, so its
  // handlers never need a strand or a lock, and the loops share nothing per request.
  struct Lane {
    Lane() : ioc(1), keep_running(asio::make_work_guard(ioc)) {}
    asio::io_context ioc;
    // Keeps an idle lane's loop running until stop begins.
    asio::executor_work_guard<asio::io_context::executor_type> keep_running;
    // Metrics of this lane's requests, found once per route, method and status.
    std::unordered_map<CounterKey, metrics::Counter*, CounterKeyHash> request_counters;
    std::unordered_map<const char*, metrics::Histogram*> duration_histograms;
  };

  static std::vector<std::unique_ptr<Lane>> make_lanes(std::size_t count) {
    std::vector<std::unique_ptr<Lane>> made;
    for (std::size_t i = 0; i < std::max<std::size_t>(count, 1); ++i) {
      made.push_back(std::make_unique<Lane>());
    }
    return made;
  }

  Result<void> start() {
    boost::system::error_code ec;
    tcp::resolver resolver(lanes.front()->ioc);
    auto endpoints =
        resolver.resolve(settings.host, std::to_string(settings.port), tcp::resolver::passive, ec);
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
    ensure_descriptors_for(settings.max_connections);
    asio::co_spawn(control, accept_loop(), asio::detached);
    return ok();
  }

  void run() {
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < lanes.size(); ++i) {
      threads.emplace_back([lane = lanes[i].get()] { lane->ioc.run(); });
    }
    lanes.front()->ioc.run();
    for (auto& thread : threads) thread.join();
  }

  void stop_lanes() {
    loops_ended = true;
    for (auto& lane : lanes) lane->ioc.stop();
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    log::info("server stopping", {}, {{"connections", std::to_string(connection_count())}});
    boost::system::error_code ec;
    acceptor.close(ec);
    if (signals) signals->cancel(ec);
    // Each loop now ends when its last connection (and worker job) has.
    for (auto& lane : lanes) {
      asio::post(lane->ioc, [lane = lane.get()] { lane->keep_running.reset(); });
    }
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
    stop_lanes();
  }

  std::size_t connection_count() {
    std::lock_guard lock(connections_mutex);
    return connections.size();
  }

  // Unregisters a connection admit() registered when its session ends.
  class ConnectionGuard {
   public:
    ConnectionGuard(Impl& impl, std::shared_ptr<Connection> connection)
        : impl_(impl), connection_(std::move(connection)) {}
    ~ConnectionGuard() {
      connection_->stream = nullptr;
      bool last = false;
      {
        std::lock_guard lock(impl_.connections_mutex);
        impl_.connections.erase(connection_->id);
        last = impl_.connections.empty();
        auto from_address = impl_.connections_per_address.find(connection_->address);
        if (from_address != impl_.connections_per_address.end() && --from_address->second == 0) {
          impl_.connections_per_address.erase(from_address);
        }
        if (connection_->shed) --impl_.shedding;
      }
      impl_.connections_active.dec();
      if (last && impl_.stopping && !impl_.loops_ended) {
        // Nothing in flight any more: no need to wait out the grace period.
        asio::post(impl_.control, [&impl = impl_] { impl.grace_timer.cancel(); });
      }
    }
    ConnectionGuard(const ConnectionGuard&) = delete;
    ConnectionGuard& operator=(const ConnectionGuard&) = delete;

   private:
    Impl& impl_;
    std::shared_ptr<Connection> connection_;
  };

  // ---- connection caps -------------------------------------------------------------------

  // Registers a new connection if its address and the server have room; at the overall cap
  // an idle connection is shed for it. Null: close the new one.
  std::shared_ptr<Connection> admit(tcp::socket& socket) {
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    if (ec) return nullptr;
    auto connection = std::make_shared<Connection>();
    connection->executor = socket.get_executor();
    const auto address = IpAddress::parse(peer.address().to_string());
    connection->address = address ? address->to_string() : peer.address().to_string();
    // A trusted proxy speaks for many clients: only the overall cap applies to it.
    const bool proxy = address && settings.trusted_proxies.contains(*address);
    std::shared_ptr<Connection> victim;
    {
      std::lock_guard lock(connections_mutex);
      const auto from_address = connections_per_address.find(connection->address);
      if (!proxy && from_address != connections_per_address.end() &&
          from_address->second >= settings.max_connections_per_address) {
        connections_refused.inc();
        return nullptr;
      }
      if (connections.size() - shedding >= settings.max_connections) {
        victim = connection_to_shed();
        if (!victim) {
          connections_refused.inc();
          return nullptr;
        }
        victim->shed = true;
        ++shedding;
        connections_shed.inc();
      }
      ++connections_per_address[connection->address];
      connection->id = next_connection_id++;
      connections.emplace(connection->id, connection);
    }
    connections_active.inc();
    if (victim) {
      asio::post(victim->executor, [this, victim] {
        if (!victim->idle && !victim->reading_head) {
          // Its request is being handled by now: it stays.
          std::lock_guard lock(connections_mutex);
          if (victim->shed.exchange(false)) --shedding;
        } else if (victim->stream != nullptr) {
          victim->stream->cancel();
        }
      });
    }
    return connection;
  }

  // The connection to close first: an idle one, else one still sending its request head
  // (nothing is lost but the client's patience); from the address holding the most
  // connections, the oldest. Never one whose request is being handled. Call with
  // connections_mutex held.
  std::shared_ptr<Connection> connection_to_shed() {
    std::shared_ptr<Connection> chosen;
    std::tuple<bool, std::size_t, std::uint64_t> chosen_rank{};
    for (const auto& [id, connection] : connections) {
      const bool idle = connection->idle;
      if (connection->shed || (!idle && !connection->reading_head)) continue;
      // Smaller ranks go first: idle, then the largest share, then the oldest.
      const std::size_t share = connections_per_address[connection->address];
      const std::tuple<bool, std::size_t, std::uint64_t> rank{!idle, ~share, connection->id};
      if (chosen == nullptr || rank < chosen_rank) {
        chosen = connection;
        chosen_rank = rank;
      }
    }
    return chosen;
  }

  // ---- accepting -------------------------------------------------------------------------

  asio::awaitable<void> accept_loop() {
    std::size_t next_lane = 0;
    while (!stopping) {
      // Lanes take connections in turn.
      Lane& lane = *lanes[next_lane];
      next_lane = (next_lane + 1) % lanes.size();
      tcp::socket socket(lane.ioc);
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
      auto connection = admit(socket);
      if (!connection) {
        socket.close(ec);
        continue;
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, session(std::move(socket), lane, std::move(connection)),
                     asio::detached);
    }
  }

  // ---- one connection --------------------------------------------------------------------

  asio::awaitable<void> session(tcp::socket socket, Lane& lane,
                                std::shared_ptr<Connection> connection) {
    ConnectionGuard guard(*this, connection);
    const std::string& peer_address = connection->address;
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);

    beast::tcp_stream stream(std::move(socket));
    connection->stream = &stream;
    // Never grows past the header limit (plus room to see it exceeded): doubling would let
    // each half-sent head hold twice the limit.
    beast::flat_buffer buffer(settings.header_limit_bytes + kHeadSlackBytes);
    bool linger = false;

    for (std::size_t served = 0;; ++served) {
      connection->idle = true;
      if (stopping || connection->shed) break;
      if (buffer.size() == 0) {
        // An idle connection holds no buffer memory while it waits.
        buffer.shrink_to_fit();
        // Between requests the idle timeout applies; a new connection gets the read timeout.
        stream.expires_after(served == 0 ? settings.read_timeout : settings.idle_timeout);
        auto [read_error, n] = co_await stream.async_read_some(
            buffer.prepare(std::min(kFirstReadBytes, buffer.max_size())), kNoThrow);
        if (read_error) break;
        buffer.commit(n);
      }
      connection->idle = false;
      connection->reading_head = true;
      const bool last_allowed = served + 1 >= settings.max_requests_per_connection;
      auto result =
          co_await serve_one(lane, stream, buffer, peer_address, last_allowed, *connection);
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
  asio::awaitable<ServeResult> serve_one(Lane& lane, beast::tcp_stream& stream,
                                         beast::flat_buffer& buffer,
                                         const std::string& peer_address, bool last_allowed,
                                         Connection& connection) {
    const auto started = std::chrono::steady_clock::now();
    stream.expires_after(settings.read_timeout);
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(settings.header_limit_bytes));
    // The body limit depends on the route, known only after the headers: checked below.
    parser.body_limit(boost::none);

    web::Request request;
    request.remote_address = peer_address;
    auto [header_error, header_bytes] =
        co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
    if (header_error) {
      request.request_id = request_id_for({});
      // The parser keeps the request line once it has read it; before that it is in the buffer.
      const std::string_view raw_target = parser.get().target();
      request.path = error_path(raw_target.empty() ? raw_target_in(buffer) : raw_target);
      request.method = "GET";
      if (header_error == bhttp::error::body_limit) {
        co_return co_await respond_error(lane, stream, request, 413, "invalid", started);
      }
      if (header_error == bhttp::error::header_limit) {
        co_return co_await respond_error(lane, stream, request, 431, "invalid", started);
      }
      if (header_error == beast::error::timeout) {
        access_log(lane, request, "invalid", 408, 0, started);
        co_return ServeResult{};
      }
      if (header_error == bhttp::error::end_of_stream || header_error == asio::error::eof ||
          header_error == asio::error::operation_aborted ||
          header_error == asio::error::connection_reset) {
        co_return ServeResult{};
      }
      co_return co_await respond_error(lane, stream, request, 400, "invalid", started);
    }

    connection.reading_head = false;  // no longer worth shedding for a new connection
    auto& message = parser.get();
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(16);
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.request_id = request_id_for(request.header("X-Request-Id"));
    if (settings.trusted_proxies.contains(peer_address)) {
      request.remote_address =
          client_address(peer_address, forwarded_for(request), settings.trusted_proxies);
      request.secure = web::iequals(trim(request.header("X-Forwarded-Proto")), "https");
    } else {
      // What only a trusted proxy may say, anyone else may not: the client certificate it
      // verified is dropped from a request straight from a client.
      std::erase_if(request.headers, [](const web::Header& h) {
        return web::iequals(h.first, web::kClientCertificateHeader);
      });
    }
    bool keep_alive = message.keep_alive() && !last_allowed;

    if (ambiguous_head(message, message.version())) {
      request.path = error_path(request.target);
      co_return co_await respond_error(lane, stream, request, 400, "invalid", started);
    }
    auto target = web::parse_target(request.target);
    if (!target) {
      request.path = error_path(request.target);
      co_return co_await respond_error(lane, stream, request, 400, "invalid", started);
    }
    request.path = std::move(target->path);
    request.query = std::move(target->query);

    // Decide where the request goes before reading its body: the route sets the body limit.
    const bool is_get = request.method == "GET" || request.method == "HEAD";
    const bool is_static =
        assets != nullptr && is_get && request.path.rfind(StaticAssets::kPrefix, 0) == 0;
    Match match;
    std::size_t body_limit = settings.default_body_limit;
    if (!is_static) {
      match = router.match(request.method, request.path);
      if (match.route != nullptr) body_limit = match.route->options.body_limit;
    }
    const bool streamed = match.route != nullptr && match.route->options.body == BodyMode::streamed;
    if (streamed) body_limit = static_cast<std::size_t>(match.route->options.stream_limit);
    // Views stable storage (the router or a literal): the metrics cache keys on its address.
    const std::string_view route_name =
        is_static ? "static"
                  : (match.route != nullptr ? std::string_view(match.route->options.name)
                                            : std::string_view("unmatched"));

    if (const auto length = parser.content_length(); length && *length > body_limit) {
      co_return co_await respond_error(lane, stream, request, 413, route_name, started);
    }
    parser.body_limit(body_limit);
    if (streamed && match.route->options.admit) {
      if (auto refused = match.route->options.admit(request)) {
        co_return co_await respond_error(lane, stream, request, *refused, route_name, started);
      }
    }
    if (streamed && match.route->options.before_body) {
      request.path_params = match.params;
      if (auto answered = co_await before_body(*match.route, request, route_name)) {
        co_await write_response(lane, stream, request, std::move(*answered), route_name, false,
                                started);
        co_return ServeResult{false, true};
      }
    }
    if (!parser.is_done()) {
      if (web::iequals(request.header("Expect"), "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        stream.expires_after(settings.write_timeout);
        auto [continue_error, n] =
            co_await asio::async_write(stream, asio::buffer(kContinue), kNoThrow);
        if (continue_error) co_return ServeResult{};
        stream.expires_after(settings.read_timeout);
      }
      if (!streamed) {
        auto [body_error, n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
        if (body_error == bhttp::error::body_limit) {
          co_return co_await respond_error(lane, stream, request, 413, route_name, started);
        }
        if (body_error == beast::error::timeout) {
          access_log(lane, request, route_name, 408, 0, started);
          co_return ServeResult{};
        }
        if (body_error) {
          co_return co_await respond_error(lane, stream, request, 400, route_name, started);
        }
      }
    }
    if (streamed) {
      auto refused = co_await read_streamed_body(lane, stream, buffer, parser, request,
                                                 match.route->options, route_name, started);
      if (refused) co_return *refused;
    } else {
      request.body = std::move(message.body());
    }

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
        PoolSlot& slot = pool_for(options.pool);
        JobResult job = co_await run_on_worker(slot, match.route->handler, request);
        if (job.status == JobStatus::rejected) {
          slot.rejections->inc();
          response = error_page(request, 503);
          response.set_header("Retry-After", "1");
          log::warn("worker queue full", request.request_id,
                    {{"route", route_name}, {"pool", pool_label(options.pool)}});
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
    const auto sent = co_await write_response(lane, stream, request, std::move(response),
                                              route_name, keep_alive, started);
    co_return ServeResult{sent && keep_alive, false};
  }

  // Reads a streamed route's body a chunk at a time into the route's sink, whose calls run on
  // the route's pool, and sets request.upload: at most one chunk of the body is in memory.
  // The read timeout applies to each chunk, so a long upload is not cut off while it moves.
  // Returns how the connection ends when the body was refused or could not be stored (the
  // sink, destroyed unfinished, discards what it had).
  asio::awaitable<std::optional<ServeResult>> read_streamed_body(
      Lane& lane, beast::tcp_stream& stream, beast::flat_buffer& buffer,
      bhttp::request_parser<bhttp::string_body>& head_parser, web::Request& request,
      const RouteOptions& options, std::string_view route_name,
      std::chrono::steady_clock::time_point started) {
    PoolSlot& slot = pool_for(options.pool);
    std::unique_ptr<BodySink> sink;
    std::optional<Error> failure;
    // Runs one sink call on the pool; false when it could not run or failed (see failure).
    auto on_pool = [&](std::function<Result<void>()> call) -> asio::awaitable<bool> {
      const bool ran = co_await run_blocking(slot, [&failure, &call] {
        try {
          auto done = call();
          if (!done) failure = done.error();
        } catch (const std::exception& e) {
          failure = Error::internal(e.what());
        } catch (...) {
          failure = Error::internal("non-exception thrown");
        }
      });
      if (!ran) {
        slot.rejections->inc();
        failure = Error::unavailable("worker queue full");
        failure->retry_after_seconds = 1;
      }
      co_return ran && !failure;
    };
    // A failed sink call: the status its error calls for, the rest of the body unread.
    auto refuse = [&]() -> asio::awaitable<ServeResult> {
      const int status = failure->code == ErrorCode::invalid_input ? 413
                         : failure->code == ErrorCode::too_large   ? 413
                         : failure->code == ErrorCode::unavailable ? 503
                         : failure->code == ErrorCode::conflict    ? 409
                         : failure->code == ErrorCode::not_found   ? 404
                                                                   : 500;
      log::error("streamed body not stored", request.request_id,
                 {{"route", route_name}, {"error", failure->detail}});
      sink.reset();
      co_return co_await respond_error(lane, stream, request, status, route_name, started);
    };

    const std::uint64_t limit = options.stream_limit;
    const bool opened = co_await on_pool([&]() -> Result<void> {
      if (!options.sink) return Error::internal("streamed route without a sink");
      PRATU_TRY(made, options.sink(request, limit));
      sink = std::move(made);
      return ok();
    });
    if (!opened) co_return co_await refuse();

    if (!head_parser.is_done()) {
      bhttp::request_parser<bhttp::buffer_body> parser(std::move(head_parser));
      parser.body_limit(limit);
      std::vector<char> chunk(kStreamChunkBytes);
      while (!parser.is_done()) {
        auto& body = parser.get().body();
        body.data = chunk.data();
        body.size = chunk.size();
        while (body.size > 0 && !parser.is_done()) {
          stream.expires_after(settings.read_timeout);
          auto [read_error, n] = co_await bhttp::async_read_some(stream, buffer, parser, kNoThrow);
          if (read_error == bhttp::error::need_buffer) break;  // the chunk is full
          if (read_error) {
            // A body appended to a partial upload keeps what arrived before the client went
            // away, so it can resume from there (tus); other bodies are discarded whole.
            const std::string_view arrived(chunk.data(), chunk.size() - body.size);
            if (options.before_body && read_error != bhttp::error::body_limit && !arrived.empty()) {
              co_await on_pool([&] { return sink->write(arrived); });
            }
            sink.reset();
            if (read_error == bhttp::error::body_limit) {
              co_return co_await respond_error(lane, stream, request, 413, route_name, started);
            }
            if (read_error == beast::error::timeout) {
              access_log(lane, request, route_name, 408, 0, started);
              co_return ServeResult{};
            }
            co_return co_await respond_error(lane, stream, request, 400, route_name, started);
          }
        }
        const std::string_view filled(chunk.data(), chunk.size() - body.size);
        if (filled.empty()) continue;
        const bool written = co_await on_pool([&] { return sink->write(filled); });
        if (!written) co_return co_await refuse();
      }
    }
    const bool finished = co_await on_pool([&]() -> Result<void> {
      PRATU_TRY(upload, sink->finish());
      request.upload = std::move(upload);
      return ok();
    });
    if (!finished) co_return co_await refuse();
    co_return std::nullopt;
  }

  // Runs a streamed route's before_body on its pool: the response that answers the request
  // instead of its body, or nullopt to go on and read the body.
  asio::awaitable<std::optional<web::Response>> before_body(const Route& route,
                                                            web::Request& request,
                                                            std::string_view route_name) {
    PoolSlot& slot = pool_for(route.options.pool);
    std::optional<web::Response> answered;
    const bool ran = co_await run_blocking(slot, [&] {
      try {
        answered = route.options.before_body(request);
      } catch (const std::exception& e) {
        log::error("handler failed", request.request_id,
                   {{"route", route_name}, {"error", e.what()}});
        answered = error_page(request, 500);
      } catch (...) {
        answered = error_page(request, 500);
      }
    });
    if (!ran) {
      slot.rejections->inc();
      auto busy = error_page(request, 503);
      busy.set_header("Retry-After", "1");
      co_return busy;
    }
    co_return answered;
  }

  web::Response invoke(const RawHandler& handler, web::Request& request,
                       std::string_view route_name) {
    try {
      return handler(request);
    } catch (const std::exception& e) {
      log::error("handler failed", request.request_id,
                 {{"route", route_name}, {"error", e.what()}});
    } catch (...) {
      log::error("handler failed", request.request_id, {{"route", route_name}});
    }
    return error_page(request, 500);
  }

  // Runs `job` on `slot`'s pool; the coroutine waits without blocking its I/O thread and
  // resumes on its own lane, where the worker posts the outcome. False: the queue was full.
  // `job` must not throw.
  asio::awaitable<bool> run_blocking(PoolSlot& slot, std::function<void()> job) {
    auto lane_executor = co_await asio::this_coro::executor;
    auto initiate = [lane_executor, &slot, &job](auto completion) {
      // The pool takes copyable jobs; the completion handler is move-only.
      auto resume = std::make_shared<decltype(completion)>(std::move(completion));
      // Keeps the lane's loop running while the job is away from it.
      auto work = asio::make_work_guard(lane_executor);
      auto submitted = slot.workers->submit([&slot, resume, work, &job]() mutable {
        // A job leaving the queue changes its depth too.
        slot.update_depth();
        job();
        asio::post(work.get_executor(), [resume]() mutable { (*resume)(true); });
        work.reset();
      });
      slot.update_depth();
      if (!submitted) {
        asio::post(lane_executor, [resume] { (*resume)(false); });
      }
    };
    const bool ran = co_await asio::async_initiate<decltype(asio::use_awaitable), void(bool)>(
        initiate, asio::use_awaitable);
    slot.update_depth();
    co_return ran;
  }

  // Runs `handler` on `slot`'s pool (see run_blocking).
  asio::awaitable<JobResult> run_on_worker(PoolSlot& slot, const RawHandler& handler,
                                           web::Request& request) {
    JobResult result;
    const bool ran = co_await run_blocking(slot, [&result, &handler, &request] {
      try {
        result.response = handler(request);
      } catch (const std::exception& e) {
        result.error = e.what();
      } catch (...) {
        result.error = "non-exception thrown";
      }
    });
    if (!ran) result.status = JobStatus::rejected;
    co_return result;
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
  asio::awaitable<ServeResult> respond_error(Lane& lane, beast::tcp_stream& stream,
                                             const web::Request& request, int status,
                                             std::string_view route_name,
                                             std::chrono::steady_clock::time_point started) {
    web::Response response = error_page(request, status);
    co_await write_response(lane, stream, request, std::move(response), route_name, false, started);
    co_return ServeResult{false, true};
  }

  // Adds what every response needs (request id, date, security headers, caching,
  // compression), serialises the head and writes head and body in one gather write. The
  // transport owns framing: a handler's Content-Length, Transfer-Encoding, Connection, Date or
  // X-Request-Id is replaced. Returns false when the write failed.
  asio::awaitable<bool> write_response(Lane& lane, beast::tcp_stream& stream,
                                       const web::Request& request, web::Response response,
                                       std::string_view route_name, bool keep_alive,
                                       std::chrono::steady_clock::time_point started) {
    const int status = response.status;
    const bool bodiless = status == 204 || status == 304 || (status >= 100 && status < 200);
    if (bodiless) {
      response.body.clear();
      response.shared_body.reset();
    }

    const bool compressible = !bodiless && response.text_size() >= settings.gzip_min_bytes &&
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
        if (response.shared_body) {
          response.body = gzip_compress(response.text(), kGzipLevel);
        } else {
          response.body = gzip_compress(response.body, kGzipLevel);
        }
        response.shared_body.reset();
        response.set_header("Content-Encoding", "gzip");
        // The compressed bytes are a different representation: a strong ETag would lie.
        const std::string_view etag = response.header("ETag");
        if (!etag.empty() && etag.front() == '"')
          response.set_header("ETag", "W/" + std::string(etag));
      }
    }

    if (!response.body_file.empty() && !bodiless) {
      co_return co_await write_file_response(lane, stream, request, std::move(response), route_name,
                                             keep_alive, started);
    }
    const std::size_t body_bytes = response.text_size();
    std::string head = response_head(request, response, status, bodiless, keep_alive, body_bytes);
    const bool send_body = request.method != "HEAD" && body_bytes > 0;
    stream.expires_after(settings.write_timeout);
    // The head, then the body's own part and its shared part (a kept page's contents).
    const std::array<asio::const_buffer, 3> buffers = {
        asio::buffer(head), send_body ? asio::buffer(response.body) : asio::const_buffer(),
        send_body && response.shared_body ? asio::buffer(*response.shared_body)
                                          : asio::const_buffer()};
    auto [write_error, written] = co_await asio::async_write(stream, buffers, kNoThrow);
    access_log(lane, request, route_name, status, send_body ? body_bytes : 0, started);
    co_return !write_error;
  }

  // A response whose body is a file: the whole file, or the one part a Range asks for (206;
  // 416 outside it), read and written a piece at a time. The pieces are read on the I/O
  // thread: the files are the server's own, on local disk and mostly in the page cache.
  asio::awaitable<bool> write_file_response(Lane& lane, beast::tcp_stream& stream,
                                            const web::Request& request, web::Response response,
                                            std::string_view route_name, bool keep_alive,
                                            std::chrono::steady_clock::time_point started) {
    struct Fd {
      int fd;
      ~Fd() {
        if (fd >= 0) ::close(fd);
      }
    } file{::open(response.body_file.c_str(), O_RDONLY | O_CLOEXEC)};
    struct stat info {};
    if (file.fd < 0 || ::fstat(file.fd, &info) != 0 || !S_ISREG(info.st_mode)) {
      log::error("file body unreadable", request.request_id, {{"route", route_name}});
      co_return co_await write_response(lane, stream, request, error_page(request, 500), route_name,
                                        keep_alive, started);
    }
    const auto size = static_cast<std::uint64_t>(info.st_size);
    response.body.clear();
    response.set_header("Accept-Ranges", "bytes");
    std::uint64_t offset = 0;
    std::uint64_t length = size;
    // If-Range names a version this server does not track: the whole file, as the RFC says.
    if (response.status == 200 && request.method == "GET" && request.header("If-Range").empty()) {
      const ByteRange range = parse_byte_range(request.header("Range"), size);
      if (range.kind == ByteRange::Kind::part) {
        response.status = 206;
        offset = range.first;
        length = range.last - range.first + 1;
        response.set_header("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                 std::to_string(range.last) + "/" +
                                                 std::to_string(size));
      } else if (range.kind == ByteRange::Kind::unsatisfiable) {
        response.status = 416;
        length = 0;
        response.set_header("Content-Range", "bytes */" + std::to_string(size));
      }
    }
    const int status = response.status;
    std::string head = response_head(request, response, status, false, keep_alive, length);
    const bool send_body = request.method != "HEAD" && length > 0;
    std::vector<char> chunk(send_body ? std::min<std::uint64_t>(kFileChunkBytes, length) : 0);
    // Reads the next piece into `chunk`; 0 when the file ended early (it cannot: blobs are
    // never rewritten) or failed.
    auto next = [&](std::uint64_t at, std::uint64_t left) -> std::size_t {
      const std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), left));
      for (;;) {
        const ssize_t n = ::pread(file.fd, chunk.data(), want, static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        return n > 0 ? static_cast<std::size_t>(n) : 0;
      }
    };
    std::uint64_t sent = 0;
    bool ok = true;
    std::size_t piece = send_body ? next(offset, length) : 0;
    if (send_body && piece == 0) ok = false;
    stream.expires_after(settings.write_timeout);
    const std::array<asio::const_buffer, 2> first = {asio::buffer(head),
                                                     asio::buffer(chunk.data(), piece)};
    auto [write_error, written] = co_await asio::async_write(stream, first, kNoThrow);
    ok = ok && !write_error;
    sent += piece;
    while (ok && send_body && sent < length) {
      piece = next(offset + sent, length - sent);
      if (piece == 0) {
        ok = false;
        break;
      }
      stream.expires_after(settings.write_timeout);
      auto [error, n] =
          co_await asio::async_write(stream, asio::buffer(chunk.data(), piece), kNoThrow);
      ok = !error;
      sent += piece;
    }
    if (!ok && send_body && sent < length) {
      log::error("file body cut short", request.request_id, {{"route", route_name}});
    }
    access_log(lane, request, route_name, status, send_body ? sent : 0, started);
    // A body cut short cannot be mended on this connection: the caller closes it.
    co_return ok;
  }

  // The status line and header block of `response`, with the transport's own headers and
  // the security defaults the handler did not set.
  std::string response_head(const web::Request& request, const web::Response& response, int status,
                            bool bodiless, bool keep_alive, std::uint64_t body_length) {
    struct Default {
      std::string_view name;
      std::string_view value;
    };
    static constexpr std::array<Default, 8> kDefaults = {{
        {"Content-Security-Policy", kCsp},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "strict-origin-when-cross-origin"},
        {"X-Frame-Options", "DENY"},
        {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
        // Dynamic pages may carry personal data: never cached unless the handler says so.
        {"Cache-Control", "no-store"},
        {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
    }};
    static constexpr std::array<std::string_view, 5> kTransportOwned = {
        "Content-Length", "Transfer-Encoding", "Connection", "Date", "X-Request-Id"};

    std::string head;
    head.reserve(768 + response.headers.size() * 64);
    std::array<char, 8> code{};
    const auto code_end = std::to_chars(code.data(), code.data() + code.size(), status).ptr;
    head += "HTTP/1.1 ";
    head.append(code.data(), code_end);
    head += ' ';
    head += bhttp::obsolete_reason(static_cast<bhttp::status>(status));
    head += "\r\n";
    auto field = [&head](std::string_view name, std::string_view value) {
      head += name;
      head += ": ";
      head += value;
      head += "\r\n";
    };
    field("Date", http_date());
    if (!response.content_type.empty() && !bodiless) field("Content-Type", response.content_type);

    unsigned present = 0;
    for (const auto& [name, value] : response.headers) {
      if (name.empty() || has_forbidden_chars(name) || has_forbidden_chars(value)) {
        log::error("dropped a response header with control characters", request.request_id,
                   {{"header", name}});
        continue;
      }
      bool owned = false;
      for (auto transport : kTransportOwned) owned = owned || web::iequals(name, transport);
      if (owned) continue;
      for (std::size_t i = 0; i < kDefaults.size(); ++i) {
        if (web::iequals(name, kDefaults[i].name)) present |= 1U << i;
      }
      field(name, value);
    }
    field("X-Request-Id", request.request_id);
    for (std::size_t i = 0; i < kDefaults.size(); ++i) {
      const bool wanted =
          kDefaults[i].name != "Strict-Transport-Security" || request.secure || settings.https_only;
      if (wanted && (present & (1U << i)) == 0) field(kDefaults[i].name, kDefaults[i].value);
    }
    if (!keep_alive) field("Connection", "close");
    if (!bodiless) {
      std::array<char, 24> length{};
      const auto length_end =
          std::to_chars(length.data(), length.data() + length.size(), body_length).ptr;
      field("Content-Length", std::string_view(length.data(), length_end - length.data()));
    }
    head += "\r\n";
    return head;
  }

  // Counts and times one request and writes its access-log line. The metrics are looked up
  // once per lane for each route, method and status.
  void access_log(Lane& lane, const web::Request& request, std::string_view route_name, int status,
                  std::size_t bytes, std::chrono::steady_clock::time_point started) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string_view method = method_label(request.method);
    std::array<char, 8> status_buffer{};
    const auto status_end =
        std::to_chars(status_buffer.data(), status_buffer.data() + status_buffer.size(), status)
            .ptr;
    const std::string_view status_text(status_buffer.data(), status_end - status_buffer.data());

    const CounterKey key{route_name.data(), method.data(), status};
    auto counter = lane.request_counters.find(key);
    if (counter == lane.request_counters.end()) {
      metrics::Counter& created = requests_total.with(
          {std::string(route_name), std::string(method), std::string(status_text)});
      counter = lane.request_counters.emplace(key, &created).first;
    }
    counter->second->inc();
    auto histogram = lane.duration_histograms.find(route_name.data());
    if (histogram == lane.duration_histograms.end()) {
      metrics::Histogram& created = request_duration.with({std::string(route_name)});
      histogram = lane.duration_histograms.emplace(route_name.data(), &created).first;
    }
    histogram->second->observe(seconds);

    std::array<char, 64> duration_buffer{};
    const auto duration_end =
        std::to_chars(duration_buffer.data(), duration_buffer.data() + duration_buffer.size(),
                      seconds * 1000, std::chars_format::fixed, 3)
            .ptr;
    std::array<char, 24> bytes_buffer{};
    const auto bytes_end =
        std::to_chars(bytes_buffer.data(), bytes_buffer.data() + bytes_buffer.size(), bytes).ptr;
    const std::string_view duration_text(duration_buffer.data(),
                                         duration_end - duration_buffer.data());
    const std::string_view bytes_text(bytes_buffer.data(), bytes_end - bytes_buffer.data());
    // The address is personal data: kept whole, truncated or not at all, as configured.
    const std::string client =
        address_for_log(request.remote_address, settings.client_address_logging);
    // Every value here is the server's own (route names from the table, a method from a fixed
    // list, numbers): written as they are. So is the request id when the server made it (one
    // sent in X-Request-Id is kept as sent, and then redacted like anything a client sends).
    const auto id = request.request_id != request.header("X-Request-Id")
                        ? log::RequestId::own
                        : log::RequestId::from_client;
    if (client.empty()) {
      log::event_verbatim(spdlog::level::info, "request", request.request_id,
                          {{"method", method},
                           {"route", route_name},
                           {"status", status_text},
                           {"duration_ms", duration_text},
                           {"bytes", bytes_text}},
                          id);
    } else {
      log::event_verbatim(spdlog::level::info, "request", request.request_id,
                          {{"method", method},
                           {"route", route_name},
                           {"status", status_text},
                           {"duration_ms", duration_text},
                           {"bytes", bytes_text},
                           {"client", client}},
                          id);
    }
  }

  ServerSettings settings;
  const Router& router;
  const StaticAssets* assets;
  ServerHooks hooks;
  metrics::Family<metrics::Counter>& requests_total;
  metrics::Family<metrics::Histogram>& request_duration;
  metrics::Gauge& connections_active;
  metrics::Counter& connections_refused;
  metrics::Counter& connections_shed;
  std::atomic<bool> stopping{false};
  std::atomic<bool> loops_ended{false};  // the lanes' loops no longer run handlers
  std::mutex connections_mutex;
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::unordered_map<std::string, std::size_t> connections_per_address;
  std::size_t shedding = 0;  // connections shed but not yet closed
  std::uint64_t next_connection_id = 0;
  std::uint16_t bound_port = 0;
  // Declared last so it is destroyed first: the pools join before the lanes go, and the lanes
  // go (destroying suspended sessions) before the connection table.
  std::vector<std::unique_ptr<Lane>> lanes;
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;
  asio::steady_timer grace_timer;
  std::optional<asio::signal_set> signals;
  std::array<PoolSlot, kPoolCount> pools;
};

Server::Server(ServerSettings settings, const Router& router, const StaticAssets* assets,
               metrics::Registry& metrics, ServerHooks hooks)
    : impl_(
          std::make_unique<Impl>(std::move(settings), router, assets, metrics, std::move(hooks))) {}

Server::~Server() = default;

Result<void> Server::start() { return impl_->start(); }

std::uint16_t Server::port() const { return impl_->bound_port; }

void Server::run() { impl_->run(); }

void Server::stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->begin_stop(); });
}

void Server::stop_on_signals() {
  impl_->signals.emplace(impl_->lanes.front()->ioc, SIGINT, SIGTERM);
  impl_->signals->async_wait([impl = impl_.get()](boost::system::error_code ec, int signal) {
    if (ec) return;
    log::info("signal received", {}, {{"signal", std::to_string(signal)}});
    asio::post(impl->control, [impl] { impl->begin_stop(); });
  });
}

}  // namespace pratu::http
