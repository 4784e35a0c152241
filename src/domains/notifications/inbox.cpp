#include "domains/notifications/inbox.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace pratu::notifications {

namespace json = boost::json;

namespace {

Result<std::int64_t> count_unread(storage::Connection& c, std::int64_t user_id) {
  PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM notices WHERE user_id = $1 AND read_at IS NULL",
                             {user_id}));
  return row ? row->int64(0) : 0;
}

}  // namespace

Result<NoticePage> Inbox::page(std::int64_t user_id, std::optional<std::int64_t> before,
                               int limit) {
  limit = std::clamp(limit, 1, kMaxPageSize);
  return db_.read_value<NoticePage>([&](storage::Connection& c) -> Result<NoticePage> {
    NoticePage out;
    // One more than asked for tells whether there is a next page.
    PRATU_TRY(rows, c.query("SELECT id, topic, application, payload, created_at, read_at "
                            "FROM notices WHERE user_id = $1 AND id < $2 "
                            "ORDER BY id DESC LIMIT $3",
                            {user_id, before.value_or(INT64_MAX), std::int64_t{limit} + 1}));
    for (const auto& row : rows) {
      if (static_cast<int>(out.notices.size()) == limit) {
        out.older_than = out.notices.back().id;
        break;
      }
      Notice n;
      n.id = row.int64(0);
      n.topic = row.text(1);
      n.application = row.text(2);
      boost::system::error_code ec;
      auto parsed = json::parse(row.text(3), ec);
      if (!ec && parsed.is_object()) n.payload = std::move(parsed.as_object());
      n.created_at = row.int64(4);
      n.read = !row.is_null(5);
      out.notices.push_back(std::move(n));
    }
    PRATU_TRY(unread, count_unread(c, user_id));
    out.unread = unread;
    return out;
  });
}

Result<std::int64_t> Inbox::unread(std::int64_t user_id) {
  return db_.read_value<std::int64_t>(
      [&](storage::Connection& c) { return count_unread(c, user_id); });
}

Result<std::int64_t> Inbox::mark_read(std::int64_t user_id, std::int64_t upto, std::int64_t from) {
  const std::int64_t now = clock_.now_seconds();
  return db_.write_value<std::int64_t>([&](storage::Connection& c) {
    return c.execute(
        "UPDATE notices SET read_at = $1 "
        "WHERE user_id = $2 AND id <= $3 AND id >= $4 AND read_at IS NULL",
        {now, user_id, upto, from});
  });
}

Result<std::int64_t> Inbox::sweep() {
  const std::int64_t cutoff = clock_.now_seconds() - kKeepSeconds;
  return db_.write_value<std::int64_t>([&](storage::Connection& c) {
    return c.execute("DELETE FROM notices WHERE created_at < $1", {cutoff});
  });
}

}  // namespace pratu::notifications
