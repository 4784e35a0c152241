#include "domains/payments/finance_pages.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <map>

#include "common/money.hpp"
#include "domains/payments/statement_file.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"
#include "web/form.hpp"

namespace pratu::payments {

namespace json = boost::json;
using web::Access;
using web::Locale;

namespace {

constexpr std::string_view kStatements = "/agency/statements";
constexpr std::string_view kExceptions = "/agency/payment-exceptions";
// The largest statement file, as the API takes it: 256 characters a line, some 60,000 payments.
constexpr std::size_t kStatementFileMiB = 16;
constexpr std::size_t kStatementPageBody = kStatementFileMiB * 1024 * 1024 + 64 * 1024;
// An action and a note of 2,000 characters, percent-encoded (Thai: nine bytes a character).
constexpr std::size_t kResolutionPageBody = 64 * 1024;
// How many of the agency's imports and settled lines the pages list.
constexpr int kImportsShown = 50;
constexpr int kSettledShown = 20;
// How far back a refused form looks for its line among those settled already.
constexpr int kSettledLookedAt = 500;
// The reasons whose `accept` pays a bill that still awaits (as StatementImports::resolve does).
constexpr std::array<std::string_view, 3> kAcceptPays = {"overpaid", "late", "wrong_reference"};

// A path or query parameter of digits as a number; nullopt for anything else.
std::optional<std::int64_t> id_param(std::string_view raw) {
  if (raw.empty() || raw.size() > 15) return std::nullopt;
  std::int64_t id = 0;
  for (char c : raw) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

// A key's text, or `fallback` when the locale has none.
std::string text_or(const web::Translations& t, Locale locale, const std::string& key,
                    const std::string& fallback) {
  const std::string* found = t.find(locale, key);
  return found != nullptr ? *found : fallback;
}

// Why a file was refused, in the person's language: the problem, where it is and its code.
std::string refusal_text(const web::Translations& t, Locale locale, const StatementError& e) {
  const std::string code(statement_error_name(e.code));
  const std::string problem = text_or(t, locale, "payments.statement." + code,
                                      t.text(locale, "payments.statement.unknown"));
  if (e.line == 0) {
    return t.format(locale, "payments.imports.refused_file",
                    {{"problem", problem}, {"code", code}});
  }
  if (e.column == 0 || e.field.empty()) {
    return t.format(locale, "payments.imports.refused_line",
                    {{"line", std::to_string(e.line)}, {"problem", problem}, {"code", code}});
  }
  return t.format(locale, "payments.imports.refused_field",
                  {{"line", std::to_string(e.line)},
                   {"field", text_or(t, locale, "payments.statement_field." + e.field, e.field)},
                   {"column", std::to_string(e.column)},
                   {"problem", problem},
                   {"code", code}});
}

// The words for a line's outcome: its reason when it is an exception.
std::string outcome_text(const web::Translations& t, Locale locale, const StatementLineView& l) {
  if (l.outcome == "exception") {
    return text_or(t, locale, "payments.reason." + l.reason, l.reason);
  }
  return text_or(t, locale, "payments.outcome." + l.outcome, l.outcome);
}

// What every table of lines shows of a line.
json::object line_model(const web::Translations& t, Locale locale, const StatementLineView& l) {
  json::object out{{"line_id", l.id},
                   {"sequence", l.sequence},
                   {"paid_at", web::format_date_time(locale, l.paid_at)},
                   {"paid_at_iso", web::iso_date_time(l.paid_at)},
                   {"ref1", l.ref1},
                   {"ref2", l.ref2},
                   {"amount", format_baht(l.amount_satang)},
                   {"debit", l.kind == "D"},
                   {"outcome", l.outcome},
                   {"outcome_text", outcome_text(t, locale, l)},
                   {"exception", l.outcome == "exception"},
                   {"reason", l.reason}};
  if (!l.bill.empty()) out["bill_url"] = "/bills/" + l.bill;
  if (!l.resolution.empty()) {
    out["resolution_text"] =
        text_or(t, locale, "payments.resolution." + l.resolution, l.resolution);
  }
  return out;
}

}  // namespace

web::Routes FinancePages::routes() {
  using web::route;
  using web::Surface;
  web::Routes r;
  // The agency's finance side: its finance officers. Each names its own agency's imports and lines
  // only; another agency's are not found.
  r.push_back(route("GET", std::string(kStatements), Access::agency_finance, Surface::page,
                    "agency_statements", web::bound(this, &FinancePages::statements_page)));
  r.push_back(route("POST", std::string(kStatements), Access::agency_finance, Surface::page,
                    "agency_statement_upload", web::bound(this, &FinancePages::upload)));
  r.back().body_limit = kStatementPageBody;  // the file and the form around it
  r.push_back(route("GET", std::string(kStatements) + "/{import}", Access::agency_finance,
                    Surface::page, "agency_statement",
                    web::bound(this, &FinancePages::statement_page)));
  r.push_back(route("GET", std::string(kExceptions), Access::agency_finance, Surface::page,
                    "agency_payment_exceptions", web::bound(this, &FinancePages::exceptions_page)));
  r.push_back(route("POST", std::string(kExceptions) + "/{line}/resolution", Access::agency_finance,
                    Surface::page, "agency_payment_exception_resolve",
                    web::bound(this, &FinancePages::resolve)));
  r.back().body_limit = kResolutionPageBody;
  return r;
}

Result<web::Response> FinancePages::render_statements(const web::Request& request,
                                                      web::RequestContext& context,
                                                      const std::string& error, int status) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  PRATU_TRY(recent, statements_.recent(*context.user, kImportsShown));
  json::array imports;
  for (const auto& s : recent) {
    imports.push_back(json::object{
        {"url", std::string(kStatements) + "/" + std::to_string(s.id)},
        {"imported_at", web::format_date_time(locale, s.imported_at)},
        {"imported_at_iso", web::iso_date_time(s.imported_at)},
        {"imported_by",
         s.imported_by.empty() ? t.text(locale, "payments.imports.not_recorded") : s.imported_by},
        {"account", s.bank_code + " · " + s.company_account},
        {"lines", s.line_count},
        {"matched", s.matched},
        {"paid", s.paid},
        {"exceptions", s.exceptions},
        {"open", s.open_exceptions == 0 ? std::string()
                                        : t.format(locale, "payments.imports.open",
                                                   {{"count", std::to_string(s.open_exceptions)}})},
        {"credit", format_baht(s.credit_satang)}});
  }
  json::array summary;
  if (!error.empty()) summary.push_back(json::object{{"field", "file"}, {"message", error}});
  json::object model{{"title", t.text(locale, "payments.imports.title")},
                     {"errors", std::move(summary)},
                     {"action_path", std::string(kStatements)},
                     {"exceptions_path", std::string(kExceptions)},
                     {"any", !imports.empty()},
                     {"caption", t.format(locale, "payments.imports.caption",
                                          {{"max", std::to_string(kImportsShown)}})},
                     {"imports", std::move(imports)}};
  model["file"] = web::file_upload(
      {"file", t.text(locale, "payments.imports.file_label"),
       t.format(locale, "payments.imports.file_hint", {{"max", std::to_string(kStatementFileMiB)}}),
       error},
      ".txt,.dat,text/plain,application/octet-stream");
  return renderer_.page(request, context, "payments/statements", std::move(model), status);
}

Result<web::Response> FinancePages::statements_page(const web::Request& request,
                                                    web::RequestContext& context) {
  return render_statements(request, context, "", 200);
}

Result<web::Response> FinancePages::upload(const web::Request& request,
                                           web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const web::FilePart* part = form->file("file");
  if (part == nullptr || part->bytes.empty()) {
    return render_statements(request, context, t.text(locale, "payments.imports.file_required"),
                             422);
  }
  auto imported = statements_.import(*context.user, part->bytes);
  if (!imported) {
    const Error& e = imported.error();
    if (e.code != ErrorCode::invalid_input) return e;
    // The import says only which problem; reading the file again (no I/O) says where.
    std::string message;
    if (auto parsed = parse_statement_file(part->bytes); !parsed) {
      message = refusal_text(t, locale, parsed.error());
    } else {
      message = t.text(locale, e.message_key);
    }
    return render_statements(request, context, message, 422);
  }
  return web::Response::redirect(std::string(kStatements) + "/" + std::to_string(imported->id) +
                                 (imported->already ? "?already=1" : "?imported=1"));
}

Result<web::Response> FinancePages::statement_page(const web::Request& request,
                                                   web::RequestContext& context) {
  const auto id = id_param(request.path_param("import"));
  if (!id) return Error::not_found("statement import");
  PRATU_TRY(found, statements_.find(*context.user, *id));
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;

  // The lines by outcome, and the debits (reversals) apart: they take money back.
  struct Total {
    std::int64_t lines = 0;
    std::int64_t satang = 0;
  };
  Total matched, paid, exceptions, debits;
  json::array lines;
  for (const auto& l : found.lines) {
    Total& total = l.kind == "D"            ? debits
                   : l.outcome == "matched" ? matched
                   : l.outcome == "paid"    ? paid
                                            : exceptions;
    ++total.lines;
    total.satang += l.amount_satang;
    lines.push_back(line_model(t, locale, l));
  }
  auto total_row = [&](std::string_view key, const Total& total) {
    return json::object{{"label", t.text(locale, "payments.import." + std::string(key))},
                        {"key", key},
                        {"lines", total.lines},
                        {"amount", format_baht(total.satang)}};
  };
  json::array totals{total_row("matched", matched), total_row("paid", paid),
                     total_row("exceptions", exceptions)};
  if (debits.lines > 0) totals.push_back(total_row("debits", debits));

  json::object model{
      {"title", t.format(locale, "payments.import.title", {{"id", std::to_string(found.id)}})},
      {"import_id", found.id},
      {"imported_at", web::format_date_time(locale, found.imported_at)},
      {"imported_at_iso", web::iso_date_time(found.imported_at)},
      {"bank_code", found.bank_code},
      {"company_account", found.company_account},
      {"line_count", found.line_count},
      {"credit", format_baht(found.credit_satang)},
      {"totals", std::move(totals)},
      {"lines", std::move(lines)},
      {"any_open", exceptions.lines + debits.lines > 0},
      {"statements_path", std::string(kStatements)},
      {"exceptions_path", std::string(kExceptions)}};
  if (request.query_param("already")) {
    model["banner"] = web::notification_banner(
        web::BannerKind::important, t.text(locale, "payments.import.banner_title"),
        t.text(locale, "payments.import.already"),
        t.format(locale, "payments.import.already_text",
                 {{"date", web::format_date_time(locale, found.imported_at)}}));
  } else if (request.query_param("imported")) {
    model["banner"] = web::notification_banner(
        web::BannerKind::success, t.text(locale, "payments.import.success_title"),
        t.text(locale, "payments.import.imported"),
        t.format(locale, "payments.import.imported_text",
                 {{"lines", std::to_string(found.line_count)},
                  {"matched", std::to_string(found.matched)},
                  {"exceptions", std::to_string(found.exceptions)}}));
  }
  return renderer_.page(request, context, "payments/statement", std::move(model));
}

Result<web::Response> FinancePages::render_exceptions(const web::Request& request,
                                                      web::RequestContext& context,
                                                      const std::optional<Typed>& typed,
                                                      int status) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  PRATU_TRY(open, statements_.open_exceptions(*context.user));
  PRATU_TRY(settled, statements_.recently_settled(*context.user, kSettledShown));

