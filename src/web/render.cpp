#include "web/render.hpp"

#include "common/files.hpp"
#include "web/access.hpp"

#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/pchars.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pratu::web {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

Result<void> flatten(const YAML::Node& node, const std::string& prefix, const std::string& file,
                     std::map<std::string, std::string, std::less<>>& flat, json::object& tree) {
  for (const auto& entry : node) {
    auto key = entry.first.as<std::string>();
    auto full = prefix.empty() ? key : prefix + "." + key;
    if (tree.contains(key)) return Error::internal(file + ": " + full + " is defined twice");
    if (entry.second.IsMap()) {
      auto& child = tree[key].emplace_object();
      PRATU_CHECK(flatten(entry.second, full, file, flat, child));
    } else if (entry.second.IsScalar()) {
      auto text = entry.second.as<std::string>();
      flat.emplace(full, text);
      tree[key] = text;
    } else {
      return Error::internal(file + ": " + full + ": must be text or a map of texts");
    }
  }
  return ok();
}

// The file of the shared strings; every other file holds one domain's, under its own name.
constexpr std::string_view kSharedStrings = "common";

Result<void> load_locale(const fs::path& file,
                         std::map<std::string, std::string, std::less<>>& flat,
                         json::object& tree) {
  const std::string name = file.string();
  const std::string domain = file.stem().string();
  try {
    auto root = YAML::LoadFile(name);
    if (!root.IsMap()) return Error::internal(name + ": must be a map of keys to texts");
    if (domain != kSharedStrings) {
      // A domain's strings live under its name, so two domains never share a key.
      for (const auto& entry : root) {
        if (entry.first.as<std::string>() != domain) {
          return Error::internal(name + ": " + entry.first.as<std::string>() +
                                 ": a domain's file holds only keys under \"" + domain + "\"");
        }
      }
    }
    return flatten(root, "", name, flat, tree);
  } catch (const YAML::Exception& e) {
    return Error::internal(name + ": " + e.what());
  }
}

// The .yaml files of one language's folder, by name.
Result<std::map<std::string, fs::path>> locale_files(const fs::path& dir) {
  std::map<std::string, fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.emplace(entry.path().stem().string(), entry.path());
    }
  }
  if (ec) return Error::internal("cannot read " + dir.string() + ": " + ec.message());
  if (files.empty()) return Error::internal(dir.string() + " holds no .yaml files");
  return files;
}

// The file a key was read from ("accounts" for accounts.*, else the shared one).
std::string file_of(std::string_view key, const std::map<std::string, fs::path>& files) {
  auto domain = std::string(key.substr(0, key.find('.')));
  return files.contains(domain) && domain != kSharedStrings ? domain : std::string(kSharedStrings);
}

// A decoded path as a link on this site: every byte outside RFC 3986's path characters is
// percent-encoded (a "\\" would be read as "/" by browsers), and a leading "//" (another host)
// keeps only its first slash literal.
std::string site_path(std::string_view path) {
  static constexpr auto kPathChars = boost::urls::pchars + '/';
  std::string encoded = boost::urls::encode(path, kPathChars);
  if (encoded.empty() || encoded.front() != '/') encoded.insert(0, "/");
  if (encoded.size() > 1 && encoded[1] == '/') encoded.replace(1, 1, "%2F");
  return encoded;
}

// The current URL with `lang` set to `code`, so the switch keeps the page and its query.
std::string language_url(const Request& request, const char* code) {
  std::string url = site_path(request.path) + "?";
  for (const auto& [name, value] : request.query) {
    if (name == "lang") continue;
    url += percent_encode(name) + "=" + percent_encode(value) + "&";
  }
  return url + "lang=" + code;
}

}  // namespace

const char* locale_code(Locale locale) { return locale == Locale::en ? "en" : "th"; }

Result<Translations> Translations::load(const std::string& dir) {
  Translations t;
  PRATU_TRY(th_files, locale_files(fs::path(dir) / "th"));
  PRATU_TRY(en_files, locale_files(fs::path(dir) / "en"));
  for (const auto& [name, path] : th_files) {
    if (!en_files.contains(name))
      return Error::internal(dir + "/en/" + name + ".yaml is missing (th/ has one)");
  }
  for (const auto& [name, path] : en_files) {
    if (!th_files.contains(name))
      return Error::internal(dir + "/th/" + name + ".yaml is missing (en/ has one)");
  }
  for (const auto& [name, path] : th_files) PRATU_CHECK(load_locale(path, t.th_, t.th_tree_));
  for (const auto& [name, path] : en_files) PRATU_CHECK(load_locale(path, t.en_, t.en_tree_));
  for (const auto& [key, text] : t.th_) {
    if (!t.en_.contains(key)) {
      return Error::internal(dir + "/en/" + file_of(key, en_files) + ".yaml: missing key " + key +
                             " (present in th/" + file_of(key, th_files) + ".yaml)");
    }
  }
  for (const auto& [key, text] : t.en_) {
    if (!t.th_.contains(key)) {
      return Error::internal(dir + "/th/" + file_of(key, th_files) + ".yaml: missing key " + key +
                             " (present in en/" + file_of(key, en_files) + ".yaml)");
    }
  }
  return t;
}

