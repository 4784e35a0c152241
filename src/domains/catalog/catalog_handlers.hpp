#pragma once
/// HTTP handlers of the catalogue: the home page, agencies, service pages, search, and the
/// JSON API under /api/v1. Pages read the in-memory snapshot; only search uses the database.

#include <atomic>
#include <memory>

#include "domains/catalog/catalog_service.hpp"
#include "domains/catalog/catalog_views.hpp"
#include "web/context.hpp"
#include "web/message.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::catalog {

class CatalogHandlers {
 public:
  CatalogHandlers(CatalogService& service, const web::Renderer& renderer,
                  ContentCacheSettings contents = {});

  /// GET / — search box, most used services, agencies, the e-Service levels explained.
  Result<web::Response> home(const web::Request& request, web::RequestContext& context) const;
  /// GET /agencies
  Result<web::Response> agencies(const web::Request& request, web::RequestContext& context) const;
  /// GET /agencies/{code}
  Result<web::Response> agency(const web::Request& request, web::RequestContext& context) const;
  /// GET /services/{slug}
  Result<web::Response> service(const web::Request& request, web::RequestContext& context) const;
  /// GET /search?q=&page=
  Result<web::Response> search(const web::Request& request, web::RequestContext& context) const;

  /// GET /api/v1/services?q=&page= — {items, page, page_size, total}; all services without q.
  Result<web::Response> api_services(const web::Request& request,
                                     web::RequestContext& context) const;
  /// Whether api_services answers `request` quickly (a listing, a bad page number, a search
  /// made lately or one reading little of the index), so the route may run on an I/O thread
  /// without waiting for a worker.
  bool api_services_quick(const web::Request& request) const;
  /// GET /api/v1/services/{slug}
  Result<web::Response> api_service(const web::Request& request,
                                    web::RequestContext& context) const;
  /// GET /api/v1/agencies
  Result<web::Response> api_agencies(const web::Request& request,
                                     web::RequestContext& context) const;

  /// The domain's routes, each with its access rule.
  web::Routes routes() const;

 private:
  // The views of the current snapshot, rebuilt once whenever the snapshot changes.
  std::shared_ptr<const CatalogViews> views() const;

  CatalogService& service_;
  const web::Renderer& renderer_;
  ContentCacheSettings contents_;
  mutable std::atomic<std::shared_ptr<const CatalogViews>> views_;
};

}  // namespace pratu::catalog
