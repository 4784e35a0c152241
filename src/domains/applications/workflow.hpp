#pragma once
/// A service's workflow, as defined in services/<agency>/<slug>/workflow.yaml: the states a
/// submitted application passes through, the transitions between them, who may take each and
/// what each needs, the status the applicant sees, and each state's time limit in working
/// days. Plain types, no I/O; the format is in docs/workflows.md and the loader in
/// workflow_loader.hpp.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domains/applications/form.hpp"

namespace boost::json {
class object;
}

namespace pratu::applications {

/// Whose move it is in a state: the agency's (the legal clock runs) or the applicant's (it
/// waits for them: the clock is paused).
enum class LegalClock { running, paused };

/// Who may take a transition. An agency supervisor may also take an officer's. No person takes
/// a system transition: Pratu does, when what its state waits for happens (a bill is paid).
enum class Actor { applicant, officer, supervisor, system };
/// "applicant" | "officer" | "supervisor" | "system", as written in workflow.yaml.
std::string_view actor_key(Actor actor);
std::optional<Actor> actor_of(std::string_view key);

/// What a state that bills charges (docs/adr/0026): the service's fees by code, each billed
/// when its condition holds, and how long the applicant has to pay.
struct StateBill {
  std::vector<std::string> fees;
  int due_working_days = 7;
};

/// One state of an application after its submission.
struct WorkflowState {
  std::string id;  // "in_review"; what the database and the API hold
  Text label;      // the status the applicant and the officer see
  Text next;       // what happens next, or what the applicant should do, shown on the timeline
  bool terminal = false;
  LegalClock clock = LegalClock::running;  // non-terminal states only
  std::optional<int> limit_working_days;   // how long the state may last, if limited
  std::optional<StateBill> bill;  // entering it bills the applicant; paid, it takes its system exit
};

/// One move from some states to another.
struct Transition {
  std::string id;  // "request_information"
  Text label;      // the button that takes it: "Request more information"
  std::vector<std::string> from;
  std::string to;
  Actor actor = Actor::officer;
  bool needs_reason = false;     // a reason, shown to the applicant
  bool names_items = false;      // the answers and documents the applicant must change
  std::vector<Text> checklist;   // each confirmed by whoever takes it
  std::optional<int> max_times;  // how often one application may take it (the law allows one
                                 // request for more documents)
};

struct Workflow {
  std::string service;  // the service's slug
  std::string version;  // "sha256:<hex>" of the file: an application keeps the version it began on
  std::string initial;  // the state a submission enters
  std::vector<WorkflowState> states;
  std::vector<Transition> transitions;
  std::string source;  // the file as read, kept with each version (workflow_versions)

  /// The state `id`, or nullptr.
  const WorkflowState* state(std::string_view id) const;
  /// The transition `id`, or nullptr.
  const Transition* transition(std::string_view id) const;
  /// The transitions out of `state`, in the file's order.
  std::vector<const Transition*> exits(std::string_view state) const;
};

/// The workflows of the services that take applications, by slug.
using Workflows = std::map<std::string, Workflow, std::less<>>;

/// The workflow as the API gives it (docs/openapi: WorkflowDefinition), and its parts.
boost::json::object workflow_json(const Workflow& workflow);
boost::json::object state_json(const WorkflowState& state);
boost::json::object transition_json(const Transition& transition);
boost::json::object text_json(const Text& text);

}  // namespace pratu::applications
