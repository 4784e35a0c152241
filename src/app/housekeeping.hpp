#pragma once
/// The modules' periodic work (platform::PeriodicTask) run when due on background threads:
/// each task that asks to run alone on a thread of its own, so that no other task's long run
/// delays it, and the rest one after another on one thread. A failure is logged and the task
/// tried again at its next time.

#include <cstddef>
#include <stop_token>
#include <thread>
#include <vector>

#include "platform/module.hpp"

namespace pratu::app {

class Housekeeping {
 public:
  explicit Housekeeping(std::vector<platform::PeriodicTask> tasks) : tasks_(std::move(tasks)) {}
  ~Housekeeping() { stop(); }
  Housekeeping(const Housekeeping&) = delete;
  Housekeeping& operator=(const Housekeeping&) = delete;

  /// Starts the threads; each task first runs one interval from now.
  void start();
  /// Stops them, waiting for a task that is running to end.
  void stop();

 private:
  void run(std::stop_token stop, std::vector<std::size_t> mine);

  std::vector<platform::PeriodicTask> tasks_;
  std::vector<std::jthread> threads_;
};

}  // namespace pratu::app
