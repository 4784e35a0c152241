#include "http/worker_pool.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <string>

#include "common/log.hpp"

namespace pratu::http {

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_limit, int niceness)
    : niceness_(niceness), queue_limit_(queue_limit) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) {
    threads_.emplace_back([this] { run(); });
  }
}

WorkerPool::~WorkerPool() { stop(); }

Result<void> WorkerPool::submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Error::unavailable("worker pool is stopping");
    if (queue_.size() >= queue_limit_) {
      Error error = Error::unavailable("worker queue is full");
      error.retry_after_seconds = 1;
      return error;
    }
    queue_.push_back(std::move(job));
  }
  ready_.notify_one();
  return ok();
}

std::size_t WorkerPool::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::size_t WorkerPool::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable() && thread.get_id() != std::this_thread::get_id()) thread.join();
  }
}

void WorkerPool::run() {
  if (niceness_ != 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), niceness_) != 0) {
    log::warn("worker priority unchanged", {},
              {{"niceness", std::to_string(niceness_)}, {"error", std::strerror(errno)}});
  }
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    try {
      job();
    } catch (const std::exception& e) {
      log::error("worker job threw", {}, {{"error", e.what()}});
    } catch (...) {
      log::error("worker job threw a non-exception");
    }
    std::lock_guard lock(mutex_);
    --busy_;
  }
}

}  // namespace pratu::http
