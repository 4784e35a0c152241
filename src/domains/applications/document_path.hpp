#pragma once
/// Where a document question's answer sits in an application's answers, as the pages and the
/// API name it: a question of the form ("mover_id_card"), or a question of one item of a
/// repeating group ("signs.k3f9.photograph", the item named by its `_key`). Plain functions,
/// no I/O.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "domains/applications/form.hpp"

namespace pratu::applications {

/// A parsed document path.
struct DocumentPath {
  std::string question;  // the form's question: the document itself, or the group holding it
  std::string item;      // the group item's key; empty for a question of the form
  std::string field;     // the group's document question; empty for a question of the form

  /// As written in URLs and answers' problems.
  std::string text() const;
};

/// Reads "question" or "group.item.question"; nullopt for any other shape.
std::optional<DocumentPath> parse_document_path(std::string_view path);

/// The document question `path` names in `form`, or nullptr when there is none there.
const Field* document_question(const Form& form, const DocumentPath& path);

/// The answer at `path` in `answers`, or nullptr when there is none.
const boost::json::value* answer_at(const boost::json::object& answers, const DocumentPath& path);

/// The change (as ApplicationService::save takes it) that sets `answer` at `path`, a null
/// answer removing it: for a group, its items as they are with that one's answer replaced.
/// nullopt when the group has no item `path.item`.
std::optional<boost::json::object> change_at(const boost::json::object& answers,
                                             const DocumentPath& path, boost::json::value answer);

/// The file a document answer names, as Pratu wrote it from the wallet.
struct AttachedFile {
  std::string sha256;
  std::string name;
  std::string media_type;  // application/pdf, image/jpeg or image/png
};

/// The file `answer` names; nullopt when it is not a document answer of an accepted kind.
std::optional<AttachedFile> attached_file(const boost::json::value& answer);

}  // namespace pratu::applications
