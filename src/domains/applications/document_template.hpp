#pragma once
/// What a service issues when an application is approved, as defined in
/// services/<agency>/<slug>/document.yaml: the kind of document and its title, the workflow
/// state whose entry issues it, its numbering scheme, how long it is valid, the languages it is
/// written in, its holder, the answers it shows, its conditions and who signs it. Plain types,
/// no I/O; the format is in docs/documents.md and the loader in document_loader.hpp.

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domains/applications/form.hpp"
#include "web/context.hpp"

namespace pratu::applications {

/// What the document is.
enum class DocumentKind { licence, certificate, permit };
/// "licence" | "certificate" | "permit", as written in document.yaml.
std::string_view document_kind_key(DocumentKind kind);
std::optional<DocumentKind> document_kind_of(std::string_view key);

/// The unit of a validity period.
enum class ValidityUnit { days, months, years };
/// "days" | "months" | "years", as written in document.yaml.
std::string_view validity_unit_key(ValidityUnit unit);

/// How long a document is valid from the day it is issued.
struct Validity {
  ValidityUnit unit = ValidityUnit::years;
  int count = 1;
  bool operator==(const Validity&) const = default;
};

/// How a document's numbers are made: the prefix, then the Buddhist-era year of issue and a
/// sequence counted per agency, prefix and year: DBD-CR-2569-000123.
struct NumberScheme {
  std::string prefix;  // "DBD-CR": the agency's code in capitals, a hyphen, then more
};

/// The number of the `sequence`th document under `scheme` in Buddhist-era `year`; sequences
/// below a million are written with six digits.
std::string document_number(const NumberScheme& scheme, int year, std::int64_t sequence);

/// A regular expression (ECMA-262) every number of `scheme` matches, for API clients.
std::string document_number_pattern(const NumberScheme& scheme);

/// Whose document it is, as the form's answers say.
struct DocumentHolder {
  std::vector<std::string> name;  // questions whose answers, joined by spaces, are the name
  std::string id;                 // a citizen_id or juristic_id question; empty when none
};

/// One answer shown on the document.
struct DocumentField {
  Text label;
  std::string answer;  // a question of the form ("business_name_th") or of a group
                       // ("handlers.name": that question of every item)
};

/// A service's document template.
struct DocumentTemplate {
  std::string service;      // the service's slug
  std::string agency;       // its agency's code
  std::string version;      // "sha256:<hex>" of the file
  std::string source_file;  // "services/dbd/commercial-registration/document.yaml"
  DocumentKind kind = DocumentKind::certificate;
  Text title;
  std::string issued_in;  // the workflow state whose entry issues it
  NumberScheme number;
  std::optional<Validity> validity;    // nullopt: no term
  std::vector<web::Locale> languages;  // Thai first, always; English where the service says
  DocumentHolder holder;
  std::vector<DocumentField> fields;  // in the order shown
  std::vector<Text> conditions;       // of the licence, in order; may be none
  Text signatory;  // the title of who signs it: "นายทะเบียน" / "Registrar"

  /// Whether it is written in `locale`.
  bool written_in(web::Locale locale) const;
};

/// The document templates of the services that issue one, by slug.
using DocumentTemplates = std::map<std::string, DocumentTemplate, std::less<>>;

/// The template as the API gives it (docs/openapi: DocumentTemplate).
boost::json::object document_template_json(const DocumentTemplate& document);

}  // namespace pratu::applications
