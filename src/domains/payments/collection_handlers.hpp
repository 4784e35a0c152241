#pragma once
/// An agency's daily collections, per day and per service (docs/payments.md), for its
/// finance officers (docs/adr/0028), their own agency only:
///
// clang-format off
///   GET  /agency/collections?from=&to=              the page: a chart of each day's total and a table per day and service
///   GET  /api/v1/agency/collections?from=&to=       the same figures as JSON
///   GET  /api/v1/agency/collections.csv?from=&to=   the same figures as CSV, to download
// clang-format on
///
/// `from` and `to` are days in Thailand (YYYY-MM-DD), at most 366 days apart; without them,
/// the last 30 days up to today.

#include "domains/payments/collections.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::payments {

class CollectionHandlers {
 public:
  CollectionHandlers(const CollectionReports& reports, const platform::ServiceDirectory& services,
                     const web::Renderer& renderer)
      : reports_(reports), services_(services), renderer_(renderer) {}

  /// The three routes above, for web::Access::agency_finance.
  web::Routes routes();

 private:
  Result<web::Response> page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_json(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_csv(const web::Request& request, web::RequestContext& context);
  /// The collections of the finance officer's agency over the request's from and to.
  Result<Collections> read(const web::Request& request, const web::RequestContext& context) const;

  const CollectionReports& reports_;
  const platform::ServiceDirectory& services_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::payments
