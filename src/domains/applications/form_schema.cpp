#include "domains/applications/form_schema.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/civil_date.hpp"
#include "common/thai_id.hpp"
#include "common/unicode_text.hpp"
#include "crypto/digest.hpp"
#include "domains/applications/answer_input.hpp"
#include "domains/applications/form_evaluation.hpp"
#include "domains/applications/pattern_translation.hpp"

namespace pratu::applications {
namespace {

namespace json = boost::json;
namespace chr = std::chrono;

// ---------------------------------------------------------------------------------------------
// The schema

// A character that is not blank, as is_answered reads blank: ASCII white space only.
constexpr std::string_view kNonBlank = "[^\\t\\n\\v\\f\\r ]";
constexpr std::string_view kIsoDate = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
constexpr std::string_view kThaiPhone = "^\\+66[1-9][0-9]{7,8}$";
// As looks_like_email: one @ with something before it, and a dot inside what follows it.
constexpr std::string_view kEmail = "^[^@ <>,;]+@[^@ <>,;.]+\\.[^@ <>,;]+$";
constexpr std::int64_t kMaxEmailLength = 254;
constexpr std::int64_t kMaxAddressPartLength = 200;

// The parts of an address answer (answer_input.hpp's kAddressParts), with what they hold.
struct AddressPart {
  std::string_view key;
  std::string_view en;
  std::string_view th;
  std::string_view pattern;  // the codes' digits; empty for free text
  bool required;
};
constexpr std::array<AddressPart, 9> kAddressPartInfo = {{
    {"house_no", "House number", "บ้านเลขที่", "", true},
    {"moo", "Village number (moo)", "หมู่ที่", "", false},
    {"village", "Village or building", "หมู่บ้านหรืออาคาร", "", false},
    {"soi", "Soi (lane)", "ซอย", "", false},
    {"road", "Road", "ถนน", "", false},
    {"province", "Province: its 2-digit code", "จังหวัด", "^[0-9]{2}$", true},
    {"district", "District (amphoe, or khet in Bangkok): its 4-digit code", "อำเภอหรือเขต",
     "^[0-9]{4}$", true},
    {"subdistrict", "Subdistrict (tambon, or khwaeng in Bangkok): its 6-digit code", "ตำบลหรือแขวง",
     "^[0-9]{6}$", true},
    {"postcode", "Postcode", "รหัสไปรษณีย์", "^[0-9]{5}$", true},
}};
static_assert(kAddressPartInfo.size() == kAddressParts.size());

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// "th: <label> — <hint>": every description ends with the Thai text.
std::string thai_line(const Text& label, const Text& hint) {
  return "th: " + label.th + (hint.th.empty() ? "" : " — " + hint.th);
}

std::string date_bound_note(const Field& field) {
  std::vector<std::string> notes;
  if (field.min_date == "today") {
    notes.emplace_back("Today or later (the date in Thailand).");
  } else if (!field.min_date.empty()) {
    notes.push_back("On or after " + field.min_date + ".");
  }
  if (field.max_date == "today") {
    notes.emplace_back("Not after today (the date in Thailand).");
  } else if (!field.max_date.empty()) {
    notes.push_back("On or before " + field.max_date + ".");
  }
  return joined(notes, " ");
}

// A text answer's pattern: not blank (else it is no answer), one line for `text`, and the
// form's own pattern when it translates. `untranslated` is set when it does not.
std::string text_pattern(const Field& field, bool& untranslated) {
  const bool one_line = field.type == FieldType::text;
  std::optional<std::string> own;
  if (!field.pattern.empty()) {
    own = ecma_pattern(field.pattern);
    untranslated = !own;
  }
  if (!own) {
    return one_line ? "^(?=[^\\n]*" + std::string(kNonBlank) + ")[^\\n]*$" : std::string(kNonBlank);
  }
  // The form's pattern without its anchors, after lookaheads for the rules above.
  const std::string body = own->substr(1, own->size() - 2);
  return one_line ? "^(?=[^\\n]*" + std::string(kNonBlank) + ")(?=[^\\n]*$)" + body + "$"
                  : "^(?=[\\s\\S]*" + std::string(kNonBlank) + ")" + body + "$";
}

json::object address_schema(const ThaiAddressBook* addresses) {
  json::object properties;
  json::array required;
  for (const auto& part : kAddressPartInfo) {
    json::object p{
        {"type", "string"}, {"title", part.en}, {"description", "th: " + std::string(part.th)}};
    if (part.key == "province" && addresses != nullptr) {
      json::array codes;
      for (const auto& province : addresses->provinces()) codes.emplace_back(province.code);
      p["enum"] = std::move(codes);
    } else if (!part.pattern.empty()) {
      p["pattern"] = part.pattern;
    } else {
      p["maxLength"] = kMaxAddressPartLength;
      if (part.required) p["pattern"] = kNonBlank;
    }
    if (part.required) required.emplace_back(part.key);
    properties[part.key] = std::move(p);
  }
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          // Pratu keeps any other part it is sent, as text.
          {"additionalProperties",
           json::object{{"type", "string"}, {"maxLength", kMaxAddressPartLength}}}};
}

json::object document_schema(const Field& field) {
  return {
      {"type", "object"},
      {"properties",
       json::object{
           {"blob", json::object{{"type", "string"},
                                 {"pattern", "^[0-9a-f]{64}$"},
                                 {"description", "The SHA-256 of the file, as Pratu stored it"}}},
           {"name", json::object{{"description", "The file's name as it was sent"}}},
           {"media_type",
            json::object{{"type", "string"},
                         {"enum", json::array{"application/pdf", "image/jpeg", "image/png"}}}},
           {"bytes", json::object{{"type", "integer"},
                                  {"maximum", field.max_bytes},
                                  {"description", "The file's size in bytes"}}},
           {"document", json::object{{"description", "The wallet document (set by Pratu)"}}},
           {"source", json::object{{"description", "Where the file came from: upload or wallet"}}},
       }},
      // The rest is filled in from the caller's wallet, which must hold the blob.
      {"required", json::array{"blob"}}};
}

json::object field_schema(const Field& field, const std::string* condition,
                          const ThaiAddressBook* addresses);

// The items of a group: each an object with its "_key" and its fields' answers.
json::object group_schema(const Field& group, const ThaiAddressBook* addresses) {
  json::object properties{
      {"_key", json::object{{"type", "string"},
                            {"minLength", 1},
                            {"description",
                             "The item's key: unique in the list (Pratu checks it), it names "
                             "the item in problems and links"}}}};
  json::array required{"_key"};
  for (const Field& inner : group.fields) {
    const std::string condition = inner.show_if ? inner.show_if->source() : std::string();
    properties[inner.id] = field_schema(inner, inner.show_if ? &condition : nullptr, addresses);
    if (!inner.show_if && inner.required) required.emplace_back(inner.id);
  }
  json::object out{{"type", "array"},
                   {"items", json::object{{"type", "object"},
                                          {"properties", std::move(properties)},
                                          {"required", std::move(required)},
                                          {"additionalProperties", false}}},
                   {"maxItems", group.max_items}};
  if (group.min_items > 0) out["minItems"] = group.min_items;
  return out;
}

// What is kept for `field`, as a schema: its type and what can be said of it; `notes` gets
// what a reader should know besides, what the schema cannot say included.
json::object type_schema(const Field& field, const ThaiAddressBook* addresses,
                         std::vector<std::string>& notes) {
  switch (field.type) {
    case FieldType::text:
    case FieldType::long_text: {
      bool untranslated = false;
      json::object out{{"type", "string"},
                       {"minLength", std::max<std::int64_t>(field.min_length.value_or(1), 1)}};
      if (field.max_length) out["maxLength"] = *field.max_length;
      out["pattern"] = text_pattern(field, untranslated);
      notes.emplace_back(field.type == FieldType::text ? "One line, not blank." : "Not blank.");
      if (!field.pattern.empty()) {
        notes.push_back("The whole answer matches the form's pattern " + field.pattern + " (" +
                        field.pattern_message.en + ")" +
                        (untranslated ? ": Pratu checks it; this schema does not." : "."));
      }
      return out;
    }
    case FieldType::integer:
    case FieldType::money: {
      json::object out{{"type", "integer"}};
      if (field.min) out["minimum"] = *field.min;
      if (field.max) out["maximum"] = *field.max;
      if (field.type == FieldType::money) {
        notes.emplace_back("An amount in satang, hundredths of a baht: 150050 is 1,500.50 baht.");
      }
      return out;
    }
    case FieldType::date:
      notes.emplace_back("A date, YYYY-MM-DD (Gregorian).");
      notes.push_back(date_bound_note(field));
      if (!field.min_date.empty() || !field.max_date.empty()) {
        notes.emplace_back("Pratu checks the range; this schema does not.");
      }
      return {{"type", "string"}, {"format", "date"}, {"pattern", kIsoDate}};
    case FieldType::choice:
    case FieldType::choices: {
      json::array codes;
      std::vector<std::string> meanings;
      for (const auto& choice : field.choices) {
        codes.emplace_back(choice.code);
        meanings.push_back(choice.code + " (" + choice.label.en + " · " + choice.label.th + ")");
      }
      notes.push_back((field.type == FieldType::choice ? "One code of: " : "Codes of: ") +
                      joined(meanings, ", ") + ".");
      if (field.type == FieldType::choice) return {{"type", "string"}, {"enum", std::move(codes)}};
      json::object out{{"type", "array"},
                       {"items", json::object{{"type", "string"}, {"enum", std::move(codes)}}},
                       {"uniqueItems", true},
                       {"minItems", std::max<std::int64_t>(field.min_items, 1)}};
      if (field.max_items > 0) out["maxItems"] = field.max_items;
      return out;
    }
    case FieldType::citizen_id:
      notes.emplace_back(
          "A Thai citizen ID: 13 digits, the first 1 to 8 and the last a check digit that "
          "Pratu checks.");
      return {{"type", "string"}, {"pattern", "^[1-8][0-9]{12}$"}};
    case FieldType::juristic_id:
      notes.emplace_back(
          "A juristic person's registration number: 13 digits, the first 0 and the last a "
          "check digit that Pratu checks.");
      return {{"type", "string"}, {"pattern", "^0[0-9]{12}$"}};
    case FieldType::phone:
      notes.emplace_back("A Thai number in E.164: 081-234-5678 is +66812345678.");
      return {{"type", "string"}, {"pattern", kThaiPhone}};
    case FieldType::email:
      return {{"type", "string"}, {"maxLength", kMaxEmailLength}, {"pattern", kEmail}};
    case FieldType::address:
      notes.emplace_back(
          "A Thai address. Province, district, subdistrict and postcode are codes of "
          "Pratu's address data set (datasets/thai-address); Pratu checks that they exist and "
          "agree with one another.");
      return address_schema(addresses);
    case FieldType::document:
      notes.push_back("A file Pratu has stored: PDF, JPEG or PNG, at most " +
                      std::to_string(field.max_bytes / (1024 * 1024)) + " MB.");
      return document_schema(field);
    case FieldType::group:
      notes.push_back("A list, one item per " + field.item_label.en +
                      " (th: " + field.item_label.th + ")." +
                      (field.min_items == 0 ? " An empty list answers: none." : ""));
      return group_schema(field, addresses);
    case FieldType::declaration:
      notes.emplace_back("Ticked: true.");
      return {{"type", "boolean"}, {"const", true}};
  }
  return {};
}

json::object field_schema(const Field& field, const std::string* condition,
                          const ThaiAddressBook* addresses) {
  std::vector<std::string> notes{field.hint.en};
  json::object type = type_schema(field, addresses, notes);
  if (condition != nullptr) {
    notes.push_back("Asked only when " + *condition +
                    (field.required ? ", and then required" : "") +
                    ": optional here, as a schema cannot tell when it is asked; Pratu's check "
                    "decides, and an answer to a question not asked is not kept.");
  }
  for (const Rule& rule : field.rules) {
    notes.push_back("Pratu also checks " + rule.holds.source() + ": " + rule.message.en);
  }
  if (field.locked) {
    notes.push_back(
        "Filled in when the application starts, from the applicant's verified identity: a value "
        "sent for it is ignored while the draft holds one.");
  }
  notes.push_back(thai_line(field.label, field.hint));
  json::object out{{"title", field.label.en}, {"description", joined(notes, "\n")}};
  for (auto& [key, value] : type) out[key] = std::move(value);
  if (field.locked) out["readOnly"] = true;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The example

constexpr int kMaxEvaluations = 5000;  // the search for an example gives up after these
constexpr std::string_view kGivenName = "สมชาย";
constexpr std::string_view kFamilyName = "ใจดี";
constexpr std::string_view kEmailSample = "somchai@example.com";
constexpr std::string_view kMobile = "+66812345678";
// An address at the Grand Palace, Bangkok, when the address book has its subdistrict.
constexpr std::string_view kExampleSubdistrict = "100101";

// The first `max` code points of `text`.
std::string_view first_code_points(std::string_view text, std::int64_t max) {
  std::size_t end = 0;
  for (std::int64_t count = 0; end < text.size(); ++end) {
    const auto byte = static_cast<unsigned char>(text[end]);
    if ((byte & 0xC0) != 0x80 && count++ == max) break;
  }
  return text.substr(0, end);
}

// `text` cut to `max` code points at the last space before them; empty when there is none.
std::string cut_at_word(std::string_view text, std::int64_t max) {
  const std::string_view head = first_code_points(text, max);
  if (head.size() == text.size() || text[head.size()] == ' ') return std::string(head);
  const auto space = head.rfind(' ');
  return space == std::string_view::npos ? std::string() : std::string(head.substr(0, space));
}

// Texts to answer a text question with, in order: those that fit it whole, those cut at a
// word to fit, those cut anywhere; each repeated up to `min` code points.
std::vector<std::string> fitted(const std::vector<std::string>& texts,
                                std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
  std::vector<std::string> whole;
  std::vector<std::string> at_word;
  std::vector<std::string> anywhere;
  for (const auto& text : texts) {
    if (text.empty()) continue;
    const auto length = static_cast<std::int64_t>(code_point_count(text));
    if (!max || length <= *max) {
      whole.push_back(text);
      continue;
    }
    if (auto shorter = cut_at_word(text, *max); !shorter.empty()) {
      at_word.push_back(std::move(shorter));
    }
    anywhere.emplace_back(first_code_points(text, *max));
  }
  whole.insert(whole.end(), at_word.begin(), at_word.end());
  whole.insert(whole.end(), anywhere.begin(), anywhere.end());
  for (auto& text : whole) {
    const std::string unit = text;
    while (min && static_cast<std::int64_t>(code_point_count(text)) < *min) text += unit;
  }
  return whole;
}

std::string thai_id(const std::string& first12) { return first12 + thai_id_check_digit(first12); }

class ExampleBuilder {
 public:
  ExampleBuilder(const Form& form, chr::year_month_day today, const ThaiAddressBook* addresses)
      : form_(form), today_(today), addresses_(addresses) {
    for (const Page& page : form_.pages) {
      for (const Field& field : page.fields) {
        slots_.push_back(Slot{&page, &field, nullptr, 0});
        if (field.type != FieldType::group) continue;
        for (std::size_t item = 0; item < item_count(field); ++item) {
          for (const Field& inner : field.fields)
            slots_.push_back(Slot{&page, &inner, &field, item});
        }
      }
    }
  }

  std::optional<json::object> build() {
    if (!fill(0)) return std::nullopt;
    return answers_;
  }

 private:
  // One question to answer: a top-level field, or a field of one item of a group.
  struct Slot {
    const Page* page;
    const Field* field;
    const Field* group;  // the group it belongs to, or nullptr
    std::size_t item;    // its item's index in the group
  };

  static std::size_t item_count(const Field& group) {
    return static_cast<std::size_t>(
        std::min(std::max<std::int64_t>(group.min_items, 1), group.max_items));
  }
  static std::string item_key(std::size_t item) { return "k" + std::to_string(item + 1); }

  // Where the slot's answer goes; nullptr when its group is not answered (not asked).
  json::object* container(const Slot& slot) {
    if (slot.group == nullptr) return &answers_;
    auto* items = answers_.if_contains(slot.group->id);
    if (items == nullptr || !items->is_array() || items->as_array().size() <= slot.item) {
      return nullptr;
    }
    return &items->as_array()[slot.item].as_object();
  }

  std::string path(const Slot& slot) const {
    if (slot.group == nullptr) return slot.field->id;
    return slot.group->id + "." + item_key(slot.item) + "." + slot.field->id;
  }

  // Whether the evaluation keeps the slot's answer: it is asked (every candidate is answered).
  bool kept(const Slot& slot, const FormEvaluation& evaluation) const {
    const json::object pruned = evaluation.pruned();
    if (slot.group == nullptr) return pruned.contains(slot.field->id);
    const auto* items = pruned.if_contains(slot.group->id);
    if (items == nullptr || !items->is_array() || items->as_array().size() <= slot.item) {
      return false;
    }
    const auto& item = items->as_array()[slot.item];
    return item.is_object() && item.as_object().contains(slot.field->id);
  }

  bool troubled(const Slot& slot, const FormEvaluation& evaluation) const {
    const std::string at = path(slot);
    // A group's own problems only: its items' fields are slots of their own.
    const bool whole_only = slot.field->type == FieldType::group;
    for (const auto& problem : evaluation.problems(*slot.page)) {
      if (problem.field == at || (!whole_only && problem.field.starts_with(at + "."))) return true;
    }
    return false;
  }

  // Tries each candidate answer of slot `i` in turn with every later slot after it.
  bool fill(std::size_t i) {
    if (i == slots_.size()) return true;
    if (--budget_ < 0) return false;
    const Slot& slot = slots_[i];
    if (container(slot) == nullptr) return fill(i + 1);
    for (json::value& candidate : candidates(slot, i)) {
      // Looked up again each time: a later slot's answer may have moved the object.
      container(slot)->insert_or_assign(slot.field->id, std::move(candidate));
      const FormEvaluation evaluation(form_, answers_, today_, addresses_);
      if (!kept(slot, evaluation)) {
        container(slot)->erase(slot.field->id);
        return fill(i + 1);  // not asked, given the answers above it
      }
      if (!troubled(slot, evaluation) && fill(i + 1)) return true;
      if (budget_ < 0) return false;
    }
    container(slot)->erase(slot.field->id);
    return false;
  }

  std::vector<json::value> candidates(const Slot& slot, std::size_t i) const {
    const Field& field = *slot.field;
    std::vector<json::value> out;
    auto add = [&out](json::value v) {
      if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
    };
    auto add_in_range = [&](std::int64_t n) {
      if ((!field.min || n >= *field.min) && (!field.max || n <= *field.max)) add(n);
    };
    switch (field.type) {
      case FieldType::text:
      case FieldType::long_text: {
        std::vector<std::string> texts;
        if (field.prefill == ProfileField::given_name) texts.emplace_back(kGivenName);
        if (field.prefill == ProfileField::family_name) texts.emplace_back(kFamilyName);
        texts.push_back(field.label.th);
        texts.push_back(field.label.en);
        if (!field.pattern.empty()) {
          if (auto sample = pattern_sample(field.pattern)) texts.push_back(*sample);
        }
        for (const auto& text : fitted(texts, field.min_length, field.max_length)) {
          add(json::string(text));
        }
        break;
      }
      case FieldType::integer:
        for (std::int64_t n : {10, 100, 1000, 1, 0}) add_in_range(n);
        if (field.min) add(*field.min);
        if (field.max) add(*field.max);
        break;
      case FieldType::money:
        for (std::int64_t baht : {1'000'000, 100'000, 10'000, 1'000, 100, 1, 0}) {
          add_in_range(baht * 100);
        }
        if (field.min) add(*field.min);
        if (field.max) add(*field.max);
        break;
      case FieldType::date: {
        const chr::sys_days day(today_);
        add(json::string(iso_date(day - chr::days(7))));
        add(json::string(iso_date(day + chr::days(365))));
        add(json::string(iso_date(
            chr::year_month_day{today_.year() - chr::years(35), today_.month(), chr::day(1)})));
        for (const auto* bound : {&field.min_date, &field.max_date}) {
          if (!bound->empty() && *bound != "today") add(json::string(*bound));
        }
        add(json::string(iso_date(today_)));
        break;
      }
      case FieldType::choice:
        for (const auto& choice : field.choices) add(json::string(choice.code));
        break;
      case FieldType::choices: {
        json::array fewest;
        json::array most;
        for (const auto& choice : field.choices) {
          const auto n = static_cast<std::int64_t>(most.size());
          if (n < std::max<std::int64_t>(field.min_items, 1)) fewest.emplace_back(choice.code);
          if (field.max_items == 0 || n < field.max_items) most.emplace_back(choice.code);
        }
        add(std::move(fewest));
        add(std::move(most));
        break;
      }
      case FieldType::citizen_id:
        // One person per slot: 1-1017-002xx-xx-c.
        add(json::string(thai_id("110170020" + std::to_string(100 + i % 900))));
        break;
      case FieldType::juristic_id:
        add(json::string(thai_id("01055600" + std::to_string(1000 + i % 9000))));
        break;
      case FieldType::phone: add(json::string(kMobile)); break;
      case FieldType::email: add(json::string(kEmailSample)); break;
      case FieldType::address: add(example_address()); break;
      case FieldType::document:
        add(json::object{{"blob", crypto::sha256_hex("example " + field.document)},
                         {"name", field.document + ".pdf"},
                         {"media_type", "application/pdf"},
                         {"bytes", std::min<std::int64_t>(250'000, field.max_bytes)},
                         {"source", "upload"}});
        break;
      case FieldType::group: {
        json::array items;
        for (std::size_t item = 0; item < item_count(field); ++item) {
          items.push_back(json::object{{"_key", item_key(item)}});
        }
        add(std::move(items));
        if (field.min_items == 0) add(json::array());
        break;
      }
      case FieldType::declaration: add(true); break;
    }
    return out;
  }

  json::object example_address() const {
    const SubdistrictPlace* place = nullptr;
    if (addresses_ != nullptr) {
      place = addresses_->subdistrict(kExampleSubdistrict);
      if (place == nullptr && !addresses_->provinces().empty()) {
        // The first subdistrict of the first district of the first province.
        const auto districts = addresses_->districts(addresses_->provinces().front().code);
        std::span<const Subdistrict> subdistricts;
        if (!districts.empty()) subdistricts = addresses_->subdistricts(districts.front().code);
        if (!subdistricts.empty()) place = addresses_->subdistrict(subdistricts.front().code);
      }
    }
    const bool palace = place == nullptr || place->subdistrict->code == kExampleSubdistrict;
    json::object address{{"house_no", "1"},
                         {"moo", ""},
                         {"village", ""},
                         {"soi", ""},
                         {"road", palace ? "หน้าพระลาน" : ""}};
    address["province"] = place != nullptr ? place->province->code : "10";
    address["district"] = place != nullptr ? place->district->code : "1001";
    address["subdistrict"] = place != nullptr ? place->subdistrict->code : kExampleSubdistrict;
    address["postcode"] = place != nullptr ? place->subdistrict->postcode : "10200";
    return address;
  }

  const Form& form_;
  chr::year_month_day today_;
  const ThaiAddressBook* addresses_;
  std::vector<Slot> slots_;
  json::object answers_;
  int budget_ = kMaxEvaluations;
};

}  // namespace

std::optional<json::object> example_answers(const Form& form, chr::year_month_day today,
                                            const ThaiAddressBook* addresses) {
  return ExampleBuilder(form, today, addresses).build();
}

json::object answer_schema(const Form& form, chr::year_month_day today,
                           const ThaiAddressBook* addresses) {
  json::object properties;
  json::array required;
  for (const Page& page : form.pages) {
    for (const Field& field : page.fields) {
      const Expression* condition = field.show_if  ? &*field.show_if
                                    : page.show_if ? &*page.show_if
                                                   : nullptr;
      std::string written;
      if (field.show_if && page.show_if) {
        written = "(" + page.show_if->source() + ") and (" + field.show_if->source() + ")";
      } else if (condition != nullptr) {
        written = condition->source();
      }
      properties[field.id] =
          field_schema(field, condition != nullptr ? &written : nullptr, addresses);
      // A missing list is checked as an empty one: required when it may not be empty.
      const bool needed = field.type == FieldType::group ? field.min_items > 0 : field.required;
      if (condition == nullptr && needed) required.emplace_back(field.id);
    }
  }
  const std::string title = form.title.en.empty() ? form.service : form.title.en;
  json::object schema{
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"$comment",
       "Generated by Pratu from " + form.source_file + ", form version " + form.version + "."},
      {"title", title},
      {"description",
       joined({"The answers to \"" + title +
                   "\" as Pratu keeps them when the application is submitted: one property per "
                   "question asked, named by its field id; codes for choices, amounts in satang, "
                   "dates as YYYY-MM-DD, phone numbers in E.164.",
               "A question asked only under a condition (show_if) is optional here, as a schema "
               "cannot tell when it is asked: Pratu's own check decides, and an answer to a "
               "question not asked is not kept. What else Pratu checks (rules across answers, "
               "check digits, addresses, date ranges) each property's description says.",
               form.title.th.empty() ? std::string() : "th: " + form.title.th},
              "\n")},
      {"type", "object"},
      {"properties", std::move(properties)},
      {"required", std::move(required)},
      {"additionalProperties", false}};
  if (auto example = example_answers(form, today, addresses)) {
    schema["examples"] = json::array{std::move(*example)};
  }
  return schema;
}

}  // namespace pratu::applications
