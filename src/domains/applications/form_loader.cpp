#include "domains/applications/form_loader.hpp"

#include <unicode/regex.h>
#include <unicode/unistr.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <set>

#include "common/civil_date.hpp"
#include "common/files.hpp"
#include "common/parallel_runs.hpp"
#include "common/text.hpp"
#include "crypto/digest.hpp"

namespace pratu::applications {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMaxTextLength = 100'000;
constexpr std::int64_t kMaxInteger = 9'007'199'254'740'991;  // what a JavaScript reader keeps exact
constexpr std::int64_t kMaxBaht = kMaxInteger / 100;
constexpr std::size_t kMaxChoices = 200;

// Page ids a URL under /applications/{id}/ uses for itself.
constexpr std::array<std::string_view, 5> kReservedPageIds = {"check", "submit", "documents",
                                                              "confirmation", "receipt"};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Symbol symbol_of(const Field& field) {
  Symbol s;
  switch (field.type) {
    case FieldType::text:
    case FieldType::long_text:
    case FieldType::citizen_id:
    case FieldType::juristic_id:
    case FieldType::phone:
    case FieldType::email: s.type = ValueType::text; break;
    case FieldType::integer:
    case FieldType::money: s.type = ValueType::integer; break;
    case FieldType::date: s.type = ValueType::date; break;
    case FieldType::choice:
    case FieldType::choices:
      s.type = field.type == FieldType::choice ? ValueType::code : ValueType::codes;
      for (const auto& c : field.choices) s.codes.push_back(c.code);
      break;
    case FieldType::address:
      s.type = ValueType::record;
      for (const char* part : {"house_no", "moo", "village", "soi", "road", "province", "district",
                               "subdistrict", "postcode"}) {
        s.fields.emplace(part, Symbol{ValueType::text, {}, {}});
      }
      break;
    case FieldType::document:
      s.type = ValueType::record;
      s.fields.emplace("name", Symbol{ValueType::text, {}, {}});
      s.fields.emplace("media_type", Symbol{ValueType::text, {}, {}});
      s.fields.emplace("bytes", Symbol{ValueType::integer, {}, {}});
      break;
    case FieldType::group:
      s.type = ValueType::items;
      for (const auto& inner : field.fields) s.fields.emplace(inner.id, symbol_of(inner));
      break;
    case FieldType::declaration: s.type = ValueType::boolean; break;
  }
  return s;
}

namespace {

// Reads one form file, recording its problems with their line and place.
class FormReader : public DefinitionReader {
 public:
  FormReader(std::string file, const platform::ServiceInfo& service)
      : DefinitionReader(std::move(file)), service_(service) {}

  Form read(std::string_view yaml);

 private:
  std::optional<Expression> expression(const YAML::Node& map, std::string_view key,
                                       const Symbol* item);

  Page read_page(const YAML::Node& node, std::size_t index);
  Field read_field(const YAML::Node& node, std::size_t index, bool in_group);
  void read_type_settings(const YAML::Node& node, Field& field, bool in_group);
  void read_choices(const YAML::Node& node, Field& field);
  std::string date_bound(const YAML::Node& node, std::string_view key);

