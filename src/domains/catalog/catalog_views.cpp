#include "domains/catalog/catalog_views.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "domains/catalog/catalog_json.hpp"

namespace pratu::catalog {
namespace {

namespace json = boost::json;
using web::Locale;
using web::Translations;

constexpr std::size_t kMostUsedOnHome = 6;
constexpr std::array<Level, 4> kLevels = {Level::l0, Level::l1, Level::l2, Level::l3};

std::string level_text_key(Level level, std::string_view field) {
  return "catalog.levels." + std::string(level_key(level)) + "." + std::string(field);
}

json::object level_model(const Translations& t, Locale locale, Level level) {
  return {{"code", level_code(level)},
          {"key", level_key(level)},
          {"name", t.text(locale, level_text_key(level, "name"))},
          {"description", t.text(locale, level_text_key(level, "description"))}};
}

json::array levels_model(const Translations& t, Locale locale) {
  json::array out;
  for (Level level : kLevels) out.push_back(level_model(t, locale, level));
  return out;
}

json::object agency_model(const Translations& t, Locale locale, const Agency& agency,
                          std::size_t service_count) {
  return {{"code", agency.code},
          {"url", agency_url(agency.code)},
          {"name", agency.name.in(locale)},
          {"short_name", agency.short_name.in(locale)},
          {"description", agency.description.in(locale)},
          {"website", agency.website},
          {"phone", agency.phone},
          {"email", agency.email},
          {"address", agency.address.in(locale)},
          {"service_count", t.format(locale, "catalog.agencies.service_count",
                                     {{"count", std::to_string(service_count)}})}};
}

// What a list of services shows for each: name, summary, agency and level.
json::object card_model(const Translations& t, Locale locale, const CatalogSnapshot& snapshot,
                        const Service& service) {
  const Agency* agency = snapshot.agency(service.agency_code);
  return {{"slug", service.slug},
          {"url", service_url(service.slug)},
          {"name", service.name.in(locale)},
          {"summary", service.summary.in(locale)},
          {"agency_name", agency != nullptr ? agency->short_name.in(locale) : service.agency_code},
          {"level", level_model(t, locale, snapshot.assessment(service).level)}};
}

std::string count_text(const Translations& t, Locale locale, int count) {
  return count > 0 ? std::to_string(count) : t.text(locale, "catalog.service.none_count");
}

json::object service_page_model(const Translations& t, Locale locale,
                                const CatalogSnapshot& snapshot, const Service& service) {
  const Agency* agency = snapshot.agency(service.agency_code);
  const LevelAssessment& assessment = snapshot.assessment(service);

  json::array who;
  for (const auto& text : service.who_may_apply) who.emplace_back(text.in(locale));

  json::array documents;
  for (const auto& document : service.documents) {
    documents.push_back(json::object{{"name", document.name.in(locale)},
                                     {"note", document.note.in(locale)},
                                     {"if_applicable", !document.required},
                                     {"originals", count_text(t, locale, document.originals)},
                                     {"copies", count_text(t, locale, document.copies)}});
  }

  json::array fees;
  for (const auto& fee : service.fees) {
    fees.push_back(json::object{{"label", fee.label.in(locale)},
                                {"amount", format_money(t, locale, fee.amount_satang)},
                                {"note", fee.note.in(locale)}});
  }

  json::array laws;
  for (const auto& law : service.legal_basis) laws.emplace_back(law.in(locale));

  json::array channels;
  for (Channel channel : service.channels) {
    channels.emplace_back(t.text(locale, "catalog.channels." + std::string(channel_key(channel))));
  }

  json::array criteria;
  for (const auto& item : assessment.items) {
    const Level level = criterion_level(item.criterion);
    criteria.push_back(json::object{
        {"level", level_code(level)},
        {"level_key", level_key(level)},
        {"name", t.text(locale, "catalog.criteria." + std::string(criterion_key(item.criterion)))},
        {"status", t.text(locale, "catalog.criterion_status." +
                                      std::string(criterion_status_key(item.status)))},
        {"status_key", criterion_status_key(item.status)},
        {"met", item.status == CriterionStatus::met}});
  }

  const json::object level = level_model(t, locale, assessment.level);
  return {
      {"title", service.name.in(locale)},
      {"slug", service.slug},
      {"url", service_url(service.slug)},
      {"name", service.name.in(locale)},
      {"summary", service.summary.in(locale)},
      {"agency", agency != nullptr
                     ? json::value(agency_model(t, locale, *agency,
                                                snapshot.services_of(agency->code).size()))
                     : json::value(nullptr)},
      {"category", t.text(locale, "catalog.categories." + service.category)},
      {"time_limit", format_working_days(t, locale, service.time_limit_working_days)},
      {"channels", std::move(channels)},
      {"level", level},
      {"level_reached", t.format(locale, "catalog.service.level_reached",
                                 {{"level", std::string(level_code(assessment.level))},
                                  {"name", std::string(level.at("name").as_string())}})},
      {"who_may_apply", std::move(who)},
      {"has_documents", !service.documents.empty()},
      {"has_fees", !service.fees.empty()},
      {"documents", std::move(documents)},
      {"fees", std::move(fees)},
      {"legal_basis", std::move(laws)},
      {"criteria", std::move(criteria)},
      // Earned, never declared: the applications module runs a form for this service.
      {"apply_url", service.online.has(Criterion::e_form)
                        ? json::value("/services/" + service.slug + "/apply")
                        : json::value(nullptr)},
  };
}

json::object home_model(const Translations& t, Locale locale, const CatalogSnapshot& snapshot,
                        const std::map<std::string, json::object, std::less<>>& cards) {
  json::array most_used;
  for (const Service* service : snapshot.by_popularity()) {
    if (most_used.size() == kMostUsedOnHome) break;
    most_used.push_back(cards.at(service->slug));
  }
  json::array agencies;
  for (const Agency& agency : snapshot.catalog().agencies) {
    agencies.push_back(agency_model(t, locale, agency, snapshot.services_of(agency.code).size()));
  }
  return {{"title", t.text(locale, "catalog.home.title")},
          {"query", ""},
          {"most_used", std::move(most_used)},
          {"agencies", std::move(agencies)},
          {"levels", levels_model(t, locale)}};
}

LocaleViews build(const Translations& t, Locale locale, const CatalogSnapshot& snapshot) {
  LocaleViews views;
  for (const Service& service : snapshot.catalog().services) {
    views.cards.emplace(service.slug, card_model(t, locale, snapshot, service));
    views.service_pages.emplace(service.slug, service_page_model(t, locale, snapshot, service));
  }
  json::array agencies;
  for (const Agency& agency : snapshot.catalog().agencies) {
    const auto& services = snapshot.services_of(agency.code);
    json::object model = agency_model(t, locale, agency, services.size());
    agencies.push_back(model);
    json::array cards;
    for (const Service* service : services) cards.push_back(views.cards.at(service->slug));
    views.agency_pages.emplace(agency.code, json::object{{"title", agency.name.in(locale)},
                                                         {"agency", std::move(model)},
                                                         {"has_services", !cards.empty()},
                                                         {"services", std::move(cards)}});
  }
  views.agencies = json::object{{"title", t.text(locale, "catalog.agencies.title")},
                                {"agencies", std::move(agencies)}};
  views.home = home_model(t, locale, snapshot, views.cards);
  return views;
}

}  // namespace

std::string service_url(std::string_view slug) { return "/services/" + std::string(slug); }
std::string agency_url(std::string_view code) { return "/agencies/" + std::string(code); }

std::string format_baht_number(std::int64_t satang) {
  const bool negative = satang < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(satang) : static_cast<std::uint64_t>(satang);
  const std::string whole = std::to_string(magnitude / 100);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(whole[i]);
  }
  if (const auto fraction = magnitude % 100; fraction != 0) {
    grouped += (fraction < 10 ? ".0" : ".") + std::to_string(fraction);
  }
  return negative ? "-" + grouped : grouped;
}

