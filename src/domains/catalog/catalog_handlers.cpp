#include "domains/catalog/catalog_handlers.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <optional>

#include "common/log.hpp"
#include "web/form.hpp"
#include "web/problem.hpp"

namespace pratu::catalog {
namespace {

namespace json = boost::json;
using web::Locale;
using web::Request;
using web::RequestContext;
using web::Response;

std::string query_param(const Request& request) {
  std::string q = request.query_param("q").value_or("");
  const auto first = q.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = q.find_last_not_of(" \t\r\n");
  return q.substr(first, last - first + 1);
}

std::string search_url(std::string_view query, int page) {
  std::string url = "/search?q=" + web::percent_encode(query);
  if (page > 1) url += "&page=" + std::to_string(page);
  return url;
}

json::object pagination_model(const web::Translations& t, Locale locale, std::string_view query,
                              const ServicePage& page) {
  const int pages = page.page_count();
  json::object model{{"status", t.format(locale, "catalog.pagination.status",
                                         {{"page", std::to_string(page.page)},
                                          {"pages", std::to_string(pages)}})}};
  if (page.page > 1) model["previous_url"] = search_url(query, std::min(page.page - 1, pages));
  if (page.page < pages) model["next_url"] = search_url(query, page.page + 1);
  return model;
}

// {"items":[...],"page":N,"page_size":N,"total":N}, the items joined from their ready-made
// JSON when the page's services come from the snapshot the views were built from (a reload
// between the two makes them afresh).
std::string api_page_json(const CatalogViews& views, const ServicePage& page) {
  const bool same_snapshot = &views.snapshot() == page.snapshot.get();
  std::string out;
  out.reserve(96 + page.services.size() * 256);
  out += "{\"items\":[";
  for (std::size_t i = 0; i < page.services.size(); ++i) {
    if (i > 0) out += ',';
    const Service& service = *page.services[i];
    if (same_snapshot) {
      out += views.api_item(service);
    } else {
      out += CatalogViews::api_item_json(*page.snapshot, service);
    }
  }
  out += "],\"page\":" + std::to_string(page.page);
  out += ",\"page_size\":" + std::to_string(page.page_size);
  out += ",\"total\":" + std::to_string(page.total) + "}";
  return out;
}

}  // namespace

CatalogHandlers::CatalogHandlers(CatalogService& service, const web::Renderer& renderer,
                                 ContentCacheSettings contents)
    : service_(service), renderer_(renderer), contents_(contents) {
  views();  // built now rather than on the first request
}

std::shared_ptr<const CatalogViews> CatalogHandlers::views() const {
  auto snapshot = service_.snapshot();
  auto current = views_.load();
  if (current && &current->snapshot() == snapshot.get()) return current;
  // Two threads may both build after a reload; either result is the same, so the last wins.
  auto built = std::make_shared<const CatalogViews>(std::move(snapshot), renderer_.translations(),
                                                    contents_);
  views_.store(built);
  return built;
}

Result<Response> CatalogHandlers::home(const Request& request, RequestContext& context) const {
  auto v = views();
  return renderer_.shared_page(request, context, "catalog/home", v->in(context.locale).home,
                               v->contents(), "");
}

Result<Response> CatalogHandlers::agencies(const Request& request, RequestContext& context) const {
  auto v = views();
  return renderer_.shared_page(request, context, "catalog/agencies", v->in(context.locale).agencies,
                               v->contents(), "");
}

Result<Response> CatalogHandlers::agency(const Request& request, RequestContext& context) const {
  auto v = views();
  const auto& pages = v->in(context.locale).agency_pages;
  auto it = pages.find(request.path_param("code"));
  if (it == pages.end()) return Error::not_found("agency");
  return renderer_.shared_page(request, context, "catalog/agency", it->second, v->contents(),
                               it->first);
}

Result<Response> CatalogHandlers::service(const Request& request, RequestContext& context) const {
  auto v = views();
  const auto& pages = v->in(context.locale).service_pages;
  auto it = pages.find(request.path_param("slug"));
  if (it == pages.end()) return Error::not_found("service");
  return renderer_.shared_page(request, context, "catalog/service", it->second, v->contents(),
                               it->first);
}

Result<Response> CatalogHandlers::search(const Request& request, RequestContext& context) const {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const std::string query = query_param(request);
  json::object model{{"title", t.text(locale, "catalog.search.title")},
                     {"query", query},
                     {"has_query", !query.empty()}};
  if (query.empty()) return renderer_.page(request, context, "catalog/search", std::move(model));

  PRATU_TRY(found, service_.search(
                       query, web::page_param(request, CatalogRepository::kMaxPage).value_or(1)));
  auto v = views();
  json::array results;
  for (const Service* service : found.services) {
    auto card = v->in(locale).cards.find(service->slug);
    if (card != v->in(locale).cards.end()) results.push_back(card->second);
  }
  model["has_results"] = !results.empty();
  model["results"] = std::move(results);
  model["result_count"] = found.total > 0
                              ? t.format(locale, "catalog.search.result_count",
                                         {{"count", std::to_string(found.total)}, {"query", query}})
                              : std::string();
  model["no_results"] = found.total == 0
                            ? t.format(locale, "catalog.search.no_results", {{"query", query}})
                            : std::string();
  if (found.page_count() > 1) model["pagination"] = pagination_model(t, locale, query, found);
  return renderer_.page(request, context, "catalog/search", std::move(model));
}

Result<Response> CatalogHandlers::api_services(const Request& request,
                                               RequestContext& context) const {
  const auto& t = renderer_.translations();
  const auto page = web::page_param(request, CatalogRepository::kMaxPage);
  if (!page) return web::problem(t, context, 400, "catalog.api.invalid_page");
  const std::string query = query_param(request);
  if (query.empty()) return Response::json(api_page_json(*views(), service_.list(*page)));
  PRATU_TRY(found, service_.search(query, *page));
  return Response::json(api_page_json(*views(), found));
}

bool CatalogHandlers::api_services_quick(const Request& request) const {
  const auto page = web::page_param(request, CatalogRepository::kMaxPage);
  if (!page) return true;
  const std::string query = query_param(request);
  return query.empty() || service_.search_is_quick(query, *page);
}

Result<Response> CatalogHandlers::api_service(const Request& request, RequestContext&) const {
  auto v = views();
  const std::string* body = v->service_json(request.path_param("slug"));
  if (body == nullptr) {
    return Error{ErrorCode::not_found, "catalog.api.service_not_found", "service", {}, 0};
  }
  return Response::json(*body);
}

Result<Response> CatalogHandlers::api_agencies(const Request&, RequestContext&) const {
  return Response::json(views()->agencies_json());
}

web::Routes CatalogHandlers::routes() const {
  using web::Access;
  auto bind = [this](auto method) {
    return [this, method](const Request& request, RequestContext& context) {
      return (this->*method)(request, context);
    };
  };
  auto spec =
      [](std::string pattern, web::Surface surface, std::string name, web::Handler handler) {
    web::RouteSpec s;
    s.method = "GET";
    s.pattern = std::move(pattern);
    s.access = Access::anyone;
    s.surface = surface;
    s.name = std::move(name);
    s.handler = std::move(handler);
    return s;
  };
  // Pages come from the in-memory snapshot: for a visitor without a session there is nothing
  // to block on, so they render on the I/O thread, and the page cache keeps each one a minute.
  auto page = [&](std::string pattern, std::string name, web::Handler handler) {
    auto s = spec(std::move(pattern), web::Surface::page, std::move(name), std::move(handler));
    s.runs = web::Runs::io_thread_for_visitors;
    s.caching = web::Caching::public_page;
    return s;
  };
  auto api = [&](std::string pattern, std::string name, web::Handler handler) {
    auto s = spec(std::move(pattern), web::Surface::api, std::move(name), std::move(handler));
    s.runs = web::Runs::io_thread;
    return s;
  };
  web::Routes r;
  r.push_back(page("/", "home", bind(&CatalogHandlers::home)));
  r.push_back(page("/agencies", "agencies", bind(&CatalogHandlers::agencies)));
  r.push_back(page("/agencies/{code}", "agency", bind(&CatalogHandlers::agency)));
  r.push_back(page("/services/{slug}", "service", bind(&CatalogHandlers::service)));
  r.push_back(spec("/search", web::Surface::page, "search", bind(&CatalogHandlers::search)));
  // The listing, a search made lately and a search reading little of the index are answered
  // on the I/O thread; a search reading much of it (many short words) goes to a worker, so it
  // never holds up the other connections of its thread.
  auto services = api("/api/v1/services", "api_services", bind(&CatalogHandlers::api_services));
  services.runs = web::Runs::worker;
  services.inline_when = [this](const Request& request) { return api_services_quick(request); };
  r.push_back(std::move(services));
  r.push_back(api("/api/v1/services/{slug}", "api_service", bind(&CatalogHandlers::api_service)));
  r.push_back(api("/api/v1/agencies", "api_agencies", bind(&CatalogHandlers::api_agencies)));
  return r;
}

}  // namespace pratu::catalog
