#pragma once
/// Times one statement for the process-wide latency observer (internal to the engines).

#include <chrono>
#include <memory>

#include "storage/database.hpp"

namespace pratu::storage {

/// The observer set by set_latency_observer, or null; one atomic load.
std::shared_ptr<const LatencyObserver> current_latency_observer();

/// Reports the time between construction and destruction, if an observer is set.
class StatementTimer {
 public:
  StatementTimer() : observer_(current_latency_observer()) {
    if (observer_) start_ = std::chrono::steady_clock::now();
  }
  ~StatementTimer() {
    if (!observer_) return;
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    (*observer_)(elapsed.count());
  }
  StatementTimer(const StatementTimer&) = delete;
  StatementTimer& operator=(const StatementTimer&) = delete;

 private:
  std::shared_ptr<const LatencyObserver> observer_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace pratu::storage
