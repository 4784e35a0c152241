#include "domains/applications/workflow_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <set>

#include "common/files.hpp"
#include "crypto/digest.hpp"

namespace pratu::applications {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxTimes = 100;

// The state a draft is in: the applications' own, before any workflow.
constexpr std::string_view kDraftState = "draft";

// What a transition may require besides a checklist.
constexpr std::string_view kReason = "reason";
constexpr std::string_view kItems = "items";

// Reads one workflow file, recording its problems with their line and place.
class WorkflowReader : public DefinitionReader {
 public:
  WorkflowReader(std::string file, const platform::ServiceInfo& service)
      : DefinitionReader(std::move(file)), service_(service) {}

  Workflow read(std::string_view yaml);

 private:
  WorkflowState read_state(const YAML::Node& node, std::size_t index);
  StateBill read_bill(const YAML::Node& node);
  Transition read_transition(const YAML::Node& node, std::size_t index);
  void check_graph(const Workflow& workflow, const YAML::Node& states,
                   const YAML::Node& transitions);

  // The place of each state and transition in the file, for the graph's problems.
  std::map<std::string, YAML::Node, std::less<>> state_nodes_;
  std::map<std::string, YAML::Node, std::less<>> transition_nodes_;
  // States whose clock, and transitions whose actor, could not be read: the checks that
  // depend on them are skipped rather than report what follows from the first problem.
  std::set<std::string, std::less<>> unsure_;
  const platform::ServiceInfo& service_;
};

// "state 3" until the id is known to be usable.
std::string place(std::string_view kind, const YAML::Node& node, std::size_t index) {
  if (node.IsMap() && node["id"].IsScalar() && is_definition_id(node["id"].Scalar())) {
    return std::string(kind) + " " + node["id"].Scalar();
  }
  return std::string(kind) + " " + std::to_string(index + 1);
}

WorkflowState WorkflowReader::read_state(const YAML::Node& node, std::size_t index) {
  WorkflowState state;
  where_ = place("state", node, index);
  if (!expect_map(node,
                  {"id", "label", "next", "terminal", "clock", "limit_working_days", "bill"})) {
    return state;
  }
  state.id = text(node, "id", true);
  if (!state.id.empty() && !is_definition_id(state.id)) {
    problem_at(node["id"], "id",
               "must be lower-case letters, digits and '_', starting with a letter (at most 40)");
  } else if (state.id == kDraftState) {
    problem_at(node["id"], "id", "'draft' is the state of an application not yet submitted");
  }
  state.label = localized(node, "label", true);
  state.next = localized(node, "next", false);
  state.terminal = boolean(node, "terminal", false);
  const std::string clock = text(node, "clock", false);
  if (node["bill"].IsDefined()) state.bill = read_bill(node["bill"]);
  if (state.terminal) {
    if (state.bill) problem_at(node["bill"], "bill", "a final state bills nothing");
    if (!clock.empty()) problem_at(node["clock"], "clock", "a final state has no clock");
    if (node["limit_working_days"].IsDefined()) {
      problem_at(node["limit_working_days"], "limit_working_days",
                 "a final state has no time limit");
    }
    return state;
  }
  if (clock == "running") {
    state.clock = LegalClock::running;
  } else if (clock == "paused") {
    state.clock = LegalClock::paused;
  } else {
    if (clock.empty()) {
      problem_at(node, "clock",
                 "is required: running (the agency's move) or paused (waiting for the applicant)");
    } else {
      problem_at(node["clock"], "clock", "must be running or paused, not '" + clock + "'");
    }
    unsure_.insert("state " + state.id);
  }
  if (auto limit = integer(node, "limit_working_days", 1, kMaxLimitWorkingDays)) {
    state.limit_working_days = static_cast<int>(*limit);
    if (state.clock == LegalClock::running && service_.time_limit_working_days > 0 &&
        *limit > service_.time_limit_working_days) {
      problem_at(node["limit_working_days"], "limit_working_days",
                 "is longer than the service's time limit of " +
                     std::to_string(service_.time_limit_working_days) + " working days (" +
                     service_.source_file + ")");
    }
  }
  return state;
}

StateBill WorkflowReader::read_bill(const YAML::Node& node) {
  StateBill bill;
  if (!node.IsMap()) {
    problem_at(node, "bill", "must be a map: fees (codes of the service's fees), due_working_days");
    return bill;
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (key != "fees" && key != "due_working_days") {
      problem_at(entry.first, "bill." + key,
                 "unknown key (expected one of: fees, due_working_days)");
    }
  }
  const YAML::Node fees = node["fees"];
  if (!fees.IsDefined() || !fees.IsSequence() || fees.size() == 0) {
    problem_at(node, "bill.fees", "is required: a list of the codes of the service's fees");
  } else {
    for (const auto& code : fees) {
      const std::string value = code.IsScalar() ? code.Scalar() : std::string();
      if (service_.fee(value) == nullptr) {
        problem_at(code, "bill.fees",
                   "'" + value + "' is not the code of a fee of the service (" +
                       service_.source_file + ")");
      } else if (std::find(bill.fees.begin(), bill.fees.end(), value) != bill.fees.end()) {
        problem_at(code, "bill.fees", "names '" + value + "' twice");
      } else {
        bill.fees.push_back(value);
      }
    }
  }
  if (auto days = integer(node, "due_working_days", 1, kMaxLimitWorkingDays)) {
    bill.due_working_days = static_cast<int>(*days);
  }
  return bill;
}

Transition WorkflowReader::read_transition(const YAML::Node& node, std::size_t index) {
  Transition t;
  where_ = place("transition", node, index);
  if (!expect_map(node,
                  {"id", "label", "from", "to", "by", "requires", "checklist", "max_times"})) {
    return t;
  }
  t.id = text(node, "id", true);
  if (!t.id.empty() && !is_definition_id(t.id)) {
    problem_at(node["id"], "id",
               "must be lower-case letters, digits and '_', starting with a letter (at most 40)");
  }
  t.label = localized(node, "label", true);
  t.from = names(node, "from");
  if (t.from.empty()) problem_at(node, "from", "is required: the states it leaves");
  t.to = text(node, "to", true);
  const std::string by = text(node, "by", true);
  if (auto actor = actor_of(by)) {
    t.actor = *actor;
  } else {
    if (!by.empty()) {
      problem_at(node["by"], "by",
                 "must be applicant, officer, supervisor or system, not '" + by + "'");
    }
    unsure_.insert("transition " + t.id);
  }
  for (const auto& need : names(node, "requires")) {
    if (need == kReason) {
      t.needs_reason = true;
    } else if (need == kItems) {
      t.names_items = true;
    } else {
      problem_at(node["requires"], "requires",
                 "'" + need +
                     "' is not one of: reason, items (a checklist is listed under "
                     "checklist)");
    }
  }
  const YAML::Node checklist = node["checklist"];
  if (checklist.IsDefined() && !checklist.IsNull()) {
    if (!checklist.IsSequence() || checklist.size() == 0) {
      problem_at(checklist, "checklist", "must be a list of {th, en}");
    } else if (checklist.size() > kMaxChecklist) {
      problem_at(checklist, "checklist", "has more than " + std::to_string(kMaxChecklist));
    } else {
      for (std::size_t i = 0; i < checklist.size(); ++i) {
        const YAML::Node item = checklist[i];
        if (!item.IsMap()) {
          problem_at(item, "checklist", "must list {th, en}");
          continue;
        }
        YAML::Node wrapped;
        wrapped["checklist"] = item;
        t.checklist.push_back(localized(wrapped, "checklist", true));
      }
    }
  }
  if (auto times = integer(node, "max_times", 1, kMaxTimes)) t.max_times = static_cast<int>(*times);
  return t;
}

void WorkflowReader::check_graph(const Workflow& w, const YAML::Node& states_node,
                                 const YAML::Node& transitions_node) {
  auto at_state = [&](const std::string& id) {
    auto it = state_nodes_.find(id);
    return it == state_nodes_.end() ? states_node : it->second;
  };
  auto at_transition = [&](const std::string& id) {
    auto it = transition_nodes_.find(id);
    return it == transition_nodes_.end() ? transitions_node : it->second;
  };

  // Each transition on its own: where it goes from and to, and who could ever take it.
  for (const auto& t : w.transitions) {
    where_ = "transition " + t.id;
    const YAML::Node node = at_transition(t.id);
    for (const auto& from : t.from) {
      const WorkflowState* s = w.state(from);
      if (s == nullptr) {
        problem_at(node["from"], "from", "'" + from + "' is not a state of this workflow");
      } else if (s->terminal) {
        problem_at(node["from"], "from", "'" + from + "' is final: nothing leaves it");
      } else if (t.actor == Actor::system && !s->bill) {
        problem_at(node["from"], "from",
                   "'" + from +
                       "' bills nothing: Pratu takes a system transition only when a state's "
                       "bill is paid");
      } else if (t.actor == Actor::applicant && s->clock == LegalClock::running &&
                 !unsure_.contains("state " + from)) {
        problem_at(node["from"], "from",
                   "the applicant cannot act in '" + from +
                       "', where the agency holds the application (its clock runs): nobody "
                       "could take this transition there");
      }
      if (from == t.to)
        problem_at(node["to"], "to", "leads back to '" + from + "', which it leaves");
    }
    if (!t.to.empty() && w.state(t.to) == nullptr) {
      problem_at(node["to"], "to", "'" + t.to + "' is not a state of this workflow");
    }
  }

  // The states as a graph: every state reached from the first, none without a way out, and
  // every one on a way to a final state.
  where_.clear();
  bool any_final = false;
  for (const auto& s : w.states) any_final = any_final || s.terminal;
  if (!any_final)
    problem(states_node,
            "states: none is final (terminal: true): no application could ever be decided");
  std::set<std::string, std::less<>> reached;
  if (w.state(w.initial) != nullptr) {
    std::deque<std::string> queue{w.initial};
    reached.insert(w.initial);
    while (!queue.empty()) {
      const std::string at = queue.front();
      queue.pop_front();
      for (const Transition* t : w.exits(at)) {
        if (w.state(t->to) != nullptr && reached.insert(t->to).second) queue.push_back(t->to);
      }
    }
  }
  std::set<std::string, std::less<>> decided;  // states from which a final state is reached
  for (const auto& s : w.states) {
    if (s.terminal) decided.insert(s.id);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& t : w.transitions) {
      if (!decided.contains(t.to)) continue;
      for (const auto& from : t.from) {
        if (w.state(from) != nullptr && decided.insert(from).second) grew = true;
      }
    }
  }
  for (const auto& s : w.states) {
    if (s.id.empty()) continue;
    where_ = "state " + s.id;
    const YAML::Node node = at_state(s.id);
    if (!w.initial.empty() && w.state(w.initial) != nullptr && !reached.contains(s.id)) {
      problem(node,
              "no transition leads to it from '" + w.initial + "': no application can reach it");
    }
    if (s.terminal) continue;
    const auto exits = w.exits(s.id);
    if (exits.empty()) {
      problem(node, "nobody can leave it: give it a transition out, or mark it terminal: true");
    } else if (any_final && !decided.contains(s.id)) {
      problem(node,
              "no way leads from it to a final state: an application there could never be "
              "decided");
    }
    if (s.bill) {
      const auto paid = std::count_if(exits.begin(), exits.end(), [](const Transition* t) {
        return t->actor == Actor::system;
      });
      if (paid != 1) {
        problem(node,
                "it bills, so exactly one transition out of it must be by: system (taken "
                "when the bill is paid), not " +
                    std::to_string(paid));
      }
      if (s.clock != LegalClock::paused) {
        problem(node, "it bills, so its clock is paused: the applicant's move is to pay");
      }
    } else if (s.clock == LegalClock::paused && !unsure_.contains("state " + s.id) &&
               std::none_of(exits.begin(), exits.end(), [&](const Transition* t) {
                 return t->actor == Actor::applicant || unsure_.contains("transition " + t->id);
               })) {
      problem(node,
              "the clock waits for the applicant here, but no transition out of it is by: "
              "applicant");
    }
  }
  where_.clear();
}

