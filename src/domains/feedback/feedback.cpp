#include "domains/feedback/feedback.hpp"

#include <chrono>
#include <numeric>
#include <string_view>

namespace pratu::feedback {

namespace {

// The answers, rating 1 first.
constexpr std::string_view kRatingKeys[kMaxRating] = {"very_dissatisfied", "dissatisfied",
                                                      "neutral", "satisfied", "very_satisfied"};

}  // namespace

std::string rating_key(int rating) {
  return "feedback.ratings." + std::string(kRatingKeys[rating - kMinRating]);
}

std::int64_t RatingTotals::count() const {
  return std::accumulate(per_rating.begin(), per_rating.end(), std::int64_t{0});
}

std::optional<double> RatingTotals::average() const {
  const std::int64_t n = count();
  if (n == 0) return std::nullopt;
  std::int64_t sum = 0;
  for (int r = kMinRating; r <= kMaxRating; ++r) sum += r * per_rating[r - 1];
  return static_cast<double>(sum) / static_cast<double>(n);
}

int CommentPage::page_count() const {
  if (total <= 0 || page_size <= 0) return 1;
  return static_cast<int>((total + page_size - 1) / page_size);
}

std::int64_t thai_month_start(std::int64_t now) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_seconds(seconds(now + kThaiUtcOffsetSeconds)));
  const year_month_day date(day);
  const sys_days first = sys_days(date.year() / date.month() / 1);
  return duration_cast<seconds>(first.time_since_epoch()).count() - kThaiUtcOffsetSeconds;
}

}  // namespace pratu::feedback
