#include "domains/applications/answer_text.hpp"

#include <chrono>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include "common/civil_date.hpp"
#include "common/money.hpp"
#include "domains/applications/answer_input.hpp"
#include "web/dates.hpp"

namespace pratu::applications {

namespace json = boost::json;
using web::Locale;

namespace {

// What answer_text reads the language from.
struct View {
  Locale locale;
  const web::Translations& t;
  const ThaiAddressBook* addresses;
  std::string text(std::string_view key) const { return t.text(locale, key); }
};

}  // namespace

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& args) {
  for (const auto& [name, value] : args) {
    const std::string placeholder = "{" + name + "}";
    for (auto at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

std::string date_text(Locale locale, std::string_view iso) {
  auto date = parse_iso_date(iso);
  if (!date) return std::string(iso);
  const auto seconds = std::chrono::sys_days(*date).time_since_epoch();
  return web::format_date(locale,
                          std::chrono::duration_cast<std::chrono::seconds>(seconds).count());
}

std::string baht_text(std::int64_t satang) { return format_baht(satang); }

std::string answer_text(const Field& field, const json::value* value, const web::Translations& t,
                        web::Locale locale, const ThaiAddressBook* addresses) {
  const View v{locale, t, addresses};
  if (value == nullptr || value->is_null()) return v.text("applications.check.not_provided");
  switch (field.type) {
    case FieldType::money:
      if (value->is_int64()) {
        return fill(v.text("applications.check.baht"), {{"amount", baht_text(value->get_int64())}});
      }
      break;
    case FieldType::date:
      if (value->is_string()) return date_text(v.locale, value->get_string());
      break;
    case FieldType::choice:
      if (value->is_string()) {
        if (const auto* c = field.choice(value->get_string())) return c->label.in(v.locale);
      }
      break;
    case FieldType::choices:
      if (value->is_array()) {
        std::string out;
        for (const auto& code : value->get_array()) {
          if (!code.is_string()) continue;
          const auto* c = field.choice(code.get_string());
          if (!out.empty()) out += ", ";
          out += c != nullptr ? c->label.in(v.locale) : std::string(code.get_string());
        }
        return out;
      }
      break;
    case FieldType::declaration: return v.text("applications.page.declaration_agree");
    case FieldType::phone:
    case FieldType::integer: {
      auto shown = show_answer(field, value, v.locale);
      if (!shown.values.empty()) return shown.values.front();
      break;
    }
    case FieldType::address:
      if (value->is_object()) {
        const auto& a = value->get_object();
        auto part = [&](const char* name) {
          const auto* p = a.if_contains(name);
          return p != nullptr && p->is_string() ? std::string(p->get_string()) : "";
        };
        std::vector<std::string> parts;
        auto add = [&](std::string text, const char* word = nullptr) {
          if (text.empty()) return;
          parts.push_back(
              word == nullptr
                  ? text
                  : fill(v.text(std::string("applications.address.") + word), {{"name", text}}));
        };
        add(part("house_no"));
        add(part("moo"), "moo_as");
        add(part("village"));
        add(part("soi"), "soi_as");
        add(part("road"), "road_as");
        const bool english = v.locale == Locale::en;
        const SubdistrictPlace* place =
            v.addresses != nullptr ? v.addresses->subdistrict(part("subdistrict")) : nullptr;
        if (place != nullptr) {
          add(english ? place->subdistrict->en_or_th() : place->subdistrict->th);
          add(english ? place->district->en : place->district->th);
          add(english ? place->province->en : place->province->th);
        }
        add(part("postcode"));
        std::string out;
        for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
        return out;
      }
      break;
    case FieldType::document:
      if (value->is_object()) {
        if (const auto* name = value->get_object().if_contains("name"); name && name->is_string()) {
          return std::string(name->get_string());
        }
      }
      break;
    case FieldType::group:
      if (value->is_array()) {
        return fill(v.text("applications.check.items"),
                    {{"count", std::to_string(value->get_array().size())}});
      }
      break;
    default: break;
  }
  if (value->is_string()) return std::string(value->get_string());
  if (value->is_int64()) return std::to_string(value->get_int64());
  return v.text("applications.check.not_provided");
}

}  // namespace pratu::applications
