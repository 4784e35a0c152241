#include "common/metrics.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>

#include "support/promtool.hpp"

namespace pratu::metrics {
namespace {

using test::promtool_check_metrics;

TEST(Registry, ExposesCountersGaugesAndHistogramsInTextFormat) {
  Registry registry;
  auto& requests = registry.counter("pratu_http_requests_total", "HTTP requests.",
                                    {"route", "method", "status"});
  requests.with({"home", "GET", "200"}).inc();
  requests.with({"home", "GET", "200"}).inc(2);
  registry.gauge("pratu_http_connections_active", "Open connections.").get().set(3);
  auto& duration =
      registry.histogram("pratu_http_request_duration_seconds", "Latency.", {"route"}, {0.1, 1});
  duration.with({"home"}).observe(0.05);
  duration.with({"home"}).observe(0.5);
  duration.with({"home"}).observe(7);

  const std::string text = registry.expose();
  EXPECT_NE(
      text.find("# TYPE pratu_http_requests_total counter\n"
                "pratu_http_requests_total{route=\"home\",method=\"GET\",status=\"200\"} 3\n"),
      std::string::npos);
  EXPECT_NE(text.find("pratu_http_connections_active 3\n"), std::string::npos);
  EXPECT_NE(text.find("pratu_http_request_duration_seconds_bucket{route=\"home\",le=\"0.1\"} 1\n"
                      "pratu_http_request_duration_seconds_bucket{route=\"home\",le=\"1\"} 2\n"
                      "pratu_http_request_duration_seconds_bucket{route=\"home\",le=\"+Inf\"} 3\n"
                      "pratu_http_request_duration_seconds_sum{route=\"home\"} 7.55\n"
                      "pratu_http_request_duration_seconds_count{route=\"home\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(promtool_check_metrics(text), 0) << text;
}

TEST(Registry, EscapesLabelValuesAndHelpSoPromtoolAccepts) {
  Registry registry;
  registry.counter("pratu_odd_total", "Help with \\ and\nnewline.", {"path"})
      .with({"a\"b\\c\nd / ทดสอบ"})
      .inc();
  const std::string text = registry.expose();
  EXPECT_NE(text.find("{path=\"a\\\"b\\\\c\\nd / ทดสอบ\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("# HELP pratu_odd_total Help with \\\\ and\\nnewline.\n"), std::string::npos);
  EXPECT_EQ(promtool_check_metrics(text), 0) << text;
}

TEST(Registry, PromtoolRejectsBrokenExposition) {
  // Guards the checker itself: a test that cannot fail proves nothing.
  EXPECT_NE(promtool_check_metrics("# TYPE x counter\nx{a=\"1} 1\n"), 0);
}

TEST(Registry, UnlabelledMetricsAreExposedBeforeFirstUse) {
  Registry registry;
  registry.gauge("pratu_worker_queue_depth", "Queued jobs.");
  registry.counter("pratu_worker_pool_rejections_total", "Rejected jobs.");
  const std::string text = registry.expose();
  EXPECT_NE(text.find("\npratu_worker_queue_depth 0\n"), std::string::npos);
  EXPECT_NE(text.find("\npratu_worker_pool_rejections_total 0\n"), std::string::npos);
  EXPECT_EQ(promtool_check_metrics(text), 0) << text;
}

TEST(Registry, RegisteringTheSameFamilyTwiceReturnsIt) {
  Registry registry;
  auto& a = registry.counter("pratu_a_total", "A.", {"x"});
  auto& b = registry.counter("pratu_a_total", "A.", {"x"});
  EXPECT_EQ(&a, &b);
  EXPECT_THROW(registry.gauge("pratu_a_total", "A."), std::invalid_argument);
  EXPECT_THROW(registry.counter("pratu_a_total", "A.", {"y"}), std::invalid_argument);
}

TEST(Registry, RejectsInvalidNamesAndLabelCounts) {
  Registry registry;
  EXPECT_THROW(registry.counter("1bad", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("bad-name", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok_total", "x", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("h_seconds", "x", {"le"}), std::invalid_argument);
  auto& family = registry.counter("ok_total", "x", {"a"});
  EXPECT_THROW(family.with({"1", "2"}), std::invalid_argument);
}

TEST(Counter, IgnoresNegativeIncrements) {
  Counter counter;
  counter.inc(-5);
  counter.inc(2);
  EXPECT_EQ(counter.value(), 2);
}

TEST(Gauge, GoesUpAndDown) {
  Gauge gauge;
  gauge.inc();
  gauge.inc();
  gauge.dec();
  EXPECT_EQ(gauge.value(), 1);
}

TEST(Registry, CountsCorrectlyFromManyThreads) {
  Registry registry;
  auto& family = registry.counter("pratu_hits_total", "Hits.", {"t"});
  auto& histogram = registry.histogram("pratu_h_seconds", "H.");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        family.with({std::to_string(t % 2)}).inc();
        histogram.get().observe(0.002);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(family.with({"0"}).value() + family.with({"1"}).value(), 40000);
  EXPECT_EQ(histogram.get().cumulative_counts().back(), 40000u);
}

}  // namespace
}  // namespace pratu::metrics
