#pragma once
/// The agency's finance pages (docs/payments.md): its finance officers import the bank's daily
/// statement file and settle the lines that matched no bill, with script off:
///
// clang-format off
///   GET  /agency/statements                              recent imports and the form to upload a file
///   POST /agency/statements                              a file (multipart): imported, then its page (303)
///   GET  /agency/statements/{import}                     an import line by line, with its totals
///   GET  /agency/payment-exceptions                      the open exceptions, each with its form
///   POST /agency/payment-exceptions/{line}/resolution    action-{line}, note-{line}: settled, then back (303)
// clang-format on
///
/// Another agency's import or line is not found, whether or not it exists.

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domains/payments/statement_import.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::payments {

class FinancePages {
 public:
  FinancePages(StatementImports& statements, const web::Renderer& renderer)
      : statements_(statements), renderer_(renderer) {}

  /// The pages' routes, each for the agency's finance officers (web::Access::agency_finance).
  web::Routes routes();

 private:
  Result<web::Response> statements_page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> upload(const web::Request& request, web::RequestContext& context);
  Result<web::Response> statement_page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> exceptions_page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> resolve(const web::Request& request, web::RequestContext& context);

  /// The list of imports with the upload form; `error` (translated) under the file input.
  Result<web::Response> render_statements(const web::Request& request, web::RequestContext& context,
                                          const std::string& error, int status);
  /// What a person typed into one line's form, shown again with its errors.
  struct Typed {
    std::int64_t line = 0;
    std::string action;
    std::string note;
    std::vector<FieldError> errors;
  };
  /// The open exceptions with a form each; `typed` fills one line's form after a refusal.
  Result<web::Response> render_exceptions(const web::Request& request, web::RequestContext& context,
                                          const std::optional<Typed>& typed, int status);

  StatementImports& statements_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::payments
