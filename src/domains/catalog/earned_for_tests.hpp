#pragma once
/// For the catalogue's tests: what a catalogue folder's forms (services/<agency>/<slug>/form.yaml)
/// and document templates (document.yaml) earn, as the applications and documents modules
/// declare it once they have read them, so these tests see the
/// levels a server shows. Whether each form is valid is the applications module's tests' part.

#include <filesystem>

#include "platform/earned_features.hpp"

namespace pratu::catalog {

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
    }
  }
  return earned;
}

}  // namespace pratu::catalog
