#include "domains/accounts/accounts_repository.hpp"

#include <vector>

#include "domains/accounts/staff_duties.hpp"

namespace pratu::accounts::repository {

using storage::Row;
using storage::Value;

namespace {

constexpr std::string_view kUserColumns =
    "id, role, agency_code, national_id, email, mobile, title, given_name, family_name, "
    "password_hash, created_at, updated_at, password_changed_at, disabled, locale";

Value optional_value(const std::optional<std::string>& v) {
  if (v) return *v;
  return nullptr;
}

Value text_or_null(const std::string& v) {
  if (v.empty()) return nullptr;
  return v;
}

// Reads kUserColumns starting at column `first`.
User user_from_row(const Row& row, std::size_t first) {
  User u;
  u.id = row.int64(first);
  u.role = parse_role(row.text(first + 1)).value_or(Role::applicant);
  u.agency_code = row.text(first + 2);
  u.national_id = row.optional_text(first + 3);
  u.email = row.optional_text(first + 4);
  u.mobile = row.text(first + 5);
  u.title = row.text(first + 6);
  u.given_name = row.text(first + 7);
  u.family_name = row.text(first + 8);
  u.password_hash = row.text(first + 9);
  u.created_at = row.int64(first + 10);
  u.updated_at = row.int64(first + 11);
  u.password_changed_at = row.int64(first + 12);
  u.disabled = row.int64(first + 13) != 0;
  u.locale = row.text(first + 14);
  return u;
}

Result<std::optional<User>> find_user_where(storage::Connection& c, std::string_view where,
                                            Value key) {
  std::string sql =
      "SELECT " + std::string(kUserColumns) + " FROM users WHERE " + std::string(where);
  PRATU_TRY(row, c.query_one(sql, {std::move(key)}));
  if (!row) return std::optional<User>();
  User user = user_from_row(*row, 0);
  if (web::works_for_agency(user.role)) {
    PRATU_TRY(duties, duties_of(c, user.id));
    user.duties = duties;
  }
  return std::optional<User>(std::move(user));
}

}  // namespace

Result<std::optional<User>> find_user(storage::Connection& c, UserId id) {
  return find_user_where(c, "id = $1", id);
}

Result<std::optional<User>> find_user_by_national_id(storage::Connection& c,
                                                     std::string_view digits) {
  return find_user_where(c, "national_id = $1", std::string(digits));
}

Result<std::optional<User>> find_user_by_email(storage::Connection& c, std::string_view email) {
  return find_user_where(c, "email = $1", std::string(email));
}

Result<std::int64_t> count_users(storage::Connection& c) {
  PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM users"));
  return row ? row->int64(0) : 0;
}

Result<UserId> insert_user(storage::Connection& c, const User& u) {
  std::vector<Value> params = {std::string(role_name(u.role)),
                               text_or_null(u.agency_code),
                               optional_value(u.national_id),
                               optional_value(u.email),
                               text_or_null(u.mobile),
                               u.title,
                               u.given_name,
                               u.family_name,
                               u.password_hash,
                               u.created_at,
                               u.updated_at,
                               u.password_changed_at,
                               std::int64_t{u.disabled ? 1 : 0},
                               u.locale};
  PRATU_TRY(row,
            c.query_one("INSERT INTO users (role, agency_code, national_id, email, mobile, title, "
                        "given_name, family_name, password_hash, created_at, updated_at, "
                        "password_changed_at, disabled, locale) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                        "RETURNING id",
                        params));
  if (!row) return Error::internal("INSERT INTO users returned no id");
  const UserId id = row->int64(0);
  // Granted by no one in Pratu: `pratu user create --duty`, or the demo's seed.
  for (web::Duty duty : {web::Duty::cashier, web::Duty::finance}) {
    if ((u.duties & static_cast<unsigned>(duty)) == 0) continue;
    PRATU_CHECK(write_duty(c, id, u.agency_code, duty, true, 0, u.created_at));
  }
  return id;
}

Result<unsigned> duties_of(storage::Connection& c, UserId id) {
  PRATU_TRY(rows, c.query("SELECT duty FROM staff_duties WHERE user_id = $1", {id}));
  unsigned duties = 0;
  for (const auto& row : rows) {
    if (auto duty = web::parse_duty(row.text(0))) duties |= static_cast<unsigned>(*duty);
  }
  return duties;
}

Result<void> update_mobile(storage::Connection& c, UserId id, std::string_view mobile,
                           std::int64_t now) {
  PRATU_TRY(changed, c.execute("UPDATE users SET mobile = $1, updated_at = $2 WHERE id = $3",
                               {std::string(mobile), now, id}));
  if (changed != 1) return Error::not_found("user to update the mobile number of");
  return ok();
}

Result<void> update_locale(storage::Connection& c, UserId id, std::string_view locale,
                           std::int64_t now) {
  PRATU_CHECK(c.execute("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3",
                        {std::string(locale), now, id}));
  return ok();
}

Result<void> update_password(storage::Connection& c, UserId id, std::string_view hash,
                             std::int64_t now) {
  PRATU_TRY(changed, c.execute("UPDATE users SET password_hash = $1, password_changed_at = $2, "
                               "updated_at = $2 WHERE id = $3",
                               {std::string(hash), now, id}));
  if (changed != 1) return Error::not_found("user to update the password of");
  return ok();
}

Result<void> replace_password_hash(storage::Connection& c, UserId id, std::string_view hash,
                                   std::int64_t now) {
  PRATU_CHECK(c.execute("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3",
                        {std::string(hash), now, id}));
  return ok();
}

Result<void> insert_session(storage::Connection& c, const Session& s) {
  PRATU_CHECK(
      c.execute("INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, "
                "idle_expires_at, absolute_expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.idle_expires_at,
                 s.absolute_expires_at}));
  return ok();
}

