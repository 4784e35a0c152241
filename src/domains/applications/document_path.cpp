#include "domains/applications/document_path.hpp"

#include <boost/json.hpp>

#include <array>

#include "storage/blob_store.hpp"

namespace pratu::applications {

namespace json = boost::json;

namespace {

// The group item whose `_key` is `key`, or nullptr.
const json::object* item_of(const json::value& group, std::string_view key) {
  if (!group.is_array()) return nullptr;
  for (const auto& item : group.get_array()) {
    const auto* object = item.if_object();
    const auto* k = object != nullptr ? object->if_contains("_key") : nullptr;
    if (k != nullptr && k->is_string() && k->get_string() == key) return object;
  }
  return nullptr;
}

}  // namespace

std::string DocumentPath::text() const {
  return item.empty() ? question : question + "." + item + "." + field;
}

std::optional<DocumentPath> parse_document_path(std::string_view path) {
  std::array<std::string_view, 3> parts;
  std::size_t n = 0;
  while (n < parts.size()) {
    const auto dot = path.find('.');
    parts[n++] = path.substr(0, dot);
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
    if (n == parts.size()) return std::nullopt;  // a fourth part
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (parts[i].empty()) return std::nullopt;
  }
  if (n == 1) return DocumentPath{std::string(parts[0]), {}, {}};
  if (n == 3)
    return DocumentPath{std::string(parts[0]), std::string(parts[1]), std::string(parts[2])};
  return std::nullopt;
}

const Field* document_question(const Form& form, const DocumentPath& path) {
  const Field* field = form.field(path.question).second;
  if (field != nullptr && !path.item.empty()) {
    field = field->type == FieldType::group ? field->field(path.field) : nullptr;
  }
  return field != nullptr && field->type == FieldType::document ? field : nullptr;
}

const json::value* answer_at(const json::object& answers, const DocumentPath& path) {
  const json::value* answer = answers.if_contains(path.question);
  if (answer == nullptr || path.item.empty()) return answer;
  const json::object* item = item_of(*answer, path.item);
  return item != nullptr ? item->if_contains(path.field) : nullptr;
}

std::optional<json::object> change_at(const json::object& answers, const DocumentPath& path,
                                      json::value answer) {
  if (path.item.empty()) return json::object{{path.question, std::move(answer)}};
  const json::value* group = answers.if_contains(path.question);
  if (group == nullptr || item_of(*group, path.item) == nullptr) return std::nullopt;
  json::array items = group->get_array();
  for (auto& item : items) {
    auto* object = item.if_object();
    const auto* k = object != nullptr ? object->if_contains("_key") : nullptr;
    if (k == nullptr || !k->is_string() || k->get_string() != path.item) continue;
    if (answer.is_null()) {
      object->erase(path.field);
    } else {
      (*object)[path.field] = answer;
    }
  }
  return json::object{{path.question, std::move(items)}};
}

std::optional<AttachedFile> attached_file(const json::value& answer) {
  const auto* object = answer.if_object();
  if (object == nullptr) return std::nullopt;
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    const auto* v = object->if_contains(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->get_string());
  };
  auto blob = text("blob");
  auto media_type = text("media_type");
  if (!blob || !storage::BlobStore::is_sha256(*blob) || !media_type) return std::nullopt;
  if (*media_type != "application/pdf" && *media_type != "image/jpeg" &&
      *media_type != "image/png") {
    return std::nullopt;
  }
  return AttachedFile{std::move(*blob), text("name").value_or(""), std::move(*media_type)};
}

}  // namespace pratu::applications
