#include "web/components.hpp"

#include "common/text.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>

namespace pratu::web {

namespace json = boost::json;

namespace {

// Years above this are Buddhist-era years whatever the language (2569 BE is 2026 CE).
constexpr int kBuddhistEraFrom = 2400;
constexpr int kBuddhistEraOffset = 543;

// The label, hint and error of a control, and the aria-describedby that joins them.
json::object control_model(const Control& control) {
  json::object m{{"id", control.id}, {"label", control.label}};
  std::string described_by;
  if (!control.hint.empty()) {
    m["hint"] = control.hint;
    described_by = control.id + "-hint";
  }
  if (!control.error.empty()) {
    m["error"] = control.error;
    described_by += (described_by.empty() ? "" : " ") + control.id + "-error";
  }
  if (!described_by.empty()) m["described_by"] = described_by;
  return m;
}

json::array choice_items(const Control& control, const std::vector<Choice>& choices,
                         auto&& is_selected) {
  json::array items;
  int n = 0;
  for (const auto& choice : choices) {
    // The first item keeps the control's id, so the error summary's link lands on it.
    std::string id = n == 0 ? control.id : control.id + "-" + std::to_string(n + 1);
    json::object item{{"id", id},
                      {"name", control.id},
                      {"value", choice.value},
                      {"label", choice.label},
                      {"checked", is_selected(choice.value)}};
    if (!choice.hint.empty()) {
      item["hint"] = choice.hint;
      item["hint_id"] = id + "-item-hint";
    }
    items.push_back(std::move(item));
    ++n;
  }
  return items;
}

std::optional<int> whole_number(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

json::object text_input(const Control& control, std::string_view value,
                        const TextInputOptions& options) {
  auto m = control_model(control);
  m["value"] = value;
  m["type"] = options.type;
  if (!options.autocomplete.empty()) m["autocomplete"] = options.autocomplete;
  if (!options.inputmode.empty()) m["inputmode"] = options.inputmode;
  if (!options.width.empty()) m["width"] = options.width;
  m["no_spellcheck"] = !options.spellcheck;
  m["readonly"] = options.readonly;
  return m;
}

json::object textarea(const Control& control, std::string_view value, int rows) {
  auto m = control_model(control);
  m["value"] = value;
  m["rows"] = rows;
  return m;
}

json::object radios(const Control& control, const std::vector<Choice>& choices,
                    std::string_view selected, bool inline_) {
  auto m = control_model(control);
  m["items"] = choice_items(control, choices, [&](const std::string& v) { return v == selected; });
  m["inline"] = inline_;
  return m;
}

json::object checkboxes(const Control& control, const std::vector<Choice>& choices,
                        const std::vector<std::string>& selected) {
  auto m = control_model(control);
  m["items"] = choice_items(control, choices, [&](const std::string& v) {
    return std::find(selected.begin(), selected.end(), v) != selected.end();
  });
  return m;
}

json::object select(const Control& control, const std::vector<Choice>& choices,
                    std::string_view selected, std::string_view placeholder, std::string_view width,
                    std::string_view autocomplete) {
  auto m = control_model(control);
  json::array options;
  for (const auto& choice : choices) {
    options.push_back(json::object{
        {"value", choice.value}, {"label", choice.label}, {"selected", choice.value == selected}});
  }
  m["options"] = std::move(options);
  if (!placeholder.empty()) m["placeholder"] = placeholder;
  if (!width.empty()) m["width"] = width;
  if (!autocomplete.empty()) m["autocomplete"] = autocomplete;
  return m;
}

json::object file_upload(const Control& control, std::string_view accept) {
  auto m = control_model(control);
  if (!accept.empty()) m["accept"] = accept;
  return m;
}

json::object date_input(const Control& control, const DateParts& typed, const DateLabels& labels) {
  auto m = control_model(control);
  auto part = [&](std::string_view name, const std::string& label, const std::string& value,
                  std::string_view width) {
    return json::object{{"id", control.id + "-" + std::string(name)},
                        {"name", control.id + "-" + std::string(name)},
                        {"label", label},
                        {"value", value},
                        {"width", width},
                        {"has_error", !control.error.empty()}};
  };
  // The first part keeps the group's id, so the error summary's link lands on it.
  auto day = part("day", labels.day, typed.day, "2");
  day["id"] = control.id;
  m["parts"] = json::array{std::move(day), part("month", labels.month, typed.month, "2"),
                           part("year", labels.year, typed.year, "4")};
  return m;
}

json::object date_input(const Control& control, std::string_view iso_date, const DateLabels& labels,
                        Locale locale) {
  DateParts parts;
  if (iso_date.size() == 10 && iso_date[4] == '-' && iso_date[7] == '-') {
    auto year = whole_number(iso_date.substr(0, 4));
    auto month = whole_number(iso_date.substr(5, 2));
    auto day = whole_number(iso_date.substr(8, 2));
    if (year && month && day) {
      parts.day = std::to_string(*day);
      parts.month = std::to_string(*month);
      parts.year = std::to_string(locale == Locale::th ? *year + kBuddhistEraOffset : *year);
    }
  }
  return date_input(control, parts, labels);
}

DateParts date_parts(const std::vector<Header>& fields, std::string_view id) {
  DateParts parts;
  auto value = [&](std::string_view suffix) {
    std::string name = std::string(id) + "-" + std::string(suffix);
    for (const auto& [n, v] : fields) {
      if (n == name) return std::string(trim(v));
    }
    return std::string();
  };
  parts.day = value("day");
  parts.month = value("month");
  parts.year = value("year");
  return parts;
}

Result<std::string> parse_date(const DateParts& parts, Locale locale, std::string_view id) {
  auto fail = [&](std::string key) { return Error::invalid({{std::string(id), std::move(key)}}); };
  if (parts.day.empty() || parts.month.empty() || parts.year.empty()) {
    return fail("errors.date.missing");
  }
  auto day = whole_number(parts.day);
  auto month = whole_number(parts.month);
  auto year = whole_number(parts.year);
  if (!day || !month || !year) return fail("errors.date.not_a_date");
  if (parts.year.size() != 4) return fail("errors.date.year");
  int ce = *year;
  if (locale == Locale::th || ce > kBuddhistEraFrom) ce -= kBuddhistEraOffset;
  if (ce < 1800 || ce > 2300) return fail("errors.date.year");
  std::chrono::year_month_day date{std::chrono::year(ce),
                                   std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  if (*month < 1 || *month > 12 || *day < 1 || !date.ok()) return fail("errors.date.not_a_date");
  auto two = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  return std::to_string(ce) + "-" + two(*month) + "-" + two(*day);
}

json::object summary_list(const std::vector<SummaryRow>& rows) {
  json::array items;
  for (const auto& row : rows) {
    json::object item{{"key", row.key}, {"value", row.value}};
    if (!row.value_href.empty()) item["link"] = json::object{{"href", row.value_href}};
    if (!row.change_href.empty()) {
      item["change"] = json::object{
          {"href", row.change_href}, {"label", row.change_label}, {"what", row.change_what}};
    }
    items.push_back(std::move(item));
  }
  return json::object{
      {"rows", std::move(items)},
      {"has_actions", std::any_of(rows.begin(), rows.end(),
                                  [](const SummaryRow& r) { return !r.change_href.empty(); })}};
}

json::object notification_banner(BannerKind kind, std::string_view title, std::string_view heading,
                                 std::string_view text) {
  json::object m{{"title", title}, {"heading", heading}, {"success", kind == BannerKind::success}};
  if (!text.empty()) m["text"] = text;
  return m;
}

json::object task_list(const std::vector<Task>& tasks) {
  json::array items;
  int n = 0;
  for (const auto& task : tasks) {
    ++n;
    json::object item{{"name", task.name},
                      {"status", task.status},
                      {"done", task.done},
                      {"status_id", "task-" + std::to_string(n) + "-status"}};
    if (!task.href.empty()) item["href"] = task.href;
    items.push_back(std::move(item));
  }
  return json::object{{"tasks", std::move(items)}};
}

}  // namespace pratu::web
