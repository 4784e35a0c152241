#include "domains/applications/application_handlers.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "common/civil_date.hpp"
#include "common/log.hpp"
#include "common/money.hpp"
#include "common/text.hpp"
#include "domains/applications/answer_input.hpp"
#include "domains/applications/answer_text.hpp"
#include "domains/applications/document_text.hpp"
#include "platform/billing.hpp"
#include "platform/issued_documents.hpp"
#include "web/access.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"
#include "web/file_response.hpp"
#include "web/form.hpp"
#include "web/problem.hpp"

namespace pratu::applications {

namespace json = boost::json;
using web::Locale;

namespace {

constexpr std::size_t kMaxPageBody = 256 * 1024;  // a page of answers, a group of 50 items
constexpr std::size_t kMaxRadios = 8;             // more choices than this: a drop-down
constexpr std::string_view kApplications = "/applications";

std::string app_url(const Application& a, std::string_view rest = {}) {
  return std::string(kApplications) + "/" + a.public_id + std::string(rest);
}

// The agency's pages: the work queue, and one application.
constexpr std::string_view kAgencyApplications = "/agency/applications";
constexpr int kQueuePage = 50;

std::string agency_url(std::string_view public_id, std::string_view rest = {}) {
  return std::string(kAgencyApplications) + "/" + std::string(public_id) + std::string(rest);
}

std::string page_url(const Application& a, std::string_view page, bool return_to_check = false) {
  return app_url(a, "/pages/" + std::string(page)) + (return_to_check ? "?return=check" : "");
}

std::string problem_message(const web::Translations& t, Locale locale, const AnswerProblem& p) {
  if (p.text) return p.text->in(locale);
  return fill(t.text(locale, p.key), p.args);
}

// A page made only of declarations is asked on the check-your-answers page, after the answers.
bool is_declaration_page(const Page& page) {
  return !page.fields.empty() &&
         std::all_of(page.fields.begin(), page.fields.end(),
                     [](const Field& f) { return f.type == FieldType::declaration; });
}

// The pages asked now that are pages of questions (not declarations), in order.
std::vector<const Page*> question_pages(const FormEvaluation& evaluation) {
  std::vector<const Page*> out;
  for (const Page* page : evaluation.asked_pages()) {
    if (!is_declaration_page(*page)) out.push_back(page);
  }
  return out;
}

// Where a draft carries on: its first page of questions with a problem, else the check page.
std::string carry_on_url(const Application& a, const FormEvaluation& evaluation,
                         bool return_to_check = false) {
  const Page* incomplete = evaluation.first_incomplete();
  if (incomplete != nullptr && !is_declaration_page(*incomplete)) {
    return page_url(a, incomplete->id, return_to_check);
  }
  return app_url(a, "/check");
}

// What pages show, and the language they show it in.
struct View {
  Locale locale;
  const web::Translations& t;
  const ThaiAddressBook* addresses;
  const std::map<std::string, std::string>& errors;     // input path -> its message
  const std::vector<WalletDocument>* wallet = nullptr;  // to attach from, on a page
  std::string documents_url = {};  // "/applications/{id}/documents/": where attached files open

