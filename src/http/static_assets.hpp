#pragma once
/// Fingerprinted static files (static/css, static/js, ...) held in memory and served with
/// immutable caching.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.hpp"
#include "web/message.hpp"
#include "web/render.hpp"

namespace pratu::http {

class StaticAssets final : public web::AssetUrls {
 public:
  /// URL prefix every asset is served under.
  static constexpr std::string_view kPrefix = "/static/";

  /// Loads every regular file under `dir` (hidden files skipped) and fingerprints it with
  /// the first 10 hex characters of its SHA-256.
  static Result<std::unique_ptr<StaticAssets>> load(const std::string& dir);

  /// "css/pratu.css" -> "/static/css/pratu.<hash>.css"; an unknown path is returned
  /// unfingerprinted (and will 404) so a missing file shows up in tests, not as a crash.
  std::string url(std::string_view logical_path) const override;

  /// The response for a GET/HEAD of `request.path` under /static/: the file (gzip when the
  /// client accepts it and it helps), or 304 when If-None-Match matches; nullopt (404) for
  /// an unknown path or a stale hash.
  std::optional<web::Response> serve(const web::Request& request) const;

  /// Number of files loaded.
  std::size_t size() const { return by_url_.size(); }

 private:
  struct Asset {
    std::string content_type;
    std::string body;
    std::string gzip_body;  // empty when not worth it
    std::string etag;       // strong, quoted
    std::string gzip_etag;
  };
  std::unordered_map<std::string, std::shared_ptr<const Asset>> by_url_;  // "/static/..."
  std::unordered_map<std::string, std::string> urls_;                     // logical -> URL
};

}  // namespace pratu::http
