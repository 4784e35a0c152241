#pragma once
/// What reading a service's definition files (form.yaml, workflow.yaml) shares: problems that
/// name the file, the line and the place; keys checked against the allowed ones; text in both
/// languages; bounded numbers; and the walk over services/<agency>/<slug>/ that finds them.

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domains/applications/form.hpp"
#include "platform/service_directory.hpp"

namespace YAML {
class Node;
}

namespace pratu::applications {

/// One problem in one definition file.
struct FileProblem {
  std::string file;   // "services/bma/food-premises-licence/form.yaml"
  int line = 0;       // 1-based; 0 for the file as a whole
  std::string where;  // "page premises, field floor_area"; empty for the file as a whole
  std::string message;

  /// "file:line: where: message".
  std::string to_string() const;
};
using FormProblem = FileProblem;

/// The longest id of a page, field, state or transition.
inline constexpr std::size_t kMaxIdLength = 40;

/// Whether `id` is a definition's id: a lower-case ASCII letter, then letters, digits and "_",
/// at most kMaxIdLength.
bool is_definition_id(std::string_view id);

/// "a, b, c".
std::string join_words(std::initializer_list<std::string_view> words);

/// An invalid_input error listing `problems`, one a line (in the order given).
Error definition_error(const std::vector<std::string>& problems);

/// Reads one YAML definition file, recording its problems rather than stopping at the first.
class DefinitionReader {
 public:
  explicit DefinitionReader(std::string file) : file_(std::move(file)) {}
  const std::vector<FileProblem>& problems() const { return problems_; }
  /// Runs `read`, turning what yaml-cpp throws on a malformed tree into one more problem
  /// (after those found before it broke; `what`: "a form"); the problems found.
  std::vector<FileProblem> run(const std::function<void()>& read, std::string_view what);

 protected:
  void problem(const YAML::Node& node, std::string message);
  void problem_at(const YAML::Node& node, std::string_view key, std::string message);

  /// Whether `node` is a map (a problem when not); records keys outside `allowed` and keys
  /// given twice.
  bool expect_map(const YAML::Node& node, std::initializer_list<std::string_view> allowed);
  /// The trimmed text of `key`; "" (a problem when required) when absent.
  std::string text(const YAML::Node& map, std::string_view key, bool required);
  /// `key` as {th, en}, both required when the key is given.
  Text localized(const YAML::Node& map, std::string_view key, bool required);
  /// `key` as a whole number in [min, max]; nullopt when absent or a problem.
  std::optional<std::int64_t> integer(const YAML::Node& map, std::string_view key, std::int64_t min,
                                      std::int64_t max);
  /// `key` as true or false; `fallback` when absent.
  bool boolean(const YAML::Node& map, std::string_view key, bool fallback);
  /// `key` as a list of names, or one name; problems for anything else, an empty name or a
  /// name given twice. Empty when absent.
  std::vector<std::string> names(const YAML::Node& map, std::string_view key);

  std::string file_;
  std::vector<FileProblem> problems_;
  std::string where_;  // "page x, field y"; "state in_review"
};

/// One service's folder, services/<agency>/<slug>/, which holds its definition files.
struct ServiceFolder {
  std::filesystem::path path;
  std::string shown;  // "services/bma/food-premises-licence"
  const platform::ServiceInfo* service = nullptr;
};

/// Every service folder in `directory`'s folder; a folder of a service the catalogue lacks,
/// or in the wrong agency's folder, is a problem (added to `problems`) and not listed.
std::vector<ServiceFolder> service_folders(const platform::ServiceDirectory& directory,
                                           std::vector<std::string>& problems);

}  // namespace pratu::applications
