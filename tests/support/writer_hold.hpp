#pragma once
/// Holds a database's writer busy, for tests of what waits behind it: a write on a thread of
/// its own that blocks until release().

#include <condition_variable>
#include <mutex>
#include <thread>

#include "storage/database.hpp"

namespace pratu::test {

class WriterHold {
 public:
  /// Returns once the holding write is running.
  explicit WriterHold(storage::Database& db) {
    thread_ = std::thread([this, &db] {
      (void)db.write([this](storage::Connection&) -> Result<void> {
        std::unique_lock lock(mutex_);
        holding_ = true;
        changed_.notify_all();
        changed_.wait(lock, [this] { return released_; });
        return ok();
      });
    });
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return holding_; });
  }
  WriterHold(const WriterHold&) = delete;
  WriterHold& operator=(const WriterHold&) = delete;
  ~WriterHold() { release(); }

  /// Lets the holding write commit, and waits for it.
  void release() {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool holding_ = false;
  bool released_ = false;
  std::thread thread_;
};

}  // namespace pratu::test
