#include "domains/feedback/feedback_repository.hpp"

namespace pratu::feedback::repository {

Result<std::int64_t> insert_feedback(storage::Connection& c, const Feedback& feedback,
                                     std::int64_t created_at) {
  storage::Value comment = nullptr;
  if (feedback.comment) comment = *feedback.comment;
  PRATU_TRY(row, c.query_one("INSERT INTO feedback (rating, comment, created_at) "
                             "VALUES ($1, $2, $3) RETURNING id",
                             {std::int64_t{feedback.rating}, comment, created_at}));
  if (!row) return Error::internal("feedback insert returned no row");
  return row->int64(0);
}

Result<RatingTotals> rating_totals(storage::Connection& c, std::int64_t since) {
  PRATU_TRY(rows, c.query("SELECT rating, COUNT(*) FROM feedback WHERE created_at >= $1 "
                          "GROUP BY rating",
                          {since}));
  RatingTotals totals;
  for (const auto& row : rows) {
    const std::int64_t rating = row.int64(0);
    if (rating >= kMinRating && rating <= kMaxRating) totals.per_rating[rating - 1] = row.int64(1);
  }
  return totals;
}

Result<std::vector<StoredComment>> latest_comments(storage::Connection& c, int limit,
                                                   std::int64_t offset) {
  PRATU_TRY(rows, c.query("SELECT id, rating, comment, created_at FROM feedback "
                          "WHERE comment IS NOT NULL ORDER BY created_at DESC, id DESC "
                          "LIMIT $1 OFFSET $2",
                          {std::int64_t{limit}, offset}));
  std::vector<StoredComment> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back({row.int64(0), static_cast<int>(row.int64(1)), row.text(2), row.int64(3)});
  }
  return out;
}

Result<std::int64_t> count_comments(storage::Connection& c) {
  PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM feedback WHERE comment IS NOT NULL"));
  return row ? row->int64(0) : 0;
}

Result<std::int64_t> delete_comments_before(storage::Connection& c, std::int64_t cutoff) {
  return c.execute(
      "UPDATE feedback SET comment = NULL WHERE comment IS NOT NULL AND created_at < $1", {cutoff});
}

Result<ThrottleCounter> count_submission(storage::Connection& c, std::string_view key_hash,
                                         std::int64_t now, std::int64_t window_cutoff) {
  // SET expressions read the row as it was, on both engines.
  PRATU_TRY(row, c.query_one("INSERT INTO feedback_throttle (key_hash, submissions, window_start) "
                             "VALUES ($1, 1, $2) "
                             "ON CONFLICT (key_hash) DO UPDATE SET "
                             "submissions = CASE WHEN feedback_throttle.window_start <= $3 "
                             "THEN 1 ELSE feedback_throttle.submissions + 1 END, "
                             "window_start = CASE WHEN feedback_throttle.window_start <= $3 "
                             "THEN excluded.window_start ELSE feedback_throttle.window_start END "
                             "RETURNING submissions, window_start",
                             {std::string(key_hash), now, window_cutoff}));
  if (!row) return Error::internal("feedback_throttle upsert returned no row");
  return ThrottleCounter{row->int64(0), row->int64(1)};
}

Result<std::int64_t> delete_throttle_before(storage::Connection& c, std::int64_t window_cutoff) {
  return c.execute("DELETE FROM feedback_throttle WHERE window_start <= $1", {window_cutoff});
}

}  // namespace pratu::feedback::repository
