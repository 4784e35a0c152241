#include "http/static_assets.hpp"

#include <openssl/evp.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "http/compression.hpp"

namespace pratu::http {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kFingerprintChars = 10;
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

struct TypeInfo {
  std::string_view content_type;
  bool text;
};

TypeInfo type_for(std::string_view extension) {
  if (extension == ".css") return {"text/css; charset=utf-8", true};
  if (extension == ".js" || extension == ".mjs") return {"text/javascript; charset=utf-8", true};
  if (extension == ".svg") return {"image/svg+xml", true};
  if (extension == ".png") return {"image/png", false};
  if (extension == ".jpg" || extension == ".jpeg") return {"image/jpeg", false};
  if (extension == ".webp") return {"image/webp", false};
  if (extension == ".woff2") return {"font/woff2", false};
  if (extension == ".woff") return {"font/woff", false};
  if (extension == ".ico") return {"image/x-icon", false};
  if (extension == ".txt") return {"text/plain; charset=utf-8", true};
  if (extension == ".json") return {"application/json", true};
  if (extension == ".webmanifest") return {"application/manifest+json", true};
  if (extension == ".map") return {"application/json", true};
  return {"application/octet-stream", false};
}

// True when any entity-tag in an If-None-Match value equals `etag` (weak comparison).
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  while (!if_none_match.empty()) {
    const std::size_t comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    if_none_match =
        comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<StaticAssets>> StaticAssets::load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error::internal("static directory not found: " + dir);
  }
  auto assets = std::unique_ptr<StaticAssets>(new StaticAssets());
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) return Error::internal("cannot read " + dir + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Error::internal("cannot read " + dir + ": " + ec.message());
    const fs::path& path = it->path();
    if (path.filename().string().front() == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;

    std::ifstream file(path, std::ios::binary);
    if (!file) return Error::internal("cannot open " + path.string());
    std::string body((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());

    const std::string logical = fs::relative(path, dir).generic_string();
    const std::string hash = sha256_hex(body).substr(0, kFingerprintChars);
    const std::string extension = path.extension().string();
    const std::string stem = logical.substr(0, logical.size() - extension.size());
    const std::string url = std::string(kPrefix) + stem + "." + hash + extension;

    const TypeInfo type = type_for(extension);
    auto asset = std::make_shared<Asset>();
    asset->content_type = std::string(type.content_type);
    asset->etag = "\"" + hash + "\"";
    if (type.text && !body.empty()) {
      std::string gz = gzip_compress(body, 9);
      if (gz.size() < body.size()) {
        asset->gzip_body = std::move(gz);
        asset->gzip_etag = "\"" + hash + "-gz\"";
      }
    }
    asset->body = std::move(body);
    assets->by_url_.emplace(url, std::move(asset));
    assets->urls_.emplace(logical, url);
  }
  return assets;
}

std::string StaticAssets::url(std::string_view logical_path) const {
  auto it = urls_.find(std::string(logical_path));
  if (it == urls_.end()) return std::string(kPrefix) + std::string(logical_path);
  return it->second;
}

std::optional<web::Response> StaticAssets::serve(const web::Request& request) const {
  auto it = by_url_.find(request.path);
  if (it == by_url_.end()) return std::nullopt;
  const Asset& asset = *it->second;

  const bool gzip = !asset.gzip_body.empty() && accepts_gzip(request.header("Accept-Encoding"));
  const std::string& etag = gzip ? asset.gzip_etag : asset.etag;

  web::Response response;
  response.content_type = asset.content_type;
  response.set_header("Cache-Control", std::string(kImmutable));
  response.set_header("ETag", etag);
  if (!asset.gzip_body.empty()) response.set_header("Vary", "Accept-Encoding");

  if (const auto inm = request.header("If-None-Match"); !inm.empty() && etag_matches(inm, etag)) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  if (gzip) {
    response.set_header("Content-Encoding", "gzip");
    response.body = asset.gzip_body;
  } else {
    response.body = asset.body;
  }
  return response;
}

}  // namespace pratu::http