  std::string text(std::string_view key) const { return t.text(locale, key); }
  std::string error(const std::string& path) const {
    auto it = errors.find(path);
    return it == errors.end() ? std::string() : it->second;
  }
};

const json::value* member(const json::object* object, std::string_view key) {
  return object == nullptr ? nullptr : object->if_contains(key);
}

std::string part_of(const TypedInput& shown, const std::string& name) {
  auto it = shown.parts.find(name);
  return it == shown.parts.end() ? std::string() : it->second;
}

json::object input_model(const Field& field, const std::string& path, const json::value* raw,
                         const View& v);

std::string size_text(const View& v, std::int64_t bytes) {
  return file_size_text(v.t, v.locale, bytes);
}

// Where the file attached at `path` opens, when it is one Pratu would show.
std::string document_url(const View& v, const std::string& path, const json::value* answer) {
  if (v.documents_url.empty() || answer == nullptr || !attached_file(*answer)) return {};
  return v.documents_url + web::percent_encode(path);
}

std::string kind_text(const View& v, std::string_view media_type) {
  return file_kind_text(v.t, v.locale, media_type);
}

// A document question: what is attached (with Remove), a file input, and the wallet to pick
// from. The page's form is then multipart; with script, static/js/pratu.js sends the file
// ahead by resumable upload and picks it from the wallet instead.
json::object document_model(const Field& field, const std::string& path, const json::value* raw,
                            const View& v) {
  json::object out{{"id", path},
                   {"label", field.label.in(v.locale)},
                   {"legend_hint", field.hint.in(v.locale)},
                   {"detach_value", "detach:" + path},
                   {"attach_value", "attach:" + path},
                   {"wallet_name", path + ".wallet"},
                   {"limits", fill(v.text("applications.document.limits"),
                                   {{"max", std::to_string(field.max_bytes / (1024 * 1024))}})}};
  const json::object* answer = raw != nullptr ? raw->if_object() : nullptr;
  std::string attached;
  if (answer != nullptr) {
    if (const auto* name = answer->if_contains("name"); name && name->is_string()) {
      out["file"] = name->get_string().empty()
                        ? json::string(v.text("applications.document.unnamed"))
                        : name->get_string();
    }
    const auto* bytes = answer->if_contains("bytes");
    const auto* media = answer->if_contains("media_type");
    if (bytes != nullptr && bytes->is_int64() && media != nullptr && media->is_string()) {
      out["file_about"] =
          size_text(v, bytes->get_int64()) + ", " + kind_text(v, media->get_string());
    }
    if (const auto* d = answer->if_contains("document"); d && d->is_string()) {
      attached = d->get_string();
    }
    if (auto url = document_url(v, path, raw); !url.empty()) out["view_url"] = url;
  }
  json::array wallet;
  if (v.wallet != nullptr) {
    for (const auto& d : *v.wallet) {
      if (d.public_id == attached) continue;
      wallet.push_back(json::object{
          {"value", d.public_id},
          {"text", (d.filename.empty() ? v.text("applications.document.unnamed") : d.filename) +
                       " (" + size_text(v, d.size_bytes) + ", " + kind_text(v, d.media_type) +
                       ", " + web::format_date(v.locale, d.created_at) + ")"}});
    }
  }
  out["has_wallet"] = !wallet.empty();
  out["wallet"] = std::move(wallet);
  if (auto e = v.error(path); !e.empty()) out["document_error"] = e;
  return out;
}

json::object address_model(const Field& field, const std::string& path, const json::value* raw,
                           const View& v) {
  const TypedInput shown = show_answer(field, raw, v.locale);
  const std::string province = part_of(shown, "province");
  const std::string district = part_of(shown, "district");
  const std::string subdistrict = part_of(shown, "subdistrict");
  json::array inputs;
  auto text = [&](const char* part, std::string_view width, std::string_view autocomplete) {
    web::TextInputOptions options;
    options.width = width;
    options.autocomplete = autocomplete;
    const std::string id = path + "." + part;
    inputs.push_back(json::object{
        {"text_input",
         web::text_input({id, v.text(std::string("applications.address.") + part), "", v.error(id)},
                         part_of(shown, part), options)}});
  };
  auto select = [&](const char* part, const std::vector<web::Choice>& choices,
                    const std::string& chosen, std::string_view placeholder) {
    const std::string id = path + "." + part;
    inputs.push_back(json::object{
        {"select",
         web::select({id, v.text(std::string("applications.address.") + part), "", v.error(id)},
                     choices, chosen, placeholder)}});
  };
  text("house_no", "short", "");
  text("moo", "short", "");
  text("village", "", "");
  text("soi", "", "");
  text("road", "", "");
  std::vector<web::Choice> provinces, districts, subdistricts;
  const bool english = v.locale == Locale::en;
  if (v.addresses != nullptr) {
    for (const auto& p : v.addresses->provinces()) {
      provinces.push_back({p.code, english ? p.en : p.th, ""});
    }
    for (const auto& d : v.addresses->districts(province)) {
      districts.push_back({d.code, english ? d.en : d.th, ""});
    }
    for (const auto& s : v.addresses->subdistricts(district)) {
      subdistricts.push_back({s.code, english ? s.en_or_th() : s.th, ""});
    }
  }
  select("province", std::move(provinces), province, v.text("applications.address.choose"));
  select("district", std::move(districts), district,
         v.text(province.empty() ? "applications.address.choose_province_first"
                                 : "applications.address.choose"));
  select("subdistrict", std::move(subdistricts), subdistrict,
         v.text(district.empty() ? "applications.address.choose_district_first"
                                 : "applications.address.choose"));
  text("postcode", "short", "postal-code");
  json::object model{{"id", path},
                     {"legend", field.label.in(v.locale)},
                     {"legend_hint", field.hint.in(v.locale)},
                     {"inputs", std::move(inputs)},
                     {"update_label", v.text("applications.address.update")},
                     {"update_hint", v.text("applications.address.update_hint")}};
  if (auto e = v.error(path); !e.empty()) model["address_error"] = e;
  return model;
}

json::object group_model(const Field& group, const std::string& path, const json::value* raw,
                         const View& v) {
  json::array items;
  const std::string item_name =
      group.item_label.empty() ? v.text("applications.group.item") : group.item_label.in(v.locale);
  if (raw != nullptr && raw->is_array()) {
    int n = 0;
    for (const auto& item : raw->get_array()) {
      if (!item.is_object()) continue;
      const auto* key = item.get_object().if_contains("_key");
      if (key == nullptr || !key->is_string()) continue;
      ++n;
      const std::string item_path = path + "." + std::string(key->get_string());
      json::array fields;
      for (const auto& f : group.fields) {
        fields.push_back(
            input_model(f, item_path + "." + f.id, member(&item.get_object(), f.id), v));
      }
      const std::string number = std::to_string(n);
      items.push_back(json::object{
          {"heading", item_name + " " + number},
          {"key", key->get_string()},
          {"fields", std::move(fields)},
          {"remove_value", "remove:" + path + ":" + std::string(key->get_string())},
          {"remove_label",
           fill(v.text("applications.group.remove"), {{"item", item_name}, {"n", number}})}});
    }
  }
  json::object model{{"id", path},
                     {"legend", group.label.in(v.locale)},
                     {"legend_hint", group.hint.in(v.locale)},
                     {"none", items.empty()},
                     {"none_text", fill(v.text("applications.group.none"), {{"item", item_name}})},
                     {"items", std::move(items)},
                     {"add_value", "add:" + path},
                     {"add_label", fill(v.text("applications.group.add"), {{"item", item_name}})}};
  if (auto e = v.error(path); !e.empty()) model["group_error"] = e;
  return model;
}

json::object input_model(const Field& field, const std::string& path, const json::value* raw,
                         const View& v) {
  const TypedInput shown = show_answer(field, raw, v.locale);
  const std::string value = shown.values.empty() ? std::string() : shown.values.front();
  // A locked answer (from the verified profile) is shown, and sent, but not editable: the
  // service keeps it whatever comes back.
  const bool locked = field.locked && !value.empty();
  std::string hint = field.hint.in(v.locale);
  if (locked) hint += (hint.empty() ? "" : " ") + v.text("applications.page.locked");
  web::Control control{path, field.label.in(v.locale), hint, v.error(path)};
  // Every kind named, the unused ones false: a template looking up a kind this field lacks
  // must not find an enclosing group's, and render that group inside itself.
  json::object out{{"path", path},        {"text_input", false}, {"textarea", false},
                   {"date_input", false}, {"radios", false},     {"checkboxes", false},
                   {"select", false},     {"address", false},    {"group", false},
                   {"document", false}};
  auto text_input = [&](std::string_view type, std::string_view inputmode, std::string_view width,
                        std::string_view autocomplete, bool spellcheck) {
    web::TextInputOptions options;
    options.type = type;
    options.inputmode = inputmode;
    options.width = width;
    options.autocomplete = autocomplete;
    options.spellcheck = spellcheck;
    options.readonly = locked;
    out["text_input"] = web::text_input(control, value, options);
  };
  auto autocomplete_of = [&]() -> std::string_view {
    if (!field.prefill) return {};
    switch (*field.prefill) {
      case ProfileField::title: return "honorific-prefix";
      case ProfileField::given_name: return "given-name";
      case ProfileField::family_name: return "family-name";
      case ProfileField::email: return "email";
      case ProfileField::mobile: return "tel-national";
      case ProfileField::national_id: return "off";
    }
    return {};
  };
  switch (field.type) {
    case FieldType::text: text_input("text", "", "", autocomplete_of(), true); break;
    case FieldType::long_text: out["textarea"] = web::textarea(control, value, 5); break;
    case FieldType::integer: text_input("text", "numeric", "short", "", false); break;
    case FieldType::money: text_input("text", "decimal", "medium", "", false); break;
    case FieldType::citizen_id:
    case FieldType::juristic_id: text_input("text", "numeric", "medium", "off", false); break;
    case FieldType::phone: text_input("tel", "tel", "medium", autocomplete_of(), false); break;
    case FieldType::email: text_input("email", "email", "", "email", false); break;
    case FieldType::date:
      out["date_input"] = web::date_input(
          control,
          web::DateParts{part_of(shown, "day"), part_of(shown, "month"), part_of(shown, "year")},
          web::DateLabels{v.text("applications.date.day"), v.text("applications.date.month"),
                          v.text("applications.date.year")});
      break;
    case FieldType::choice:
    case FieldType::choices: {
      std::vector<web::Choice> choices;
      for (const auto& c : field.choices) choices.push_back({c.code, c.label.in(v.locale), ""});
      if (field.type == FieldType::choices) {
        out["checkboxes"] = web::checkboxes(control, choices, shown.values);
      } else if (choices.size() > kMaxRadios) {
        out["select"] = web::select(control, choices, value, v.text("applications.address.choose"));
      } else {
        out["radios"] = web::radios(control, choices, value, choices.size() == 2);
      }
      break;
    }
    case FieldType::declaration:
      out["checkboxes"] = web::checkboxes(
          control, {{"yes", v.text("applications.page.declaration_agree"), ""}}, shown.values);
      break;
    case FieldType::address: out["address"] = address_model(field, path, raw, v); break;
    case FieldType::group: out["group"] = group_model(field, path, raw, v); break;
    case FieldType::document: out["document"] = document_model(field, path, raw, v); break;
  }
  return out;
}

// What the page's form sent for `field` at `path`.
TypedInput typed_input(const web::Form& form, const Field& field, const std::string& path) {
  TypedInput typed;
  switch (field.type) {
    case FieldType::date:
      for (const char* part : {"day", "month", "year"}) {
        typed.parts[part] = form.raw(path + "-" + part);
      }
      break;
    case FieldType::address:
      for (const char* part : kAddressParts) typed.parts[part] = form.raw(path + "." + part);
      break;
    case FieldType::choices:
    case FieldType::declaration: typed.values = form.values(path); break;
    default:
      if (form.has(path)) typed.values.push_back(form.raw(path));
      break;
  }
  return typed;
}

// An address as typed, its lower parts cleared where they no longer belong to the part above
// (a new province empties the district, subdistrict and postcode), and the postcode filled in
// from the subdistrict when it has only one.
void settle_address(json::value& answer, const ThaiAddressBook* addresses) {
  if (!answer.is_object()) return;
  auto& a = answer.get_object();
  auto code = [&](const char* part) {
    const auto* value = a.if_contains(part);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
  };
  const std::string province = code("province"), district = code("district"),
                    subdistrict = code("subdistrict");
  if (!district.empty() && !district.starts_with(province)) {
    a.erase("district");
    a.erase("subdistrict");
    a.erase("postcode");
    return;
  }
  if (!subdistrict.empty() && (district.empty() || !subdistrict.starts_with(district))) {
    a.erase("subdistrict");
    a.erase("postcode");
    return;
  }
  if (addresses != nullptr && !subdistrict.empty() && code("postcode").empty()) {
    if (const auto* place = addresses->subdistrict(subdistrict)) {
      a["postcode"] = place->subdistrict->postcode;
    }
  }
}

json::value decode_field(const web::Form& form, const Field& field, const std::string& path,
                         Locale locale, const ThaiAddressBook* addresses) {
  json::value answer = decode_input(field, typed_input(form, field, path), locale);
  if (field.type == FieldType::address) settle_address(answer, addresses);
  return answer;
}

}  // namespace

namespace {

// An answer as a person reads it (answer_text.hpp), in the page's language.
std::string answer_text(const Field& field, const json::value* value, const View& v) {
  return answer_text(field, value, v.t, v.locale, v.addresses);
}

// The rows of a page's answers (only the questions asked), with Change links when `change`.
std::vector<web::SummaryRow> answer_rows(const Application& a, const Page& page,
                                         const FormEvaluation& evaluation,
                                         const json::object& answers, const View& v, bool change,
                                         bool pruned) {
  std::vector<web::SummaryRow> rows;
  auto row =
      [&](std::string key, std::string value, const std::string& anchor, std::string href = {}) {
    web::SummaryRow r{std::move(key), std::move(value), "", "", ""};
    r.value_href = std::move(href);
    if (change) {
      r.change_href = page_url(a, page.id, true) + "#" + anchor;
      r.change_label = v.text("applications.check.change");
      r.change_what = r.key;
    }
    rows.push_back(std::move(r));
  };
  for (const auto& field : page.fields) {
    if (field.type == FieldType::declaration) continue;
    if (!pruned && !evaluation.asked(field)) continue;
    const json::value* value =
        pruned ? answers.if_contains(field.id) : evaluation.effective(field.id);
    if (pruned && value == nullptr) continue;
    row(field.label.in(v.locale), answer_text(field, value, v), field.id,
        field.type == FieldType::document ? document_url(v, field.id, value) : "");
    if (field.type != FieldType::group || value == nullptr || !value->is_array()) continue;
    const std::string item_name = field.item_label.empty() ? v.text("applications.group.item")
                                                           : field.item_label.in(v.locale);
    int n = 0;
    for (const auto& item : value->get_array()) {
      if (!item.is_object()) continue;
      ++n;
      const auto* key = item.get_object().if_contains("_key");
      for (const auto& f : field.fields) {
        const auto* answer = item.get_object().if_contains(f.id);
        if (answer == nullptr) continue;
        std::string href;
        if (f.type == FieldType::document && key != nullptr && key->is_string()) {
          href =
              document_url(v, field.id + "." + std::string(key->get_string()) + "." + f.id, answer);
        }
        row(item_name + " " + std::to_string(n) + ": " + f.label.in(v.locale),
            answer_text(f, answer, v), field.id, std::move(href));
      }
    }
  }
  return rows;
}

std::map<std::string, std::string> error_map(const web::Translations& t, Locale locale,
                                             const std::vector<AnswerProblem>& problems,
                                             json::array& summary) {
  std::map<std::string, std::string> out;
  for (const auto& p : problems) {
    auto message = problem_message(t, locale, p);
    summary.push_back(json::object{{"field", p.field}, {"message", message}});
    out.try_emplace(p.field, std::move(message));
  }
  return out;
}

bool is_item_key(std::string_view key) {
  return !key.empty() && key.size() <= 16 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

}  // namespace

ApplicationHandlers::ApplicationHandlers(ApplicationService& service, UploadService& uploads,
                                         WorkflowService& workflows, MessageService& messages,
                                         const web::Renderer& renderer,
                                         const platform::ServiceDirectory& services, Random& random)
    : service_(service),
      uploads_(uploads),
      workflows_(workflows),
      messages_(messages),
      renderer_(renderer),
      services_(services),
      random_(random) {}

std::pair<std::string, bool> ApplicationHandlers::status_of(const Application& a, Locale locale) {
  if (a.status != Status::draft) {
    if (auto workflow = workflows_.workflow_of(a)) {
      if (const WorkflowState* state = (*workflow)->state(a.state)) {
        return {state->label.in(locale), state->terminal};
      }
    }
  }
  return {renderer_.translations().text(locale,
                                        "applications.status." + std::string(status_key(a.status))),
          false};
}

Result<std::optional<json::value>> ApplicationHandlers::attachment(
    std::int64_t user, const web::Form& body, const std::string& path, const std::string& action,
    const json::value* current, std::vector<AnswerProblem>& problems) {
  using Kept = std::optional<json::value>;
  if (action == "detach:" + path) return Kept(json::value(nullptr));
  if (const auto* file = body.file(path)) {
    auto stored = uploads_.store(user, file->filename, file->bytes);
    if (stored) return Kept(document_answer(*stored, "upload"));
    const auto code = stored.error().code;
    if (code != ErrorCode::invalid_input && code != ErrorCode::too_large) return stored.error();
    problems.push_back({path, stored.error().message_key, {}, std::nullopt});
    return Kept();
  }
  const std::string picked = body.value(path + ".wallet");
  if (picked.empty()) return Kept();
  const json::object* held = current != nullptr ? current->if_object() : nullptr;
  if (const auto* d = held != nullptr ? held->if_contains("document") : nullptr;
      d != nullptr && *d == json::value(picked)) {
    return Kept();  // the one attached already
  }
  auto document = uploads_.document(user, picked);
  if (document) return Kept(document_answer(*document, "wallet"));
  if (document.error().code != ErrorCode::not_found) return document.error();
  problems.push_back({path, document.error().message_key, {}, std::nullopt});
  return Kept();
}

Result<web::Response> ApplicationHandlers::refusal(const web::Request& request,
                                                   web::RequestContext& context,
                                                   const Error& error) {
  int status = 0;
  switch (error.code) {
    case ErrorCode::not_found: status = 404; break;
    case ErrorCode::conflict: status = 409; break;
    default: return error;
  }
  const auto& t = renderer_.translations();
  json::object model{{"title", t.text(context.locale, error.message_key + "_title")},
                     {"message", t.text(context.locale, error.message_key)},
                     {"list_url", std::string(kApplications)}};
  return renderer_.page(request, context, "applications/refused", std::move(model), status);
}

Result<web::Response> ApplicationHandlers::before_start(const web::Request& request,
                                                        web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const auto slug = request.path_param("slug");
  const Form* form = service_.form(slug);
  const auto* info = services_.service(slug);
  if (form == nullptr || info == nullptr) {
    return refusal(request, context, service_closed(ErrorCode::not_found));
  }
  json::array documents;
  for (const auto& d : info->documents) {
    documents.emplace_back(locale == Locale::en ? d.name_en : d.name_th);
  }
  json::array pages;
  for (const auto& page : form->pages) {
    if (!is_declaration_page(page)) pages.emplace_back(page.title.in(locale));
  }
  json::object model{{"title", form->title.in(locale)},
                     {"service", locale == Locale::en ? info->name_en : info->name_th},
                     {"service_url", "/services/" + std::string(slug)},
                     {"action", "/services/" + std::string(slug) + "/apply"},
                     {"pages", std::move(pages)},
                     {"has_documents", !documents.empty()},
                     {"documents", std::move(documents)}};
  if (info->time_limit_working_days > 0) {
    model["time_limit"] = fill(t.text(locale, "applications.start.time_limit"),
                               {{"days", std::to_string(info->time_limit_working_days)}});
  }
  return renderer_.page(request, context, "applications/start", std::move(model));
}

Result<web::Response> ApplicationHandlers::start(const web::Request& request,
                                                 web::RequestContext& context) {
  auto started = service_.start(context.user->user_id, request.path_param("slug"));
  if (!started) return refusal(request, context, started.error());
  const Form* form = service_.form(started->service);
  if (form == nullptr) return refusal(request, context, service_closed(ErrorCode::not_found));
  return web::Response::redirect(
      carry_on_url(*started, service_.evaluate(*form, started->answers)));
}

Result<web::Response> ApplicationHandlers::applicant_view(const web::Request& request,
                                                          web::RequestContext& context,
                                                          const Application& a, json::object extra,
                                                          int status) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  // Waiting for the applicant: what the agency asked, where to change it, and the step that
  // sends it back.
  PRATU_TRY(asked, workflows_.open_request(a));
  if (asked) {
    json::object box;
    if (!asked->reason.empty()) box["reason"] = asked->reason;
    json::array items;
    const Form* form = service_.form(a.service);
    for (const auto& id : asked->items) {
      const Field* field = form != nullptr ? form->field(id).second : nullptr;
      items.push_back(json::value(field != nullptr ? field->label.in(locale) : id));
    }
    if (!items.empty()) box["amend_url"] = app_url(a, "/amend");
    box["items"] = std::move(items);
    extra["asked"] = std::move(box);
  }
  PRATU_TRY(workflow, workflows_.workflow_of(a));
  json::array steps;
  for (const Transition* step : workflows_.steps_for(*context.user, a, *workflow)) {
    steps.push_back(json::object{{"id", step->id},
                                 {"label", step->label.in(locale)},
                                 {"action", app_url(a, "/steps")},
                                 {"revision", a.revision}});
  }
  extra["steps"] = std::move(steps);
  if (request.query_param("sent").value_or("") == "1") {
    extra["banner"] = web::notification_banner(web::BannerKind::success,
                                               t.text(locale, "applications.show.sent_title"),
                                               status_of(a, locale).first);
  }
  auto response = render_submitted(request, context, a, "applications/show", {}, extra);
  response.status = status;
  return response;
}

Result<web::Response> ApplicationHandlers::resume(const web::Request& request,
                                                  web::RequestContext& context) {
  auto found = service_.find(context.user->user_id, request.path_param("id"));
  if (!found) return refusal(request, context, found.error());
  if (found->status != Status::draft) {
    return applicant_view(request, context, *found, {}, 200);
  }
  const Form* form = service_.form(found->service);
  if (form == nullptr) {
    return refusal(request, context, service_closed());
  }
  return web::Response::redirect(carry_on_url(*found, service_.evaluate(*form, found->answers)));
}

web::Response ApplicationHandlers::render_page(const web::Request& request,
                                               web::RequestContext& context, const Application& a,
                                               const Form& form, const Page& page,
                                               const std::vector<AnswerProblem>& problems,
                                               int status) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  json::array summary;
  const auto errors = error_map(t, locale, problems, summary);
  const bool asks_documents =
      std::any_of(page.fields.begin(), page.fields.end(), [](const Field& f) {
        return f.type == FieldType::document ||
               std::any_of(f.fields.begin(), f.fields.end(),
                           [](const Field& g) { return g.type == FieldType::document; });
      });
  std::vector<WalletDocument> wallet;
  if (asks_documents) {
    // Without the wallet the page still works: only picking an earlier file is missing.
    if (auto held = uploads_.wallet(a.user_id)) {
      wallet = std::move(*held);
    } else {
      log::warn("wallet unreadable", request.request_id, {{"error", held.error().detail}});
    }
  }
  View v{locale, t, service_.addresses(), errors};
  v.wallet = &wallet;
  v.documents_url = app_url(a, "/documents/");
  FormEvaluation evaluation = service_.evaluate(form, a.answers);
  json::array fields;
  for (const auto& field : page.fields) {
    if (!evaluation.asked(field)) continue;
    fields.push_back(input_model(field, field.id, a.answers.if_contains(field.id), v));
  }
  const auto pages = question_pages(evaluation);
  const auto at = std::find(pages.begin(), pages.end(), &page);
  const bool return_to_check = request.query_param("return").value_or("") == "check";
  std::string back = std::string(kApplications);
  if (return_to_check) {
    back = app_url(a, "/check");
  } else if (at != pages.end() && at != pages.begin()) {
    back = page_url(a, (*std::prev(at))->id);
  }
  json::object model{
      {"title", page.title.in(locale) + " – " + form.title.in(locale)},
      {"heading", page.title.in(locale)},
      {"intro", page.intro.in(locale)},
      {"service", form.title.in(locale)},
      {"errors", std::move(summary)},
      {"fields", std::move(fields)},
      {"multipart", asks_documents},
      {"uploads_url", "/api/v1/uploads"},
      {"upload_chunk_bytes",
       static_cast<std::int64_t>(service_.settings().upload_chunk_mib) * 1024 * 1024},
      {"action", page_url(a, page.id, return_to_check)},
      {"back_url", back},
      {"step",
       fill(t.text(locale, "applications.page.step"),
            {{"n", std::to_string(at == pages.end() ? pages.size() : (at - pages.begin()) + 1)},
             {"count", std::to_string(pages.size())}})},
      {"saved", fill(t.text(locale, "applications.page.saved_at"),
                     {{"time", web::format_date_time(locale, a.updated_at)}})}};
  return renderer_.page(request, context, "applications/page", std::move(model), status);
}

