#include "app/application.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "app/blob_body_sink.hpp"
#include "app/housekeeping.hpp"
#include "app/metrics_access.hpp"
#include "app/middleware.hpp"
#include "common/clock.hpp"
#include "common/files.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "crypto/secure_random.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_assets.hpp"
#include "platform/module.hpp"
#include "platform/outbox.hpp"
#include "storage/blob_store.hpp"
#include "storage/database.hpp"
#include "web/problem.hpp"
#include "web/render.hpp"
#include "web/session_gate.hpp"

namespace pratu::app {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Application::Parts {
  Config config;
  SystemClock clock;
  crypto::SecureRandom random;
  metrics::Registry metrics;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<storage::BlobStore> blobs;
  web::Translations translations;
  std::unique_ptr<http::StaticAssets> assets;
  std::unique_ptr<web::Renderer> renderer;
  platform::Services services;
  platform::EarnedFeatures earned;
  std::unique_ptr<platform::Shared> shared;
  Modules modules;                       // after what they borrow: they go before it
  web::SessionGate* sessions = nullptr;  // offered by a module
  std::unique_ptr<Middleware> middleware;
  std::unique_ptr<PageCache> page_cache;
  std::string openapi;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::string demo_text;
  std::vector<platform::PeriodicTask> tasks;
  std::unique_ptr<Housekeeping> housekeeping;  // last: stops before the parts it uses go away
};

namespace {

Result<std::unique_ptr<storage::Database>> open_and_migrate(const Config& config,
                                                            const Modules& modules) {
  storage::DatabaseSettings settings;
  settings.url = config.database.url;
  settings.pool_size = config.database.pool_size;
  settings.busy_timeout_ms = config.database.busy_timeout_ms;
  settings.connect_timeout_seconds = config.database.connect_timeout_seconds;
  PRATU_TRY(db, storage::open_database(settings));
  PRATU_TRY(applied, storage::migrate(*db, migration_sources(config, modules)));
  if (applied > 0) log::info("migrations applied", {}, {{"count", std::to_string(applied)}});
  return db;
}

// Whether people reach Pratu over HTTPS (then cookies are __Host- and Secure, and HSTS is sent).
bool served_over_https(const Config& config) {
  return config.server.public_url.rfind("https://", 0) == 0;
}

// Every module's prepare(), in list order, before any starts; an error names the module.
Result<void> prepare_modules(const Modules& modules, platform::Shared& shared) {
  for (const auto& module : modules) {
    if (auto prepared = module->prepare(shared); !prepared) {
      Error error = prepared.error();
      error.detail = "module " + std::string(module->name()) + ": " + error.detail;
      return error;
    }
  }
  return ok();
}

platform::SharedSettings shared_settings(const Config& config) {
  return {.cache_ttl = std::chrono::seconds(config.cache.seconds),
          .page_entries = static_cast<std::size_t>(config.cache.page_entries),
          .https = served_over_https(config),
          .public_url = config.server.public_url};
}

// Merges the object `from` into `into`; a name both have is an error naming `origin`.
Result<void> merge_members(json::object& into, const json::object& from, const std::string& where,
                           const std::string& origin) {
  for (const auto& [name, value] : from) {
    if (into.contains(name)) {
      return Error::internal(origin + ": " + where + " " + std::string(name) +
                             " is already described");
    }
    into[name] = value;
  }
  return ok();
}

// The platform's OpenAPI document with every module's part (its paths and components) added.
Result<std::string> assemble_openapi(const Config& config, const Modules& modules) {
  PRATU_TRY(base_text, read_file(config.paths.openapi));
  boost::system::error_code ec;
  auto base = json::parse(base_text, ec);
  if (ec || !base.is_object()) return Error::internal(config.paths.openapi + ": not a JSON object");
  auto& doc = base.as_object();
  for (const auto& module : modules) {
    auto file = std::filesystem::path(config.paths.modules) / module->name() / "openapi.json";
    if (!std::filesystem::exists(file)) continue;
    PRATU_TRY(text, read_file(file));
    auto part = json::parse(text, ec);
    if (ec || !part.is_object()) return Error::internal(file.string() + ": not a JSON object");
    for (const auto& [key, value] : part.as_object()) {
      if (key != "paths" && key != "components") {
        return Error::internal(file.string() + ": a module's part holds only paths and components");
      }
      if (!value.is_object())
        return Error::internal(file.string() + ": " + std::string(key) + " is no object");
    }
    if (const auto* paths = part.as_object().if_contains("paths")) {
      if (!doc["paths"].is_object()) doc["paths"] = json::object();
      PRATU_CHECK(
          merge_members(doc["paths"].as_object(), paths->as_object(), "path", file.string()));
    }
    if (const auto* components = part.as_object().if_contains("components")) {
      if (!doc["components"].is_object()) doc["components"] = json::object();
      auto& into = doc["components"].as_object();
      for (const auto& [kind, entries] : components->as_object()) {
        if (!entries.is_object())
          return Error::internal(file.string() + ": " + std::string(kind) + " is no object");
        if (!into[kind].is_object()) into[kind] = json::object();
        PRATU_CHECK(merge_members(into[kind].as_object(), entries.as_object(),
                                  "components." + std::string(kind), file.string()));
      }
    }
  }
  return json::serialize(base);
}

http::ServerSettings server_settings(const Config& c) {
  http::ServerSettings s;
  s.host = c.server.host;
  s.port = static_cast<std::uint16_t>(c.server.port);
  s.io_threads = static_cast<std::size_t>(c.server.io_threads);
  s.worker_niceness = c.server.worker_niceness;
  s.worker_threads = static_cast<std::size_t>(c.server.worker_threads);
  s.worker_queue_limit = static_cast<std::size_t>(c.server.worker_queue_limit);
  s.hashing_threads = static_cast<std::size_t>(c.server.hashing_threads);
  s.hashing_queue_limit = static_cast<std::size_t>(c.server.hashing_queue_limit);
  s.document_threads = static_cast<std::size_t>(c.server.document_threads);
  s.document_queue_limit = static_cast<std::size_t>(c.server.document_queue_limit);
  s.header_limit_bytes = static_cast<std::size_t>(c.server.header_limit_bytes);
  s.default_body_limit = static_cast<std::size_t>(c.server.body_limit_bytes);
  s.read_timeout = seconds(c.server.read_timeout_seconds);
  s.idle_timeout = seconds(c.server.idle_timeout_seconds);
  s.shutdown_grace = seconds(c.server.shutdown_grace_seconds);
  s.gzip_min_bytes = static_cast<std::size_t>(c.server.gzip_min_bytes);
  s.max_requests_per_connection = static_cast<std::size_t>(c.server.max_requests_per_connection);
  s.max_connections = static_cast<std::size_t>(c.server.max_connections);
  s.max_connections_per_address = static_cast<std::size_t>(c.server.max_connections_per_address);
  // Validated when the configuration was loaded.
  s.trusted_proxies = http::TrustedProxies::parse(c.server.trusted_proxies).value();
  s.client_address_logging = c.log.client_address == "full"   ? http::AddressLogging::full
                             : c.log.client_address == "none" ? http::AddressLogging::none
                                                              : http::AddressLogging::truncated;
  s.https_only = served_over_https(c);
  return s;
}

// The router entry of each declared route, wrapped with the steps of its kind. A route
// without an access rule stops the program: nothing is served without one.
Result<void> install_routes(Application::Parts& p, const web::Routes& routes) {
  for (const auto& spec : routes) {
    if (!spec.access) {
      return Error::internal("route " + spec.method + " " + spec.pattern +
                             " declares no access rule");
    }
    http::RouteOptions options;
    options.name = spec.name.empty() ? spec.pattern : spec.name;
    options.body_limit = spec.body_limit != 0
                             ? spec.body_limit
                             : static_cast<std::size_t>(p.config.server.body_limit_bytes);
    if (spec.body == web::Body::streamed) {
      options.body = http::BodyMode::streamed;
      options.stream_limit = spec.stream_limit;
      options.sink = blob_body_sink(*p.blobs);
      // Strangers store nothing: a route that needs a login takes a body only from a browser
      // with a session cookie this site signed and a CSRF header. Both are checked in full,
      // against the database, before the handler runs.
      if (*spec.access != web::Access::anyone) {
        const web::SessionGate* sessions = p.sessions;
        // A bearer token is checked likewise; it needs no CSRF header (no browser sends one
        // by itself).
        // A stranger to the API is told to sign in (401), as the middleware would.
        const int stranger = spec.surface == web::Surface::api ? 401 : 403;
        options.admit = [sessions, stranger](const web::Request& request) -> std::optional<int> {
          if (request.header("Authorization").starts_with("Bearer ")) return std::nullopt;
          if (!sessions->may_hold_session(request)) return stranger;
          if (request.header(web::kCsrfHeader).empty()) return 403;
          return std::nullopt;
        };
      }
      if (spec.append_to) options.before_body = p.middleware->before_body(spec);
    }
    options.access = spec.access;
    options.execution =
        spec.runs == web::Runs::io_thread ? http::Execution::inline_ : http::Execution::worker;
    options.pool = spec.work == web::Work::password_hashing ? http::Pool::password_hashing
                   : spec.work == web::Work::documents      ? http::Pool::documents
                                                            : http::Pool::pages;
    if (spec.runs == web::Runs::io_thread_for_visitors) {
      const web::SessionGate* sessions = p.sessions;
      // A visitor's page, or a page whose session this node holds in memory, waits on
      // nothing: it runs on the I/O thread, without a hop to a worker and back.
      options.inline_when = [sessions](const web::Request& request) {
        return !sessions->may_hold_session(request) || sessions->answers_from_memory(request);
      };
    } else if (spec.inline_when) {
      options.inline_when = spec.inline_when;
    }
    p.router.add(spec.method, spec.pattern, p.middleware->wrap(spec, *p.page_cache),
                 std::move(options));
  }
  return ok();
}

// Routes of no domain: health, readiness, metrics, the OpenAPI document and help.
web::Routes platform_routes(Application::Parts& p) {
  using web::Access;
  auto spec = [](std::string method, std::string pattern, web::Surface surface, std::string name,
                 web::Runs runs, web::Handler handler) {
    web::RouteSpec s;
    s.method = std::move(method);
    s.pattern = std::move(pattern);
    s.access = Access::anyone;
    s.surface = surface;
    s.name = std::move(name);
    s.runs = runs;
    s.handler = std::move(handler);
    return s;
  };
  web::Routes r;
  r.push_back(spec("GET", "/healthz", web::Surface::operations, "healthz", web::Runs::io_thread,
                   [](const web::Request&, web::RequestContext&) -> Result<web::Response> {
                     return web::Response::text("ok\n");
                   }));
  r.push_back(spec("GET", "/readyz", web::Surface::operations, "readyz", web::Runs::worker,
                   [&p](const web::Request&, web::RequestContext&) -> Result<web::Response> {
                     PRATU_CHECK(p.db->ping());
                     return web::Response::text("ok\n");
                   }));
  // Readable from this machine, or with the configured bearer token (metrics_access).
  r.push_back(
      spec("GET", "/metrics", web::Surface::operations, "metrics", web::Runs::io_thread,
           [&p](const web::Request& request, web::RequestContext&) -> Result<web::Response> {
             if (!metrics_allowed(request, p.config.metrics.token)) {
               log::warn("metrics refused", request.request_id);
               return web::Response::text("forbidden\n", 403);
             }
             auto response = web::Response::text(p.metrics.expose());
             response.content_type = std::string(metrics::kContentType);
             return response;
           }));
  r.push_back(spec("GET", "/api/v1/openapi.json", web::Surface::api, "openapi",
                   web::Runs::io_thread,
                   [&p](const web::Request&, web::RequestContext&) -> Result<web::Response> {
                     return web::Response::json(p.openapi);
                   }));
  // Browsers and crawlers ask for /favicon.ico whatever a page links: the same icon, which
  // may change under this unfingerprinted URL, so cached for a day rather than for ever.
  r.push_back(
      spec("GET", "/favicon.ico", web::Surface::operations, "favicon", web::Runs::io_thread,
           [&p](const web::Request& request, web::RequestContext&) -> Result<web::Response> {
             web::Request asset = request;
             asset.path = p.assets->url("favicon.ico");
             auto response = p.assets->serve(asset);
             if (!response) return Error::not_found("favicon");
             response->set_header("Cache-Control", "public, max-age=86400");
             return std::move(*response);
           }));
  // Help: the same place on every page (WCAG 3.2.6).
  r.push_back(spec(
      "GET", "/help", web::Surface::page, "help", web::Runs::worker,
      [&p](const web::Request& request, web::RequestContext& context) -> Result<web::Response> {
        const auto& renderer = *p.renderer;
        return renderer.page(
            request, context, "help/index",
            {{"title", renderer.translations().text(context.locale, "help.title")}});
      }));
  return r;
}

Result<void> add_routes(Application::Parts& p) {
  PRATU_CHECK(install_routes(p, platform_routes(p)));
  for (const auto& module : p.modules) PRATU_CHECK(install_routes(p, module->routes()));
  return ok();
}

// Counts the outbox's rows not yet done, per topic, for /metrics: how far mail, text messages
// and documents are behind. A topic whose rows are all done reads 0, not its last figure.
platform::PeriodicTask outbox_backlog(Application::Parts& p) {
  auto& pending = p.metrics.gauge("pratu_outbox_pending",
                                  "Outbox rows not yet done (pending, claimed or waiting to "
                                  "retry), by topic",
                                  {"topic"});
  auto& oldest = p.metrics.gauge("pratu_outbox_pending_oldest_seconds",
                                 "How long the oldest of them has waited, in seconds", {"topic"});
  auto seen = std::make_shared<std::set<std::string>>();
  return {"platform: outbox backlog", std::chrono::seconds(p.config.metrics.backlog_seconds),
          [&p, &pending, &oldest, seen]() -> Result<void> {
            PRATU_TRY(rows, p.db->read_value<std::vector<platform::outbox::PendingTopic>>(
                                [](storage::Connection& c) {
      return platform::outbox::pending_by_topic(c);
            }));
            const std::int64_t now = p.clock.now_seconds();
            std::set<std::string> behind;
            for (const auto& row : rows) {
              pending.with({row.topic}).set(static_cast<double>(row.count));
              oldest.with({row.topic})
                  .set(static_cast<double>(std::max<std::int64_t>(0, now - row.oldest_created_at)));
              behind.insert(row.topic);
              seen->insert(row.topic);
            }
            for (const auto& topic : *seen) {
              if (behind.contains(topic)) continue;
              pending.with({topic}).set(0);
              oldest.with({topic}).set(0);
            }
            return ok();
          }};
}

}  // namespace

Application::Application(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Application::~Application() = default;

Result<std::unique_ptr<Application>> Application::create(const Config& config, Demo demo) {
  return create(config, app::modules(), demo);
}

Result<std::unique_ptr<Application>> Application::create(const Config& config, Modules modules,
                                                         Demo demo) {
  auto p = std::make_unique<Parts>();
  p->config = config;
  PRATU_CHECK(apply_module_settings(config, settings_of(modules)));
  auto& db_latency =
      p->metrics.histogram("pratu_db_query_duration_seconds", "Time spent in database statements")
          .get();
  storage::set_latency_observer([&db_latency](double s) { db_latency.observe(s); });

  PRATU_TRY(db, open_and_migrate(config, modules));
  p->db = std::move(db);
  p->blobs = std::make_unique<storage::BlobStore>(config.paths.blobs);
  PRATU_TRY(translations, web::Translations::load(config.paths.locales));
  p->translations = std::move(translations);
  PRATU_TRY(assets, http::StaticAssets::load(config.paths.static_files));
  p->assets = std::move(assets);
  PRATU_TRY(renderer, web::Renderer::load(config.paths.templates, p->translations, *p->assets));
  p->renderer = std::move(renderer);
  PRATU_TRY(openapi, assemble_openapi(config, modules));
  p->openapi = std::move(openapi);
  p->page_cache = std::make_unique<PageCache>(static_cast<std::size_t>(config.cache.page_entries),
                                              std::chrono::seconds(config.cache.seconds));

  p->shared.reset(new platform::Shared{p->clock, p->random, p->metrics, *p->db, *p->blobs,
                                       p->translations, p->renderer.get(), p->services,
                                       shared_settings(config), p->earned});
  p->modules = std::move(modules);
  PRATU_CHECK(prepare_modules(p->modules, *p->shared));
  for (const auto& module : p->modules) {
    if (auto started = module->start(*p->shared); !started) {
      Error error = started.error();
      error.detail = "module " + std::string(module->name()) + ": " + error.detail;
      return error;
    }
  }
  if (demo == Demo::load) {
    for (const auto& module : p->modules) {
      PRATU_TRY(text, module->seed_demo(*p->shared));
      p->demo_text += text;
    }
  }
  for (const auto& module : p->modules) {
    for (auto& task : module->housekeeping()) p->tasks.push_back(std::move(task));
  }
  p->tasks.push_back(outbox_backlog(*p));

  PRATU_TRY(sessions, p->services.need<web::SessionGate>("the middleware"));
  p->sessions = sessions;
  MiddlewareSettings mw;
  mw.default_locale = config.default_locale == "en" ? web::Locale::en : web::Locale::th;
  mw.secure_cookies = served_over_https(config) || config.server.secure_cookies == "always"
                          ? SecureCookies::always
                      : config.server.secure_cookies == "never" ? SecureCookies::never
                                                                : SecureCookies::automatic;
  mw.writes_per_second = config.server.writes_per_user_per_second;
  mw.write_burst = config.server.write_burst_per_user;
  p->middleware = std::make_unique<Middleware>(*p->renderer, *p->sessions, mw);
  PRATU_CHECK(add_routes(*p));

  http::ServerHooks hooks;
  Parts* raw = p.get();
  hooks.error_page = [raw](const web::Request& request, int status) {
    auto context = raw->middleware->error_context(request);
    if (request.path.rfind("/api/", 0) == 0) {
      std::string key = status == 404   ? "errors.not_found"
                        : status == 413 ? "errors.pages.too_large.message"
                        : status >= 500 ? "errors.internal"
                                        : "errors.invalid_input";
      auto response = web::problem(raw->translations, context, status, key);
      response.set_header("Access-Control-Allow-Origin", "*");
      return response;
    }
    return raw->renderer->error_page(request, context, status);
  };
  p->server = std::make_unique<http::Server>(server_settings(config), p->router, p->assets.get(),
                                             p->metrics, hooks);
  PRATU_CHECK(p->server->start());
  return std::unique_ptr<Application>(new Application(std::move(p)));
}

std::uint16_t Application::port() const { return parts_->server->port(); }

void Application::run(bool handle_signals) {
  if (handle_signals) parts_->server->stop_on_signals();
  Parts& p = *parts_;
  p.housekeeping = std::make_unique<Housekeeping>(p.tasks);
  p.housekeeping->start();
  p.server->run();
  p.housekeeping->stop();
}

void Application::stop() { parts_->server->stop(); }

const std::string& Application::demo_accounts_text() const { return parts_->demo_text; }

const std::string& Application::openapi() const { return parts_->openapi; }

std::vector<Application::RouteEntry> Application::route_table() const {
  std::vector<RouteEntry> out;
  for (const auto& route : parts_->router.routes()) {
    out.push_back(
        {route.method, route.pattern, route.options.access, route.pattern.rfind("/api/", 0) == 0});
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Application::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& route : parts_->router.routes()) out.emplace_back(route.method, route.pattern);
  return out;
}

namespace {

void init_logging(const Config& config) {
  log::init(config.log.level, config.log.format == "text" ? log::Format::text : log::Format::json);
}

}  // namespace

std::vector<storage::MigrationSource> migration_sources(const Config& config,
                                                        const Modules& modules) {
  std::vector<storage::MigrationSource> sources{{"platform", config.paths.migrations}};
  for (const auto& module : modules) {
    auto dir = std::filesystem::path(config.paths.modules) / module->name() / "migrations";
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) {
      sources.push_back({std::string(module->name()), dir.string()});
    }
  }
  return sources;
}

namespace {

// Which allocator answers malloc: "mimalloc 2.0.9" when the executable links it and its malloc
// is the one in use (docs/adr/0019), "glibc" otherwise. Asked of the running program, not of
// the build, so a library loaded ahead of it cannot make the log say what is not so.
std::string allocator_in_use() {
  using InHeap = bool (*)(const void*);
  using Version = int (*)();
  auto* in_heap = reinterpret_cast<InHeap>(dlsym(RTLD_DEFAULT, "mi_is_in_heap_region"));
  auto* version = reinterpret_cast<Version>(dlsym(RTLD_DEFAULT, "mi_version"));
  if (in_heap == nullptr || version == nullptr) return "glibc";
  void* probe = std::malloc(64);
  const bool ours = in_heap(probe);
  std::free(probe);
  if (!ours) return "glibc";
  const int v = version();  // 209: 2.0.9
  return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." +
         std::to_string(v % 10);
}

}  // namespace

int serve(const Config& config, Modules modules, Demo demo) {
  init_logging(config);
  log::info("starting", {}, {{"allocator", allocator_in_use()}});
  auto app = Application::create(config, std::move(modules), demo);
  if (!app) {
    std::cerr << "pratu: cannot start: " << app.error().detail << "\n";
    return 1;
  }
  auto host = config.server.host.find(':') != std::string::npos ? "[" + config.server.host + "]"
                                                                : config.server.host;
  std::cout << "Pratu is listening on http://" << host << ":" << (*app)->port() << "\n";
  if (!(*app)->demo_accounts_text().empty()) std::cout << (*app)->demo_accounts_text();
  std::cout << std::flush;
  (*app)->run(true);
  log::info("stopped");
  log::flush();
  return 0;
}

int migrate_command(const Config& config, const Modules& modules) {
  init_logging(config);
  auto db = open_and_migrate(config, modules);
  if (!db) {
    std::cerr << "pratu migrate: " << db.error().detail << "\n";
    return 1;
  }
  std::cout << "Database is up to date.\n";
  return 0;
}

int run_command(const Config& config, const Modules& modules, const platform::Command& command) {
  init_logging(config);
  const auto name =
      command.command->get_parent() != nullptr
          ? command.command->get_parent()->get_name() + " " + command.command->get_name()
          : command.command->get_name();
  auto fail = [&name](const Error& error) {
    std::cerr << "pratu " << name << ": " << error.detail << "\n";
    return 1;
  };
  if (auto applied = apply_module_settings(config, settings_of(modules)); !applied) {
    return fail(applied.error());
  }
  auto db = open_and_migrate(config, modules);
  if (!db) return fail(db.error());
  auto translations = web::Translations::load(config.paths.locales);
  if (!translations) return fail(translations.error());
  SystemClock clock;
  crypto::SecureRandom random;
  metrics::Registry metrics;
  platform::Services services;
  platform::EarnedFeatures earned;
  storage::BlobStore blobs(config.paths.blobs);
  platform::Shared shared{clock,   random,   metrics,
                          **db,    blobs,    *translations,
                          nullptr, services, shared_settings(config),
                          earned};
  if (auto prepared = prepare_modules(modules, shared); !prepared) return fail(prepared.error());
  return command.run(shared);
}

}  // namespace pratu::app
