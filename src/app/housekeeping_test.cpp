#include "app/housekeeping.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace pratu::app {
namespace {

using namespace std::chrono_literals;

// A task that takes `busy` each time it runs, and another, `alone` or not, that counts its runs.
struct Tasks {
  std::atomic<int> slow_runs = 0;
  std::atomic<int> quick_runs = 0;
  std::atomic<bool> slow_running = false;

  std::vector<platform::PeriodicTask> make(bool quick_alone, std::chrono::milliseconds busy) {
    return {{"slow", 1s,
             [this, busy]() -> Result<void> {
               slow_running = true;
               ++slow_runs;
               std::this_thread::sleep_for(busy);
               slow_running = false;
               return ok();
             }},
            {"quick", 1s,
             [this]() -> Result<void> {
               ++quick_runs;
               return ok();
             },
             quick_alone}};
  }
};

// While another task runs for seconds, a task alone still runs every interval; one sharing the
// thread waits for it.
TEST(Housekeeping, ATaskAloneRunsWhileAnotherTakesLong) {
  Tasks alone;
  Housekeeping apart(alone.make(true, 3500ms));
  apart.start();
  std::this_thread::sleep_for(3200ms);  // the slow task runs from about 1 s to 4.5 s
  EXPECT_TRUE(alone.slow_running);
  EXPECT_GE(alone.quick_runs, 2);
  apart.stop();

  Tasks shared;
  Housekeeping together(shared.make(false, 3500ms));
  together.start();
  std::this_thread::sleep_for(3200ms);
  EXPECT_TRUE(shared.slow_running);
  EXPECT_LE(shared.quick_runs, 1);  // once at most, beside the slow task's first run
  together.stop();
}

// Stopping waits for a run in progress and starts no other; a failing task is tried again.
TEST(Housekeeping, StopsAfterTheRunInProgressAndRetriesAFailure) {
  std::atomic<int> runs = 0;
  Housekeeping failing({{"fails", 1s, [&]() -> Result<void> {
                           ++runs;
                           return Error::internal("not today");
                         }}});
  failing.start();
  std::this_thread::sleep_for(2500ms);
  failing.stop();
  const int seen = runs;
  EXPECT_GE(seen, 2);
  std::this_thread::sleep_for(1200ms);
  EXPECT_EQ(runs, seen);
}

}  // namespace
}  // namespace pratu::app
