#pragma once
/// Shared page components, packaged the way the GOV.UK Design System packages them: each is a
/// partial in templates/partials/ and a function here that builds its model, so the label,
/// hint, inline error and the ARIA ids that tie them together are right on every page.
///
///   text_input · textarea · date_input (Buddhist era in Thai) · radios · checkboxes · select ·
///   file_upload · error_summary · summary_list (with Change links) · notification_banner ·
///   task_list
///
/// Texts are passed in already translated; the functions hold no words.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "web/context.hpp"

namespace pratu::web {

/// What every form control shares.
struct Control {
  std::string id;     // the input's id and name ("national_id"; "date" for a date's group)
  std::string label;  // the label, or the legend of a group
  std::string hint;   // optional
  std::string error;  // optional: the inline message
};

struct TextInputOptions {
  std::string_view type = "text";  // text | email | tel | password | number
  std::string_view autocomplete;
  std::string_view inputmode;  // numeric | tel | email ...
  std::string_view width;      // "short" | "medium" | "" (full)
  bool spellcheck = true;      // false for IDs, emails and codes
  bool readonly = false;       // shown and sent with the form, not editable
};

/// One option of radios, checkboxes or a select.
struct Choice {
  std::string value;
  std::string label;
  std::string hint;  // radios and checkboxes only
};

/// Model of partials/text_input.
boost::json::object text_input(const Control& control, std::string_view value,
                               const TextInputOptions& options = {});
/// Model of partials/textarea.
boost::json::object textarea(const Control& control, std::string_view value, int rows = 5);
/// Model of partials/radios; `inline_` lays two short options side by side.
boost::json::object radios(const Control& control, const std::vector<Choice>& choices,
                           std::string_view selected, bool inline_ = false);
/// Model of partials/checkboxes.
boost::json::object checkboxes(const Control& control, const std::vector<Choice>& choices,
                               const std::vector<std::string>& selected);
/// Model of partials/select; `placeholder` is the empty first option ("" for none).
boost::json::object select(const Control& control, const std::vector<Choice>& choices,
                           std::string_view selected, std::string_view placeholder,
                           std::string_view width = {}, std::string_view autocomplete = {});
/// Model of partials/file_upload; `accept` lists media types ("application/pdf,image/jpeg").
boost::json::object file_upload(const Control& control, std::string_view accept);

/// The words of a date input.
struct DateLabels {
  std::string day;
  std::string month;
  std::string year;  // "ปี (พ.ศ.)" in Thai
};
/// The parts of a date as typed, before they are checked.
struct DateParts {
  std::string day;
  std::string month;
  std::string year;
};
/// Model of partials/date_input for an ISO 8601 date ("2026-12-02", or "" for none). In
/// Thai the year is shown in the Buddhist era (2569).
boost::json::object date_input(const Control& control, std::string_view iso_date,
                               const DateLabels& labels, Locale locale);
/// Model of partials/date_input for what was typed (a form shown again after an error).
boost::json::object date_input(const Control& control, const DateParts& typed,
                               const DateLabels& labels);
/// The parts of date `id` in a form: fields `<id>-day`, `<id>-month`, `<id>-year`.
DateParts date_parts(const std::vector<Header>& fields, std::string_view id);
/// The ISO 8601 date the parts name; the year is read in the Buddhist era in Thai (a year
/// above 2400 is taken as Buddhist in either language, as people type it). Fails with a
/// field error on `id` naming what is wrong: errors.date.missing, .not_a_date, .year.
Result<std::string> parse_date(const DateParts& parts, Locale locale, std::string_view id);

/// One row of a summary list.
struct SummaryRow {
  std::string key;
  std::string value;
  std::string change_href;      // optional: a "Change" link
  std::string change_label;     // the visible word ("Change")
  std::string change_what;      // visually hidden rest of the link text ("your email")
  std::string value_href = {};  // optional: the value is a link to this (a file to open)
};
/// Model of partials/summary_list.
boost::json::object summary_list(const std::vector<SummaryRow>& rows);

enum class BannerKind { important, success };
/// Model of partials/notification_banner; a success banner is announced (role="alert").
boost::json::object notification_banner(BannerKind kind, std::string_view title,
                                        std::string_view heading, std::string_view text = {});

/// One task of a task list.
struct Task {
  std::string name;
  std::string href;    // empty: cannot start yet
  std::string status;  // the words: "Completed", "Not started"
  bool done = false;
};
/// Model of partials/task_list.
boost::json::object task_list(const std::vector<Task>& tasks);

}  // namespace pratu::web
