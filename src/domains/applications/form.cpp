#include "domains/applications/form.hpp"

#include <array>
#include <utility>

namespace pratu::applications {
namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 15> kFieldTypes = {{
    {FieldType::text, "text"},
    {FieldType::long_text, "long_text"},
    {FieldType::integer, "integer"},
    {FieldType::money, "money"},
    {FieldType::date, "date"},
    {FieldType::choice, "choice"},
    {FieldType::choices, "choices"},
    {FieldType::citizen_id, "citizen_id"},
    {FieldType::juristic_id, "juristic_id"},
    {FieldType::phone, "phone"},
    {FieldType::email, "email"},
    {FieldType::address, "address"},
    {FieldType::document, "document"},
    {FieldType::group, "group"},
    {FieldType::declaration, "declaration"},
}};

constexpr std::array<std::pair<ProfileField, std::string_view>, 6> kProfileFields = {{
    {ProfileField::title, "profile.title"},
    {ProfileField::given_name, "profile.given_name"},
    {ProfileField::family_name, "profile.family_name"},
    {ProfileField::national_id, "profile.national_id"},
    {ProfileField::email, "profile.email"},
    {ProfileField::mobile, "profile.mobile"},
}};

}  // namespace

std::string_view field_type_key(FieldType type) {
  for (const auto& [t, key] : kFieldTypes) {
    if (t == type) return key;
  }
  return "text";
}

std::optional<FieldType> field_type_of(std::string_view key) {
  for (const auto& [t, k] : kFieldTypes) {
    if (k == key) return t;
  }
  return std::nullopt;
}

std::string field_type_list() {
  std::string out;
  for (const auto& [t, key] : kFieldTypes) {
    if (!out.empty()) out += ", ";
    out += key;
  }
  return out;
}

std::string_view profile_field_key(ProfileField field) {
  for (const auto& [f, key] : kProfileFields) {
    if (f == field) return key;
  }
  return "profile.given_name";
}

std::optional<ProfileField> profile_field_of(std::string_view key) {
  for (const auto& [f, k] : kProfileFields) {
    if (k == key) return f;
  }
  return std::nullopt;
}

std::string profile_field_list() {
  std::string out;
  for (const auto& [f, key] : kProfileFields) {
    if (!out.empty()) out += ", ";
    out += key;
  }
  return out;
}

const Choice* Field::choice(std::string_view code) const {
  for (const auto& c : choices) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

const Field* Field::field(std::string_view field_id) const {
  for (const auto& f : fields) {
    if (f.id == field_id) return &f;
  }
  return nullptr;
}

const Page* Form::page(std::string_view page_id) const {
  for (const auto& p : pages) {
    if (p.id == page_id) return &p;
  }
  return nullptr;
}

std::pair<const Page*, const Field*> Form::field(std::string_view field_id) const {
  for (const auto& p : pages) {
    for (const auto& f : p.fields) {
      if (f.id == field_id) return {&p, &f};
    }
  }
  return {nullptr, nullptr};
}

std::vector<std::pair<const Page*, const Field*>> Form::fields() const {
  std::vector<std::pair<const Page*, const Field*>> out;
  for (const auto& p : pages) {
    for (const auto& f : p.fields) out.emplace_back(&p, &f);
  }
  return out;
}

}  // namespace pratu::applications
