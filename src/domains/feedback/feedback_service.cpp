#include "domains/feedback/feedback_service.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <string>
#include <vector>

#include "common/text.hpp"
#include "common/unicode_text.hpp"
#include "domains/feedback/feedback_repository.hpp"

namespace pratu::feedback {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

// "1" to "5", exactly.
std::optional<int> parse_rating(std::string_view text) {
  if (text.size() != 1 || text[0] < '0' + kMinRating || text[0] > '0' + kMaxRating) {
    return std::nullopt;
  }
  return text[0] - '0';
}

// Line breaks as one LF, as the browser counts them while people type.
std::string unix_line_breaks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Control characters other than line breaks and tabs: C0, DEL and C1.
bool is_forbidden_control(UChar32 c) {
  if (c == '\n' || c == '\t') return false;
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

// The comment in NFC, or the locale key of why it cannot be stored.
struct CheckedComment {
  std::string value;
  std::string problem;
};

CheckedComment check_comment(std::string_view typed) {
  if (!is_valid_utf8(typed)) return {{}, "feedback.errors.comment_invalid"};
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return {{}, "feedback.errors.comment_invalid"};
  const icu::UnicodeString normal =
      nfc->normalize(icu::UnicodeString::fromUTF8(
                         icu::StringPiece(typed.data(), static_cast<std::int32_t>(typed.size()))),
                     status);
  if (U_FAILURE(status)) return {{}, "feedback.errors.comment_invalid"};
  for (std::int32_t i = 0; i < normal.length(); i = normal.moveIndex32(i, 1)) {
    const UChar32 c = normal.char32At(i);
    if (is_bidi_control(static_cast<char32_t>(c))) return {{}, "feedback.errors.comment_bidi"};
    if (is_forbidden_control(c)) return {{}, "feedback.errors.comment_invalid"};
  }
  std::string out;
  normal.toUTF8String(out);
  return {std::move(out), {}};
}

}  // namespace

Result<Feedback> check_feedback(const TypedFeedback& typed, int comment_max_length) {
  std::vector<FieldError> errors;
  Feedback out;
  const std::string_view rating_text = trim(typed.rating, kAsciiWhitespace);
  if (rating_text.empty()) {
    errors.push_back({"rating", "feedback.errors.rating_required"});
  } else if (auto rating = parse_rating(rating_text)) {
    out.rating = *rating;
  } else {
    errors.push_back({"rating", "feedback.errors.rating_invalid"});
  }
  const std::string comment(trim(unix_line_breaks(typed.comment), kAsciiWhitespace));
  if (!comment.empty()) {
    auto checked = check_comment(comment);
    if (!checked.problem.empty()) {
      errors.push_back({"comment", checked.problem});
    } else if (code_point_count(checked.value) > static_cast<std::size_t>(comment_max_length)) {
      errors.push_back({"comment", "feedback.errors.comment_too_long"});
    } else {
      out.comment = std::move(checked.value);
    }
  }
  if (!errors.empty()) return Error::invalid(std::move(errors));
  return out;
}

FeedbackService::FeedbackService(storage::Database& db, const Clock& clock,
                                 const FeedbackThrottle& throttle, FeedbackSettings settings)
    : db_(db), clock_(clock), throttle_(throttle), settings_(settings) {}

Result<void> FeedbackService::submit(const TypedFeedback& typed, std::string_view client_address) {
  PRATU_TRY(feedback, check_feedback(typed, settings_.comment_max_length));
  const std::int64_t now = clock_.now_seconds();
  // The count, the check and the insert in one transaction: a refused submission rolls back
  // and counts for nothing, and parallel ones cannot pass the limit together.
  return db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(throttle_.count(c, client_address));
    PRATU_CHECK(repository::insert_feedback(c, feedback, now));
    return ok();
  });
}

Result<FeedbackStatistics> FeedbackService::statistics() const {
  FeedbackStatistics out;
  out.month_start = thai_month_start(clock_.now_seconds());
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(month, repository::rating_totals(c, out.month_start));
    PRATU_TRY(all, repository::rating_totals(c, 0));
    out.this_month = month;
    out.all_time = all;
    return ok();
  }));
  return out;
}

Result<CommentPage> FeedbackService::comments(int page) const {
  CommentPage out;
  out.page = std::max(1, page);
  out.page_size = kCommentsPageSize;
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(total, repository::count_comments(c));
    PRATU_TRY(comments, repository::latest_comments(c, out.page_size,
                                                    std::int64_t{out.page - 1} * out.page_size));
    out.total = total;
    out.comments = std::move(comments);
    return ok();
  }));
  return out;
}

Result<std::int64_t> FeedbackService::forget_old_comments() {
  const std::int64_t cutoff =
      clock_.now_seconds() - std::int64_t{settings_.keep_days} * kSecondsPerDay;
  return db_.write_value<std::int64_t>(
      [&](storage::Connection& c) { return repository::delete_comments_before(c, cutoff); });
}

Result<std::int64_t> FeedbackService::purge_stale_counters() { return throttle_.purge_stale(db_); }

}  // namespace pratu::feedback
