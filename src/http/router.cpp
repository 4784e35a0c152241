#include "http/router.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace pratu::http {
namespace {

// Splits "/a/b" into {"a", "b"}; "/" has no segments. Stops after `limit` + 1 segments: a
// path longer than any pattern needs no more.
std::vector<std::string_view> split_path(std::string_view path, std::size_t limit) {
  std::vector<std::string_view> segments;
  if (path.empty() || path == "/") return segments;
  if (path.front() == '/') path.remove_prefix(1);
  while (segments.size() <= limit) {
    const std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool is_param(std::string_view segment) {
  return segment.size() >= 3 && segment.front() == '{' && segment.back() == '}';
}

// How well a pattern fits a path: a bit per segment, set for a literal, the first segment
// highest, so that the earliest literal wins when compared. Empty when it does not fit.
std::optional<std::uint64_t> fit(const std::vector<PatternSegment>& pattern,
                                 const std::vector<std::string_view>& path) {
  if (pattern.size() != path.size()) return std::nullopt;
  std::uint64_t score = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i].parameter) {
      if (path[i].empty()) return std::nullopt;
    } else if (pattern[i].text == path[i]) {
      score |= std::uint64_t{1} << (63 - i);
    } else {
      return std::nullopt;
    }
  }
  return score;
}

}  // namespace

void Router::add(std::string method, std::string pattern, RawHandler handler,
                 RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  for (const auto& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      throw std::invalid_argument("route registered twice: " + method + " " + pattern);
    }
  }
  std::vector<PatternSegment> segments;
  for (const auto segment : split_path(pattern, kMaxSegments)) {
    if (is_param(segment)) {
      segments.push_back({std::string(segment.substr(1, segment.size() - 2)), true});
    } else {
      segments.push_back({std::string(segment), false});
    }
  }
  if (segments.size() > kMaxSegments) {
    throw std::invalid_argument("route pattern has too many segments: " + pattern);
  }
  if (options.name.empty()) options.name = pattern;
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler),
                          std::move(options), std::move(segments)});
}

Match Router::match(std::string_view method, std::string_view path) const {
  const auto path_segments = split_path(path, kMaxSegments);
  const bool head = method == "HEAD";

  // The best route per method class: exact method, and GET standing in for HEAD.
  const Route* best = nullptr;
  std::uint64_t best_score = 0;
  const Route* best_get = nullptr;
  std::uint64_t best_get_score = 0;
  std::vector<std::string> allowed;

  for (const auto& route : routes_) {
    const auto score = fit(route.segments, path_segments);
    if (!score) continue;
    allowed.push_back(route.method);
    if (route.method == "GET") allowed.emplace_back("HEAD");
    if (route.method == method && (best == nullptr || *score > best_score)) {
      best = &route;
      best_score = *score;
    } else if (head && route.method == "GET" && (best_get == nullptr || *score > best_get_score)) {
      best_get = &route;
      best_get_score = *score;
    }
  }

  Match result;
  if (best == nullptr) best = best_get;
  if (best != nullptr) {
    result.route = best;
    for (std::size_t i = 0; i < best->segments.size(); ++i) {
      if (best->segments[i].parameter) {
        result.params.emplace_back(best->segments[i].text, std::string(path_segments[i]));
      }
    }
    return result;
  }
  if (!allowed.empty()) {
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    result.method_mismatch = true;
    result.allowed = std::move(allowed);
  }
  return result;
}

}  // namespace pratu::http