  // A refused form's errors: in the summary, and beside the control of that line they name.
  json::object shown =
      web::form_errors_model(t, locale, typed ? typed->errors : std::vector<FieldError>{});
  json::array summary = std::move(shown.at("errors").as_array());
  const json::object& inline_errors = shown.at("field_errors").as_object();
  auto error_of = [&](const std::string& field) {
    const auto* message = inline_errors.if_contains(field);
    return message != nullptr ? std::string(message->as_string()) : std::string();
  };

  json::array lines;
  for (const auto& l : open) {
    const std::string id = std::to_string(l.id);
    const bool this_one = typed && typed->line == l.id;
    const bool accept_pays =
        std::find(kAcceptPays.begin(), kAcceptPays.end(), l.reason) != kAcceptPays.end();
    std::vector<web::Choice> actions{{"refund", t.text(locale, "payments.exception_page.refund"),
                                      t.text(locale, "payments.exception_page.refund_hint")}};
    if (l.reason == "underpaid") {
      actions.push_back({"ask_balance", t.text(locale, "payments.exception_page.ask_balance"),
                         t.text(locale, "payments.exception_page.ask_balance_hint")});
    }
    actions.push_back({"accept", t.text(locale, "payments.exception_page.accept"),
                       t.text(locale, accept_pays ? "payments.exception_page.accept_pays_hint"
                                                  : "payments.exception_page.accept_hint")});
    json::object line = line_model(t, locale, l);
    line["heading"] = t.format(locale, "payments.exception_page.line_heading",
                               {{"sequence", std::to_string(l.sequence)},
                                {"date", web::format_day(locale, l.payment_date)}});
    line["action_path"] = std::string(kExceptions) + "/" + id + "/resolution";
    line["action"] = web::radios({"action-" + id, t.text(locale, "payments.exception_page.action"),
                                  "", error_of("action-" + id)},
                                 actions, this_one ? typed->action : std::string());
    line["note"] =
        web::textarea({"note-" + id, t.text(locale, "payments.exception_page.note"),
                       t.text(locale, "payments.exception_page.note_hint"), error_of("note-" + id)},
                      this_one ? typed->note : std::string(), 3);
    lines.push_back(std::move(line));
  }

