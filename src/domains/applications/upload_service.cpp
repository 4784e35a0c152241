#include "domains/applications/upload_service.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>

#include "common/log.hpp"
#include "domains/applications/tus.hpp"

extern char** environ;

namespace pratu::applications {

namespace {

constexpr std::int64_t kMiB = 1024 * 1024;
constexpr int kWalletLimit = 500;
constexpr int kSweepBatch = 200;

Error refused(ErrorCode code, std::string key, std::string detail) {
  return Error{code, std::move(key), std::move(detail), {}, 0};
}

Error no_such_upload() {
  return refused(ErrorCode::not_found, "applications.uploads.not_found", "upload");
}

// Runs `argv` with no input or output and waits for it: its exit status, or -1 when it could
// not run or was killed.
int run_quietly(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int fd : {0, 1, 2}) {
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
  }
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

Result<PdfVerdict> check_pdf(const std::string& qpdf, const std::string& path) {
  // 0: a password is needed to open it; 3: encrypted all the same; 2: not encrypted (or
  // unreadable, which --check then finds).
  const int password = run_quietly({qpdf, "--requires-password", path});
  if (password < 0) return Error::internal("qpdf could not run: " + qpdf);
  if (password == 0 || password == 3) return PdfVerdict::encrypted;
  // 0: sound; 3: warnings only (qpdf repaired what it read); 2: errors.
  const int check = run_quietly({qpdf, "--check", path});
  if (check < 0) return Error::internal("qpdf could not run: " + qpdf);
  return check == 0 || check == 3 ? PdfVerdict::sound : PdfVerdict::malformed;
}

UploadService::UploadService(storage::Database& db, const Clock& clock, Random& random,
                             const storage::BlobStore& blobs, const ApplicationsSettings& settings)
    : db_(db), clock_(clock), random_(random), blobs_(blobs), settings_(settings) {}

std::int64_t UploadService::max_size() const { return settings_.upload_max_mib * kMiB; }

Result<UploadRecord> UploadService::create(std::int64_t user_id, const NewUpload& upload) {
  if (upload.length <= 0 || upload.length > max_size()) {
    return refused(ErrorCode::too_large, "applications.uploads.too_large", "Upload-Length");
  }
  const std::int64_t now = clock_.now_seconds();
  PRATU_TRY(open, db_.read_value<OpenUploads>([&](storage::Connection& c) {
    return upload_repository::open_uploads(c, user_id, now);
  }));
  if (open.count >= settings_.max_open_uploads) {
    return refused(ErrorCode::conflict, "applications.uploads.too_many_open", "open uploads");
  }
  if (open.bytes + upload.length > settings_.open_uploads_max_mib * kMiB) {
    return refused(ErrorCode::too_large, "applications.uploads.quota_exceeded", "open bytes");
  }
  PRATU_TRY(writer, storage::BlobWriter::create(blobs_, upload.length));
  UploadRecord record;
  record.public_id = random_.token(16);
  record.user_id = user_id;
  record.length = upload.length;
  record.writer_id = writer.id();
  record.filename = upload.filename;
  record.filetype = upload.filetype;
  record.created_at = now;
  record.expires_at = now + std::int64_t{settings_.upload_expiry_hours} * 3600;
  auto inserted = db_.write(
      [&](storage::Connection& c) { return upload_repository::insert_upload(c, record); });
  if (!inserted) {
    writer.abandon();
    return inserted.error();
  }
  return record;
}

WalletDocument UploadService::new_document(std::int64_t user_id, const storage::BlobRef& blob,
                                           std::string_view filename) {
  WalletDocument document;
  document.public_id = random_.token(16);
  document.user_id = user_id;
  document.sha256 = blob.sha256;
  document.media_type = blob.media_type;
  document.size_bytes = blob.size_bytes;
  document.filename = std::string(filename.substr(0, 255));
  document.created_at = clock_.now_seconds();
  return document;
}

Result<UploadRecord> UploadService::find(std::int64_t user_id, std::string_view public_id) {
  PRATU_TRY(found, db_.read_value<std::optional<UploadRecord>>([&](storage::Connection& c) {
    return upload_repository::find_upload(c, public_id);
  }));
  // Somebody else's upload, or one past its expiry, does not exist.
  if (!found || found->user_id != user_id || found->expires_at <= clock_.now_seconds()) {
    return no_such_upload();
  }
  return std::move(*found);
}

Result<std::int64_t> UploadService::stored_bytes(const UploadRecord& upload) const {
  if (!upload.sha256.empty()) return upload.length;
  // The partial file is the truth: a PATCH cut off midway kept what it wrote.
  std::error_code ec;
  const auto size = std::filesystem::file_size(blobs_.uploads_dir() / upload.writer_id, ec);
  if (ec == std::errc::no_such_file_or_directory) {
    return Error::not_found("upload " + upload.public_id + ": partial file gone");
  }
  if (ec) return Error::internal("upload " + upload.public_id + ": partial file unreadable");
  return static_cast<std::int64_t>(size);
}

Result<UploadState> UploadService::current(std::int64_t user_id, std::string_view public_id) {
  PRATU_TRY(upload, find(user_id, public_id));
  auto offset = stored_bytes(upload);
  if (!offset && offset.error().code == ErrorCode::not_found) return settled(user_id, public_id);
  if (!offset) return offset.error();
  return UploadState{std::move(upload), *offset, std::nullopt};
}

Result<UploadState> UploadService::settled(std::int64_t user_id, std::string_view public_id) {
  PRATU_TRY(upload, find(user_id, public_id));
  // Gone and not finished: removed (refused, terminated, swept), or still being finished.
  if (upload.sha256.empty()) return no_such_upload();
  const std::int64_t length = upload.length;
  return UploadState{std::move(upload), length, std::nullopt};
}

Result<UploadState> UploadService::status(std::int64_t user_id, std::string_view public_id) {
  return current(user_id, public_id);
}

Result<web::PartialUpload> UploadService::append_target(std::int64_t user_id,
                                                        std::string_view public_id,
                                                        std::int64_t offset) {
  PRATU_TRY(state, current(user_id, public_id));
  if (!state.record.sha256.empty() || offset != state.offset) {
    return refused(ErrorCode::conflict, "applications.uploads.offset_mismatch", "Upload-Offset");
  }
  return web::PartialUpload{state.record.writer_id, state.offset, state.record.length};
}

Result<UploadState> UploadService::appended(std::int64_t user_id, std::string_view public_id) {
  PRATU_TRY(state, current(user_id, public_id));
  // Finished already, by this request's predecessor or one running beside it.
  if (!state.record.sha256.empty()) return state;
  if (state.offset == state.record.length) return complete(std::move(state.record));
  PRATU_CHECK(db_.write([&](storage::Connection& c) {
    return upload_repository::record_offset(c, state.record.id, state.offset);
  }));
  return state;
}

Result<std::optional<std::string>> UploadService::refusal(const UploadRecord& upload,
                                                          std::string& media_type) {
  const auto path = blobs_.uploads_dir() / upload.writer_id;
  std::array<char, tus::kSniffBytes> head{};
  std::ifstream file(path, std::ios::binary);
  file.read(head.data(), head.size());
  const auto kind =
      tus::sniff(std::string_view(head.data(), static_cast<std::size_t>(file.gcount())));
  if (!kind) return std::optional<std::string>("applications.uploads.unsupported_type");
  media_type = std::string(tus::media_type(*kind));
  const std::int64_t limit =
      (*kind == tus::Kind::pdf ? settings_.upload_pdf_max_mib : settings_.upload_image_max_mib) *
      kMiB;
  if (upload.length > limit) {
    return std::optional<std::string>(*kind == tus::Kind::pdf
                                          ? "applications.uploads.pdf_too_large"
                                          : "applications.uploads.image_too_large");
  }
  if (*kind != tus::Kind::pdf) return std::optional<std::string>{};
  PRATU_TRY(verdict, check_pdf(settings_.qpdf, path.string()));
  switch (verdict) {
    case PdfVerdict::sound: return std::optional<std::string>{};
    case PdfVerdict::malformed:
      return std::optional<std::string>("applications.uploads.pdf_malformed");
    case PdfVerdict::encrypted:
      return std::optional<std::string>("applications.uploads.pdf_encrypted");
  }
  return std::optional<std::string>{};
}

void UploadService::discard(const UploadRecord& upload) {
  if (upload.sha256.empty()) {
    if (auto writer = storage::BlobWriter::resume(blobs_, upload.writer_id, upload.length)) {
      writer->abandon();
    } else if (writer.error().code != ErrorCode::not_found) {
      log::warn("partial upload not removed", {}, {{"upload", upload.public_id}});
    }
  }
}

Result<UploadState> UploadService::complete(UploadRecord upload) {
  // The writer's lock first: while this request holds it, no other can finish, refuse or move
  // the file it checks.
  auto writer = storage::BlobWriter::resume(blobs_, upload.writer_id, upload.length);
  if (!writer && writer.error().code == ErrorCode::not_found) {
    return settled(upload.user_id, upload.public_id);
  }
  if (!writer && writer.error().code == ErrorCode::conflict) {
    return refused(ErrorCode::conflict, "applications.uploads.busy", "another writer");
  }
  if (!writer) return writer.error();
  std::string media_type;
  PRATU_TRY(reason, refusal(upload, media_type));
  if (reason) {
    writer->abandon();
    PRATU_CHECK(db_.write(
        [&](storage::Connection& c) { return upload_repository::delete_upload(c, upload.id); }));
    return refused(ErrorCode::invalid_input, *reason, "content refused");
  }
  // Published, not yet moved: until the row below is committed the partial upload stays and
  // stays locked, so a request beside this one finds it whole and busy, never gone.
  PRATU_TRY(blob, writer->publish(media_type));
  WalletDocument document = new_document(upload.user_id, blob, upload.filename);
  auto recorded = db_.write_value<bool>([&](storage::Connection& c) -> Result<bool> {
    PRATU_CHECK(upload_repository::insert_blob(c, blob.sha256, blob.size_bytes, media_type,
                                               document.created_at));
    PRATU_TRY(marked, upload_repository::mark_finished(c, upload.id, blob.sha256));
    if (marked) {
      PRATU_CHECK(upload_repository::insert_document(c, document));
    }
    return marked;
  });
  if (!recorded) return recorded.error();
  writer->release();
  // Terminated meanwhile, or finished by another request: one document at most.
  if (!*recorded) return settled(upload.user_id, upload.public_id);
  upload.sha256 = blob.sha256;
  const std::int64_t length = upload.length;
  return UploadState{std::move(upload), length, std::move(document)};
}

Result<void> UploadService::terminate(std::int64_t user_id, std::string_view public_id) {
  PRATU_TRY(upload, find(user_id, public_id));
  discard(upload);
  return db_.write(
      [&](storage::Connection& c) { return upload_repository::delete_upload(c, upload.id); });
}

Result<std::int64_t> UploadService::sweep_expired() {
  const std::int64_t now = clock_.now_seconds();
  PRATU_TRY(stale, db_.read_value<std::vector<UploadRecord>>([&](storage::Connection& c) {
    return upload_repository::expired(c, now, kSweepBatch);
  }));
  for (const auto& upload : stale) {
    discard(upload);
    PRATU_CHECK(db_.write(
        [&](storage::Connection& c) { return upload_repository::delete_upload(c, upload.id); }));
  }
  return static_cast<std::int64_t>(stale.size());
}

Result<WalletDocument> UploadService::store(std::int64_t user_id, std::string_view filename,
                                            std::string_view bytes) {
  const auto length = static_cast<std::int64_t>(bytes.size());
  if (length == 0) {
    return refused(ErrorCode::invalid_input, "applications.uploads.empty", "empty file");
  }
  if (length > max_size()) {
    return refused(ErrorCode::too_large, "applications.uploads.too_large", "file");
  }
  PRATU_TRY(writer, storage::BlobWriter::create(blobs_, length));
  if (auto appended = writer.append(bytes); !appended) {
    writer.abandon();
    return appended.error();
  }
  UploadRecord upload;
  upload.writer_id = writer.id();
  upload.length = length;
  std::string media_type;
  auto reason = refusal(upload, media_type);
  if (!reason || *reason) {
    writer.abandon();
    if (!reason) return reason.error();
    return refused(ErrorCode::invalid_input, **reason, "content refused");
  }
  PRATU_TRY(blob, writer.finish(media_type));
  PRATU_TRY(held, document_with_blob(user_id, blob.sha256));
  if (held) return std::move(*held);
  WalletDocument document = new_document(user_id, blob, filename);
  auto recorded = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(upload_repository::insert_blob(c, blob.sha256, blob.size_bytes, media_type,
                                               document.created_at));
    return upload_repository::insert_document(c, document);
  });
  if (!recorded) return recorded.error();
  return document;
}

