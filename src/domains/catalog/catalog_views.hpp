#pragma once
/// View models of the catalogue pages, built once per snapshot and locale so that a request
/// only copies a ready model into the template.

#include <boost/json/object.hpp>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domains/catalog/catalog_service.hpp"
#include "web/context.hpp"
#include "web/render.hpp"

namespace pratu::catalog {

/// "1,250" or "12.50": baht with thousands separators; satang only when there are any.
std::string format_baht_number(std::int64_t satang);

/// "1,250 บาท" / "1,250 baht".
std::string format_money(const web::Translations& t, web::Locale locale, std::int64_t satang);

/// "15 วันทำการ" / "15 working days" / "1 working day".
std::string format_working_days(const web::Translations& t, web::Locale locale, int days);

/// Ready-made models of one snapshot in one locale. Page models are JSON objects held as
/// values, so a page renders from them without a copy (web::Renderer's shared model).
struct LocaleViews {
  boost::json::value home;                                               // pages/catalog/home
  boost::json::value agencies;                                           // pages/catalog/agencies
  std::map<std::string, boost::json::value, std::less<>> agency_pages;   // by code
  std::map<std::string, boost::json::value, std::less<>> service_pages;  // by slug
  std::map<std::string, boost::json::object, std::less<>> cards;         // by slug
};

/// How many rendered page contents the views of one snapshot keep, and for how long.
struct ContentCacheSettings {
  std::size_t entries = 4096;
  std::chrono::seconds ttl{60};
};

/// Every view of one snapshot, in both locales, plus the API's JSON.
class CatalogViews {
 public:
  /// Builds all models of `snapshot` with `translations`.
  CatalogViews(std::shared_ptr<const CatalogSnapshot> snapshot,
               const web::Translations& translations, ContentCacheSettings contents = {});

  const CatalogSnapshot& snapshot() const { return *snapshot_; }
  /// The models for `locale`.
  const LocaleViews& in(web::Locale locale) const { return locale == web::Locale::en ? en_ : th_; }
  /// The serialised JSON of /api/v1/services/{slug}, or nullptr.
  const std::string* service_json(std::string_view slug) const;
  /// The serialised JSON of /api/v1/agencies.
  const std::string& agencies_json() const { return agencies_json_; }
  /// The API's summary of `service`, one of this snapshot's services, serialised: {slug,
  /// name, agency, level, url}. A search's page is these joined, so none is built per request.
  const std::string& api_item(const Service& service) const;
  /// The same summary of a service of any snapshot, built now.
  static std::string api_item_json(const CatalogSnapshot& snapshot, const Service& service);
  /// The rendered contents of this snapshot's pages (web::Renderer::shared_page with a
  /// cache): dropped with the views when the catalogue changes.
  web::ContentCache& contents() const { return contents_; }

 private:
  std::shared_ptr<const CatalogSnapshot> snapshot_;
  LocaleViews th_, en_;
  std::map<std::string, std::string, std::less<>> service_json_;
  std::vector<std::string> api_items_;  // in the catalogue's order
  std::string agencies_json_;
  mutable web::ContentCache contents_;
};

/// The public URL of a service page.
std::string service_url(std::string_view slug);
/// The public URL of an agency page.
std::string agency_url(std::string_view code);

}  // namespace pratu::catalog