Workflow WorkflowReader::read(std::string_view yaml) {
  Workflow w;
  w.service = service_.slug;
  w.version = "sha256:" + crypto::sha256_hex(yaml);
  w.source = std::string(yaml);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    problems_.push_back({file_, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", e.msg});
    return w;
  }
  if (!expect_map(root, {"initial", "states", "transitions"})) return w;
  w.initial = text(root, "initial", true);

  const YAML::Node states = root["states"];
  if (!states.IsDefined() || !states.IsSequence() || states.size() == 0) {
    problem_at(root, "states", "is required: a list of at least one state");
    return w;
  }
  if (states.size() > kMaxStates) {
    problem_at(states, "states", "has more than " + std::to_string(kMaxStates));
  }
  for (std::size_t i = 0; i < states.size(); ++i) {
    WorkflowState s = read_state(states[i], i);
    if (!s.id.empty()) {
      if (w.state(s.id) != nullptr) {
        problem_at(states[i]["id"], "id", "'" + s.id + "' is used by an earlier state");
        continue;
      }
      state_nodes_.emplace(s.id, states[i]);
    }
    w.states.push_back(std::move(s));
  }
  where_.clear();
  if (const WorkflowState* first = w.state(w.initial); first == nullptr && !w.initial.empty()) {
    problem_at(root["initial"], "initial", "'" + w.initial + "' is not a state of this workflow");
  } else if (first != nullptr && first->terminal) {
    problem_at(root["initial"], "initial", "'" + w.initial + "' is final: nothing could happen");
  }

  const YAML::Node transitions = root["transitions"];
  if (!transitions.IsDefined() || !transitions.IsSequence() || transitions.size() == 0) {
    problem_at(root, "transitions", "is required: a list of at least one transition");
    return w;
  }
  if (transitions.size() > kMaxTransitions) {
    problem_at(transitions, "transitions", "has more than " + std::to_string(kMaxTransitions));
  }
  for (std::size_t i = 0; i < transitions.size(); ++i) {
    Transition t = read_transition(transitions[i], i);
    if (!t.id.empty()) {
      if (w.transition(t.id) != nullptr) {
        problem_at(transitions[i]["id"], "id", "'" + t.id + "' is used by an earlier transition");
        continue;
      }
      transition_nodes_.emplace(t.id, transitions[i]);
    }
    w.transitions.push_back(std::move(t));
  }
  check_graph(w, states, transitions);
  return w;
}

}  // namespace