Result<web::Response> ApplicationHandlers::page(const web::Request& request,
                                                web::RequestContext& context) {
  auto found = service_.find(context.user->user_id, request.path_param("id"));
  if (!found) return refusal(request, context, found.error());
  if (found->status != Status::draft) return web::Response::redirect(app_url(*found));
  const Form* form = service_.form(found->service);
  if (form == nullptr) {
    return refusal(request, context, service_closed());
  }
  const Page* page = form->page(request.path_param("page"));
  FormEvaluation evaluation = service_.evaluate(*form, found->answers);
  if (page == nullptr || is_declaration_page(*page) || !evaluation.asked(*page)) {
    // Not a page of this form, or not one asked with the answers given: where to carry on.
    return web::Response::redirect(carry_on_url(*found, evaluation));
  }
  return render_page(request, context, *found, *form, *page, {}, 200);
}

Result<json::object> ApplicationHandlers::posted_answers(std::int64_t user, const web::Form& body,
                                                         const std::vector<const Field*>& fields,
                                                         const Application& found, Locale locale,
                                                         std::vector<AnswerProblem>& refused) {
  // The answers of the fields the page showed; a field it did not show keeps its answer.
  const auto shown = body.values("_shown");
  const std::string action = body.value("action");
  json::object changes;
  for (const Field* each : fields) {
    const Field& field = *each;
    if (std::find(shown.begin(), shown.end(), field.id) == shown.end()) continue;
    if (field.type == FieldType::document) {
      PRATU_TRY(attached, attachment(user, body, field.id, action,
                                     found.answers.if_contains(field.id), refused));
      if (attached) changes[field.id] = std::move(*attached);
      continue;
    }
    if (field.type != FieldType::group) {
      changes[field.id] = decode_field(body, field, field.id, locale, service_.addresses());
      continue;
    }
    json::array items;
    for (const auto& key : body.values(field.id + "._items")) {
      if (!is_item_key(key) || action == "remove:" + field.id + ":" + key) continue;
      json::object item{{"_key", key}};
      const json::object* kept = nullptr;
      if (const auto* before = found.answers.if_contains(field.id); before && before->is_array()) {
        for (const auto& old : before->get_array()) {
          if (old.is_object() && old.get_object().if_contains("_key") &&
              old.get_object().at("_key") == json::value(key)) {
            kept = &old.get_object();
          }
        }
      }
      for (const auto& f : field.fields) {
        const std::string path = field.id + "." + key + "." + f.id;
        if (f.type == FieldType::document) {
          PRATU_TRY(attached, attachment(user, body, path, action, member(kept, f.id), refused));
          if (!attached) {
            if (const auto* d = member(kept, f.id)) item[f.id] = *d;
          } else if (!attached->is_null()) {
            item[f.id] = std::move(*attached);
          }
          continue;
        }
        auto answer = decode_field(body, f, path, locale, service_.addresses());
        if (!answer.is_null()) item[f.id] = std::move(answer);
      }
      items.push_back(std::move(item));
    }
    const auto max_items = field.max_items > 0 ? field.max_items : 50;
    if (action == "add:" + field.id && static_cast<std::int64_t>(items.size()) < max_items) {
      items.push_back(json::object{{"_key", random_.token(4)}});
    }
    changes[field.id] = std::move(items);
  }
  return changes;
}

