#include "domains/applications/document_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <filesystem>
#include <set>

#include "common/files.hpp"
#include "crypto/digest.hpp"

namespace pratu::applications {
namespace {

namespace fs = std::filesystem;

// The file beside `file` called `name`: the workflow or form a problem refers to.
std::string beside(const std::string& file, std::string_view name) {
  const auto slash = file.rfind('/');
  return (slash == std::string::npos ? std::string() : file.substr(0, slash + 1)) +
         std::string(name);
}

// Whether `prefix` is capitals and digits in parts joined by single hyphens, each part
// starting with a letter: no part can be read as the year or the sequence after it.
bool is_number_prefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > kMaxNumberPrefixLength) return false;
  bool part_start = true;
  for (char c : prefix) {
    if (c == '-') {
      if (part_start) return false;
      part_start = true;
    } else if (c >= 'A' && c <= 'Z') {
      part_start = false;
    } else if (c >= '0' && c <= '9') {
      if (part_start) return false;
    } else {
      return false;
    }
  }
  return !part_start;
}

// The states of `workflow` an application can be in: `initial` and every state a way of
// transitions leads to from it.
std::set<std::string, std::less<>> reachable_states(const Workflow& workflow) {
  std::set<std::string, std::less<>> reached;
  if (workflow.state(workflow.initial) == nullptr) return reached;
  std::deque<std::string> queue{workflow.initial};
  reached.insert(workflow.initial);
  while (!queue.empty()) {
    const std::string at = queue.front();
    queue.pop_front();
    for (const Transition* t : workflow.exits(at)) {
      if (workflow.state(t->to) != nullptr && reached.insert(t->to).second) queue.push_back(t->to);
    }
  }
  return reached;
}

