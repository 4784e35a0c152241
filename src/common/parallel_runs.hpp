#pragma once
/// Splits work over items into contiguous runs, one thread a run: parsing and indexing
/// thousands of services is CPU work that every core can share.

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace pratu {

/// Calls `work(run, first, last)` for runs of [0, count) on up to one thread a core (at most
/// `max_threads`, and none with fewer than `min_per_run` items); returns when all are done.
/// Run r covers items before run r + 1's, so joining results by run keeps their order.
/// Returns the number of runs.
template <class Work>
std::size_t for_each_run(std::size_t count, std::size_t min_per_run, Work&& work,
                         std::size_t max_threads = 8) {
  const std::size_t cores = std::max<unsigned>(std::thread::hardware_concurrency(), 1);
  const std::size_t runs = std::clamp<std::size_t>(std::min(cores, max_threads), 1,
                                                   std::max<std::size_t>(count / min_per_run, 1));
  if (runs == 1) {
    work(std::size_t{0}, std::size_t{0}, count);
    return 1;
  }
  std::vector<std::jthread> threads;
  threads.reserve(runs);
  for (std::size_t run = 0; run < runs; ++run) {
    threads.emplace_back(
        [&work, run, runs, count] { work(run, count * run / runs, count * (run + 1) / runs); });
  }
  return runs;
}

}  // namespace pratu