Result<web::Response> ApplicationHandlers::save_page(const web::Request& request,
                                                     web::RequestContext& context) {
  const auto user = context.user->user_id;
  auto form_body = web::Form::parse(request);
  if (!form_body) return renderer_.error_page(request, context, 400);
  auto found = service_.find(user, request.path_param("id"));
  if (!found) return refusal(request, context, found.error());
  if (found->status != Status::draft) {
    return refusal(request, context,
                   Error{ErrorCode::conflict, "applications.errors.already_submitted", "", {}, 0});
  }
  const Form* form = service_.form(found->service);
  if (form == nullptr) {
    return refusal(request, context, service_closed());
  }
  const Page* page = form->page(request.path_param("page"));
  if (page == nullptr || is_declaration_page(*page))
    return renderer_.error_page(request, context, 404);

  const std::string action = form_body->value("action");
  std::vector<const Field*> fields;
  for (const auto& field : page->fields) fields.push_back(&field);
  std::vector<AnswerProblem> refused;  // files refused for their content
  PRATU_TRY(changes, posted_answers(user, *form_body, fields, *found, context.locale, refused));
  auto saved = service_.save(user, *found, changes);
  if (!saved) return refusal(request, context, saved.error());

  const bool return_to_check = request.query_param("return").value_or("") == "check";
  if (!refused.empty()) {
    // What was typed is saved; the file is not, and the page says why.
    return render_page(request, context, *saved, *form, *page, refused, 422);
  }
  if (action == "autosave") {
    // Saved as the person types (static/js/pratu.js): say when, nothing else.
    const auto& t = renderer_.translations();
    json::object out{
        {"saved", fill(t.text(context.locale, "applications.page.saved_at"),
                       {{"time", web::format_date_time(context.locale, saved->updated_at)}})},
        {"revision", saved->revision}};
    return web::Response::json(json::serialize(out));
  }
  if (action == "save_and_exit") {
    return web::Response::redirect(std::string(kApplications) + "?saved=" + saved->public_id);
  }
  if (!action.empty() && action != "continue") {
    // Updating a list, adding or removing an item: the same page again, where it was.
    std::string anchor;
    if (auto colon = action.find(':'); colon != std::string::npos) {
      anchor = action.substr(colon + 1);
      anchor = anchor.substr(0, anchor.find(':'));
    }
    return web::Response::redirect(page_url(*saved, page->id, return_to_check) +
                                   (anchor.empty() ? "" : "#" + anchor));
  }
  FormEvaluation evaluation = service_.evaluate(*form, saved->answers);
  auto problems = evaluation.problems(*page);
  if (!problems.empty()) {
    return render_page(request, context, *saved, *form, *page, problems, 422);
  }
  if (return_to_check) return web::Response::redirect(carry_on_url(*saved, evaluation, true));
  const auto pages = question_pages(evaluation);
  auto at = std::find(pages.begin(), pages.end(), page);
  if (at != pages.end() && std::next(at) != pages.end()) {
    return web::Response::redirect(page_url(*saved, (*std::next(at))->id));
  }
  return web::Response::redirect(carry_on_url(*saved, evaluation));
}

web::Response ApplicationHandlers::render_check(const web::Request& request,
                                                web::RequestContext& context, const Application& a,
                                                const Form& form,
                                                const std::vector<AnswerProblem>& problems,
                                                int status, const std::string& notice) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  json::array summary;
  const auto errors = error_map(t, locale, problems, summary);
  View v{locale, t, service_.addresses(), errors};
  v.documents_url = app_url(a, "/documents/");
  FormEvaluation evaluation = service_.evaluate(form, a.answers);
  json::array sections, declarations;
  for (const Page* page : evaluation.asked_pages()) {
    if (is_declaration_page(*page)) {
      for (const auto& field : page->fields) {
        if (evaluation.asked(field)) {
          declarations.push_back(input_model(field, field.id, a.answers.if_contains(field.id), v));
        }
      }
      continue;
    }
    auto rows = answer_rows(a, *page, evaluation, a.answers, v, true, false);
    if (rows.empty()) continue;
    sections.push_back(
        json::object{{"heading", page->title.in(locale)}, {"list", web::summary_list(rows)}});
  }
  json::object model{{"title", t.text(locale, "applications.check.title")},
                     {"service", form.title.in(locale)},
                     {"errors", std::move(summary)},
                     {"sections", std::move(sections)},
                     {"declarations", std::move(declarations)},
                     {"action", app_url(a, "/submit")},
                     {"submission_key", random_.token(16)}};
  if (!notice.empty()) model["notice"] = notice;
  return renderer_.page(request, context, "applications/check", std::move(model), status);
}

Result<web::Response> ApplicationHandlers::check(const web::Request& request,
                                                 web::RequestContext& context) {
  auto found = service_.find(context.user->user_id, request.path_param("id"));
  if (!found) return refusal(request, context, found.error());
  if (found->status != Status::draft) return web::Response::redirect(app_url(*found));
  const Form* form = service_.form(found->service);
  if (form == nullptr) {
    return refusal(request, context, service_closed());
  }
  FormEvaluation evaluation = service_.evaluate(*form, found->answers);
  const Page* incomplete = evaluation.first_incomplete();
  if (incomplete != nullptr && !is_declaration_page(*incomplete)) {
    // Only a complete set of answers is checked (forms.md §4.2): the first gap first.
    return web::Response::redirect(page_url(*found, incomplete->id, true));
  }
  return render_check(request, context, *found, *form, {}, 200);
}

Result<web::Response> ApplicationHandlers::submit(const web::Request& request,
                                                  web::RequestContext& context) {
  const auto user = context.user->user_id;
  auto body = web::Form::parse(request);
  if (!body) return renderer_.error_page(request, context, 400);
  const std::string key = body->value("submission_key");
  if (key.empty() || key.size() > 64) return renderer_.error_page(request, context, 400);
  auto found = service_.find(user, request.path_param("id"));
  if (!found) return refusal(request, context, found.error());
  json::object changes;
  if (found->status == Status::draft) {
    const Form* form = service_.form(found->service);
    if (form == nullptr) {
      return refusal(request, context, service_closed());
    }
    // The declarations ticked on the check page are answers like any other, saved with the
    // submission in one transaction.
    const auto shown = body->values("_shown");
    for (const auto& page : form->pages) {
      if (!is_declaration_page(page)) continue;
      for (const auto& field : page.fields) {
        if (std::find(shown.begin(), shown.end(), field.id) == shown.end()) continue;
        changes[field.id] =
            decode_field(*body, field, field.id, context.locale, service_.addresses());
      }
    }
  }
  auto submitted = service_.submit(user, found->public_id, key, changes);
  if (!submitted || !submitted->incomplete.empty()) {
    if (!submitted && submitted.error().code != ErrorCode::invalid_input) {
      return refusal(request, context, submitted.error());
    }
    if (submitted) found = std::move(submitted->application);
    const Form* form = service_.form(found->service);
    FormEvaluation evaluation = service_.evaluate(*form, found->answers);
    const Page* incomplete = evaluation.first_incomplete();
    if (incomplete != nullptr && !is_declaration_page(*incomplete)) {
      return render_page(request, context, *found, *form, *incomplete,
                         evaluation.problems(*incomplete), 422);
    }
    return render_check(
        request, context, *found, *form,
        incomplete != nullptr ? evaluation.problems(*incomplete) : std::vector<AnswerProblem>{},
        422);
  }
  std::string to = app_url(submitted->application, "/confirmation");
  if (!submitted->now && !submitted->same_key) to += "?again=1";
  return web::Response::redirect(to);
}

