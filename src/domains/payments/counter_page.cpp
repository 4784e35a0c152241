#include "domains/payments/counter_page.hpp"

#include <boost/json.hpp>

#include <map>

#include "common/money.hpp"
#include "common/text.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"

namespace pratu::payments {

namespace json = boost::json;

namespace {

// Thailand's day (UTC+7, no daylight saving) that `now` falls in, as [start, end) in seconds.
std::pair<std::int64_t, std::int64_t> thai_day_of(std::int64_t now) {
  constexpr std::int64_t kDay = 86400, kOffset = 7 * 3600;
  std::int64_t local = now + kOffset;
  std::int64_t start = local - ((local % kDay) + kDay) % kDay - kOffset;
  return {start, start + kDay};
}

// What the form takes: a Ref. 1 of 18 digits or a bill's id, with room for spaces and dashes,
// or a scanned barcode (a biller ID, two references of up to 20 and an amount; each byte of it
// three when the keyboard was set to Thai).
constexpr std::size_t kMaxTyped = 240;
// A cashier's busiest day, listed whole.
constexpr int kTakingsShown = 1000;

}  // namespace

web::Routes CounterPage::routes() {
  web::Routes r;
  // The agency is the cashier's own: no resource is named, so no owner lookup.
  r.push_back(web::route("GET", "/agency/counter", web::Access::agency_cashier, web::Surface::page,
                         "agency_counter", web::bound(this, &CounterPage::page)));
  return r;
}

Result<web::Response> CounterPage::page(const web::Request& request, web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const web::Locale locale = context.locale;
  auto text = [&](std::string_view key) { return t.text(locale, key); };
  const web::Principal& who = *context.user;

  // A bill asked for: its page when the agency has it; the form again, saying so, when not.
  std::string typed, error;
  if (auto asked = request.query_param("bill")) {
    typed = asked->substr(0, std::min(asked->size(), kMaxTyped * 4));
    const CounterLookup lookup = read_counter_lookup(typed);
    if (lookup.kind == CounterLookup::Kind::empty) {
      error = text("payments.counter_desk.bill_required");
    } else if (asked->size() > kMaxTyped) {
      error = text("payments.counter_desk.bill_too_long");
    } else if (lookup.kind == CounterLookup::Kind::partial) {
      // A scanner's first Enter sent the form (the page's script was off): say what to do.
      error = text("payments.counter_desk.scan_incomplete");
    } else {
      PRATU_TRY(found, bills_.find_at_counter(who, lookup));
      if (found) return web::Response::redirect("/bills/" + *found);
      error = text("payments.counter_desk.bill_not_found");
    }
  }

  web::TextInputOptions bill_options;
  bill_options.width = "medium";
  bill_options.spellcheck = false;
  bill_options.inputmode = "numeric";
  json::array summary;
  if (!error.empty()) summary.push_back(json::object{{"field", "bill"}, {"message", error}});
  json::object model{
      {"title", text("payments.counter_desk.title")},
      {"errors", std::move(summary)},
      {"bill_input", web::text_input({"bill", text("payments.counter_desk.bill_label"),
                                      text("payments.counter_desk.bill_hint"), error},
                                     typed, bill_options)}};

  // The cashier's own takings today (Thailand's day), by method and in all: what the till holds.
  const auto [from, to] = thai_day_of(clock_.now_seconds());
  PRATU_TRY(takings, desk_.takings(who, from, to, kTakingsShown));
  json::array rows;
  std::map<std::string, std::pair<int, std::int64_t>> by_method;
  std::int64_t total = 0;
  int counted = 0;
  for (const CounterTaking& k : takings) {
    rows.push_back(json::object{
        {"time", web::format_date_time(locale, k.recorded_at)},
        {"iso", web::iso_date_time(k.recorded_at)},
        {"bill_url", "/bills/" + k.bill},
        {"ref1", k.ref1},
        {"receipt", k.receipt},
        {"cancelled", k.cancelled},
        {"method",
         text("payments.counter." +
              (k.method == "cheque" || k.method == "card" ? k.method : std::string("cash")))},
        {"reference", k.reference},
        {"amount", format_baht(k.amount_satang)}});
    // A cancelled receipt's money was handed back: the till does not hold it.
    if (k.cancelled) continue;
    auto& [count, satang] = by_method[k.method];
    ++count;
    satang += k.amount_satang;
    total += k.amount_satang;
    ++counted;
  }
  json::array methods;
  for (const std::string method : {"cash", "cheque", "card"}) {
    auto it = by_method.find(method);
    if (it == by_method.end()) continue;
    methods.push_back(json::object{{"method", text("payments.counter." + method)},
                                   {"key", method},
                                   {"count", it->second.first},
                                   {"amount", format_baht(it->second.second)}});
  }
  model["day"] = web::format_date(locale, from);
  model["takings"] = std::move(rows);
  model["any"] = !takings.empty();
  model["methods"] = std::move(methods);
  model["total_count"] = counted;
  model["total_amount"] = format_baht(total);
  return renderer_.page(request, context, "payments/counter", std::move(model),
                        error.empty() ? 200 : 422);
}

}  // namespace pratu::payments
