#include "domains/documents/document_repository.hpp"

namespace pratu::documents {

std::string_view status_key(DocumentStatus status) {
  switch (status) {
    case DocumentStatus::issuing: return "issuing";
    case DocumentStatus::valid: return "valid";
    case DocumentStatus::suspended: return "suspended";
    case DocumentStatus::revoked: return "revoked";
    case DocumentStatus::cancelled: return "cancelled";
  }
  return "issuing";
}

std::optional<DocumentStatus> status_of(std::string_view key) {
  for (auto s : {DocumentStatus::issuing, DocumentStatus::valid, DocumentStatus::suspended,
                 DocumentStatus::revoked, DocumentStatus::cancelled}) {
    if (status_key(s) == key) return s;
  }
  return std::nullopt;
}

}  // namespace pratu::documents

namespace pratu::documents::repository {

namespace {

constexpr std::string_view kColumns =
    "id, number, code, application_id, service, agency, holder_user_id, holder_name, kind, "
    "title_th, title_en, issued_at, valid_from, valid_until, status, status_since, "
    "status_reason, sha256, size_bytes, signer_serial, delivery, postal_address, tracking_number, "
    "delivered_at, replaces";

IssuedDocument from_row(const storage::Row& r) {
  IssuedDocument d;
  d.id = r.int64(0);
  d.number = r.text(1);
  d.code = r.text(2);
  d.application_id = r.int64(3);
  d.service = r.text(4);
  d.agency = r.text(5);
  d.holder_user_id = r.int64(6);
  d.holder_name = r.text(7);
  d.kind = r.text(8);
  d.title_th = r.text(9);
  d.title_en = r.text(10);
  d.issued_at = r.int64(11);
  d.valid_from = r.text(12);
  d.valid_until = r.text(13);
  d.status = status_of(r.text(14)).value_or(DocumentStatus::issuing);
  d.status_since = r.int64(15);
  d.status_reason = r.text(16);
  d.sha256 = r.text(17);
  d.size_bytes = r.int64(18);
  d.signer_serial = r.text(19);
  d.delivery = r.text(20);
  d.postal_address = r.text(21);
  d.tracking_number = r.text(22);
  d.delivered_at = r.int64(23);
  d.replaces = r.text(24);
  return d;
}

Result<std::optional<IssuedDocument>> one(storage::Connection& c, std::string_view where,
                                          storage::Value key) {
  PRATU_TRY(row, c.query_one("SELECT " + std::string(kColumns) + " FROM documents WHERE " +
                                 std::string(where) + " = $1",
                             {std::move(key)}));
  if (!row) return std::optional<IssuedDocument>();
  return std::optional<IssuedDocument>(from_row(*row));
}

storage::Value null_if_empty(const std::string& text) {
  if (text.empty()) return nullptr;
  return text;
}

}  // namespace

Result<std::int64_t> next_sequence(storage::Connection& c, std::string_view prefix, int year) {
  PRATU_TRY(row, c.query_one("INSERT INTO document_sequences (prefix, year, last) "
                             "VALUES ($1, $2, 1) ON CONFLICT (prefix, year) DO UPDATE SET "
                             "last = document_sequences.last + 1 RETURNING last",
                             {std::string(prefix), std::int64_t{year}}));
  if (!row) return Error::internal("document_sequences upsert returned no row");
  return row->int64(0);
}

Result<std::int64_t> insert(storage::Connection& c, const IssuedDocument& d) {
  PRATU_TRY(row,
            c.query_one("INSERT INTO documents (number, code, application_id, service, agency, "
                        "holder_user_id, holder_name, kind, title_th, title_en, issued_at, "
                        "valid_from, valid_until, status, status_since, postal_address, replaces) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                        "'issuing', $11, $14, $15) RETURNING id",
                        {d.number, d.code, d.application_id, d.service, d.agency, d.holder_user_id,
                         d.holder_name, d.kind, d.title_th, d.title_en, d.issued_at, d.valid_from,
                         null_if_empty(d.valid_until), null_if_empty(d.postal_address),
                         null_if_empty(d.replaces)}));
  if (!row) return Error::internal("documents insert returned no id");
  return row->int64(0);
}

