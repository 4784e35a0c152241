#include "domains/applications/workflow_service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "common/civil_date.hpp"
#include "common/unicode_text.hpp"
#include "domains/applications/application_repository.hpp"
#include "domains/applications/workflow_loader.hpp"
#include "platform/billing.hpp"
#include "platform/document_source.hpp"
#include "platform/notices.hpp"
#include "platform/outbox.hpp"
#include "web/access.hpp"

namespace pratu::applications {
namespace {

namespace json = boost::json;

Error not_found() {
  return Error{ErrorCode::not_found, "applications.errors.not_found", "application", {}, 0};
}

Error refused(ErrorCode code, std::string key, std::string detail) {
  return Error{code, "applications.errors." + std::move(key), std::move(detail), {}, 0};
}

}  // namespace

WorkflowService::WorkflowService(storage::Database& db, const Clock& clock,
                                 const std::map<std::string, Form, std::less<>>& forms,
                                 const Workflows& workflows,
                                 const platform::ServiceDirectory& services,
                                 const SharedCalendar& calendar)
    : db_(db),
      clock_(clock),
      forms_(forms),
      workflows_(workflows),
      services_(services),
      calendar_(calendar) {}

Result<void> WorkflowService::record_versions() {
  // Read first: a start with unchanged workflows writes nothing.
  PRATU_TRY(missing, db_.read_value<std::vector<const Workflow*>>(
                         [&](storage::Connection& c) -> Result<std::vector<const Workflow*>> {
                           std::vector<const Workflow*> out;
                           for (const auto& [slug, workflow] : workflows_) {
                             PRATU_TRY(kept, repository::workflow_source(c, workflow.version));
                             if (!kept) out.push_back(&workflow);
                           }
                           return out;
                         }));
  if (missing.empty()) return ok();
  const std::int64_t now = clock_.now_seconds();
  return db_.write([&](storage::Connection& c) -> Result<void> {
    for (const Workflow* workflow : missing) {
      PRATU_CHECK(repository::record_workflow_version(c, workflow->version, workflow->service,
                                                      workflow->source, now));
    }
    return ok();
  });
}

Result<Application> WorkflowService::find_for(const web::Principal& who,
                                              std::string_view public_id) {
  PRATU_TRY(found, db_.read_value<std::optional<Application>>([&](storage::Connection& c) {
    return repository::find_application(c, public_id, false);
  }));
  if (!found || found->status != Status::submitted) return not_found();
  const bool own = who.role == web::Role::applicant && found->user_id == who.user_id;
  const bool agency =
      web::is_agency_role(who.role) && !who.agency_code.empty() && who.agency_code == found->agency;
  if (!own && !agency) return not_found();
  return std::move(*found);
}

Result<std::shared_ptr<const Workflow>> WorkflowService::workflow_of(const Application& a) {
  auto current = workflows_.find(a.service);
  if (current != workflows_.end() &&
      (a.workflow_version.empty() || a.workflow_version == current->second.version)) {
    // The current workflow lives as long as the module: shared without owning it.
    return std::shared_ptr<const Workflow>(std::shared_ptr<const Workflow>{}, &current->second);
  }
  {
    std::lock_guard lock(older_mutex_);
    if (auto it = older_.find(a.workflow_version); it != older_.end()) return it->second;
  }
  PRATU_TRY(source, db_.read_value<std::optional<std::string>>([&](storage::Connection& c) {
    return repository::workflow_source(c, a.workflow_version);
  }));
  const platform::ServiceInfo* info = services_.service(a.service);
  if (!source || info == nullptr) {
    return Error::internal("applications: no workflow " + a.workflow_version + " for " +
                           a.public_id);
  }
  PRATU_TRY(parsed, parse_workflow(*source, a.service + " " + a.workflow_version, *info));
  auto kept = std::make_shared<const Workflow>(std::move(parsed));
  std::lock_guard lock(older_mutex_);
  return older_.try_emplace(a.workflow_version, std::move(kept)).first->second;
}

Result<std::vector<QueueRow>> WorkflowService::queue(const web::Principal& who, QueueFilter filter,
                                                     bool include_decided) {
  if (!web::is_agency_role(who.role) || who.agency_code.empty()) return std::vector<QueueRow>{};
  filter.agency = who.agency_code;
  if (!include_decided && filter.state.empty() && filter.reference.empty()) {
    // The open states of the agency's services' workflows, named (an index reads a list of
    // states as ranges; it cannot leave some out). The current ones: an application under an
    // older version is in a state of the same name in every demo workflow.
    std::set<std::string> open_states;
    for (const auto& [slug, workflow] : workflows_) {
      const platform::ServiceInfo* info = services_.service(slug);
      if (info == nullptr || info->agency != who.agency_code) continue;
      if (!filter.service.empty() && filter.service != slug) continue;
      for (const auto& s : workflow.states) {
        if (!s.terminal) open_states.insert(s.id);
      }
    }
    if (open_states.empty()) return std::vector<QueueRow>{};
    filter.only_states.assign(open_states.begin(), open_states.end());
  }
  return db_.read_value<std::vector<QueueRow>>(
      [&](storage::Connection& c) { return repository::queue(c, filter); });
}

bool is_overdue(const QueueRow& row, const WorkflowState* state, std::string_view today) {
  const bool decided = state != nullptr && state->terminal;
  return !decided && !row.due_date.empty() && row.due_date < today;
}

const WorkflowState* WorkflowService::current_state(std::string_view service,
                                                    std::string_view state) const {
  auto it = workflows_.find(service);
  return it == workflows_.end() ? nullptr : it->second.state(state);
}

std::vector<const WorkflowState*> WorkflowService::states_of(std::string_view service) const {
  std::vector<const WorkflowState*> out;
  if (auto it = workflows_.find(service); it != workflows_.end()) {
    for (const auto& s : it->second.states) out.push_back(&s);
  }
  return out;
}

bool WorkflowService::held_by_another(const web::Principal& who, const Application& a) {
  return who.role == web::Role::officer && a.assigned_to != 0 && a.assigned_to != who.user_id;
}

bool WorkflowService::may_take(const web::Principal& who, const Application& a,
                               const Transition& t) {
  switch (t.actor) {
    case Actor::applicant: return who.role == web::Role::applicant && who.user_id == a.user_id;
    case Actor::officer:
      // Once an officer has it, it is theirs (and their supervisor's) to act on.
      return web::is_agency_role(who.role) && !who.agency_code.empty() &&
             who.agency_code == a.agency && !held_by_another(who, a);
    case Actor::supervisor:
      return who.role == web::Role::supervisor && !who.agency_code.empty() &&
             who.agency_code == a.agency;
    case Actor::system: return false;  // Pratu's own move, never a person's
  }
  return false;
}

Result<std::optional<InformationRequest>> WorkflowService::open_request(const Application& a) {
  std::optional<InformationRequest> out;
  PRATU_TRY(workflow, workflow_of(a));
  const WorkflowState* state = workflow->state(a.state);
  if (state == nullptr || state->terminal || state->clock != LegalClock::paused) return out;
  PRATU_TRY(events, db_.read_value<std::vector<TimelineEvent>>(
                        [&](storage::Connection& c) { return repository::events(c, a.id); }));
  out.emplace();
  // The step that brought it into this state, the latest: what it asked is what is asked.
  for (auto e = events.rbegin(); e != events.rend(); ++e) {
    if (e->kind != "transition" || e->to_state != a.state) continue;
    out->transition = e->transition;
    out->reason = e->reason;
    out->at = e->at;
    if (const auto* items = e->detail.if_contains("items"); items && items->is_array()) {
      for (const auto& item : items->get_array()) {
        if (item.is_string()) out->items.emplace_back(item.get_string());
      }
    }
    break;
  }
  return out;
}

std::vector<const Transition*> WorkflowService::steps_for(const web::Principal& who,
                                                          const Application& a,
                                                          const Workflow& w) const {
  std::vector<const Transition*> out;
  for (const Transition* t : w.exits(a.state)) {
    if (may_take(who, a, *t)) out.push_back(t);
  }
  return out;
}

Result<Application> WorkflowService::take(const web::Principal& who, std::string_view public_id,
                                          const StepRequest& request) {
  PRATU_TRY(a, find_for(who, public_id));
  PRATU_TRY(workflow, workflow_of(a));
  const Transition* t = workflow->transition(request.transition);
  if (t == nullptr) {
    return Error{ErrorCode::invalid_input,
                 "applications.errors.step_unknown",
                 request.transition,
                 {{"transition", "applications.errors.step_unknown"}},
                 0};
  }
  if (!may_take(who, a, *t)) {
    if (t->actor == Actor::officer && held_by_another(who, a)) {
      // Taken by another since the page was read: that is what happened, so that is what is
      // said; on what they saw, another officer has it.
      if (request.revision != a.revision) {
        return refused(ErrorCode::conflict, "step_changed_meanwhile", t->id);
      }
      return refused(ErrorCode::forbidden, "assigned_to_another", t->id);
    }
    return refused(ErrorCode::forbidden, "step_not_yours", t->id);
  }
  // A step chosen on an application that has changed since is refused as such, whatever it
  // is now: the person decided on what they saw.
  if (request.revision != a.revision) {
    return refused(ErrorCode::conflict, "step_changed_meanwhile", t->id);
  }
  if (std::find(t->from.begin(), t->from.end(), a.state) == t->from.end()) {
    return refused(ErrorCode::conflict, "step_not_now", t->id + " from " + a.state);
  }

  // What the step needs, each problem with its field.
  std::vector<FieldError> problems;
  std::string reason;
  if (!request.reason.empty()) {
    auto clean = nfc_trimmed(request.reason);
    if (!clean) {
      problems.push_back({"reason", "applications.errors.reason_unreadable"});
    } else if (code_point_count(*clean) > kMaxReasonCharacters) {
      problems.push_back({"reason", "applications.errors.reason_too_long"});
    } else {
      reason = std::move(*clean);
    }
  }
  if (t->needs_reason && reason.empty() &&
      std::none_of(problems.begin(), problems.end(), [](auto& p) { return p.field == "reason"; })) {
    problems.push_back({"reason", "applications.errors.reason_required"});
  }
  json::array items;
  if (t->names_items) {
    const auto form = forms_.find(a.service);
    if (request.items.empty()) {
      problems.push_back({"items", "applications.errors.items_required"});
    } else {
      for (const auto& item : request.items) {
        const bool known = form != forms_.end() && form->second.field(item).second != nullptr;
        if (!known) {
          problems.push_back({"items", "applications.errors.item_unknown"});
          break;
        }
        if (std::find(items.begin(), items.end(), json::value(item)) == items.end()) {
          items.push_back(json::value(item));
        }
      }
    }
  }
  if (request.confirmed < t->checklist.size()) {
    problems.push_back({"checklist", "applications.errors.checklist_incomplete"});
  }
  if (!problems.empty()) return Error::invalid(std::move(problems));

  const std::int64_t now = clock_.now_seconds();
  // Back from waiting for the applicant: the legal clock stood still, so the due date moves
  // on by the working days it waited (after the day it began waiting, through today).
  std::optional<DueDate> due;
  int waited = 0;
  const WorkflowState* leaving = workflow->state(a.state);
  const WorkflowState* entering = workflow->state(t->to);
  if (leaving != nullptr && leaving->clock == LegalClock::paused && entering != nullptr &&
      !entering->terminal && entering->clock == LegalClock::running && !a.due_date.empty()) {
    const auto was_due = parse_iso_date(a.due_date);
    const auto days = calendar_.working_days_between(thai_date(a.state_since), thai_date(now));
    if (was_due && days && *days > 0) {
      if (auto moved = calendar_.add_working_days(*was_due, *days)) {
        due = *moved;
        waited = *days;
      }
    }
  }
  TimelineEvent event;
  event.kind = "transition";
  event.transition = t->id;
  event.from_state = a.state;
  event.to_state = t->to;
  event.actor_role = std::string(web::role_name(who.role));
  event.actor_user_id = who.user_id;
  event.reason = reason;
  if (!items.empty()) event.detail["items"] = std::move(items);
  if (!t->checklist.empty()) event.detail["checklist"] = t->checklist.size();
  if (due) {
    event.detail["waited_working_days"] = waited;
    event.detail["due_date"] = iso_date(due->date);
  }

  auto moved = db_.write([&](storage::Connection& c) -> Result<void> {
    if (t->max_times) {
      PRATU_TRY(taken, repository::times_taken(c, a.id, t->id));
      if (taken >= *t->max_times) return refused(ErrorCode::conflict, "step_used_up", t->id);
    }
    PRATU_TRY(changed, repository::move_state(c, a, t->to, now));
    // Nobody moved it between the read and now, or the step is refused: never both succeed.
    if (changed != 1) return refused(ErrorCode::conflict, "step_changed_meanwhile", t->id);
    PRATU_CHECK(repository::add_transition_event(c, a.id, now, event));
    if (due) PRATU_CHECK(repository::set_due_date(c, a.id, iso_date(due->date), due->provisional));
    // The first officer to act on it has it from then on (it comes back to them).
    const bool claims = who.role == web::Role::officer && a.assigned_to == 0;
    if (claims) {
      PRATU_TRY(taken, repository::assign(c, a, who.user_id, now));
      if (taken != 1) return refused(ErrorCode::conflict, "step_changed_meanwhile", t->id);
    }
    return entered(c, a, *t, *workflow->state(t->to), now);
  });
  if (!moved) return moved.error();
  if (who.role == web::Role::officer && a.assigned_to == 0) {
    a.assigned_to = who.user_id;
    a.assigned_at = now;
  }
  if (due) {
    a.due_date = iso_date(due->date);
    a.due_date_provisional = due->provisional;
  }
  a.state = t->to;
  a.state_since = now;
  a.updated_at = now;
  ++a.revision;
  return a;
}

Result<std::vector<StaffMember>> WorkflowService::staff(const web::Principal& who) {
  if (!web::is_agency_role(who.role) || who.agency_code.empty()) {
    return std::vector<StaffMember>{};
  }
  return db_.read_value<std::vector<StaffMember>>(
      [&](storage::Connection& c) { return repository::staff(c, who.agency_code); });
}

Result<Application> WorkflowService::assign(const web::Principal& who, std::string_view public_id,
                                            std::int64_t to, std::int64_t expected) {
  if (!web::is_agency_role(who.role)) return refused(ErrorCode::not_found, "not_found", "");
  PRATU_TRY(a, find_for(who, public_id));
  PRATU_TRY(workflow, workflow_of(a));
  if (const WorkflowState* s = workflow->state(a.state); s != nullptr && s->terminal) {
    return refused(ErrorCode::conflict, "assign_decided", a.state);
  }
  // Decided on what the person saw: if it went to someone else since, they are told so.
  if (a.assigned_to != expected) return refused(ErrorCode::conflict, "assigned_meanwhile", "");
  if (to == a.assigned_to) return a;
  if (who.role == web::Role::officer) {
    // An officer takes what nobody has, and gives back what they have; no more.
    const bool takes = to == who.user_id && a.assigned_to == 0;
    const bool gives_back = to == 0 && a.assigned_to == who.user_id;
    if (!takes && !gives_back) return refused(ErrorCode::forbidden, "assign_not_yours", "");
  } else if (who.role != web::Role::supervisor) {
    return refused(ErrorCode::forbidden, "assign_not_yours", "");
  }
  if (to != 0) {
    PRATU_TRY(people, staff(who));
    if (std::none_of(people.begin(), people.end(),
                     [to](const StaffMember& m) { return m.user_id == to; })) {
      return Error{ErrorCode::invalid_input,
                   "applications.errors.assignee_unknown",
                   std::to_string(to),
                   {{"assignee", "applications.errors.assignee_unknown"}},
                   0};
    }
  }
  const std::int64_t now = clock_.now_seconds();
  TimelineEvent event;
  event.kind = "assigned";
  event.from_state = a.state;
  event.to_state = a.state;
  event.actor_role = std::string(web::role_name(who.role));
  event.actor_user_id = who.user_id;
  event.detail["to"] = to == 0 ? json::value(nullptr) : json::value(to);
  event.detail["from"] = a.assigned_to == 0 ? json::value(nullptr) : json::value(a.assigned_to);
  auto done = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(changed, repository::assign(c, a, to, now));
    if (changed != 1) return refused(ErrorCode::conflict, "assigned_meanwhile", "");
    return repository::add_transition_event(c, a.id, now, event);
  });
  if (!done) return done.error();
  a.assigned_to = to;
  a.assigned_at = now;
  return a;
}

