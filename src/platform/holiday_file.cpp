#include "platform/holiday_file.hpp"

#include <yaml-cpp/yaml.h>

#include "common/civil_date.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace pratu::platform {
namespace {

namespace chr = std::chrono;

// yaml-cpp throws when asked the type of a key that is not there: ask whether it is first.
bool is_scalar(const YAML::Node& node) { return node.IsDefined() && node.IsScalar(); }
bool is_sequence(const YAML::Node& node) { return node.IsDefined() && node.IsSequence(); }

}  // namespace

Result<std::vector<HolidayListYear>> read_holiday_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::vector<std::string> problems;
  auto problem = [&](const YAML::Node& node, const std::string& message) {
    const int line = node.IsDefined() && node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    problems.push_back(name + ":" + std::to_string(line) + ": " + message);
  };
  std::vector<HolidayListYear> years;
  try {
    const YAML::Node root = YAML::LoadFile(name);
    if (!root.IsMap() || !is_sequence(root["years"]) || root["years"].size() == 0) {
      return Error::internal(name + ": must have years, a list of {year, provisional, holidays}");
    }
    for (const auto& entry : root) {
      const auto key = entry.first.as<std::string>();
      if (key != "calendar" && key != "years") problem(entry.first, key + ": unknown key");
    }
    for (const auto& node : root["years"]) {
      if (!node.IsMap() || !is_scalar(node["year"]) || !is_sequence(node["holidays"])) {
        problem(node, "a year needs year and holidays");
        continue;
      }
      const int year = node["year"].as<int>(0);
      if (year < 2000 || year > 2200) {
        problem(node["year"], "year must be from 2000 to 2200");
        continue;
      }
      if (!years.empty() && year != years.back().year + 1) {
        problem(node["year"],
                std::to_string(year) + " does not follow " + std::to_string(years.back().year));
      }
      HolidayListYear& out = years.emplace_back();
      out.year = year;
      out.provisional = node["provisional"].IsDefined() && node["provisional"].as<bool>(true);
      std::set<chr::sys_days> seen;
      for (const auto& holiday : node["holidays"]) {
        const std::string date_text =
            is_scalar(holiday["date"]) ? holiday["date"].Scalar() : std::string();
        const auto date = parse_iso_date(date_text);
        if (!date) {
          problem(holiday, "date must be YYYY-MM-DD, a real date");
          continue;
        }
        if (static_cast<int>(date->year()) != year) {
          problem(holiday, date_text + " is not in " + std::to_string(year));
        }
        if (!seen.insert(chr::sys_days(*date)).second) {
          problem(holiday, date_text + " is given twice");
        }
        for (const char* lang : {"th", "en"}) {
          if (!is_scalar(holiday[lang]) || holiday[lang].Scalar().empty()) {
            problem(holiday, date_text + ": needs its name in " + lang);
          }
        }
        out.holidays.push_back({*date, is_scalar(holiday["th"]) ? holiday["th"].Scalar() : "",
                                is_scalar(holiday["en"]) ? holiday["en"].Scalar() : ""});
      }
    }
  } catch (const YAML::Exception& e) {
    return Error::internal(name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!problems.empty()) {
    std::string detail;
    for (const auto& p : problems) detail += (detail.empty() ? "" : "\n") + p;
    return Error::internal(detail);
  }
  return years;
}

WorkingDayCalendar calendar_of(const std::vector<HolidayListYear>& years) {
  std::map<int, HolidayYear> out;
  for (const auto& year : years) {
    HolidayYear& days = out[year.year];
    days.provisional = year.provisional;
    for (const auto& holiday : year.holidays) days.holidays.insert(chr::sys_days(holiday.date));
  }
  return WorkingDayCalendar(std::move(out));
}

Result<WorkingDayCalendar> load_holiday_file(const std::filesystem::path& file) {
  PRATU_TRY(years, read_holiday_file(file));
  return calendar_of(years);
}

}  // namespace pratu::platform
