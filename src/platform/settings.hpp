#pragma once
/// Configuration sections a module declares for itself: each key with its default, its range
/// or allowed values and a one-line description, bound to a field of the module's own settings
/// struct. The app reads them from the same places as its own keys (config/default.yaml shape,
/// --config FILE, --env-file, PRATU_<SECTION>_<KEY>) and refuses an unknown key or a bad value
/// naming it.
///
///   struct Limits { int per_day = 10; };
///   Limits limits_;
///   std::vector<platform::SettingsSection> settings() override {
///     return {{"feedback",
///              {platform::integer("per_day", "Messages one person may send a day",
///                                 limits_.per_day, 1, 1000)}}};
///   }

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pratu::platform {

/// One key of a section.
struct Setting {
  std::string key;  // within the section: "per_day"
  std::string description;
  std::function<std::string()> get;                                   // the current value
  std::function<std::optional<std::string>(const std::string&)> set;  // why not, or nullopt
};

/// A whole section, with an optional check across its keys (run after every key is set).
struct SettingsSection {
  std::string name;  // "feedback"
  std::vector<Setting> settings;
  std::function<std::optional<std::string>()> check;  // why the combination is wrong, or nullopt
};

/// The checks behind the settings below, for the platform's own keys too: each returns why
/// `text` is not acceptable, or nullopt after storing the value in `out`.
std::optional<std::string> parse_integer(const std::string& text, int min, int max, int& out);
std::optional<std::string> parse_text(const std::string& text, const std::set<std::string>& allowed,
                                      std::string& out);
std::optional<std::string> parse_boolean(const std::string& text, bool& out);

/// A whole number within [min, max].
Setting integer(std::string key, std::string description, int& field, int min, int max);
/// Text, one of `allowed` when given, else not empty.
Setting text(std::string key, std::string description, std::string& field,
             std::set<std::string> allowed = {});
/// Text that may be empty (empty: the feature is off, or the default applies).
Setting optional_text(std::string key, std::string description, std::string& field);
/// true or false.
Setting boolean(std::string key, std::string description, bool& field);

/// "section.key".
inline std::string full_name(const SettingsSection& section, const Setting& setting) {
  return section.name + "." + setting.key;
}

}  // namespace pratu::platform