Result<void> WorkflowService::add_note(const web::Principal& who, std::string_view public_id,
                                       std::string_view body) {
  if (!web::is_agency_role(who.role)) return refused(ErrorCode::not_found, "not_found", "");
  PRATU_TRY(a, find_for(who, public_id));
  auto clean = nfc_trimmed(body);
  std::string_view problem;
  if (!clean) {
    problem = "note_unreadable";
  } else if (clean->empty()) {
    problem = "note_required";
  } else if (code_point_count(*clean) > kMaxNoteCharacters) {
    problem = "note_too_long";
  }
  if (!problem.empty()) {
    const std::string key = "applications.errors." + std::string(problem);
    return Error{ErrorCode::invalid_input, key, "", {{"note", key}}, 0};
  }
  const std::int64_t now = clock_.now_seconds();
  return db_.write([&](storage::Connection& c) -> Result<void> {
    return repository::add_note(c, a.id, now, who.user_id, *clean);
  });
}

Result<std::vector<Note>> WorkflowService::notes(const web::Principal& who, const Application& a) {
  // The agency's alone: nobody else is told there are any.
  if (!web::is_agency_role(who.role) || who.agency_code != a.agency) return std::vector<Note>{};
  return db_.read_value<std::vector<Note>>(
      [&](storage::Connection& c) { return repository::notes(c, a.id); });
}

