#include "app/config.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "http/client_address.hpp"

extern char** environ;

namespace pratu::app {

namespace {

// One configuration key: how to read it, check it and store it.
struct KeySpec {
  std::string name;
  std::string description;
  std::function<std::string(const Config&)> get;
  std::function<std::optional<std::string>(Config&, const std::string&)> set;  // error text
};

template <class Section>
KeySpec integer(std::string name, std::string description, Section Config::*section,
                int Section::*field, int min, int max) {
  return KeySpec{std::move(name), std::move(description),
                 [=](const Config& c) { return std::to_string(c.*section.*field); },
                 [=](Config& c, const std::string& text) {
    return platform::parse_integer(text, min, max, c.*section.*field);
                 }};
}

template <class Section>
KeySpec text(std::string name, std::string description, Section Config::*section,
             std::string Section::*field, const std::set<std::string>& allowed = {}) {
  return KeySpec{std::move(name), std::move(description),
                 [=](const Config& c) { return c.*section.*field; },
                 [=](Config& c, const std::string& value) {
    return platform::parse_text(value, allowed, c.*section.*field);
                 }};
}

std::optional<std::string> set_listen(Config& c, const std::string& value) {
  auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) return "must be HOST:PORT, got \"" + value + "\"";
  int port = 0;
  auto digits = value.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || end != digits.data() + digits.size() || port < 0 || port > 65535) {
    return "port must be 0-65535, got \"" + digits + "\"";
  }
  auto host = value.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  c.server.host = host;
  c.server.port = port;
  return std::nullopt;
}