  const platform::ServiceInfo& service_;
  // What an expression may name: fields of earlier pages and above on this page (top level),
  // and the current group's fields above (inside a group).
  std::map<std::string, Symbol, std::less<>> visible_;
  std::optional<Symbol> item_;
  std::set<std::string> ids_;  // lower-cased, of the whole form (or the current group)
};

std::optional<Expression> FormReader::expression(const YAML::Node& map, std::string_view key,
                                                 const Symbol* item) {
  const std::string source = text(map, key, false);
  if (source.empty()) return std::nullopt;
  SymbolLookup lookup = [this](std::string_view id) -> const Symbol* {
    auto it = visible_.find(id);
    return it == visible_.end() ? nullptr : &it->second;
  };
  auto compiled = Expression::compile(source, lookup, item, ValueType::boolean);
  if (!compiled) {
    problem_at(map[std::string(key)], key,
               compiled.error().detail +
                   " (an expression may name only fields above it, on this page or earlier ones)");
    return std::nullopt;
  }
  return std::move(*compiled);
}

std::string FormReader::date_bound(const YAML::Node& node, std::string_view key) {
  std::string value = text(node, key, false);
  if (value.empty() || value == "today") return value;
  if (!parse_iso_date(value)) {
    problem_at(node[std::string(key)], key, "must be \"today\" or a date as YYYY-MM-DD");
    return {};
  }
  return value;
}

void FormReader::read_choices(const YAML::Node& node, Field& field) {
  const YAML::Node list = node["choices"];
  if (!list.IsDefined() || !list.IsSequence() || list.size() == 0) {
    problem_at(node, "choices", "is required: a list of {code, th, en}");
    return;
  }
  if (list.size() > kMaxChoices) {
    problem_at(list, "choices", "has more than " + std::to_string(kMaxChoices));
  }
  std::set<std::string> codes;
  for (const auto& item : list) {
    if (!expect_map(item, {"code", "th", "en"})) continue;
    Choice c;
    c.code = text(item, "code", true);
    c.label.th = text(item, "th", true);
    c.label.en = text(item, "en", true);
    if (!c.code.empty() && !is_definition_id(c.code)) {
      problem_at(item, "code", "'" + c.code + "' must be lower-case letters, digits and '_'");
    } else if (!c.code.empty() && !codes.insert(c.code).second) {
      problem_at(item, "code", "'" + c.code + "' appears twice");
    }
    field.choices.push_back(std::move(c));
  }
}

void FormReader::read_type_settings(const YAML::Node& node, Field& field, bool in_group) {
  const bool text_like = field.type == FieldType::text || field.type == FieldType::long_text;
  const bool numeric = field.type == FieldType::integer || field.type == FieldType::money;
  auto only = [&](std::string_view key, bool allowed, std::string_view types) {
    if (!allowed && node[std::string(key)].IsDefined()) {
      problem_at(node[std::string(key)], key, "applies only to " + std::string(types));
    }
  };
  only("min_length", text_like, "text and long_text");
  only("max_length", text_like, "text and long_text");
  only("pattern", text_like, "text and long_text");
  only("pattern_message", text_like, "text and long_text");
  only("min", numeric || field.type == FieldType::date, "integer, money and date");
  only("max", numeric || field.type == FieldType::date, "integer, money and date");
  only("choices", field.type == FieldType::choice || field.type == FieldType::choices,
       "choice and choices");
  only("document", field.type == FieldType::document, "document");
  only("max_megabytes", field.type == FieldType::document, "document");
  only("fields", field.type == FieldType::group, "group");
  only("min_items", field.type == FieldType::group || field.type == FieldType::choices,
       "group and choices");
  only("max_items", field.type == FieldType::group || field.type == FieldType::choices,
       "group and choices");
  only("item_label", field.type == FieldType::group, "group");

  if (text_like) {
    field.min_length = integer(node, "min_length", 1, kMaxTextLength);
    field.max_length = integer(node, "max_length", 1, kMaxTextLength);
    if (!field.max_length) field.max_length = field.type == FieldType::text ? 200 : 5000;
    if (field.min_length && *field.min_length > *field.max_length) {
      problem_at(node, "min_length", "is more than max_length");
    }
    field.pattern = text(node, "pattern", false);
    if (!field.pattern.empty()) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError parse_error{};
      std::unique_ptr<icu::RegexPattern> compiled(icu::RegexPattern::compile(
          icu::UnicodeString::fromUTF8(field.pattern), 0, parse_error, status));
      if (U_FAILURE(status)) {
        problem_at(node["pattern"], "pattern",
                   std::string("does not compile (") + u_errorName(status) + ")");
      }
      field.pattern_message = localized(node, "pattern_message", true);
    }
  }
  if (numeric) {
    const std::int64_t limit = field.type == FieldType::money ? kMaxBaht : kMaxInteger;
    field.min = integer(node, "min", -limit, limit);
    field.max = integer(node, "max", -limit, limit);
    if (field.type == FieldType::money) {
      // Typed in baht; kept, like every amount, in satang.
      if (field.min) *field.min *= 100;
      if (field.max) *field.max *= 100;
      if (!field.min) field.min = 0;
    }
    if (field.min && field.max && *field.min > *field.max) {
      problem_at(node, "min", "is more than max");
    }
  }
  if (field.type == FieldType::date) {
    field.min_date = date_bound(node, "min");
    field.max_date = date_bound(node, "max");
    if (!field.min_date.empty() && !field.max_date.empty() && field.min_date != "today" &&
        field.max_date != "today" && field.min_date > field.max_date) {
      problem_at(node, "min", "is after max");
    }
  }
  if (field.type == FieldType::choice || field.type == FieldType::choices) {
    read_choices(node, field);
  }
  if (field.type == FieldType::choices) {
    field.min_items = integer(node, "min_items", 0, kMaxChoices).value_or(0);
    field.max_items = integer(node, "max_items", 1, kMaxChoices)
                          .value_or(static_cast<std::int64_t>(field.choices.size()));
  }
  if (field.type == FieldType::document) {
    field.document = text(node, "document", true);
    if (!field.document.empty()) {
      const bool listed =
          std::any_of(service_.documents.begin(), service_.documents.end(),
                      [&](const platform::ServiceDocument& d) { return d.key == field.document; });
      if (!listed) {
        std::string keys;
        for (const auto& d : service_.documents) {
          if (d.key.empty()) continue;
          if (!keys.empty()) keys += ", ";
          keys += d.key;
        }
        problem_at(node["document"], "document",
                   "'" + field.document + "' is not a document of " + service_.source_file +
                       (keys.empty() ? " (its documents have no key)" : " (keys: " + keys + ")"));
      }
    }
    field.max_bytes =
        integer(node, "max_megabytes", 1, kMaxDocumentBytes / (1024 * 1024)).value_or(0) * 1024 *
        1024;
    if (field.max_bytes == 0) field.max_bytes = kDefaultDocumentBytes;
  }
  if (field.type == FieldType::group) {
    if (in_group) {
      problem(node, "a group cannot hold another group");
      return;
    }
    field.item_label = localized(node, "item_label", true);
    field.min_items = integer(node, "min_items", 0, kMaxGroupItems).value_or(0);
    field.max_items = integer(node, "max_items", 1, kMaxGroupItems).value_or(kMaxGroupItems);
    if (field.min_items > field.max_items) problem_at(node, "min_items", "is more than max_items");
    const YAML::Node inner = node["fields"];
    if (!inner.IsDefined() || !inner.IsSequence() || inner.size() == 0) {
      problem_at(node, "fields", "is required: the questions of one item");
      return;
    }
    // Inside the group: ids of its own, and ${item.x} for the fields above in the item.
    const std::string outer_where = where_;
    auto outer_ids = std::move(ids_);
    ids_.clear();
    item_ = Symbol{ValueType::items, {}, {}};
    for (std::size_t i = 0; i < inner.size(); ++i) {
      Field f = read_field(inner[i], i, true);
      where_ = outer_where;
      if (!f.id.empty()) item_->fields.insert_or_assign(f.id, symbol_of(f));
      field.fields.push_back(std::move(f));
    }
    item_.reset();
    ids_ = std::move(outer_ids);
  }
}

Field FormReader::read_field(const YAML::Node& node, std::size_t index, bool in_group) {
  Field field;
  const std::string outer_where = where_;
  where_ = outer_where + ", field " + std::to_string(index + 1);
  if (node.IsMap() && node["id"].IsScalar() && is_definition_id(node["id"].Scalar())) {
    where_ = outer_where + ", field " + node["id"].Scalar();  // named in every problem below
  }
  if (!expect_map(node, {"id",         "type",       "label",         "hint",
                         "required",   "show_if",    "valid_if",      "message",
                         "min_length", "max_length", "pattern",       "pattern_message",
                         "min",        "max",        "choices",       "prefill",
                         "locked",     "document",   "max_megabytes", "fields",
                         "min_items",  "max_items",  "item_label",    "reuse"})) {
    return field;
  }
  field.id = text(node, "id", true);
  if (!field.id.empty()) {
    where_ = outer_where + ", field " + field.id;
    if (!is_definition_id(field.id)) {
      problem_at(node["id"], "id",
                 "must be lower-case letters, digits and '_', starting with a letter (at most 40)");
    } else if (!ids_.insert(lower(field.id)).second) {
      problem_at(node["id"], "id", "'" + field.id + "' is used by an earlier field");
    }
  }
  const std::string type_key = text(node, "type", true);
  if (auto type = field_type_of(type_key)) {
    field.type = *type;
  } else if (!type_key.empty()) {
    problem_at(node["type"], "type", "'" + type_key + "' is not one of: " + field_type_list());
  }
  field.label = localized(node, "label", true);
  field.hint = localized(node, "hint", false);
  field.required = boolean(node, "required", false);
  if (field.type == FieldType::declaration) {
    if (node["required"].IsDefined() && !field.required) {
      problem_at(node["required"], "required", "a declaration is always required");
    }
    field.required = true;
  }
  const Symbol* item = item_ ? &*item_ : nullptr;
  field.show_if = expression(node, "show_if", item);

  read_type_settings(node, field, in_group);

  // valid_if may name the field itself, besides what is above it.
  const Symbol self = symbol_of(field);
  if (!field.id.empty()) {
    if (item_) {
      item_->fields.insert_or_assign(field.id, self);
    } else {
      visible_.insert_or_assign(field.id, self);
    }
  }
  if (auto rule = expression(node, "valid_if", item_ ? &*item_ : nullptr)) {
    field.rules.push_back({std::move(*rule), localized(node, "message", true)});
  } else if (node["message"].IsDefined() && !node["valid_if"].IsDefined()) {
    problem_at(node["message"], "message", "goes with valid_if");
  }

  const std::string prefill = text(node, "prefill", false);
  if (!prefill.empty()) {
    field.prefill = profile_field_of(prefill);
    if (!field.prefill) {
      problem_at(node["prefill"], "prefill",
                 "'" + prefill + "' is not one of: " + profile_field_list());
    }
  }
  field.locked = boolean(node, "locked", false);
  if (field.locked && !field.prefill) problem_at(node["locked"], "locked", "goes with prefill");
  field.reuse = text(node, "reuse", false);
  if (!field.reuse.empty()) {
    const auto t = field.type;
    if (!is_definition_id(field.reuse)) {
      problem_at(node["reuse"], "reuse",
                 "must be lower-case letters, digits and '_', starting with a letter (at most 40)");
    } else if (field.prefill) {
      problem_at(node["reuse"], "reuse",
                 "a field filled in from the profile is already asked once");
    } else if (in_group) {
      problem_at(node["reuse"], "reuse", "not inside a group: one item's answer is not everyone's");
    } else if (t == FieldType::choice || t == FieldType::choices || t == FieldType::document ||
               t == FieldType::group || t == FieldType::declaration) {
      problem_at(node["reuse"], "reuse",
                 "not for a " + text(node, "type", false) +
                     ": its answers mean something only in its own form");
    }
  }
  where_ = outer_where;
  return field;
}

Page FormReader::read_page(const YAML::Node& node, std::size_t index) {
  Page page;
  where_ = "page " + std::to_string(index + 1);
  if (node.IsMap() && node["id"].IsScalar() && is_definition_id(node["id"].Scalar())) {
    where_ = "page " + node["id"].Scalar();
  }
  if (!expect_map(node, {"id", "title", "intro", "show_if", "fields"})) return page;
  page.id = text(node, "id", true);
  if (!page.id.empty()) {
    where_ = "page " + page.id;
    if (!is_definition_id(page.id)) {
      problem_at(node["id"], "id",
                 "must be lower-case letters, digits and '_', starting with a letter (at most 40)");
    } else if (std::find(kReservedPageIds.begin(), kReservedPageIds.end(), page.id) !=
               kReservedPageIds.end()) {
      problem_at(node["id"], "id", "'" + page.id + "' is a name Pratu's pages use");
    }
  }
  page.title = localized(node, "title", true);
  page.intro = localized(node, "intro", false);
  // A page's condition names earlier pages only: the fields above on this page are none yet.
  page.show_if = expression(node, "show_if", nullptr);
  const YAML::Node fields = node["fields"];
  if (!fields.IsDefined() || !fields.IsSequence() || fields.size() == 0) {
    problem_at(node, "fields", "is required: a list of at least one question");
    return page;
  }
  if (fields.size() > kMaxFieldsPerPage) {
    problem_at(fields, "fields", "has more than " + std::to_string(kMaxFieldsPerPage));
  }
  const std::string page_where = where_;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    page.fields.push_back(read_field(fields[i], i, false));
    where_ = page_where;
  }
  return page;
}