Result<std::int64_t> WorkflowService::escalate_overdue(int limit) {
  const std::int64_t now = clock_.now_seconds();
  const std::string today = iso_date(thai_date(now));
  std::set<std::string> final_states;
  for (const auto& [slug, workflow] : workflows_) {
    for (const auto& s : workflow.states) {
      if (s.terminal) final_states.insert(s.id);
    }
  }
  PRATU_TRY(candidates, db_.read_value<std::vector<Application>>([&](storage::Connection& c) {
    return repository::overdue(c, today, final_states, limit);
  }));
  std::int64_t escalated = 0;
  for (const Application& a : candidates) {
    PRATU_TRY(workflow, workflow_of(a));
    const WorkflowState* state = workflow->state(a.state);
    // Waiting for the applicant is not the agency's delay (its clock stands still).
    if (state == nullptr || state->terminal || state->clock == LegalClock::paused) continue;
    TimelineEvent event;
    event.kind = "escalated";
    event.from_state = a.state;
    event.to_state = a.state;
    event.detail["due_date"] = a.due_date;
    PRATU_TRY(told, db_.write_value<bool>([&](storage::Connection& c) -> Result<bool> {
      // Another node may be at the same application: the row's lock decides who tells.
      PRATU_TRY(held, repository::hold(c, a));
      if (held != 1) return false;
      PRATU_TRY(already, repository::escalated_since(c, a.id, a.state_since));
      if (already) return false;
      PRATU_CHECK(repository::add_transition_event(c, a.id, now, event));
      PRATU_TRY(people, repository::staff(c, a.agency));
      for (const auto& person : people) {
        if (person.role != "supervisor") continue;
        json::object payload{{"user_id", person.user_id}, {"application", a.public_id},
                             {"reference", a.reference},  {"service", a.service},
                             {"due_date", a.due_date},    {"status", text_json(state->label)}};
        PRATU_CHECK(platform::notify(c, "applications.overdue", payload, now));
      }
      return true;
    }));
    escalated += told ? 1 : 0;
  }
  return escalated;
}

