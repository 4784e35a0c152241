#include "common/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace pratu::metrics {
namespace {

void atomic_add(std::atomic<double>& target, double amount) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + amount, std::memory_order_relaxed)) {
  }
}

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    std::array<char, 32> buffer{};
    auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    out.append(buffer.data(), ec == std::errc{} ? end : buffer.data());
  }
}

void append_escaped(std::string& out, std::string_view text, bool quote_too) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote_too && c == '"') {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
}

// `{a="x",b="y"}` plus an optional extra label (histogram `le`); nothing when empty.
void append_labels(std::string& out, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, std::string_view extra_name = {},
                   std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out.push_back('{');
  bool first = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!first) out.push_back(',');
    first = false;
    out += names[i];
    out += "=\"";
    append_escaped(out, values[i], true);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!first) out.push_back(',');
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out.push_back('"');
  }
  out.push_back('}');
}

std::string_view type_name(Type type) {
  switch (type) {
    case Type::counter: return "counter";
    case Type::gauge: return "gauge";
    case Type::histogram: return "histogram";
  }
  return "untyped";
}

}  // namespace

void Counter::inc(double amount) {
  if (amount > 0) atomic_add(value_, amount);
}

void Gauge::inc(double amount) { atomic_add(value_, amount); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 0; i + 1 < bounds_.size(); ++i) {
    if (!(bounds_[i] < bounds_[i + 1])) {
      throw std::invalid_argument("histogram bounds must be strictly increasing");
    }
  }
  if (!bounds_.empty() && std::isinf(bounds_.back())) bounds_.pop_back();
}

void Histogram::observe(double value) {
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, value);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

std::vector<double> default_latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

template <class Metric>
Metric& Family<Metric>::with(const std::vector<std::string>& label_values) {
  if (label_values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + " takes " +
                                std::to_string(label_names_.size()) + " label values");
  }
  std::lock_guard lock(mutex_);
  auto it = members_.find(label_values);
  if (it == members_.end()) {
    std::unique_ptr<Metric> metric;
    if constexpr (std::is_same_v<Metric, Histogram>) {
      metric = std::make_unique<Histogram>(bounds_);
    } else {
      metric = std::make_unique<Metric>();
    }
    it = members_.emplace(label_values, std::move(metric)).first;
  }
  return *it->second;
}

template <class Metric>
void Family<Metric>::expose(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out.push_back(' ');
  append_escaped(out, help_, false);
  out += "\n# TYPE ";
  out += name_;
  out.push_back(' ');
  out += type_name(type_);
  out.push_back('\n');

  std::lock_guard lock(mutex_);
  for (const auto& [values, metric] : members_) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      const auto counts = metric->cumulative_counts();
      const auto& bounds = metric->bounds();
      for (std::size_t i = 0; i < counts.size(); ++i) {
        std::string le;
        if (i < bounds.size()) {
          append_number(le, bounds[i]);
        } else {
          le = "+Inf";
        }
        out += name_;
        out += "_bucket";
        append_labels(out, label_names_, values, "le", le);
        out.push_back(' ');
        out += std::to_string(counts[i]);
        out.push_back('\n');
      }
      out += name_;
      out += "_sum";
      append_labels(out, label_names_, values);
      out.push_back(' ');
      append_number(out, metric->sum());
      out.push_back('\n');
      out += name_;
      out += "_count";
      append_labels(out, label_names_, values);
      out.push_back(' ');
      out += std::to_string(counts.back());
      out.push_back('\n');
    } else {
      out += name_;
      append_labels(out, label_names_, values);
      out.push_back(' ');
      append_number(out, metric->value());
      out.push_back('\n');
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct Registry::Entry {
  std::string name;
  Type type;
  std::vector<std::string> label_names;
  std::variant<std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>,
               std::unique_ptr<Family<Histogram>>>
      family;
};

Registry::Registry() = default;
Registry::~Registry() = default;

template <class Metric>
Family<Metric>& Registry::add(Type type, std::string name, std::string help,
                              std::vector<std::string> label_names, std::vector<double> bounds) {
  if (!valid_name(name, true)) throw std::invalid_argument("invalid metric name: " + name);
  for (const auto& label : label_names) {
    if (!valid_name(label, false) || label.rfind("__", 0) == 0 || label == "le") {
      throw std::invalid_argument("invalid label name " + label + " for " + name);
    }
  }
  std::lock_guard lock(mutex_);
  for (auto& entry : entries_) {
    if (entry->name != name) continue;
    if (entry->type != type || entry->label_names != label_names) {
      throw std::invalid_argument("metric " + name + " registered twice with another shape");
    }
    return *std::get<std::unique_ptr<Family<Metric>>>(entry->family);
  }
  const bool unlabelled = label_names.empty();
  auto family = std::unique_ptr<Family<Metric>>(
      new Family<Metric>(name, std::move(help), type, label_names, std::move(bounds)));
  // An unlabelled metric exists from the start, so it is exposed (as zero) before first use.
  if (unlabelled) family->get();
  auto& ref = *family;
  entries_.push_back(std::make_unique<Entry>(
      Entry{std::move(name), type, std::move(label_names), std::move(family)}));
  return ref;
}

Family<Counter>& Registry::counter(std::string name, std::string help,
                                   std::vector<std::string> label_names) {
  return add<Counter>(Type::counter, std::move(name), std::move(help), std::move(label_names), {});
}

Family<Gauge>& Registry::gauge(std::string name, std::string help,
                               std::vector<std::string> label_names) {
  return add<Gauge>(Type::gauge, std::move(name), std::move(help), std::move(label_names), {});
}

Family<Histogram>& Registry::histogram(std::string name, std::string help,
                                       std::vector<std::string> label_names,
                                       std::vector<double> bounds) {
  return add<Histogram>(Type::histogram, std::move(name), std::move(help), std::move(label_names),
                        std::move(bounds));
}

std::string Registry::expose() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& entry : entries_) {
    std::visit([&out](const auto& family) { family->expose(out); }, entry->family);
  }
  return out;
}

}  // namespace pratu::metrics
