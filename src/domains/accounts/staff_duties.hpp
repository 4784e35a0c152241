#pragma once
/// The duties an agency's staff hold beside their role (docs/adr/0028): an agency's supervisors
/// grant and withdraw the cashier and finance duties of its officers and supervisors, each
/// change kept with who made it and when (staff_duty_events). No one changes their own duties:
/// another supervisor of the agency does, or an operator with `pratu user create --duty`.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "domains/accounts/accounts.hpp"
#include "storage/database.hpp"
#include "web/context.hpp"

namespace pratu::accounts {

/// One of an agency's officers or supervisors, with the duties they hold.
struct StaffMember {
  UserId id = 0;
  web::Role role = web::Role::officer;
  std::string name;   // "given family"
  std::string email;  // their login
  bool disabled = false;
  unsigned duties = 0;  // web::Duty bits
};

/// One grant or withdrawal.
struct DutyChange {
  std::int64_t at = 0;
  std::string member;  // whose duty: their name
  web::Duty duty = web::Duty::cashier;
  bool granted = true;  // false: withdrawn
  std::string by;       // who changed it: their name; empty: the command line
};

/// Writes the grant (or withdrawal) of `duty` to `user_id` of `agency` by `by_user_id` (0: the
/// command line) at `at`, in `c`'s transaction: the duty row and its event. Does nothing when
/// the person already holds (or does not hold) it.
Result<bool> write_duty(storage::Connection& c, UserId user_id, std::string_view agency,
                        web::Duty duty, bool granted, UserId by_user_id, std::int64_t at);

class StaffDuties {
 public:
  /// `changed` is told of each person whose duties changed, after the commit (to forget what
  /// this node remembers of their sessions).
  StaffDuties(storage::Database& db, const Clock& clock, std::function<void(UserId)> changed)
      : db_(db), clock_(clock), changed_(std::move(changed)) {}

  /// The officers and supervisors of `who`'s agency (a supervisor's), by name.
  Result<std::vector<StaffMember>> staff(const web::Principal& who);
  /// The latest `limit` changes of duties in `who`'s agency, newest first.
  Result<std::vector<DutyChange>> changes(const web::Principal& who, int limit);

  /// Sets the duties of `user_id` to `duties` (web::Duty bits), as `who` (a supervisor of their
  /// agency). not_found for anyone not of `who`'s agency's staff; forbidden for `who`
  /// themselves. Returns the person as they now are.
  Result<StaffMember> set(const web::Principal& who, UserId user_id, unsigned duties);
  /// Sets the duties of the agency's officer, supervisor or clerk who logs in as `login` (an
  /// email in any case, or a national ID) to `duties`, for the platform's operator (`pratu user
  /// duties`): recorded with no one as its author, and the person is told the operator did it.
  /// It is how an agency with one supervisor changes that supervisor's duties. not_found for
  /// anyone else.
  Result<StaffMember> set_by_operator(std::string_view login, unsigned duties);

 private:
  // Sets the duties of the staff member `who_is_changed` (a condition on `users u`) finds, as
  // `by_user_id` (0: the operator) named `by_name`.
  Result<StaffMember> write_duties(const std::string& who_is_changed,
                                   std::vector<storage::Value> params, unsigned duties,
                                   UserId by_user_id, const std::string& by_name);

  storage::Database& db_;
  const Clock& clock_;
  std::function<void(UserId)> changed_;
};

}  // namespace pratu::accounts
