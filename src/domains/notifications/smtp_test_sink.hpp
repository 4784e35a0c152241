#pragma once
/// An SMTP server for the tests that nobody in Pratu wrote: npm's smtp-server, reading each
/// message back with npm's mailparser (tests/e2e/lib/smtp_sink.js), run as a child process.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

extern char** environ;

namespace pratu::notifications::test {

namespace json = boost::json;
namespace fs = std::filesystem;

inline const fs::path kSink = PRATU_SOURCE_DIR "/tests/e2e/lib/smtp_sink.js";
inline const fs::path kPackages = PRATU_SOURCE_DIR "/tests/e2e/node_modules";

// The sink as a child process of this test, stopped (by its own id) when this goes away.
class SmtpSink {
 public:
  /// Listens on `port`, or on a free port when 0.
  explicit SmtpSink(const fs::path& out_dir, int port = 0) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    const std::string script = kSink.string();
    const std::string out = out_dir.string();
    const std::string listen = std::to_string(port);
    char* argv[] = {const_cast<char*>("node"), const_cast<char*>(script.c_str()),
                    const_cast<char*>(out.c_str()), const_cast<char*>(listen.c_str()), nullptr};
    const int spawned = posix_spawnp(&pid_, "node", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawned != 0) {
      pid_ = -1;
      close(pipe_fds[0]);
      return;
    }
    // Its first line: {"port": N}.
    std::string line;
    char c = 0;
    while (read(pipe_fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(pipe_fds[0]);
    boost::system::error_code ec;
    auto parsed = json::parse(line, ec);
    if (!ec && parsed.is_object() && parsed.as_object().contains("port")) {
      port_ = static_cast<int>(parsed.at("port").to_number<std::int64_t>());
    }
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  /// The port it listens on, or 0 when it did not start.
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

/// Why the sink cannot run here (its npm packages are not installed), or nullopt.
inline std::optional<std::string> smtp_sink_unavailable() {
  if (fs::exists(kPackages / "smtp-server") && fs::exists(kPackages / "mailparser")) {
    return std::nullopt;
  }
  return std::string(
      "the SMTP test server is not installed: run `npm ci` in tests/e2e (bin/test does)");
}

/// The `n`-th message (from 1) the sink wrote to `dir`, as mailparser read it; waits up to
/// five seconds for it, and is empty when it never came.
inline json::object received_mail(const fs::path& dir, int n) {
  const auto file = dir / (std::to_string(n) + ".json");
  for (int i = 0; i < 100 && !fs::exists(file); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto parsed = json::parse(text.str(), ec);
  return !ec && parsed.is_object() ? parsed.as_object() : json::object{};
}

}  // namespace pratu::notifications::test
