#pragma once
/// A long-running tool nobody in Pratu wrote (a test server in node) as a child of a test,
/// stopped by its own process id. For a command that runs and ends: run_command.hpp.

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <vector>

extern char** environ;

namespace pratu::test {

/// A child process whose first line of output is read at start; stopped with SIGTERM (by its
/// own process id) when this goes away.
class Child {
 public:
  /// Starts `argv` (argv[0] looked up on PATH) and reads its first stdout line.
  explicit Child(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const int spawned = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (spawned != 0) {
      pid_ = -1;
      ::close(fds[0]);
      return;
    }
    char c = 0;
    while (::read(fds[0], &c, 1) == 1 && c != '\n') first_line_ += c;
    ::close(fds[0]);
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  /// What it printed first (without the newline); empty when it did not start.
  const std::string& first_line() const { return first_line_; }

 private:
  pid_t pid_ = -1;
  std::string first_line_;
};

}  // namespace pratu::test
