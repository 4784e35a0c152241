// libFuzzer target: workflow definitions (services/<agency>/<slug>/workflow.yaml). Whatever the
// bytes, the loader answers a workflow or a list of problems, never crashes or hangs; a workflow
// it accepts starts in a state that is not final, reaches every state from there, and leaves
// every state that is not final by a transition to a state of its own.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domains/applications/workflow_loader.hpp"

namespace {

const pratu::platform::ServiceInfo& service() {
  static const pratu::platform::ServiceInfo info{
      "food", "bma", "ใบอนุญาต", "Licence", 30, {}, "services/bma/food.yaml", {}};
  return info;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto workflow =
      pratu::applications::parse_workflow(input, "services/bma/food/workflow.yaml", service());
  if (workflow) {
    const auto* first = workflow->state(workflow->initial);
    if (first == nullptr || first->terminal) std::abort();
    for (const auto& state : workflow->states) {
      if (state.id.empty() || state.label.th.empty() || state.label.en.empty()) std::abort();
      if (!state.terminal && workflow->exits(state.id).empty()) std::abort();
    }
    for (const auto& t : workflow->transitions) {
      if (workflow->state(t.to) == nullptr || t.from.empty()) std::abort();
      for (const auto& from : t.from) {
        const auto* s = workflow->state(from);
        if (s == nullptr || s->terminal) std::abort();
      }
    }
  } else if (workflow.error().detail.empty()) {
    std::abort();  // a refusal always says why
  }
  return 0;
}
