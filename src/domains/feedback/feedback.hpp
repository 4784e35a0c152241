#pragma once
/// Satisfaction feedback: how satisfied a person was with Pratu (1 to 5) and an optional
/// comment. Anonymous by design (PDPA): what is stored is the rating, the comment and when.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pratu::feedback {

/// The lowest and highest rating: very dissatisfied … very satisfied.
inline constexpr int kMinRating = 1;
inline constexpr int kMaxRating = 5;

/// The `feedback` configuration section.
struct FeedbackSettings {
  int comment_max_length = 1000;  // characters (code points), not bytes
  int keep_days = 365;            // comments are deleted after this; ratings are kept
  int per_address_per_hour = 10;  // submissions from one client address in an hour
};

/// What a person typed into the form, before it is checked.
struct TypedFeedback {
  std::string rating;
  std::string comment;
};

/// Feedback that passed the checks, as it is stored.
struct Feedback {
  int rating = 0;
  std::optional<std::string> comment;  // trimmed, NFC; nullopt when none was given
};

/// How many people gave each rating over some period.
struct RatingTotals {
  std::array<std::int64_t, kMaxRating> per_rating{};  // [0] is rating 1

  /// The number of ratings given.
  std::int64_t count() const;
  /// The mean rating, or nullopt when there is none.
  std::optional<double> average() const;
};

/// The public statistics: this month (in Thai time) and all time.
struct FeedbackStatistics {
  std::int64_t month_start = 0;  // Unix seconds: the first of this month, 00:00 in Thailand
  RatingTotals this_month;
  RatingTotals all_time;
};

/// A comment as administrators read it.
struct StoredComment {
  std::int64_t id = 0;
  int rating = 0;
  std::string comment;
  std::int64_t created_at = 0;
};

/// One page of comments, newest first.
struct CommentPage {
  std::vector<StoredComment> comments;
  int page = 1;
  int page_size = 20;
  std::int64_t total = 0;

  /// How many pages there are (at least 1).
  int page_count() const;
};

/// The locale key of a rating's words ("feedback.ratings.very_satisfied"); `rating` in 1..5.
std::string rating_key(int rating);

/// Thailand's offset from UTC: 7 hours all year (no daylight saving).
inline constexpr std::int64_t kThaiUtcOffsetSeconds = 7 * 3600;

/// The first of the month holding `now`, at 00:00 in Thailand (UTC+7, no daylight saving).
std::int64_t thai_month_start(std::int64_t now);

}  // namespace pratu::feedback
