#include "http/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

#include <sys/resource.h>
#include <unistd.h>

namespace pratu::http {
namespace {

TEST(WorkerPool, RunsSubmittedJobs) {
  std::atomic<int> done{0};
  {
    WorkerPool pool(2, 16);
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(pool.submit([&done] { ++done; }));
    }
  }  // the destructor finishes queued jobs
  EXPECT_EQ(done, 10);
}

TEST(WorkerPool, WorkersRunAtTheirNiceness) {
  const int before = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  // Without privileges a thread can only become nicer than it is.
  if (before > 7) GTEST_SKIP() << "the tests already run at niceness " << before;
  std::promise<int> seen;
  auto niceness = seen.get_future();
  WorkerPool pool(1, 4, 7);
  ASSERT_TRUE(pool.submit([&seen] {
    errno = 0;
    seen.set_value(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())));
  }));
  EXPECT_EQ(niceness.get(), 7);
  // The caller's own priority is left alone.
  EXPECT_EQ(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())), before);
}

TEST(WorkerPool, RefusesJobsBeyondTheQueueLimit) {
  WorkerPool pool(1, 2);
  std::promise<void> started, release;
  auto release_future = release.get_future().share();
  ASSERT_TRUE(pool.submit([&started, release_future] {
    started.set_value();
    release_future.wait();
  }));
  started.get_future().wait();
  EXPECT_EQ(pool.busy(), 1u);
  EXPECT_TRUE(pool.submit([] {}));
  EXPECT_TRUE(pool.submit([] {}));
  EXPECT_EQ(pool.queue_depth(), 2u);
  auto refused = pool.submit([] {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
  release.set_value();
  pool.stop();
  EXPECT_EQ(pool.queue_depth(), 0u);
}

TEST(WorkerPool, RefusesJobsAfterStop) {
  WorkerPool pool(1, 4);
  pool.stop();
  EXPECT_FALSE(pool.submit([] {}));
}

TEST(WorkerPool, SurvivesAThrowingJob) {
  WorkerPool pool(1, 4);
  ASSERT_TRUE(pool.submit([] { throw std::runtime_error("boom"); }));
  std::promise<void> ran;
  ASSERT_TRUE(pool.submit([&ran] { ran.set_value(); }));
  EXPECT_EQ(ran.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

}  // namespace
}  // namespace pratu::http
