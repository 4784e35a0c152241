#include "app/application.hpp"

#include <boost/json.hpp>

#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stop_token>
#include <thread>

#include "app/metrics_access.hpp"
#include "app/middleware.hpp"
#include "common/clock.hpp"
#include "common/files.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "crypto/digest.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/secure_random.hpp"
#include "domains/accounts/accounts_handlers.hpp"
#include "domains/accounts/accounts_service.hpp"
#include "domains/accounts/login_throttle.hpp"
#include "domains/accounts/registration_throttle.hpp"
#include "domains/accounts/session_service.hpp"
#include "domains/catalog/catalog_handlers.hpp"
#include "domains/catalog/catalog_loader.hpp"
#include "domains/catalog/catalog_repository.hpp"
#include "domains/catalog/catalog_service.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_assets.hpp"
#include "storage/database.hpp"
#include "storage/server_secrets.hpp"
#include "web/problem.hpp"
#include "web/render.hpp"

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
  web::Translations translations;
  std::unique_ptr<http::StaticAssets> assets;
  std::unique_ptr<web::Renderer> renderer;
  std::unique_ptr<catalog::CatalogRepository> catalog_repository;
  std::unique_ptr<catalog::CatalogService> catalog_service;
  std::unique_ptr<catalog::CatalogHandlers> catalog_handlers;
  std::unique_ptr<crypto::PasswordHasher> hasher;
  std::unique_ptr<accounts::LoginThrottle> throttle;
  std::unique_ptr<accounts::RegistrationThrottle> registrations;
  std::unique_ptr<accounts::AccountService> accounts;
  std::unique_ptr<accounts::SessionService> sessions;
  std::unique_ptr<accounts::AccountsHandlers> accounts_handlers;
  std::unique_ptr<Middleware> middleware;
  std::unique_ptr<PageCache> page_cache;
  std::string openapi;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::string demo_text;
  std::mutex housekeeping_mutex;
  std::condition_variable_any housekeeping_wake;
  std::jthread housekeeping;  // last: stops (and joins) before the parts it uses go away
};