Result<void> WorkflowService::entered(storage::Connection& c, const Application& a,
                                      const Transition& t, const WorkflowState& to,
                                      std::int64_t now, const platform::PaymentNews* paid) {
  // The applicant is told (the notifier composes it; nothing personal here but whom). The
  // status and what to do next travel with it, as the workflow version says them.
  json::object payload{{"user_id", a.user_id},
                       {"application", a.public_id},
                       {"service", a.service},
                       {"transition", t.id},
                       {"state", t.to},
                       {"status", text_json(to.label)},
                       {"next", text_json(to.next)},
                       {"terminal", to.terminal},
                       {"by_applicant", t.actor == Actor::applicant}};
  // The payment that took the step: the applicant reads of both in this one notice.
  if (paid != nullptr) {
    payload["bill"] = paid->bill;
    payload["paid_satang"] = paid->amount_satang;
  }
  PRATU_CHECK(
      platform::notify(c, "applications.step_taken", payload, now, platform::kEveryChannel));
  // The applicant's own step (an answer to a request) is news for the officer who has it.
  if (t.actor == Actor::applicant && a.assigned_to != 0) {
    json::object told{{"user_id", a.assigned_to},
                      {"application", a.public_id},
                      {"reference", a.reference},
                      {"service", a.service},
                      {"status", text_json(to.label)}};
    PRATU_CHECK(
        platform::notify(c, "applications.applicant_step", told, now, platform::kPortalOnly));
  }
  // The state that issues the service's document: the documents module issues it once the
  // step is committed (a rolled-back step issues nothing).
  if (documents_ != nullptr) {
    auto issuing = documents_->find(a.service);
    if (issuing != documents_->end() && issuing->second.issued_in == t.to) {
      PRATU_CHECK(platform::outbox::enqueue(
          c, platform::kIssueDocumentTopic,
          json::serialize(json::object{{"application", a.public_id}}), now));
    }
  }
  if (to.bill) PRATU_CHECK(open_bill(c, a, to, now));
  return ok();
}

