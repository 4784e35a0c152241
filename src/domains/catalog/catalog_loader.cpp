#include "domains/catalog/catalog_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "common/files.hpp"
#include "common/parallel_runs.hpp"
#include "common/text.hpp"

namespace pratu::catalog {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxCount = 100;         // originals or copies of one document
constexpr int kMaxWorkingDays = 3650;  // a legal time limit longer than this is a typo
constexpr std::int64_t kMaxAmountSatang = 100'000'000'000;  // one billion baht
constexpr std::int64_t kMaxFeeUnit = 1'000'000'000;         // a per-unit fee's `per`
constexpr std::size_t kMaxSlugLength = 80;
constexpr std::int64_t kMaxPopularity = 1'000'000'000'000;
constexpr std::size_t kMinFilesPerThread = 64;  // fewer are parsed sooner than a thread starts

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string item(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// Applying online, and the e-Form it is, are earned by a form Pratu runs (see apply_earned).
constexpr std::string_view kEarnedByAForm =
    "is earned by a form Pratu runs (services/<agency>/<slug>/form.yaml), not declared";
// The electronic licence, its CA-certified signature and its PDF/A-3 are earned by the signed
// documents Pratu issues (services/<agency>/<slug>/document.yaml).
constexpr std::string_view kEarnedByADocument =
    "is earned by the signed documents Pratu issues (services/<agency>/<slug>/document.yaml), "
    "not declared";
// The bill paid online and its electronic receipt are earned by a workflow state that bills
// through Pratu (services/<agency>/<slug>/workflow.yaml).
constexpr std::string_view kEarnedByABill =
    "is earned by a workflow that bills through Pratu (services/<agency>/<slug>/workflow.yaml "
    "`bill:`), not declared";

bool is_earned(Criterion criterion) {
  return criterion == Criterion::e_form || criterion == Criterion::bill_payment ||
         criterion == Criterion::e_receipt || criterion == Criterion::e_license ||
         criterion == Criterion::ca_signature || criterion == Criterion::pdf_a3;
}

// Why `criterion`, which is earned, may not be declared.
std::string_view earned_by(Criterion criterion) {
  switch (criterion) {
    case Criterion::e_form: return kEarnedByAForm;
    case Criterion::bill_payment:
    case Criterion::e_receipt: return kEarnedByABill;
    default: return kEarnedByADocument;
  }
}

bool is_document_key(std::string_view key) {
  if (key.empty() || key.size() > 40 || key.front() < 'a' || key.front() > 'z') return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string trimmed(std::string_view text) { return std::string(trim(text, kAsciiWhitespace)); }

std::string join(std::initializer_list<std::string_view> words) {
  std::string out;
  for (auto word : words) {
    if (!out.empty()) out += ", ";
    out += word;
  }
  return out;
}

// Reads one file, recording its problems with the field path where each was found.
class FileReader {
 public:
  FileReader(std::string file, std::vector<LoadProblem>& problems)
      : file_(std::move(file)), problems_(problems) {}

  void problem(const std::string& field, std::string message) {
    problems_.push_back({file_, field, std::move(message)});
  }
  const std::string& file() const { return file_; }

  // Checks that `node` is a map with only `allowed` keys, each once.
  bool expect_map(const YAML::Node& node, const std::string& path,
                  std::initializer_list<std::string_view> allowed) {
    if (!node.IsMap()) {
      problem(path, "must be a map of keys to values");
      return false;
    }
    std::set<std::string> seen;
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        problem(child(path, key), "unknown key (expected one of: " + join(allowed) + ")");
      } else if (!seen.insert(key).second) {
        problem(child(path, key), "appears twice");
      }
    }
    return true;
  }

  std::string text(const YAML::Node& node, const std::string& path, bool required) {
    if (!node.IsDefined() || node.IsNull()) {
      if (required) problem(path, "is required");
      return {};
    }
    if (!node.IsScalar()) {
      problem(path, "must be text");
      return {};
    }
    std::string value = trimmed(node.Scalar());
    if (value.empty() && required) problem(path, "must not be empty");
    return value;
  }

  LocalizedText localized(const YAML::Node& node, const std::string& path, bool required) {
    if (!node.IsDefined() || node.IsNull()) {
      if (required) problem(path, "is required, with th and en");
      return {};
    }
    if (!expect_map(node, path, {"th", "en"})) return {};
    LocalizedText out;
    out.th = text(node["th"], child(path, "th"), true);
    out.en = text(node["en"], child(path, "en"), true);
    return out;
  }

  std::vector<LocalizedText> localized_list(const YAML::Node& node, const std::string& path,
                                            bool non_empty) {
    std::vector<LocalizedText> out;
    if (!list(node, path, non_empty)) return out;
    for (std::size_t i = 0; i < node.size(); ++i) {
      out.push_back(localized(node[i], item(path, i), true));
    }
    return out;
  }

  // True when `node` is a list (and not empty if `non_empty`).
  bool list(const YAML::Node& node, const std::string& path, bool non_empty) {
    if (!node.IsDefined() || node.IsNull()) {
      problem(path, non_empty ? "is required (a list with at least one item)"
                              : "is required (a list; [] for none)");
      return false;
    }
    if (!node.IsSequence()) {
      problem(path, "must be a list");
      return false;
    }
    if (non_empty && node.size() == 0) {
      problem(path, "must list at least one item");
      return false;
    }
    return true;
  }

  std::int64_t integer(const YAML::Node& node, const std::string& path, std::int64_t min,
                       std::int64_t max, std::optional<std::int64_t> fallback) {
    if (!node.IsDefined() || node.IsNull()) {
      if (!fallback) problem(path, "is required");
      return fallback.value_or(min);
    }
    const std::string raw = node.IsScalar() ? trimmed(node.Scalar()) : std::string();
    const bool digits =
        !raw.empty() && raw.size() <= 15 &&
        std::all_of(raw.begin(), raw.end(), [](char c) { return c >= '0' && c <= '9'; });
    const std::int64_t value = digits ? std::stoll(raw) : -1;
    if (!digits || value < min || value > max) {
      problem(path,
              "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
      return min;
    }
    return value;
  }

  bool boolean(const YAML::Node& node, const std::string& path, bool fallback) {
    if (!node.IsDefined() || node.IsNull()) return fallback;
    const std::string raw = node.IsScalar() ? node.Scalar() : std::string();
    if (raw == "true") return true;
    if (raw == "false") return false;
    problem(path, "must be true or false");
    return fallback;
  }

  // Baht with at most two decimals ("500", "12.50"), kept as satang so sums are exact.
  std::int64_t amount(const YAML::Node& node, const std::string& path) {
    if (!node.IsDefined() || node.IsNull()) {
      problem(path, "is required (baht, e.g. 500 or 12.50)");
      return 0;
    }
    const std::string raw = node.IsScalar() ? trimmed(node.Scalar()) : std::string();
    const auto dot = raw.find('.');
    const std::string whole = raw.substr(0, dot);
    const std::string fraction = dot == std::string::npos ? std::string() : raw.substr(dot + 1);
    auto all_digits = [](const std::string& s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    const bool valid = !whole.empty() && whole.size() <= 12 && all_digits(whole) &&
                       all_digits(fraction) && fraction.size() <= 2 &&
                       (dot == std::string::npos || !fraction.empty());
    if (!valid) {
      problem(path, "must be a non-negative number of baht with at most two decimals");
      return 0;
    }
    std::int64_t satang = std::stoll(whole) * 100;
    if (!fraction.empty()) satang += std::stoll(fraction) * (fraction.size() == 1 ? 10 : 1);
    if (satang > kMaxAmountSatang) {
      problem(path, "must be at most 1,000,000,000 baht");
      return 0;
    }
    return satang;
  }

 private:
  std::string file_;
  std::vector<LoadProblem>& problems_;
};

bool is_slug(std::string_view text) {
  if (text.empty() || text.size() > kMaxSlugLength) return false;
  if (text.front() == '-' || text.back() == '-') return false;
  char previous = 0;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && previous == '-')) return false;
    previous = c;
  }
  return true;
}

