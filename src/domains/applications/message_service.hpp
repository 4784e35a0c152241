#pragma once
/// The message thread of a submitted application: its applicant and its agency's officers and
/// supervisors write to each other on it (the applicant may attach a file from their wallet),
/// each side sees what the other wrote since it last read the thread, and the applicant is told
/// of the agency's messages (an outbox row, topic applications.message). Who may read and write
/// is who may see the application (WorkflowService::find_for); to anyone else it is not found.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "domains/applications/upload_service.hpp"
#include "domains/applications/workflow_service.hpp"
#include "storage/database.hpp"

namespace pratu::applications {

/// The longest message, in characters.
inline constexpr std::size_t kMaxMessageCharacters = 4000;

struct Message {
  std::int64_t id = 0;
  std::int64_t at = 0;
  bool from_agency = false;
  std::int64_t author_user_id = 0;  // never shown to the applicant
  std::string body;
  std::string file_sha256;  // empty: no file
  std::string file_name;
  std::string file_media_type;
  std::int64_t file_size = 0;
};

class MessageService {
 public:
  MessageService(storage::Database& db, const Clock& clock, WorkflowService& workflows,
                 UploadService& uploads);

  /// The thread of `application` (found for `who`), the oldest first; marks it read for
  /// `who`'s side when `mark_read`.
  Result<std::vector<Message>> thread(const web::Principal& who, const Application& application,
                                      bool mark_read);
  /// How many messages of the other side `who` has not read yet.
  Result<std::int64_t> unread(const web::Principal& who, const Application& application);
  /// For applicant `user_id`: the agency's messages not read yet, by application id (only
  /// those with some).
  Result<std::map<std::int64_t, std::int64_t>> unread_by_application(std::int64_t user_id);
  /// Writes a message on application `public_id` as `who`: `body` trimmed, NFC, 1–4,000
  /// characters (invalid_input: message); `document`, when not empty, a document of the
  /// applicant's own wallet (invalid_input: document). Officers attach nothing.
  Result<Message> post(const web::Principal& who, std::string_view public_id, std::string_view body,
                       std::string_view document);
  /// The file attached to message `message_id` of `application`: not_found when none.
  Result<Message> attached(const Application& application, std::int64_t message_id);

 private:
  storage::Database& db_;
  const Clock& clock_;
  WorkflowService& workflows_;
  UploadService& uploads_;
};

}  // namespace pratu::applications
