#pragma once
/// Checks metrics text with Prometheus's own linter, as a scraper would read it.

#include <sys/wait.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "support/temp_dir.hpp"

namespace pratu::test {

/// Runs `promtool check metrics` on `text`; its exit status (0: accepted, -1: did not run).
inline int promtool_check_metrics(std::string_view text) {
  const TempDir dir("pratu-metrics-");
  const auto file = dir.write("metrics.prom", text);
  const std::string command = "promtool check metrics < " + file.string() + " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace pratu::test