  json::array settled_rows;
  const SettledLineView* just_settled = nullptr;
  const auto settled_param = id_param(request.query_param("settled").value_or(""));
  for (const auto& s : settled) {
    if (settled_param && s.line.id == *settled_param) just_settled = &s;
    json::object row = line_model(t, locale, s.line);
    row["note_text"] = s.note;
    row["by"] =
        s.resolved_by.empty() ? t.text(locale, "payments.imports.not_recorded") : s.resolved_by;
    row["at"] = web::format_date_time(locale, s.resolved_at);
    row["at_iso"] = web::iso_date_time(s.resolved_at);
    settled_rows.push_back(std::move(row));
  }

  json::object model{{"title", t.text(locale, "payments.exception_page.title")},
                     {"errors", std::move(summary)},
                     {"any", !lines.empty()},
                     {"lines", std::move(lines)},
                     {"any_settled", !settled_rows.empty()},
                     {"settled", std::move(settled_rows)},
                     {"statements_path", std::string(kStatements)}};
  // After a POST-redirect: what was done, by whom and when (only a line of the agency's own).
  if (just_settled != nullptr && !typed) {
    const auto& l = just_settled->line;
    model["banner"] = web::notification_banner(
        web::BannerKind::success, t.text(locale, "payments.import.success_title"),
        t.format(
            locale, "payments.exception_page.settled",
            {{"sequence", std::to_string(l.sequence)},
             {"action", text_or(t, locale, "payments.resolution." + l.resolution, l.resolution)}}),
        t.format(locale, "payments.exception_page.settled_by",
                 {{"who", just_settled->resolved_by.empty()
                              ? t.text(locale, "payments.imports.not_recorded")
                              : just_settled->resolved_by},
                  {"when", web::format_date_time(locale, just_settled->resolved_at)}}));
  }
  return renderer_.page(request, context, "payments/exceptions", std::move(model), status);
}

