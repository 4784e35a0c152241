#include "domains/applications/document_content.hpp"

#include "domains/applications/answer_text.hpp"
#include "domains/applications/application_repository.hpp"

namespace pratu::applications {

namespace json = boost::json;
using web::Locale;

namespace {

platform::BilingualText bilingual(const Text& text) { return {text.th, text.en}; }

}  // namespace

std::vector<platform::IssuingService> ApplicationDocuments::issuing_services() const {
  std::vector<platform::IssuingService> out;
  for (const auto& [slug, document] : templates_) {
    out.push_back({slug, document.agency, document.issued_in});
  }
  return out;
}

Result<platform::DocumentContent> ApplicationDocuments::content(
    storage::Connection& c, std::string_view application) const {
  PRATU_TRY(found, repository::find_application(c, application));
  if (!found || found->status == Status::draft) {
    return Error::not_found("application " + std::string(application));
  }
  const Application& a = *found;
  auto document = templates_.find(a.service);
  auto form = forms_.find(a.service);
  if (document == templates_.end() || form == forms_.end() || translations_ == nullptr) {
    return Error::not_found("no document for the service " + a.service);
  }
  const DocumentTemplate& d = document->second;
  const web::Translations& t = *translations_;
  const bool english = d.written_in(Locale::en);

  // One answer in each language the document is written in.
  auto written = [&](const Field& field, const json::value* value) {
    platform::BilingualText out{answer_text(field, value, t, Locale::th, addresses_), ""};
    if (english) out.en = answer_text(field, value, t, Locale::en, addresses_);
    return out;
  };

  platform::DocumentContent content;
  content.application = a.public_id;
  content.application_id = a.id;
  content.reference = a.reference;
  content.service = a.service;
  content.agency = d.agency;
  content.holder_user_id = a.user_id;
  content.kind = std::string(document_kind_key(d.kind));
  content.title = bilingual(d.title);
  content.english = english;
  content.signatory = bilingual(d.signatory);
  content.number_prefix = d.number.prefix;
  content.template_version = d.version;
  content.replaces = a.renews;
  if (d.validity) {
    content.validity = platform::DocumentValidity{std::string(validity_unit_key(d.validity->unit)),
                                                  d.validity->count};
  }
  for (const auto& condition : d.conditions) content.conditions.push_back(bilingual(condition));

  // The holder's name: the named answers, each as a person reads it, joined by spaces.
  for (const auto& id : d.holder.name) {
    const Field* field = form->second.field(id).second;
    const json::value* value = a.answers.if_contains(id);
    if (field == nullptr || value == nullptr || value->is_null()) continue;
    const std::string part = answer_text(*field, value, t, Locale::th, addresses_);
    if (part.empty()) continue;
    if (!content.holder_name.empty()) content.holder_name += ' ';
    content.holder_name += part;
  }
  if (!d.holder.id.empty()) {
    if (const auto* id = a.answers.if_contains(d.holder.id); id != nullptr && id->is_string()) {
      content.holder_id = std::string(id->get_string());
    }
  }

  // Where a printed copy is posted: the first address the application gives, in form order.
  for (const auto& page : form->second.pages) {
    for (const auto& field : page.fields) {
      if (field.type != FieldType::address || !content.postal_address.empty()) continue;
      if (const auto* value = a.answers.if_contains(field.id); value && value->is_object()) {
        content.postal_address = answer_text(field, value, t, Locale::th, addresses_);
      }
    }
  }

  // The answers shown, in order; an unanswered one is left out, a group's question gives one
  // line per item.
  for (const auto& shown : d.fields) {
    const platform::BilingualText label = bilingual(shown.label);
    const auto dot = shown.answer.find('.');
    if (dot == std::string::npos) {
      const Field* field = form->second.field(shown.answer).second;
      const json::value* value = a.answers.if_contains(shown.answer);
      if (field == nullptr || value == nullptr || value->is_null()) continue;
      content.lines.push_back({label, written(*field, value)});
      continue;
    }
    const std::string group_id = shown.answer.substr(0, dot);
    const std::string question = shown.answer.substr(dot + 1);
    const Field* group = form->second.field(group_id).second;
    const Field* field = group != nullptr ? group->field(question) : nullptr;
    const json::value* items = a.answers.if_contains(group_id);
    if (field == nullptr || items == nullptr || !items->is_array()) continue;
    for (const auto& item : items->get_array()) {
      if (!item.is_object()) continue;
      const json::value* value = item.get_object().if_contains(question);
      if (value == nullptr || value->is_null()) continue;
      content.lines.push_back({label, written(*field, value)});
    }
  }
  return content;
}

}  // namespace pratu::applications