Result<WalletDocument> UploadService::document(std::int64_t user_id, std::string_view public_id) {
  PRATU_TRY(found, db_.read_value<std::optional<WalletDocument>>([&](storage::Connection& c) {
    return upload_repository::find_document(c, user_id, public_id);
  }));
  if (!found) {
    return Error{
        ErrorCode::not_found, "applications.uploads.document_not_found", "document", {}, 0};
  }
  return std::move(*found);
}

Result<void> UploadService::remove_document(std::int64_t user_id, std::string_view public_id) {
  PRATU_TRY(removed, db_.write_value<std::int64_t>([&](storage::Connection& c) {
    return upload_repository::delete_document(c, user_id, public_id);
  }));
  if (removed == 0) {
    return Error{
        ErrorCode::not_found, "applications.uploads.document_not_found", "document", {}, 0};
  }
  return ok();
}

Result<std::string> UploadService::content_file(std::string_view sha256) const {
  if (!blobs_.exists(sha256)) {
    return Error::internal("blob of a document missing: " + std::string(sha256));
  }
  return blobs_.path_of(sha256).string();
}

Result<std::optional<WalletDocument>> UploadService::document_with_blob(std::int64_t user_id,
                                                                        std::string_view sha256) {
  return db_.read_value<std::optional<WalletDocument>>([&](storage::Connection& c) {
    return upload_repository::document_with_blob(c, user_id, sha256);
  });
}

boost::json::object document_answer(const WalletDocument& d, std::string_view source) {
  return {{"blob", d.sha256},      {"name", d.filename},      {"media_type", d.media_type},
          {"bytes", d.size_bytes}, {"document", d.public_id}, {"source", source}};
}

Result<std::vector<WalletDocument>> UploadService::wallet(std::int64_t user_id) {
  return db_.read_value<std::vector<WalletDocument>>([&](storage::Connection& c) {
    return upload_repository::documents_of(c, user_id, kWalletLimit);
  });
}

}  // namespace pratu::applications
