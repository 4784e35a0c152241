#pragma once
/// A submitted application's way through its service's workflow (docs/workflows.md): who may
/// see it, which steps each person may take now, and taking one, once, with whatever it needs.
/// The applicant reaches only their own applications; an officer or supervisor only their
/// agency's; for anyone else an application is not found, whether or not it exists.
///
/// Taking a step is one transaction that moves the application only if nobody moved it since
/// the actor read it (its revision), so two officers acting at once cannot both succeed; it
/// records the step on the timeline and queues a notification for the applicant in the outbox.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "common/shared_calendar.hpp"
#include "domains/applications/application.hpp"
#include "domains/applications/document_template.hpp"
#include "domains/applications/fee_rules.hpp"
#include "domains/applications/form.hpp"
#include "domains/applications/workflow.hpp"
#include "platform/billing.hpp"
#include "platform/service_directory.hpp"
#include "platform/services.hpp"
#include "storage/database.hpp"
#include "web/context.hpp"

namespace pratu::applications {

/// What the person taking a step gives.
struct StepRequest {
  std::string transition;          // the workflow transition's id
  std::int64_t revision = 0;       // the application's revision as they saw it
  std::string reason;              // when the transition requires one
  std::vector<std::string> items;  // when it names items: ids of the form's questions
  std::size_t confirmed = 0;       // checklist lines confirmed (all are needed)
};

/// What the agency asked the applicant for, on an application waiting for them.
struct InformationRequest {
  std::string transition;          // the step that asked
  std::string reason;              // as the officer wrote it
  std::vector<std::string> items;  // ids of the questions to change; may be none
  std::int64_t at = 0;
};

/// The longest reason, in characters.
inline constexpr std::size_t kMaxReasonCharacters = 2000;
/// The longest note, in characters.
inline constexpr std::size_t kMaxNoteCharacters = 4000;

/// Whether `row`, in `state` (of its workflow; nullptr when unknown), is past its due date on
/// `today` (YYYY-MM-DD): a decided one never is.
bool is_overdue(const QueueRow& row, const WorkflowState* state, std::string_view today);

class WorkflowService {
 public:
  /// `calendar` counts the working days the legal clock stood still (an empty one: the due
  /// date never moves).
  WorkflowService(storage::Database& db, const Clock& clock,
                  const std::map<std::string, Form, std::less<>>& forms, const Workflows& workflows,
                  const platform::ServiceDirectory& services,
                  const SharedCalendar& calendar = SharedCalendar::none());

  /// From now on, a step into the state a service's document template names queues the
  /// document's issue (platform/document_source.hpp) in the step's transaction.
  void issue_documents(const DocumentTemplates& templates) { documents_ = &templates; }

  /// From now on, a step into a state that bills (docs/adr/0026) opens the bill, its lines
  /// worked out by the service's `fees`, through the platform::Billing `services` offer, in the
  /// step's transaction.
  void bill_with(const std::map<std::string, FeeRules, std::less<>>& fees,
                 const platform::Services& services) {
    fee_rules_ = &fees;
    billing_from_ = &services;
  }

  /// For the payments module (platform::PaidBills), in the transaction `c` that records the
  /// payment of the bill application `public_id` was sent in `state`: takes the state's system
  /// transition, its notice telling of `paid` when given. False, changing nothing, when the
  /// application is no longer in that state. `service`, the application's, when known: the
  /// step under its current workflow is then one statement.
  Result<bool> take_system_step(storage::Connection& c, std::string_view public_id,
                                std::string_view state, std::int64_t now,
                                const platform::PaymentNews* paid = nullptr,
                                std::string_view service = {});

  /// In the submission's transaction `c`: an application fee. When the first state of the
  /// workflow `a` was submitted under bills, opens its bill (or, with nothing to pay, takes
  /// the state's system transition at once).
  Result<void> submitted(storage::Connection& c, const Application& a, std::int64_t now);

  /// Keeps the text of every workflow version in use (once each), so that an application
  /// goes on under the version it was submitted under after the file changes.
  Result<void> record_versions();

  /// The submitted application `public_id` if `who` may see it: its applicant, or an officer
  /// or supervisor of its agency. not_found otherwise.
  Result<Application> find_for(const web::Principal& who, std::string_view public_id);

  /// The workflow `application` runs under: the version it was submitted under.
  Result<std::shared_ptr<const Workflow>> workflow_of(const Application& application);

