// A server with one streamed route, for bench/upload-memory.sh: `POST /upload` stores its body
// as a blob in DIR through the same transport and blob writer a streamed route of Pratu uses,
// and answers the blob's SHA-256 and size. Not part of Pratu's route table.
//   pratu_upload_probe DIR     prints "listening on http://127.0.0.1:PORT", stops on SIGTERM

#include <cstdint>
#include <iostream>
#include <string>
#include <utility>

#include "app/blob_body_sink.hpp"
#include "common/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "storage/blob_store.hpp"

int main(int argc, char** argv) {
  using namespace pratu;
  if (argc != 2) {
    std::cerr << "usage: pratu_upload_probe DIR\n";
    return 2;
  }
  storage::BlobStore store(argv[1]);
  http::RouteOptions upload;
  upload.name = "upload";
  upload.pool = http::Pool::documents;
  upload.body = http::BodyMode::streamed;
  upload.stream_limit = std::uint64_t{4} * 1024 * 1024 * 1024;
  upload.sink = app::blob_body_sink(store);
  http::Router router;
  router.add(
      "POST", "/upload",
      [](web::Request& request) {
    if (!request.upload) return web::Response::text("no upload\n", 500);
    return web::Response::text(request.upload->sha256 + " " +
                               std::to_string(request.upload->size_bytes) + "\n");
      },
      std::move(upload));
  http::ServerSettings settings;
  settings.port = 0;
  settings.io_threads = 2;
  metrics::Registry registry;
  http::Server server(settings, router, nullptr, registry);
  if (auto started = server.start(); !started) {
    std::cerr << "pratu_upload_probe: " << started.error().detail << "\n";
    return 1;
  }
  std::cout << "listening on http://127.0.0.1:" << server.port() << std::endl;
  server.stop_on_signals();
  server.run();
  return 0;
}
