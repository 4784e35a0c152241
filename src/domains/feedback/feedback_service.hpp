#pragma once
/// The rules of feedback: what a submission must be, how often an address may send one, the
/// statistics everyone may see, the comments administrators read, and how long comments stay.

#include <cstdint>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "domains/feedback/feedback.hpp"
#include "domains/feedback/feedback_throttle.hpp"
#include "storage/database.hpp"

namespace pratu::feedback {

/// Comments on one page of the administrators' list.
inline constexpr int kCommentsPageSize = 20;

/// Checks what was typed: a rating of 1 to 5 is required; a comment is optional, at most
/// `comment_max_length` characters once trimmed (a CR LF counts as one), valid UTF-8 without
/// control characters (but line breaks and tabs) or bidi controls, and is stored in NFC.
/// Fails with ErrorCode::invalid_input naming the fields (feedback.errors.*).
Result<Feedback> check_feedback(const TypedFeedback& typed, int comment_max_length);

class FeedbackService {
 public:
  FeedbackService(storage::Database& db, const Clock& clock, const FeedbackThrottle& throttle,
                  FeedbackSettings settings);

  /// Checks and stores a submission from `client_address` (which is counted, never stored).
  /// Fails with invalid_input (fields) or rate_limited (retry_after_seconds).
  Result<void> submit(const TypedFeedback& typed, std::string_view client_address);

  /// Totals for this month and all time.
  Result<FeedbackStatistics> statistics() const;

  /// Page `page` (from 1) of the comments, newest first; a page past the end is empty.
  Result<CommentPage> comments(int page) const;

  /// Deletes comments older than keep_days, keeping their ratings; returns how many.
  Result<std::int64_t> forget_old_comments();

  /// Deletes throttle counters whose hour has passed; returns how many.
  Result<std::int64_t> purge_stale_counters();

  const FeedbackSettings& settings() const { return settings_; }

 private:
  storage::Database& db_;
  const Clock& clock_;
  const FeedbackThrottle& throttle_;
  FeedbackSettings settings_;
};

}  // namespace pratu::feedback