web::Response ApplicationHandlers::render_submitted(
    const web::Request& request, web::RequestContext& context, const Application& a,
    std::string_view template_name, const std::string& notice, const json::object& extra) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const std::map<std::string, std::string> no_errors;
  View v{locale, t, service_.addresses(), no_errors};
  v.documents_url = template_name == "applications/agency_show"
                        ? agency_url(a.public_id, "/documents/")
                        : app_url(a, "/documents/");
  const auto* info = services_.service(a.service);
  const std::string service_name =
      info == nullptr ? a.service : (locale == Locale::en ? info->name_en : info->name_th);
  json::object model{
      {"title", fill(t.text(locale, "applications.show.title"), {{"reference", a.reference}})},
      {"service", service_name},
      {"reference", a.reference},
      {"status", status_of(a, locale).first},
      {"submitted_on", web::format_date_time(locale, a.submitted_at)},
      {"receipt_url", app_url(a, "/receipt")},
      {"application_url", app_url(a)},
      {"list_url", std::string(kApplications)}};
  if (!a.due_date.empty()) {
    model["due_date"] = date_text(locale, a.due_date);
    model["due_date_provisional"] = a.due_date_provisional;
    if (info != nullptr) {
      model["due_text"] = fill(
          t.text(locale, info->time_limit_working_days == 1 ? "applications.confirmation.due_one"
                                                            : "applications.confirmation.due"),
          {{"date", date_text(locale, a.due_date)},
           {"days", std::to_string(info->time_limit_working_days)}});
    }
  }
  if (!notice.empty()) model["notice"] = notice;
  for (const auto& [k, value] : extra) model[k] = value;
  // The bill it waits on, or was paid with: the applicant pays it, the agency sees it.
  auto* billing = issued_in_ != nullptr ? issued_in_->find<platform::Billing>() : nullptr;
  if (billing != nullptr && a.status != Status::draft &&
      (template_name == "applications/show" || template_name == "applications/agency_show")) {
    if (auto found = billing->bills_of(a.public_id); found && !found->empty()) {
      const auto& b = found->front();
      json::object shown{
          {"url", "/bills/" + b.id},
          {"status", b.status},
          {"awaiting", b.status == "awaiting"},
          {"status_text", t.text(locale, "payments.status." + b.status)},
          {"text",
           fill(t.text(locale, template_name == "applications/show" ? "payments.bill.your_bill"
                                                                    : "payments.bill.agency_bill"),
                {{"total", format_baht(b.total_satang)}, {"due", date_text(locale, b.due_date)}})}};
      model["bill"] = std::move(shown);
    }
  }
  // The document the application ended with: the applicant opens it, the agency manages it.
  auto* issued = issued_in_ != nullptr ? issued_in_->find<platform::IssuedDocuments>() : nullptr;
  if (issued != nullptr &&
      (template_name == "applications/show" || template_name == "applications/agency_show")) {
    if (auto found = issued->of_application(a.id); found && *found) {
      const auto& d = **found;
      const bool agency = template_name == "applications/agency_show";
      json::object shown{
          {"number", d.number},
          {"title", locale == Locale::en && !d.title_en.empty() ? d.title_en : d.title_th},
          {"state", d.status},
          {"state_text", t.text(locale, "documents.state." + d.status)},
          {"ready", !d.download_url.empty()},
          {"open_url", agency ? "/agency/documents/" + d.number : d.download_url},
          {"open_label",
           t.text(locale, agency ? "applications.issued.manage" : "applications.issued.download")},
          {"verify_url", d.verify_url}};
      if (!agency) shown["delivery_url"] = d.delivery_url;
      if (!agency && !d.valid_until.empty() && (d.status == "valid" || d.status == "expired")) {
        shown["renew_action"] = app_url(a, "/renew");
      }
      if (!d.valid_until.empty()) shown["valid_until"] = date_text(locale, d.valid_until);
      model["issued"] = std::move(shown);
    }
  }
  if (template_name == "applications/show" || template_name == "applications/agency_show") {
    json::array sections;
    if (const Form* form = service_.form(a.service)) {
      FormEvaluation evaluation = service_.evaluate(*form, a.answers);
      for (const auto& page : form->pages) {
        auto rows = answer_rows(a, page, evaluation, a.answers, v, false, true);
        if (rows.empty()) continue;
        sections.push_back(
            json::object{{"heading", page.title.in(locale)}, {"list", web::summary_list(rows)}});
      }
    }
    model["sections"] = std::move(sections);
    json::array timeline;
    auto workflow = workflows_.workflow_of(a);
    const Workflow* w = workflow ? workflow->get() : nullptr;
    std::vector<StaffMember> staff;
    if (template_name == "applications/agency_show") {
      if (auto people = workflows_.staff(*context.user)) staff = std::move(*people);
    }
    if (auto events = service_.timeline(a)) {
      for (const auto& e : *events) {
        const bool agency_view = template_name == "applications/agency_show";
        if ((e.kind == "assigned" || e.kind == "escalated") && !agency_view) {
          continue;  // the agency's own
        }
        json::object entry{{"when", web::format_date_time(locale, e.at)}};
        if (e.kind == "transition") {
          // A step of the workflow: what it was, who acted (the agency, never which
          // officer), why, and what the applicant was asked to change.
          const Transition* step = w != nullptr ? w->transition(e.transition) : nullptr;
          const WorkflowState* to = w != nullptr ? w->state(e.to_state) : nullptr;
          entry["what"] = to != nullptr ? to->label.in(locale) : e.to_state;
          if (step != nullptr) entry["step"] = step->label.in(locale);
        } else if (e.kind == "assigned") {
          const auto* to = e.detail.if_contains("to");
          const std::int64_t id = to != nullptr && to->is_int64() ? to->get_int64() : 0;
          std::string name;
          for (const auto& m : staff) {
            if (m.user_id == id) name = m.name;
          }
          entry["what"] =
              id == 0 ? t.text(locale, "applications.timeline.unassigned")
                      : fill(t.text(locale, "applications.timeline.assigned"), {{"name", name}});
        } else {
          entry["what"] = t.text(locale, "applications.timeline." + e.kind);
        }
        if (!e.actor_role.empty()) {
          entry["by"] =
              t.text(locale, e.actor_role == "applicant" ? "applications.timeline.by_you"
                                                         : "applications.timeline.by_agency");
        }
        if (!e.reason.empty()) entry["reason"] = e.reason;
        if (const auto* moved = e.detail.if_contains("due_date"); moved && moved->is_string()) {
          const auto* waited = e.detail.if_contains("waited_working_days");
          entry["due_moved"] = fill(t.text(locale, "applications.timeline.due_moved"),
                                    {{"date", date_text(locale, moved->get_string())},
                                     {"days", waited != nullptr && waited->is_int64()
                                                  ? std::to_string(waited->get_int64())
                                                  : std::string("0")}});
        }
        if (const auto* items = e.detail.if_contains("items");
            items != nullptr && items->is_array()) {
          json::array asked;
          const Form* form = service_.form(a.service);
          for (const auto& item : items->get_array()) {
            if (!item.is_string()) continue;
            const Field* field = form != nullptr ? form->field(item.get_string()).second : nullptr;
            asked.push_back(field != nullptr ? json::value(field->label.in(locale))
                                             : json::value(item.get_string()));
          }
          if (!asked.empty()) {
            entry["items"] = std::move(asked);
            entry["items_label"] =
                t.text(locale, e.kind == "amended" ? "applications.timeline.changed"
                                                   : "applications.timeline.asked");
          }
        }
        timeline.push_back(std::move(entry));
      }
    }
    if (w != nullptr) {
      if (const WorkflowState* now = w->state(a.state); now != nullptr) {
        if (!now->next.empty()) model["next"] = now->next.in(locale);
        // Waiting for the applicant: the time limit stands still until they answer.
        if (!now->terminal && now->clock == LegalClock::paused && !a.due_date.empty()) {
          model["clock_paused"] = t.text(locale, "applications.show.clock_paused");
        }
      }
    }
    model["timeline"] = std::move(timeline);
    model["messages"] =
        messages_model(context, a, template_name == "applications/agency_show", staff, model);
  }
  return renderer_.page(request, context, template_name, std::move(model));
}

Result<web::Response> ApplicationHandlers::confirmation(const web::Request& request,
                                                        web::RequestContext& context) {
  auto found = service_.find(context.user->user_id, request.path_param("id"));
  if (!found) return refusal(request, context, found.error());
  if (found->status == Status::draft) return web::Response::redirect(app_url(*found));
  std::string notice;
  if (request.query_param("again").has_value()) {
    notice = fill(renderer_.translations().text(context.locale, "applications.confirmation.again"),
                  {{"date", web::format_date_time(context.locale, found->submitted_at)}});
  }
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  auto shown = [&](const Field& field, const json::value& value) {
    auto s = show_answer(field, &value, locale);
    return s.values.empty() ? std::string() : s.values.front();
  };
  json::object extra;
  const Form* form = service_.form(found->service);
  if (request.query_param("profile").value_or("") == "updated" && form != nullptr) {
    // The number the application gave, now the profile's.
    for (const auto& page : form->pages) {
      for (const auto& field : page.fields) {
        const auto* answer = found->answers.if_contains(field.id);
        if (field.prefill == ProfileField::mobile && answer != nullptr) {
          notice = fill(t.text(locale, "applications.confirmation.profile_updated"),
                        {{"value", shown(field, *answer)}});
        }
      }
    }
  }
  auto offer = service_.profile_offer(context.user->user_id, *found);
  if (offer && *offer) {
    const auto& o = **offer;
    extra["profile_offer"] = json::object{
        {"text", fill(t.text(locale, "applications.confirmation.profile_mobile"),
                      {{"value", shown(*o.field, o.answer)},
                       {"old", o.current.is_null() ? "-" : shown(*o.field, o.current)}})},
        {"action", app_url(*found, "/profile")}};
  }
  return render_submitted(request, context, *found, "applications/confirmation", notice, extra);
}

Result<web::Response> ApplicationHandlers::update_profile(const web::Request& request,
                                                          web::RequestContext& context) {
  const auto user = context.user->user_id;
  const std::string id(request.path_param("id"));
  auto taken = service_.accept_profile_offer(user, id);
  if (!taken) return refusal(request, context, taken.error());
  return web::Response::redirect(std::string(kApplications) + "/" + id +
                                 "/confirmation?profile=updated");
}

Result<web::Response> ApplicationHandlers::receipt(const web::Request& request,
                                                   web::RequestContext& context) {
  auto found = service_.find(context.user->user_id, request.path_param("id"));
  if (!found) return refusal(request, context, found.error());
  if (found->status == Status::draft) return web::Response::redirect(app_url(*found));
  return render_submitted(request, context, *found, "applications/receipt");
}

Result<web::Response> ApplicationHandlers::document(const web::Request& request,
                                                    web::RequestContext& context) {
  auto file = service_.attached(context.user->user_id, request.path_param("id"),
                                request.path_param("path"));
  if (!file) return refusal(request, context, file.error());
  PRATU_TRY(path, uploads_.content_file(file->sha256));
  return web::file_response(std::move(path), file->media_type, file->name);
}

Result<web::Response> ApplicationHandlers::list(const web::Request& request,
                                                web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  PRATU_TRY(applications, service_.list(context.user->user_id));
  PRATU_TRY(unread, messages_.unread_by_application(context.user->user_id));
  json::array drafts, submitted, done_ones;
  std::string saved_notice;
  const auto saved = request.query_param("saved");
  for (const auto& a : applications) {
    const auto* info = services_.service(a.service);
    const std::string name =
        info == nullptr ? a.service : (locale == Locale::en ? info->name_en : info->name_th);
    if (a.status == Status::draft) {
      int done = 0, count = 0;
      if (const Form* form = service_.form(a.service)) {
        FormEvaluation evaluation = service_.evaluate(*form, a.answers);
        for (const Page* page : question_pages(evaluation)) {
          ++count;
          if (evaluation.problems(*page).empty()) ++done;
        }
      }
      drafts.push_back(json::object{
          {"service", name},
          {"url", app_url(a)},
          {"progress", fill(t.text(locale, "applications.list.progress"),
                            {{"done", std::to_string(done)}, {"count", std::to_string(count)}})},
          {"updated", web::format_date_time(locale, a.updated_at)},
          {"kept_until", fill(t.text(locale, "applications.list.kept_until"),
                              {{"date", web::format_date(locale, service_.deletable_after(a))}})}});
      if (saved && *saved == a.public_id) {
        saved_notice = fill(t.text(locale, "applications.list.saved"), {{"service", name}});
      }
    } else {
      const auto [status, finished] = status_of(a, locale);
      json::object row{{"service", name},
                       {"url", app_url(a)},
                       {"reference", a.reference},
                       {"status", status},
                       {"submitted_on", web::format_date(locale, a.submitted_at)}};
      if (auto n = unread.find(a.id); n != unread.end()) {
        row["unread"] = fill(t.text(locale, "applications.messages.unread"),
                             {{"count", std::to_string(n->second)}});
      }
      // Waiting for them: said on the list, not only on the application's page.
      if (auto workflow = workflows_.workflow_of(a)) {
        const WorkflowState* state = (*workflow)->state(a.state);
        if (state != nullptr && !state->terminal && state->clock == LegalClock::paused) {
          row["action_needed"] = true;
        }
      }
      if (finished) {
        row["finished_on"] = web::format_date(locale, a.state_since);
        done_ones.push_back(std::move(row));
      } else {
        if (!a.due_date.empty()) row["due_date"] = date_text(locale, a.due_date);
        submitted.push_back(std::move(row));
      }
    }
  }
  json::object model{{"title", t.text(locale, "applications.list.title")},
                     {"has_drafts", !drafts.empty()},
                     {"drafts", std::move(drafts)},
                     {"has_submitted", !submitted.empty()},
                     {"submitted", std::move(submitted)},
                     {"has_finished", !done_ones.empty()},
                     {"finished", std::move(done_ones)},
                     {"none", applications.empty()}};
  if (!saved_notice.empty()) {
    model["banner"] = web::notification_banner(
        web::BannerKind::success, t.text(locale, "applications.list.saved_title"), saved_notice);
  }
  return renderer_.page(request, context, "applications/list", std::move(model));
}

// ---- The agency's side -------------------------------------------------------------------

