#include "app/housekeeping.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "common/log.hpp"

namespace pratu::app {

void Housekeeping::start() {
  std::vector<std::size_t> shared;
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    if (tasks_[i].alone) {
      threads_.emplace_back([this, i](std::stop_token stop) { run(stop, {i}); });
    } else {
      shared.push_back(i);
    }
  }
  if (!shared.empty()) {
    threads_.emplace_back([this, shared](std::stop_token stop) { run(stop, shared); });
  }
}

void Housekeeping::stop() {
  for (auto& thread : threads_) thread.request_stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void Housekeeping::run(std::stop_token stop, std::vector<std::size_t> mine) {
  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> due;
  for (std::size_t i : mine) due.push_back(Clock::now() + tasks_[i].interval);
  std::mutex mutex;
  std::condition_variable_any wake;  // woken only by `stop`
  std::unique_lock lock(mutex);
  while (!stop.stop_requested()) {
    const auto next = *std::min_element(due.begin(), due.end());
    if (wake.wait_until(lock, stop, next, [] { return false; })) return;
    if (stop.stop_requested()) return;
    for (std::size_t k = 0; k < mine.size(); ++k) {
      if (Clock::now() < due[k]) continue;
      const auto& task = tasks_[mine[k]];
      if (auto done = task.run(); !done) {
        log::warn("housekeeping failed", {},
                  {{"task", task.name}, {"detail", done.error().detail}});
      }
      due[k] = Clock::now() + task.interval;
      if (stop.stop_requested()) return;
    }
  }
}

}  // namespace pratu::app
