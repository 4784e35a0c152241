#pragma once
/// Feedback over HTTP: the form, the thank-you page, the public statistics (page and API)
/// and the administrators' list of comments.

#include <string>

#include "domains/feedback/feedback.hpp"
#include "domains/feedback/feedback_service.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::feedback {

class FeedbackHandlers {
 public:
  FeedbackHandlers(FeedbackService& service, const web::Renderer& renderer);

  /// GET /feedback: the form.
  Result<web::Response> form(const web::Request& request, web::RequestContext& context);
  /// POST /feedback: 303 to the thanks page, the form again with 422 or 429.
  Result<web::Response> submit(const web::Request& request, web::RequestContext& context);
  /// POST /feedback whose CSRF token failed: the form again with what was typed.
  Result<web::Response> form_again(const web::Request& request, web::RequestContext& context);
  /// GET /feedback/thanks.
  Result<web::Response> thanks(const web::Request& request, web::RequestContext& context);
  /// GET /feedback/statistics: the totals as a table.
  Result<web::Response> statistics(const web::Request& request, web::RequestContext& context);
  /// GET /api/v1/feedback/statistics: the totals as JSON.
  Result<web::Response> api_statistics(const web::Request& request, web::RequestContext& context);
  /// GET /feedback/comments: the latest comments, paged (administrators).
  Result<web::Response> comments(const web::Request& request, web::RequestContext& context);

  /// Every route above, with its access rule.
  web::Routes routes();

 private:
  web::Response render_form(const web::Request& request, web::RequestContext& context,
                            const TypedFeedback& typed, const std::vector<FieldError>& errors,
                            int status, const std::string& summary_only = {});

  FeedbackService& service_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::feedback
