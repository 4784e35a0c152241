#include "domains/applications/form_evaluation.hpp"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <boost/json/array.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <set>

#include "common/civil_date.hpp"
#include "common/text.hpp"
#include "common/thai_id.hpp"
#include "common/unicode_text.hpp"

namespace pratu::applications {
namespace {

namespace json = boost::json;
namespace chr = std::chrono;

constexpr std::string_view kErrors = "applications.errors.";

AnswerProblem problem(std::string field, std::string_view key,
                      std::vector<std::pair<std::string, std::string>> args = {}) {
  return AnswerProblem{std::move(field), std::string(kErrors) + std::string(key), std::move(args),
                       std::nullopt};
}

bool blank(std::string_view text) { return trim(text, std::string_view(" \t\r\n\f\v")).empty(); }

// "1,234.50": an amount in satang as baht, for messages.
std::string baht(std::int64_t satang) {
  const bool negative = satang < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(satang) : static_cast<std::uint64_t>(satang);
  std::string whole = std::to_string(magnitude / 100);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(i, ",");
  const auto cents = magnitude % 100;
  if (cents != 0) {
    whole += '.';
    whole += static_cast<char>('0' + cents / 10);
    whole += static_cast<char>('0' + cents % 10);
  }
  return (negative ? "-" : "") + whole;
}

// Whether the whole of `text` matches `pattern`, under ICU's time and stack limits so that no
// answer can hang a worker; a pattern that fails to run counts as no match.
bool matches_pattern(const std::string& pattern, std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  std::unique_ptr<icu::RegexPattern> compiled(
      icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, parse_error, status));
  if (U_FAILURE(status)) return false;
  const icu::UnicodeString input = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
  std::unique_ptr<icu::RegexMatcher> matcher(compiled->matcher(input, status));
  if (U_FAILURE(status)) return false;
  matcher->setTimeLimit(50, status);          // in steps of the matching engine's clock
  matcher->setStackLimit(64 * 1024, status);  // bytes
  const bool whole = matcher->matches(status);
  return U_SUCCESS(status) && whole;
}

bool is_blob_id(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool looks_like_email(std::string_view text) {
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at != text.rfind('@')) return false;
  const auto domain = text.substr(at + 1);
  const auto dot = domain.find('.');
  return text.size() <= 254 && dot != std::string_view::npos && dot > 0 &&
         dot + 1 < domain.size() && std::none_of(text.begin(), text.end(), [](char c) {
           return c == ' ' || c == '<' || c == '>' || c == ',' || c == ';';
         });
}

// "+66" and 8 or 9 more digits, the first not 0: a Thai number in E.164.
bool is_thai_phone(std::string_view text) {
  if (text.size() < 11 || text.size() > 12 || text.substr(0, 3) != "+66" || text[3] == '0') {
    return false;
  }
  return std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const json::string* text_at(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  return v != nullptr ? v->if_string() : nullptr;
}

}  // namespace

bool is_answered(const Field& field, const json::value* value) {
  if (value == nullptr || value->is_null()) return false;
  switch (field.type) {
    case FieldType::text:
    case FieldType::long_text:
    case FieldType::date:
    case FieldType::choice:
    case FieldType::citizen_id:
    case FieldType::juristic_id:
    case FieldType::phone:
    case FieldType::email: return !value->is_string() || !blank(value->get_string());
    case FieldType::choices: return !value->is_array() || !value->get_array().empty();
    case FieldType::declaration: return !value->is_bool() || value->get_bool();
    case FieldType::address:
    case FieldType::document: return !value->is_object() || !value->get_object().empty();
    case FieldType::integer:
    case FieldType::money:
    case FieldType::group: return true;
  }
  return true;
}

FormEvaluation::FormEvaluation(const Form& form, const json::object& raw, chr::year_month_day today,
                               const ThaiAddressBook* addresses)
    : form_(form), raw_(raw), today_(today), addresses_(addresses) {
  // Document order is a topological order: every expression names only fields above it.
  for (const Page& page : form_.pages) {
    const bool page_asked = !page.show_if || page.show_if->holds(environment(nullptr));
    pages_asked_[&page] = page_asked;
    for (const Field& field : page.fields) {
      const bool field_asked =
          page_asked && (!field.show_if || field.show_if->holds(environment(nullptr)));
      fields_asked_[&field] = field_asked;
      const json::value* value = raw_.if_contains(field.id);
      if (!field_asked || !is_answered(field, value)) continue;
      if (field.type != FieldType::group || !value->is_array()) {
        effective_.insert_or_assign(field.id, *value);
        continue;
      }
      // A group's items as expressions see them: only their asked, answered fields.
      json::array items;
      for (const auto& raw_item : value->get_array()) {
        if (raw_item.is_object())
          items.push_back(view_item(field, raw_item.get_object()).effective);
      }
      effective_.insert_or_assign(field.id, std::move(items));
    }
  }
}

Environment FormEvaluation::environment(const json::object* item) const {
  Environment env;
  env.answer = [this](std::string_view id) -> const json::value* { return effective(id); };
  env.item = item;
  env.today = today_;
  return env;
}

FormEvaluation::ItemView FormEvaluation::view_item(const Field& group,
                                                   const json::object& raw_item) const {
  // Inside the item, too, in order: ${item.x} names only fields above it.
  ItemView view;
  if (const auto* key = raw_item.if_contains("_key")) view.effective["_key"] = *key;
  for (const Field& inner : group.fields) {
    if (inner.show_if && !inner.show_if->holds(environment(&view.effective))) continue;
    view.asked.insert(&inner);
    const json::value* answer = raw_item.if_contains(inner.id);
    if (is_answered(inner, answer)) view.effective[inner.id] = *answer;
  }
  return view;
}

bool FormEvaluation::asked(const Page& page) const {
  auto it = pages_asked_.find(&page);
  return it != pages_asked_.end() && it->second;
}

bool FormEvaluation::asked(const Field& field) const {
  auto it = fields_asked_.find(&field);
  return it != fields_asked_.end() && it->second;
}

std::vector<const Page*> FormEvaluation::asked_pages() const {
  std::vector<const Page*> out;
  for (const Page& page : form_.pages) {
    if (asked(page)) out.push_back(&page);
  }
  return out;
}

const json::value* FormEvaluation::effective(std::string_view id) const {
  auto it = effective_.find(id);
  return it == effective_.end() ? nullptr : &it->second;
}

json::object FormEvaluation::pruned() const {
  json::object out;
  for (const Page& page : form_.pages) {
    for (const Field& field : page.fields) {
      if (const auto* value = effective(field.id)) out[field.id] = *value;
    }
  }
  return out;
}

std::vector<AnswerProblem> FormEvaluation::problems(const Page& page) const {
  std::vector<AnswerProblem> out;
  if (!asked(page)) return out;
  for (const Field& field : page.fields) {
    if (!asked(field)) continue;
    check_field(field, raw_.if_contains(field.id), field.id, nullptr, out);
  }
  return out;
}

std::vector<AnswerProblem> FormEvaluation::problems() const {
  std::vector<AnswerProblem> out;
  for (const Page& page : form_.pages) {
    auto found = problems(page);
    out.insert(out.end(), std::make_move_iterator(found.begin()),
               std::make_move_iterator(found.end()));
  }
  return out;
}

const Page* FormEvaluation::first_incomplete() const {
  for (const Page& page : form_.pages) {
    if (asked(page) && !problems(page).empty()) return &page;
  }
  return nullptr;
}

void FormEvaluation::check_field(const Field& field, const json::value* value,
                                 const std::string& path, const json::object* item,
                                 std::vector<AnswerProblem>& out) const {
  if (!is_answered(field, value)) {
    if (field.type == FieldType::group) {
      // A missing list is checked as no items: too few when the group may not be empty.
      check_group(field, json::value(json::array()), path, out);
      return;
    }
    if (field.required) {
      out.push_back(
          problem(path, field.type == FieldType::declaration ? "declaration_required"
                        : field.type == FieldType::document  ? "document_required"
                        : field.type == FieldType::choice || field.type == FieldType::choices
                            ? "choice_required"
                            : "required"));
    }
    return;
  }
  const std::size_t before = out.size();
  check_value(field, *value, path, out);
  if (out.size() != before) return;  // a rule reads a valid answer only
  for (const Rule& rule : field.rules) {
    if (!rule.holds.holds(environment(item))) {
      out.push_back(AnswerProblem{path, {}, {}, rule.message});
      return;
    }
  }
}

void FormEvaluation::check_value(const Field& field, const json::value& value,
                                 const std::string& path, std::vector<AnswerProblem>& out) const {
  switch (field.type) {
    case FieldType::text:
    case FieldType::long_text: {
      if (!value.is_string() || !is_valid_utf8(value.get_string())) {
        out.push_back(problem(path, "not_text"));
        return;
      }
      const std::string_view text = value.get_string();
      const auto length = static_cast<std::int64_t>(code_point_count(text));
      if (field.min_length && length < *field.min_length) {
        out.push_back(problem(path, "too_short", {{"min", std::to_string(*field.min_length)}}));
      } else if (field.max_length && length > *field.max_length) {
        out.push_back(problem(path, "too_long", {{"max", std::to_string(*field.max_length)}}));
      } else if (field.type == FieldType::text && text.find('\n') != std::string_view::npos) {
        out.push_back(problem(path, "one_line"));
      } else if (!field.pattern.empty() && !matches_pattern(field.pattern, text)) {
        out.push_back(AnswerProblem{path, {}, {}, field.pattern_message});
      }
      return;
    }
    case FieldType::integer:
    case FieldType::money: {
      if (!value.is_int64()) {
        out.push_back(problem(path, field.type == FieldType::money ? "not_money" : "not_integer"));
        return;
      }
      const std::int64_t n = value.get_int64();
      auto shown = [&](std::int64_t bound) {
        return field.type == FieldType::money ? baht(bound) : std::to_string(bound);
      };
      if (field.min && n < *field.min) {
        out.push_back(problem(path, "too_small", {{"min", shown(*field.min)}}));
      } else if (field.max && n > *field.max) {
        out.push_back(problem(path, "too_large", {{"max", shown(*field.max)}}));
      }
      return;
    }
    case FieldType::date: {
      if (value.is_object()) {
        // As typed, when it did not read as a date: say which part to fix, in the order a
        // person reads them (forms.md §3.5).
        const auto& typed = value.get_object();
        for (const char* part : {"day", "month", "year"}) {
          const auto* text = text_at(typed, part);
          if (text == nullptr || text->empty()) {
            out.push_back(problem(path, std::string("date_missing_") + part));
            return;
          }
        }
        const auto* year = text_at(typed, "year");
        const auto* era = text_at(typed, "era");
        if (year->size() != 4) {
          out.push_back(problem(path, "date_year_digits"));
        } else if (era != nullptr && *era == "be" && *year < "2400") {
          out.push_back(problem(path, "date_year_be"));
        } else {
          out.push_back(problem(path, "not_date"));
        }
        return;
      }
      const auto date = value.is_string() ? parse_iso_date(value.get_string()) : std::nullopt;
      if (!date) {
        out.push_back(problem(path, "not_date"));
        return;
      }
      auto bound = [&](const std::string& written) -> std::optional<chr::year_month_day> {
        if (written.empty()) return std::nullopt;
        if (written == "today") return today_;
        return parse_iso_date(written);
      };
      if (auto min = bound(field.min_date); min && chr::sys_days(*date) < chr::sys_days(*min)) {
        out.push_back(problem(path, field.min_date == "today" ? "date_in_past" : "date_too_early",
                              {{"date", iso_date(*min)}}));
      } else if (auto max = bound(field.max_date);
                 max && chr::sys_days(*date) > chr::sys_days(*max)) {
        out.push_back(problem(path, field.max_date == "today" ? "date_in_future" : "date_too_late",
                              {{"date", iso_date(*max)}}));
      }
      return;
    }
    case FieldType::choice:
      if (!value.is_string() || field.choice(value.get_string()) == nullptr) {
        out.push_back(problem(path, "unknown_choice"));
      }
      return;
    case FieldType::choices: {
      if (!value.is_array()) {
        out.push_back(problem(path, "unknown_choice"));
        return;
      }
      std::set<std::string_view> seen;
      for (const auto& code : value.get_array()) {
        if (!code.is_string() || field.choice(code.get_string()) == nullptr ||
            !seen.insert(code.get_string()).second) {
          out.push_back(problem(path, "unknown_choice"));
          return;
        }
      }
      const auto count = static_cast<std::int64_t>(seen.size());
      if (count < field.min_items) {
        out.push_back(problem(path, "too_few_choices", {{"min", std::to_string(field.min_items)}}));
      } else if (field.max_items > 0 && count > field.max_items) {
        out.push_back(
            problem(path, "too_many_choices", {{"max", std::to_string(field.max_items)}}));
      }
      return;
    }
    case FieldType::citizen_id:
    case FieldType::juristic_id: {
      if (!value.is_string()) {
        out.push_back(problem(path, "id_format"));
        return;
      }
      const auto check = field.type == FieldType::citizen_id
                             ? check_citizen_id(value.get_string())
                             : check_juristic_id(value.get_string());
      // What is stored is exactly the 13 digits: anything else was not decoded by Pratu.
      if (check.status == ThaiIdStatus::malformed || check.digits != value.get_string()) {
        out.push_back(problem(path, "id_format"));
      } else if (check.status == ThaiIdStatus::wrong_category) {
        out.push_back(problem(path, field.type == FieldType::citizen_id ? "citizen_id_category"
                                                                        : "juristic_id_category"));
      } else if (check.status == ThaiIdStatus::bad_check_digit) {
        out.push_back(problem(path, "id_check_digit"));
      }
      return;
    }
    case FieldType::phone:
      if (!value.is_string() || !is_thai_phone(value.get_string())) {
        out.push_back(problem(path, "phone_format"));
      }
      return;
    case FieldType::email:
      if (!value.is_string() || !looks_like_email(value.get_string())) {
        out.push_back(problem(path, "email_format"));
      }
      return;
    case FieldType::address: {
      if (!value.is_object()) {
        out.push_back(problem(path, "address_incomplete"));
        return;
      }
      const auto& a = value.get_object();
      for (const char* part : {"house_no", "province", "district", "subdistrict", "postcode"}) {
        const auto* text = text_at(a, part);
        if (text == nullptr || blank(*text)) {
          out.push_back(problem(path + "." + part, std::string("address_") + part + "_required"));
          return;
        }
      }
      for (const auto& [key, part] : a) {
        if (!part.is_string() || code_point_count(part.get_string()) > 200) {
          out.push_back(problem(path + "." + std::string(key), "address_part_too_long"));
          return;
        }
      }
      if (addresses_ != nullptr) {
        if (auto wrong =
                addresses_->validate(*text_at(a, "province"), *text_at(a, "district"),
                                     *text_at(a, "subdistrict"), *text_at(a, "postcode"))) {
          out.push_back(problem(path + "." + std::string(to_string(*wrong)),
                                "address_" + std::string(to_string(*wrong)) + "_wrong"));
        }
      }
      return;
    }
    case FieldType::document: {
      const auto* d = value.if_object();
      const json::string* blob = d != nullptr ? text_at(*d, "blob") : nullptr;
      const json::string* media = d != nullptr ? text_at(*d, "media_type") : nullptr;
      const json::value* bytes = d != nullptr ? d->if_contains("bytes") : nullptr;
      if (blob == nullptr || !is_blob_id(*blob) || media == nullptr || bytes == nullptr ||
          !bytes->is_int64()) {
        out.push_back(problem(path, "document_invalid"));
      } else if (*media != "application/pdf" && *media != "image/jpeg" && *media != "image/png") {
        out.push_back(problem(path, "document_type"));
      } else if (bytes->get_int64() > field.max_bytes) {
        out.push_back(problem(path, "document_too_large",
                              {{"max", std::to_string(field.max_bytes / (1024 * 1024))}}));
      }
      return;
    }
    case FieldType::group: check_group(field, value, path, out); return;
    case FieldType::declaration:
      if (!value.is_bool()) out.push_back(problem(path, "declaration_required"));
      return;
  }
}

void FormEvaluation::check_group(const Field& field, const json::value& value,
                                 const std::string& path, std::vector<AnswerProblem>& out) const {
  if (!value.is_array()) {
    out.push_back(problem(path, "group_invalid"));
    return;
  }
  const auto& items = value.get_array();
  const auto count = static_cast<std::int64_t>(items.size());
  if (count < field.min_items) {
    out.push_back(problem(path, field.min_items == 1 ? "group_empty" : "too_few_items",
                          {{"min", std::to_string(field.min_items)}}));
  } else if (count > field.max_items) {
    out.push_back(problem(path, "too_many_items", {{"max", std::to_string(field.max_items)}}));
  }
  std::set<std::string> keys;
  for (const auto& raw_item : items) {
    const auto* item = raw_item.if_object();
    const json::string* key = item != nullptr ? text_at(*item, "_key") : nullptr;
    if (key == nullptr || key->empty() || !keys.insert(std::string(*key)).second) {
      out.push_back(problem(path, "group_invalid"));
      return;
    }
    const ItemView view = view_item(field, *item);
    for (const Field& inner : field.fields) {
      if (!view.asked.contains(&inner)) continue;
      check_field(inner, item->if_contains(inner.id),
                  path + "." + std::string(*key) + "." + inner.id, &view.effective, out);
    }
  }
}

}  // namespace pratu::applications
