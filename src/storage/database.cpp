#include "storage/database.hpp"

#include <atomic>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "storage/postgres/postgres_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/statement_timer.hpp"

namespace pratu::storage {
namespace {

std::atomic<std::shared_ptr<const LatencyObserver>>& latency_observer_slot() {
  static std::atomic<std::shared_ptr<const LatencyObserver>> slot;
  return slot;
}

std::int64_t parse_int64(const std::string& text) {
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec == std::errc() && end == text.data() + text.size()) return out;
  // "12.0" or "1e3" from a REAL column read as an integer.
  double d = 0;
  auto [dend, dec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (dec == std::errc() && dend == text.data() + text.size() && std::isfinite(d) && d >= -9.2e18 &&
      d <= 9.2e18) {
    return static_cast<std::int64_t>(d);
  }
  return 0;
}

double parse_double(const std::string& text) {
  double out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec == std::errc() && end == text.data() + text.size()) return out;
  return 0;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::shared_ptr<const LatencyObserver> current_latency_observer() {
  return latency_observer_slot().load(std::memory_order_acquire);
}

void set_latency_observer(LatencyObserver observer) {
  std::shared_ptr<const LatencyObserver> next;
  if (observer) next = std::make_shared<const LatencyObserver>(std::move(observer));
  latency_observer_slot().store(std::move(next), std::memory_order_release);
}

bool is_unique_violation(const Error& error, std::string_view name) {
  if (error.code != ErrorCode::conflict) return false;
  if (!starts_with(error.detail, "unique violation")) return false;
  return name.empty() || error.detail.find(name) != std::string::npos;
}

bool Row::is_null(std::size_t i) const {
  return std::holds_alternative<std::nullptr_t>(values_.at(i));
}

std::int64_t Row::int64(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) {
    if (!std::isfinite(*d) || *d < -9.2e18 || *d > 9.2e18) return 0;
    return static_cast<std::int64_t>(*d);
  }
  if (auto* s = std::get_if<std::string>(&v)) return parse_int64(*s);
  return 0;
}

double Row::real(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (auto* s = std::get_if<std::string>(&v)) return parse_double(*s);
  return 0;
}

std::string Row::text(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&v)) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, *d);
    if (ec != std::errc()) return {};
    return std::string(buffer, end);
  }
  return {};
}

std::optional<std::string> Row::optional_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

Result<void> Connection::defer(std::string_view sql, std::span<const Value> params) {
  PRATU_CHECK(execute(sql, params));
  return ok();
}

Result<std::shared_ptr<const DeferredRows>> Connection::defer_query(std::string_view sql,
                                                                    std::span<const Value> params) {
  PRATU_TRY(rows, query(sql, params));
  auto out = std::make_shared<DeferredRows>();
  out->ready = true;
  out->rows = std::move(rows);
  return std::shared_ptr<const DeferredRows>(std::move(out));
}

Result<std::optional<Row>> Connection::query_one(std::string_view sql,
                                                 std::span<const Value> params) {
  PRATU_TRY(rows, query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

Result<std::unique_ptr<Database>> open_database(const DatabaseSettings& settings) {
  auto invalid = [](std::string detail) {
    return Error{ErrorCode::invalid_input, "errors.invalid_input", std::move(detail), {}, 0};
  };
  if (settings.pool_size < 1) return invalid("database pool_size must be at least 1");
  if (settings.busy_timeout_ms < 0) return invalid("database busy_timeout_ms must not be negative");
  if (settings.connect_timeout_seconds < 1) {
    return invalid("database connect_timeout_seconds must be at least 1");
  }
  std::string_view url = settings.url;
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    return postgres::open_postgres_database(settings);
  }
  if (starts_with(url, "sqlite:")) {
    std::string path(url.substr(std::string_view("sqlite:").size()));
    if (path.empty()) return invalid("database URL 'sqlite:' names no file (use sqlite:PATH)");
    if (path == ":memory:") {
      return invalid("database URL 'sqlite::memory:' is not supported (use sqlite:PATH)");
    }
    return sqlite::open_sqlite_database(path, settings);
  }
  auto colon = url.find(':');
  std::string scheme(colon == std::string_view::npos ? std::string_view("(none)")
                                                     : url.substr(0, colon));
  return invalid("database URL scheme '" + scheme +
                 "' is not supported (use sqlite:PATH or postgresql://...)");
}

}  // namespace pratu::storage
