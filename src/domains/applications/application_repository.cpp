#include "domains/applications/application_repository.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace pratu::applications::repository {

namespace json = boost::json;

namespace {

constexpr std::string_view kColumns =
    "id, public_id, user_id, service, agency, form_version, status, answers, revision, "
    "created_at, updated_at, submitted_at, submission_key, reference, due_date, "
    "due_date_provisional, workflow_version, state, state_since, assigned_to, assigned_at, "
    "renews";

Result<Application> read_application(const storage::Row& row) {
  Application a;
  a.id = row.int64(0);
  a.public_id = row.text(1);
  a.user_id = row.int64(2);
  a.service = row.text(3);
  a.agency = row.text(4);
  a.form_version = row.text(5);
  auto status = status_of(row.text(6));
  if (!status) return Error::internal("applications: unknown status in row " + a.public_id);
  a.status = *status;
  boost::system::error_code ec;
  auto answers = json::parse(row.text(7), ec);
  if (ec || !answers.is_object()) {
    return Error::internal("applications: unreadable answers in row " + a.public_id);
  }
  a.answers = std::move(answers.as_object());
  a.revision = row.int64(8);
  a.created_at = row.int64(9);
  a.updated_at = row.int64(10);
  a.submitted_at = row.int64(11);
  a.submission_key = row.text(12);
  a.reference = row.text(13);
  a.due_date = row.text(14);
  a.due_date_provisional = row.int64(15) != 0;
  a.workflow_version = row.text(16);
  a.state = row.text(17);
  a.state_since = row.int64(18);
  a.assigned_to = row.int64(19);
  a.assigned_at = row.int64(20);
  a.renews = row.text(21);
  return a;
}

Result<std::vector<Application>> read_all(const std::vector<storage::Row>& rows) {
  std::vector<Application> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    PRATU_TRY(application, read_application(row));
    out.push_back(std::move(application));
  }
  return out;
}

std::string select_where(std::string_view condition) {
  return "SELECT " + std::string(kColumns) + " FROM applications WHERE " + std::string(condition);
}

// kColumns with an empty object for the answers.
constexpr std::string_view kColumnsWithoutAnswers =
    "id, public_id, user_id, service, agency, form_version, status, '{}', revision, "
    "created_at, updated_at, submitted_at, submission_key, reference, due_date, "
    "due_date_provisional, workflow_version, state, state_since, assigned_to, assigned_at, "
    "renews";

}  // namespace

Result<std::int64_t> insert_application(storage::Connection& c, const Application& a) {
  PRATU_TRY(row,
            c.query_one("INSERT INTO applications (public_id, user_id, service, agency, "
                        "form_version, status, answers, revision, created_at, updated_at, "
                        "renews) VALUES ($1, $2, $3, $4, $5, 'draft', $6, 0, $7, $7, $8) "
                        "RETURNING id",
                        {a.public_id, a.user_id, a.service, a.agency, a.form_version,
                         json::serialize(a.answers), a.created_at,
                         a.renews.empty() ? storage::Value(nullptr) : storage::Value(a.renews)}));
  if (!row) return Error::internal("applications insert returned no row");
  return row->int64(0);
}

Result<std::optional<Application>> find_application(storage::Connection& c,
                                                    std::string_view public_id, bool for_update) {
  std::string sql = select_where("public_id = $1");
  if (for_update && c.dialect() == storage::Dialect::postgres) sql += " FOR UPDATE";
  PRATU_TRY(row, c.query_one(sql, {std::string(public_id)}));
  if (!row) return std::optional<Application>{};
  PRATU_TRY(application, read_application(*row));
  return std::optional<Application>(std::move(application));
}

