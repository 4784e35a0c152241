#pragma once
/// A small thread-safe Prometheus registry: counters, gauges and histograms with labels,
/// exposed in the text format 0.0.4.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace pratu::metrics {

/// The Content-Type of `Registry::expose()`.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

/// A value that only goes up.
class Counter {
 public:
  /// Adds `amount` (ignored unless positive).
  void inc(double amount = 1.0);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// A value that goes up and down.
class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1.0);
  void dec(double amount = 1.0) { inc(-amount); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// Observations counted into fixed upper-bound buckets.
class Histogram {
 public:
  /// `bounds` are the bucket upper bounds, strictly increasing (+Inf is implicit).
  explicit Histogram(std::vector<double> bounds);
  /// Records one observation.
  void observe(double value);
  /// Cumulative counts per bound, then the +Inf bucket.
  std::vector<std::uint64_t> cumulative_counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // one per bound, plus +Inf
  std::atomic<double> sum_{0.0};
};

/// Default latency buckets, in seconds.
std::vector<double> default_latency_buckets();

enum class Type { counter, gauge, histogram };

/// The members of one metric family, one per combination of label values.
template <class Metric>
class Family {
 public:
  /// The metric for `label_values` (in the order of the family's label names), created on
  /// first use. The reference stays valid as long as the registry. Throws
  /// std::invalid_argument when the number of values does not match the label names.
  Metric& with(const std::vector<std::string>& label_values);
  /// The metric of a family without labels.
  Metric& get() { return with({}); }

 private:
  friend class Registry;
  Family(std::string name, std::string help, Type type, std::vector<std::string> label_names,
         std::vector<double> bounds)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(type),
        label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {}
  void expose(std::string& out) const;

  std::string name_;
  std::string help_;
  Type type_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> members_;
};

/// Owns every metric family. Registering a name twice with the same type and labels returns
/// the existing family; anything else is a programming error (std::invalid_argument).
class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  /// A counter family; the name should end in `_total`.
  Family<Counter>& counter(std::string name, std::string help,
                           std::vector<std::string> label_names = {});
  /// A gauge family.
  Family<Gauge>& gauge(std::string name, std::string help,
                       std::vector<std::string> label_names = {});
  /// A histogram family with upper bucket bounds `bounds`.
  Family<Histogram>& histogram(std::string name, std::string help,
                               std::vector<std::string> label_names = {},
                               std::vector<double> bounds = default_latency_buckets());

  /// Every family in the Prometheus text format 0.0.4, in registration order.
  std::string expose() const;

 private:
  struct Entry;
  template <class Metric>
  Family<Metric>& add(Type type, std::string name, std::string help,
                      std::vector<std::string> label_names, std::vector<double> bounds);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace pratu::metrics
