#include "domains/catalog/catalog_json.hpp"

#include <boost/json/array.hpp>

namespace pratu::catalog {
namespace {

boost::json::array to_json(const std::vector<LocalizedText>& texts) {
  boost::json::array out;
  for (const auto& text : texts) out.push_back(to_json(text));
  return out;
}

boost::json::array to_json(const std::vector<std::string>& words) {
  boost::json::array out;
  for (const auto& word : words) out.emplace_back(word);
  return out;
}

// "500.00" style baht text, exact, for API clients that do not want satang.
std::string baht_text(std::int64_t satang) {
  std::string fraction = std::to_string(satang % 100);
  if (fraction.size() < 2) fraction.insert(0, "0");
  return std::to_string(satang / 100) + "." + fraction;
}

}  // namespace

boost::json::object to_json(const LocalizedText& text) {
  return {{"th", text.th}, {"en", text.en}};
}

boost::json::object to_json(const Agency& agency) {
  boost::json::object contact{{"phone", agency.phone}, {"address", to_json(agency.address)}};
  if (!agency.email.empty()) contact["email"] = agency.email;
  return {{"code", agency.code},
          {"name", to_json(agency.name)},
          {"short_name", to_json(agency.short_name)},
          {"description", to_json(agency.description)},
          {"website", agency.website},
          {"contact", std::move(contact)}};
}

boost::json::object to_json(const Service& service) {
  boost::json::array documents;
  for (const auto& document : service.documents) {
    boost::json::object item{{"name", to_json(document.name)},
                             {"originals", document.originals},
                             {"copies", document.copies},
                             {"required", document.required}};
    if (!document.note.th.empty()) item["note"] = to_json(document.note);
    if (!document.key.empty()) item["key"] = document.key;
    documents.push_back(std::move(item));
  }
  boost::json::array fees;
  for (const auto& fee : service.fees) {
    boost::json::object item{{"code", fee.code},
                             {"label", to_json(fee.label)},
                             {"amount_satang", fee.amount_satang},
                             {"amount_baht", baht_text(fee.amount_satang)},
                             {"stamp_duty", fee.stamp_duty}};
    if (!fee.note.th.empty()) item["note"] = to_json(fee.note);
    if (!fee.when.empty()) item["when"] = fee.when;
    if (!fee.for_each.empty()) item["for_each"] = fee.for_each;
    if (fee.quantity) {
      item["quantity"] = boost::json::object{{"of", fee.quantity->of},
                                             {"per", fee.quantity->per},
                                             {"unit", to_json(fee.quantity->unit)}};
    }
    if (fee.minimum_satang > 0) item["minimum_satang"] = fee.minimum_satang;
    fees.push_back(std::move(item));
  }
  boost::json::array channels;
  for (Channel channel : service.channels) channels.emplace_back(channel_key(channel));
  boost::json::object online;
  for (Criterion criterion : kAllCriteria) {
    online[criterion_key(criterion)] = service.online.has(criterion);
  }
  const LevelAssessment assessment = assess_level(service);
  boost::json::array criteria;
  for (const auto& item : assessment.items) {
    criteria.push_back(boost::json::object{{"criterion", criterion_key(item.criterion)},
                                           {"level", level_code(criterion_level(item.criterion))},
                                           {"status", criterion_status_key(item.status)}});
  }
  return {{"slug", service.slug},
          {"agency", service.agency_code},
          {"name", to_json(service.name)},
          {"summary", to_json(service.summary)},
          {"category", service.category},
          {"tags",
           boost::json::object{{"th", to_json(service.tags_th)}, {"en", to_json(service.tags_en)}}},
          {"popularity", service.popularity},
          {"who_may_apply", to_json(service.who_may_apply)},
          {"documents", std::move(documents)},
          {"fees", std::move(fees)},
          {"time_limit_working_days", service.time_limit_working_days},
          {"legal_basis", to_json(service.legal_basis)},
          {"channels", std::move(channels)},
          {"online", std::move(online)},
          {"level", level_code(assessment.level)},
          {"criteria", std::move(criteria)},
          {"source_file", service.source_file}};
}

namespace {

// Reads the documents this file wrote. They come from our own database, so a gap is a bug
// (or a hand-edited row): reading stops at the first and names it.
class Reader {
 public:
  explicit Reader(std::string what) : what_(std::move(what)) {}

  const boost::json::object* object(const boost::json::value& value, std::string_view field) {
    const auto* found = value.is_object() ? value.as_object().if_contains(field) : nullptr;
    if (found == nullptr || !found->is_object()) return fail(field, "an object");
    return &found->as_object();
  }
  const boost::json::array& array(const boost::json::object& object, std::string_view field) {
    static const boost::json::array kEmpty;
    const auto* found = object.if_contains(field);
    if (found == nullptr || !found->is_array()) {
      fail(field, "an array");
      return kEmpty;
    }
    return found->as_array();
  }
  std::string text(const boost::json::object& object, std::string_view field) {
    const auto* found = object.if_contains(field);
    if (found == nullptr || !found->is_string()) {
      fail(field, "text");
      return {};
    }
    return std::string(found->as_string());
  }
  std::string optional_text(const boost::json::object& object, std::string_view field) {
    const auto* found = object.if_contains(field);
    return found != nullptr && found->is_string() ? std::string(found->as_string()) : std::string();
  }
  std::int64_t integer(const boost::json::object& object, std::string_view field) {
    const auto* found = object.if_contains(field);
    if (found == nullptr || !found->is_int64()) {
      fail(field, "an integer");
      return 0;
    }
    return found->as_int64();
  }
  bool boolean(const boost::json::object& object, std::string_view field) {
    const auto* found = object.if_contains(field);
    if (found == nullptr || !found->is_bool()) {
      fail(field, "true or false");
      return false;
    }
    return found->as_bool();
  }
  LocalizedText localized(const boost::json::value& value) {
    if (!value.is_object()) {
      fail("text", "an object with th and en");
      return {};
    }
    return {text(value.as_object(), "th"), text(value.as_object(), "en")};
  }
  LocalizedText localized(const boost::json::object& object, std::string_view field) {
    const auto* found = object.if_contains(field);
    if (found == nullptr) {
      fail(field, "an object with th and en");
      return {};
    }
    return localized(*found);
  }
  LocalizedText optional_localized(const boost::json::object& object, std::string_view field) {
    const auto* found = object.if_contains(field);
    return found == nullptr ? LocalizedText{} : localized(*found);
  }
  std::vector<LocalizedText> localized_list(const boost::json::object& object,
                                            std::string_view field) {
    std::vector<LocalizedText> out;
    for (const auto& item : array(object, field)) out.push_back(localized(item));
    return out;
  }
  std::vector<std::string> text_list(const boost::json::array& array) {
    std::vector<std::string> out;
    for (const auto& item : array) {
      if (item.is_string()) out.emplace_back(item.as_string());
      else fail("tags", "a list of texts");
    }
    return out;
  }