Result<web::Response> FinancePages::exceptions_page(const web::Request& request,
                                                    web::RequestContext& context) {
  return render_exceptions(request, context, std::nullopt, 200);
}

Result<web::Response> FinancePages::resolve(const web::Request& request,
                                            web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const auto line = id_param(request.path_param("line"));
  if (!line) return Error::not_found("statement line");
  const std::string id = std::to_string(*line);
  Typed typed{*line, form->value("action-" + id), form->value("note-" + id), {}};
  auto resolved = statements_.resolve(*context.user, *line, {typed.action, typed.note});
  if (resolved) {
    return web::Response::redirect(std::string(kExceptions) + "?settled=" + id);
  }
  const Error& e = resolved.error();
  if (e.code != ErrorCode::invalid_input && e.code != ErrorCode::conflict) return e;

  // The input is checked before the line is looked for: a line that is not open here is either
  // settled already (said so) or not the agency's (not found, as for no such line).
  PRATU_TRY(open, statements_.open_exceptions(*context.user));
  const bool is_open = std::any_of(open.begin(), open.end(),
                                   [&](const StatementLineView& l) { return l.id == *line; });
  if (!is_open) {
    PRATU_TRY(settled, statements_.recently_settled(*context.user, kSettledLookedAt));
    const bool was_settled = e.code == ErrorCode::conflict ||
                             std::any_of(settled.begin(), settled.end(),
                                         [&](const auto& s) { return s.line.id == *line; });
    if (!was_settled) return Error::not_found("statement line");
    typed.errors.push_back({"settled", "payments.exceptions.resolved"});
    return render_exceptions(request, context, typed, 422);
  }
  for (const auto& f : e.fields) typed.errors.push_back({f.field + "-" + id, f.message_key});
  if (typed.errors.empty()) typed.errors.push_back({"action-" + id, e.message_key});
  return render_exceptions(request, context, typed, 422);
}

}  // namespace pratu::payments