Result<void> WorkflowService::open_bill(storage::Connection& c, const Application& a,
                                        const WorkflowState& to, std::int64_t now) {
  auto* billing = billing_from_ != nullptr ? billing_from_->find<platform::Billing>() : nullptr;
  if (billing == nullptr || fee_rules_ == nullptr) {
    return Error::unavailable("applications: " + a.service + " bills in '" + to.id +
                              "', but no module takes payments");
  }
  auto rules = fee_rules_->find(a.service);
  if (rules == fee_rules_->end()) return Error::internal("applications: no fees of " + a.service);
  PRATU_TRY(answers, repository::answers_of(c, a.id));
  const auto today = thai_date(now);
  PRATU_TRY(lines, rules->second.lines(to.bill->fees, answers, today));
  // Nothing to pay (no fee applies, or they come to nothing): on at once, as if paid.
  if (bill_total(lines) == 0) {
    PRATU_TRY(moved, take_system_step(c, a.public_id, to.id, now, nullptr, a.service));
    (void)moved;
    return ok();
  }
  platform::BillSpec spec;
  spec.application_id = a.id;
  spec.application = a.public_id;
  spec.reference = a.reference;
  spec.service = a.service;
  spec.agency = a.agency;
  spec.state = to.id;
  spec.holder_user_id = a.user_id;
  for (const BillLine& l : lines) {
    spec.lines.push_back({l.code, l.label_th, l.label_en, l.unit_satang, l.quantity, l.unit_th,
                          l.unit_en, l.amount_satang, l.stamp_duty, l.item});
  }
  // The last day to pay: so many working days after today (today itself when none are known).
  const auto due = calendar_.add_working_days(today, to.bill->due_working_days);
  spec.due_date = iso_date(due ? due->date : today);
  PRATU_TRY(bill, billing->open(c, spec, now));
  (void)bill;  // the application's page finds it through platform::Billing
  return ok();
}