namespace {

Result<std::unique_ptr<storage::Database>> open_and_migrate(const Config& config) {
  storage::DatabaseSettings settings;
  settings.url = config.database.url;
  settings.pool_size = config.database.pool_size;
  settings.busy_timeout_ms = config.database.busy_timeout_ms;
  settings.connect_timeout_seconds = config.database.connect_timeout_seconds;
  PRATU_TRY(db, storage::open_database(settings));
  PRATU_TRY(applied, storage::migrate(*db, config.paths.migrations));
  if (applied > 0) log::info("migrations applied", {}, {{"count", std::to_string(applied)}});
  return db;
}

crypto::PasswordHashSettings hash_settings(const Config& config) {
  crypto::PasswordHashSettings s;
  s.memory_kib = static_cast<std::uint32_t>(config.passwords.memory_kib);
  s.iterations = static_cast<std::uint32_t>(config.passwords.iterations);
  s.parallelism = static_cast<std::uint32_t>(config.passwords.parallelism);
  return s;
}

// Whether people reach Pratu over HTTPS (then cookies are __Host- and Secure, and HSTS is sent).
bool served_over_https(const Config& config) {
  return config.server.public_url.rfind("https://", 0) == 0;
}

// The key of the login throttle's hashes: random, made by the first node, shared by all.
Result<std::string> throttle_key(storage::Database& db, Random& random) {
  return storage::shared_secret(db, accounts::kThrottleSecretName,
                                [&random] { return crypto::to_hex(random.bytes(32)); });
}

Result<void> build_accounts(Application::Parts& p) {
  const auto& c = p.config;
  p.hasher = std::make_unique<crypto::PasswordHasher>(hash_settings(c), p.random);
  accounts::ThrottleSettings throttle{.account_max_failures = c.login.account_max_failures,
                                      .address_max_failures = c.login.address_max_failures,
                                      .account_slow_after = c.login.account_slow_after,
                                      .window_minutes = c.login.window_minutes,
                                      .lockout_minutes = c.login.lockout_minutes,
                                      .known_address_days = c.login.known_address_days};
  accounts::RegistrationThrottleSettings registration{
      .address_max_attempts = c.registration.address_max_attempts,
      .network_max_attempts = c.registration.network_max_attempts,
      .window_minutes = c.registration.window_minutes,
      .taken_cost = c.registration.taken_cost};
  PRATU_TRY(key, throttle_key(*p.db, p.random));
  p.registrations =
      std::make_unique<accounts::RegistrationThrottle>(*p.db, p.clock, key, registration);
  p.throttle = std::make_unique<accounts::LoginThrottle>(*p.db, p.clock, std::move(key), throttle);
  p.accounts = std::make_unique<accounts::AccountService>(*p.db, *p.hasher, *p.throttle,
                                                          *p.registrations, p.clock);
  accounts::SessionSettings sessions;
  sessions.idle_minutes = c.sessions.idle_minutes;
  sessions.absolute_hours = c.sessions.absolute_hours;
  sessions.host_prefix = served_over_https(c);
  PRATU_TRY(signing_key, storage::shared_secret(*p.db, accounts::kCookieSecretName, [&p] {
              return crypto::to_hex(p.random.bytes(32));
            }));
  p.sessions = std::make_unique<accounts::SessionService>(*p.db, p.clock, p.random,
                                                          std::move(signing_key), sessions);
  return ok();
}

std::string describe_demo_accounts(const std::vector<accounts::DemoAccount>& demo) {
  std::string out = "Demo accounts (for trying Pratu; change or remove them in production):\n";
  for (const auto& a : demo) {
    out += "  " + a.role + (a.agency_code.empty() ? "" : " (" + a.agency_code + ")") + ": " +
           a.login + " / " + a.password + "\n";
  }
  return out;
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
    options.body_limit = spec.body_limit;
    options.access = spec.access;
    options.execution =
        spec.runs == web::Runs::io_thread ? http::Execution::inline_ : http::Execution::worker;
    options.pool = spec.work == web::Work::password_hashing ? http::Pool::password_hashing
                   : spec.work == web::Work::documents      ? http::Pool::documents
                                                            : http::Pool::pages;
    if (spec.runs == web::Runs::io_thread_for_visitors) {
      const auto* sessions = p.sessions.get();
      options.inline_when = [sessions](const web::Request& request) {
        return !sessions->may_hold_session(request);
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
  PRATU_CHECK(install_routes(p, p.catalog_handlers->routes()));
  PRATU_CHECK(install_routes(p, p.accounts_handlers->routes()));
  return ok();
}

std::vector<std::string> agency_codes(const catalog::CatalogService& service) {
  std::vector<std::string> codes;
  for (const auto& agency : service.snapshot()->catalog().agencies) codes.push_back(agency.code);
  return codes;
}

// Removes expired sessions and stale login counters every few minutes, so the tables stay
// small; several nodes doing it at once is harmless.
void housekeeping(std::stop_token stop, Application::Parts& p) {
  constexpr auto kInterval = std::chrono::minutes(10);
  std::unique_lock lock(p.housekeeping_mutex);
  while (!p.housekeeping_wake.wait_for(lock, stop, kInterval, [] { return false; })) {
    if (stop.stop_requested()) return;
    lock.unlock();
    if (auto purged = p.sessions->purge_expired(); !purged) {
      log::warn("session purge failed", {}, {{"detail", purged.error().detail}});
    }
    if (auto purged = p.throttle->purge_stale(); !purged) {
      log::warn("login counter purge failed", {}, {{"detail", purged.error().detail}});
    }
    lock.lock();
  }
}

}  // namespace

Application::Application(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Application::~Application() = default;

Result<std::unique_ptr<Application>> Application::create(const Config& config, Demo demo) {
  auto p = std::make_unique<Parts>();
  p->config = config;
  auto& db_latency =
      p->metrics.histogram("pratu_db_query_duration_seconds", "Time spent in database statements")
          .get();
  storage::set_latency_observer([&db_latency](double s) { db_latency.observe(s); });

  PRATU_TRY(db, open_and_migrate(config));
  p->db = std::move(db);
  PRATU_TRY(translations, web::Translations::load(config.paths.locales));
  p->translations = std::move(translations);
  PRATU_TRY(assets, http::StaticAssets::load(config.paths.static_files));
  p->assets = std::move(assets);
  PRATU_TRY(renderer, web::Renderer::load(config.paths.templates, p->translations, *p->assets,
                                          config.sessions.warning_minutes * 60));
  p->renderer = std::move(renderer);
  PRATU_TRY(openapi, read_file(config.paths.openapi));
  p->openapi = std::move(openapi);

  p->catalog_repository = std::make_unique<catalog::CatalogRepository>(*p->db);
  const auto cache_ttl = std::chrono::seconds(config.cache.seconds);
  p->page_cache =
      std::make_unique<PageCache>(static_cast<std::size_t>(config.cache.page_entries), cache_ttl);
  p->catalog_service = std::make_unique<catalog::CatalogService>(
      *p->catalog_repository,
      catalog::SearchCacheSettings{static_cast<std::size_t>(config.cache.search_entries),
                                   cache_ttl});
  PRATU_CHECK(p->catalog_service->load_directory(config.paths.catalogue));
  p->catalog_handlers =
      std::make_unique<catalog::CatalogHandlers>(*p->catalog_service, *p->renderer);

  PRATU_CHECK(build_accounts(*p));
  accounts::AccountsPageSettings page_settings;
  const auto* catalogue = p->catalog_service.get();
  page_settings.agency_name = [catalogue](std::string_view code, web::Locale locale) {
    const auto* agency = catalogue->snapshot()->agency(code);
    return agency != nullptr ? agency->name.in(locale) : std::string();
  };
  p->accounts_handlers = std::make_unique<accounts::AccountsHandlers>(
      *p->accounts, *p->sessions, *p->renderer, std::move(page_settings));
  if (demo == Demo::load) {
    PRATU_TRY(seeded, p->accounts->seed_demo_accounts(agency_codes(*p->catalog_service)));
    p->demo_text = describe_demo_accounts(seeded);
  }

  MiddlewareSettings mw;
  mw.default_locale = config.default_locale == "en" ? web::Locale::en : web::Locale::th;
  mw.secure_cookies = served_over_https(config) || config.sessions.secure_cookies == "always"
                          ? SecureCookies::always
                      : config.sessions.secure_cookies == "never" ? SecureCookies::never
                                                                  : SecureCookies::automatic;
  p->middleware = std::make_unique<Middleware>(*p->renderer, *p->sessions, mw);
  PRATU_CHECK(add_routes(*p));

  http::ServerHooks hooks;
  Parts* raw = p.get();
  hooks.error_page = [raw](const web::Request& request, int status) {
    auto context = raw->middleware->error_context(request);
    if (request.path.rfind("/api/", 0) == 0) {
      std::string key = status == 404   ? "errors.not_found"
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
  p.housekeeping = std::jthread([&p](std::stop_token stop) { housekeeping(stop, p); });
  p.server->run();
  p.housekeeping.request_stop();
  if (p.housekeeping.joinable()) p.housekeeping.join();
}

void Application::stop() { parts_->server->stop(); }

const std::string& Application::demo_accounts_text() const { return parts_->demo_text; }

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

int serve(const Config& config, Demo demo) {
  init_logging(config);
  auto app = Application::create(config, demo);
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

int migrate_command(const Config& config) {
  init_logging(config);
  auto db = open_and_migrate(config);
  if (!db) {
    std::cerr << "pratu migrate: " << db.error().detail << "\n";
    return 1;
  }
  std::cout << "Database is up to date.\n";
  return 0;
}

int catalog_load_command(const Config& config) {
  init_logging(config);
  auto db = open_and_migrate(config);
  if (!db) {
    std::cerr << "pratu catalog load: " << db.error().detail << "\n";
    return 1;
  }
  catalog::CatalogRepository repository(**db);
  catalog::CatalogService service(repository);
  auto stored = service.load_directory(config.paths.catalogue);
  if (!stored) {
    std::cerr << "pratu catalog load: " << stored.error().detail << "\n";
    return 1;
  }
  std::cout << "Loaded " << stored->agencies << " agencies and " << stored->services
            << " services from " << config.paths.catalogue << " (removed "
            << stored->agencies_removed << " agencies and " << stored->services_removed
            << " services no longer there).\n";
  return 0;
}

int user_create_command(const Config& config, const std::string& role, const std::string& agency,
                        const std::string& login, const std::string& password) {
  init_logging(config);
  auto db = open_and_migrate(config);
  if (!db) {
    std::cerr << "pratu user create: " << db.error().detail << "\n";
    return 1;
  }
  SystemClock clock;
  crypto::SecureRandom random;
  crypto::PasswordHasher hasher(hash_settings(config), random);
  auto hash_key = throttle_key(**db, random);
  if (!hash_key) {
    std::cerr << "pratu user create: " << hash_key.error().detail << "\n";
    return 1;
  }
  accounts::RegistrationThrottle registrations(**db, clock, *hash_key);
  accounts::LoginThrottle throttle(**db, clock, std::move(*hash_key));
  accounts::AccountService service(**db, hasher, throttle, registrations, clock);
  auto parsed = accounts::parse_role(role);
  if (!parsed) {
    std::cerr << "pratu user create: --role must be applicant, officer, supervisor or admin\n";
    return 2;
  }
  auto created = service.create_user(*parsed, agency, login, password);
  if (!created) {
    auto translations = web::Translations::load(config.paths.locales);
    auto say = [&](const std::string& key) {
      return translations ? translations->text(web::Locale::en, key) : key;
    };
    std::cerr << "pratu user create: "
              << (created.error().fields.empty() ? created.error().detail : "") << "\n";
    for (const auto& f : created.error().fields)
      std::cerr << "  " << f.field << ": " << say(f.message_key) << "\n";
    return 1;
  }
  std::cout << "Created " << role << " account " << *created << ".\n";
  return 0;
}

}  // namespace pratu::app
