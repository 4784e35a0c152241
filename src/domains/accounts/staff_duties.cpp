#include "domains/accounts/staff_duties.hpp"

#include <boost/json/object.hpp>

#include <map>

#include "domains/accounts/accounts_repository.hpp"
#include "domains/accounts/accounts_validation.hpp"
#include "platform/notices.hpp"
#include "web/access.hpp"

namespace pratu::accounts {

namespace {

using storage::Row;

constexpr web::Duty kDuties[] = {web::Duty::cashier, web::Duty::finance};

// How Pratu names a person: "given family", else their email (User::display_name).
std::string name_of(const std::string& given, const std::string& family, const std::string& email) {
  User user;
  user.given_name = given;
  user.family_name = family;
  if (!email.empty()) user.email = email;
  return user.display_name();
}

bool is_supervisor(const web::Principal& who) {
  return who.role == web::Role::supervisor && !who.agency_code.empty();
}

StaffMember member_of(const Row& r) {
  StaffMember m;
  m.id = r.int64(0);
  m.role = web::parse_role(r.text(1)).value_or(web::Role::officer);
  m.email = r.text(4);
  m.name = name_of(r.text(2), r.text(3), m.email);
  m.disabled = r.int64(5) != 0;
  return m;
}

constexpr const char* kMemberColumns =
    "u.id, u.role, u.given_name, u.family_name, COALESCE(u.email, ''), u.disabled";

}  // namespace

Result<bool> write_duty(storage::Connection& c, UserId user_id, std::string_view agency,
                        web::Duty duty, bool granted, UserId by_user_id, std::int64_t at) {
  const std::string name(web::duty_name(duty));
  PRATU_TRY(changed, granted
                         ? c.execute("INSERT INTO staff_duties (user_id, duty, granted_at) "
                                     "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                     {user_id, name, at})
                         : c.execute("DELETE FROM staff_duties WHERE user_id = $1 AND duty = $2",
                                     {user_id, name}));
  if (changed == 0) return false;
  PRATU_CHECK(c.execute(
      "INSERT INTO staff_duty_events (user_id, agency_code, duty, action, by_user_id, at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {user_id, std::string(agency), name, std::string(granted ? "granted" : "withdrawn"),
       by_user_id == 0 ? storage::Value{nullptr} : storage::Value{by_user_id}, at}));
  return true;
}

Result<std::vector<StaffMember>> StaffDuties::staff(const web::Principal& who) {
  std::vector<StaffMember> out;
  if (!is_supervisor(who)) return out;
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(rows, c.query(std::string("SELECT ") + kMemberColumns +
                                " FROM users u WHERE u.agency_code = $1 AND u.role IN "
                                "('officer', 'supervisor', 'clerk') ORDER BY u.given_name, "
                                "u.family_name, u.id",
                            {who.agency_code}));
    std::map<UserId, StaffMember*> by_id;
    for (const auto& row : rows) out.push_back(member_of(row));
    for (auto& m : out) by_id[m.id] = &m;
    PRATU_TRY(held, c.query("SELECT d.user_id, d.duty FROM staff_duties d JOIN users u ON "
                            "u.id = d.user_id WHERE u.agency_code = $1",
                            {who.agency_code}));
    for (const auto& row : held) {
      auto duty = web::parse_duty(row.text(1));
      auto it = by_id.find(row.int64(0));
      if (duty && it != by_id.end()) it->second->duties |= static_cast<unsigned>(*duty);
    }
    return ok();
  }));
  return out;
}

Result<std::vector<DutyChange>> StaffDuties::changes(const web::Principal& who, int limit) {
  std::vector<DutyChange> out;
  if (!is_supervisor(who) || limit <= 0) return out;
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(rows,
              c.query("SELECT e.at, m.given_name, m.family_name, COALESCE(m.email, ''), e.duty, "
                      "e.action, COALESCE(b.given_name, ''), COALESCE(b.family_name, ''), "
                      "COALESCE(b.email, '') "
                      "FROM staff_duty_events e JOIN users m ON m.id = e.user_id "
                      "LEFT JOIN users b ON b.id = e.by_user_id WHERE e.agency_code = $1 "
                      "ORDER BY e.at DESC, e.id DESC LIMIT $2",
                      {who.agency_code, std::int64_t{limit}}));
    for (const auto& row : rows) {
      DutyChange change;
      change.at = row.int64(0);
      change.member = name_of(row.text(1), row.text(2), row.text(3));
      change.duty = web::parse_duty(row.text(4)).value_or(web::Duty::cashier);
      change.granted = row.text(5) == "granted";
      change.by = name_of(row.text(6), row.text(7), row.text(8));
      out.push_back(std::move(change));
    }
    return ok();
  }));
  return out;
}

Result<StaffMember> StaffDuties::set(const web::Principal& who, UserId user_id, unsigned duties) {
  if (!is_supervisor(who)) return Error::not_found("staff member");
  if (user_id == who.user_id) {
    return Error{ErrorCode::forbidden, "accounts.staff.own_duties", "own duties", {}, 0};
  }
  return write_duties("u.id = $1 AND u.agency_code = $2", {user_id, who.agency_code}, duties,
                      who.user_id, who.display_name);
}

Result<StaffMember> StaffDuties::set_by_operator(std::string_view login, unsigned duties) {
  // A login as people type it: an email in any case, or a national ID with or without dashes.
  const LoginName name = parse_login(login);
  if (name.kind == LoginName::Kind::email) {
    return write_duties("u.email = $1 AND u.agency_code IS NOT NULL", {name.value}, duties, 0, "");
  }
  if (name.kind == LoginName::Kind::national_id) {
    return write_duties("u.national_id = $1 AND u.agency_code IS NOT NULL", {name.value}, duties, 0,
                        "");
  }
  return Error::not_found("staff member");
}

Result<StaffMember> StaffDuties::write_duties(const std::string& who_is_changed,
                                              std::vector<storage::Value> params, unsigned duties,
                                              UserId by_user_id, const std::string& by_name) {
  const std::int64_t now = clock_.now_seconds();
  StaffMember out;
  bool any = false;
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    any = false;
    PRATU_TRY(row, c.query_one(std::string("SELECT ") + kMemberColumns +
                                   ", u.agency_code FROM users u WHERE " + who_is_changed +
                                   " AND u.role IN ('officer', 'supervisor', 'clerk')",
                               params));
    // Another agency's people, applicants and administrators are not the agency's staff.
    if (!row) return Error::not_found("staff member");
    out = member_of(*row);
    const std::string agency = row->text(6);
    for (web::Duty duty : kDuties) {
      const bool wanted = (duties & static_cast<unsigned>(duty)) != 0;
      PRATU_TRY(changed, write_duty(c, out.id, agency, duty, wanted, by_user_id, now));
      any = any || changed;
    }
    PRATU_TRY(held_now, repository::duties_of(c, out.id));
    out.duties = held_now;
    if (!any) return ok();
    // The person is told in the portal, by whom (their colleague's name, nothing more; none for
    // the platform's operator).
    std::string held;
    for (web::Duty duty : kDuties) {
      if ((out.duties & static_cast<unsigned>(duty)) == 0) continue;
      held += (held.empty() ? "" : ",") + std::string(web::duty_name(duty));
    }
    return platform::notify(
        c, "accounts.duties_changed",
        boost::json::object{{"user_id", out.id}, {"duties", held}, {"by", by_name}}, now,
        platform::kPortalOnly);
  });
  if (!written) return written.error();
  // Their sessions on this node are read afresh: the change holds from their next request.
  if (any && changed_) changed_(out.id);
  return out;
}

}  // namespace pratu::accounts