Result<std::optional<SessionWithUser>> find_session(storage::Connection& c, std::string_view id) {
  // The user's columns follow the session's seven, in kUserColumns order; the password hash
  // is not read (sessions never need it).
  PRATU_TRY(row,
            c.query_one("SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, "
                        "s.idle_expires_at, s.absolute_expires_at, "
                        "u.id, u.role, u.agency_code, u.national_id, u.email, u.mobile, u.title, "
                        "u.given_name, u.family_name, '', u.created_at, u.updated_at, "
                        "u.password_changed_at, u.disabled, u.locale "
                        "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
                        {std::string(id)}));
  if (!row) return std::optional<SessionWithUser>();
  SessionWithUser out;
  out.session.id = row->text(0);
  out.session.user_id = row->int64(1);
  out.session.csrf_token = row->text(2);
  out.session.created_at = row->int64(3);
  out.session.last_seen_at = row->int64(4);
  out.session.idle_expires_at = row->int64(5);
  out.session.absolute_expires_at = row->int64(6);
  out.user = user_from_row(*row, 7);
  if (web::works_for_agency(out.user.role)) {
    PRATU_TRY(duties, duties_of(c, out.user.id));
    out.user.duties = duties;
  }
  return std::optional<SessionWithUser>(std::move(out));
}

Result<void> touch_session(storage::Connection& c, std::string_view id, std::int64_t last_seen_at,
                           std::int64_t idle_expires_at) {
  PRATU_CHECK(c.execute("UPDATE sessions SET last_seen_at = $1, idle_expires_at = $2 WHERE id = $3",
                        {last_seen_at, idle_expires_at, std::string(id)}));
  return ok();
}

Result<std::int64_t> delete_session(storage::Connection& c, std::string_view id) {
  return c.execute("DELETE FROM sessions WHERE id = $1", {std::string(id)});
}

Result<std::int64_t> delete_user_sessions(storage::Connection& c, UserId user_id,
                                          std::string_view keep_id) {
  return c.execute("DELETE FROM sessions WHERE user_id = $1 AND id <> $2",
                   {user_id, std::string(keep_id)});
}

Result<std::int64_t> delete_expired_sessions(storage::Connection& c, std::int64_t now) {
  return c.execute("DELETE FROM sessions WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1",
                   {now});
}

