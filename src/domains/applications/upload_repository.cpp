#include "domains/applications/upload_repository.hpp"

namespace pratu::applications::upload_repository {

namespace {

constexpr std::string_view kColumns =
    "id, public_id, user_id, length, upload_offset, writer_id, filename, filetype, created_at, "
    "expires_at, COALESCE(sha256, '')";

constexpr std::string_view kDocumentColumns =
    "public_id, user_id, sha256, media_type, size_bytes, filename, created_at";

WalletDocument read_document(const storage::Row& row) {
  return WalletDocument{row.text(0),  row.int64(1), row.text(2), row.text(3),
                        row.int64(4), row.text(5),  row.int64(6)};
}

UploadRecord read_upload(const storage::Row& row) {
  return UploadRecord{row.int64(0), row.text(1),  row.int64(2), row.int64(3),
                      row.int64(4), row.text(5),  row.text(6),  row.text(7),
                      row.int64(8), row.int64(9), row.text(10)};
}

}  // namespace

Result<void> insert_upload(storage::Connection& c, const UploadRecord& u) {
  PRATU_CHECK(c.execute(
      "INSERT INTO uploads (public_id, user_id, length, upload_offset, writer_id, filename, "
      "filetype, created_at, expires_at) VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8)",
      {u.public_id, u.user_id, u.length, u.writer_id, u.filename, u.filetype, u.created_at,
       u.expires_at}));
  return ok();
}

Result<std::optional<UploadRecord>> find_upload(storage::Connection& c,
                                                std::string_view public_id) {
  PRATU_TRY(row,
            c.query_one("SELECT " + std::string(kColumns) + " FROM uploads WHERE public_id = $1",
                        {std::string(public_id)}));
  if (!row) return std::optional<UploadRecord>{};
  return std::optional<UploadRecord>(read_upload(*row));
}

Result<OpenUploads> open_uploads(storage::Connection& c, std::int64_t user_id, std::int64_t now) {
  PRATU_TRY(row, c.query_one("SELECT COUNT(*), COALESCE(SUM(length), 0) FROM uploads "
                             "WHERE user_id = $1 AND sha256 IS NULL AND expires_at > $2",
                             {user_id, now}));
  if (!row) return OpenUploads{};
  return OpenUploads{row->int64(0), row->int64(1)};
}

Result<void> record_offset(storage::Connection& c, std::int64_t id, std::int64_t offset) {
  PRATU_CHECK(c.execute("UPDATE uploads SET upload_offset = $1 WHERE id = $2", {offset, id}));
  return ok();
}

Result<bool> mark_finished(storage::Connection& c, std::int64_t id, std::string_view sha256) {
  PRATU_TRY(changed, c.execute("UPDATE uploads SET upload_offset = length, sha256 = $1 "
                               "WHERE id = $2 AND sha256 IS NULL",
                               {std::string(sha256), id}));
  return changed == 1;
}

Result<void> delete_upload(storage::Connection& c, std::int64_t id) {
  PRATU_CHECK(c.execute("DELETE FROM uploads WHERE id = $1", {id}));
  return ok();
}

Result<std::vector<UploadRecord>> expired(storage::Connection& c, std::int64_t now, int limit) {
  PRATU_TRY(rows, c.query("SELECT " + std::string(kColumns) +
                              " FROM uploads WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2",
                          {now, std::int64_t{limit}}));
  std::vector<UploadRecord> out;
  for (const auto& row : rows) out.push_back(read_upload(row));
  return out;
}

Result<void> insert_blob(storage::Connection& c, std::string_view sha256, std::int64_t size,
                         std::string_view media_type, std::int64_t now) {
  PRATU_CHECK(
      c.execute("INSERT INTO blobs (sha256, size_bytes, media_type, created_at) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
                {std::string(sha256), size, std::string(media_type), now}));
  return ok();
}

Result<void> insert_document(storage::Connection& c, const WalletDocument& d) {
  PRATU_CHECK(c.execute(
      "INSERT INTO wallet_documents (public_id, user_id, sha256, media_type, size_bytes, "
      "filename, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {d.public_id, d.user_id, d.sha256, d.media_type, d.size_bytes, d.filename, d.created_at}));
  return ok();
}

Result<std::vector<WalletDocument>> documents_of(storage::Connection& c, std::int64_t user_id,
                                                 int limit) {
  PRATU_TRY(rows, c.query("SELECT " + std::string(kDocumentColumns) +
                              " FROM wallet_documents WHERE user_id = $1 "
                              "ORDER BY created_at DESC, id DESC LIMIT $2",
                          {user_id, std::int64_t{limit}}));
  std::vector<WalletDocument> out;
  for (const auto& row : rows) out.push_back(read_document(row));
  return out;
}

Result<std::optional<WalletDocument>> find_document(storage::Connection& c, std::int64_t user_id,
                                                    std::string_view public_id) {
  PRATU_TRY(row, c.query_one("SELECT " + std::string(kDocumentColumns) +
                                 " FROM wallet_documents WHERE public_id = $1 AND user_id = $2",
                             {std::string(public_id), user_id}));
  if (!row) return std::optional<WalletDocument>{};
  return std::optional<WalletDocument>(read_document(*row));
}

Result<std::int64_t> delete_document(storage::Connection& c, std::int64_t user_id,
                                     std::string_view public_id) {
  return c.execute("DELETE FROM wallet_documents WHERE public_id = $1 AND user_id = $2",
                   {std::string(public_id), user_id});
}

Result<std::optional<WalletDocument>> document_with_blob(storage::Connection& c,
                                                         std::int64_t user_id,
                                                         std::string_view sha256) {
  PRATU_TRY(row, c.query_one("SELECT " + std::string(kDocumentColumns) +
                                 " FROM wallet_documents WHERE user_id = $1 AND sha256 = $2 "
                                 "ORDER BY created_at DESC, id DESC LIMIT 1",
                             {user_id, std::string(sha256)}));
  if (!row) return std::optional<WalletDocument>{};
  return std::optional<WalletDocument>(read_document(*row));
}

}  // namespace pratu::applications::upload_repository
