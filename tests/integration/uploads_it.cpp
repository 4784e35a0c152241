// A large request body through a streamed route of the real server into the blob store: the
// body is generated as it is sent, never held whole by the test or by the server.

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "app/blob_body_sink.hpp"
#include "common/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "storage/blob_store.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

namespace pratu::test {
namespace {

using namespace std::chrono_literals;

// The peak resident memory of this process (VmHWM), in KiB.
long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class UploadsIT : public ::testing::Test {
 protected:
  UploadsIT() : root_("pratu-uploads-"), store_(root_.path()) {}

  void SetUp() override {
    router_.add(
        "POST", "/uploads",
        [](web::Request& request) {
      if (!request.upload) return web::Response::text("no upload", 500);
      return web::Response::text(request.upload->sha256 + " " +
                                 std::to_string(request.upload->size_bytes) + " " +
                                 request.upload->path);
        },
        {.name = "uploads",
         .pool = http::Pool::documents,
         .body = http::BodyMode::streamed,
         .stream_limit = kLimit,
         .sink = app::blob_body_sink(store_)});
    router_.add("POST", "/small-uploads",
                [](web::Request&) { return web::Response::text("stored"); },
                {.name = "small_uploads",
                 .pool = http::Pool::documents,
                 .body = http::BodyMode::streamed,
                 .stream_limit = kSmallLimit,
                 .sink = app::blob_body_sink(store_)});
    http::ServerSettings settings;
    settings.port = 0;
    settings.io_threads = 1;
    server_ = std::make_unique<http::Server>(settings, router_, nullptr, registry_);
    auto started = server_->start();
    ASSERT_TRUE(started) << started.error().detail;
    thread_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  std::size_t partial_uploads() const {
    std::error_code ec;
    std::size_t n = 0;
    for (auto it = std::filesystem::directory_iterator(store_.uploads_dir(), ec);
         !ec && it != std::filesystem::directory_iterator(); ++it) {
      ++n;
    }
    return n;
  }

  static constexpr std::uint64_t kLimit = 512ULL * 1024 * 1024;
  static constexpr std::uint64_t kSmallLimit = 1024 * 1024;
  TempDir root_;
  storage::BlobStore store_;
  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST_F(UploadsIT, StreamsA256MegabyteBodyIntoTheBlobStore) {
  constexpr std::size_t kSize = 256ULL * 1024 * 1024;
  constexpr std::size_t kChunk = 1024 * 1024;
  const long peak_before = peak_rss_kib();

  HttpConnection connection(server_->port(), 120s);
  ASSERT_TRUE(
      connection.send("POST /uploads HTTP/1.1\r\nHost: t\r\nContent-Type: application/pdf\r\n"
                      "Content-Length: " +
                      std::to_string(kSize) + "\r\n\r\n"));
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  std::string chunk(kChunk, '\0');
  for (std::size_t sent = 0; sent < kSize; sent += kChunk) {
    for (std::size_t i = 0; i < kChunk; i += 8) {  // different in every chunk
      const std::uint64_t word = (sent + i) * 0x9E3779B97F4A7C15ULL;
      std::memcpy(chunk.data() + i, &word, sizeof word);
    }
    EVP_DigestUpdate(context, chunk.data(), chunk.size());
    ASSERT_TRUE(connection.send(chunk)) << "the server closed at byte " << sent;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest, &length);
  EVP_MD_CTX_free(context);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string expected;
  for (unsigned int i = 0; i < length; ++i) {
    expected.push_back(kHex[digest[i] >> 4]);
    expected.push_back(kHex[digest[i] & 0x0f]);
  }

  auto response = connection.read_response();
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  const std::string path = store_.path_of(expected).string();
  EXPECT_EQ(response->body, expected + " " + std::to_string(kSize) + " " + path);
  EXPECT_TRUE(store_.exists(expected));
  EXPECT_EQ(std::filesystem::file_size(path), kSize);
  EXPECT_EQ(partial_uploads(), 0U);
  // Client and server share this process: holding the body whole would add 256 MiB.
  const long grown_kib = peak_rss_kib() - peak_before;
  EXPECT_LT(grown_kib, 64 * 1024) << "peak memory grew by " << grown_kib << " KiB";
}

TEST_F(UploadsIT, AnUploadPastItsLimitLeavesNothingBehind) {
  HttpConnection connection(server_->port(), 30s);
  // Chunked, so the limit is found out while the body is stored.
  std::string request =
      "POST /small-uploads HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string part(0x10000, 'x');
  for (std::uint64_t sent = 0; sent <= kSmallLimit; sent += part.size()) {
    request += "10000\r\n" + part + "\r\n";
  }
  request += "0\r\n\r\n";
  connection.send(request);  // the server may close before it has read it all
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  for (int i = 0; i < 200 && partial_uploads() != 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(partial_uploads(), 0U);
}

}  // namespace
}  // namespace pratu::test
