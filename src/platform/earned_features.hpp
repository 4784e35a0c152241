#pragma once
/// What Pratu runs for each service, declared by the module that runs it while the modules
/// prepare: the catalogue computes a service's e-Service level from these, not from a flag in
/// its file (a form the applications module loaded earns "e_form").

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pratu::platform {

class EarnedFeatures {
 public:
  /// Records that `module` runs `criterion` (a catalogue criterion key, "e_form") for the
  /// service `slug`.
  void earn(std::string_view slug, std::string_view criterion, std::string_view module) {
    earned_[std::string(slug)][std::string(criterion)] = std::string(module);
  }
  /// Whether some module runs `criterion` for `slug`.
  bool earned(std::string_view slug, std::string_view criterion) const {
    auto it = earned_.find(slug);
    return it != earned_.end() && it->second.find(criterion) != it->second.end();
  }
  /// Each (slug, criterion, module) recorded, in order.
  struct Entry {
    std::string slug, criterion, module;
  };
  std::vector<Entry> entries() const {
    std::vector<Entry> out;
    for (const auto& [slug, criteria] : earned_) {
      for (const auto& [criterion, module] : criteria) out.push_back({slug, criterion, module});
    }
    return out;
  }

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> earned_;
};

}  // namespace pratu::platform
