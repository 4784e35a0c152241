#include "web/render.hpp"

#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>

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

Result<void> load_locale(const std::string& file,
                         std::map<std::string, std::string, std::less<>>& flat, json::object& tree) {
  try {
    auto root = YAML::LoadFile(file);
    if (!root.IsMap()) return Error::internal(file + ": must be a map of keys to texts");
    return flatten(root, "", file, flat, tree);
  } catch (const YAML::Exception& e) {
    return Error::internal(file + ": " + e.what());
  }
}

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::internal("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The current URL with `lang` set to `code`, so the switch keeps the page and its query.
std::string language_url(const Request& request, const char* code) {
  std::string url = request.path + "?";
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
  PRATU_CHECK(load_locale(dir + "/th.yaml", t.th_, t.th_tree_));
  PRATU_CHECK(load_locale(dir + "/en.yaml", t.en_, t.en_tree_));
  for (const auto& [key, text] : t.th_) {
    if (!t.en_.contains(key)) return Error::internal(dir + "/en.yaml: missing key " + key + " (present in th.yaml)");
  }
  for (const auto& [key, text] : t.en_) {
    if (!t.th_.contains(key)) return Error::internal(dir + "/th.yaml: missing key " + key + " (present in en.yaml)");
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
                                                 const AssetUrls& assets,
                                                 int session_warning_seconds) {
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
  std::unique_ptr<Renderer> r(new Renderer(translations, assets, session_warning_seconds));
  r->templates_ = std::move(set);
  r->th_globals_ = json::object{{"t", translations.tree(Locale::th)}};
  r->en_globals_ = json::object{{"t", translations.tree(Locale::en)}};
  return r;
}

json::object Renderer::base_model(const Request& request, const RequestContext& context) const {
  json::object m;
  bool en = context.locale == Locale::en;
  m["lang"] = locale_code(context.locale);
  m["other_lang"] = en ? "th" : "en";
  m["other_lang_url"] = language_url(request, en ? "th" : "en");
  m["path"] = request.path;
  m["request_id"] = context.request_id;
  m["csrf_token"] = context.csrf_token;
  m["assets"] = json::object{{"css", assets_.url("css/pratu.css")},
                             {"js", assets_.url("js/pratu.js")},
                             {"favicon_ico", assets_.url("favicon.ico")},
                             {"favicon_svg", assets_.url("favicon.svg")}};
  if (context.user) {
    const auto& u = *context.user;
    m["user"] = json::object{{"display_name", u.display_name},
                             {"role", u.role},
                             {"agency_code", u.agency_code},
                             {"is_officer", u.role == "officer"},
                             {"is_admin", u.role == "admin"}};
  }
  if (context.session_expires_at > 0) {
    m["session"] = json::object{{"expires_at", context.session_expires_at},
                                {"warning_seconds", warning_seconds_}};
  }
  return m;
}

std::string Renderer::description(const json::object& model, std::string_view name,
                                  Locale locale) const {
  if (const auto* own = model.if_contains("description");
      own != nullptr && own->is_string() && !own->get_string().empty()) {
    return std::string(own->get_string());
  }
  std::string key = "descriptions." + std::string(name);
  std::replace(key.begin(), key.end(), '/', '.');
  if (const auto* page = translations_.find(locale, key)) return *page;
  return translations_.text(locale, "site.description");
}

std::string Renderer::render(const Request& request, const RequestContext& context,
                             std::string_view name, json::object model) const {
  json::object full = base_model(request, context);
  for (auto& [key, value] : model) full[key] = std::move(value);
  auto errors = full.if_contains("errors");
  bool has_errors = errors != nullptr && errors->is_array() && !errors->get_array().empty();
  const auto& t = translations_;
  std::string title = full.contains("title") && full["title"].is_string()
                          ? std::string(full["title"].get_string())
                          : std::string();
  std::string site = t.text(context.locale, "site.name");
  title = title.empty() ? site : title + " – " + site;
  if (has_errors) title = t.text(context.locale, "errors.title_prefix") + " " + title;
  full["document_title"] = title;
  full["document_description"] = description(full, name, context.locale);

  const json::value& globals = context.locale == Locale::en ? en_globals_ : th_globals_;
  json::value model_value(std::move(full));
  std::string content;
  content.reserve(16 * 1024);
  const Template* page = templates_->find("pages/" + std::string(name));
  if (page == nullptr) {
    throw std::logic_error("no template pages/" + std::string(name));
  }
  page->render({&globals, &model_value}, templates_.get(), content);
  model_value.get_object()["content"] = std::move(content);

  std::string out;
  out.reserve(24 * 1024);
  templates_->find("layouts/main")->render({&globals, &model_value}, templates_.get(), out);
  return out;
}

Response Renderer::page(const Request& request, const RequestContext& context,
                        std::string_view name, json::object model, int status) const {
  Response response;
  response.status = status;
  response.body = render(request, context, name, std::move(model));
  return response;
}

Response Renderer::error_page(const Request& request, const RequestContext& context,
                              int status) const {
  std::string key;
  switch (status) {
    case 400: key = "bad_request"; break;
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
