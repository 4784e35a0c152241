#pragma once
/// A person's notices in the portal (written by platform::notify): read newest first, a page
/// at a time, counted while unread, marked read when shown (docs/adr/0022).

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::notifications {

/// One notice, as the person it is for may read it.
struct Notice {
  std::int64_t id = 0;
  std::string topic;        // "applications.step_taken"
  std::string application;  // the public id of the application it is about, or ""
  boost::json::object payload;
  std::int64_t created_at = 0;
  bool read = false;
};

/// One page of a person's notices, newest first.
struct NoticePage {
  std::vector<Notice> notices;
  std::int64_t unread = 0;                 // all their unread notices, not only these
  std::optional<std::int64_t> older_than;  // the `before` of the next page, if there is one
};

class Inbox {
 public:
  static constexpr int kPageSize = 20;
  static constexpr int kMaxPageSize = 100;
  /// How long a notice is kept: a year and a bit, so last year's decisions are still there.
  static constexpr std::int64_t kKeepSeconds = std::int64_t{400} * 86400;

  Inbox(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// `user_id`'s notices with ids below `before` (all when nullopt), at most `limit`
  /// (clamped to 1..kMaxPageSize), newest first.
  Result<NoticePage> page(std::int64_t user_id, std::optional<std::int64_t> before,
                          int limit = kPageSize);
  /// How many of `user_id`'s notices are unread.
  Result<std::int64_t> unread(std::int64_t user_id);
  /// Marks `user_id`'s unread notices with ids from `from` up to `upto` read; returns how
  /// many. Another person's notices are never touched, whatever the ids.
  Result<std::int64_t> mark_read(std::int64_t user_id, std::int64_t upto, std::int64_t from = 0);
  /// Housekeeping: deletes notices older than kKeepSeconds; returns how many.
  Result<std::int64_t> sweep();

 private:
  storage::Database& db_;
  const Clock& clock_;
};

}  // namespace pratu::notifications