Result<bool> mark_signed(storage::Connection& c, std::int64_t id, const std::string& sha256,
                         std::int64_t size_bytes, const std::string& signer_serial,
                         std::int64_t now) {
  PRATU_TRY(changed,
            c.execute("UPDATE documents SET sha256 = $1, size_bytes = $2, signer_serial = $3, "
                      "status = 'valid', status_since = $4 WHERE id = $5 AND status = 'issuing'",
                      {sha256, size_bytes, signer_serial, now, id}));
  return changed == 1;
}

Result<bool> change_status(storage::Connection& c, std::int64_t id, DocumentStatus from,
                           DocumentStatus to, std::int64_t now, const std::string& reason) {
  PRATU_TRY(changed, c.execute("UPDATE documents SET status = $1, status_since = $2, "
                               "status_reason = $3 WHERE id = $4 AND status = $5",
                               {std::string(status_key(to)), now, null_if_empty(reason), id,
                                std::string(status_key(from))}));
  return changed == 1;
}

Result<bool> choose_delivery(storage::Connection& c, std::int64_t id, const std::string& delivery) {
  PRATU_TRY(changed, c.execute("UPDATE documents SET delivery = $1 WHERE id = $2 AND "
                               "delivered_at IS NULL",
                               {delivery, id}));
  return changed == 1;
}

Result<bool> mark_delivered(storage::Connection& c, std::int64_t id, const std::string& delivery,
                            const std::string& tracking_number, std::int64_t now) {
  PRATU_TRY(changed, c.execute("UPDATE documents SET tracking_number = $1, delivered_at = $2 "
                               "WHERE id = $3 AND delivery = $4 AND delivered_at IS NULL",
                               {null_if_empty(tracking_number), now, id, delivery}));
  return changed == 1;
}

Result<std::optional<IssuedDocument>> by_application(storage::Connection& c,
                                                     std::int64_t application_id) {
  return one(c, "kind <> 'receipt' AND application_id", application_id);
}

Result<std::optional<IssuedDocument>> by_number(storage::Connection& c, std::string_view number) {
  return one(c, "number", std::string(number));
}

Result<std::string> replaced_by(storage::Connection& c, std::string_view number) {
  PRATU_TRY(row, c.query_one("SELECT number FROM documents WHERE replaces = $1 AND status <> "
                             "'issuing' ORDER BY id DESC LIMIT 1",
                             {std::string(number)}));
  return row ? row->text(0) : std::string();
}

Result<std::optional<IssuedDocument>> by_sha256(storage::Connection& c, std::string_view sha256) {
  return one(c, "sha256", std::string(sha256));
}

Result<std::vector<IssuedDocument>> of_holder(storage::Connection& c, std::int64_t user_id) {
  PRATU_TRY(rows, c.query("SELECT " + std::string(kColumns) +
                              " FROM documents WHERE holder_user_id = $1 "
                              "ORDER BY issued_at DESC, id DESC",
                          {user_id}));
  std::vector<IssuedDocument> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(from_row(row));
  return out;
}

Result<void> add_event(storage::Connection& c, std::int64_t document_id, const DocumentEvent& e) {
  PRATU_CHECK(c.execute(
      "INSERT INTO document_events (document_id, at, kind, actor_user_id, reason, detail) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {document_id, e.at, e.kind,
       e.actor_user_id > 0 ? storage::Value(e.actor_user_id) : storage::Value(nullptr),
       null_if_empty(e.reason), e.detail}));
  return ok();
}

Result<std::vector<DocumentEvent>> events(storage::Connection& c, std::int64_t document_id) {
  PRATU_TRY(rows, c.query("SELECT at, kind, actor_user_id, reason, detail FROM document_events "
                          "WHERE document_id = $1 ORDER BY at, id",
                          {document_id}));
  std::vector<DocumentEvent> out;
  for (const auto& r : rows) {
    out.push_back({r.int64(0), r.text(1), r.int64(2), r.text(3), r.text(4)});
  }
  return out;
}

}  // namespace pratu::documents::repository
