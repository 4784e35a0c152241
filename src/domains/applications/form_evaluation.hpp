#pragma once
/// What a form's answers amount to now: which pages and fields are asked, their effective
/// answers, and what is wrong with each. Recomputed from the raw answers on every request and
/// never stored (shared/reference/forms.md §2.4, §4.2): an answer to a question no longer
/// asked stays in the draft but no expression sees it, no check looks at it, and it is never
/// submitted.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domains/applications/form.hpp"
#include "domains/applications/thai_address.hpp"

namespace pratu::applications {

/// One problem with one answer, for the error summary and the field's own message.
struct AnswerProblem {
  /// The field's id; in a group's item "<group>.<item key>.<field>".
  std::string field;
  /// A key under applications.errors, with its placeholders; or, when the form gives its own
  /// message (valid_if, pattern), that message in both languages.
  std::string key;
  std::vector<std::pair<std::string, std::string>> args;
  std::optional<Text> text;

  bool operator==(const AnswerProblem&) const = default;
};

/// Whether `value` counts as an answer to `field` at all: non-blank text, a non-empty
/// choice of several, a ticked declaration, a group's list (even empty: "asked, none").
bool is_answered(const Field& field, const boost::json::value* value);

class FormEvaluation {
 public:
  /// Evaluates `raw` (answers by field id, as stored in a draft) against `form` on `today`
  /// (the civil date in Thailand); `addresses` checks Thai addresses (nullptr: not checked).
  FormEvaluation(const Form& form, const boost::json::object& raw,
                 std::chrono::year_month_day today, const ThaiAddressBook* addresses);

  /// Whether the page, or a top-level field, is asked now.
  bool asked(const Page& page) const;
  bool asked(const Field& field) const;
  /// The pages asked now, in order.
  std::vector<const Page*> asked_pages() const;
  /// The answer as expressions see it: nullptr when not asked or unanswered.
  const boost::json::value* effective(std::string_view id) const;
  /// What a submission keeps: the asked, answered fields only; in a group's items, only their
  /// asked fields (and each item's "_key").
  boost::json::object pruned() const;
  /// The problems of the asked fields of `page`, in field order; none for a page not asked.
  std::vector<AnswerProblem> problems(const Page& page) const;
  /// The problems of every asked page.
  std::vector<AnswerProblem> problems() const;
  /// The first asked page with a problem, or nullptr when the whole form may be submitted.
  const Page* first_incomplete() const;

 private:
  void check_field(const Field& field, const boost::json::value* value, const std::string& path,
                   const boost::json::object* item, std::vector<AnswerProblem>& out) const;
  void check_value(const Field& field, const boost::json::value& value, const std::string& path,
                   std::vector<AnswerProblem>& out) const;
  void check_group(const Field& field, const boost::json::value& value, const std::string& path,
                   std::vector<AnswerProblem>& out) const;
  // One item of a group as expressions see it, and which of its fields are asked.
  struct ItemView {
    boost::json::object effective;
    std::set<const Field*> asked;
  };
  ItemView view_item(const Field& group, const boost::json::object& raw_item) const;
  Environment environment(const boost::json::object* item) const;

  const Form& form_;
  const boost::json::object raw_;  // a copy: an evaluation may outlive the caller's answers
  std::chrono::year_month_day today_;
  const ThaiAddressBook* addresses_;
  std::map<const Page*, bool> pages_asked_;
  std::map<const Field*, bool> fields_asked_;
  std::map<std::string, boost::json::value, std::less<>> effective_;
};

}  // namespace pratu::applications
