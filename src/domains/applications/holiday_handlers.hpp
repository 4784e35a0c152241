#pragma once
/// The administrators' page of the government's holidays, which working-day deadlines skip
/// (docs/workflows.md, "Editing the holidays"): this year's and next year's holidays, each
/// with a button to remove it, whether each year is announced or provisional, and a form to add
/// a holiday.
///
// clang-format off
///   GET  /admin/holidays          the calendar and the form
///   POST /admin/holidays          add a holiday (date, Thai name, English name)
///   POST /admin/holidays/remove   remove one (date)
///   POST /admin/holidays/year     mark a year announced or provisional (year, provisional)
// clang-format on
/// Administrators only (web::Access::admin); every form carries the CSRF token.

#include <string>
#include <vector>

#include "domains/applications/holiday_service.hpp"
#include "web/components.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::applications {

class HolidayHandlers {
 public:
  HolidayHandlers(HolidayService& holidays, const web::Renderer& renderer);

  /// GET /admin/holidays.
  Result<web::Response> show(const web::Request& request, web::RequestContext& context);
  /// POST /admin/holidays: 303 back to the page, or the page again with 422 and what was typed.
  Result<web::Response> add(const web::Request& request, web::RequestContext& context);
  /// POST /admin/holidays whose CSRF token failed: the page again (403) with what was typed.
  Result<web::Response> add_again(const web::Request& request, web::RequestContext& context);
  /// POST /admin/holidays/remove: 303 back to the page, or the page again with 422.
  Result<web::Response> remove(const web::Request& request, web::RequestContext& context);
  /// POST /admin/holidays/year: 303 back to the page, or the page again with 422.
  Result<web::Response> mark_year(const web::Request& request, web::RequestContext& context);

  /// Every route above, for administrators.
  web::Routes routes();

 private:
  // The page, with the add form holding `typed` (the date as its parts) and `errors` shown.
  Result<web::Response> render(const web::Request& request, web::RequestContext& context,
                               const web::DateParts& date, const TypedHoliday& typed,
                               const std::vector<FieldError>& errors, int status,
                               const std::string& summary_only = {});

  HolidayService& holidays_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::applications
