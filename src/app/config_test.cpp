#include "app/config.hpp"
#include "app/modules.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

namespace pratu::app {
namespace {

namespace fs = std::filesystem;

std::string write_temp(const std::string& name, const std::string& text) {
  auto path = fs::temp_directory_path() / ("pratu-config-" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(Config, DefaultYamlDocumentsEveryKeyWithItsDefault) {
  auto root = YAML::LoadFile(PRATU_SOURCE_DIR "/config/default.yaml");
  auto all = modules();
  auto sections = settings_of(all);
  for (const auto& key : config_keys(sections)) {
    auto dot = key.name.find('.');
    auto node = root[key.name.substr(0, dot)][key.name.substr(dot + 1)];
    ASSERT_TRUE(node.IsDefined()) << key.name << " is not in config/default.yaml";
    EXPECT_EQ(node.Scalar(), key.default_value) << key.name;
  }
  // And loading the documented file changes nothing, and it holds no key nobody declares.
  auto loaded = load_config({PRATU_SOURCE_DIR "/config/default.yaml", std::nullopt, {}}, sections);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().detail;
  EXPECT_EQ(loaded->database.url, "sqlite:./data/pratu.db");
}

TEST(Config, UnknownKeyStopsWithItsName) {
  auto file = write_temp("unknown.yaml", "server:\n  lisen: \"0.0.0.0:80\"\n");
  auto loaded = load_config({file, std::nullopt, {}});
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().detail.find("server.lisen"), std::string::npos) << loaded.error().detail;
  EXPECT_NE(loaded.error().detail.find(file), std::string::npos);
}

TEST(Config, BadValueStopsWithKeyAndReason) {
  auto file = write_temp("bad.yaml", "server:\n  worker_threads: many\n");
  auto loaded = load_config({file, std::nullopt, {}});
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().detail.find("server.worker_threads: must be a whole number"),
            std::string::npos)
      << loaded.error().detail;
}

TEST(Config, WeakPasswordHashingIsRefused) {
  auto all = modules();
  auto loaded = load_config({std::nullopt, std::nullopt, {{"PRATU_PASSWORDS_MEMORY_KIB", "1024"}}},
                            settings_of(all));
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().detail.find("passwords.memory_kib"), std::string::npos);
}

TEST(Config, ModuleKeysAreReadLikeThePlatformsAndKeptForTheModule) {
  auto all = modules();
  auto file = write_temp("module.yaml", "catalog:\n  directory: \"/srv/services\"\n");
  auto loaded =
      load_config({file, std::nullopt, {{"PRATU_LOGIN_WINDOW_MINUTES", "30"}}}, settings_of(all));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().detail;
  EXPECT_EQ(loaded->modules.at("catalog.directory"), "/srv/services");
  EXPECT_EQ(loaded->modules.at("login.window_minutes"), "30");
  // A fresh set of modules takes the same values when the app starts.
  auto fresh = modules();
  auto sections = settings_of(fresh);
  ASSERT_TRUE(apply_module_settings(*loaded, sections));
  for (const auto& section : sections) {
    for (const auto& setting : section.settings) {
      auto name = platform::full_name(section, setting);
      if (name == "catalog.directory") EXPECT_EQ(setting.get(), "/srv/services");
      if (name == "login.window_minutes") EXPECT_EQ(setting.get(), "30");
    }
  }
}

TEST(Config, ModuleKeysAreUnknownWithoutTheirModule) {
  auto loaded = load_config({std::nullopt, std::nullopt, {{"PRATU_LOGIN_WINDOW_MINUTES", "30"}}});
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().detail.find("PRATU_LOGIN_WINDOW_MINUTES"), std::string::npos);
  Config config;
  config.modules["catalog.nonsense"] = "1";
  auto all = modules();
  auto applied = apply_module_settings(config, settings_of(all));
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().detail.find("catalog.nonsense"), std::string::npos);
}

TEST(Config, AModuleChecksItsKeysTogether) {
  auto all = modules();
  auto loaded = load_config(
      {std::nullopt,
       std::nullopt,
       {{"PRATU_SESSIONS_IDLE_MINUTES", "10"}, {"PRATU_SESSIONS_WARNING_MINUTES", "10"}}},
      settings_of(all));
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().detail.find("sessions: warning_minutes must be less than idle_minutes"),
            std::string::npos)
      << loaded.error().detail;
}