Result<std::optional<Application>> find_application_to_step(storage::Connection& c,
                                                            std::string_view public_id) {
  std::string sql =
      "SELECT " + std::string(kColumnsWithoutAnswers) + " FROM applications WHERE public_id = $1";
  if (c.dialect() == storage::Dialect::postgres) sql += " FOR UPDATE";
  PRATU_TRY(row, c.query_one(sql, {std::string(public_id)}));
  if (!row) return std::optional<Application>{};
  PRATU_TRY(application, read_application(*row));
  return std::optional<Application>(std::move(application));
}

Result<std::optional<Application>> find_draft(storage::Connection& c, std::int64_t user_id,
                                              std::string_view service) {
  PRATU_TRY(row, c.query_one(select_where("user_id = $1 AND service = $2 AND status = 'draft' "
                                          "ORDER BY updated_at DESC, id DESC LIMIT 1"),
                             {user_id, std::string(service)}));
  if (!row) return std::optional<Application>{};
  PRATU_TRY(application, read_application(*row));
  return std::optional<Application>(std::move(application));
}

Result<std::vector<Application>> applications_of(storage::Connection& c, std::int64_t user_id,
                                                 std::optional<Status> status, int limit) {
  if (status) {
    PRATU_TRY(rows, c.query(select_where("user_id = $1 AND status = $2 "
                                         "ORDER BY updated_at DESC, id DESC LIMIT $3"),
                            {user_id, std::string(status_key(*status)), std::int64_t{limit}}));
    return read_all(rows);
  }
  PRATU_TRY(rows, c.query(select_where("user_id = $1 ORDER BY updated_at DESC, id DESC LIMIT $2"),
                          {user_id, std::int64_t{limit}}));
  return read_all(rows);
}

Result<std::vector<SubmittedRef>> submitted_of(storage::Connection& c, std::int64_t user_id,
                                               int limit) {
  PRATU_TRY(rows, c.query("SELECT id, service FROM applications WHERE user_id = $1 AND "
                          "status = 'submitted' ORDER BY updated_at DESC, id DESC LIMIT $2",
                          {user_id, std::int64_t{limit}}));
  std::vector<SubmittedRef> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back({row.int64(0), row.text(1)});
  return out;
}

Result<json::object> answers_of(storage::Connection& c, std::int64_t id) {
  PRATU_TRY(row, c.query_one("SELECT answers FROM applications WHERE id = $1", {id}));
  if (!row) return Error::not_found("application " + std::to_string(id));
  boost::system::error_code ec;
  auto answers = json::parse(row->text(0), ec);
  if (ec || !answers.is_object()) {
    return Error::internal("applications: unreadable answers in row " + std::to_string(id));
  }
  return std::move(answers.as_object());
}

Result<std::unordered_map<std::int64_t, std::string>> answer_texts_of(
    storage::Connection& c, std::span<const std::int64_t> ids) {
  std::unordered_map<std::int64_t, std::string> out;
  if (ids.empty()) return out;
  std::string sql = "SELECT id, answers FROM applications WHERE id IN (";
  std::vector<storage::Value> params;
  params.reserve(ids.size());
  for (std::int64_t id : ids) {
    sql += (params.empty() ? "$" : ", $") + std::to_string(params.size() + 1);
    params.emplace_back(id);
  }
  sql += ")";
  PRATU_TRY(rows, c.query(sql, params));
  for (const auto& row : rows) out.emplace(row.int64(0), row.text(1));
  return out;
}

Result<std::int64_t> update_answers(storage::Connection& c, std::int64_t id,
                                    const json::object& answers, std::int64_t revision,
                                    std::int64_t now) {
  return c.execute(
      "UPDATE applications SET answers = $1, revision = revision + 1, updated_at = $2, "
      "expiry_warned_at = NULL WHERE id = $3 AND status = 'draft' AND revision = $4",
      {json::serialize(answers), now, id, revision});
}

Result<std::int64_t> next_sequence(storage::Connection& c, std::string_view agency, int year) {
  PRATU_TRY(row, c.query_one("INSERT INTO application_sequences (agency, year, last) "
                             "VALUES ($1, $2, 1) ON CONFLICT (agency, year) DO UPDATE SET "
                             "last = application_sequences.last + 1 RETURNING last",
                             {std::string(agency), std::int64_t{year}}));
  if (!row) return Error::internal("application_sequences upsert returned no row");
  return row->int64(0);
}

