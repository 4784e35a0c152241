#pragma once
/// The feedback tables, as free functions on a connection (both engines).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domains/feedback/feedback.hpp"
#include "storage/database.hpp"

namespace pratu::feedback::repository {

/// Stores one piece of feedback; returns its id.
Result<std::int64_t> insert_feedback(storage::Connection& c, const Feedback& feedback,
                                     std::int64_t created_at);

/// How many of each rating were given at or after `since` (0: all time).
Result<RatingTotals> rating_totals(storage::Connection& c, std::int64_t since);

/// Comments newest first, `limit` of them after skipping `offset`.
Result<std::vector<StoredComment>> latest_comments(storage::Connection& c, int limit,
                                                   std::int64_t offset);

/// How many comments are stored.
Result<std::int64_t> count_comments(storage::Connection& c);

/// Deletes the comments given before `cutoff`, keeping their ratings; returns how many.
Result<std::int64_t> delete_comments_before(storage::Connection& c, std::int64_t cutoff);

/// A throttle counter after counting.
struct ThrottleCounter {
  std::int64_t submissions = 0;
  std::int64_t window_start = 0;
};

/// Adds one submission to the counter `key_hash`, starting a new window at `now` when the
/// counter's began at or before `window_cutoff`. One statement: parallel calls never lose one.
Result<ThrottleCounter> count_submission(storage::Connection& c, std::string_view key_hash,
                                         std::int64_t now, std::int64_t window_cutoff);

/// Deletes the counters whose window began at or before `window_cutoff`; returns how many.
Result<std::int64_t> delete_throttle_before(storage::Connection& c, std::int64_t window_cutoff);

}  // namespace pratu::feedback::repository