  Result<void> result() const {
    if (problem_.empty()) return ok();
    return Error::internal("stored catalogue document " + what_ + ": " + problem_);
  }

 private:
  std::nullptr_t fail(std::string_view field, std::string_view expected) {
    if (problem_.empty()) problem_ = std::string(field) + " must be " + std::string(expected);
    return nullptr;
  }
  std::string what_;
  std::string problem_;
};

}  // namespace

Result<Agency> agency_from_json(const boost::json::value& json) {
  Reader r("(agency)");
  if (!json.is_object()) return Error::internal("stored agency document is not an object");
  const auto& o = json.as_object();
  Agency agency;
  agency.code = r.text(o, "code");
  Reader named("agency " + agency.code);
  agency.name = named.localized(o, "name");
  agency.short_name = named.localized(o, "short_name");
  agency.description = named.localized(o, "description");
  agency.website = named.text(o, "website");
  if (const auto* contact = named.object(json, "contact")) {
    agency.phone = named.text(*contact, "phone");
    agency.email = named.optional_text(*contact, "email");
    agency.address = named.localized(*contact, "address");
  }
  PRATU_CHECK(r.result());
  PRATU_CHECK(named.result());
  return agency;
}

Result<Service> service_from_json(const boost::json::value& json) {
  if (!json.is_object()) return Error::internal("stored service document is not an object");
  const auto& o = json.as_object();
  Reader first("(service)");
  Service service;
  service.slug = first.text(o, "slug");
  PRATU_CHECK(first.result());
  Reader r("service " + service.slug);
  service.agency_code = r.text(o, "agency");
  service.name = r.localized(o, "name");
  service.summary = r.localized(o, "summary");
  service.category = r.text(o, "category");
  if (const auto* tags = r.object(json, "tags")) {
    service.tags_th = r.text_list(r.array(*tags, "th"));
    service.tags_en = r.text_list(r.array(*tags, "en"));
  }
  service.popularity = r.integer(o, "popularity");
  service.who_may_apply = r.localized_list(o, "who_may_apply");
  for (const auto& item : r.array(o, "documents")) {
    if (!item.is_object()) return Error::internal("service " + service.slug + ": bad document");
    const auto& d = item.as_object();
    RequiredDocument document;
    document.key = r.optional_text(d, "key");
    document.name = r.localized(d, "name");
    document.note = r.optional_localized(d, "note");
    document.originals = static_cast<int>(r.integer(d, "originals"));
    document.copies = static_cast<int>(r.integer(d, "copies"));
    document.required = r.boolean(d, "required");
    service.documents.push_back(std::move(document));
  }
  for (const auto& item : r.array(o, "fees")) {
    if (!item.is_object()) return Error::internal("service " + service.slug + ": bad fee");
    const auto& f = item.as_object();
    Fee fee;
    fee.code = r.optional_text(f, "code");
    fee.label = r.localized(f, "label");
    fee.amount_satang = r.integer(f, "amount_satang");
    fee.note = r.optional_localized(f, "note");
    fee.when = r.optional_text(f, "when");
    fee.for_each = r.optional_text(f, "for_each");
    if (const auto* quantity = f.if_contains("quantity"); quantity && quantity->is_object()) {
      const auto& q = quantity->as_object();
      fee.quantity = FeeQuantity{r.text(q, "of"), r.integer(q, "per"), r.localized(q, "unit")};
    }
    if (f.contains("minimum_satang")) fee.minimum_satang = r.integer(f, "minimum_satang");
    // Catalogues stored before fees were data have no stamp_duty (ADR 0026).
    if (f.contains("stamp_duty")) fee.stamp_duty = r.boolean(f, "stamp_duty");
    service.fees.push_back(std::move(fee));
  }
  service.time_limit_working_days = static_cast<int>(r.integer(o, "time_limit_working_days"));
  service.legal_basis = r.localized_list(o, "legal_basis");
  for (const auto& item : r.array(o, "channels")) {
    bool known = false;
    for (Channel channel : kAllChannels) {
      if (item.is_string() && item.as_string() == channel_key(channel)) {
        service.channels.push_back(channel);
        known = true;
      }
    }
    if (!known) return Error::internal("service " + service.slug + ": unknown channel");
  }
  if (const auto* online = r.object(json, "online")) {
    for (Criterion criterion : kAllCriteria) {
      service.online.offered[criterion] = r.boolean(*online, criterion_key(criterion));
    }
  }
  service.source_file = r.optional_text(o, "source_file");
  PRATU_CHECK(r.result());
  return service;
}

}  // namespace pratu::catalog
