#include "domains/applications/definition_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "common/text.hpp"

namespace pratu::applications {

namespace fs = std::filesystem;

bool is_definition_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength || id.front() < 'a' || id.front() > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string join_words(std::initializer_list<std::string_view> words) {
  std::string out;
  for (auto word : words) {
    if (!out.empty()) out += ", ";
    out += word;
  }
  return out;
}

std::string FileProblem::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (!where.empty()) out += ": " + where;
  return out + ": " + message;
}

Error definition_error(const std::vector<std::string>& problems) {
  std::string detail;
  for (const auto& p : problems) {
    if (!detail.empty()) detail += "\n";
    detail += p;
  }
  return Error{ErrorCode::invalid_input, "errors.invalid_input", std::move(detail), {}, 0};
}

void DefinitionReader::problem(const YAML::Node& node, std::string message) {
  const int line = node.IsDefined() && node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
  problems_.push_back({file_, line, where_, std::move(message)});
}

void DefinitionReader::problem_at(const YAML::Node& node, std::string_view key,
                                  std::string message) {
  problem(node, std::string(key) + ": " + std::move(message));
}

std::vector<FileProblem> DefinitionReader::run(const std::function<void()>& read,
                                               std::string_view what) {
  try {
    read();
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws from its accessors on some malformed trees (found by fuzzing): the
    // file is refused with what was found before, and where the tree broke.
    problems_.push_back({file_, e.mark.line >= 0 ? e.mark.line + 1 : 0, "",
                         "cannot be read as " + std::string(what) + " (" + e.what() + ")"});
  }
  return problems_;
}

// Whether `node` is a map (a problem when not); records keys outside `allowed`.
bool DefinitionReader::expect_map(const YAML::Node& node,
                                  std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) {
    problem(node, "must be a map of keys to values");
    return false;
  }
  // Unknown or repeated keys are problems, but the rest is still read, so one slip does not
  // hide the problems after it nor raise false ones about what it would have declared.
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const auto key = entry.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      problem(entry.first, key + ": unknown key (expected one of: " + join_words(allowed) + ")");
    } else if (!seen.insert(key).second) {
      problem(entry.first, key + ": appears twice");
    }
  }
  return true;
}

std::string DefinitionReader::text(const YAML::Node& map, std::string_view key, bool required) {
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) {
    if (required) problem_at(map, key, "is required");
    return {};
  }
  if (!node.IsScalar()) {
    problem_at(node, key, "must be text");
    return {};
  }
  std::string value(trim(node.Scalar(), kAsciiWhitespace));
  if (value.empty() && required) problem_at(node, key, "must not be empty");
  return value;
}

Text DefinitionReader::localized(const YAML::Node& map, std::string_view key, bool required) {
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) {
    if (required) problem_at(map, key, "is required, with th and en");
    return {};
  }
  if (!node.IsMap()) {
    problem_at(node, key, "must have th and en");
    return {};
  }
  Text out;
  for (const auto& entry : node) {
    const auto lang = entry.first.as<std::string>();
    if (lang != "th" && lang != "en") problem_at(entry.first, key, lang + ": must be th or en");
  }
  out.th = text(node, "th", false);
  out.en = text(node, "en", false);
  if (out.th.empty() || out.en.empty()) problem_at(node, key, "needs both th and en");
  return out;
}

std::optional<std::int64_t> DefinitionReader::integer(const YAML::Node& map, std::string_view key,
                                                      std::int64_t min, std::int64_t max) {
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  std::int64_t value = 0;
  const std::string_view raw = node.IsScalar() ? trim(node.Scalar(), kAsciiWhitespace) : "";
  const auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (raw.empty() || error != std::errc() || end != raw.data() + raw.size()) {
    problem_at(node, key, "must be a whole number");
    return std::nullopt;
  }
  if (value < min || value > max) {
    problem_at(node, key, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

bool DefinitionReader::boolean(const YAML::Node& map, std::string_view key, bool fallback) {
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return fallback;
  if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
    return node.Scalar() == "true";
  }
  problem_at(node, key, "must be true or false");
  return fallback;
}

std::vector<std::string> DefinitionReader::names(const YAML::Node& map, std::string_view key) {
  const YAML::Node node = map[std::string(key)];
  std::vector<std::string> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (node.IsScalar()) {
    if (auto name = text(map, key, true); !name.empty()) out.push_back(std::move(name));
    return out;
  }
  if (!node.IsSequence()) {
    problem_at(node, key, "must be a name or a list of names");
    return out;
  }
  for (const auto& item : node) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      problem_at(item, key, "must list names");
      continue;
    }
    if (std::find(out.begin(), out.end(), item.Scalar()) != out.end()) {
      problem_at(item, key, "names '" + item.Scalar() + "' twice");
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::vector<ServiceFolder> service_folders(const platform::ServiceDirectory& directory,
                                           std::vector<std::string>& problems) {
  const fs::path root = directory.directory();
  const std::string shown_root = root.filename().string();
  std::vector<ServiceFolder> folders;
  std::error_code ec;
  for (const auto& agency : fs::directory_iterator(root, ec)) {
    if (!agency.is_directory() || agency.path().filename() == "agencies") continue;
    for (const auto& folder : fs::directory_iterator(agency.path(), ec)) {
      if (!folder.is_directory()) continue;
      const std::string slug = folder.path().filename().string();
      const std::string agency_code = agency.path().filename().string();
      const std::string shown = shown_root + "/" + agency_code + "/" + slug;
      const platform::ServiceInfo* service = directory.service(slug);
      if (service == nullptr) {
        problems.push_back(shown + "/: no service " + slug + " in the catalogue (" + shown +
                           ".yaml is missing)");
        continue;
      }
      if (service->agency != agency_code) {
        problems.push_back(shown + "/: the service " + slug + " belongs to " + service->agency +
                           ", not " + agency_code);
        continue;
      }
      folders.push_back({folder.path(), shown, service});
    }
  }
  if (ec) problems.push_back(root.string() + ": " + ec.message());

  return folders;
}

}  // namespace pratu::applications