Result<void> WorkflowService::submitted(storage::Connection& c, const Application& a,
                                        std::int64_t now) {
  PRATU_TRY(workflow, workflow_of(a));
  const WorkflowState* first = workflow->state(a.state);
  if (first == nullptr || !first->bill) return ok();
  return open_bill(c, a, *first, now);
}

namespace {

// The system transition out of `state` in `workflow`: the last one listed (nullptr: none).
const Transition* system_exit(const Workflow& workflow, std::string_view state) {
  const Transition* system = nullptr;
  for (const Transition* t : workflow.exits(state)) {
    if (t->actor == Actor::system) system = t;
  }
  return system;
}

}  // namespace

Result<bool> WorkflowService::take_system_step(storage::Connection& c, std::string_view public_id,
                                               std::string_view state, std::int64_t now,
                                               const platform::PaymentNews* paid,
                                               std::string_view service) {
  TimelineEvent event;
  event.kind = "transition";
  event.from_state = std::string(state);
  // The step reads no answers (a bill it opens reads its own): they are left behind.
  std::optional<Application> found;
  std::shared_ptr<const Workflow> workflow;
  const Transition* system = nullptr;
  if (auto current = workflows_.find(service); current != workflows_.end()) {
    // The service's current workflow says where the step leads: the application is moved, and
    // the step recorded, if it is there under that workflow, and its row comes back.
    workflow = std::shared_ptr<const Workflow>(std::shared_ptr<const Workflow>{}, &current->second);
    system = system_exit(*workflow, state);
    if (system != nullptr && workflow->state(system->to) != nullptr) {
      event.transition = system->id;
      event.to_state = system->to;
      PRATU_TRY(moved,
                repository::move_if_in_state(c, public_id, service, workflow->version, event, now));
      found = std::move(moved);
    }
  }
  if (!found) {
    // Otherwise (another workflow version, or no longer in that state) read first, locked.
    PRATU_TRY(read, repository::find_application_to_step(c, public_id));
    if (!read || read->state != state) return false;
    found = std::move(read);
    PRATU_TRY(its, workflow_of(*found));
    workflow = std::move(its);
    system = system_exit(*workflow, state);
    if (system == nullptr || workflow->state(system->to) == nullptr) {
      return Error::internal("applications: '" + found->state + "' of " + found->service +
                             " has no system transition");
    }
    event.transition = system->id;
    event.to_state = system->to;
    // Its row is locked since the read (PostgreSQL; SQLite has one writer): the move holds.
    PRATU_CHECK(repository::move_locked_state(c, *found, system->to, now));
    PRATU_CHECK(repository::add_transition_event(c, found->id, now, event));
  }
  PRATU_CHECK(entered(c, *found, *system, *workflow->state(system->to), now, paid));
  return true;
}

}  // namespace pratu::applications
