// libFuzzer target: matching decoded request paths against the route table. The first byte
// picks the method, the rest is the path.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "http/router.hpp"

namespace {

const pratu::http::Router& router() {
  static const pratu::http::Router table = [] {
    pratu::http::Router made;
    const auto handler = [](pratu::web::Request&) { return pratu::web::Response{}; };
    for (const char* pattern : {"/", "/services", "/services/{slug}", "/services/search",
                                "/agencies/{code}/services/{slug}", "/{a}/{b}", "/{x}/edit",
                                "/api/v1/services", "/api/v1/services/{slug}", "/trailing/"}) {
      made.add("GET", pattern, handler);
    }
    made.add("POST", "/services/{slug}/apply", handler);
    made.add("DELETE", "/api/v1/services/{slug}", handler);
    return made;
  }();
  return table;
}

std::vector<std::string_view> segments_of(std::string_view path) {
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr std::array<std::string_view, 5> kMethods = {"GET", "HEAD", "POST", "DELETE",
                                                               "PUT"};
  const std::string_view method = kMethods[data[0] % kMethods.size()];
  const std::string_view path(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto match = router().match(method, path);
  if (match.route != nullptr) {
    // The route fits the path segment by segment, and each parameter got its segment.
    const auto segments = segments_of(path);
    const auto& pattern = match.route->segments;
    if (match.method_mismatch || segments.size() != pattern.size()) std::abort();
    std::size_t parameter = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (!pattern[i].parameter) {
        if (pattern[i].text != segments[i]) std::abort();
        continue;
      }
      if (parameter >= match.params.size()) std::abort();
      const auto& [name, value] = match.params[parameter++];
      if (name != pattern[i].text || value.empty() || value != segments[i]) std::abort();
    }
    if (parameter != match.params.size()) std::abort();
    if (match.route->method != method && !(method == "HEAD" && match.route->method == "GET")) {
      std::abort();
    }
  } else if (match.method_mismatch && match.allowed.empty()) {
    std::abort();
  }
  return 0;
}
