#include "app/blob_body_sink.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace pratu::app {
namespace {

class BlobBodySink final : public http::BodySink {
 public:
  BlobBodySink(const storage::BlobStore& store, storage::BlobWriter writer)
      : store_(store), writer_(std::move(writer)) {}
  // A body that never finished (the client left, or it was refused) leaves nothing behind.
  ~BlobBodySink() override { writer_.abandon(); }
  BlobBodySink(const BlobBodySink&) = delete;
  BlobBodySink& operator=(const BlobBodySink&) = delete;

  Result<void> write(std::string_view bytes) override { return writer_.append(bytes); }

  Result<web::Upload> finish() override {
    PRATU_TRY(ref, writer_.finish("application/octet-stream"));
    return web::Upload{store_.path_of(ref.sha256).string(), ref.sha256, ref.size_bytes};
  }

 private:
  const storage::BlobStore& store_;
  storage::BlobWriter writer_;
};

}  // namespace

http::BodySinkFactory blob_body_sink(const storage::BlobStore& store) {
  return [&store](const web::Request&,
                  std::uint64_t limit_bytes) -> Result<std::unique_ptr<http::BodySink>> {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    PRATU_TRY(writer, storage::BlobWriter::create(
                          store, static_cast<std::int64_t>(std::min(limit_bytes, kMax))));
    return std::unique_ptr<http::BodySink>(
        std::make_unique<BlobBodySink>(store, std::move(writer)));
  };
}

}  // namespace pratu::app
