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

// Appends the body to a partial upload that outlives the request: bytes stored before the
// client went away stay, so it can resume from there (tus).
class AppendingBodySink final : public http::BodySink {
 public:
  AppendingBodySink(const storage::BlobStore& store, storage::BlobWriter writer)
      : store_(store), writer_(std::move(writer)) {}

  Result<void> write(std::string_view bytes) override { return writer_.append(bytes); }

  Result<web::Upload> finish() override {
    return web::Upload{(store_.uploads_dir() / writer_.id()).string(), "", writer_.bytes_written()};
  }

 private:
  const storage::BlobStore& store_;
  storage::BlobWriter writer_;
};

}  // namespace

http::BodySinkFactory blob_body_sink(const storage::BlobStore& store) {
  return [&store](const web::Request& request,
                  std::uint64_t limit_bytes) -> Result<std::unique_ptr<http::BodySink>> {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (const auto& target = request.append_to) {
      PRATU_TRY(writer, storage::BlobWriter::resume(store, target->id, target->limit_bytes));
      if (writer.bytes_written() != target->offset) {
        return Error{ErrorCode::conflict, "errors.upload_offset_conflict", "offset moved", {}, 0};
      }
      return std::unique_ptr<http::BodySink>(
          std::make_unique<AppendingBodySink>(store, std::move(writer)));
    }
    PRATU_TRY(writer, storage::BlobWriter::create(
                          store, static_cast<std::int64_t>(std::min(limit_bytes, kMax))));
    return std::unique_ptr<http::BodySink>(
        std::make_unique<BlobBodySink>(store, std::move(writer)));
  };
}

}  // namespace pratu::app