TEST(Config, EnvironmentOverridesFileAndEnvFile) {
  auto file =
      write_temp("file.yaml", "database:\n  url: \"sqlite:/tmp/a.db\"\nlog:\n  level: warn\n");
  auto env_file =
      write_temp("env", "# comment\nPRATU_LOG_LEVEL=debug\nPRATU_SERVER_LISTEN=\"0.0.0.0:9000\"\n");
  auto loaded = load_config({file, env_file, {{"PRATU_DATABASE_URL", "postgresql://db/pratu"}}});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().detail;
  EXPECT_EQ(loaded->database.url, "postgresql://db/pratu");
  EXPECT_EQ(loaded->log.level, "debug");
  EXPECT_EQ(loaded->server.host, "0.0.0.0");
  EXPECT_EQ(loaded->server.port, 9000);
}

TEST(Config, UnknownVariableIsRefusedButTestVariablesAreIgnored) {
  auto bad = load_config({std::nullopt, std::nullopt, {{"PRATU_DATABSE_URL", "x"}}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().detail.find("PRATU_DATABSE_URL"), std::string::npos);
  EXPECT_TRUE(
      load_config({std::nullopt, std::nullopt, {{"PRATU_TEST_POSTGRES_URL", "x"}}}).has_value());
}

TEST(Config, MetricsTokenIsLongEnoughAndNeverEchoed) {
  auto load = [](std::string token) {
    return load_config({std::nullopt, std::nullopt, {{"PRATU_METRICS_TOKEN", std::move(token)}}});
  };
  auto short_token = load("hunter2");
  ASSERT_FALSE(short_token.has_value());
  EXPECT_NE(short_token.error().detail.find("metrics.token"), std::string::npos);
  EXPECT_EQ(short_token.error().detail.find("hunter2"), std::string::npos);
  EXPECT_FALSE(load("a token with spaces in it").has_value());
  auto good = load("0123456789abcdef-scrape");
  ASSERT_TRUE(good.has_value()) << good.error().detail;
  EXPECT_EQ(good->metrics.token, "0123456789abcdef-scrape");
  EXPECT_TRUE(load_config({std::nullopt, std::nullopt, {}})->metrics.token.empty());
}

TEST(Config, ListenNeedsAValidPort) {
  EXPECT_FALSE(load_config({std::nullopt, std::nullopt, {{"PRATU_SERVER_LISTEN", "localhost"}}})
                   .has_value());
  EXPECT_FALSE(
      load_config({std::nullopt, std::nullopt, {{"PRATU_SERVER_LISTEN", "h:70000"}}}).has_value());
  auto v6 = load_config({std::nullopt, std::nullopt, {{"PRATU_SERVER_LISTEN", "[::1]:0"}}});
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->server.host, "::1");
}

TEST(Config, TrustedProxiesAreAddressesOrNetworks) {
  auto load = [](std::string list) {
    return load_config(
        {std::nullopt, std::nullopt, {{"PRATU_SERVER_TRUSTED_PROXIES", std::move(list)}}});
  };
  auto good = load("10.0.0.0/8, 2001:db8::/32 192.168.1.7");
  ASSERT_TRUE(good.has_value()) << good.error().detail;
  EXPECT_EQ(good->server.trusted_proxies, "10.0.0.0/8, 2001:db8::/32 192.168.1.7");
  auto bad = load("10.0.0.0/33");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().detail.find("server.trusted_proxies"), std::string::npos)
      << bad.error().detail;
  EXPECT_NE(bad.error().detail.find("10.0.0.0/33"), std::string::npos) << bad.error().detail;
  EXPECT_TRUE(load_config({std::nullopt, std::nullopt, {}})->server.trusted_proxies.empty());
}

TEST(Config, ClientAddressInTheAccessLogIsTruncatedByDefault) {
  EXPECT_EQ(load_config({std::nullopt, std::nullopt, {}})->log.client_address, "truncated");
  EXPECT_FALSE(
      load_config({std::nullopt, std::nullopt, {{"PRATU_LOG_CLIENT_ADDRESS", "all"}}}).has_value());
  auto none = load_config({std::nullopt, std::nullopt, {{"PRATU_LOG_CLIENT_ADDRESS", "none"}}});
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->log.client_address, "none");
}

}  // namespace
}  // namespace pratu::app