// "a phone question", "an integer question".
std::string kind_of_question(FieldType type) {
  const std::string_view key = field_type_key(type);
  const bool vowel = std::string_view("aeiou").find(key.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(key) + " question";
}

// What a reference to the form may name: the holder is one person, so only the questions of
// the form itself; the fields shown may also name a question of every item of a group.
enum class Reach { form, form_and_groups };

// Reads one document template, recording its problems with their line and place.
class DocumentReader : public DefinitionReader {
 public:
  DocumentReader(std::string file, const platform::ServiceInfo& service, const Form& form,
                 const Workflow& workflow)
      : DefinitionReader(std::move(file)), service_(service), form_(form), workflow_(workflow) {}

  DocumentTemplate read(std::string_view yaml);

 private:
  void read_issued_in(const YAML::Node& root, DocumentTemplate& d);
  void read_number(const YAML::Node& root, DocumentTemplate& d);
  std::optional<Validity> read_validity(const YAML::Node& root);
  void read_languages(const YAML::Node& root, DocumentTemplate& d);
  DocumentHolder read_holder(const YAML::Node& root);
  std::vector<DocumentField> read_fields(const YAML::Node& root);
  std::vector<Text> read_conditions(const YAML::Node& root);
  const Field* question(const YAML::Node& node, std::string_view key, const std::string& ref,
                        Reach reach);
  bool always_asked(const YAML::Node& node, std::string_view key, const std::string& ref);

  const platform::ServiceInfo& service_;
  const Form& form_;
  const Workflow& workflow_;
};

void DocumentReader::read_issued_in(const YAML::Node& root, DocumentTemplate& d) {
  d.issued_in = text(root, "issued_in", true);
  if (d.issued_in.empty()) return;
  const std::string workflow_file = beside(file_, "workflow.yaml");
  if (workflow_.state(d.issued_in) == nullptr) {
    problem_at(root["issued_in"], "issued_in",
               "'" + d.issued_in + "' is not a state of the workflow (" + workflow_file + ")");
  } else if (!reachable_states(workflow_).contains(d.issued_in)) {
    problem_at(root["issued_in"], "issued_in",
               "no application can reach '" + d.issued_in + "' from '" + workflow_.initial +
                   "' in the workflow (" + workflow_file + "): the document would never be issued");
  }
}

void DocumentReader::read_number(const YAML::Node& root, DocumentTemplate& d) {
  const YAML::Node node = root["number"];
  if (!node.IsDefined() || node.IsNull()) {
    problem_at(root, "number", "is required: {prefix: ...}, as {prefix: DBD-CR}");
    return;
  }
  where_ = "number";
  if (expect_map(node, {"prefix"})) {
    d.number.prefix = text(node, "prefix", true);
    std::string agency;
    for (char c : service_.agency) {
      agency += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    const std::string& prefix = d.number.prefix;
    if (!prefix.empty() && !is_number_prefix(prefix)) {
      problem_at(node["prefix"], "prefix",
                 "'" + prefix +
                     "' must be capital letters and digits in parts joined by single hyphens, "
                     "each part starting with a letter, at most " +
                     std::to_string(kMaxNumberPrefixLength) + " characters (as " + agency + "-CR)");
    } else if (!prefix.empty() && !prefix.starts_with(agency + "-")) {
      problem_at(node["prefix"], "prefix",
                 "'" + prefix + "' must begin with the agency's code and a hyphen (" + agency +
                     "-...), so that no two agencies' numbers can be alike");
    }
  }
  where_.clear();
}

std::optional<Validity> DocumentReader::read_validity(const YAML::Node& root) {
  const YAML::Node node = root["validity"];
  constexpr std::string_view kExpected = "none, or one of {days: N}, {months: N}, {years: N}";
  if (!node.IsDefined() || node.IsNull()) {
    problem_at(root, "validity", "is required: " + std::string(kExpected));
    return std::nullopt;
  }
  if (node.IsScalar()) {
    if (node.Scalar() != "none") {
      problem_at(node, "validity",
                 "must be " + std::string(kExpected) + ", not '" + node.Scalar() + "'");
    }
    return std::nullopt;
  }
  where_ = "validity";
  std::optional<Validity> out;
  const std::size_t before = problems_.size();
  if (expect_map(node, {"days", "months", "years"})) {
    const std::array<std::pair<ValidityUnit, int>, 3> units = {
        {{ValidityUnit::days, kMaxValidityDays},
         {ValidityUnit::months, kMaxValidityMonths},
         {ValidityUnit::years, kMaxValidityYears}}};
    int given = 0;
    for (const auto& [unit, max] : units) {
      const std::string key(validity_unit_key(unit));
      if (!node[key].IsDefined()) continue;
      ++given;
      if (auto count = integer(node, key, 1, max)) out = Validity{unit, static_cast<int>(*count)};
    }
    // An unknown unit is problem enough on its own.
    if (given > 1 || (given == 0 && problems_.size() == before)) {
      problem(node, "give exactly one of days, months or years (or validity: none)");
    }
    if (given != 1) out.reset();
  }
  where_.clear();
  return out;
}

void DocumentReader::read_languages(const YAML::Node& root, DocumentTemplate& d) {
  const YAML::Node node = root["languages"];
  if (!node.IsDefined() || node.IsNull()) {
    problem_at(root, "languages", "is required: [th], or [th, en] for a document also in English");
    return;
  }
  bool thai = false, english = false;
  for (const auto& language : names(root, "languages")) {
    if (language == "th") {
      thai = true;
    } else if (language == "en") {
      english = true;
    } else {
      problem_at(node, "languages", "'" + language + "' is not one of: th, en");
    }
  }
  if (!thai) problem_at(node, "languages", "must include th: every document is written in Thai");
  d.languages.push_back(web::Locale::th);
  if (english) d.languages.push_back(web::Locale::en);
}

// The question `ref` names in the form, or nullptr after a problem at `node`: one of the
// form's own, or (where `reach` allows) "group.question", that question of every item. A
// file, a group as a whole and the declaration say nothing a document can show.
const Field* DocumentReader::question(const YAML::Node& node, std::string_view key,
                                      const std::string& ref, Reach reach) {
  const auto dot = ref.find('.');
  const std::string head = ref.substr(0, dot);
  const std::string tail = dot == std::string::npos ? std::string() : ref.substr(dot + 1);
  if (head.empty() ||
      (dot != std::string::npos && (tail.empty() || tail.find('.') != std::string::npos))) {
    problem_at(node, key,
               "'" + ref +
                   "' must be a question's id, or group.question for a question of "
                   "each item of a group");
    return nullptr;
  }
  const Field* field = form_.field(head).second;
  if (field == nullptr) {
    problem_at(node, key,
               "'" + head + "' is not a question of the form (" + form_.source_file + ")");
    return nullptr;
  }
  if (dot != std::string::npos) {
    if (reach == Reach::form) {
      problem_at(node, key,
                 "'" + ref +
                     "' is a question of a group's items: name a question of the form "
                     "itself");
      return nullptr;
    }
    if (field->type != FieldType::group) {
      problem_at(node, key, "'" + head + "' is not a group: name it alone");
      return nullptr;
    }
    field = field->field(tail);
    if (field == nullptr) {
      problem_at(node, key, "'" + tail + "' is not a question of the group " + head);
      return nullptr;
    }
  } else if (field->type == FieldType::group) {
    const std::string example =
        field->fields.empty() ? "question" : head + "." + field->fields.front().id;
    problem_at(node, key, "'" + ref + "' is a group: name one of its questions, as " + example);
    return nullptr;
  }
  if (field->type == FieldType::document) {
    problem_at(node, key,
               "'" + ref + "' is a document question: a file cannot be written on a document");
    return nullptr;
  }
  if (field->type == FieldType::declaration) {
    problem_at(node, key,
               "'" + ref + "' is the applicant's declaration, which a document does not repeat");
    return nullptr;
  }
  return field;
}

// Whether the form's question `ref` is asked of every applicant: required, and neither it nor
// its page shown only on a condition (a problem when not).
bool DocumentReader::always_asked(const YAML::Node& node, std::string_view key,
                                  const std::string& ref) {
  const auto [page, field] = form_.field(ref);
  if (field->required && !field->show_if && !page->show_if) return true;
  problem_at(node, key,
             "'" + ref + "' is not asked of every applicant (" +
                 (field->required ? "it is asked only on a condition" : "it is not required") +
                 "): every document must name its holder");
  return false;
}

DocumentHolder DocumentReader::read_holder(const YAML::Node& root) {
  DocumentHolder holder;
  const YAML::Node node = root["holder"];
  if (!node.IsDefined() || node.IsNull()) {
    problem_at(root, "holder",
               "is required: {name: the questions whose answers are the holder's name, id: the "
               "question of their citizen or juristic ID (optional)}");
    return holder;
  }
  where_ = "holder";
  if (expect_map(node, {"name", "id"})) {
    const YAML::Node name = node["name"];
    const std::size_t before = problems_.size();
    holder.name = names(node, "name");
    if (holder.name.empty() && problems_.size() == before) {
      problem_at(name.IsDefined() ? name : node, "name",
                 "is required: the questions whose answers are the holder's name");
    }
    for (const auto& ref : holder.name) {
      const Field* field = question(name, "name", ref, Reach::form);
      if (field == nullptr) continue;
      if (field->type != FieldType::text && field->type != FieldType::choice) {
        problem_at(name, "name",
                   "'" + ref + "' is " + kind_of_question(field->type) +
                       ": a name is made of text and choice answers");
      } else {
        always_asked(name, "name", ref);
      }
    }
    holder.id = text(node, "id", false);
    if (!holder.id.empty()) {
      if (const Field* field = question(node["id"], "id", holder.id, Reach::form)) {
        if (field->type != FieldType::citizen_id && field->type != FieldType::juristic_id) {
          problem_at(node["id"], "id",
                     "'" + holder.id + "' is " + kind_of_question(field->type) +
                         ", not a citizen_id or juristic_id one");
        } else {
          always_asked(node["id"], "id", holder.id);
        }
      }
    }
  }
  where_.clear();
  return holder;
}

std::vector<DocumentField> DocumentReader::read_fields(const YAML::Node& root) {
  std::vector<DocumentField> out;
  const YAML::Node list = root["fields"];
  if (!list.IsDefined() || !list.IsSequence() || list.size() == 0) {
    problem_at(list.IsDefined() ? list : root, "fields",
               "is required: a list of {label: {th, en}, answer: a question of the form}");
    return out;
  }
  if (list.size() > kMaxDocumentFields) {
    problem_at(list, "fields", "has more than " + std::to_string(kMaxDocumentFields));
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    where_ = "field " + std::to_string(i + 1);
    if (!expect_map(item, {"label", "answer"})) continue;
    DocumentField f;
    f.label = localized(item, "label", true);
    f.answer = text(item, "answer", true);
    if (!f.answer.empty()) {
      if (std::any_of(out.begin(), out.end(),
                      [&](const DocumentField& earlier) { return earlier.answer == f.answer; })) {
        problem_at(item["answer"], "answer", "'" + f.answer + "' is shown by an earlier field");
      } else {
        question(item["answer"], "answer", f.answer, Reach::form_and_groups);
      }
    }
    out.push_back(std::move(f));
  }
  where_.clear();
  return out;
}

std::vector<Text> DocumentReader::read_conditions(const YAML::Node& root) {
  std::vector<Text> out;
  const YAML::Node list = root["conditions"];
  if (!list.IsDefined() || list.IsNull()) return out;
  if (!list.IsSequence()) {
    problem_at(list, "conditions", "must be a list of {th, en} (or [] for none)");
    return out;
  }
  if (list.size() > kMaxDocumentConditions) {
    problem_at(list, "conditions", "has more than " + std::to_string(kMaxDocumentConditions));
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    where_ = "condition " + std::to_string(i + 1);
    if (!item.IsMap()) {
      problem_at(item, "conditions", "must list {th, en}");
      continue;
    }
    YAML::Node wrapped;
    wrapped["conditions"] = item;
    out.push_back(localized(wrapped, "conditions", true));
  }
  where_.clear();
  return out;
}

DocumentTemplate DocumentReader::read(std::string_view yaml) {
  DocumentTemplate d;
  d.service = service_.slug;
  d.agency = service_.agency;
  d.version = "sha256:" + crypto::sha256_hex(yaml);
  d.source_file = file_;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    problems_.push_back({file_, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", e.msg});
    return d;
  }
  if (!expect_map(root, {"kind", "title", "issued_in", "number", "validity", "languages", "holder",
                         "fields", "conditions", "signatory"})) {
    return d;
  }
  const std::string kind = text(root, "kind", true);
  if (auto k = document_kind_of(kind)) {
    d.kind = *k;
  } else if (!kind.empty()) {
    problem_at(root["kind"], "kind", "must be licence, certificate or permit, not '" + kind + "'");
  }
  d.title = localized(root, "title", true);
  read_issued_in(root, d);
  read_number(root, d);
  d.validity = read_validity(root);
  read_languages(root, d);
  d.holder = read_holder(root);
  d.fields = read_fields(root);
  d.conditions = read_conditions(root);
  d.signatory = localized(root, "signatory", true);
  return d;
}

}  // namespace

Result<DocumentTemplate> parse_document_template(std::string_view yaml, const std::string& file,
                                                 const platform::ServiceInfo& service,
                                                 const Form& form, const Workflow& workflow) {
  DocumentReader reader(file, service, form, workflow);
  DocumentTemplate document;
  const auto problems = reader.run([&] { document = reader.read(yaml); }, "a document template");
  if (problems.empty()) return document;
  std::vector<std::string> lines;
  lines.reserve(problems.size());
  for (const auto& p : problems) lines.push_back(p.to_string());
  return definition_error(lines);
}

Result<DocumentTemplates> load_document_templates(
    const platform::ServiceDirectory& directory,
    const std::map<std::string, Form, std::less<>>& forms, const Workflows& workflows) {
  std::vector<std::string> problems;
  DocumentTemplates documents;
  for (const auto& folder : service_folders(directory, problems)) {
    const fs::path file = folder.path / "document.yaml";
    if (!fs::exists(file)) continue;
    const std::string shown = folder.shown + "/document.yaml";
    const auto form = forms.find(folder.service->slug);
    const auto workflow = workflows.find(folder.service->slug);
    if (form == forms.end() || workflow == workflows.end()) {
      problems.push_back(shown +
                         ": the service has no form.yaml and workflow.yaml: no application "
                         "could ever be approved for it to be issued");
      continue;
    }
    auto text = read_file(file);
    if (!text) {
      problems.push_back(shown + ": " + text.error().detail);
      continue;
    }
    auto document =
        parse_document_template(*text, shown, *folder.service, form->second, workflow->second);
    if (!document) {
      problems.push_back(document.error().detail);
      continue;
    }
    documents.emplace(folder.service->slug, std::move(*document));
  }
  if (problems.empty()) return documents;
  std::sort(problems.begin(), problems.end());
  return definition_error(problems);
}

}  // namespace pratu::applications
