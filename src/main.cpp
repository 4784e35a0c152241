// pratu: parse arguments, load configuration, run one subcommand. Wiring only.

#include <CLI/CLI.hpp>

#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "app/application.hpp"
#include "app/config.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"Pratu: government e-Services, start to finish, in one place"};
  cli.require_subcommand(1);
  std::optional<std::string> config_file;
  std::optional<std::string> env_file;
  std::optional<std::string> database;
  cli.add_option("--config", config_file, "YAML configuration file (see config/default.yaml)")
      ->check(CLI::ExistingFile);
  cli.add_option("--env-file", env_file, "File of PRATU_* NAME=VALUE overrides")
      ->check(CLI::ExistingFile);
  cli.add_option("--database", database,
                 "sqlite:PATH or postgresql://... (default sqlite:./data/pratu.db)");

  auto* serve = cli.add_subcommand("serve", "Run the web server");
  std::optional<std::string> listen;
  bool demo = false;
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_flag("--demo", demo,
                  "Load the demo catalogue and demo accounts into an empty database");
  // Options may also follow the subcommand: `pratu serve --database ...`.
  serve->add_option("--config", config_file, "YAML configuration file")->check(CLI::ExistingFile);
  serve->add_option("--env-file", env_file, "File of PRATU_* overrides")->check(CLI::ExistingFile);
  serve->add_option("--database", database, "Database URL");

  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");
  migrate->add_option("--database", database, "Database URL");

  auto* catalog = cli.add_subcommand("catalog", "Manage the service catalogue");
  catalog->require_subcommand(1);
  auto* catalog_load =
      catalog->add_subcommand("load", "Validate and load services/ into the database");
  std::optional<std::string> catalog_dir;
  catalog_load->add_option("--dir", catalog_dir, "Catalogue directory (default services)");
  catalog_load->add_option("--database", database, "Database URL");

  auto* user = cli.add_subcommand("user", "Manage accounts");
  user->require_subcommand(1);
  auto* user_create =
      user->add_subcommand("create", "Create an account; the password is read from standard input");
  std::string role;
  std::string login;
  std::optional<std::string> agency;
  bool password_stdin = false;
  user_create->add_option("--role", role, "applicant, officer, supervisor or admin")
      ->required()
      ->check(CLI::IsMember({"applicant", "officer", "supervisor", "admin"}));
  user_create->add_option("--agency", agency, "Agency code (officers and supervisors)");
  user_create->add_option("--login", login, "Email or 13-digit national ID")->required();
  user_create->add_flag("--password-stdin", password_stdin, "Read the password from standard input")
      ->required();
  user_create->add_option("--database", database, "Database URL");

  CLI11_PARSE(cli, argc, argv);

  pratu::app::ConfigSources sources{config_file, env_file, pratu::app::process_environment()};
  if (database) sources.environment["PRATU_DATABASE_URL"] = *database;
  if (listen) sources.environment["PRATU_SERVER_LISTEN"] = *listen;
  if (catalog_dir) sources.environment["PRATU_PATHS_CATALOGUE"] = *catalog_dir;
  auto config = pratu::app::load_config(sources);
  if (!config) {
    std::cerr << "pratu: configuration: " << config.error().detail << "\n";
    return 2;
  }

  if (*serve)
    return pratu::app::serve(*config, demo ? pratu::app::Demo::load : pratu::app::Demo::none);
  if (*migrate) return pratu::app::migrate_command(*config);
  if (*catalog_load) return pratu::app::catalog_load_command(*config);
  if (*user_create) {
    std::string password;
    std::getline(std::cin, password);
    return pratu::app::user_create_command(*config, role, agency.value_or(""), login, password);
  }
  return 1;
}
