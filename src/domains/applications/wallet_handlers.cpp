#include "domains/applications/wallet_handlers.hpp"

#include <boost/json.hpp>

#include "domains/applications/document_text.hpp"
#include "platform/issued_documents.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"
#include "web/file_response.hpp"

namespace pratu::applications {

namespace json = boost::json;

namespace {

constexpr std::string_view kWallet = "/documents";

std::string filled(std::string text, std::string_view name, std::string_view value) {
  const std::string placeholder = "{" + std::string(name) + "}";
  if (const auto at = text.find(placeholder); at != std::string::npos) {
    text.replace(at, placeholder.size(), value);
  }
  return text;
}

}  // namespace

Result<web::Response> WalletHandlers::list(const web::Request& request,
                                           web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const auto locale = context.locale;
  PRATU_TRY(documents, uploads_.wallet(context.user->user_id));
  json::array items;
  for (const auto& d : documents) {
    const std::string name =
        d.filename.empty() ? t.text(locale, "applications.document.unnamed") : d.filename;
    const std::string url = std::string(kWallet) + "/" + d.public_id;
    items.push_back(
        json::object{{"name", name},
                     {"url", url},
                     {"remove_action", url + "/remove"},
                     {"remove_hidden",
                      filled(t.text(locale, "applications.wallet.remove_hidden"), "name", name)},
                     {"kind", file_kind_text(t, locale, d.media_type)},
                     {"size", file_size_text(t, locale, d.size_bytes)},
                     {"uploaded", web::format_date(locale, d.created_at)}});
  }
  json::array issued;
  if (auto* registry =
          issued_in_ != nullptr ? issued_in_->find<platform::IssuedDocuments>() : nullptr) {
    PRATU_TRY(mine, registry->of_holder(context.user->user_id));
    for (const auto& d : mine) {
      json::object item{
          {"number", d.number},
          {"title", locale == web::Locale::en && !d.title_en.empty() ? d.title_en : d.title_th},
          {"state", d.status},
          {"state_text", t.text(locale, "documents.state." + d.status)},
          {"issued", web::format_date(locale, d.issued_at)},
          {"url", d.download_url},
          {"verify_url", d.verify_url},
          {"delivery_url", d.delivery_url}};
      if (d.delivery != "download" && !d.delivery.empty()) {
        item["delivery_text"] =
            t.text(locale, std::string("documents.delivery.") +
                               (d.delivered ? "delivered_" : "chosen_") + d.delivery);
        if (d.delivered && !d.tracking_number.empty()) {
          item["delivery_text"] =
              std::string(item["delivery_text"].as_string()) + " (" + d.tracking_number + ")";
        }
      }
      issued.push_back(std::move(item));
    }
  }
  json::object model{{"title", t.text(locale, "applications.wallet.title")},
                     {"has_documents", !items.empty()},
                     {"documents", std::move(items)},
                     {"has_issued", !issued.empty()},
                     {"issued", std::move(issued)}};
  if (const auto removed = request.query_param("removed")) {
    model["banner"] = web::notification_banner(web::BannerKind::success,
                                               t.text(locale, "applications.wallet.removed_title"),
                                               t.text(locale, "applications.wallet.removed"));
  }
  return renderer_.page(request, context, "applications/wallet", std::move(model));
}

Result<web::Response> WalletHandlers::view(const web::Request& request,
                                           web::RequestContext& context) {
  PRATU_TRY(document, uploads_.document(context.user->user_id, request.path_param("id")));
  PRATU_TRY(path, uploads_.content_file(document.sha256));
  return web::file_response(std::move(path), document.media_type, document.filename);
}

Result<web::Response> WalletHandlers::remove(const web::Request& request,
                                             web::RequestContext& context) {
  PRATU_CHECK(uploads_.remove_document(context.user->user_id, request.path_param("id")));
  return web::Response::redirect(std::string(kWallet) + "?removed=1");
}

web::Routes WalletHandlers::routes() {
  web::Routes r;
  auto route = [&](std::string method, std::string pattern, std::string name, auto member) {
    r.push_back(web::route(std::move(method), std::move(pattern), web::Access::applicant,
                           web::Surface::page, std::move(name), web::bound(this, member)));
  };
  const std::string wallet(kWallet);
  route("GET", wallet, "wallet", &WalletHandlers::list);
  route("GET", wallet + "/{id}", "wallet_document", &WalletHandlers::view);
  r.back().work = web::Work::documents;
  route("POST", wallet + "/{id}/remove", "wallet_document_remove", &WalletHandlers::remove);
  return r;
}

}  // namespace pratu::applications