Result<AttemptCounter> add_attempts(storage::Connection& c, std::string_view key_type,
                                    std::string_view key_hash, std::int64_t attempts,
                                    std::int64_t now, std::int64_t window_cutoff,
                                    std::int64_t keep_until) {
  // SET expressions read the row as it was, on both engines.
  PRATU_TRY(row,
            c.query_one("INSERT INTO login_attempts (key_type, key_hash, failures, window_start, "
                        "locked_until) VALUES ($1, $2, $3, $4, $5) "
                        "ON CONFLICT (key_type, key_hash) DO UPDATE SET "
                        "failures = CASE WHEN login_attempts.window_start <= $6 "
                        "THEN excluded.failures "
                        "ELSE login_attempts.failures + excluded.failures END, "
                        "locked_until = CASE WHEN login_attempts.window_start <= $6 "
                        "AND login_attempts.locked_until < excluded.locked_until "
                        "THEN excluded.locked_until ELSE login_attempts.locked_until END, "
                        "window_start = CASE WHEN login_attempts.window_start <= $6 "
                        "THEN excluded.window_start ELSE login_attempts.window_start END "
                        "RETURNING failures, window_start, locked_until",
                        {std::string(key_type), std::string(key_hash), attempts, now, keep_until,
                         window_cutoff}));
  if (!row) return Error::internal("login_attempts upsert returned no row");
  return AttemptCounter{row->int64(0), row->int64(1), row->int64(2)};
}

Result<std::int64_t> key_locked_until(storage::Connection& c, std::string_view key_type,
                                      std::string_view key_hash) {
  PRATU_TRY(row, c.query_one("SELECT locked_until FROM login_attempts "
                             "WHERE key_type = $1 AND key_hash = $2",
                             {std::string(key_type), std::string(key_hash)}));
  return row ? row->int64(0) : 0;
}

Result<void> raise_locked_until(storage::Connection& c, std::string_view key_type,
                                std::string_view key_hash, std::int64_t until) {
  PRATU_CHECK(
      c.execute("UPDATE login_attempts SET locked_until = $1 "
                "WHERE key_type = $2 AND key_hash = $3 AND locked_until < $1",
                {until, std::string(key_type), std::string(key_hash)}));
  return ok();
}

Result<void> refund_attempt(storage::Connection& c, std::string_view key_type,
                            std::string_view key_hash) {
  PRATU_CHECK(
      c.execute("UPDATE login_attempts SET failures = failures - 1 "
                "WHERE key_type = $1 AND key_hash = $2 AND failures > 0",
                {std::string(key_type), std::string(key_hash)}));
  return ok();
}

Result<void> remember_key(storage::Connection& c, std::string_view key_type,
                          std::string_view key_hash, std::int64_t now, std::int64_t until) {
  PRATU_CHECK(
      c.execute("INSERT INTO login_attempts (key_type, key_hash, failures, window_start, "
                "locked_until) VALUES ($1, $2, 0, $3, $4) "
                "ON CONFLICT (key_type, key_hash) DO UPDATE SET "
                "window_start = excluded.window_start, "
                "locked_until = excluded.locked_until",
                {std::string(key_type), std::string(key_hash), now, until}));
  return ok();
}

Result<void> lock_key(storage::Connection& c, std::string_view key_type, std::string_view key_hash,
                      std::int64_t until, std::int64_t now) {
  PRATU_CHECK(
      c.execute("UPDATE login_attempts SET locked_until = $1, failures = 0, "
                "window_start = $2 WHERE key_type = $3 AND key_hash = $4",
                {until, now, std::string(key_type), std::string(key_hash)}));
  return ok();
}

Result<void> clear_key(storage::Connection& c, std::string_view key_type,
                       std::string_view key_hash) {
  PRATU_CHECK(c.execute("DELETE FROM login_attempts WHERE key_type = $1 AND key_hash = $2",
                        {std::string(key_type), std::string(key_hash)}));
  return ok();
}

Result<std::int64_t> delete_stale_attempts(storage::Connection& c, std::int64_t cutoff,
                                           std::int64_t now) {
  return c.execute("DELETE FROM login_attempts WHERE window_start < $1 AND locked_until <= $2",
                   {cutoff, now});
}

}  // namespace pratu::accounts::repository