bool is_agency_code(std::string_view text) {
  return !text.empty() && text.size() <= 32 && text.front() >= 'a' && text.front() <= 'z' &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

bool is_web_address(std::string_view text) {
  return text.starts_with("https://") || text.starts_with("http://");
}

bool is_phone(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '+' || c == ',';
  });
}

bool is_email(std::string_view text) {
  const auto at = text.find('@');
  return at != std::string_view::npos && at > 0 && text.find('.', at) != std::string_view::npos &&
         text.find(' ') == std::string_view::npos;
}

// The file's name without ".yaml" and the name of the folder it is in.
std::string stem(const std::string& file) { return fs::path(file).stem().string(); }
std::string folder(const std::string& file) {
  return fs::path(file).parent_path().filename().string();
}

std::optional<YAML::Node> parse_yaml(FileReader& reader, std::string_view yaml) {
  try {
    YAML::Node node = YAML::Load(std::string(yaml));
    if (!node.IsMap()) {
      reader.problem("", "must be a YAML map of keys to values");
      return std::nullopt;
    }
    return node;
  } catch (const YAML::Exception& e) {
    reader.problem("", "line " + std::to_string(e.mark.line + 1) + ", column " +
                           std::to_string(e.mark.column + 1) + ": " + e.msg);
    return std::nullopt;
  }
}