Result<std::int64_t> mark_submitted(storage::Connection& c, const Application& a) {
  return c.execute(
      "UPDATE applications SET status = 'submitted', answers = $1, form_version = $2, "
      "revision = revision + 1, updated_at = $3, submitted_at = $3, submission_key = $4, "
      "reference = $5, due_date = $6, due_date_provisional = $7, expiry_warned_at = NULL, "
      "workflow_version = $8, state = $9, state_since = $3 "
      "WHERE id = $10 AND status = 'draft'",
      {json::serialize(a.answers), a.form_version, a.submitted_at, a.submission_key, a.reference,
       a.due_date, std::int64_t{a.due_date_provisional ? 1 : 0}, a.workflow_version, a.state,
       a.id});
}

Result<void> add_event(storage::Connection& c, std::int64_t application_id, std::int64_t at,
                       std::string_view kind) {
  PRATU_CHECK(
      c.execute("INSERT INTO application_events (application_id, at, kind) "
                "VALUES ($1, $2, $3)",
                {application_id, at, std::string(kind)}));
  return ok();
}

Result<std::vector<TimelineEvent>> events(storage::Connection& c, std::int64_t application_id) {
  PRATU_TRY(rows, c.query("SELECT at, kind, transition, from_state, to_state, actor_role, "
                          "actor_user_id, reason, detail FROM application_events "
                          "WHERE application_id = $1 ORDER BY at, id",
                          {application_id}));
  std::vector<TimelineEvent> out;
  for (const auto& row : rows) {
    TimelineEvent e;
    e.at = row.int64(0);
    e.kind = row.text(1);
    e.transition = row.text(2);
    e.from_state = row.text(3);
    e.to_state = row.text(4);
    e.actor_role = row.text(5);
    e.actor_user_id = row.int64(6);
    e.reason = row.text(7);
    if (!row.is_null(8)) {
      boost::system::error_code ec;
      auto detail = json::parse(row.text(8), ec);
      if (!ec && detail.is_object()) e.detail = std::move(detail.as_object());
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<QueueRow>> queue(storage::Connection& c, const QueueFilter& f) {
  // The page's ids first, from the applications alone (an index-only scan of
  // applications_queue, in its order); then the names for those rows only (bench/queue.sh).
  std::vector<storage::Value> params{f.agency};
  auto param = [&](storage::Value value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  std::string page =
      "SELECT a.id FROM applications a WHERE a.agency = $1 AND a.status = 'submitted'";
  if (!f.service.empty()) page += " AND a.service = " + param(f.service);
  if (!f.state.empty()) page += " AND a.state = " + param(f.state);
  if (!f.only_states.empty()) {
    page += " AND a.state IN (";
    for (std::size_t i = 0; i < f.only_states.size(); ++i) {
      page += (i == 0 ? "" : ", ") + param(f.only_states[i]);
    }
    page += ")";
  }
  if (!f.reference.empty()) page += " AND a.reference = " + param(f.reference);
  if (f.assigned_to) {
    page += *f.assigned_to == 0 ? std::string(" AND a.assigned_to IS NULL")
                                : " AND a.assigned_to = " + param(*f.assigned_to);
  }
  if (!f.name.empty()) {
    // A prefix, its LIKE wildcards taken literally; the applicants it finds, as a set.
    std::string prefix;
    for (char ch : f.name) {
      if (ch == '%' || ch == '_' || ch == '\\') prefix.push_back('\\');
      prefix.push_back(ch);
    }
    const std::string like = param(prefix + "%");
    page += " AND a.user_id IN (SELECT id FROM users WHERE given_name LIKE " + like +
            " ESCAPE '\\' OR family_name LIKE " + like + " ESCAPE '\\')";
  }
  const std::string order = " ORDER BY a.due_date IS NULL, a.due_date, a.submitted_at, a.id";
  page += order + " LIMIT " + std::to_string(f.limit) + " OFFSET " + std::to_string(f.offset);
  const std::string sql =
      "SELECT a.public_id, a.reference, a.service, a.state, a.due_date, a.submitted_at, "
      "a.state_since, u.given_name, u.family_name, a.assigned_to, o.given_name, o.family_name, "
      "(SELECT COUNT(*) FROM application_messages m WHERE m.application_id = a.id AND "
      "m.from_agency = 0 AND m.id > COALESCE(a.agency_read_upto, 0)) "
      "FROM applications a JOIN users u ON u.id = a.user_id "
      "LEFT JOIN users o ON o.id = a.assigned_to WHERE a.id IN (" +
      page + ")" + order;
  PRATU_TRY(rows, c.query(sql, params));
  std::vector<QueueRow> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    QueueRow q;
    q.public_id = row.text(0);
    q.reference = row.text(1);
    q.service = row.text(2);
    q.state = row.text(3);
    q.due_date = row.text(4);
    q.submitted_at = row.int64(5);
    q.state_since = row.int64(6);
    q.applicant = row.text(7) + (row.text(8).empty() ? "" : " " + row.text(8));
    q.assigned_to = row.int64(9);
    q.assignee = row.text(10) + (row.text(11).empty() ? "" : " " + row.text(11));
    q.unread_messages = row.int64(12);
    out.push_back(std::move(q));
  }
  return out;
}

namespace {
// An event's row, its values to follow (add_transition_event, move_if_in_state).
constexpr std::string_view kInsertEvent =
    "INSERT INTO application_events (application_id, at, kind, transition, from_state, "
    "to_state, actor_role, actor_user_id, reason, detail) ";
constexpr const char* kMoveState =
    "UPDATE applications SET state = $1, state_since = $2, updated_at = $2, "
    "revision = revision + 1 WHERE id = $3 AND revision = $4 AND state = $5";
}  // namespace

Result<std::int64_t> move_state(storage::Connection& c, const Application& a, std::string_view to,
                                std::int64_t now) {
  return c.execute(kMoveState, {std::string(to), now, a.id, a.revision, a.state});
}

Result<std::optional<Application>> move_if_in_state(storage::Connection& c,
                                                    std::string_view public_id,
                                                    std::string_view service,
                                                    std::string_view version,
                                                    const TimelineEvent& step, std::int64_t now) {
  const std::string move =
      "UPDATE applications SET state = $1, state_since = $2, updated_at = $2, "
      "revision = revision + 1 WHERE public_id = $3 AND service = $4 AND state = $5 AND "
      "(workflow_version = $6 OR workflow_version IS NULL) RETURNING " +
      std::string(kColumnsWithoutAnswers);
  std::vector<storage::Value> params{step.to_state,          now,
                                     std::string(public_id), std::string(service),
                                     step.from_state,        std::string(version)};
  const bool postgres = c.dialect() == storage::Dialect::postgres;
  std::string sql = move;
  if (postgres) {
    // The step's event in the same statement, written only if the application moved.
    sql = "WITH moved AS (" + move + "), event AS (" + std::string(kInsertEvent) +
          "SELECT id, $2, $7::text, $8::text, $5, $1, $9::text, NULL, $10::text, $11::text "
          "FROM moved) SELECT * FROM moved";
    params.insert(params.end(),
                  {step.kind.empty() ? std::string("transition") : step.kind, step.transition,
                   step.actor_role, step.reason, json::serialize(step.detail)});
  }
  PRATU_TRY(row, c.query_one(sql, params));
  if (!row) return std::optional<Application>{};
  PRATU_TRY(application, read_application(*row));
  if (!postgres) PRATU_CHECK(add_transition_event(c, application.id, now, step));
  return std::optional<Application>(std::move(application));
}

Result<void> move_locked_state(storage::Connection& c, const Application& a, std::string_view to,
                               std::int64_t now) {
  return c.defer(kMoveState, {std::string(to), now, a.id, a.revision, a.state});
}

Result<void> add_transition_event(storage::Connection& c, std::int64_t application_id,
                                  std::int64_t at, const TimelineEvent& e) {
  PRATU_CHECK(
      c.defer(std::string(kInsertEvent) + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
              {application_id, at, e.kind.empty() ? std::string("transition") : e.kind,
               e.transition, e.from_state, e.to_state, e.actor_role,
               // Pratu's own steps (an escalation) have no actor.
               e.actor_user_id == 0 ? storage::Value{nullptr} : storage::Value{e.actor_user_id},
               e.reason, json::serialize(e.detail)}));
  return ok();
}

Result<std::int64_t> amend_answers(storage::Connection& c, const Application& a,
                                   const json::object& answers, std::int64_t now) {
  return c.execute(
      "UPDATE applications SET answers = $1, revision = revision + 1, updated_at = $2 "
      "WHERE id = $3 AND status = 'submitted' AND revision = $4 AND state = $5",
      {json::serialize(answers), now, a.id, a.revision, a.state});
}

Result<std::int64_t> times_taken(storage::Connection& c, std::int64_t application_id,
                                 std::string_view transition) {
  PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM application_events "
                             "WHERE application_id = $1 AND transition = $2",
                             {application_id, std::string(transition)}));
  return row ? row->int64(0) : 0;
}

Result<void> record_workflow_version(storage::Connection& c, std::string_view version,
                                     std::string_view service, std::string_view source,
                                     std::int64_t now) {
  PRATU_CHECK(
      c.execute("INSERT INTO workflow_versions (version, service, source, first_seen_at) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING",
                {std::string(version), std::string(service), std::string(source), now}));
  return ok();
}

Result<std::optional<std::string>> workflow_source(storage::Connection& c,
                                                   std::string_view version) {
  PRATU_TRY(row, c.query_one("SELECT source FROM workflow_versions WHERE version = $1",
                             {std::string(version)}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>(row->text(0));
}

Result<std::vector<StaleDraft>> drafts_to_warn(storage::Connection& c, std::int64_t cutoff,
                                               int limit) {
  PRATU_TRY(rows, c.query("SELECT id, user_id, public_id, service, updated_at FROM applications "
                          "WHERE status = 'draft' AND updated_at < $1 AND expiry_warned_at IS NULL "
                          "ORDER BY updated_at LIMIT $2",
                          {cutoff, std::int64_t{limit}}));
  std::vector<StaleDraft> out;
  for (const auto& row : rows) {
    out.push_back({row.int64(0), row.int64(1), row.text(2), row.text(3), row.int64(4)});
  }
  return out;
}

Result<std::int64_t> mark_warned(storage::Connection& c, std::int64_t id, std::int64_t now) {
  return c.execute(
      "UPDATE applications SET expiry_warned_at = $1 "
      "WHERE id = $2 AND status = 'draft' AND expiry_warned_at IS NULL",
      {now, id});
}

Result<std::int64_t> delete_drafts(storage::Connection& c, std::int64_t cutoff,
                                   std::int64_t warned_before) {
  return c.execute(
      "DELETE FROM applications WHERE status = 'draft' AND updated_at < $1 "
      "AND expiry_warned_at IS NOT NULL AND expiry_warned_at <= $2",
      {cutoff, warned_before});
}

Result<std::vector<Application>> overdue(storage::Connection& c, const std::string& today,
                                         const std::set<std::string>& final_states, int limit) {
  std::vector<storage::Value> params{today};
  std::string sql = select_where(
      "status = 'submitted' AND due_date IS NOT NULL AND due_date <> '' AND due_date < $1");
  if (!final_states.empty()) {
    sql += " AND state NOT IN (";
    for (const auto& s : final_states) {
      params.emplace_back(s);
      sql += (params.size() == 2 ? "$" : ", $") + std::to_string(params.size());
    }
    sql += ")";
  }
  sql +=
      " AND NOT EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = "
      "applications.id AND e.kind = 'escalated' AND e.at >= applications.state_since) "
      "ORDER BY due_date, id LIMIT " +
      std::to_string(limit);
  PRATU_TRY(rows, c.query(sql, params));
  return read_all(rows);
}

Result<std::int64_t> hold(storage::Connection& c, const Application& a) {
  return c.execute(
      "UPDATE applications SET revision = revision WHERE id = $1 AND state = $2 AND due_date = $3",
      {a.id, a.state, a.due_date});
}

Result<bool> escalated_since(storage::Connection& c, std::int64_t application_id,
                             std::int64_t since) {
  PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM application_events WHERE application_id = $1 "
                             "AND kind = 'escalated' AND at >= $2",
                             {application_id, since}));
  return row && row->int64(0) > 0;
}

Result<void> set_due_date(storage::Connection& c, std::int64_t id, const std::string& due_date,
                          bool provisional) {
  PRATU_CHECK(
      c.execute("UPDATE applications SET due_date = $1, due_date_provisional = $2 WHERE id = $3",
                {due_date, std::int64_t{provisional ? 1 : 0}, id}));
  return ok();
}

Result<std::int64_t> assign(storage::Connection& c, const Application& a, std::int64_t to,
                            std::int64_t now) {
  const storage::Value assignee = to == 0 ? storage::Value{nullptr} : storage::Value{to};
  if (a.assigned_to == 0) {
    return c.execute(
        "UPDATE applications SET assigned_to = $1, assigned_at = $2 "
        "WHERE id = $3 AND status = 'submitted' AND assigned_to IS NULL",
        {assignee, now, a.id});
  }
  return c.execute(
      "UPDATE applications SET assigned_to = $1, assigned_at = $2 "
      "WHERE id = $3 AND status = 'submitted' AND assigned_to = $4",
      {assignee, now, a.id, a.assigned_to});
}

Result<void> add_note(storage::Connection& c, std::int64_t application_id, std::int64_t at,
                      std::int64_t author, std::string_view body) {
  PRATU_CHECK(
      c.execute("INSERT INTO application_notes (application_id, at, author_user_id, body) "
                "VALUES ($1, $2, $3, $4)",
                {application_id, at, author, std::string(body)}));
  return ok();
}

Result<std::vector<Note>> notes(storage::Connection& c, std::int64_t application_id) {
  PRATU_TRY(rows, c.query("SELECT n.at, n.author_user_id, u.given_name, u.family_name, n.body "
                          "FROM application_notes n LEFT JOIN users u ON u.id = n.author_user_id "
                          "WHERE n.application_id = $1 ORDER BY n.at, n.id",
                          {application_id}));
  std::vector<Note> out;
  for (const auto& row : rows) {
    out.push_back(Note{row.int64(0), row.int64(1),
                       row.text(2) + (row.text(3).empty() ? "" : " " + row.text(3)), row.text(4)});
  }
  return out;
}

Result<std::vector<StaffMember>> staff(storage::Connection& c, std::string_view agency) {
  PRATU_TRY(rows, c.query("SELECT id, given_name, family_name, email, role FROM users "
                          "WHERE agency_code = $1 AND role IN ('officer', 'supervisor') "
                          "ORDER BY given_name, family_name, id",
                          {std::string(agency)}));
  std::vector<StaffMember> out;
  for (const auto& row : rows) {
    std::string name = row.text(1) + (row.text(2).empty() ? "" : " " + row.text(2));
    if (name.empty()) name = row.text(3);  // an account with no name yet: its e-mail
    out.push_back(StaffMember{row.int64(0), std::move(name), row.text(4)});
  }
  return out;
}

}  // namespace pratu::applications::repository