std::string format_money(const Translations& t, Locale locale, std::int64_t satang) {
  return t.format(locale, "catalog.units.baht", {{"amount", format_baht_number(satang)}});
}

std::string format_working_days(const Translations& t, Locale locale, int days) {
  return t.format(locale,
                  days == 1 ? "catalog.units.working_days_one" : "catalog.units.working_days_other",
                  {{"count", std::to_string(days)}});
}

CatalogViews::CatalogViews(std::shared_ptr<const CatalogSnapshot> snapshot,
                           const Translations& translations, ContentCacheSettings contents)
    : snapshot_(std::move(snapshot)),
      th_(build(translations, Locale::th, *snapshot_)),
      en_(build(translations, Locale::en, *snapshot_)),
      contents_(contents.entries, contents.ttl) {
  for (const Service& service : snapshot_->catalog().services) {
    json::object full = to_json(service);
    full["url"] = service_url(service.slug);
    service_json_.emplace(service.slug, json::serialize(full));
    api_items_.push_back(api_item_json(*snapshot_, service));
  }
  json::array agencies;
  for (const Agency& agency : snapshot_->catalog().agencies) {
    json::object item = to_json(agency);
    item["url"] = agency_url(agency.code);
    item["service_count"] = snapshot_->services_of(agency.code).size();
    agencies.push_back(std::move(item));
  }
  agencies_json_ = json::serialize(json::object{{"items", std::move(agencies)}});
}

const std::string* CatalogViews::service_json(std::string_view slug) const {
  auto it = service_json_.find(slug);
  return it == service_json_.end() ? nullptr : &it->second;
}

std::string CatalogViews::api_item_json(const CatalogSnapshot& snapshot, const Service& service) {
  return json::serialize(json::object{{"slug", service.slug},
                                      {"name", to_json(service.name)},
                                      {"agency", service.agency_code},
                                      {"level", level_code(snapshot.assessment(service).level)},
                                      {"url", service_url(service.slug)}});
}

const std::string& CatalogViews::api_item(const Service& service) const {
  // `service` lives in the snapshot's catalogue, so its index is its offset.
  return api_items_[static_cast<std::size_t>(&service - snapshot_->catalog().services.data())];
}

}  // namespace pratu::catalog
