#include "domains/applications/message_service.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "common/unicode_text.hpp"
#include "platform/notices.hpp"
#include "web/access.hpp"

namespace pratu::applications {
namespace {

namespace json = boost::json;

Error field_error(std::string field, std::string key) {
  key = "applications.errors." + key;
  return Error{ErrorCode::invalid_input, key, "", {{std::move(field), key}}, 0};
}

// Whether `who` writes and reads as the agency (else as the applicant) on `a`.
bool as_agency(const web::Principal& who, const Application& a) {
  return web::is_agency_role(who.role) && who.agency_code == a.agency;
}

Message read_message(const storage::Row& row) {
  Message m;
  m.id = row.int64(0);
  m.at = row.int64(1);
  m.author_user_id = row.int64(2);
  m.from_agency = row.int64(3) != 0;
  m.body = row.text(4);
  m.file_sha256 = row.text(5);
  m.file_name = row.text(6);
  m.file_media_type = row.text(7);
  m.file_size = row.int64(8);
  return m;
}

constexpr std::string_view kColumns =
    "id, at, author_user_id, from_agency, body, file_sha256, file_name, file_media_type, "
    "file_size";

}  // namespace

MessageService::MessageService(storage::Database& db, const Clock& clock,
                               WorkflowService& workflows, UploadService& uploads)
    : db_(db), clock_(clock), workflows_(workflows), uploads_(uploads) {}

Result<std::vector<Message>> MessageService::thread(const web::Principal& who, const Application& a,
                                                    bool mark_read) {
  const std::string column = as_agency(who, a) ? "agency_read_upto" : "applicant_read_upto";
  std::int64_t read_upto = 0;
  PRATU_TRY(rows, db_.read_value<std::vector<storage::Row>>(
                      [&](storage::Connection& c) -> Result<std::vector<storage::Row>> {
                        PRATU_TRY(mark, c.query_one(
                                            "SELECT " + column + " FROM applications WHERE id = $1",
                                            {a.id}));
                        read_upto = mark ? mark->int64(0) : 0;
                        return c.query("SELECT " + std::string(kColumns) +
                                           " FROM application_messages WHERE application_id = "
                                           "$1 ORDER BY at, id",
                                       {a.id});
                      }));
  std::vector<Message> out;
  out.reserve(rows.size());
  std::int64_t last = 0;
  for (const auto& row : rows) {
    out.push_back(read_message(row));
    last = std::max(last, out.back().id);
  }
  // Read up to the last message shown (ids only grow; seconds could tie). A page shown again
  // with nothing new writes nothing.
  if (mark_read && last > read_upto) {
    auto marked = db_.write([&](storage::Connection& c) -> Result<void> {
      PRATU_CHECK(c.execute("UPDATE applications SET " + column + " = $1 WHERE id = $2 AND (" +
                                column + " IS NULL OR " + column + " < $1)",
                            {last, a.id}));
      return ok();
    });
    if (!marked) return marked.error();
  }
  return out;
}

Result<std::int64_t> MessageService::unread(const web::Principal& who, const Application& a) {
  const bool agency = as_agency(who, a);
  const std::string column = agency ? "agency_read_upto" : "applicant_read_upto";
  return db_.read_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM application_messages m JOIN applications a "
                               "ON a.id = m.application_id WHERE m.application_id = $1 AND "
                               "m.from_agency = $2 AND m.id > COALESCE(a." +
                                   column + ", 0)",
                               {a.id, std::int64_t{agency ? 0 : 1}}));
    return row ? row->int64(0) : 0;
  });
}

Result<std::map<std::int64_t, std::int64_t>> MessageService::unread_by_application(
    std::int64_t user_id) {
  using Counts = std::map<std::int64_t, std::int64_t>;
  return db_.read_value<Counts>([&](storage::Connection& c) -> Result<Counts> {
    PRATU_TRY(rows, c.query("SELECT m.application_id, COUNT(*) FROM application_messages m "
                            "JOIN applications a ON a.id = m.application_id WHERE a.user_id = $1 "
                            "AND m.from_agency = 1 AND m.id > COALESCE(a.applicant_read_upto, 0) "
                            "GROUP BY m.application_id",
                            {user_id}));
    Counts out;
    for (const auto& row : rows) out[row.int64(0)] = row.int64(1);
    return out;
  });
}

