#include "domains/applications/form_json.hpp"

#include <boost/json/array.hpp>

namespace pratu::applications {
namespace {

namespace json = boost::json;

json::object text_json(const Text& text) { return {{"th", text.th}, {"en", text.en}}; }

json::object field_json(const Field& field) {
  json::object out{{"id", field.id},
                   {"type", field_type_key(field.type)},
                   {"label", text_json(field.label)},
                   {"required", field.required}};
  if (!field.hint.empty()) out["hint"] = text_json(field.hint);
  if (field.show_if) out["show_if"] = field.show_if->source();
  if (!field.rules.empty()) {
    json::array rules;
    for (const auto& rule : field.rules) {
      rules.push_back(
          json::object{{"valid_if", rule.holds.source()}, {"message", text_json(rule.message)}});
    }
    out["rules"] = std::move(rules);
  }
  if (field.min_length) out["min_length"] = *field.min_length;
  if (field.max_length) out["max_length"] = *field.max_length;
  if (!field.pattern.empty()) {
    out["pattern"] = field.pattern;
    out["pattern_message"] = text_json(field.pattern_message);
  }
  // Money bounds are in satang, as its answers are.
  if (field.min) out["min"] = *field.min;
  if (field.max) out["max"] = *field.max;
  if (!field.min_date.empty()) out["min"] = field.min_date;
  if (!field.max_date.empty()) out["max"] = field.max_date;
  if (!field.choices.empty()) {
    json::array choices;
    for (const auto& c : field.choices) {
      choices.push_back(json::object{{"code", c.code}, {"label", text_json(c.label)}});
    }
    out["choices"] = std::move(choices);
  }
  if (field.type == FieldType::choices || field.type == FieldType::group) {
    out["min_items"] = field.min_items;
    out["max_items"] = field.max_items;
  }
  if (field.prefill) {
    out["prefill"] = profile_field_key(*field.prefill);
    out["locked"] = field.locked;
  }
  if (!field.reuse.empty()) out["reuse"] = field.reuse;
  if (field.type == FieldType::document) {
    out["document"] = field.document;
    out["max_bytes"] = field.max_bytes;
  }
  if (field.type == FieldType::group) {
    out["item_label"] = text_json(field.item_label);
    json::array fields;
    for (const auto& inner : field.fields) fields.push_back(field_json(inner));
    out["fields"] = std::move(fields);
  }
  return out;
}

}  // namespace

json::object form_json(const Form& form) {
  json::array pages;
  for (const auto& page : form.pages) {
    json::object p{{"id", page.id}, {"title", text_json(page.title)}};
    if (!page.intro.empty()) p["intro"] = text_json(page.intro);
    if (page.show_if) p["show_if"] = page.show_if->source();
    json::array fields;
    for (const auto& field : page.fields) fields.push_back(field_json(field));
    p["fields"] = std::move(fields);
    pages.push_back(std::move(p));
  }
  return {{"service", form.service},
          {"version", form.version},
          {"title", text_json(form.title)},
          {"pages", std::move(pages)}};
}

}  // namespace pratu::applications