Result<web::Response> ApplicationHandlers::queue(const web::Request& request,
                                                 web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const web::Principal& who = *context.user;
  QueueFilter filter;
  filter.service = request.query_param("service").value_or("");
  filter.state = request.query_param("state").value_or("");
  const std::string q(trim(request.query_param("q").value_or(""), kAsciiWhitespace));
  const bool decided = request.query_param("decided").value_or("") == "1";
  // Whose: "me" (what this person has) or "none" (what nobody has yet); else everyone's.
  std::string assigned = request.query_param("assigned").value_or("");
  if (assigned == "me") {
    filter.assigned_to = who.user_id;
  } else if (assigned == "none") {
    filter.assigned_to = 0;
  } else {
    assigned.clear();
  }
  search_for(filter, q);
  int page = 1;
  if (auto wanted = request.query_param("page")) {
    page = std::clamp(std::atoi(wanted->c_str()), 1, 10000);
  }
  filter.limit = kQueuePage + 1;  // one more tells whether there is a next page
  filter.offset = (page - 1) * kQueuePage;

  // The agency's services that take applications, for the filters.
  std::vector<web::Choice> services, states;
  std::set<std::string> state_ids;
  for (const auto* info : services_.services()) {
    if (info->agency != who.agency_code || service_.form(info->slug) == nullptr) continue;
    services.push_back({info->slug, locale == Locale::en ? info->name_en : info->name_th, {}});
    for (const WorkflowState* s : workflows_.states_of(info->slug)) {
      if (state_ids.insert(s->id).second) states.push_back({s->id, s->label.in(locale), {}});
    }
  }
  const bool known_service =
      filter.service.empty() || std::any_of(services.begin(), services.end(),
                                            [&](auto& c) { return c.value == filter.service; });
  if (!known_service) filter.service.clear();
  if (!filter.state.empty() && !state_ids.contains(filter.state)) filter.state.clear();

  PRATU_TRY(rows, workflows_.queue(who, filter, decided));
  const bool more = rows.size() > static_cast<std::size_t>(kQueuePage);
  if (more) rows.pop_back();
  const std::string today = iso_date(service_.today());
  json::array items;
  for (const auto& row : rows) {
    const auto* info = services_.service(row.service);
    const WorkflowState* state = workflows_.current_state(row.service, row.state);
    json::object item{
        {"url", agency_url(row.public_id)},
        {"reference", row.reference},
        {"service",
         info == nullptr ? row.service : (locale == Locale::en ? info->name_en : info->name_th)},
        {"applicant", row.applicant},
        {"status", state != nullptr ? state->label.in(locale) : row.state},
        {"submitted_on", web::format_date(locale, row.submitted_at)},
        {"overdue", is_overdue(row, state, today)},
        {"mine", row.assigned_to == who.user_id}};
    if (row.unread_messages > 0) {
      item["unread"] = fill(t.text(locale, "applications.messages.unread"),
                            {{"count", std::to_string(row.unread_messages)}});
    }
    if (!row.due_date.empty()) item["due_date"] = date_text(locale, row.due_date);
    if (row.assigned_to != 0) item["assignee"] = row.assignee;
    items.push_back(std::move(item));
  }
  auto page_url = [&](int n) {
    std::string url = std::string(kAgencyApplications) + "?page=" + std::to_string(n);
    if (!filter.service.empty()) url += "&service=" + web::percent_encode(filter.service);
    if (!filter.state.empty()) url += "&state=" + web::percent_encode(filter.state);
    if (!q.empty()) url += "&q=" + web::percent_encode(q);
    if (decided) url += "&decided=1";
    if (!assigned.empty()) url += "&assigned=" + assigned;
    return url;
  };
  json::object model{
      {"title", t.text(locale, "applications.queue.title")},
      {"items", std::move(items)},
      {"none", rows.empty()},
      {"service_select",
       web::select({"service", t.text(locale, "applications.queue.service"), {}, {}}, services,
                   filter.service, t.text(locale, "applications.queue.any_service"))},
      {"state_select",
       web::select({"state", t.text(locale, "applications.queue.state"), {}, {}}, states,
                   filter.state, t.text(locale, "applications.queue.any_state"))},
      {"search", web::text_input({"q",
                                  t.text(locale, "applications.queue.search"),
                                  t.text(locale, "applications.queue.search_hint"),
                                  {}},
                                 q)},
      {"assigned_select",
       web::select({"assigned", t.text(locale, "applications.queue.assigned"), {}, {}},
                   {{"me", t.text(locale, "applications.queue.assigned_me"), {}},
                    {"none", t.text(locale, "applications.queue.assigned_none"), {}}},
                   assigned, t.text(locale, "applications.queue.assigned_any"))},
      {"decided", decided}};
  if (page > 1) model["previous_url"] = page_url(page - 1);
  if (more) model["next_url"] = page_url(page + 1);
  return renderer_.page(request, context, "applications/queue", std::move(model));
}

web::Response ApplicationHandlers::render_agency_view(
    const web::Request& request, web::RequestContext& context, const Application& a,
    const std::string& failed_step, const std::map<std::string, std::string>& errors,
    const web::Form* typed, const json::object& banner, int status) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  json::array steps;
  json::array summary;
  if (auto workflow = workflows_.workflow_of(a)) {
    const Form* form = service_.form(a.service);
    for (const Transition* step : workflows_.steps_for(*context.user, a, **workflow)) {
      const bool again = step->id == failed_step && typed != nullptr;
      auto error_of = [&](const std::string& field) {
        if (step->id != failed_step) return std::string();
        auto it = errors.find(field);
        return it == errors.end() ? std::string() : it->second;
      };
      const std::string prefix = step->id + "-";
      json::object model{{"id", step->id},
                         {"label", step->label.in(locale)},
                         {"action", agency_url(a.public_id, "/steps")},
                         {"revision", a.revision}};
      if (step->needs_reason) {
        model["reason"] =
            web::textarea({prefix + "reason", t.text(locale, "applications.officer.reason"),
                           t.text(locale, "applications.officer.reason_hint"), error_of("reason")},
                          again ? typed->value(prefix + "reason") : std::string());
      }
      if (step->names_items && form != nullptr) {
        std::vector<web::Choice> questions;
        for (const auto& page : form->pages) {
          for (const auto& field : page.fields) {
            if (field.type == FieldType::declaration) continue;
            questions.push_back({field.id, field.label.in(locale), page.title.in(locale)});
          }
        }
        model["items"] = web::checkboxes(
            {prefix + "items", t.text(locale, "applications.officer.items"),
             t.text(locale, "applications.officer.items_hint"), error_of("items")},
            questions, again ? typed->values(prefix + "items") : std::vector<std::string>{});
      }
      if (!step->checklist.empty()) {
        std::vector<web::Choice> lines;
        for (std::size_t i = 0; i < step->checklist.size(); ++i) {
          lines.push_back({std::to_string(i + 1), step->checklist[i].in(locale), {}});
        }
        model["checklist"] = web::checkboxes(
            {prefix + "checklist",
             t.text(locale, "applications.officer.checklist"),
             {},
             error_of("checklist")},
            lines, again ? typed->values(prefix + "checklist") : std::vector<std::string>{});
      }
      steps.push_back(std::move(model));
    }
  }
  for (const auto& [field, message] : errors) {
    summary.push_back(json::object{
        {"field",
         failed_step == "note" || failed_step == "message" ? field : failed_step + "-" + field},
        {"message", message}});
  }
  json::object extra{{"steps", std::move(steps)},
                     {"errors", std::move(summary)},
                     {"queue_url", std::string(kAgencyApplications)}};
  extra["assignment"] = assignment_model(context, a);
  // The agency's notes, and a box for one more (typed text kept when it was refused).
  json::array notes;
  if (auto kept = workflows_.notes(*context.user, a)) {
    for (const auto& note : *kept) {
      notes.push_back(json::object{{"author", note.author},
                                   {"when", web::format_date_time(locale, note.at)},
                                   {"body", note.body}});
    }
  }
  extra["notes"] = std::move(notes);
  const bool note_refused = failed_step == "note";
  if (failed_step == "message" && typed != nullptr) {
    extra["message_input"] =
        web::textarea({"message", t.text(locale, "applications.messages.write"),
                       t.text(locale, "applications.messages.write_hint_agency"),
                       errors.contains("message") ? errors.at("message") : std::string()},
                      typed->value("message"));
  }
  extra["note_action"] = agency_url(a.public_id, "/notes");
  extra["note_input"] =
      web::textarea({"note", t.text(locale, "applications.officer.note"),
                     t.text(locale, "applications.officer.note_hint"),
                     note_refused && errors.contains("note") ? errors.at("note") : std::string()},
                    note_refused && typed != nullptr ? typed->value("note") : std::string());
  if (!banner.empty()) extra["banner"] = banner;
  auto response = render_submitted(request, context, a, "applications/agency_show", "", extra);
  response.status = status;
  return response;
}

json::object ApplicationHandlers::assignment_model(web::RequestContext& context,
                                                   const Application& a) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const web::Principal& who = *context.user;
  json::object model{
      {"action", agency_url(a.public_id, "/assignment")},
      {"expected", a.assigned_to == 0 ? std::string() : std::to_string(a.assigned_to)}};
  std::vector<StaffMember> people;
  if (auto found = workflows_.staff(who)) people = std::move(*found);
  std::string holder;
  for (const auto& m : people) {
    if (m.user_id == a.assigned_to) holder = m.name;
  }
  model["holder"] = a.assigned_to == 0             ? t.text(locale, "applications.officer.nobody")
                    : a.assigned_to == who.user_id ? t.text(locale, "applications.officer.you")
                                                   : holder;
  auto decided = status_of(a, locale).second;
  if (decided) return model;
  if (who.role == web::Role::supervisor) {
    std::vector<web::Choice> choices;
    for (const auto& m : people) {
      choices.push_back({std::to_string(m.user_id), m.name, {}});
    }
    model["select"] =
        web::select({"assignee", t.text(locale, "applications.officer.give_to"), {}, {}}, choices,
                    a.assigned_to == 0 ? std::string() : std::to_string(a.assigned_to),
                    t.text(locale, "applications.officer.nobody"));
  } else if (a.assigned_to == 0) {
    model["take"] = std::to_string(who.user_id);
  } else if (a.assigned_to == who.user_id) {
    model["give_back"] = true;
  }
  return model;
}

Result<web::Response> ApplicationHandlers::assign(const web::Request& request,
                                                  web::RequestContext& context) {
  PRATU_TRY(body, web::Form::parse(request));
  const std::string id(request.path_param("id"));
  auto number = [](const std::string& text) -> std::optional<std::int64_t> {
    if (text.empty()) return 0;
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n <= 0) return std::nullopt;
    return n;
  };
  const auto to = number(body.value("assignee"));
  const auto expected = number(body.value("expected"));
  if (!to || !expected) return renderer_.error_page(request, context, 400);
  auto done = workflows_.assign(*context.user, id, *to, *expected);
  if (done) return web::Response::redirect(agency_url(id, "?assigned=1"));
  return agency_refusal(request, context, id, done.error());
}

