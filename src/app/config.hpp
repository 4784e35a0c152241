#pragma once
/// Typed configuration: documented once in config/default.yaml, overridden by a file, an
/// environment file and PRATU_* variables, validated at startup.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "platform/settings.hpp"

namespace pratu::app {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  int io_threads = 2;
  int worker_threads = 48;
  int worker_queue_limit = 1024;
  int hashing_threads = 2;
  int hashing_queue_limit = 256;
  int document_threads = 2;
  int document_queue_limit = 64;
  int worker_niceness = 5;
  int header_limit_bytes = 16 * 1024;
  int body_limit_bytes = 64 * 1024;
  int read_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 20;
  int gzip_min_bytes = 1024;
  int max_requests_per_connection = 10000;
  int max_connections = 4096;
  int max_connections_per_address = 256;
  int writes_per_user_per_second = 20;
  int write_burst_per_user = 120;
  std::string trusted_proxies;  // addresses and CIDR networks, comma-separated; empty: none
  std::string public_url = "http://localhost:8080";  // https: Secure __Host- cookies and HSTS
  std::string secure_cookies = "auto";               // auto: when the request came over TLS
};

struct DatabaseConfig {
  std::string url = "sqlite:./data/pratu.db";
  int pool_size = 8;
  int busy_timeout_ms = 5000;
  int connect_timeout_seconds = 5;
};

struct PathsConfig {
  std::string templates = "templates";
  std::string locales = "locales";
  std::string static_files = "static";
  std::string migrations = "migrations";  // the platform's own
  std::string modules = "src/domains";    // each module's migrations/ and openapi.json
  std::string openapi = "docs/openapi.json";
  std::string blobs = "data/blobs";  // uploaded and generated files, by SHA-256
};

struct CacheConfig {
  int page_entries = 4096;
  int seconds = 60;
};

struct MetricsConfig {
  std::string token;         // empty: /metrics answers this machine only
  int backlog_seconds = 15;  // how often the outbox's backlog is counted for /metrics
};

struct LogConfig {
  std::string level = "info";
  std::string format = "json";
  std::string client_address = "truncated";  // in the access log: full, truncated or none
};

struct Config {
  ServerConfig server;
  DatabaseConfig database;
  PathsConfig paths;
  CacheConfig cache;
  MetricsConfig metrics;
  LogConfig log;
  std::string default_locale = "th";
  /// The modules' sections as "section.key" -> value, each checked against the key the module
  /// declared when loaded; a module applies them to its own settings when it starts.
  std::map<std::string, std::string> modules;
};

/// Where overrides come from, in increasing priority.
struct ConfigSources {
  std::optional<std::string> file;                 // --config FILE (YAML)
  std::optional<std::string> env_file;             // --env-file FILE (KEY=VALUE lines)
  std::map<std::string, std::string> environment;  // PRATU_* variables of the process
};

/// Builds the configuration from defaults and `sources`, with the keys of the modules'
/// `sections` beside the platform's. Fails naming the file and key on an unknown key or a bad
/// value. The sections' fields take the values read (the modules must outlive the call).
Result<Config> load_config(const ConfigSources& sources,
                           const std::vector<platform::SettingsSection>& sections = {});

/// Gives the modules' `sections` the values of `config.modules` and checks each section.
Result<void> apply_module_settings(const Config& config,
                                   const std::vector<platform::SettingsSection>& sections);

/// The PRATU_* variables of this process.
std::map<std::string, std::string> process_environment();

/// Every key as "section.key" with its default and description (for docs and tests).
struct ConfigKey {
  std::string name;
  std::string default_value;
  std::string description;
};
std::vector<ConfigKey> config_keys(const std::vector<platform::SettingsSection>& sections = {});

}  // namespace pratu::app
