#pragma once
/// A service's application form, as defined in services/<agency>/<slug>/form.yaml: pages of
/// questions, their validation and their conditions. Plain types, no I/O; the format is in
/// docs/forms.md and the loader in form_loader.hpp.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domains/applications/expression.hpp"
#include "web/context.hpp"

namespace pratu::applications {

/// A text in both languages; forms carry both.
struct Text {
  std::string th;
  std::string en;
  const std::string& in(web::Locale locale) const { return locale == web::Locale::en ? en : th; }
  bool empty() const { return th.empty() && en.empty(); }
  bool operator==(const Text&) const = default;
};

/// What a question asks for; the stored answer of each is described in docs/forms.md.
enum class FieldType {
  text,         // one line; NFC, trimmed
  long_text,    // several lines
  integer,      // a whole number
  money,        // baht typed, kept in satang (an integer)
  date,         // typed as day, month, year (Buddhist era in Thai); kept as YYYY-MM-DD
  choice,       // one code of `choices`
  choices,      // several codes of `choices`
  citizen_id,   // a Thai national ID, 13 digits with its check digit
  juristic_id,  // a juristic person's ID, 13 digits starting 0, with its check digit
  phone,        // a Thai phone number, kept as E.164 (+66...)
  email,        // an email address
  address,      // a Thai address: house, moo, soi, road, and province/district/subdistrict codes
  document,     // a file of one of the service's document types
  group,        // a repeating group of `fields` (the partners of a partnership)
  declaration,  // a box the applicant must tick: kept as true
};
/// The key of `type` in form.yaml ("long_text").
std::string_view field_type_key(FieldType type);
/// The type named `key`, if any.
std::optional<FieldType> field_type_of(std::string_view key);
/// Every type's key, for messages: "text, long_text, ...".
std::string field_type_list();

/// One option of a choice.
struct Choice {
  std::string code;  // lower-case ASCII letters, digits and "_"; what is stored
  Text label;
};

/// Where a prefilled answer comes from.
enum class ProfileField { title, given_name, family_name, national_id, email, mobile };
/// "profile.given_name" and so on, as written in form.yaml.
std::string_view profile_field_key(ProfileField field);
std::optional<ProfileField> profile_field_of(std::string_view key);
/// Every profile field's key, for messages.
std::string profile_field_list();

/// A rule across answers, attached to one field: shown on that field when it fails.
struct Rule {
  Expression holds;  // must be true when the field is relevant and answered
  Text message;
};

/// One question.
struct Field {
  std::string id;  // unique in its form (or its group), case-insensitively
  FieldType type = FieldType::text;
  Text label;
  Text hint;
  bool required = false;
  std::optional<Expression> show_if;  // asked only when true
  std::vector<Rule> rules;            // valid_if
  // text and long_text: length in code points; pattern: a whole-answer match, with its message
  std::optional<std::int64_t> min_length, max_length;
  std::string pattern;
  Text pattern_message;
  // integer and money (satang): the range; date: the range as ISO dates or "today"
  std::optional<std::int64_t> min, max;
  std::string min_date, max_date;  // "YYYY-MM-DD", "today" or empty
  std::vector<Choice> choices;     // choice and choices
  std::optional<ProfileField> prefill;
  bool locked = false;  // a prefilled answer the applicant may not change
  // A name shared by the questions of several services that ask the same thing: a new draft
  // takes the answer the applicant last submitted to any of them (same name and type).
  std::string reuse;
  std::string document;        // document: the key of one of the service's document types
  std::int64_t max_bytes = 0;  // document: the largest file accepted
  std::vector<Field> fields;   // group: one item's questions
  std::int64_t min_items = 0, max_items = 0;  // group
  Text item_label;                            // group: what one item is called ("partner")

  const Choice* choice(std::string_view code) const;
  const Field* field(std::string_view id) const;  // group: one of its fields
};

/// One page of questions.
struct Page {
  std::string id;  // in the page's URL: /applications/{id}/pages/{page}
  Text title;
  Text intro;
  std::optional<Expression> show_if;
  std::vector<Field> fields;
};

/// A document type the service accepts (from its catalogue entry), as a form names it.
struct DocumentType {
  std::string key;  // "house_registration"
  Text name;
  std::int64_t max_bytes = 0;
};

/// A service's form.
struct Form {
  std::string service;  // the service's slug
  std::string agency;   // its agency's code
  std::string version;  // "sha256:<hex>" of the file: drafts are pinned to it
  std::string source_file;
  Text title;
  std::vector<Page> pages;

  const Page* page(std::string_view id) const;
  /// The field `id` and the page it is on, or nulls.
  std::pair<const Page*, const Field*> field(std::string_view id) const;
  /// Every field, in order, with its page.
  std::vector<std::pair<const Page*, const Field*>> fields() const;
};

}  // namespace pratu::applications