Form FormReader::read(std::string_view yaml) {
  Form form;
  form.service = service_.slug;
  form.agency = service_.agency;
  form.source_file = file_;
  form.version = "sha256:" + crypto::sha256_hex(yaml);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    problems_.push_back({file_, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", e.msg});
    return form;
  }
  if (!expect_map(root, {"title", "pages"})) return form;
  form.title = localized(root, "title", false);
  if (form.title.empty()) form.title = Text{service_.name_th, service_.name_en};
  const YAML::Node pages = root["pages"];
  if (!pages.IsDefined() || !pages.IsSequence() || pages.size() == 0) {
    problem_at(root, "pages", "is required: a list of at least one page");
    return form;
  }
  if (pages.size() > kMaxPages) {
    problem_at(pages, "pages", "has more than " + std::to_string(kMaxPages));
  }
  std::set<std::string> page_ids;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    Page page = read_page(pages[i], i);
    if (!page.id.empty() && !page_ids.insert(page.id).second) {
      problem_at(pages[i]["id"], "id", "'" + page.id + "' is used by an earlier page");
    }
    form.pages.push_back(std::move(page));
  }
  where_.clear();
  return form;
}

}  // namespace

Result<Form> parse_form(std::string_view yaml, const std::string& file,
                        const platform::ServiceInfo& service) {
  FormReader reader(file, service);
  Form form;
  const auto problems = reader.run([&] { form = reader.read(yaml); }, "a form");
  if (problems.empty()) return form;
  std::vector<std::string> lines;
  for (const auto& p : problems) lines.push_back(p.to_string());
  return definition_error(lines);
}