const std::vector<KeySpec>& specs() {
  static const std::vector<KeySpec> all = [] {
    using C = Config;
    std::vector<KeySpec> s;
    s.push_back({"server.listen",
                 "Address and port to listen on (HOST:PORT; port 0 picks a free one)",
                 [](const C& c) { return c.server.host + ":" + std::to_string(c.server.port); },
                 set_listen});
    s.push_back(integer("server.io_threads", "Threads reading and writing sockets", &C::server,
                        &ServerConfig::io_threads, 1, 64));
    s.push_back(integer("server.worker_threads",
                        "Threads for pages and the API: database and rendering (most of "
                        "their time waits on commits, which are shared: more threads, more "
                        "commits in each)",
                        &C::server, &ServerConfig::worker_threads, 1, 256));
    s.push_back(integer("server.worker_queue_limit",
                        "Page and API requests waiting for a worker before new ones get 503",
                        &C::server, &ServerConfig::worker_queue_limit, 1, 1000000));
    s.push_back(integer(
        "server.hashing_threads",
        "Threads for password hashing (log in, register, change password), apart from pages",
        &C::server, &ServerConfig::hashing_threads, 1, 256));
    s.push_back(integer("server.hashing_queue_limit",
                        "Password-hashing requests waiting for a worker before new ones get 503",
                        &C::server, &ServerConfig::hashing_queue_limit, 1, 1000000));
    s.push_back(
        integer("server.document_threads",
                "Threads for heavy documents (large uploads, generated files), apart from pages",
                &C::server, &ServerConfig::document_threads, 1, 256));
    s.push_back(
        integer("server.document_queue_limit",
                "Document requests and upload chunks waiting for a worker before new ones get 503",
                &C::server, &ServerConfig::document_queue_limit, 1, 1000000));
    s.push_back(integer("server.worker_niceness",
                        "Scheduling niceness of the worker threads (0-19): above 0 they yield the "
                        "processor to the I/O threads, which every connection waits on",
                        &C::server, &ServerConfig::worker_niceness, 0, 19));
    s.push_back(integer("server.header_limit_bytes", "Largest request head accepted (431 beyond)",
                        &C::server, &ServerConfig::header_limit_bytes, 1024, 1048576));
    s.push_back(integer("server.body_limit_bytes",
                        "Default largest request body (413 beyond); routes may set their own",
                        &C::server, &ServerConfig::body_limit_bytes, 0, 1073741824));
    s.push_back(integer("server.read_timeout_seconds", "Time allowed to receive one request",
                        &C::server, &ServerConfig::read_timeout_seconds, 1, 3600));
    s.push_back(integer("server.idle_timeout_seconds",
                        "Time an idle keep-alive connection stays open", &C::server,
                        &ServerConfig::idle_timeout_seconds, 1, 3600));
    s.push_back(integer("server.shutdown_grace_seconds",
                        "Time in-flight requests get to finish on SIGTERM", &C::server,
                        &ServerConfig::shutdown_grace_seconds, 0, 600));
    s.push_back(integer("server.gzip_min_bytes", "Smallest text response worth compressing",
                        &C::server, &ServerConfig::gzip_min_bytes, 0, 1048576));
    s.push_back(integer("server.max_requests_per_connection",
                        "Requests served on one keep-alive connection", &C::server,
                        &ServerConfig::max_requests_per_connection, 1, 10000000));
    s.push_back(integer(
        "server.max_connections",
        "Open connections in all; when full an idle one is closed to make room, else the new one",
        &C::server, &ServerConfig::max_connections, 1, 1000000));
    s.push_back(integer("server.max_connections_per_address",
                        "Open connections from one client address (trusted proxies excepted); "
                        "beyond it new ones are closed",
                        &C::server, &ServerConfig::max_connections_per_address, 1, 1000000));
    s.push_back(integer("server.writes_per_user_per_second",
                        "Changes (POST, PATCH, DELETE) one signed-in person may make a second on "
                        "average before 429 (uploads' bytes excepted); 0: no limit",
                        &C::server, &ServerConfig::writes_per_user_per_second, 0, 1000000));
    s.push_back(integer("server.write_burst_per_user",
                        "Of those changes, how many one person may make at once", &C::server,
                        &ServerConfig::write_burst_per_user, 1, 1000000));
    s.push_back({"server.trusted_proxies",
                 "Reverse proxies (addresses or CIDR networks, comma-separated) whose "
                 "X-Forwarded-For/-Proto are believed; empty: no one's",
                 [](const C& c) { return c.server.trusted_proxies; },
                 [](C& c, const std::string& v) -> std::optional<std::string> {
                   auto parsed = http::TrustedProxies::parse(v);
                   if (!parsed) return parsed.error().detail;
                   c.server.trusted_proxies = v;
                   return std::nullopt;
                 }});
    s.push_back({"server.public_url",
                 "The address people reach Pratu at (scheme://host[:port]); https makes every "
                 "cookie Secure with the __Host- prefix and sends HSTS",
                 [](const C& c) { return c.server.public_url; },
                 [](C& c, const std::string& v) -> std::optional<std::string> {
                   bool scheme = v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0;
                   auto host = v.substr(v.find("://") == std::string::npos ? 0 : v.find("://") + 3);
                   if (!scheme || host.empty() ||
                       host.find_first_of("/?#@ \t\\") != std::string::npos) {
                     return "must be http(s)://host[:port] with no path, got \"" + v + "\"";
                   }
                   c.server.public_url = v;
                   return std::nullopt;
                 }});
    s.push_back(text("server.secure_cookies",
                     "Mark cookies Secure: auto (when over TLS), always or never", &C::server,
                     &ServerConfig::secure_cookies, {"auto", "always", "never"}));
    s.push_back(text("database.url", "sqlite:PATH or postgresql://user@host:port/db", &C::database,
                     &DatabaseConfig::url));
    s.push_back(integer("database.pool_size",
                        "PostgreSQL connections, or SQLite reader connections", &C::database,
                        &DatabaseConfig::pool_size, 1, 512));
    s.push_back(integer("database.busy_timeout_ms", "SQLite: how long a writer waits for the lock",
                        &C::database, &DatabaseConfig::busy_timeout_ms, 0, 600000));
    s.push_back(integer("database.connect_timeout_seconds", "PostgreSQL: connection timeout",
                        &C::database, &DatabaseConfig::connect_timeout_seconds, 1, 600));
    s.push_back(
        text("paths.templates", "Directory of page templates", &C::paths, &PathsConfig::templates));
    s.push_back(text("paths.locales",
                     "Directory of th/ and en/, each with common.yaml and one file per domain",
                     &C::paths, &PathsConfig::locales));
    s.push_back(text("paths.static", "Directory of static assets (CSS, JavaScript, images)",
                     &C::paths, &PathsConfig::static_files));
    s.push_back(text("paths.migrations",
                     "Directory of the platform's database migrations (sqlite/ and postgres/)",
                     &C::paths, &PathsConfig::migrations));
    s.push_back(text("paths.modules",
                     "Directory of the domain modules, each with its migrations/ and openapi.json",
                     &C::paths, &PathsConfig::modules));
    s.push_back(text("paths.openapi",
                     "The platform's part of the OpenAPI document served at /api/v1/openapi.json "
                     "(each module adds its own)",
                     &C::paths, &PathsConfig::openapi));
    s.push_back(text("paths.blobs",
                     "Directory of stored files (uploads, generated documents), named by SHA-256",
                     &C::paths, &PathsConfig::blobs));
    s.push_back(integer("cache.page_entries",
                        "Public catalogue pages kept for visitors without a session (0: none)",
                        &C::cache, &CacheConfig::page_entries, 0, 1000000));
    s.push_back(integer("cache.seconds", "How long a cached page or search result is served",
                        &C::cache, &CacheConfig::seconds, 1, 3600));
    s.push_back({"metrics.token",
                 "Bearer token a scraper must send to read /metrics from another machine; empty: "
                 "only this machine may read it",
                 [](const C& c) { return c.metrics.token; },
                 [](C& c, const std::string& v) -> std::optional<std::string> {
                   // Never echo the value: it is a secret.
                   if (!v.empty() && v.size() < 16)
                     return std::string("must be empty or at least 16 characters");
                   for (char ch : v) {
                     if (ch <= ' ' || ch == 0x7f)
                       return std::string("must not contain spaces or control characters");
                   }
                   c.metrics.token = v;
                   return std::nullopt;
                 }});
    s.push_back(integer("metrics.backlog_seconds",
                        "How often the outbox's rows not yet done are counted for /metrics, in "
                        "seconds",
                        &C::metrics, &MetricsConfig::backlog_seconds, 1, 3600));
    s.push_back(text("log.level", "Least severe level written: debug, info, warn or error", &C::log,
                     &LogConfig::level, {"debug", "info", "warn", "error"}));
    s.push_back(text("log.format", "json (one object per line) or text", &C::log,
                     &LogConfig::format, {"json", "text"}));
    s.push_back(text("log.client_address",
                     "Client address in the access log (personal data): full, truncated (IPv4 /24, "
                     "IPv6 /48) or none",
                     &C::log, &LogConfig::client_address, {"full", "truncated", "none"}));
    s.push_back({"i18n.default_locale",
                 "Language when neither the link, the cookie nor the browser says: th or en",
                 [](const C& c) { return c.default_locale; },
                 [](C& c, const std::string& v) -> std::optional<std::string> {
                   if (v != "th" && v != "en") return "must be th or en, got \"" + v + "\"";
                   c.default_locale = v;
                   return std::nullopt;
                 }});
    return s;
  }();
  return all;
}

