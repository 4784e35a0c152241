#pragma once
/// SQL for applications, the same on both engines. Functions take a connection inside a
/// transaction; the service decides the transactions.

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "domains/applications/application.hpp"
#include "storage/database.hpp"

namespace pratu::applications::repository {

/// Inserts `application` (a draft); returns its id.
Result<std::int64_t> insert_application(storage::Connection& c, const Application& application);

/// The application `public_id`, if any; `for_update` locks its row until the transaction ends
/// (PostgreSQL; SQLite's writer is alone anyway).
Result<std::optional<Application>> find_application(storage::Connection& c,
                                                    std::string_view public_id,
                                                    bool for_update = false);
/// The same, locked, without its answers (an empty object): for a step that reads none, such
/// as the one a payment takes, so the answers are neither sent nor parsed.
Result<std::optional<Application>> find_application_to_step(storage::Connection& c,
                                                            std::string_view public_id);

/// `user_id`'s latest draft of `service`, if any.
Result<std::optional<Application>> find_draft(storage::Connection& c, std::int64_t user_id,
                                              std::string_view service);

/// One of an applicant's submitted applications, as far as reusing its answers needs.
struct SubmittedRef {
  std::int64_t id = 0;
  std::string service;
};
/// `user_id`'s submitted applications, the latest change first, without their answers.
Result<std::vector<SubmittedRef>> submitted_of(storage::Connection& c, std::int64_t user_id,
                                               int limit);
/// The answers of application `id` (not_found when there is none).
Result<boost::json::object> answers_of(storage::Connection& c, std::int64_t id);
/// The answers of each of applications `ids` as stored (JSON text), by id, in one query; an id
/// with no application is absent.
Result<std::unordered_map<std::int64_t, std::string>> answer_texts_of(
    storage::Connection& c, std::span<const std::int64_t> ids);

/// `user_id`'s applications, the latest change first; only those in `status` when given.
Result<std::vector<Application>> applications_of(storage::Connection& c, std::int64_t user_id,
                                                 std::optional<Status> status, int limit);

/// Writes a draft's answers as the save after `revision`; returns the rows changed (0 when the
/// draft is gone, submitted, or another save came first).
Result<std::int64_t> update_answers(storage::Connection& c, std::int64_t id,
                                    const boost::json::object& answers, std::int64_t revision,
                                    std::int64_t now);

/// The next reference sequence of `agency` in `year`, counted in the transaction.
Result<std::int64_t> next_sequence(storage::Connection& c, std::string_view agency, int year);

/// Turns the draft `id` into the submitted `application`; 0 rows when it was no draft.
Result<std::int64_t> mark_submitted(storage::Connection& c, const Application& application);

Result<void> add_event(storage::Connection& c, std::int64_t application_id, std::int64_t at,
                       std::string_view kind);
Result<std::vector<TimelineEvent>> events(storage::Connection& c, std::int64_t application_id);

/// A page of an agency's work queue: the earliest due first (those without a due date last),
/// then the earliest submitted.
Result<std::vector<QueueRow>> queue(storage::Connection& c, const QueueFilter& filter);

/// Moves `a` from its state to `to` if nobody changed it since it was read (its revision and
/// state as `a` holds them); the rows changed: 0 when someone else did.
Result<std::int64_t> move_state(storage::Connection& c, const Application& a, std::string_view to,
                                std::int64_t now);
/// Takes Pratu's own `step` (its from_state, to_state and transition; no actor) for the
/// application `public_id` of `service`, if it is in the step's from_state under workflow
/// `version` (or under none recorded): moves it and records the step's event, the move in one
/// statement (on PostgreSQL the event too). The row as it is after the move (answers left out,
/// as find_application_to_step), or nothing, unchanged.
Result<std::optional<Application>> move_if_in_state(storage::Connection& c,
                                                    std::string_view public_id,
                                                    std::string_view service,
                                                    std::string_view version,
                                                    const TimelineEvent& step, std::int64_t now);
/// Moves `a`, read in this transaction with its row locked (find_application's `for_update`),
/// from its state to `to`: nobody can have changed it, so the write is deferred (sent with the
/// next statement or the commit) and nothing is counted.
Result<void> move_locked_state(storage::Connection& c, const Application& a, std::string_view to,
                               std::int64_t now);
/// Sets the answers of the submitted application `a` if nobody changed it since it was read
/// (its revision and state as `a` holds them); the rows changed: 0 when someone else did.
Result<std::int64_t> amend_answers(storage::Connection& c, const Application& a,
                                   const boost::json::object& answers, std::int64_t now);
/// Records a step on the timeline (`e`: its kind, "transition" when empty; transition,
/// states, actor, reason, detail).
Result<void> add_transition_event(storage::Connection& c, std::int64_t application_id,
                                  std::int64_t at, const TimelineEvent& e);
/// How often `transition` was taken on the application.
Result<std::int64_t> times_taken(storage::Connection& c, std::int64_t application_id,
                                 std::string_view transition);
/// Keeps the text of a workflow version (once).
Result<void> record_workflow_version(storage::Connection& c, std::string_view version,
                                     std::string_view service, std::string_view source,
                                     std::int64_t now);
/// The text of workflow version `version`, if kept.
Result<std::optional<std::string>> workflow_source(storage::Connection& c,
                                                   std::string_view version);

/// Drafts last changed before `cutoff` and not yet warned about: (id, user id, service).
struct StaleDraft {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string public_id;
  std::string service;
  std::int64_t updated_at = 0;
};
Result<std::vector<StaleDraft>> drafts_to_warn(storage::Connection& c, std::int64_t cutoff,
                                               int limit);
/// Records that the applicant of draft `id` was told; 0 rows when another node already did.
Result<std::int64_t> mark_warned(storage::Connection& c, std::int64_t id, std::int64_t now);
/// Deletes drafts last changed before `cutoff` that were warned at least `warned_before` ago.
Result<std::int64_t> delete_drafts(storage::Connection& c, std::int64_t cutoff,
                                   std::int64_t warned_before);

/// Submitted applications due before `today` (YYYY-MM-DD), in no state of `final_states`, not
/// escalated since they entered their state; the longest overdue first.
Result<std::vector<Application>> overdue(storage::Connection& c, const std::string& today,
                                         const std::set<std::string>& final_states, int limit);
/// Locks the application's row for the transaction if it is still in the state and due date
/// `a` holds; the rows held: 0 when it moved on.
Result<std::int64_t> hold(storage::Connection& c, const Application& a);
/// Whether the application was escalated at or after `since`.
Result<bool> escalated_since(storage::Connection& c, std::int64_t application_id,
                             std::int64_t since);
/// Sets the application's due date (the legal clock stood still while it waited).
Result<void> set_due_date(storage::Connection& c, std::int64_t id, const std::string& due_date,
                          bool provisional);
/// Gives `a` to officer `to` (0: to nobody) if it is still with whom `a` says it is; the rows
/// changed: 0 when someone else gave it to another meanwhile.
Result<std::int64_t> assign(storage::Connection& c, const Application& a, std::int64_t to,
                            std::int64_t now);
Result<void> add_note(storage::Connection& c, std::int64_t application_id, std::int64_t at,
                      std::int64_t author, std::string_view body);
/// The application's notes, the oldest first, with their authors' names.
Result<std::vector<Note>> notes(storage::Connection& c, std::int64_t application_id);
/// The officers and supervisors of `agency`, by name.
Result<std::vector<StaffMember>> staff(storage::Connection& c, std::string_view agency);

}  // namespace pratu::applications::repository