std::optional<Channel> parse_channel(std::string_view key) {
  for (Channel channel : kAllChannels) {
    if (channel_key(channel) == key) return channel;
  }
  return std::nullopt;
}

std::vector<std::string> tag_list(FileReader& reader, const YAML::Node& node,
                                  const std::string& path) {
  std::vector<std::string> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (!reader.list(node, path, false)) return out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    std::string tag = reader.text(node[i], item(path, i), true);
    if (!tag.empty()) out.push_back(std::move(tag));
  }
  return out;
}

}  // namespace

std::string LoadProblem::to_string() const {
  std::string out = file;
  if (!field.empty()) out += ": " + field;
  return out + ": " + message;
}

void CatalogLoader::add_problem(LoadProblem problem) { problems_.push_back(std::move(problem)); }

void CatalogLoader::append(CatalogLoader&& other) {
  std::move(other.catalog_.agencies.begin(), other.catalog_.agencies.end(),
            std::back_inserter(catalog_.agencies));
  std::move(other.catalog_.services.begin(), other.catalog_.services.end(),
            std::back_inserter(catalog_.services));
  std::move(other.problems_.begin(), other.problems_.end(), std::back_inserter(problems_));
  other = CatalogLoader();
}

void CatalogLoader::add_agency(const std::string& file, std::string_view yaml) {
  FileReader reader(file, problems_);
  auto root = parse_yaml(reader, yaml);
  if (!root) return;
  reader.expect_map(*root, "", {"code", "name", "short_name", "description", "website", "contact"});
  Agency agency;
  agency.code = reader.text((*root)["code"], "code", true);
  if (!agency.code.empty()) {
    if (!is_agency_code(agency.code)) {
      reader.problem("code",
                     "must be lower-case ASCII letters, digits or '_', starting with a letter");
    } else if (agency.code != stem(file)) {
      reader.problem("code", "must match the file name (" + stem(file) + ".yaml)");
    }
  }
  agency.name = reader.localized((*root)["name"], "name", true);
  agency.short_name = reader.localized((*root)["short_name"], "short_name", true);
  agency.description = reader.localized((*root)["description"], "description", true);
  agency.website = reader.text((*root)["website"], "website", true);
  if (!agency.website.empty() && !is_web_address(agency.website)) {
    reader.problem("website", "must start with https:// or http://");
  }
  const YAML::Node contact = (*root)["contact"];
  if (!contact.IsDefined() || contact.IsNull()) {
    reader.problem("contact", "is required, with phone and address");
  } else if (reader.expect_map(contact, "contact", {"phone", "email", "address"})) {
    agency.phone = reader.text(contact["phone"], "contact.phone", true);
    if (!agency.phone.empty() && !is_phone(agency.phone)) {
      reader.problem("contact.phone", "must hold only digits, spaces, '-', '+' or ','");
    }
    agency.email = reader.text(contact["email"], "contact.email", false);
    if (!agency.email.empty() && !is_email(agency.email)) {
      reader.problem("contact.email", "must be an email address");
    }
    agency.address = reader.localized(contact["address"], "contact.address", true);
  }
  catalog_.agencies.push_back(std::move(agency));
}