Result<std::map<std::string, Form, std::less<>>> load_forms(
    const platform::ServiceDirectory& directory) {
  std::vector<std::string> problems;
  const auto folders = service_folders(directory, problems);
  struct Found {
    fs::path file;
    std::string shown;
    const platform::ServiceInfo* service;
  };
  std::vector<Found> found;
  for (const auto& folder : folders) {
    const fs::path file = folder.path / "form.yaml";
    if (fs::exists(file)) found.push_back({file, folder.shown + "/form.yaml", folder.service});
  }

  constexpr std::size_t kMinFormsPerThread = 32;
  constexpr std::size_t kMaxThreads = 8;
  std::vector<std::vector<Form>> forms_by_run(kMaxThreads);
  std::vector<std::vector<std::string>> problems_by_run(kMaxThreads);
  for_each_run(
      found.size(), kMinFormsPerThread,
      [&](std::size_t run, std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      auto text = read_file(found[i].file);
      if (!text) {
        problems_by_run[run].push_back(found[i].shown + ": " + text.error().detail);
        continue;
      }
      auto form = parse_form(*text, found[i].shown, *found[i].service);
      if (!form) {
        problems_by_run[run].push_back(form.error().detail);
        continue;
      }
      forms_by_run[run].push_back(std::move(*form));
    }
      },
      kMaxThreads);
  std::map<std::string, Form, std::less<>> forms;
  for (std::size_t run = 0; run < forms_by_run.size(); ++run) {
    for (auto& form : forms_by_run[run]) forms.emplace(form.service, std::move(form));
    problems.insert(problems.end(), problems_by_run[run].begin(), problems_by_run[run].end());
  }
  if (problems.empty()) return forms;
  std::sort(problems.begin(), problems.end());
  return definition_error(problems);
}

}  // namespace pratu::applications