Result<Workflow> parse_workflow(std::string_view yaml, const std::string& file,
                                const platform::ServiceInfo& service) {
  WorkflowReader reader(file, service);
  Workflow workflow;
  const auto problems = reader.run([&] { workflow = reader.read(yaml); }, "a workflow");
  if (problems.empty()) return workflow;
  std::vector<std::string> lines;
  for (const auto& p : problems) lines.push_back(p.to_string());
  return definition_error(lines);
}

Result<Workflows> load_workflows(const platform::ServiceDirectory& directory,
                                 const std::map<std::string, Form, std::less<>>& forms) {
  std::vector<std::string> problems;
  Workflows workflows;
  for (const auto& folder : service_folders(directory, problems)) {
    const fs::path file = folder.path / "workflow.yaml";
    const std::string shown = folder.shown + "/workflow.yaml";
    const bool has_form = forms.contains(folder.service->slug);
    if (!fs::exists(file)) {
      if (has_form) {
        problems.push_back(shown +
                           ": is missing: a service with a form needs a workflow for "
                           "what happens to an application after it is submitted");
      }
      continue;
    }
    if (!has_form) {
      problems.push_back(shown + ": the service has no form.yaml: nobody could apply");
      continue;
    }
    auto text = read_file(file);
    if (!text) {
      problems.push_back(shown + ": " + text.error().detail);
      continue;
    }
    auto workflow = parse_workflow(*text, shown, *folder.service);
    if (!workflow) {
      problems.push_back(workflow.error().detail);
      continue;
    }
    workflows.emplace(folder.service->slug, std::move(*workflow));
  }
  if (problems.empty()) return workflows;
  std::sort(problems.begin(), problems.end());
  return definition_error(problems);
}

}  // namespace pratu::applications
