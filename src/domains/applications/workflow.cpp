#include "domains/applications/workflow.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace pratu::applications {

std::string_view actor_key(Actor actor) {
  switch (actor) {
    case Actor::applicant: return "applicant";
    case Actor::officer: return "officer";
    case Actor::supervisor: return "supervisor";
    case Actor::system: return "system";
  }
  return "officer";
}

std::optional<Actor> actor_of(std::string_view key) {
  for (Actor a : {Actor::applicant, Actor::officer, Actor::supervisor, Actor::system}) {
    if (actor_key(a) == key) return a;
  }
  return std::nullopt;
}

const WorkflowState* Workflow::state(std::string_view id) const {
  auto it = std::find_if(states.begin(), states.end(), [&](const auto& s) { return s.id == id; });
  return it == states.end() ? nullptr : &*it;
}

const Transition* Workflow::transition(std::string_view id) const {
  auto it = std::find_if(transitions.begin(), transitions.end(),
                         [&](const auto& t) { return t.id == id; });
  return it == transitions.end() ? nullptr : &*it;
}

std::vector<const Transition*> Workflow::exits(std::string_view state) const {
  std::vector<const Transition*> out;
  for (const auto& t : transitions) {
    if (std::find(t.from.begin(), t.from.end(), state) != t.from.end()) out.push_back(&t);
  }
  return out;
}

boost::json::object text_json(const Text& text) { return {{"th", text.th}, {"en", text.en}}; }

boost::json::object state_json(const WorkflowState& s) {
  boost::json::object state{{"id", s.id}, {"label", text_json(s.label)}, {"terminal", s.terminal}};
  if (!s.next.empty()) state["next"] = text_json(s.next);
  if (!s.terminal) {
    state["clock"] = s.clock == LegalClock::running ? "running" : "paused";
    if (s.limit_working_days) state["limit_working_days"] = *s.limit_working_days;
    if (s.bill) {
      state["bill"] = boost::json::object{
          {"fees", boost::json::array(s.bill->fees.begin(), s.bill->fees.end())},
          {"due_working_days", s.bill->due_working_days}};
    }
  }
  return state;
}

boost::json::object transition_json(const Transition& t) {
  namespace json = boost::json;
  json::array requires_;
  if (t.needs_reason) requires_.push_back("reason");
  if (t.names_items) requires_.push_back("items");
  json::array checklist;
  for (const auto& item : t.checklist) checklist.push_back(text_json(item));
  json::object transition{{"id", t.id},
                          {"label", text_json(t.label)},
                          {"from", json::array(t.from.begin(), t.from.end())},
                          {"to", t.to},
                          {"by", actor_key(t.actor)},
                          {"requires", std::move(requires_)},
                          {"checklist", std::move(checklist)}};
  if (t.max_times) transition["max_times"] = *t.max_times;
  return transition;
}

boost::json::object workflow_json(const Workflow& workflow) {
  namespace json = boost::json;
  json::array states;
  for (const auto& s : workflow.states) states.push_back(state_json(s));
  json::array transitions;
  for (const auto& t : workflow.transitions) transitions.push_back(transition_json(t));
  return {{"service", workflow.service},
          {"version", workflow.version},
          {"initial", workflow.initial},
          {"states", std::move(states)},
          {"transitions", std::move(transitions)}};
}

}  // namespace pratu::applications
