#pragma once
/// Server-rendered pages: Mustache templates, escaped by default, words from locale files.

#include <boost/json/object.hpp>

#include <array>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"
#include "common/ttl_cache.hpp"
#include "web/context.hpp"
#include "web/message.hpp"
#include "web/template_engine.hpp"

namespace pratu::web {

/// Every string a person reads, per locale: locales/<th|en>/common.yaml for what every page
/// shares, and locales/<th|en>/<domain>.yaml for each domain's, under the domain's name.
class Translations {
 public:
  /// Loads every file of `dir`/th and `dir`/en; fails naming the file and key on a problem:
  /// a file or a key in one language and not the other, a key defined twice, or a domain's
  /// file with a key outside the domain's name.
  static Result<Translations> load(const std::string& dir);

  /// The text for a dotted key ("accounts.login.title"); the key itself if missing.
  const std::string& text(Locale locale, std::string_view key) const;
  /// The text for a dotted key, or nullptr when the locale has no such key.
  const std::string* find(Locale locale, std::string_view key) const;
  /// `text` with "{name}" placeholders replaced.
  std::string format(Locale locale, std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string>> args) const;
  /// The whole tree for a locale, as JSON (templates see it as `t`).
  const boost::json::object& tree(Locale locale) const;

 private:
  std::map<std::string, std::string, std::less<>> th_, en_;
  boost::json::object th_tree_, en_tree_;
};

/// URLs of fingerprinted static assets, e.g. "css/pratu.css" -> "/static/css/pratu.3fa2c1d9.css".
class AssetUrls {
 public:
  virtual ~AssetUrls() = default;
  /// The public URL of `logical_path` (relative to static/).
  virtual std::string url(std::string_view logical_path) const = 0;
};

/// Rendered page contents (what a page template writes inside the layout), kept by the owner
/// of pages that read the same for everyone in a language; see Renderer::shared_page.
struct PageContent {
  std::string document_title, document_description;  // what the layout's head shows
  /// What goes inside <main>; when `ends_page`, followed by the rest of the layout, which
  /// names nothing of the request's, so the page's response shares this text to its end.
  std::string body;
  bool ends_page = false;
};
using ContentCache = TtlCache<std::shared_ptr<const PageContent>>;

/// Renders templates/pages/<name>.mustache inside templates/layouts/main.mustache.
///
/// The model handlers pass is merged with what every page needs:
///   t            the locale's strings (`{{t.catalog.home.title}}`)
///   lang         "th" | "en";   other_lang, other_lang_url: the language switch
///   user         the Principal (display_name, role, agency_code) when logged in
///   csrf_token   for every POST form: <input type="hidden" name="csrf_token" ...>
///   assets       { css, js, favicon_ico, favicon_svg } fingerprinted URLs
///   session      { expires_at, warning_seconds } when logged in (idle-timeout warning)
///   path         the request path (for the language switch and "current page" links)
/// `t` and `assets` are the same for every request in a language, so they are written into
/// each language's copy of the templates at load time: no model may use those two names.
/// Special model keys a handler may set:
///   title        page title (text, already translated); prefixed "Error: " when errors exist
///   description  the page's meta description (already translated); without it, the
///                locale's descriptions.<page name with dots> or else site.description
///   errors       array of { field, message } for the error summary (already translated)
class Renderer {
 public:
  /// Loads every template under `templates_dir` (layouts/, partials/, pages/); partials are
  /// available as {{> name}} by their file name without extension.
  static Result<std::unique_ptr<Renderer>> load(const std::string& templates_dir,
                                                const Translations& translations,
                                                const AssetUrls& assets);

  /// A full page response with `status`.
  Response page(const Request& request, const RequestContext& context, std::string_view name,
                boost::json::object model, int status = 200) const;
  /// The same with a model built once and shared by many requests (an object; not copied).
  Response shared_page(const Request& request, const RequestContext& context, std::string_view name,
                       const boost::json::value& shared_model, int status = 200) const;
  /// `shared_page` for a page whose content is the same for everyone who reads it in a
  /// language: the content is rendered once per `key` and language and kept in `contents`,
  /// and only the layout (the person's name, their CSRF token, the session notice) is rendered
  /// per request; the response shares the kept text (see Response::shared_body). `key` must name
  /// everything the model depends on besides the language; the owner drops `contents` when its
  /// models change. A page template that names anything of the request's (see kPersonalNames) is
  /// rendered in full every time instead.
  Response shared_page(const Request& request, const RequestContext& context, std::string_view name,
                       const boost::json::value& shared_model, ContentCache& contents,
                       std::string_view key, int status = 200) const;
  /// The names of the per-request part of every page's model, which differ between two people
  /// reading the same page (or one person on two visits).
  static constexpr std::array<std::string_view, 6> kPersonalNames = {
      "user", "session", "csrf_token", "request_id", "path", "other_lang_url"};
  /// Whether pages/<name> names none of kPersonalNames, itself or through its partials: its
  /// content may then be kept in a ContentCache.
  bool is_impersonal(std::string_view name) const;

  /// A localized error page for `status` (404, 405, 413, 429, 500, 503, ...) showing the
  /// request id, so a person can quote it to the help desk.
  Response error_page(const Request& request, const RequestContext& context, int status) const;
  /// Renders a page body to a string (for tests and caching).
  std::string render(const Request& request, const RequestContext& context, std::string_view name,
                     boost::json::object model) const;
  /// `render` with a shared model (an object; not copied).
  std::string render_shared(const Request& request, const RequestContext& context,
                            std::string_view name, const boost::json::value& shared_model) const;

  const Translations& translations() const { return translations_; }

 private:
  Renderer(const Translations& translations, const AssetUrls& assets)
      : translations_(translations), assets_(assets) {}
  /// What every page has (see the class comment), allocated from `storage`.
  boost::json::object base_model(const Request& request, const RequestContext& context,
                                 boost::json::storage_ptr storage) const;
  /// Room on the stack for the base model of one page: its strings rarely need more.
  static constexpr std::size_t kBaseModelBytes = 4096;

  /// The templates of one language, with its strings (`t`) and the asset URLs written in at
  /// load time, and the layout split around {{{content}}} so a page renders straight into
  /// the response.
  struct LocaleTemplates {
    std::shared_ptr<const TemplateSet> set;
    const Template* layout = nullptr;
    std::optional<std::pair<Template, Template>> layout_parts;  // before and after content
    std::set<std::string, std::less<>> impersonal_pages;        // "catalog/service", ...
    bool impersonal_end = false;  // the layout after content names nothing of the request's
  };
  // The document title and description every page's layout shows, into `base`.
  void add_document_fields(boost::json::object& base, const boost::json::object& model,
                           std::string_view name, Locale locale) const;
  static LocaleTemplates specialize(const TemplateSet& source, const boost::json::value& globals);
  /// The meta description: the model's own, the page's from the locale, or the site's.
  std::string description(const boost::json::object& model, std::string_view name,
                          Locale locale) const;
  const Translations& translations_;
  const AssetUrls& assets_;
  LocaleTemplates th_templates_, en_templates_;
  // {"t": tree, "assets": urls} per locale, built once: what a section the load could not
  // resolve still finds at render time.
  boost::json::value th_globals_, en_globals_;
};

}  // namespace pratu::web