  /// The steps `who` may take on `application` now, in the workflow's order.
  std::vector<const Transition*> steps_for(const web::Principal& who,
                                           const Application& application,
                                           const Workflow& workflow) const;

  /// What the agency asked of the applicant, when `application` waits for them (a paused
  /// state): the step that brought it there, with its reason and the questions it named.
  /// nullopt when it does not wait for the applicant.
  Result<std::optional<InformationRequest>> open_request(const Application& application);

  /// A page of the work queue of `who`'s agency (officers and supervisors only: empty for
  /// anyone else); the decided ones are left out unless `include_decided` or a state or a
  /// reference is asked for.
  Result<std::vector<QueueRow>> queue(const web::Principal& who, QueueFilter filter,
                                      bool include_decided);

  /// State `state` of `service`'s current workflow, or nullptr.
  const WorkflowState* current_state(std::string_view service, std::string_view state) const;
  /// The states of `service`'s current workflow, in order (for a filter).
  std::vector<const WorkflowState*> states_of(std::string_view service) const;

  /// Takes a step: the application as it is after it. Fails with not_found (not theirs to
  /// see), forbidden (applications.errors.step_not_yours), conflict (step_not_now: the
  /// application is no longer in a state the step leaves; step_changed_meanwhile: someone
  /// changed it since `request.revision`; step_used_up), or invalid_input with the fields at
  /// fault (reason, items, checklist).
  Result<Application> take(const web::Principal& who, std::string_view public_id,
                           const StepRequest& request);

  /// Gives the application to officer `to` of the agency (0: to nobody), if it is still with
  /// `expected` (0: nobody), as the person saw it (conflict: assigned_meanwhile). An officer
  /// takes one nobody has, or gives back their own; a supervisor gives any to anyone of the
  /// agency (invalid_input: assignee_unknown otherwise). A decided one stays as it is.
  /// Recorded on the timeline as the agency's ("assigned"), never shown to the applicant.
  Result<Application> assign(const web::Principal& who, std::string_view public_id, std::int64_t to,
                             std::int64_t expected);
  /// The officers and supervisors of `who`'s agency (none for anyone else).
  Result<std::vector<StaffMember>> staff(const web::Principal& who);
  /// Keeps a note on the application, for the agency's eyes only (invalid_input: note).
  Result<void> add_note(const web::Principal& who, std::string_view public_id,
                        std::string_view body);
  /// Housekeeping: tells the supervisors of each agency (an outbox row each, topic
  /// applications.overdue) of an application past its due date while the agency has it, once
  /// per state it is in; recorded on the agency's timeline ("escalated"). Safe to run on
  /// several nodes at once. Returns the applications escalated.
  Result<std::int64_t> escalate_overdue(int limit = 200);

  /// The notes on `application`: none unless `who` is of its agency.
  Result<std::vector<Note>> notes(const web::Principal& who, const Application& application);

 private:
  // What entering `to` by `t` brings, in the step's transaction: the applicant (and the officer
  // who has it) told (of `paid` too, the payment that took the step), the document issued,
  // the bill opened.
  Result<void> entered(storage::Connection& c, const Application& a, const Transition& t,
                       const WorkflowState& to, std::int64_t now,
                       const platform::PaymentNews* paid = nullptr);
  // Opens the bill of `to` for `a` (platform::Billing); a bill of nothing is not opened.
  Result<void> open_bill(storage::Connection& c, const Application& a, const WorkflowState& to,
                         std::int64_t now);
  // An officer's, on an application another officer has.
  static bool held_by_another(const web::Principal& who, const Application& application);
  // Whether `who` is the one `transition` is for, on `application`.
  static bool may_take(const web::Principal& who, const Application& application,
                       const Transition& transition);

  storage::Database& db_;
  const Clock& clock_;
  const std::map<std::string, Form, std::less<>>& forms_;
  const Workflows& workflows_;
  const platform::ServiceDirectory& services_;
  const SharedCalendar& calendar_;                // replaced as the holidays change
  const DocumentTemplates* documents_ = nullptr;  // the services that issue a document
  const std::map<std::string, FeeRules, std::less<>>* fee_rules_ = nullptr;
  const platform::Services* billing_from_ = nullptr;  // where platform::Billing is offered
  // Workflow versions no longer current, read back from workflow_versions as needed.
  std::mutex older_mutex_;
  std::map<std::string, std::shared_ptr<const Workflow>, std::less<>> older_;
};

}  // namespace pratu::applications
