#pragma once
/// For the catalogue's tests: what a catalogue folder's forms (services/<agency>/<slug>/form.yaml),
/// document templates (document.yaml) and billing workflows (workflow.yaml) earn, as the
/// applications, documents and payments modules declare it once they have read them, so these
/// tests see the levels a server shows. Whether each file is valid is those modules' tests' part.

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "platform/earned_features.hpp"

namespace pratu::catalog {

/// Whether the workflow in `file` has a state that bills (`bill:`).
inline bool workflow_bills(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return false;
  const YAML::Node states = YAML::LoadFile(file.string())["states"];
  if (!states.IsSequence()) return false;
  for (const YAML::Node& state : states) {
    if (state.IsMap() && state["bill"].IsDefined()) return true;
  }
  return false;
}

inline platform::EarnedFeatures earned_by_forms_in(const std::filesystem::path& services) {
  platform::EarnedFeatures earned;
  for (const auto& agency : std::filesystem::directory_iterator(services)) {
    if (!agency.is_directory()) continue;
    for (const auto& folder : std::filesystem::directory_iterator(agency.path())) {
      if (folder.is_directory() && std::filesystem::exists(folder.path() / "form.yaml")) {
        earned.earn(folder.path().filename().string(), "e_form", "applications");
      }
      if (folder.is_directory() && std::filesystem::exists(folder.path() / "document.yaml")) {
        for (const char* criterion : {"e_license", "ca_signature", "pdf_a3"}) {
          earned.earn(folder.path().filename().string(), criterion, "documents");
        }
      }
      if (folder.is_directory() && workflow_bills(folder.path() / "workflow.yaml")) {
        earned.earn(folder.path().filename().string(), "bill_payment", "payments");
        earned.earn(folder.path().filename().string(), "e_receipt", "documents");
      }
    }
  }
  return earned;
}

}  // namespace pratu::catalog
