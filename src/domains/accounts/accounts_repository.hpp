#pragma once
/// The SQL of the accounts domain, one function per statement, run on a connection inside a
/// transaction the service opens (so a service can combine them atomically).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domains/accounts/accounts.hpp"
#include "storage/database.hpp"

namespace pratu::accounts::repository {

// ---- users

/// The user with `id`, or nullopt.
Result<std::optional<User>> find_user(storage::Connection& c, UserId id);
/// The user whose national ID is `digits` (13 digits), or nullopt.
Result<std::optional<User>> find_user_by_national_id(storage::Connection& c,
                                                     std::string_view digits);
/// The user whose email is `email` (already lower-cased), or nullopt.
Result<std::optional<User>> find_user_by_email(storage::Connection& c, std::string_view email);
/// How many users exist.
Result<std::int64_t> count_users(storage::Connection& c);
/// Inserts `user` (its id is ignored); returns the new id. Unique violations are conflicts.
Result<UserId> insert_user(storage::Connection& c, const User& user);
/// The web::Duty bits `id` holds (staff_duties).
Result<unsigned> duties_of(storage::Connection& c, UserId id);
/// Sets the user's mobile number (10 digits); not_found if there is no such user.
Result<void> update_mobile(storage::Connection& c, UserId id, std::string_view mobile,
                           std::int64_t now);
/// Sets the language Pratu writes to the user in ("th" or "en").
Result<void> update_locale(storage::Connection& c, UserId id, std::string_view locale,
                           std::int64_t now);
/// Sets a new password (hash) for `id`, recording when it changed.
Result<void> update_password(storage::Connection& c, UserId id, std::string_view hash,
                             std::int64_t now);
/// Re-encodes the same password with new hashing parameters (password_changed_at stays).
Result<void> replace_password_hash(storage::Connection& c, UserId id, std::string_view hash,
                                   std::int64_t now);

// ---- sessions

/// A session joined with what pages need of its user.
struct SessionWithUser {
  Session session;
  User user;  // without password_hash
};

/// Inserts `session`.
Result<void> insert_session(storage::Connection& c, const Session& session);
/// The session with `id` and its user, or nullopt.
Result<std::optional<SessionWithUser>> find_session(storage::Connection& c, std::string_view id);
/// Moves the idle expiry of `id`.
Result<void> touch_session(storage::Connection& c, std::string_view id, std::int64_t last_seen_at,
                           std::int64_t idle_expires_at);
/// Deletes the session `id`; returns how many rows went (0 or 1).
Result<std::int64_t> delete_session(storage::Connection& c, std::string_view id);
/// Deletes every session of `user_id` except `keep_id` (may be empty); returns how many.
Result<std::int64_t> delete_user_sessions(storage::Connection& c, UserId user_id,
                                          std::string_view keep_id);
/// Deletes sessions past either expiry at `now`; returns how many.
Result<std::int64_t> delete_expired_sessions(storage::Connection& c, std::int64_t now);

// ---- login attempts (and registration attempts, in other hash domains)

/// The counter of one throttle key.
struct AttemptCounter {
  std::int64_t failures = 0;  // attempts counted in the current window
  std::int64_t window_start = 0;
  std::int64_t locked_until = 0;
};

/// Adds `attempts` to a key, starting a new window at `now` if the current one began at or
/// before `window_cutoff`; a new window raises locked_until to at least `keep_until`. Returns
/// the counter after the change. One statement, so parallel counts all count.
Result<AttemptCounter> add_attempts(storage::Connection& c, std::string_view key_type,
                                    std::string_view key_hash, std::int64_t attempts,
                                    std::int64_t now, std::int64_t window_cutoff,
                                    std::int64_t keep_until = 0);
/// A key's locked_until, or 0 if it has no row.
Result<std::int64_t> key_locked_until(storage::Connection& c, std::string_view key_type,
                                      std::string_view key_hash);
/// Moves a key's locked_until to `until` if that is later.
Result<void> raise_locked_until(storage::Connection& c, std::string_view key_type,
                                std::string_view key_hash, std::int64_t until);
/// Takes one attempt off a key's count (never below 0).
Result<void> refund_attempt(storage::Connection& c, std::string_view key_type,
                            std::string_view key_hash);
/// Stores a key with no count that is kept until `until`.
Result<void> remember_key(storage::Connection& c, std::string_view key_type,
                          std::string_view key_hash, std::int64_t now, std::int64_t until);
/// Locks a key until `until` and restarts its count.
Result<void> lock_key(storage::Connection& c, std::string_view key_type, std::string_view key_hash,
                      std::int64_t until, std::int64_t now);
/// Forgets a key's failures.
Result<void> clear_key(storage::Connection& c, std::string_view key_type,
                       std::string_view key_hash);
/// Deletes counters whose window began before `cutoff` and which are not locked at `now`.
Result<std::int64_t> delete_stale_attempts(storage::Connection& c, std::int64_t cutoff,
                                           std::int64_t now);

}  // namespace pratu::accounts::repository
