#include "domains/applications/document_template.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

#include "domains/applications/workflow.hpp"

namespace pratu::applications {

std::string_view document_kind_key(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::licence: return "licence";
    case DocumentKind::certificate: return "certificate";
    case DocumentKind::permit: return "permit";
  }
  return "certificate";
}

std::optional<DocumentKind> document_kind_of(std::string_view key) {
  for (DocumentKind k : {DocumentKind::licence, DocumentKind::certificate, DocumentKind::permit}) {
    if (document_kind_key(k) == key) return k;
  }
  return std::nullopt;
}

std::string_view validity_unit_key(ValidityUnit unit) {
  switch (unit) {
    case ValidityUnit::days: return "days";
    case ValidityUnit::months: return "months";
    case ValidityUnit::years: return "years";
  }
  return "years";
}

std::string document_number(const NumberScheme& scheme, int year, std::int64_t sequence) {
  char digits[40];
  std::snprintf(digits, sizeof digits, "-%d-%06lld", year, static_cast<long long>(sequence));
  return scheme.prefix + digits;
}

std::string document_number_pattern(const NumberScheme& scheme) {
  // The prefix holds only capitals, digits and hyphens, none of which a pattern escapes.
  return "^" + scheme.prefix + "-[0-9]{4}-[0-9]{6,}$";
}

bool DocumentTemplate::written_in(web::Locale locale) const {
  return std::find(languages.begin(), languages.end(), locale) != languages.end();
}

boost::json::object document_template_json(const DocumentTemplate& d) {
  namespace json = boost::json;
  json::array languages;
  for (web::Locale locale : d.languages)
    languages.push_back(locale == web::Locale::en ? "en" : "th");
  json::array name;
  for (const auto& question : d.holder.name) name.push_back(json::string(question));
  json::object holder{{"name", std::move(name)}};
  if (!d.holder.id.empty()) holder["id"] = d.holder.id;
  json::array fields;
  for (const auto& f : d.fields) {
    fields.push_back(json::object{{"label", text_json(f.label)}, {"answer", f.answer}});
  }
  json::array conditions;
  for (const auto& c : d.conditions) conditions.push_back(text_json(c));
  json::object out{{"service", d.service},
                   {"agency", d.agency},
                   {"version", d.version},
                   {"kind", document_kind_key(d.kind)},
                   {"title", text_json(d.title)},
                   {"issued_in", d.issued_in},
                   {"number", json::object{{"prefix", d.number.prefix},
                                           {"pattern", document_number_pattern(d.number)},
                                           {"example", document_number(d.number, 2569, 123)}}},
                   {"languages", std::move(languages)},
                   {"holder", std::move(holder)},
                   {"fields", std::move(fields)},
                   {"conditions", std::move(conditions)},
                   {"signatory", text_json(d.signatory)}};
  // No term: the key is left out, as a state without a time limit leaves out its limit.
  if (d.validity) {
    out["validity"] =
        json::object{{"unit", validity_unit_key(d.validity->unit)}, {"count", d.validity->count}};
  }
  return out;
}

}  // namespace pratu::applications