Result<Message> MessageService::post(const web::Principal& who, std::string_view public_id,
                                     std::string_view body, std::string_view document) {
  PRATU_TRY(a, workflows_.find_for(who, public_id));
  Message m;
  m.from_agency = as_agency(who, a);
  m.author_user_id = who.user_id;
  auto clean = nfc_trimmed(body);
  if (!clean) return field_error("message", "message_unreadable");
  if (clean->empty()) return field_error("message", "message_required");
  if (code_point_count(*clean) > kMaxMessageCharacters) {
    return field_error("message", "message_too_long");
  }
  m.body = std::move(*clean);
  if (!document.empty()) {
    // Only the applicant's own wallet: an officer has none, and nobody attaches another's.
    if (m.from_agency) return field_error("document", "message_document_unknown");
    auto held = uploads_.document(who.user_id, document);
    if (!held) {
      if (held.error().code != ErrorCode::not_found) return held.error();
      return field_error("document", "message_document_unknown");
    }
    m.file_sha256 = held->sha256;
    m.file_name = held->filename;
    m.file_media_type = held->media_type;
    m.file_size = held->size_bytes;
  }
  m.at = clock_.now_seconds();
  auto nullable = [](const std::string& text) {
    return text.empty() ? storage::Value{nullptr} : storage::Value{text};
  };
  PRATU_TRY(id, db_.write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row,
              c.query_one(
                  "INSERT INTO application_messages (application_id, at, author_user_id, "
                  "from_agency, body, file_sha256, file_name, file_media_type, file_size) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                  {a.id, m.at, m.author_user_id, std::int64_t{m.from_agency ? 1 : 0}, m.body,
                   nullable(m.file_sha256), nullable(m.file_name), nullable(m.file_media_type),
                   m.file_sha256.empty() ? storage::Value{nullptr} : storage::Value{m.file_size}}));
    // Writing is reading: one's own side has seen the thread up to here.
    const std::string column = m.from_agency ? "agency_read_upto" : "applicant_read_upto";
    PRATU_CHECK(c.execute("UPDATE applications SET " + column + " = $1 WHERE id = $2",
                          {row->int64(0), a.id}));
    // The other side is told there is a message (never what it says: that is in the portal):
    // the applicant in the portal and by e-mail; the officer who has the application in the
    // portal (an unassigned one shows its unread messages in the queue).
    if (m.from_agency) {
      json::object payload{{"user_id", a.user_id},
                           {"application", a.public_id},
                           {"service", a.service},
                           {"from_agency", true}};
      PRATU_CHECK(
          platform::notify(c, "applications.message", payload, m.at, platform::kEveryChannel));
    } else if (a.assigned_to != 0) {
      json::object payload{{"user_id", a.assigned_to},
                           {"application", a.public_id},
                           {"reference", a.reference},
                           {"service", a.service},
                           {"from_agency", false}};
      PRATU_CHECK(
          platform::notify(c, "applications.message", payload, m.at, platform::kPortalOnly));
    }
    return row->int64(0);
  }));
  m.id = id;
  return m;
}

Result<Message> MessageService::attached(const Application& a, std::int64_t message_id) {
  PRATU_TRY(row, db_.read_value<std::optional<storage::Row>>([&](storage::Connection& c) {
    return c.query_one("SELECT " + std::string(kColumns) +
                           " FROM application_messages WHERE application_id = $1 AND id = $2",
                       {a.id, message_id});
  }));
  if (!row || row->is_null(5)) {
    return Error{ErrorCode::not_found, "applications.errors.document_missing", "message", {}, 0};
  }
  return read_message(*row);
}

}  // namespace pratu::applications
