#include "domains/applications/application.hpp"

#include <algorithm>
#include <cctype>

#include "common/text.hpp"

namespace pratu::applications {

std::string_view status_key(Status status) {
  switch (status) {
    case Status::draft: return "draft";
    case Status::submitted: return "submitted";
  }
  return "draft";
}

std::optional<Status> status_of(std::string_view key) {
  if (key == "draft") return Status::draft;
  if (key == "submitted") return Status::submitted;
  return std::nullopt;
}

void search_for(QueueFilter& filter, std::string_view q) {
  q = trim(q, kAsciiWhitespace);
  if (q.empty()) return;
  if (q.find('-') != std::string_view::npos) {
    filter.reference = std::string(q);
    for (char& ch : filter.reference) {
      ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
  } else {
    // Cut at a character's start: a name typed in Thai is three bytes a letter.
    std::size_t end = std::min<std::size_t>(q.size(), 100);
    while (end < q.size() && end > 0 && (static_cast<unsigned char>(q[end]) & 0xC0) == 0x80) --end;
    filter.name = std::string(q.substr(0, end));
  }
}

}  // namespace pratu::applications
