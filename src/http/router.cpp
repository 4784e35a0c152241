#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace pratu::http {
namespace {

// Splits "/a/b" into {"a", "b"}; "/" has no segments.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path == "/") return segments;
  if (path.front() == '/') path.remove_prefix(1);
  while (true) {
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

// How well a pattern fits a path: one entry per segment, 1 for a literal, 0 for a parameter;
// compared lexicographically so that the earliest literal wins. Empty when it does not fit.
std::optional<std::vector<char>> fit(const std::vector<std::string_view>& pattern,
                                     const std::vector<std::string_view>& path) {
  if (pattern.size() != path.size()) return std::nullopt;
  std::vector<char> score(pattern.size());
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      if (path[i].empty()) return std::nullopt;
      score[i] = 0;
    } else if (pattern[i] == path[i]) {
      score[i] = 1;
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
  if (options.name.empty()) options.name = pattern;
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler),
                          std::move(options)});
}

Match Router::match(std::string_view method, std::string_view path) const {
  const auto path_segments = split_path(path);
  const bool head = method == "HEAD";

  // The best route per method class: exact method, and GET standing in for HEAD.
  const Route* best = nullptr;
  std::vector<char> best_score;
  const Route* best_get = nullptr;
  std::vector<char> best_get_score;
  std::vector<std::string> allowed;

  for (const auto& route : routes_) {
    const auto pattern_segments = split_path(route.pattern);
    auto score = fit(pattern_segments, path_segments);
    if (!score) continue;
    allowed.push_back(route.method);
    if (route.method == "GET") allowed.emplace_back("HEAD");
    if (route.method == method && (best == nullptr || *score > best_score)) {
      best = &route;
      best_score = std::move(*score);
    } else if (head && route.method == "GET" &&
               (best_get == nullptr || *score > best_get_score)) {
      best_get = &route;
      best_get_score = std::move(*score);
    }
  }

  Match result;
  if (best == nullptr && best_get != nullptr) {
    best = best_get;
    best_score = std::move(best_get_score);
  }
  if (best != nullptr) {
    result.route = best;
    const auto pattern_segments = split_path(best->pattern);
    for (std::size_t i = 0; i < pattern_segments.size(); ++i) {
      if (is_param(pattern_segments[i])) {
        const std::string_view name = pattern_segments[i].substr(1, pattern_segments[i].size() - 2);
        result.params.emplace_back(std::string(name), std::string(path_segments[i]));
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