const std::string& Translations::text(Locale locale, std::string_view key) const {
  const auto& map = locale == Locale::en ? en_ : th_;
  auto it = map.find(key);
  if (it != map.end()) return it->second;
  // A missing key shows itself, so a gap is visible in review rather than blank.
  thread_local std::string missing;
  missing.assign(key);
  return missing;
}

const std::string* Translations::find(Locale locale, std::string_view key) const {
  const auto& map = locale == Locale::en ? en_ : th_;
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

std::string Translations::format(
    Locale locale, std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string>> args) const {
  std::string out = text(locale, key);
  for (const auto& [name, value] : args) {
    std::string placeholder = "{" + std::string(name) + "}";
    for (auto pos = out.find(placeholder); pos != std::string::npos;
         pos = out.find(placeholder, pos + value.size())) {
      out.replace(pos, placeholder.size(), value);
    }
  }
  return out;
}

const json::object& Translations::tree(Locale locale) const {
  return locale == Locale::en ? en_tree_ : th_tree_;
}

Result<std::unique_ptr<Renderer>> Renderer::load(const std::string& templates_dir,
                                                 const Translations& translations,
                                                 const AssetUrls& assets) {
  auto set = std::make_shared<TemplateSet>();
  std::error_code ec;
  if (!fs::is_directory(templates_dir, ec)) {
    return Error::internal("templates directory not found: " + templates_dir);
  }
  for (const auto& entry : fs::recursive_directory_iterator(templates_dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
    auto relative = fs::relative(entry.path(), templates_dir).replace_extension().generic_string();
    PRATU_TRY(source, read_file(entry.path()));
    PRATU_TRY(tmpl, Template::compile(source, entry.path().string()));
    // Partials are named by file name alone; pages and layouts by their path.
    if (relative.rfind("partials/", 0) == 0) set->add(entry.path().stem().string(), tmpl);
    set->add(relative, std::move(tmpl));
  }
  if (set->find("layouts/main") == nullptr) {
    return Error::internal(templates_dir + "/layouts/main.mustache is missing");
  }
  std::unique_ptr<Renderer> r(new Renderer(translations, assets));
  const json::object asset_urls{{"css", assets.url("css/pratu.css")},
                                {"js", assets.url("js/pratu.js")},
                                {"upload_js", assets.url("vendor/tus-js-client/tus.min.js")},
                                {"favicon_ico", assets.url("favicon.ico")},
                                {"favicon_svg", assets.url("favicon.svg")}};
  r->th_globals_ = json::object{{"t", translations.tree(Locale::th)}, {"assets", asset_urls}};
  r->en_globals_ = json::object{{"t", translations.tree(Locale::en)}, {"assets", asset_urls}};
  r->th_templates_ = specialize(*set, r->th_globals_);
  r->en_templates_ = specialize(*set, r->en_globals_);
  return r;
}

Renderer::LocaleTemplates Renderer::specialize(const TemplateSet& source,
                                               const json::value& globals) {
  auto set = std::make_shared<TemplateSet>();
  source.for_each([&](const std::string& name, const Template& tmpl) {
    // `t` and `assets` are the renderer's own names: no model may use them (see the class
    // comment), so their values are the same for every request in this language.
    Template with_strings = tmpl.specialize(globals.at("t"), "t", &source);
    set->add(name, with_strings.specialize(globals.at("assets"), "assets", nullptr));
  });
  LocaleTemplates out;
  set->for_each([&](const std::string& name, const Template& tmpl) {
    if (name.rfind("pages/", 0) == 0 && !tmpl.mentions(kPersonalNames, set.get())) {
      out.impersonal_pages.insert(name.substr(6));
    }
  });
  out.layout = set->find("layouts/main");
  out.layout_parts = out.layout->split_at("content");
  out.impersonal_end =
      out.layout_parts && !out.layout_parts->second.mentions(kPersonalNames, set.get());
  out.set = std::move(set);
  return out;
}

json::object Renderer::base_model(const Request& request, const RequestContext& context,
                                  json::storage_ptr storage) const {
  json::object m(storage);
  m.reserve(10);
  bool en = context.locale == Locale::en;
  m.emplace("lang", locale_code(context.locale));
  m.emplace("other_lang", en ? "th" : "en");
  m.emplace("other_lang_url", language_url(request, en ? "th" : "en"));
  m.emplace("path", request.path);
  m.emplace("request_id", context.request_id);
  m.emplace("csrf_token", context.csrf_token);
  if (context.user) {
    const auto& u = *context.user;
    json::object user(storage);
    user.reserve(9);
    user.emplace("display_name", u.display_name);
    user.emplace("role", role_name(u.role));
    user.emplace("agency_code", u.agency_code);
    user.emplace("is_officer", is_agency_role(u.role));
    user.emplace("is_staff", works_for_agency(u.role));
    user.emplace("is_supervisor", u.role == Role::supervisor);
    user.emplace("is_admin", u.role == Role::admin);
    user.emplace("is_cashier", works_for_agency(u.role) && u.has(Duty::cashier));
    user.emplace("is_finance", works_for_agency(u.role) && u.has(Duty::finance));
    m.emplace("user", std::move(user));
  }
  if (context.session_expires_at > 0) {
    json::object session(storage);
    session.emplace("expires_at", context.session_expires_at);
    session.emplace("warning_seconds", context.session_warning_seconds);
    m.emplace("session", std::move(session));
  }
  return m;
}

std::string Renderer::description(const json::object& model, std::string_view name,
                                  Locale locale) const {
  if (const auto* own = model.if_contains("description");
      own != nullptr && own->is_string() && !own->get_string().empty()) {
    return std::string(own->get_string());
  }
  // "accounts/login" -> "accounts.descriptions.login", in the domain's own locale file.
  const auto slash = name.find('/');
  std::string key = std::string(name.substr(0, slash)) + ".descriptions." +
                    std::string(slash == std::string_view::npos ? "" : name.substr(slash + 1));
  std::replace(key.begin(), key.end(), '/', '.');
  if (const auto* page = translations_.find(locale, key)) return *page;
  return translations_.text(locale, "site.description");
}

std::string Renderer::render(const Request& request, const RequestContext& context,
                             std::string_view name, json::object model) const {
  return render_shared(request, context, name, json::value(std::move(model)));
}

void Renderer::add_document_fields(json::object& base, const json::object& model,
                                   std::string_view name, Locale locale) const {
  auto errors = model.if_contains("errors");
  bool has_errors = errors != nullptr && errors->is_array() && !errors->get_array().empty();
  const auto& t = translations_;
  const auto* own_title = model.if_contains("title");
  std::string title = own_title != nullptr && own_title->is_string()
                          ? std::string(own_title->get_string())
                          : std::string();
  std::string site = t.text(locale, "site.name");
  title = title.empty() ? site : title + " – " + site;
  if (has_errors) title = t.text(locale, "errors.title_prefix") + " " + title;
  base["document_title"] = title;
  base["document_description"] = description(model, name, locale);
}

std::string Renderer::render_shared(const Request& request, const RequestContext& context,
                                    std::string_view name, const json::value& shared_model) const {
  static const json::object kNoModel;
  const json::object& model = shared_model.is_object() ? shared_model.get_object() : kNoModel;
  // The context stack: the language's globals, what every page has, then the page's own
  // model (which wins over both, as a merged model would). What every page has lives as long
  // as the rendering, in an arena on the stack.
  alignas(std::max_align_t) std::array<unsigned char, kBaseModelBytes> arena_bytes;
  json::monotonic_resource arena(arena_bytes.data(), arena_bytes.size());
  json::value base(base_model(request, context, &arena));
  add_document_fields(base.get_object(), model, name, context.locale);

  const bool en = context.locale == Locale::en;
  const json::value& globals = en ? en_globals_ : th_globals_;
  const LocaleTemplates& templates = en ? en_templates_ : th_templates_;
  const Template* page = templates.set->find("pages/" + std::string(name));
  if (page == nullptr) {
    throw std::logic_error("no template pages/" + std::string(name));
  }
  const std::vector<const json::value*> frames{&globals, &base, &shared_model};
  std::string out;
  out.reserve(32 * 1024);
  if (templates.layout_parts) {
    templates.layout_parts->first.render(frames, templates.set.get(), out);
    page->render(frames, templates.set.get(), out);
    templates.layout_parts->second.render(frames, templates.set.get(), out);
    return out;
  }
  std::string content;
  content.reserve(16 * 1024);
  page->render(frames, templates.set.get(), content);
  base.get_object()["content"] = std::move(content);
  templates.layout->render(frames, templates.set.get(), out);
  return out;
}

bool Renderer::is_impersonal(std::string_view name) const {
  // Both languages' templates come from the same files: one answers for both.
  return th_templates_.impersonal_pages.contains(name);
}

Response Renderer::shared_page(const Request& request, const RequestContext& context,
                               std::string_view name, const json::value& shared_model,
                               ContentCache& contents, std::string_view key, int status) const {
  const bool en = context.locale == Locale::en;
  const LocaleTemplates& templates = en ? en_templates_ : th_templates_;
  if (!templates.layout_parts || !templates.impersonal_pages.contains(name)) {
    return shared_page(request, context, name, shared_model, status);
  }
  alignas(std::max_align_t) std::array<unsigned char, kBaseModelBytes> arena_bytes;
  json::monotonic_resource arena(arena_bytes.data(), arena_bytes.size());
  json::value base(base_model(request, context, &arena));
  const json::value& globals = en ? en_globals_ : th_globals_;
  const std::vector<const json::value*> frames{&globals, &base, &shared_model};

  std::string cache_key =
      std::string(locale_code(context.locale)) + "|" + std::string(name) + "|" + std::string(key);
  auto content = contents.find(cache_key).value_or(nullptr);
  if (!content) {
    static const json::object kNoModel;
    const json::object& model = shared_model.is_object() ? shared_model.get_object() : kNoModel;
    const Template* page = templates.set->find("pages/" + std::string(name));
    if (page == nullptr) throw std::logic_error("no template pages/" + std::string(name));
    // The page names nothing of the request's (checked at load), so `base` cannot show.
    json::object document;
    add_document_fields(document, model, name, context.locale);
    PageContent made{std::string(document["document_title"].get_string()),
                     std::string(document["document_description"].get_string()),
                     {}};
    made.body.reserve(16 * 1024);
    page->render(frames, templates.set.get(), made.body);
    if (templates.impersonal_end) {
      // The layout's end is then the same for everyone who reads these contents: kept with them.
      base.get_object()["document_title"] = made.document_title;
      base.get_object()["document_description"] = made.document_description;
      templates.layout_parts->second.render(frames, templates.set.get(), made.body);
      made.ends_page = true;
    }
    content = std::make_shared<const PageContent>(std::move(made));
    contents.store(cache_key, content);
  }
  base.get_object()["document_title"] = content->document_title;
  base.get_object()["document_description"] = content->document_description;
  Response response;
  response.status = status;
  // The head is about 3.7 KB for a signed-in person (the session notice and its dialog).
  response.body.reserve(content->ends_page ? 6 * 1024 : content->body.size() + 8 * 1024);
  templates.layout_parts->first.render(frames, templates.set.get(), response.body);
  if (content->ends_page) {
    // Shares the kept text (the aliasing constructor: kept alive by `content`), copying none.
    response.shared_body = std::shared_ptr<const std::string>(content, &content->body);
    return response;
  }
  response.body += content->body;
  templates.layout_parts->second.render(frames, templates.set.get(), response.body);
  return response;
}

Response Renderer::page(const Request& request, const RequestContext& context,
                        std::string_view name, json::object model, int status) const {
  Response response;
  response.status = status;
  response.body = render(request, context, name, std::move(model));
  return response;
}

Response Renderer::shared_page(const Request& request, const RequestContext& context,
                               std::string_view name, const json::value& shared_model,
                               int status) const {
  Response response;
  response.status = status;
  response.body = render_shared(request, context, name, shared_model);
  return response;
}

Response Renderer::error_page(const Request& request, const RequestContext& context,
                              int status) const {
  std::string key;
  switch (status) {
    case 400: key = "bad_request"; break;
    case 401: key = "unauthorized"; break;
    case 409: key = "conflict"; break;
    case 403: key = "forbidden"; break;
    case 404: key = "not_found"; break;
    case 405: key = "method_not_allowed"; break;
    case 408: key = "timeout"; break;
    case 413: key = "too_large"; break;
    case 429: key = "too_many_requests"; break;
    case 431: key = "headers_too_large"; break;
    case 503: key = "unavailable"; break;
    default: key = status >= 500 ? "internal" : "bad_request";
  }
  const auto& t = translations_;
  json::object model{{"title", t.text(context.locale, "errors.pages." + key + ".title")},
                     {"message", t.text(context.locale, "errors.pages." + key + ".message")},
                     {"status", status}};
  return page(request, context, "errors/error", std::move(model), status);
}

}  // namespace pratu::web