Result<web::Response> ApplicationHandlers::add_note(const web::Request& request,
                                                    web::RequestContext& context) {
  const auto& t = renderer_.translations();
  PRATU_TRY(body, web::Form::parse(request));
  const std::string id(request.path_param("id"));
  auto kept = workflows_.add_note(*context.user, id, body.value("note"));
  if (kept) return web::Response::redirect(agency_url(id, "#notes"));
  const Error& error = kept.error();
  if (error.code != ErrorCode::invalid_input) return error;
  PRATU_TRY(now, workflows_.find_for(*context.user, id));
  std::map<std::string, std::string> errors{{"note", t.text(context.locale, error.message_key)}};
  return render_agency_view(request, context, now, "note", errors, &body, {}, 422);
}

json::array ApplicationHandlers::messages_model(web::RequestContext& context, const Application& a,
                                                bool agency_view,
                                                const std::vector<StaffMember>& staff,
                                                json::object& model) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  json::array thread;
  // Read now: shown, so no longer unread for this side.
  if (auto listed = messages_.thread(*context.user, a, true)) {
    for (const auto& m : *listed) {
      std::string who;
      if (m.from_agency) {
        who = t.text(locale, "applications.messages.agency");
        // The agency's people see which of them wrote; the applicant sees the agency.
        for (const auto& person : staff) {
          if (agency_view && person.user_id == m.author_user_id) who = person.name;
        }
      } else {
        who = t.text(locale,
                     agency_view ? "applications.messages.applicant" : "applications.messages.you");
      }
      json::object entry{{"who", who},
                         {"when", web::format_date_time(locale, m.at)},
                         {"body", m.body},
                         {"mine", m.from_agency == agency_view}};
      if (!m.file_sha256.empty()) {
        const std::string file = "/messages/" + std::to_string(m.id) + "/file";
        entry["file"] =
            json::object{{"url", agency_view ? agency_url(a.public_id, file) : app_url(a, file)},
                         {"name", m.file_name},
                         {"size", file_size_text(t, locale, m.file_size)}};
      }
      thread.push_back(std::move(entry));
    }
  } else {
    log::warn("message thread unreadable", {}, {{"error", listed.error().detail}});
  }
  model["message_action"] =
      agency_view ? agency_url(a.public_id, "/messages") : app_url(a, "/messages");
  if (!model.contains("message_input")) {
    model["message_input"] =
        web::textarea({"message",
                       t.text(locale, "applications.messages.write"),
                       t.text(locale, agency_view ? "applications.messages.write_hint_agency"
                                                  : "applications.messages.write_hint"),
                       {}},
                      {});
  }
  if (!agency_view && !model.contains("message_document")) {
    std::vector<web::Choice> documents;
    if (auto held = uploads_.wallet(a.user_id)) {
      for (const auto& d : *held) documents.push_back({d.public_id, d.filename, {}});
    }
    if (!documents.empty()) {
      model["message_document"] =
          web::select({"document",
                       t.text(locale, "applications.messages.attach"),
                       t.text(locale, "applications.messages.attach_hint"),
                       {}},
                      documents, {}, t.text(locale, "applications.messages.no_file"));
    }
  }
  return thread;
}

Result<web::Response> ApplicationHandlers::post_message(const web::Request& request,
                                                        web::RequestContext& context) {
  const auto& t = renderer_.translations();
  PRATU_TRY(body, web::Form::parse(request));
  const std::string id(request.path_param("id"));
  auto posted = messages_.post(*context.user, id, body.value("message"), body.value("document"));
  if (posted) return web::Response::redirect("/applications/" + id + "#messages");
  const Error& error = posted.error();
  if (error.code != ErrorCode::invalid_input || error.fields.empty()) return error;
  PRATU_TRY(found, workflows_.find_for(*context.user, id));
  // Shown again with what was written, and why it was not sent.
  const std::string message = t.text(context.locale, error.fields.front().message_key);
  const std::string field = error.fields.front().field;
  json::object extra{{"errors", json::array{json::object{{"field", field}, {"message", message}}}}};
  extra["message_input"] =
      web::textarea({"message", t.text(context.locale, "applications.messages.write"),
                     t.text(context.locale, "applications.messages.write_hint"),
                     field == "message" ? message : std::string()},
                    body.value("message"));
  return applicant_view(request, context, found, std::move(extra), 422);
}

Result<web::Response> ApplicationHandlers::agency_post_message(const web::Request& request,
                                                               web::RequestContext& context) {
  const auto& t = renderer_.translations();
  PRATU_TRY(body, web::Form::parse(request));
  const std::string id(request.path_param("id"));
  auto posted = messages_.post(*context.user, id, body.value("message"), {});
  if (posted) return web::Response::redirect(agency_url(id, "#messages"));
  const Error& error = posted.error();
  if (error.code != ErrorCode::invalid_input || error.fields.empty()) return error;
  PRATU_TRY(now, workflows_.find_for(*context.user, id));
  std::map<std::string, std::string> errors{
      {"message", t.text(context.locale, error.fields.front().message_key)}};
  return render_agency_view(request, context, now, "message", errors, &body, {}, 422);
}

Result<web::Response> ApplicationHandlers::message_file(const web::Request& request,
                                                        web::RequestContext& context) {
  PRATU_TRY(found, workflows_.find_for(*context.user, request.path_param("id")));
  std::int64_t message_id = 0;
  const auto text = request.path_param("message");
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), message_id);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Error{ErrorCode::not_found, "applications.errors.document_missing", "message", {}, 0};
  }
  PRATU_TRY(m, messages_.attached(found, message_id));
  PRATU_TRY(path, uploads_.content_file(m.file_sha256));
  return web::file_response(std::move(path), m.file_media_type, m.file_name);
}

Result<web::Response> ApplicationHandlers::agency_application(const web::Request& request,
                                                              web::RequestContext& context) {
  PRATU_TRY(found, workflows_.find_for(*context.user, request.path_param("id")));
  json::object banner;
  const auto& t = renderer_.translations();
  if (request.query_param("done").value_or("") == "1") {
    banner = web::notification_banner(web::BannerKind::success,
                                      t.text(context.locale, "applications.officer.done_title"),
                                      status_of(found, context.locale).first);
  } else if (request.query_param("assigned").value_or("") == "1") {
    banner = web::notification_banner(web::BannerKind::success,
                                      t.text(context.locale, "applications.officer.assigned_title"),
                                      assignment_model(context, found).at("holder").as_string());
  }
  return render_agency_view(request, context, found, {}, {}, nullptr, banner, 200);
}

Result<web::Response> ApplicationHandlers::agency_document(const web::Request& request,
                                                           web::RequestContext& context) {
  PRATU_TRY(found, workflows_.find_for(*context.user, request.path_param("id")));
  auto file = service_.attached_to(found, request.path_param("path"));
  if (!file) return file.error();
  PRATU_TRY(path, uploads_.content_file(file->sha256));
  return web::file_response(std::move(path), file->media_type, file->name);
}

Result<web::Response> ApplicationHandlers::take_step(const web::Request& request,
                                                     web::RequestContext& context) {
  const auto& t = renderer_.translations();
  PRATU_TRY(body, web::Form::parse(request));
  const std::string id(request.path_param("id"));
  StepRequest step;
  step.transition = body.value("step");
  step.revision = std::atoll(body.value("revision").c_str());
  step.reason = body.value(step.transition + "-reason");
  step.items = body.values(step.transition + "-items");
  step.confirmed = body.values(step.transition + "-checklist").size();
  auto taken = workflows_.take(*context.user, id, step);
  if (taken) return web::Response::redirect(agency_url(id, "?done=1"));
  const Error& error = taken.error();
  if (error.code == ErrorCode::not_found) return error;
  PRATU_TRY(now, workflows_.find_for(*context.user, id));
  if (error.code == ErrorCode::invalid_input && !error.fields.empty()) {
    // Shown again with what was typed, each problem by its field.
    std::map<std::string, std::string> errors;
    for (const auto& f : error.fields) {
      errors.emplace(f.field, t.text(context.locale, f.message_key));
    }
    return render_agency_view(request, context, now, step.transition, errors, &body, {}, 422);
  }
  // Refused as a whole: someone else moved it, or the step is no longer open.
  return agency_refusal(request, context, id, error);
}

Result<web::Response> ApplicationHandlers::agency_refusal(const web::Request& request,
                                                          web::RequestContext& context,
                                                          const std::string& id,
                                                          const Error& error) {
  if (error.code == ErrorCode::not_found) return error;
  const auto& t = renderer_.translations();
  PRATU_TRY(now, workflows_.find_for(*context.user, id));
  // The application as it is now, and why nothing was done.
  json::object banner = web::notification_banner(
      web::BannerKind::important, t.text(context.locale, "applications.officer.refused_title"),
      t.text(context.locale, error.message_key));
  return render_agency_view(request, context, now, {}, {}, nullptr, banner,
                            web::http_status(error.code));
}

Result<web::Response> ApplicationHandlers::amend(const web::Request& request,
                                                 web::RequestContext& context) {
  auto found = service_.find(context.user->user_id, request.path_param("id"));
  if (!found) return refusal(request, context, found.error());
  if (found->status == Status::draft) return web::Response::redirect(app_url(*found));
  PRATU_TRY(asked, workflows_.open_request(*found));
  // Nothing to change (no longer waiting, or nothing named): the application says where it is.
  if (!asked || asked->items.empty()) return web::Response::redirect(app_url(*found));
  return render_amend(request, context, *found, *asked, {}, 200);
}

web::Response ApplicationHandlers::render_amend(const web::Request& request,
                                                web::RequestContext& context, const Application& a,
                                                const InformationRequest& asked,
                                                const std::vector<AnswerProblem>& problems,
                                                int status) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  json::array summary;
  const auto errors = error_map(t, locale, problems, summary);
  std::vector<WalletDocument> wallet;
  if (auto held = uploads_.wallet(a.user_id)) {
    wallet = std::move(*held);
  } else {
    log::warn("wallet unreadable", request.request_id, {{"error", held.error().detail}});
  }
  View v{locale, t, service_.addresses(), errors};
  v.wallet = &wallet;
  v.documents_url = app_url(a, "/documents/");
  json::array fields;
  bool multipart = false;
  std::string service_name = a.service;
  if (const Form* form = service_.form(a.service)) {
    service_name = form->title.in(locale);
    FormEvaluation evaluation = service_.evaluate(*form, a.answers);
    for (const auto& id : asked.items) {
      const Field* field = form->field(id).second;
      if (field == nullptr || !evaluation.asked(*field)) continue;
      multipart = multipart || field->type == FieldType::document ||
                  std::any_of(field->fields.begin(), field->fields.end(),
                              [](const Field& g) { return g.type == FieldType::document; });
      fields.push_back(input_model(*field, field->id, a.answers.if_contains(field->id), v));
    }
  }
  json::object model{
      {"title", t.text(locale, "applications.amend.title")},
      {"service", service_name},
      {"reference", a.reference},
      {"errors", std::move(summary)},
      {"fields", std::move(fields)},
      {"multipart", multipart},
      {"uploads_url", "/api/v1/uploads"},
      {"upload_chunk_bytes",
       static_cast<std::int64_t>(service_.settings().upload_chunk_mib) * 1024 * 1024},
      {"action", app_url(a, "/amend")},
      {"revision", a.revision},
      {"back_url", app_url(a)}};
  if (!asked.reason.empty()) model["reason"] = asked.reason;
  if (request.query_param("saved").value_or("") == "1") {
    model["banner"] = web::notification_banner(web::BannerKind::success,
                                               t.text(locale, "applications.amend.saved_title"),
                                               t.text(locale, "applications.amend.saved"));
  }
  return renderer_.page(request, context, "applications/amend", std::move(model), status);
}

