#pragma once
/// A bounded pool of threads for blocking work (database, password hashing, rendering).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/result.hpp"

namespace pratu::http {

class WorkerPool {
 public:
  /// Starts `threads` workers; at most `queue_limit` jobs may wait for a free worker. The
  /// workers run at `niceness` (0..19, Linux per-thread nice): above 0 they yield to the I/O
  /// threads when the processor is short, so a busy pool cannot stall the event loops.
  WorkerPool(std::size_t threads, std::size_t queue_limit, int niceness = 0);
  /// Runs the jobs already queued, then joins the workers.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `job`; fails (unavailable) when the queue is full or the pool is stopping.
  /// A job must not throw; if it does, the exception is logged and dropped.
  Result<void> submit(std::function<void()> job);
  /// Jobs waiting for a worker (not counting those running).
  std::size_t queue_depth() const;
  /// Jobs running right now.
  std::size_t busy() const;
  /// Stops taking jobs, finishes the queued ones and joins the workers. Idempotent.
  void stop();

 private:
  void run();

  const int niceness_;
  const std::size_t queue_limit_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::size_t busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pratu::http
