#include "domains/applications/answer_input.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <limits>
#include <set>

#include "common/thai_id.hpp"
#include "common/unicode_text.hpp"
#include "web/components.hpp"

namespace pratu::applications {
namespace {

namespace json = boost::json;
namespace chr = std::chrono;

constexpr int kBuddhistEraOffset = 543;
constexpr std::int64_t kMaxSatang = 9'007'199'254'740'991;  // exact for a JavaScript reader

std::string clean(std::string_view typed) {
  auto normal = nfc_trimmed(typed);
  return normal ? *normal : std::string();
}

// `text` without every occurrence of each of `words`.
std::string without(std::string text, std::initializer_list<std::string_view> words) {
  for (auto word : words) {
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at)) {
      text.erase(at, word.size());
    }
  }
  return text;
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

template <class Int>
std::optional<Int> number(std::string_view text) {
  Int value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string part(const TypedInput& typed, const std::string& name) {
  auto it = typed.parts.find(name);
  return it == typed.parts.end() ? std::string() : clean(it->second);
}

std::string single(const TypedInput& typed) {
  return typed.values.empty() ? std::string() : clean(typed.values.front());
}

json::value decode_date(const TypedInput& typed, web::Locale locale) {
  const std::string day = with_ascii_digits(part(typed, "day"));
  const std::string month = with_ascii_digits(part(typed, "month"));
  const std::string year = with_ascii_digits(part(typed, "year"));
  if (day.empty() && month.empty() && year.empty()) return nullptr;
  const bool buddhist = locale == web::Locale::th;
  // The date input's own reading (web/components): the year in the Buddhist era in Thai, or
  // above 2400 in either language.
  if (auto iso = web::parse_date(web::DateParts{day, month, year}, locale, "date")) {
    return json::string(*iso);
  }
  // Kept as typed, with the era it was typed in, for the evaluation to say what is wrong.
  return json::object{
      {"day", day}, {"month", month}, {"year", year}, {"era", buddhist ? "be" : "ce"}};
}

json::value decode_address(const TypedInput& typed) {
  json::object address;
  bool any = false;
  for (const char* name : kAddressParts) {
    std::string value = part(typed, name);
    const std::string_view key(name);
    if (key == "province" || key == "district" || key == "subdistrict" || key == "postcode") {
      value = with_ascii_digits(value);
    }
    any = any || !value.empty();
    address[name] = value;
  }
  if (!any) return nullptr;
  return address;
}

}  // namespace

std::optional<std::int64_t> parse_baht(std::string_view typed) {
  std::string text = with_ascii_digits(clean(typed));
  text = without(std::move(text), {"฿", "บาท", "baht", "Baht", "THB", ",", " "});
  if (text.empty()) return std::nullopt;
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? std::string() : text.substr(dot + 1);
  if (!all_digits(whole) || (dot != std::string::npos && !all_digits(fraction)) ||
      fraction.size() > 2 || whole.size() > 16) {
    return std::nullopt;
  }
  auto baht = number<std::int64_t>(whole);
  if (!baht || *baht > kMaxSatang / 100) return std::nullopt;
  std::int64_t satang = *baht * 100;
  if (!fraction.empty())
    satang += *number<std::int64_t>(fraction) * (fraction.size() == 1 ? 10 : 1);
  if (satang > kMaxSatang) return std::nullopt;
  return satang;
}

std::optional<std::string> parse_thai_phone(std::string_view typed) {
  std::string text = without(with_ascii_digits(clean(typed)), {" ", "-", "(", ")", "."});
  std::string national;
  if (text.rfind("+66", 0) == 0) {
    national = text.substr(3);
  } else if (text.rfind("0066", 0) == 0) {
    national = text.substr(4);
  } else if (text.rfind('0', 0) == 0) {
    national = text.substr(1);
  } else {
    return std::nullopt;
  }
  if (!national.empty() && national.front() == '0') national.erase(0, 1);  // +66 0812...
  // Landlines have 8 digits after the 0, mobiles 9.
  if (!all_digits(national) || national.size() < 8 || national.size() > 9) return std::nullopt;
  return "+66" + national;
}

json::value decode_input(const Field& field, const TypedInput& typed, web::Locale locale) {
  switch (field.type) {
    case FieldType::text:
    case FieldType::long_text: {
      std::string text = single(typed);
      if (field.type == FieldType::long_text) text = without(std::move(text), {"\r"});
      if (text.empty()) return nullptr;
      return json::string(text);
    }
    case FieldType::integer: {
      const std::string text = single(typed);
      if (text.empty()) return nullptr;
      const std::string digits = without(with_ascii_digits(text), {",", " "});
      if (auto n = number<std::int64_t>(digits); n && all_digits(digits.substr(digits[0] == '-'))) {
        return *n;
      }
      return json::string(text);
    }
    case FieldType::money: {
      const std::string text = single(typed);
      if (text.empty()) return nullptr;
      if (auto satang = parse_baht(text)) return *satang;
      return json::string(text);
    }
    case FieldType::date: return decode_date(typed, locale);
    case FieldType::choice: {
      const std::string code = single(typed);
      if (code.empty()) return nullptr;
      return json::string(code);
    }
    case FieldType::choices: {
      json::array codes;
      std::set<std::string> seen;
      for (const auto& value : typed.values) {
        std::string code = clean(value);
        if (!code.empty() && seen.insert(code).second) codes.emplace_back(code);
      }
      if (codes.empty()) return nullptr;
      return codes;
    }
    case FieldType::citizen_id:
    case FieldType::juristic_id: {
      const std::string text = single(typed);
      if (text.empty()) return nullptr;
      if (auto digits = normalize_thai_id(text)) return json::string(*digits);
      return json::string(text);
    }
    case FieldType::phone: {
      const std::string text = single(typed);
      if (text.empty()) return nullptr;
      if (auto phone = parse_thai_phone(text)) return json::string(*phone);
      return json::string(text);
    }
    case FieldType::email: {
      const std::string text = single(typed);
      if (text.empty()) return nullptr;
      return json::string(text);
    }
    case FieldType::address: return decode_address(typed);
    case FieldType::declaration: {
      const std::string value = single(typed);
      if (value == "yes" || value == "true" || value == "on") return true;
      return nullptr;
    }
    case FieldType::document:
    case FieldType::group: return nullptr;
  }
  return nullptr;
}

TypedInput show_answer(const Field& field, const json::value* answer, web::Locale locale) {
  TypedInput shown;
  if (answer == nullptr || answer->is_null()) return shown;
  switch (field.type) {
    case FieldType::money:
      if (answer->is_int64()) {
        const std::int64_t satang = answer->get_int64();
        std::string text = std::to_string(satang / 100);
        if (satang % 100 != 0) {
          char cents[4];
          std::snprintf(cents, sizeof cents, "%02d", static_cast<int>(std::abs(satang % 100)));
          text += std::string(".") + cents;
        }
        shown.values.push_back(std::move(text));
        return shown;
      }
      break;
    case FieldType::date:
      if (answer->is_string()) {
        const std::string_view iso = answer->get_string();
        auto y = iso.size() == 10 ? number<int>(iso.substr(0, 4)) : std::nullopt;
        auto m = iso.size() == 10 ? number<unsigned>(iso.substr(5, 2)) : std::nullopt;
        auto d = iso.size() == 10 ? number<unsigned>(iso.substr(8, 2)) : std::nullopt;
        if (y && m && d) {
          shown.parts["day"] = std::to_string(*d);
          shown.parts["month"] = std::to_string(*m);
          shown.parts["year"] =
              std::to_string(locale == web::Locale::th ? *y + kBuddhistEraOffset : *y);
        }
        return shown;
      }
      if (answer->is_object()) {
        for (const char* name : {"day", "month", "year"}) {
          if (const auto* v = answer->get_object().if_contains(name); v && v->is_string()) {
            shown.parts[name] = std::string(v->get_string());
          }
        }
      }
      return shown;
    case FieldType::phone:
      if (answer->is_string() && answer->get_string().starts_with("+66")) {
        shown.values.push_back("0" + std::string(std::string_view(answer->get_string()).substr(3)));
        return shown;
      }
      break;
    case FieldType::choices:
      if (answer->is_array()) {
        for (const auto& code : answer->get_array()) {
          if (code.is_string()) shown.values.emplace_back(code.get_string());
        }
      }
      return shown;
    case FieldType::address:
      if (answer->is_object()) {
        for (const auto& [name, value] : answer->get_object()) {
          if (value.is_string()) shown.parts[std::string(name)] = std::string(value.get_string());
        }
      }
      return shown;
    case FieldType::declaration:
      if (answer->is_bool() && answer->get_bool()) shown.values.emplace_back("yes");
      return shown;
    default: break;
  }
  if (answer->is_string()) {
    shown.values.emplace_back(answer->get_string());
  } else if (answer->is_int64()) {
    shown.values.push_back(std::to_string(answer->get_int64()));
  }
  return shown;
}

}  // namespace pratu::applications
