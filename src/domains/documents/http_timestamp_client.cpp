/// The RFC 3161 HTTP client, on libcurl.
#include "domains/documents/http_timestamp_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace pratu::documents {

namespace {

// The reply so far, and whether it went over the cap.
struct Reply {
  std::string body;
  std::size_t limit = 0;
  bool too_large = false;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* reply = static_cast<Reply*>(user);
  const std::size_t n = size * count;
  if (reply->body.size() + n > reply->limit) {
    reply->too_large = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  reply->body.append(data, n);
  return n;
}

}  // namespace

HttpTimestampClient::HttpTimestampClient(HttpTimestampSettings settings, Random& random)
    : settings_(std::move(settings)), random_(random) {
  // Not thread-safe, and needed once per process before any handle.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<std::string> HttpTimestampClient::timestamp(std::string_view sha256_imprint) {
  if (sha256_imprint.size() != 32) return Error::internal("a SHA-256 imprint has 32 octets");
  const auto request = crypto::make_timestamp_request(sha256_imprint, random_);

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error::unavailable("timestamp: curl_easy_init failed");
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/timestamp-query");
  headers = curl_slist_append(headers, "Accept: application/timestamp-reply");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> free_headers(headers,
                                                                           curl_slist_free_all);
  Reply reply;
  reply.limit = settings_.max_reply_bytes;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.der.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.der.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(settings_.max_reply_bytes));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout_ms));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout_ms));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // called from worker threads
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!settings_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());

  const CURLcode result = curl_easy_perform(h);
  if (reply.too_large || result == CURLE_FILESIZE_EXCEEDED) {
    return Error::unavailable("timestamp: the reply is larger than " +
                              std::to_string(settings_.max_reply_bytes) + " octets");
  }
  if (result != CURLE_OK) {
    return Error::unavailable(std::string("timestamp: ") + curl_easy_strerror(result));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return Error::unavailable("timestamp: HTTP " + std::to_string(status));
  return crypto::token_from_response(reply.body, sha256_imprint, request);
}

}  // namespace pratu::documents