void CatalogLoader::add_service(const std::string& file, std::string_view yaml) {
  FileReader reader(file, problems_);
  auto root_node = parse_yaml(reader, yaml);
  if (!root_node) return;
  const YAML::Node& root = *root_node;
  reader.expect_map(
      root, "",
      {"slug", "agency", "name", "summary", "category", "tags", "popularity", "who_may_apply",
       "documents", "fees", "time_limit_working_days", "legal_basis", "channels", "online"});
  Service service;
  service.source_file = file;
  service.slug = reader.text(root["slug"], "slug", true);
  if (!service.slug.empty()) {
    if (!is_slug(service.slug)) {
      reader.problem("slug", "must be lower-case letters, digits and single hyphens (at most " +
                                 std::to_string(kMaxSlugLength) + " characters)");
    } else if (service.slug != stem(file)) {
      reader.problem("slug", "must match the file name (" + stem(file) + ".yaml)");
    }
  }
  service.agency_code = reader.text(root["agency"], "agency", true);
  if (!service.agency_code.empty() && service.agency_code != folder(file)) {
    reader.problem("agency", "must match the folder the file is in (" + folder(file) + ")");
  }
  service.name = reader.localized(root["name"], "name", true);
  service.summary = reader.localized(root["summary"], "summary", true);

  service.category = reader.text(root["category"], "category", true);
  if (!service.category.empty() &&
      std::find(kCategories.begin(), kCategories.end(), service.category) == kCategories.end()) {
    std::string known;
    for (auto category : kCategories) known += (known.empty() ? "" : ", ") + std::string(category);
    reader.problem("category", "must be one of: " + known);
  }
  const YAML::Node tags = root["tags"];
  if (tags.IsDefined() && !tags.IsNull() && reader.expect_map(tags, "tags", {"th", "en"})) {
    service.tags_th = tag_list(reader, tags["th"], "tags.th");
    service.tags_en = tag_list(reader, tags["en"], "tags.en");
  }
  service.popularity = reader.integer(root["popularity"], "popularity", 0, kMaxPopularity, 0);

  service.who_may_apply = reader.localized_list(root["who_may_apply"], "who_may_apply", true);

  const YAML::Node documents = root["documents"];
  if (reader.list(documents, "documents", false)) {
    for (std::size_t i = 0; i < documents.size(); ++i) {
      const std::string path = item("documents", i);
      const YAML::Node node = documents[i];
      if (!reader.expect_map(node, path,
                             {"key", "name", "note", "originals", "copies", "required"})) {
        continue;
      }
      RequiredDocument document;
      document.key = reader.text(node["key"], child(path, "key"), false);
      if (!document.key.empty()) {
        if (!is_document_key(document.key)) {
          reader.problem(child(path, "key"),
                         "must be lower-case letters, digits and '_', starting with a letter "
                         "(at most 40)");
        }
        for (const auto& earlier : service.documents) {
          if (earlier.key == document.key) {
            reader.problem(child(path, "key"), "'" + document.key + "' names an earlier document");
          }
        }
      }
      document.name = reader.localized(node["name"], child(path, "name"), true);
      document.note = reader.localized(node["note"], child(path, "note"), false);
      document.originals = static_cast<int>(
          reader.integer(node["originals"], child(path, "originals"), 0, kMaxCount, 0));
      document.copies =
          static_cast<int>(reader.integer(node["copies"], child(path, "copies"), 0, kMaxCount, 0));
      if (document.originals + document.copies == 0) {
        reader.problem(path, "must ask for at least one original or one copy");
      }
      document.required = reader.boolean(node["required"], child(path, "required"), true);
      service.documents.push_back(std::move(document));
    }
  }

  const YAML::Node fees = root["fees"];
  if (reader.list(fees, "fees", false)) {
    for (std::size_t i = 0; i < fees.size(); ++i) {
      const std::string path = item("fees", i);
      const YAML::Node node = fees[i];
      if (!reader.expect_map(node, path,
                             {"code", "label", "amount", "note", "when", "for_each", "quantity",
                              "minimum", "stamp_duty"})) {
        continue;
      }
      Fee fee;
      fee.code = reader.text(node["code"], child(path, "code"), true);
      if (!fee.code.empty()) {
        if (!is_document_key(fee.code)) {
          reader.problem(child(path, "code"),
                         "must be lower-case letters, digits and '_', starting with a letter "
                         "(at most 40)");
        }
        for (const auto& earlier : service.fees) {
          if (earlier.code == fee.code) {
            reader.problem(child(path, "code"), "'" + fee.code + "' names an earlier fee");
          }
        }
      }
      fee.label = reader.localized(node["label"], child(path, "label"), true);
      fee.amount_satang = reader.amount(node["amount"], child(path, "amount"));
      fee.note = reader.localized(node["note"], child(path, "note"), false);
      // Expressions are checked against the service's form by the applications module.
      fee.when = reader.text(node["when"], child(path, "when"), false);
      fee.for_each = reader.text(node["for_each"], child(path, "for_each"), false);
      if (const YAML::Node quantity = node["quantity"]; quantity.IsDefined()) {
        const std::string at = child(path, "quantity");
        if (reader.expect_map(quantity, at, {"of", "per", "unit"})) {
          FeeQuantity q;
          q.of = reader.text(quantity["of"], child(at, "of"), true);
          q.per = reader.integer(quantity["per"], child(at, "per"), 1, kMaxFeeUnit, 1);
          q.unit = reader.localized(quantity["unit"], child(at, "unit"), true);
          fee.quantity = std::move(q);
        }
      }
      if (node["minimum"].IsDefined()) {
        fee.minimum_satang = reader.amount(node["minimum"], child(path, "minimum"));
        if (!fee.quantity) {
          reader.problem(child(path, "minimum"),
                         "applies only to a fee with a quantity (a floor for the line)");
        }
      }
      fee.stamp_duty = reader.boolean(node["stamp_duty"], child(path, "stamp_duty"), false);
      service.fees.push_back(std::move(fee));
    }
  }

  service.time_limit_working_days =
      static_cast<int>(reader.integer(root["time_limit_working_days"], "time_limit_working_days", 1,
                                      kMaxWorkingDays, std::nullopt));
  service.legal_basis = reader.localized_list(root["legal_basis"], "legal_basis", true);

  const YAML::Node channels = root["channels"];
  if (reader.list(channels, "channels", true)) {
    for (std::size_t i = 0; i < channels.size(); ++i) {
      const std::string path = item("channels", i);
      const std::string key = reader.text(channels[i], path, true);
      auto channel = parse_channel(key);
      if (!channel) {
        if (!key.empty()) reader.problem(path, "must be one of: counter, post");
      } else if (*channel == Channel::online) {
        reader.problem(path, std::string(kEarnedByAForm));
      } else if (service.has_channel(*channel)) {
        reader.problem(path, "lists '" + key + "' twice");
      } else {
        service.channels.push_back(*channel);
      }
    }
    std::sort(service.channels.begin(), service.channels.end());
  }

  const YAML::Node online = root["online"];
  if (online.IsDefined() && !online.IsNull() &&
      reader.expect_map(online, "online",
                        {"e_form", "prefill", "linked_documents", "bill_payment", "e_receipt",
                         "e_license", "ca_signature", "pdf_a3"})) {
    for (Criterion criterion : kAllCriteria) {
      const std::string key(criterion_key(criterion));
      if (is_earned(criterion)) {
        if (online[key].IsDefined()) {
          reader.problem(child("online", key), std::string(earned_by(criterion)));
        }
        continue;
      }
      service.online.offered[criterion] = reader.boolean(online[key], child("online", key), false);
    }
  }
  catalog_.services.push_back(std::move(service));
}

