#pragma once
/// Running a tool nobody here wrote (qpdf, poppler, zbarimg, openssl) from a test, through the
/// shell, to check what our code made the way the rest of the world will read it.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace pratu::test {

/// What a command printed (stdout, and stderr when asked) and its exit code.
struct CommandOutput {
  int exit_code = -1;  // -1 when it did not run or did not exit normally
  std::string output;
};

/// Whether run_command() keeps the command's stderr.
enum class Stderr { merged, dropped };

/// Runs `command` with /bin/sh and collects what it prints.
inline CommandOutput run_command(const std::string& command, Stderr errors = Stderr::merged) {
  CommandOutput out;
  const std::string full = command + (errors == Stderr::merged ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    out.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  if (status != -1 && WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
  return out;
}

/// `path` in single quotes for the shell (paths from TempDir hold no quote).
inline std::string shell_quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

}  // namespace pratu::test
