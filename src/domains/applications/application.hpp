#pragma once
/// An application as it is kept: a draft while the applicant fills it in, then the application
/// submitted, with its reference number and due date. Plain types, no I/O.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pratu::applications {

/// Where an application stands. Later steps of the journey (review, decision) add theirs.
enum class Status { draft, submitted };
/// "draft" | "submitted": what the database and the API hold.
std::string_view status_key(Status status);
std::optional<Status> status_of(std::string_view key);

struct Application {
  std::int64_t id = 0;
  std::string public_id;  // random; what URLs and the API name
  std::int64_t user_id = 0;
  std::string service;  // the service's slug
  std::string agency;   // its agency's code
  std::string form_version;
  Status status = Status::draft;
  /// A draft's raw answers, every one kept; a submission's, pruned to what was asked.
  boost::json::object answers;
  std::int64_t revision = 0;  // counts saves
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  // Submitted only.
  std::int64_t submitted_at = 0;
  std::string submission_key;
  std::string reference;
  std::string due_date;  // YYYY-MM-DD
  bool due_date_provisional = false;
  std::string workflow_version;  // "sha256:<hex>" of the workflow it is submitted under
  std::string state;             // the workflow's state (docs/workflows.md)
  std::int64_t state_since = 0;  // when it entered that state
  std::int64_t assigned_to = 0;  // the officer who has it (a user id), 0: nobody yet
  std::int64_t assigned_at = 0;
  std::string renews;  // the document number this application renews; empty: none
};

/// One line of an agency's work queue.
struct QueueRow {
  std::string public_id;
  std::string reference;
  std::string service;
  std::string state;
  std::string due_date;  // YYYY-MM-DD, or empty
  std::int64_t submitted_at = 0;
  std::int64_t state_since = 0;
  std::string applicant;             // given and family name
  std::int64_t assigned_to = 0;      // the officer who has it, 0: nobody
  std::string assignee;              // their name
  std::int64_t unread_messages = 0;  // the applicant's, not yet read by the agency
};

/// What an agency's work queue shows.
struct QueueFilter {
  std::string agency;
  std::string service;  // one service's, or all
  std::string state;    // one state's, or all
  // When not empty, only these states (the open ones, unless the decided are asked for).
  std::vector<std::string> only_states;
  std::string reference;                    // the one application with this reference
  std::string name;                         // applicants whose given or family name starts so
  std::optional<std::int64_t> assigned_to;  // only those this officer has; 0: nobody has
  int limit = 50;
  int offset = 0;
};

/// Sets what `filter` searches for from `q` as a person types it: a reference (it has a "-")
/// names one application, anything else is the start of a name (at most 100 bytes).
void search_for(QueueFilter& filter, std::string_view q);

/// One entry of an application's timeline.
struct TimelineEvent {
  std::int64_t at = 0;
  // started | submitted | transition | amended (answers the agency asked for) | assigned (to an
  // officer: the agency's own, never shown to the applicant)
  std::string kind;
  // A transition of the workflow (kind "transition"):
  std::string transition;
  std::string from_state, to_state;
  std::string actor_role;  // applicant | officer | supervisor: the applicant sees the agency
  std::int64_t actor_user_id = 0;
  std::string reason;
  // {"items": [...], "checklist": n}; amended: {"items", "previous"}; assigned: {"to", "from"}
  boost::json::object detail;
};

/// A note an officer or supervisor keeps on an application: the agency's alone.
struct Note {
  std::int64_t at = 0;
  std::int64_t author_user_id = 0;
  std::string author;  // their name
  std::string body;
};

/// One of an agency's people to whom work may be given.
struct StaffMember {
  std::int64_t user_id = 0;
  std::string name;
  std::string role;  // officer | supervisor
};

}  // namespace pratu::applications