// The platform's keys and the modules', as one list; a module key that repeats another is an
// error naming it.
Result<std::vector<KeySpec>> all_keys(const std::vector<platform::SettingsSection>& sections) {
  std::vector<KeySpec> keys = specs();
  std::set<std::string> names;
  for (const auto& k : keys) names.insert(k.name);
  for (const auto& section : sections) {
    for (const auto& setting : section.settings) {
      auto name = platform::full_name(section, setting);
      if (!names.insert(name).second) {
        return Error::internal("configuration key " + name + " is declared twice");
      }
      keys.push_back(KeySpec{
          name, setting.description, [setting](const Config&) { return setting.get(); },
          [setting, name](Config& c, const std::string& value) -> std::optional<std::string> {
            if (auto problem = setting.set(value)) return problem;
            c.modules[name] = value;
            return std::nullopt;
          }});
    }
  }
  return keys;
}

const KeySpec* find_spec(const std::vector<KeySpec>& keys, std::string_view name) {
  for (const auto& s : keys) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<void> check_sections(const std::vector<platform::SettingsSection>& sections) {
  for (const auto& section : sections) {
    if (!section.check) continue;
    if (auto problem = section.check()) return Error::internal(section.name + ": " + *problem);
  }
  return ok();
}

// "server.listen" -> "PRATU_SERVER_LISTEN"
std::string env_name(const std::string& key) {
  std::string out = "PRATU_";
  for (char c : key)
    out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Result<void> apply(const std::vector<KeySpec>& keys, Config& config, const std::string& origin,
                   const std::string& key, const std::string& value) {
  const auto* spec = find_spec(keys, key);
  if (spec == nullptr) return Error::internal(origin + ": unknown key \"" + key + "\"");
  if (auto problem = spec->set(config, value)) {
    return Error::internal(origin + ": " + key + ": " + *problem);
  }
  return ok();
}

Result<void> apply_yaml(const std::vector<KeySpec>& keys, Config& config, const YAML::Node& node,
                        const std::string& prefix, const std::string& file) {
  for (const auto& entry : node) {
    auto key = entry.first.as<std::string>();
    auto full = prefix.empty() ? key : prefix + "." + key;
    if (entry.second.IsMap()) {
      PRATU_CHECK(apply_yaml(keys, config, entry.second, full, file));
    } else if (entry.second.IsScalar()) {
      PRATU_CHECK(apply(keys, config, file, full, entry.second.Scalar()));
    } else if (entry.second.IsNull()) {
      return Error::internal(file + ": " + full + ": has no value");
    } else {
      return Error::internal(file + ": " + full + ": must be a single value");
    }
  }
  return ok();
}

Result<void> apply_env(const std::vector<KeySpec>& keys, Config& config,
                       const std::map<std::string, std::string>& env, const std::string& origin) {
  std::map<std::string, const KeySpec*> by_env;
  for (const auto& s : keys) by_env[env_name(s.name)] = &s;
  for (const auto& [name, value] : env) {
    if (name.rfind("PRATU_", 0) != 0 || name.rfind("PRATU_TEST_", 0) == 0) continue;
    auto it = by_env.find(name);
    if (it == by_env.end()) return Error::internal(origin + ": unknown variable " + name);
    PRATU_CHECK(apply(keys, config, origin + " " + name, it->second->name, value));
  }
  return ok();
}

}  // namespace

Result<Config> load_config(const ConfigSources& sources,
                           const std::vector<platform::SettingsSection>& sections) {
  PRATU_TRY(keys, all_keys(sections));
  Config config;
  if (sources.file) {
    try {
      auto root = YAML::LoadFile(*sources.file);
      if (!root.IsNull()) {
        if (!root.IsMap()) return Error::internal(*sources.file + ": must be a map of sections");
        PRATU_CHECK(apply_yaml(keys, config, root, "", *sources.file));
      }
    } catch (const YAML::Exception& e) {
      return Error::internal(*sources.file + ": " + e.what());
    }
  }
  if (sources.env_file) {
    std::ifstream in(*sources.env_file);
    if (!in) return Error::internal(*sources.env_file + ": cannot be read");
    std::map<std::string, std::string> vars;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.empty() || line[0] == '#') continue;
      auto eq = line.find('=');
      if (eq == std::string::npos) {
        return Error::internal(*sources.env_file + ":" + std::to_string(number) +
                               ": expected NAME=VALUE");
      }
      auto value = line.substr(eq + 1);
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      vars[line.substr(0, eq)] = value;
    }
    PRATU_CHECK(apply_env(keys, config, vars, *sources.env_file));
  }
  PRATU_CHECK(apply_env(keys, config, sources.environment, "environment"));
  PRATU_CHECK(check_sections(sections));
  return config;
}

Result<void> apply_module_settings(const Config& config,
                                   const std::vector<platform::SettingsSection>& sections) {
  std::set<std::string> known;
  for (const auto& section : sections) {
    for (const auto& setting : section.settings) {
      auto name = platform::full_name(section, setting);
      known.insert(name);
      auto value = config.modules.find(name);
      if (value == config.modules.end()) continue;
      if (auto problem = setting.set(value->second)) {
        return Error::internal("configuration: " + name + ": " + *problem);
      }
    }
  }
  for (const auto& [name, value] : config.modules) {
    if (!known.contains(name))
      return Error::internal("configuration: unknown key \"" + name + "\"");
  }
  return check_sections(sections);
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.rfind("PRATU_", 0) != 0) continue;
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

std::vector<ConfigKey> config_keys(const std::vector<platform::SettingsSection>& sections) {
  Config defaults;
  std::vector<ConfigKey> out;
  auto keys = all_keys(sections);
  for (const auto& s : keys ? *keys : specs()) {
    out.push_back({s.name, s.get(defaults), s.description});
  }
  return out;
}

}  // namespace pratu::app
