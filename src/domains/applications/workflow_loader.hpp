#pragma once
/// Reads services/<agency>/<slug>/workflow.yaml: every key checked, every state and transition
/// named once, and the whole checked as a graph, so that no application can be stranded: every
/// state is reached from the first, a state that is not final has a way out, every state leads
/// to a final one, and every transition can be taken by someone (the applicant only while the
/// agency waits for them). A workflow with a problem does not load, and the problem names the
/// file, the line and the state or transition. The format is described in docs/workflows.md.

#include <map>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domains/applications/definition_reader.hpp"
#include "domains/applications/form.hpp"
#include "domains/applications/workflow.hpp"
#include "platform/service_directory.hpp"

namespace pratu::applications {

/// The limits a workflow must keep to.
inline constexpr std::size_t kMaxStates = 30;
inline constexpr std::size_t kMaxTransitions = 100;
inline constexpr std::size_t kMaxChecklist = 20;
inline constexpr int kMaxLimitWorkingDays = 365;

/// Parses and checks the workflow of `service` from `yaml`; `file` names it in problems. On a
/// problem: an invalid_input error whose detail lists every problem found, one a line.
Result<Workflow> parse_workflow(std::string_view yaml, const std::string& file,
                                const platform::ServiceInfo& service);

/// The workflows of the services in `directory` that have a form, by slug: each such service
/// must have services/<agency>/<slug>/workflow.yaml, and a workflow without a form is a problem.
Result<Workflows> load_workflows(const platform::ServiceDirectory& directory,
                                 const std::map<std::string, Form, std::less<>>& forms);

}  // namespace pratu::applications