Result<Catalog> CatalogLoader::finish() {
  std::map<std::string, const Agency*> agencies;
  for (const Agency& agency : catalog_.agencies) {
    if (agency.code.empty()) continue;
    if (!agencies.emplace(agency.code, &agency).second) {
      problems_.push_back({"services/agencies/" + agency.code + ".yaml", "code",
                           "'" + agency.code + "' is defined twice"});
    }
  }
  std::map<std::string, std::string> slugs;  // slug -> file
  for (const Service& service : catalog_.services) {
    if (!service.agency_code.empty() && !agencies.contains(service.agency_code)) {
      problems_.push_back({service.source_file, "agency",
                           "unknown agency '" + service.agency_code + "' (no agencies/" +
                               service.agency_code + ".yaml)"});
    }
    if (service.slug.empty()) continue;
    auto [it, inserted] = slugs.emplace(service.slug, service.source_file);
    if (!inserted) {
      problems_.push_back(
          {service.source_file, "slug", "'" + service.slug + "' is already used by " + it->second});
    }
  }
  if (!problems_.empty()) {
    std::string detail;
    for (const LoadProblem& problem : problems_) detail += problem.to_string() + "\n";
    detail.pop_back();
    return Error{ErrorCode::invalid_input, "catalog.load.invalid", std::move(detail), {}, 0};
  }
  Catalog catalog = std::move(catalog_);
  catalog_ = {};
  std::sort(catalog.agencies.begin(), catalog.agencies.end(),
            [](const Agency& a, const Agency& b) { return a.code < b.code; });
  std::sort(catalog.services.begin(), catalog.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  return catalog;
}

Result<Catalog> load_catalog(const std::filesystem::path& services_dir) {
  std::error_code ec;
  if (!fs::is_directory(services_dir, ec)) {
    return Error{ErrorCode::invalid_input,
                 "catalog.load.invalid",
                 services_dir.string() + ": not a directory",
                 {},
                 0};
  }
  // Names in problems start at the catalogue folder: "services/dbd/x.yaml".
  const fs::path base = fs::absolute(services_dir).lexically_normal().parent_path();
  auto label = [&](const fs::path& path) {
    return fs::absolute(path).lexically_normal().lexically_relative(base).generic_string();
  };
  auto read = [&](const fs::path& path) -> std::optional<std::string> {
    auto text = read_file(path);
    if (!text) return std::nullopt;
    return std::move(*text);
  };

  std::vector<fs::path> agency_files, service_files, stray_files;
  for (const auto& entry : fs::directory_iterator(services_dir, ec)) {
    if (entry.is_regular_file()) {
      if (entry.path().extension() == ".yaml") stray_files.push_back(entry.path());
      continue;
    }
    if (!entry.is_directory()) continue;
    const bool agencies = entry.path().filename() == "agencies";
    // Sub-folders of an agency folder are left for later parts (forms, workflows).
    for (const auto& file : fs::directory_iterator(entry.path(), ec)) {
      if (!file.is_regular_file() || file.path().extension() != ".yaml") continue;
      (agencies ? agency_files : service_files).push_back(file.path());
    }
  }
  if (ec) {
    return Error{ErrorCode::invalid_input,
                 "catalog.load.invalid",
                 services_dir.string() + ": " + ec.message(),
                 {},
                 0};
  }
  std::sort(agency_files.begin(), agency_files.end());
  std::sort(service_files.begin(), service_files.end());

  CatalogLoader loader;
  for (const auto& path : stray_files) {
    loader.add_problem(
        {label(path), "", "belongs in agencies/ or in an agency's folder, not at the top"});
  }
  // Parsing YAML is most of a load at thousands of services, so every core parses a run of
  // the files; the runs are joined in order, so problems come out as one reader's would.
  const std::size_t agency_count = agency_files.size();
  const std::size_t file_count = agency_count + service_files.size();
  std::vector<CatalogLoader> parts(file_count / kMinFilesPerThread + 1);
  const std::size_t runs = for_each_run(file_count, kMinFilesPerThread,
                                        [&](std::size_t run, std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      const bool agency = i < agency_count;
      const fs::path& path = agency ? agency_files[i] : service_files[i - agency_count];
      auto text = read(path);
      if (!text) parts[run].add_problem({label(path), "", "cannot be read"});
      else if (agency) parts[run].add_agency(label(path), *text);
      else parts[run].add_service(label(path), *text);
    }
  });
  parts.resize(runs);
  for (CatalogLoader& part : parts) loader.append(std::move(part));
  return loader.finish();
}

}  // namespace pratu::catalog

namespace pratu::catalog {

Result<void> apply_earned(Catalog& catalog, const platform::EarnedFeatures& earned) {
  std::map<std::string_view, Service*> by_slug;
  for (Service& service : catalog.services) by_slug.emplace(service.slug, &service);
  for (const auto& entry : earned.entries()) {
    auto service = by_slug.find(entry.slug);
    if (service == by_slug.end()) {
      return Error::internal("module " + entry.module + " runs " + entry.criterion +
                             " for the service " + entry.slug + ", which the catalogue lacks");
    }
    std::optional<Criterion> criterion;
    for (Criterion c : kAllCriteria) {
      if (criterion_key(c) == entry.criterion) criterion = c;
    }
    if (!criterion) {
      return Error::internal("module " + entry.module + " runs " + entry.criterion +
                             ", which is no criterion of an e-Service level");
    }
    Service& s = *service->second;
    s.online.offered[*criterion] = true;
    if (*criterion == Criterion::e_form && !s.has_channel(Channel::online)) {
      s.channels.insert(s.channels.begin(), Channel::online);  // kAllChannels order
    }
  }
  return ok();
}

}  // namespace pratu::catalog
