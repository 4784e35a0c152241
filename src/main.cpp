// pratu: parse arguments, load configuration, run one subcommand. Wiring only: the modules add
// their own commands (`pratu catalog load`, `pratu user create`, ...).

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "app/application.hpp"
#include "app/config.hpp"
#include "app/modules.hpp"

namespace {

int run(int argc, char** argv) {
  CLI::App cli{"Pratu: government e-Services, start to finish, in one place"};
  cli.require_subcommand(1);
  // Options of the whole program may also follow a subcommand: `pratu serve --database ...`.
  cli.fallthrough();
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
  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");

  auto modules = pratu::app::modules();
  std::vector<pratu::platform::Command> commands;
  for (const auto& module : modules) {
    for (auto& command : module->add_commands(cli)) commands.push_back(std::move(command));
  }

  CLI11_PARSE(cli, argc, argv);

  pratu::app::ConfigSources sources{config_file, env_file, pratu::app::process_environment()};
  if (database) sources.environment["PRATU_DATABASE_URL"] = *database;
  if (listen) sources.environment["PRATU_SERVER_LISTEN"] = *listen;
  auto config = pratu::app::load_config(sources, pratu::app::settings_of(modules));
  if (!config) {
    std::cerr << "pratu: configuration: " << config.error().detail << "\n";
    return 2;
  }

  if (*serve) {
    return pratu::app::serve(*config, std::move(modules),
                             demo ? pratu::app::Demo::load : pratu::app::Demo::none);
  }
  if (*migrate) return pratu::app::migrate_command(*config, modules);
  for (const auto& command : commands) {
    if (command.command->parsed()) return pratu::app::run_command(*config, modules, command);
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Errors travel as Result; an exception reaching here is a bug or an exhausted machine: say
  // so on one line and exit with a failure, rather than abort with a core dump.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "pratu: unexpected failure: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "pratu: unexpected failure\n";
  }
  return 70;  // EX_SOFTWARE
}