Result<web::Response> ApplicationHandlers::save_amendment(const web::Request& request,
                                                          web::RequestContext& context) {
  const auto user = context.user->user_id;
  auto body = web::Form::parse(request);
  if (!body) return renderer_.error_page(request, context, 400);
  auto found = service_.find(user, request.path_param("id"));
  if (!found) return refusal(request, context, found.error());
  if (found->status == Status::draft) return web::Response::redirect(app_url(*found));
  const Form* form = service_.form(found->service);
  if (form == nullptr) return refusal(request, context, service_closed());
  PRATU_TRY(asked, workflows_.open_request(*found));
  if (!asked || asked->items.empty()) {
    return refusal(request, context,
                   Error{ErrorCode::conflict, "applications.errors.step_not_now", "", {}, 0});
  }
  // The page was for the revision it was shown at: a change since (another device, or the
  // agency) is not overwritten unseen.
  if (body->value("revision") != std::to_string(found->revision)) {
    return refusal(
        request, context,
        Error{ErrorCode::conflict, "applications.errors.step_changed_meanwhile", "", {}, 0});
  }
  std::vector<const Field*> fields;
  for (const auto& id : asked->items) {
    if (const Field* field = form->field(id).second) fields.push_back(field);
  }
  std::vector<AnswerProblem> refused;
  PRATU_TRY(changes, posted_answers(user, *body, fields, *found, context.locale, refused));
  auto amended = service_.amend(user, *found, changes, asked->items);
  if (!amended) return refusal(request, context, amended.error());
  const std::string action = body->value("action");
  auto problems = std::move(refused);
  // A list changed or a file detached is shown again before anything is checked.
  const bool editing = action != "send" && action != "save";
  if (!editing) {
    problems.insert(problems.end(), amended->problems.begin(), amended->problems.end());
  }
  if (!problems.empty() || (editing && !amended->problems.empty())) {
    // Nothing saved: the page again with what was given and what is wrong.
    return render_amend(request, context, amended->application, *asked, problems, 422);
  }
  if (action != "send") {
    return web::Response::redirect(app_url(amended->application, "/amend?saved=1"));
  }
  // Sent back: the applicant's step out of this state (the workflow has one).
  auto workflow = workflows_.workflow_of(amended->application);
  if (!workflow) return workflow.error();
  const auto steps = workflows_.steps_for(*context.user, amended->application, **workflow);
  if (steps.empty()) {
    return refusal(request, context,
                   Error{ErrorCode::conflict, "applications.errors.step_not_now", "", {}, 0});
  }
  StepRequest step;
  step.transition = steps.front()->id;
  step.revision = amended->application.revision;
  auto taken = workflows_.take(*context.user, found->public_id, step);
  if (!taken) return refusal(request, context, taken.error());
  return web::Response::redirect(app_url(*taken, "?sent=1"));
}

Result<web::Response> ApplicationHandlers::applicant_step(const web::Request& request,
                                                          web::RequestContext& context) {
  PRATU_TRY(body, web::Form::parse(request));
  StepRequest step;
  step.transition = body.value("step");
  step.revision = std::atoll(body.value("revision").c_str());
  auto taken = workflows_.take(*context.user, request.path_param("id"), step);
  if (!taken) return refusal(request, context, taken.error());
  return web::Response::redirect(app_url(*taken, "?sent=1"));
}

Result<Application> ApplicationHandlers::renewal(const web::RequestContext& context,
                                                 std::string_view public_id) {
  PRATU_TRY(previous, service_.find(context.user->user_id, public_id));
  auto* issued = issued_in_ != nullptr ? issued_in_->find<platform::IssuedDocuments>() : nullptr;
  if (issued == nullptr) return Error::not_found("no documents module");
  PRATU_TRY(document, issued->of_application(previous.id));
  // Only a licence with a term is renewed; a revoked one is not.
  if (!document || document->valid_until.empty() ||
      (document->status != "valid" && document->status != "expired")) {
    return Error::invalid({{"renew", "applications.errors.not_renewable"}});
  }
  return service_.start_renewal(context.user->user_id, previous, document->number);
}

Result<web::Response> ApplicationHandlers::renew(const web::Request& request,
                                                 web::RequestContext& context) {
  auto started = renewal(context, request.path_param("id"));
  if (!started) {
    if (started.error().code == ErrorCode::not_found) return started.error();
    return refusal(request, context, started.error());
  }
  return web::Response::redirect(app_url(*started, "/check"));
}

Result<web::Response> ApplicationHandlers::api_renew(const web::Request& request,
                                                     web::RequestContext& context) {
  PRATU_TRY(started, renewal(context, request.path_param("id")));
  auto response = web::Response::json(
      json::serialize(json::object{
          {"id", started.public_id}, {"service", started.service}, {"renews", started.renews}}),
      201);
  response.set_header("Location", "/api/v1/applications/" + started.public_id);
  return response;
}

web::Routes ApplicationHandlers::routes() {
  using web::Access;
  web::Routes r;
  auto route = [&](std::string method, std::string pattern, std::string name, auto member) {
    r.push_back(web::route(std::move(method), std::move(pattern), Access::applicant,
                           web::Surface::page, std::move(name), web::bound(this, member)));
    if (r.back().method == "POST") r.back().body_limit = kMaxPageBody;
  };
  route("GET", "/services/{slug}/apply", "application_before_start",
        &ApplicationHandlers::before_start);
  route("POST", "/services/{slug}/apply", "application_start", &ApplicationHandlers::start);
  route("GET", "/applications", "applications_list", &ApplicationHandlers::list);
  // The agency's side: its officers and supervisors; an application of another agency's, or
  // none, is not found for them.
  auto agency = [&](std::string method, std::string pattern, std::string name, auto member) {
    r.push_back(web::route(std::move(method), std::move(pattern), Access::agency_officer,
                           web::Surface::page, std::move(name), web::bound(this, member)));
    if (r.back().method == "POST") r.back().body_limit = kMaxPageBody;
    if (r.back().pattern.find("{id}") != std::string::npos) {
      r.back().owner = [this](const web::Request& request,
                              const web::RequestContext& context) -> Result<std::string> {
        // Only the agency's people are looked for: anyone else is refused by role (403) for
        // every id alike, so nothing is learnt about which exist.
        if (!web::is_agency_role(context.user->role)) return std::string();
        PRATU_TRY(found, workflows_.find_for(*context.user, request.path_param("id")));
        return found.agency;
      };
    }
  };
  agency("GET", "/agency/applications", "agency_queue", &ApplicationHandlers::queue);
  agency("GET", "/agency/applications/{id}", "agency_application",
         &ApplicationHandlers::agency_application);
  agency("POST", "/agency/applications/{id}/steps", "agency_application_step",
         &ApplicationHandlers::take_step);
  agency("POST", "/agency/applications/{id}/assignment", "agency_application_assignment",
         &ApplicationHandlers::assign);
  agency("POST", "/agency/applications/{id}/notes", "agency_application_notes",
         &ApplicationHandlers::add_note);
  agency("POST", "/agency/applications/{id}/messages", "agency_application_messages",
         &ApplicationHandlers::agency_post_message);
  agency("GET", "/agency/applications/{id}/messages/{message}/file",
         "agency_application_message_file", &ApplicationHandlers::message_file);
  r.back().work = web::Work::documents;
  // The applicant's documents, opened in the browser as they are for the applicant.
  agency("GET", "/agency/applications/{id}/documents/{path}", "agency_application_document",
         &ApplicationHandlers::agency_document);
  r.back().work = web::Work::documents;
  route("GET", "/applications/{id}", "application", &ApplicationHandlers::resume);
  route("GET", "/applications/{id}/pages/{page}", "application_page", &ApplicationHandlers::page);
  route("POST", "/applications/{id}/pages/{page}", "application_page_save",
        &ApplicationHandlers::save_page);
  // A page with a document question carries its file when script is off: room for one file
  // of the largest size an upload may be, besides the answers.
  r.back().body_limit = kMaxPageBody + static_cast<std::size_t>(uploads_.max_size());
  route("GET", "/applications/{id}/check", "application_check", &ApplicationHandlers::check);
  route("POST", "/applications/{id}/submit", "application_submit", &ApplicationHandlers::submit);
  route("GET", "/applications/{id}/confirmation", "application_confirmation",
        &ApplicationHandlers::confirmation);
  route("POST", "/applications/{id}/profile", "application_profile_update",
        &ApplicationHandlers::update_profile);
  route("GET", "/applications/{id}/receipt", "application_receipt", &ApplicationHandlers::receipt);
  route("GET", "/applications/{id}/documents/{path}", "application_document",
        &ApplicationHandlers::document);
  r.back().work = web::Work::documents;  // a whole file read into memory
  route("GET", "/applications/{id}/amend", "application_amend", &ApplicationHandlers::amend);
  route("POST", "/applications/{id}/amend", "application_amend_save",
        &ApplicationHandlers::save_amendment);
  r.back().body_limit = kMaxPageBody + static_cast<std::size_t>(uploads_.max_size());
  route("POST", "/applications/{id}/renew", "application_renew", &ApplicationHandlers::renew);
  r.push_back(web::route("POST", "/api/v1/applications/{id}/renewal", Access::applicant,
                         web::Surface::api, "api_application_renewal",
                         web::bound(this, &ApplicationHandlers::api_renew)));
  r.back().body_limit = 1024;
  route("POST", "/applications/{id}/steps", "application_step",
        &ApplicationHandlers::applicant_step);
  route("POST", "/applications/{id}/messages", "application_messages",
        &ApplicationHandlers::post_message);
  route("GET", "/applications/{id}/messages/{message}/file", "application_message_file",
        &ApplicationHandlers::message_file);
  r.back().work = web::Work::documents;
  return r;
}

}  // namespace pratu::applications
