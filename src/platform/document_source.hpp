#pragma once
/// What an application's document says, as the module that holds applications tells the
/// module that issues documents (docs/adr/0025): the applications module reads each service's
/// document template and the answers; the documents module numbers, draws, signs and keeps the
/// document. Offered by the applications module while the modules prepare.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::platform {

/// A text in Thai and English; English may be empty where the document is Thai only.
struct BilingualText {
  std::string th;
  std::string en;
};

/// One line of the document: an answer with its label, in each language.
struct DocumentLine {
  BilingualText label;
  BilingualText value;
};

/// How long a document is valid from its day of issue.
struct DocumentValidity {
  std::string unit;  // "days" | "months" | "years"
  int count = 0;
};

/// Everything the document of one application shows, from its template and its answers.
struct DocumentContent {
  std::int64_t application_id = 0;
  std::string application;  // its public id
  std::string reference;    // its reference number
  std::string service;      // the service's slug
  std::string agency;       // the issuing agency's code
  std::int64_t holder_user_id = 0;
  std::string holder_name;  // as the answers give it
  std::string holder_id;    // the citizen or juristic id the answers give; may be empty
  std::string kind;         // "licence" | "certificate" | "permit"
  BilingualText title;
  bool english = false;  // written in English too
  std::vector<DocumentLine> lines;
  std::vector<BilingualText> conditions;
  BilingualText signatory;  // the title of who signs it
  std::string number_prefix;
  std::optional<DocumentValidity> validity;  // nullopt: no term
  std::string template_version;              // "sha256:<hex>" of the template
  std::string postal_address;  // the application's first address, in Thai; empty: none
  std::string replaces;        // the document number a renewal replaces; empty: none
};

/// A service that issues a document, and its agency.
struct IssuingService {
  std::string service;
  std::string agency;
  std::string issued_in;  // the workflow state whose entry issues it
};

class DocumentSource {
 public:
  static constexpr const char* kServiceName = "platform::DocumentSource";
  virtual ~DocumentSource() = default;

  /// The services whose workflow issues a document.
  virtual std::vector<IssuingService> issuing_services() const = 0;
  /// What the document of application `application` (its public id) says, read in `c`;
  /// not_found when there is no such application or its service issues none.
  virtual Result<DocumentContent> content(storage::Connection& c,
                                          std::string_view application) const = 0;
};

/// The outbox topic whose rows ask for an application's document to be issued; the payload
/// names it by its public id: {"application": "k3f9..."}.
inline constexpr std::string_view kIssueDocumentTopic = "documents.issue";

}  // namespace pratu::platform
